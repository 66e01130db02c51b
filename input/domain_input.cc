// domain_input.cc: DomainReader, the list read line by line (or CSV record by record). The
// rules for one name are in domain_name.cc, the RFC 4180 tokenizer in base/csv_reader.
#include "input/domain_input.h"

#include <streambuf>

#include "base/ascii.h"
#include "base/csv_reader.h"
#include "base/utf8.h"
#include "input/input_text.h"

namespace mxsweep {

using input_text::Quoted;
using input_text::Trim;

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
  form_line_ = std::string(text);
  form_line_no_ = line_no_;
  std::vector<std::string> fields;
  std::string message;
  bool header = false;
  if (ValidUtf8(text) && ParseCsvRecord(text, &fields, &message)) {
    bool has_comma = text.find(',') != std::string_view::npos;
    for (size_t i = 0; i < fields.size(); i++) {
      if (EqualsIgnoringAsciiCase(Trim(fields[i]), "domain") && (has_comma || fields.size() == 1)) {
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
                                         DomainEntry* out, InputError* err) {
  errors_++;
  err->line = line;
  err->kind = kind;
  err->message = std::move(message);
  out->domain.clear();
  out->line = line;
  out->kind = RowKind::kInvalid;
  out->error = *err;
  return Result::kError;
}

DomainReader::Result DomainReader::Accept(std::string domain, size_t line, DomainEntry* out) {
  out->line = line;
  auto [it, first] = seen_.emplace(domain, line);
  out->domain = std::move(domain);
  if (!first) {
    duplicates_++;
    out->kind = RowKind::kDuplicate;
    out->first_line = it->second;
    return Result::kDuplicate;
  }
  entries_++;
  out->kind = RowKind::kDomain;
  return Result::kEntry;
}

std::vector<std::pair<std::string, std::string>> DomainReader::CarriedCells(
    std::vector<std::string> fields) const {
  std::vector<std::pair<std::string, std::string>> columns;
  // Spreadsheets drop trailing empty cells when they save: missing fields are empty.
  fields.resize(header_.size());
  for (size_t i = 0; i < header_.size(); i++) {
    if (i != domain_column_) columns.emplace_back(header_[i], std::move(fields[i]));
  }
  return columns;
}

bool DomainReader::ReadCsvRecord(std::string* record, std::vector<std::string>* fields,
                                 std::string* syntax_error) {
  CsvReader::Options options;
  options.newline_ends_record = false;  // ReadLine cuts lines; the tokenizer says if one goes on
  CsvReader csv(options);
  fields->clear();
  auto push = [&](std::string_view text) {
    for (char c : text) {
      if (csv.Push(c) == CsvReader::Event::kField) fields->push_back(csv.field());
    }
  };
  push(*record);
  // A quoted field may hold line breaks: a record that ends inside one goes on.
  while (csv.in_quoted_field()) {
    std::string more;
    bool too_long;
    if (!ReadLine(&more, &too_long)) break;
    if (too_long || record->size() + 1 + more.size() > options_.max_line_bytes) return false;
    *record += '\n';
    *record += more;
    push("\n");
    push(more);
  }
  csv.Finish();
  fields->push_back(csv.field());
  *syntax_error = csv.error();
  return true;
}

DomainReader::Result DomainReader::CsvRecord(const std::string& record,
                                             std::vector<std::string> fields,
                                             const std::string& syntax_error, size_t line,
                                             DomainEntry* out, InputError* err) {
  // Whatever is wrong with the row, its cells go to the report as far as they were read: the
  // outreach owner needs the contact columns of a row that could not be swept most of all.
  if (domain_column_ < fields.size()) out->input_domain = std::string(Trim(fields[domain_column_]));
  const size_t field_count = fields.size();
  out->columns = CarriedCells(std::move(fields));
  InputErrorKind kind;
  std::string message;
  if (!input_text::CheckText(record, &kind, &message)) {
    // Line breaks inside quoted fields are legitimate CSV, not control characters.
    bool only_breaks = true;
    for (char c : record) {
      unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) only_breaks = false;
    }
    if (kind != InputErrorKind::kControlCharacter || !only_breaks) {
      return Error(line, kind, std::move(message), out, err);
    }
  }
  if (!syntax_error.empty()) {
    return Error(line, InputErrorKind::kCsvSyntax, syntax_error + ": " + Quoted(record), out, err);
  }
  if (field_count > header_.size()) {
    return Error(line, InputErrorKind::kCsvFieldCount,
                 std::to_string(field_count) + " fields but the header has " +
                     std::to_string(header_.size()) + ": " + Quoted(record),
                 out, err);
  }
  if (out->input_domain.empty()) {
    return Error(line, InputErrorKind::kMissingDomain, "empty domain cell: " + Quoted(record), out,
                 err);
  }
  std::string domain;
  if (!NormaliseDomain(out->input_domain, &domain, &kind, &message)) {
    return Error(line, kind, std::move(message), out, err);
  }
  return Accept(std::move(domain), line, out);
}

DomainReader::Result DomainReader::Next(DomainEntry* out, InputError* err) {
  *out = DomainEntry();
  std::string line;
  bool too_long;
  while (ReadLine(&line, &too_long)) {
    size_t first_line = line_no_;
    if (too_long) {
      return Error(first_line, InputErrorKind::kLineTooLong,
                   "line longer than " + std::to_string(options_.max_line_bytes) +
                       " bytes, starting " + Quoted(line),
                   out, err);
    }
    if (!form_known_ && DetectForm(line)) continue;  // that was the CSV header
    if (csv_mode_) {
      std::string_view text = Trim(line);
      if (text.empty() || text.front() == '#') continue;
      std::string record = std::move(line);
      std::vector<std::string> fields;
      std::string syntax_error;
      if (!ReadCsvRecord(&record, &fields, &syntax_error)) {
        return Error(first_line, InputErrorKind::kLineTooLong,
                     "CSV record longer than " + std::to_string(options_.max_line_bytes) +
                         " bytes, starting " + Quoted(record),
                     out, err);
      }
      return CsvRecord(record, std::move(fields), syntax_error, first_line, out, err);
    }
    std::string domain;
    InputErrorKind kind;
    std::string message;
    switch (ParseDomainLine(line, &domain, &kind, &message, &out->input_domain)) {
      case LineKind::kSkip: continue;
      case LineKind::kError: return Error(first_line, kind, std::move(message), out, err);
      case LineKind::kDomain: break;
    }
    return Accept(std::move(domain), first_line, out);
  }
  return Result::kEnd;
}

}  // namespace mxsweep
