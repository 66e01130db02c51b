#include "output/resume.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "base/csv_reader.h"

namespace mxsweep::output {
namespace {

// Files are read in pieces of this size: a million-domain CSV is hundreds of megabytes.
constexpr size_t kReadChunk = 1 << 16;
// A cell longer than this is no domain, verdict or input_domain of ours (domain_report.cc
// bounds input_domain at 1000 bytes, plus a quote mark); such a row is left out of the done rows.
constexpr size_t kMaxKey = 1024;

std::string Describe(const std::string& path, std::string_view what, int err) {
  return path + ": " + std::string(what) + ": " + strerror(err);
}

bool OpenForResume(const std::string& path, int* fd, bool* existed, std::string* error) {
  *existed = false;
  do {
    *fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  } while (*fd < 0 && errno == EINTR);
  if (*fd < 0) {
    if (errno == ENOENT) return true;
    *error = Describe(path, "cannot open to resume", errno);
    return false;
  }
  *existed = true;
  return true;
}

bool Cut(int fd, const std::string& path, uint64_t keep, std::string* error) {
  if (ftruncate(fd, static_cast<off_t>(keep)) != 0) {
    *error = Describe(path, "cannot cut the partial last record", errno);
    return false;
  }
  return true;
}

// ReadChunks hands every byte of |fd|, from where it stands to the end, to |chunk| in pieces.
template <typename Chunk>
bool ReadChunks(int fd, const std::string& path, Chunk chunk, std::string* error) {
  char buf[kReadChunk];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = Describe(path, "cannot read to resume", errno);
      return false;
    }
    if (n == 0) return true;
    chunk(buf, static_cast<size_t>(n));
  }
}

// InputDomainColumn finds the input_domain column in |header|: the last one of that name, since
// the carried input columns (which could have any name) all come before it. 0 when none.
size_t InputDomainColumn(const std::string& header) {
  std::vector<std::string> fields;
  std::string ignored;
  ParseCsvRecord(header, &fields, &ignored);
  for (size_t i = fields.size(); i-- > 2;) {
    if (fields[i] == "input_domain") return i;
  }
  return 0;
}

}  // namespace

bool PrepareCsvResume(const std::string& path, CsvResumeState* out, std::string* error) {
  *out = CsvResumeState();
  int fd = -1;
  if (!OpenForResume(path, &fd, &out->existed, error)) return false;
  if (!out->existed) return true;

  // Only the header's text (as written) and, of each row, the cells DoneRows matches by
  // (unquoted) are kept.
  CsvReader::Options options;
  options.max_field_bytes = kMaxKey;
  CsvReader csv(options);
  bool first_record = true;
  size_t input_column = 0;  // 0: the header names no input_domain column (not our CSV)
  std::string domain, verdict, input_domain;
  bool usable = true;  // no kept cell of this record was cut or malformed
  uint64_t offset = 0;
  bool read_ok = ReadChunks(fd, path, [&](const char* buf, size_t n) {
    for (size_t i = 0; i < n; i++, offset++) {
      const CsvReader::Event event = csv.Push(buf[i]);
      if (first_record) {
        if (event != CsvReader::Event::kRecord) {
          out->header.push_back(buf[i]);
          continue;
        }
        if (!out->header.empty() && out->header.back() == '\r') out->header.pop_back();
        first_record = false;
        out->kept_bytes = offset + 1;
        input_column = InputDomainColumn(out->header);
        continue;
      }
      if (event == CsvReader::Event::kNone) continue;
      size_t index = csv.field_index();
      std::string* kept = index == 0              ? &domain
                          : index == 1            ? &verdict
                          : index == input_column ? &input_domain
                                                  : nullptr;
      if (kept != nullptr) {
        if (csv.field_cut() || !csv.error().empty()) usable = false;
        *kept = csv.field();
      }
      if (event == CsvReader::Event::kRecord) {
        if (usable) out->rows.Add(domain, verdict, input_domain);
        domain.clear();
        verdict.clear();
        input_domain.clear();
        usable = true;
        out->kept_bytes = offset + 1;
      }
    }
  }, error);
  if (!read_ok) {
    close(fd);
    return false;
  }
  out->cut_bytes = offset - out->kept_bytes;
  bool ok = out->cut_bytes == 0 || Cut(fd, path, out->kept_bytes, error);
  close(fd);
  return ok;
}

bool PrepareLinesResume(const std::string& path, uint64_t* cut_bytes, std::string* error) {
  *cut_bytes = 0;
  int fd = -1;
  bool existed = false;
  if (!OpenForResume(path, &fd, &existed, error)) return false;
  if (!existed) return true;
  uint64_t offset = 0, kept = 0;
  bool read_ok = ReadChunks(fd, path, [&](const char* buf, size_t n) {
    for (size_t i = 0; i < n; i++) {
      if (buf[i] == '\n') kept = offset + i + 1;
    }
    offset += n;
  }, error);
  if (!read_ok) {
    close(fd);
    return false;
  }
  *cut_bytes = offset - kept;
  bool ok = *cut_bytes == 0 || Cut(fd, path, kept, error);
  close(fd);
  return ok;
}

}  // namespace mxsweep::output
