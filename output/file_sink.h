// file_sink.h: a line-oriented output destination (a file, or stdout for "-").
//
// Sweeps run for hours and get interrupted; every record handed to |WriteLine| is in the kernel
// when the call returns (one write(2) per record, no user-space buffer), so a killed run keeps
// everything it reported. Errors come back as values with the path and the system's words for
// them; nothing here throws or aborts.
//
// Writing to a pipe whose reader has gone raises SIGPIPE, which kills a process by default. The
// program must ignore SIGPIPE (it needs to for its sockets anyway); then WriteLine reports EPIPE.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mxsweep::output {

struct FileSinkOptions {
  // force allows replacing an existing file. Off by default: the output of yesterday's
  // million-domain sweep must not vanish because a command line was recalled from history.
  bool force = false;
  // append adds to an existing file (or creates it) instead of starting a new one; for --resume.
  bool append = false;
};

// SinkError is a failed open or write: |code| is the errno value, |message| names the path and
// says what happened.
struct SinkError {
  int code = 0;
  std::string message;
};

class FileSink {
 public:
  // Open opens |path| ("-" means standard output, which ignores |options|). It returns nullptr
  // and fills |*error| when the file exists and neither force nor append is set, or when the
  // system refuses (EACCES, EISDIR, ENOENT, ...).
  static std::unique_ptr<FileSink> Open(const std::string& path, const FileSinkOptions& options,
                                        SinkError* error);

  ~FileSink();
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // WriteLine writes |line|, followed by '\n' unless it already ends with one, as one record.
  // It returns false and fills |*error| if the record could not be written whole (ENOSPC, EIO,
  // EPIPE...). On a regular file a record cut short is cut off again, so the file never ends in
  // a partial line that a later --resume would misread. After an error the sink refuses further
  // writes with the first error.
  bool WriteLine(std::string_view line, SinkError* error);

  // Close closes the file (not stdout) and reports an error the kernel deferred to close(2).
  // The destructor closes too, but cannot report.
  bool Close(SinkError* error);

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return bytes_written_; }
  uint64_t records_written() const { return records_written_; }

 private:
  FileSink(std::string path, int fd, bool owns_fd, bool regular, uint64_t size);
  bool WriteAll(const char* data, size_t size, int* err);

  std::string path_;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool regular_ = false;         // a regular file: a partial record can be truncated away
  uint64_t committed_size_ = 0;  // file size after the last whole record (regular files)
  uint64_t bytes_written_ = 0;
  uint64_t records_written_ = 0;
  SinkError failed_;  // code != 0 once a write has failed
};

}  // namespace mxsweep::output
