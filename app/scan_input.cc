#include "app/scan_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "app/options.h"
#include "base/ascii.h"

namespace mxsweep::app {

std::unique_ptr<ScanInput> ScanInput::Open(const std::string& path, std::istream* override_stream,
                                           std::string* error, int* exit_code) {
  std::unique_ptr<ScanInput> input(new ScanInput());
  if (override_stream != nullptr) {
    input->in_ = override_stream;
    return input;
  }
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      *error = "cannot read " + path + ": " + std::strerror(errno);
      *exit_code = kExitUsage;
      return nullptr;
    }
    input->fd_ = fd;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (path == "-") {
      input->in_ = &std::cin;
      return input;
    }
    close(input->fd_);
    input->fd_ = -1;
    input->file_.open(path);
    if (!input->file_) {
      *error = "cannot read " + path + ": " + std::strerror(errno);
      *exit_code = kExitUsage;
      return nullptr;
    }
    input->in_ = &input->file_;
    return input;
  }
  input->piped_ = CancellableInput::Create(fd, error);
  if (!input->piped_) {
    *exit_code = kExitError;
    return nullptr;
  }
  input->in_ = &input->piped_->stream();
  return input;
}

ScanInput::~ScanInput() {
  // The stream over the descriptor goes first: it reads from it.
  piped_.reset();
  if (fd_ > STDIN_FILENO) close(fd_);
}

bool ReaderSource::Next(DomainEntry* out) {
  for (;;) {
    InputError error;
    DomainReader::Result r = reader_.Next(out, &error);
    if (r == DomainReader::Result::kError) {
      std::fprintf(stderr, "mxsweep scan: %s:%s\n", name_.c_str(), FormatInputError(error).c_str());
      continue;
    }
    if (on_first_) {
      auto first = std::move(on_first_);
      on_first_ = nullptr;
      first(reader_);
    }
    if (r == DomainReader::Result::kEntry && already_done_ != nullptr &&
        already_done_->count(out->domain) != 0) {
      resumed_++;  // its row is in the output already (--resume)
      continue;
    }
    return r == DomainReader::Result::kEntry;
  }
}

bool HeaderOnFirstPull::Next(DomainEntry* out) {
  bool more = inner_.Next(out);
  RunFirst();
  return more;
}

SourcePull HeaderOnFirstPull::Pull(DomainEntry* out) {
  SourcePull pull = inner_.Pull(out);
  if (pull != SourcePull::kLater) RunFirst();
  return pull;
}

void HeaderOnFirstPull::RunFirst() {
  if (!on_first_) return;
  auto first = std::move(on_first_);
  on_first_ = nullptr;
  first();
}

std::vector<std::string> CarriedColumns(const DomainReader& reader) {
  std::vector<std::string> carried;
  if (!reader.csv_mode()) return carried;
  for (const std::string& column : reader.header()) {
    if (LowerAscii(column) != "domain") carried.push_back(column);
  }
  return carried;
}

}  // namespace mxsweep::app
