#include "output/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace mxsweep::output {
namespace {

std::string DisplayPath(const std::string& path) { return path == "-" ? "<stdout>" : path; }

void Fill(SinkError* error, int code, const std::string& path, std::string_view what) {
  if (error == nullptr) return;
  error->code = code;
  error->message = DisplayPath(path);
  error->message += ": ";
  error->message += what;
  if (code != 0) {
    error->message += ": ";
    error->message += strerror(code);
  }
}

}  // namespace

FileSink::FileSink(std::string path, int fd, bool owns_fd, bool regular, uint64_t size)
    : path_(std::move(path)),
      fd_(fd),
      owns_fd_(owns_fd),
      regular_(regular),
      committed_size_(size) {}

FileSink::~FileSink() {
  if (owns_fd_ && fd_ >= 0) close(fd_);
}

std::unique_ptr<FileSink> FileSink::Open(const std::string& path, const FileSinkOptions& options,
                                         SinkError* error) {
  if (path.empty()) {
    Fill(error, EINVAL, path, "no output path given");
    return nullptr;
  }
  if (path == "-") {
    // stdout is never truncated, even when redirected to a file: the shell owns that file and
    // may share it with other commands' output.
    return std::unique_ptr<FileSink>(new FileSink(path, STDOUT_FILENO, false, false, 0));
  }

  int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
  if (options.append) {
    flags |= O_APPEND;
  } else if (options.force) {
    flags |= O_TRUNC;
  } else {
    // O_EXCL makes "does it exist?" and "create it" one step: no window in which another
    // process's file could be replaced.
    flags |= O_EXCL;
  }
  int fd;
  do {
    fd = open(path.c_str(), flags, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST) {
      Fill(error, err, path,
           "already exists; refusing to overwrite it (use --force to replace it or --resume to "
           "append)");
    } else {
      Fill(error, err, path, "cannot open for writing");
    }
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    Fill(error, err, path, "cannot stat");
    return nullptr;
  }
  bool regular = S_ISREG(st.st_mode);
  uint64_t size = regular ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<FileSink>(new FileSink(path, fd, true, regular, size));
}

bool FileSink::WriteAll(const char* data, size_t size, int* err) {
  while (size > 0) {
    ssize_t n = write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    if (n == 0) {  // not expected from write(2) on a file; never spin on it
      *err = EIO;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
  }
  return true;
}

bool FileSink::WriteLine(std::string_view line, SinkError* error) {
  if (failed_.code != 0) {
    if (error != nullptr) *error = failed_;
    return false;
  }
  if (fd_ < 0) {
    Fill(error, EBADF, path_, "write after close");
    return false;
  }
  int err = 0;
  bool ok;
  size_t record_size = line.size();
  if (!line.empty() && line.back() == '\n') {
    ok = WriteAll(line.data(), line.size(), &err);
  } else {
    record_size++;
    // One buffer so that the record is one write(2) in the common case, never a line whose
    // newline is still missing when the process is killed.
    std::string record;
    record.reserve(line.size() + 1);
    record.append(line);
    record.push_back('\n');
    ok = WriteAll(record.data(), record.size(), &err);
  }
  if (!ok) {
    Fill(&failed_, err, path_, "write failed");
    if (regular_) {
      // Best effort: if this fails too the first error is still the one worth reporting.
      int rc = ftruncate(fd_, static_cast<off_t>(committed_size_));
      (void)rc;
    }
    if (error != nullptr) *error = failed_;
    return false;
  }
  committed_size_ += record_size;
  records_written_++;
  return true;
}

bool FileSink::Close(SinkError* error) {
  if (fd_ < 0 || !owns_fd_) {
    fd_ = -1;
    return true;
  }
  int fd = fd_;
  fd_ = -1;
  // close(2) must not be retried on EINTR on Linux: the descriptor is gone either way.
  if (close(fd) != 0) {
    Fill(error, errno, path_, "close failed");
    return false;
  }
  return true;
}

}  // namespace mxsweep::output
