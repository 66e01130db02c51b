// domain_input.h: the list of domains to sweep, read incrementally from a file or stdin.
//
// Two forms are accepted:
//   - one domain per line: blank lines and `#` comments (a whole line, or after whitespace at
//     the end of a line) are skipped, surrounding whitespace and one trailing dot are dropped;
//   - CSV (RFC 4180) whose header row has a `domain` column (any case); the other columns are
//     carried, as (header, value) pairs, to the report so that outreach keeps the user's own
//     fields (partner name, contact, ticket...).
// The form is decided by the first line that is neither blank nor a comment: CSV when it contains
// a comma and a field named `domain` (or is exactly `domain`), one-per-line otherwise.
//
// Names are lower-cased, internationalised names become A-labels (UTS #46 non-transitional, as
// browsers and mail systems look them up), and the result must be a host name DNS can ask for.
//
// Every data row (not the CSV header, not blank lines or comments) comes out once, so that the
// report can account for each: a good row as a domain to sweep, a bad row as an error record
// with its line number (the caller reports it and reads on), and a row whose domain an earlier
// row already names as a duplicate that points at that row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mxsweep {

enum class InputErrorKind : uint8_t {
  kLineTooLong,       // longer than DomainReaderOptions::max_line_bytes
  kInvalidUtf8,       // not UTF-8
  kControlCharacter,  // a control character other than TAB
  kEmptyLabel,        // "a..b", ".a.b", "a.b.."
  kLabelTooLong,      // a label over 63 octets (RFC 1035 §2.3.4)
  kNameTooLong,       // a name over 253 octets in text form (RFC 1035 §2.3.4, less the root)
  kBadCharacter,      // outside letters, digits, hyphen, underscore
  kHyphenAtEdge,      // a label starting or ending with '-'
  kSingleLabel,       // "localhost", "com": not a partner's mail domain
  kNumericTld,        // the last label is all digits: an IPv4 address or a typo
  kIpLiteral,         // "192.0.2.1", "[2001:db8::1]": no MX lookup possible
  kEmailAddress,      // "user@example.com": the domain is wanted
  kIdna,              // libidn2 refused the internationalised name
  kCsvSyntax,         // an unterminated or malformed quoted field
  kCsvFieldCount,     // more fields than the header has
  kMissingDomain,     // a CSV row whose domain cell is empty
};

// InputErrorKindName returns a stable, lower-case, hyphenated name for |kind|.
std::string_view InputErrorKindName(InputErrorKind kind);

// InputError describes one rejected line. |message| quotes the offending text sanitised, so it
// can be printed to a terminal as it is.
struct InputError {
  size_t line = 0;  // 1-based physical line number (the first line of a multi-line CSV record)
  InputErrorKind kind = InputErrorKind::kBadCharacter;
  std::string message;
};

// FormatInputError returns "line N: message (kind)".
std::string FormatInputError(const InputError& error);

// RowKind says what an input row is for the report.
enum class RowKind : uint8_t {
  kDomain,     // a domain to sweep
  kInvalid,    // no usable domain: DomainEntry::error says why (verdict INVALID_INPUT)
  kDuplicate,  // names the domain of an earlier row, DomainEntry::first_line (verdict DUPLICATE)
};

struct DomainEntry {
  std::string domain;  // lower-case A-label form, no trailing dot; empty for kInvalid
  // input_domain is the row's domain cell as written, trimmed: Unicode, case and trailing dot
  // kept. Empty when the row could not be read into cells (a line over the length bound).
  std::string input_domain;
  size_t line = 0;
  // The CSV columns other than `domain`, in header order, values unquoted but otherwise as
  // written. Empty in one-per-line mode. For a kInvalid row, best effort: the cells by their
  // place (a row with an extra cell loses it), or none when the row could not be read.
  std::vector<std::pair<std::string, std::string>> columns;
  RowKind kind = RowKind::kDomain;
  InputError error;       // kInvalid: why the row is not usable
  size_t first_line = 0;  // kDuplicate: the line of the row that carries this domain's verdict
};

// NormaliseDomain turns |text| (already trimmed) into the lower-case A-label form of a host name
// and validates it. It returns false and fills |*kind| and |*message| when |text| is not one.
bool NormaliseDomain(std::string_view text, std::string* out, InputErrorKind* kind,
                     std::string* message);

enum class LineKind : uint8_t { kDomain, kSkip, kError };

// The RFC 4180 record parser (ParseCsvRecord) is base/csv_reader.h; UTF-8 checks base/utf8.h.

// ParseDomainLine parses one line of the one-per-line form (without its line terminator):
// kDomain with |*out_domain| set, kSkip for a blank or comment line, or kError with |*kind| and
// |*message| set. |*out_text|, when given, receives the line's domain text as written (trimmed,
// a trailing comment removed) for kDomain and kError. It is what DomainReader uses, exposed for
// tests and fuzzers.
LineKind ParseDomainLine(std::string_view line, std::string* out_domain, InputErrorKind* kind,
                         std::string* message, std::string* out_text = nullptr);

struct DomainReaderOptions {
  // max_line_bytes bounds one line (or one CSV record). 4096 is sixteen times the longest
  // possible domain name and leaves room for a row of carried columns, yet keeps one bad input
  // (a binary file, a line without newlines) from growing memory without limit.
  size_t max_line_bytes = 4096;
};

// DomainReader reads entries one at a time from a stream it does not own, holding one line in
// memory plus the names already returned with their lines (for de-duplication).
class DomainReader {
 public:
  enum class Result : uint8_t { kEntry, kError, kDuplicate, kEnd };

  explicit DomainReader(std::istream* in, DomainReaderOptions options = {});

  // Next returns the next data row: kEntry (a domain to sweep), kError (|*err| says why; reading
  // may go on) or kDuplicate (a domain an earlier row names), each with |*out| filled and its
  // |kind| set to match; or kEnd at the end of the input.
  Result Next(DomainEntry* out, InputError* err);

  bool csv_mode() const { return csv_mode_; }
  // header returns the CSV header fields (trimmed), empty in one-per-line mode.
  const std::vector<std::string>& header() const { return header_; }
  // entries, errors and duplicates count the rows Next returned as each kind; together they
  // are the input's data rows read so far.
  size_t entries() const { return entries_; }
  size_t errors() const { return errors_; }
  size_t duplicates() const { return duplicates_; }
  size_t rows() const { return entries_ + errors_ + duplicates_; }
  size_t lines_read() const { return line_no_; }
  // form_line is the line that decided the form (trimmed), and form_line_no its number; empty
  // and 0 until then. The caller uses it to say why a list yields no domain at all.
  const std::string& form_line() const { return form_line_; }
  size_t form_line_no() const { return form_line_no_; }

 private:
  // ReadLine reads one physical line without its terminator. It returns false at the end of
  // input; |*too_long| is set when the line was cut at the bound (the rest is consumed).
  bool ReadLine(std::string* line, bool* too_long);
  bool DetectForm(std::string_view line);
  // ReadCsvRecord completes |*record|, which starts with one line, with the lines a quoted field
  // spans, and tokenises it into |*fields| (|*syntax_error| is "" or CsvReader's error). It
  // returns false when the record outgrows DomainReaderOptions::max_line_bytes.
  bool ReadCsvRecord(std::string* record, std::vector<std::string>* fields,
                     std::string* syntax_error);
  Result CsvRecord(const std::string& record, std::vector<std::string> fields,
                   const std::string& syntax_error, size_t line, DomainEntry* out, InputError* err);
  // CarriedCells pairs |fields| (one record's cells, by place) with the header's names, less
  // the domain column.
  std::vector<std::pair<std::string, std::string>> CarriedCells(std::vector<std::string> fields) const;
  // Error fills |*err| and |*out| (already holding what is known of the row) for a bad row.
  Result Error(size_t line, InputErrorKind kind, std::string message, DomainEntry* out,
               InputError* err);
  // Accept hands out |domain|: kEntry the first time, kDuplicate after that.
  Result Accept(std::string domain, size_t line, DomainEntry* out);

  std::istream* in_;
  DomainReaderOptions options_;
  bool form_known_ = false;
  bool csv_mode_ = false;
  std::vector<std::string> header_;
  size_t domain_column_ = 0;
  std::string form_line_;
  size_t form_line_no_ = 0;
  size_t line_no_ = 0;
  size_t entries_ = 0;
  size_t errors_ = 0;
  size_t duplicates_ = 0;
  std::unordered_map<std::string, size_t> seen_;  // domain -> the line of its first row
};

}  // namespace mxsweep
