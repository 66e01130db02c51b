// csv_writer.h: RFC 4180 rows for the outreach CSV.
//
// The CSV is opened in spreadsheets by people who did not write it, and several cells hold text
// chosen by strangers (SMTP banners, certificate names, server replies). A cell such as
// `=HYPERLINK(...)` would run as a formula there, so text cells are neutralised by default
// (CsvOptions::neutralise_formulas). The caller still sanitises stranger text first
// (SanitizeText) so that no control byte reaches a cell.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mxsweep::output {

struct CsvOptions {
  // neutralise_formulas prefixes a single quote to a text cell that begins with '=', '+', '-',
  // '@', TAB or CR: the characters spreadsheet programs treat as the start of a formula. On by
  // default because stranger text lands in cells; a consumer that is a program, not a person,
  // may turn it off to get the bytes back unchanged.
  bool neutralise_formulas = true;
};

// CsvWriter builds one row at a time. Numbers are written through |Uint| and are never
// neutralised: every numeric column in mxsweep's schemas is a count, a port or a duration, so
// none is negative, and an absent value is an empty cell rather than -1. That keeps
// neutralisation from ever turning a number of ours into text.
class CsvWriter {
 public:
  explicit CsvWriter(CsvOptions options = {}) : options_(options) {}

  // Field appends a text cell, neutralised (if enabled) and quoted as RFC 4180 requires.
  CsvWriter& Field(std::string_view value);
  // Uint appends a number cell.
  CsvWriter& Uint(uint64_t value);
  // Bool appends "true" or "false".
  CsvWriter& Bool(bool value);
  // Empty appends an empty cell (an absent value).
  CsvWriter& Empty();

  // EndRow returns the row built so far terminated by CRLF (RFC 4180 §2.1) and starts a new one.
  // A row with no cells yields just the terminator; a row of one empty cell is written as "" so
  // that readers which skip blank lines do not lose it.
  std::string EndRow();

 private:
  void Separate();

  CsvOptions options_;
  std::string row_;
  size_t cells_ = 0;
};

// AppendCsvField appends |value| as one CSV cell to |out|: with a leading single quote when
// |neutralise| is set and |value| begins with a formula character, and in double quotes (inner
// quotes doubled) when it contains a comma, a double quote, CR or LF.
void AppendCsvField(std::string* out, std::string_view value, bool neutralise);

// NeedsFormulaNeutralising reports whether a spreadsheet would read |value| as a formula.
bool NeedsFormulaNeutralising(std::string_view value);

}  // namespace mxsweep::output
