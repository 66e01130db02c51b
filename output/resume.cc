#include "output/resume.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/csv_reader.h"

namespace mxsweep::output {
namespace {

// Files are read in pieces of this size: a million-domain CSV is hundreds of megabytes.
constexpr size_t kReadChunk = 1 << 16;
// A first cell longer than this is no domain of ours; it is kept out of the key set.
constexpr size_t kMaxKey = 512;

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

}  // namespace

bool PrepareCsvResume(const std::string& path, CsvResumeState* out, std::string* error) {
  *out = CsvResumeState();
  int fd = -1;
  if (!OpenForResume(path, &fd, &out->existed, error)) return false;
  if (!out->existed) return true;

  // Only the header's text (as written) and each row's first cell (unquoted) are kept.
  CsvReader::Options options;
  options.max_field_bytes = kMaxKey;
  CsvReader csv(options);
  bool first_record = true;
  std::string key;
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
        continue;
      }
      if (event == CsvReader::Event::kNone) continue;
      // A first cell that is cut or malformed is no domain of ours.
      if (csv.field_index() == 0 && !csv.field_cut() && csv.error().empty()) key = csv.field();
      if (event == CsvReader::Event::kRecord) {
        if (!key.empty()) out->keys.insert(std::move(key));
        key.clear();
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
