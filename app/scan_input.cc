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
  bool stat_ok = fstat(fd, &st) == 0;
  // Zero domains is a usage error (issue 15): said here when the file shows it up front.
  const std::string name = path == "-" ? "standard input" : path;
  if (stat_ok && S_ISDIR(st.st_mode)) {
    *error = name + " is a directory; scan reads a file of domains, one per line, or a CSV";
    *exit_code = kExitUsage;
    return nullptr;
  }
  if (stat_ok && S_ISREG(st.st_mode) && st.st_size == 0) {
    *error = name + " is empty: no domains to sweep";
    *exit_code = kExitUsage;
    return nullptr;
  }
  if (stat_ok && S_ISREG(st.st_mode)) {
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
  InputError error;
  DomainReader::Result r = reader_.Next(out, &error);
  if (r == DomainReader::Result::kError) {
    if (reader_.entries() == 0 && !reader_.csv_mode() && error.line == reader_.form_line_no()) {
      // The line that decides the form is no domain and no CSV header: every line after it
      // would fail the same way, one message each. Say why once, and read no further.
      refusal_ = NotAListReason(reader_.form_line(), reader_.form_line_no());
      if (!refusal_.empty()) return false;
    }
    std::fprintf(stderr, "mxsweep scan: %s:%s\n", name_.c_str(), FormatInputError(error).c_str());
  }
  if (on_first_) {
    auto first = std::move(on_first_);
    on_first_ = nullptr;
    first(reader_);
  }
  return r != DomainReader::Result::kEnd;
}

std::string ReaderSource::NoDomainsReason() const {
  const std::string name = name_ == "-" ? "standard input" : name_;
  if (!refusal_.empty()) return name + ": " + refusal_;
  if (reader_.entries() != 0) return "";
  if (reader_.errors() != 0) {
    return name + ": no line holds a usable domain (" + std::to_string(reader_.errors()) +
           " bad lines, reported above)";
  }
  if (reader_.lines_read() == 0) return name + ": empty, no domains to sweep";
  return name + ": no domains, only blank lines and comments";
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

namespace {

bool HasFieldNamedDomain(std::string_view line, char separator) {
  size_t start = 0;
  for (;;) {
    size_t end = line.find(separator, start);
    std::string_view field = line.substr(start, end == std::string_view::npos ? end : end - start);
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.front() == '"')) {
      field.remove_prefix(1);
    }
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '"')) {
      field.remove_suffix(1);
    }
    if (LowerAscii(field) == "domain") return true;
    if (end == std::string_view::npos) return false;
    start = end + 1;
  }
}

// Excerpt quotes the start of |line| with control bytes replaced: it reaches a terminal.
std::string Excerpt(std::string_view line) {
  constexpr size_t kExcerptBytes = 80;  // enough to recognise the line in the file
  std::string out = "\"";
  for (char c : line.substr(0, kExcerptBytes)) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (line.size() > kExcerptBytes) out += "...";
  return out + "\"";
}

}  // namespace

std::string NotAListReason(std::string_view line, size_t line_no) {
  std::string where = "line " + std::to_string(line_no) + " " + Excerpt(line);
  if (line.find(';') != std::string_view::npos && HasFieldNamedDomain(line, ';')) {
    return "looks like a ';'-separated CSV (" + where +
           "); mxsweep reads ','-separated CSV only: save the list with ',' as the separator";
  }
  // Column names, not a mistyped domain ("example.com," must not cost the rest of a good list):
  // no dot anywhere.
  if ((line.find(',') != std::string_view::npos || line.find(';') != std::string_view::npos) &&
      line.find('.') == std::string_view::npos) {
    return where + " is neither a domain nor a CSV header with a `domain` column; a CSV list " +
           "needs a ','-separated header row that names its `domain` column";
  }
  return "";
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
