// csv_reader.h: RFC 4180 fields, tokenised incrementally.
//
// Bytes are pushed in one at a time and fields and record ends come out, so the same tokenizer
// serves a record already in memory (the domain list reads one line at a time and must know
// whether a record goes on past a line break) and a file read in chunks (resume scans output
// files of hundreds of megabytes). Spaces around a quoted field are tolerated, as hand-edited
// files have them; spaces around an unquoted field are part of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace mxsweep {

class CsvReader {
 public:
  struct Options {
    // newline_ends_record: an LF (or CRLF) outside quotes ends a record, as in a whole file.
    // When false, the caller hands over records already cut (Finish ends each one) and a line
    // break outside quotes is field text.
    bool newline_ends_record = true;
    // max_field_bytes bounds what a field stores; the rest of it is counted as cut (see
    // field_cut()), not kept. No bound by default: callers that read untrusted files of any size
    // set one.
    size_t max_field_bytes = std::numeric_limits<size_t>::max();
  };

  // Event is what one pushed byte completed.
  enum class Event : uint8_t {
    kNone,    // nothing yet
    kField,   // a field ended at a comma: field() holds it
    kRecord,  // a field ended and its record with it: field() holds the last field
  };

  explicit CsvReader(Options options);

  // Push consumes one byte. A CR is held back until the next byte shows whether it ends a line.
  Event Push(char c);
  // Finish ends the record under way at the end of the text (an unclosed quote is then a syntax
  // error) and returns kRecord. Even an empty text is a record of one empty field.
  Event Finish();

  // field is the field the last kField or kRecord completed, unquoted; valid until the next call
  // of Push or Finish. field_index is its 0-based place in its record.
  const std::string& field() const { return field_; }
  size_t field_index() const { return field_index_; }
  // field_cut reports whether field() lost bytes to Options::max_field_bytes.
  bool field_cut() const { return field_cut_; }
  // in_quoted_field reports whether the bytes so far stop inside a quoted field, so that a line
  // break would be field text.
  bool in_quoted_field() const { return state_ == State::kQuoted; }
  // error is the first syntax error of the record under way (or just completed), "" if none:
  // "unterminated quoted field", "text after the closing quote of field N" or "quote inside
  // unquoted field N". After one, the rest of that field is skipped up to the next comma or
  // record end, quotes included: a stray quote costs its own record, not the records after it.
  const std::string& error() const { return error_; }

 private:
  enum class State : uint8_t {
    kFieldStart,   // nothing but spaces of this field yet
    kUnquoted,     // inside an unquoted field
    kQuoted,       // inside quotes
    kQuotedQuote,  // a quote inside quotes: doubled, or the closing one
    kAfterQuoted,  // after the closing quote: only spaces may come before the comma
    kSkipping,     // after a syntax error, up to the comma or record end
  };

  Event Step(char c);
  Event EndField(bool record_end);
  void Store(char c);
  // Fail records |what| and the field's 1-based number as the record's error, if it is the
  // first, and skips the rest of the field.
  void Fail(const char* what);
  void StartNext();

  Options options_;
  State state_ = State::kFieldStart;
  std::string field_;
  size_t field_index_ = 0;
  bool field_cut_ = false;
  std::string error_;
  bool pending_cr_ = false;
  Event last_ = Event::kNone;
};

// ParseCsvRecord splits one RFC 4180 record (line breaks inside quoted fields allowed, no
// record terminator) into |*fields|. It returns false with |*message| set to the first syntax
// error (CsvReader::error) on a malformed quote.
bool ParseCsvRecord(std::string_view record, std::vector<std::string>* fields,
                    std::string* message);

}  // namespace mxsweep
