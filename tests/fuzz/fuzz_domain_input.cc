// fuzz_domain_input: the domain-list reader (one per line or CSV with a domain column).
//
// The whole input is the list file. Invariants checked: every entry is a lower-case host name of
// at most 253 octets made of letters, digits, '-', '_' and dots; the reader ends; and the CSV
// record parser, run on the same bytes, never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "base/csv_reader.h"
#include "base/utf8.h"
#include "input/domain_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  mxsweep::DomainReaderOptions options;
  options.max_line_bytes = 512;  // small, so the fuzzer reaches the bound
  mxsweep::DomainReader reader(&in, options);
  for (size_t steps = 0;; steps++) {
    if (steps > size + 2) std::abort();  // every call consumes at least one line or ends
    mxsweep::DomainEntry entry;
    mxsweep::InputError error;
    mxsweep::DomainReader::Result r = reader.Next(&entry, &error);
    if (r == mxsweep::DomainReader::Result::kEnd) break;
    if (r == mxsweep::DomainReader::Result::kError) {
      // A bad row is still a row of the report: it says why, and names no domain.
      if (error.message.empty() || entry.kind != mxsweep::RowKind::kInvalid || !entry.domain.empty()) std::abort();
      continue;
    }
    if (r == mxsweep::DomainReader::Result::kDuplicate && entry.first_line >= entry.line) std::abort();
    if (entry.domain.empty() || entry.domain.size() > 253) std::abort();
    for (char c : entry.domain) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) std::abort();
    }
  }
  std::vector<std::string> fields;
  std::string message;
  mxsweep::ParseCsvRecord(text, &fields, &message);
  mxsweep::ValidUtf8(text);
  return 0;
}
