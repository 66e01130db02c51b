#include "input/domain_input.h"

#include <idn2.h>

#include <cstdlib>
#include <streambuf>

#include "base/sanitize.h"
#include "base/ip_address.h"

namespace mxsweep {
namespace {

// RFC 1035 §2.3.4: 63 octets per label, 255 per name on the wire, which is 253 characters of
// text without the trailing dot.
constexpr size_t kMaxLabel = 63;
constexpr size_t kMaxName = 253;
// How much of an offending line an error message quotes: enough to find it in the file.
constexpr size_t kExcerptBytes = 80;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view text) {
  return "\"" + SanitizeText(text, kExcerptBytes) + "\"";
}

bool Fail(InputErrorKind kind, std::string message, InputErrorKind* out_kind,
          std::string* out_message) {
  *out_kind = kind;
  *out_message = std::move(message);
  return false;
}

// CheckText rejects bytes that have no business in a domain list before anything else looks at
// them: invalid UTF-8 would make libidn2 and the report writers guess, and control characters
// would reach terminals through error messages.
bool CheckText(std::string_view text, InputErrorKind* kind, std::string* message) {
  if (!ValidUtf8(text)) {
    return Fail(InputErrorKind::kInvalidUtf8, "not valid UTF-8: " + Quoted(text), kind, message);
  }
  for (size_t i = 0; i < text.size(); i++) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xc2 && i + 1 < text.size() &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9f;  // U+0080..U+009F
    if ((c < 0x20 && c != '\t') || c == 0x7f || c1) {
      return Fail(InputErrorKind::kControlCharacter, "control character in " + Quoted(text), kind,
                  message);
    }
  }
  return true;
}

bool IsLdhOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// CheckHostName validates the lower-case ASCII form.
bool CheckHostName(std::string_view name, std::string_view original, InputErrorKind* kind,
                   std::string* message) {
  if (name.size() > kMaxName) {
    return Fail(InputErrorKind::kNameTooLong,
                "name longer than 253 characters (" + std::to_string(name.size()) +
                    "): " + Quoted(original),
                kind, message);
  }
  size_t labels = 0;
  std::string_view last;
  std::string_view rest = name;
  while (true) {
    size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty()) {
      return Fail(InputErrorKind::kEmptyLabel, "empty label in " + Quoted(original), kind, message);
    }
    if (label.size() > kMaxLabel) {
      return Fail(InputErrorKind::kLabelTooLong,
                  "label longer than 63 characters (" + std::to_string(label.size()) + ") in " +
                      Quoted(original),
                  kind, message);
    }
    for (char c : label) {
      if (!IsLdhOrUnderscore(c)) {
        return Fail(InputErrorKind::kBadCharacter,
                    "character " + Quoted(std::string_view(&c, 1)) +
                        " not allowed in a host name: " + Quoted(original),
                    kind, message);
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return Fail(InputErrorKind::kHyphenAtEdge,
                  "label " + Quoted(label) + " starts or ends with a hyphen in " + Quoted(original),
                  kind, message);
    }
    labels++;
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (labels < 2) {
    return Fail(InputErrorKind::kSingleLabel,
                "single-label name " + Quoted(original) + ": a mail domain has at least two labels",
                kind, message);
  }
  if (last.find_first_not_of("0123456789") == std::string_view::npos) {
    return Fail(
        InputErrorKind::kNumericTld,
        "all-numeric top-level label in " + Quoted(original) + " (an IPv4 address is not a domain)",
        kind, message);
  }
  return true;
}

bool IsIpLiteral(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') return true;
  IpAddress addr;
  return IpAddress::Parse(text, &addr);
}

// ToALabels converts a name with non-ASCII characters with libidn2.
bool ToALabels(std::string_view text, std::string* out, InputErrorKind* kind,
               std::string* message) {
  std::string input(text);
  char* ascii = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &ascii, IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    return Fail(
        InputErrorKind::kIdna,
        std::string("internationalised name rejected (") + idn2_strerror(rc) + "): " + Quoted(text),
        kind, message);
  }
  out->assign(ascii);
  idn2_free(ascii);
  // UTS #46 mapping already lower-cases, but ASCII letters next to non-ASCII ones are left to
  // us in some libidn2 versions; lower-casing an A-label is always safe.
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return true;
}

}  // namespace

std::string_view InputErrorKindName(InputErrorKind kind) {
  switch (kind) {
    case InputErrorKind::kLineTooLong: return "line-too-long";
    case InputErrorKind::kInvalidUtf8: return "invalid-utf8";
    case InputErrorKind::kControlCharacter: return "control-character";
    case InputErrorKind::kEmptyLabel: return "empty-label";
    case InputErrorKind::kLabelTooLong: return "label-too-long";
    case InputErrorKind::kNameTooLong: return "name-too-long";
    case InputErrorKind::kBadCharacter: return "bad-character";
    case InputErrorKind::kHyphenAtEdge: return "hyphen-at-edge";
    case InputErrorKind::kSingleLabel: return "single-label";
    case InputErrorKind::kNumericTld: return "numeric-tld";
    case InputErrorKind::kIpLiteral: return "ip-literal";
    case InputErrorKind::kEmailAddress: return "email-address";
    case InputErrorKind::kIdna: return "idna";
    case InputErrorKind::kCsvSyntax: return "csv-syntax";
    case InputErrorKind::kCsvFieldCount: return "csv-field-count";
    case InputErrorKind::kMissingDomain: return "missing-domain";
  }
  return "unknown";
}

std::string FormatInputError(const InputError& error) {
  return "line " + std::to_string(error.line) + ": " + error.message + " (" +
         std::string(InputErrorKindName(error.kind)) + ")";
}

bool ValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      len = 2, cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3, cp = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4, cp = b0 & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (size_t k = 1; k < len; k++) {
      unsigned char b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xc0) != 0x80) return false;
      cp = cp << 6 | (b & 0x3f);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

bool NormaliseDomain(std::string_view text, std::string* out, InputErrorKind* kind,
                     std::string* message) {
  std::string_view original = text;
  if (!CheckText(text, kind, message)) return false;
  if (text.find('@') != std::string_view::npos) {
    return Fail(InputErrorKind::kEmailAddress,
                "looks like an e-mail address, give only the part after '@': " + Quoted(text), kind,
                message);
  }
  if (IsIpLiteral(text)) {
    return Fail(InputErrorKind::kIpLiteral,
                "IP address " + Quoted(text) + " is not a domain (MX records belong to names)",
                kind, message);
  }
  // One trailing dot is the absolute form of the same name; more would be an empty label.
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty()) {
    return Fail(InputErrorKind::kEmptyLabel, "empty name " + Quoted(original), kind, message);
  }
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  }
  std::string name;
  if (ascii) {
    name.assign(text);
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    // Structural errors first: libidn2's messages for them are vaguer than ours.
    if (text.front() == '.' || text.find("..") != std::string_view::npos) {
      return Fail(InputErrorKind::kEmptyLabel, "empty label in " + Quoted(original), kind, message);
    }
    if (!ToALabels(text, &name, kind, message)) return false;
  }
  if (!CheckHostName(name, original, kind, message)) return false;
  *out = std::move(name);
  return true;
}

LineKind ParseDomainLine(std::string_view line, std::string* out_domain, InputErrorKind* kind,
                         std::string* message) {
  std::string_view text = Trim(line);
  if (text.empty() || text.front() == '#') return LineKind::kSkip;
  // A trailing comment needs whitespace before '#', so that "a#b" is reported, not cut.
  for (size_t i = 1; i < text.size(); i++) {
    if (text[i] == '#' && IsSpace(text[i - 1])) {
      text = Trim(text.substr(0, i));
      break;
    }
  }
  if (text.find_first_of(" \t") != std::string_view::npos) {
    Fail(InputErrorKind::kBadCharacter,
         "more than one word on the line, give one domain per line: " + Quoted(text), kind,
         message);
    return LineKind::kError;
  }
  if (text.find(',') != std::string_view::npos && ValidUtf8(text)) {
    Fail(InputErrorKind::kBadCharacter,
         "comma in " + Quoted(text) +
             " (a CSV input needs a header row with a 'domain' column on its first line)",
         kind, message);
    return LineKind::kError;
  }
  if (!NormaliseDomain(text, out_domain, kind, message)) return LineKind::kError;
  return LineKind::kDomain;
}

namespace {

// EndsInsideQuotedField reports whether |record| stops inside a quoted field, so that the
// record goes on past the line break. Only a quote that opens a field counts: a stray quote in an
// unquoted field (acme.example,3.5" disk) is that record's error, not a reason to swallow the
// lines after it.
bool EndsInsideQuotedField(std::string_view record) {
  size_t i = 0;
  while (true) {
    while (i < record.size() && record[i] == ' ') i++;
    if (i < record.size() && record[i] == '"') {
      i++;
      while (true) {
        if (i >= record.size()) return true;
        if (record[i] == '"') {
          if (i + 1 < record.size() && record[i + 1] == '"') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
    }
    while (i < record.size() && record[i] != ',') i++;
    if (i >= record.size()) return false;
    i++;  // the comma
  }
}

}  // namespace

bool ParseCsvRecord(std::string_view record, std::vector<std::string>* fields,
                    std::string* message) {
  fields->clear();
  size_t i = 0;
  while (true) {
    std::string field;
    size_t start = i;
    while (i < record.size() && record[i] == ' ') i++;
    if (i < record.size() && record[i] == '"') {
      i++;
      while (true) {
        if (i >= record.size()) {
          *message = "unterminated quoted field";
          return false;
        }
        if (record[i] == '"') {
          if (i + 1 < record.size() && record[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field.push_back(record[i++]);
      }
      while (i < record.size() && record[i] == ' ') i++;
      if (i < record.size() && record[i] != ',') {
        *message = "text after the closing quote of field " + std::to_string(fields->size() + 1);
        return false;
      }
    } else {
      i = start;
      while (i < record.size() && record[i] != ',') {
        if (record[i] == '"') {
          *message = "quote inside unquoted field " + std::to_string(fields->size() + 1);
          return false;
        }
        field.push_back(record[i++]);
      }
    }
    fields->push_back(std::move(field));
    if (i >= record.size()) return true;
    i++;  // the comma
  }
}

DomainReader::DomainReader(std::istream* in, DomainReaderOptions options)
    : in_(in), options_(options) {}

bool DomainReader::ReadLine(std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* buf = in_->rdbuf();
  if (buf == nullptr) return false;
  using Traits = std::streambuf::traits_type;
  Traits::int_type c = buf->sbumpc();
  if (Traits::eq_int_type(c, Traits::eof())) return false;
  line_no_++;
  while (!Traits::eq_int_type(c, Traits::eof()) && Traits::to_char_type(c) != '\n') {
    // Keep consuming an over-long line so the next call starts at the next line, but stop
    // storing it.
    if (line->size() < options_.max_line_bytes) {
      line->push_back(Traits::to_char_type(c));
    } else {
      *too_long = true;
    }
    c = buf->sbumpc();
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  if (line_no_ == 1 && line->compare(0, 3, "\xef\xbb\xbf") == 0) line->erase(0, 3);  // BOM
  return true;
}

bool DomainReader::DetectForm(std::string_view line) {
  std::string_view text = Trim(line);
  if (text.empty() || text.front() == '#') return false;  // not decided yet
  form_known_ = true;
  std::vector<std::string> fields;
  std::string message;
  bool header = false;
  if (ValidUtf8(text) && ParseCsvRecord(text, &fields, &message)) {
    bool has_comma = text.find(',') != std::string_view::npos;
    for (size_t i = 0; i < fields.size(); i++) {
      std::string name(Trim(fields[i]));
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (name == "domain" && (has_comma || fields.size() == 1)) {
        header = true;
        domain_column_ = i;
        break;
      }
    }
  }
  if (!header) return false;
  csv_mode_ = true;
  for (const std::string& f : fields) header_.emplace_back(Trim(f));
  return true;
}

DomainReader::Result DomainReader::Error(size_t line, InputErrorKind kind, std::string message,
                                         InputError* err) {
  errors_++;
  err->line = line;
  err->kind = kind;
  err->message = std::move(message);
  return Result::kError;
}

bool DomainReader::Accept(std::string domain, size_t line,
                          std::vector<std::pair<std::string, std::string>> columns,
                          DomainEntry* out) {
  if (!seen_.insert(domain).second) {
    duplicates_++;
    return false;
  }
  entries_++;
  out->domain = std::move(domain);
  out->line = line;
  out->columns = std::move(columns);
  return true;
}

namespace {

// Deliver stores a result for DomainReader::CsvRecord: "there is something to hand out".
bool Deliver(DomainReader::Result* slot, DomainReader::Result result) {
  *slot = result;
  return true;
}

}  // namespace

bool DomainReader::CsvRecord(std::string record, size_t line, DomainEntry* out, InputError* err,
                             Result* result) {
  InputErrorKind kind;
  std::string message;
  if (!CheckText(record, &kind, &message)) {
    // Line breaks inside quoted fields are legitimate CSV, not control characters.
    bool only_breaks = true;
    for (char c : record) {
      unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) only_breaks = false;
    }
    if (kind != InputErrorKind::kControlCharacter || !only_breaks) {
      return Deliver(result, Error(line, kind, std::move(message), err));
    }
  }
  std::vector<std::string> fields;
  if (!ParseCsvRecord(record, &fields, &message)) {
    return Deliver(result,
                   Error(line, InputErrorKind::kCsvSyntax, message + ": " + Quoted(record), err));
  }
  if (fields.size() > header_.size()) {
    return Deliver(result, Error(line, InputErrorKind::kCsvFieldCount,
                                 std::to_string(fields.size()) + " fields but the header has " +
                                     std::to_string(header_.size()) + ": " + Quoted(record),
                                 err));
  }
  // Spreadsheets drop trailing empty cells when they save: missing fields are empty.
  fields.resize(header_.size());
  std::string_view cell = Trim(fields[domain_column_]);
  if (cell.empty()) {
    return Deliver(result, Error(line, InputErrorKind::kMissingDomain,
                                 "empty domain cell: " + Quoted(record), err));
  }
  std::string domain;
  if (!NormaliseDomain(cell, &domain, &kind, &message)) {
    return Deliver(result, Error(line, kind, std::move(message), err));
  }
  std::vector<std::pair<std::string, std::string>> columns;
  for (size_t i = 0; i < header_.size(); i++) {
    if (i != domain_column_) columns.emplace_back(header_[i], std::move(fields[i]));
  }
  if (!Accept(std::move(domain), line, std::move(columns), out)) return false;
  *result = Result::kEntry;
  return true;
}

DomainReader::Result DomainReader::Next(DomainEntry* out, InputError* err) {
  std::string line;
  bool too_long;
  while (ReadLine(&line, &too_long)) {
    size_t first_line = line_no_;
    if (too_long) {
      return Error(first_line, InputErrorKind::kLineTooLong,
                   "line longer than " + std::to_string(options_.max_line_bytes) +
                       " bytes, starting " + Quoted(line),
                   err);
    }
    if (!form_known_ && DetectForm(line)) continue;  // that was the CSV header
    if (csv_mode_) {
      std::string_view text = Trim(line);
      if (text.empty() || text.front() == '#') continue;
      // A quoted field may hold line breaks: a record that ends inside one goes on.
      std::string record = std::move(line);
      bool cut = false;
      while (EndsInsideQuotedField(record)) {
        std::string more;
        if (!ReadLine(&more, &too_long)) break;
        if (too_long || record.size() + 1 + more.size() > options_.max_line_bytes) {
          cut = true;
          break;
        }
        record += '\n';
        record += more;
      }
      if (cut) {
        return Error(first_line, InputErrorKind::kLineTooLong,
                     "CSV record longer than " + std::to_string(options_.max_line_bytes) +
                         " bytes, starting " + Quoted(record),
                     err);
      }
      Result r;
      if (!CsvRecord(std::move(record), first_line, out, err, &r)) continue;
      return r;
    } else {
      std::string domain;
      InputErrorKind kind;
      std::string message;
      switch (ParseDomainLine(line, &domain, &kind, &message)) {
        case LineKind::kSkip: continue;
        case LineKind::kError: return Error(first_line, kind, std::move(message), err);
        case LineKind::kDomain: break;
      }
      if (Accept(std::move(domain), first_line, {}, out)) return Result::kEntry;
    }
  }
  return Result::kEnd;
}

}  // namespace mxsweep
