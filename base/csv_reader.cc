#include "base/csv_reader.h"

#include <string>

namespace mxsweep {

CsvReader::CsvReader(Options options) : options_(options) {}

void CsvReader::StartNext() {
  if (last_ == Event::kNone) return;
  if (last_ == Event::kRecord) {
    field_index_ = 0;
    error_.clear();
  } else {
    field_index_++;
  }
  field_.clear();
  field_cut_ = false;
  last_ = Event::kNone;
}

void CsvReader::Store(char c) {
  if (field_.size() < options_.max_field_bytes) {
    field_.push_back(c);
  } else {
    field_cut_ = true;
  }
}

void CsvReader::Fail(const char* what) {
  if (error_.empty()) error_ = what + std::to_string(field_index_ + 1);
  state_ = State::kSkipping;
}

CsvReader::Event CsvReader::EndField(bool record_end) {
  state_ = State::kFieldStart;
  last_ = record_end ? Event::kRecord : Event::kField;
  return last_;
}

CsvReader::Event CsvReader::Push(char c) {
  StartNext();
  if (!options_.newline_ends_record) return Step(c);
  if (pending_cr_) {
    pending_cr_ = false;
    if (c != '\n') Step('\r');  // a lone CR is text; it never completes a field
  }
  if (c == '\r' && state_ != State::kQuoted) {
    pending_cr_ = true;
    return Event::kNone;
  }
  return Step(c);
}

CsvReader::Event CsvReader::Finish() {
  StartNext();
  if (pending_cr_) {
    pending_cr_ = false;
    Step('\r');
  }
  if (state_ == State::kQuoted && error_.empty()) error_ = "unterminated quoted field";
  return EndField(true);
}

CsvReader::Event CsvReader::Step(char c) {
  const bool record_end = c == '\n' && options_.newline_ends_record;
  switch (state_) {
    case State::kFieldStart:
      if (c == '"') {
        field_.clear();  // the spaces before an opening quote are not the field's
        field_cut_ = false;
        state_ = State::kQuoted;
        return Event::kNone;
      }
      if (c == ' ') {
        Store(c);  // kept if the field turns out unquoted
        return Event::kNone;
      }
      state_ = State::kUnquoted;
      return Step(c);
    case State::kUnquoted:
      if (c == ',' || record_end) return EndField(record_end);
      if (c == '"') {
        Fail("quote inside unquoted field ");
      } else {
        Store(c);
      }
      return Event::kNone;
    case State::kQuoted:
      if (c == '"') {
        state_ = State::kQuotedQuote;
      } else {
        Store(c);
      }
      return Event::kNone;
    case State::kQuotedQuote:
      if (c == '"') {
        Store('"');
        state_ = State::kQuoted;
        return Event::kNone;
      }
      state_ = State::kAfterQuoted;
      return Step(c);
    case State::kAfterQuoted:
      if (c == ',' || record_end) return EndField(record_end);
      if (c != ' ') Fail("text after the closing quote of field ");
      return Event::kNone;
    case State::kSkipping:
      if (c == ',' || record_end) return EndField(record_end);
      return Event::kNone;
  }
  return Event::kNone;
}

bool ParseCsvRecord(std::string_view record, std::vector<std::string>* fields,
                    std::string* message) {
  CsvReader::Options options;
  options.newline_ends_record = false;
  CsvReader reader(options);
  fields->clear();
  for (char c : record) {
    if (reader.Push(c) == CsvReader::Event::kField) fields->push_back(reader.field());
  }
  reader.Finish();
  fields->push_back(reader.field());
  if (!reader.error().empty()) {
    *message = reader.error();
    return false;
  }
  return true;
}

}  // namespace mxsweep
