#include "output/csv_writer.h"

namespace mxsweep::output {

bool NeedsFormulaNeutralising(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r': return true;
    default: return false;
  }
}

void AppendCsvField(std::string* out, std::string_view value, bool neutralise) {
  bool prefix = neutralise && NeedsFormulaNeutralising(value);
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out->push_back('"');
  // The quote mark goes inside the double quotes: it is part of the cell's text, which is what
  // the spreadsheet looks at.
  if (prefix) out->push_back('\'');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  if (quote) out->push_back('"');
}

void CsvWriter::Separate() {
  if (cells_ > 0) row_.push_back(',');
  cells_++;
}

CsvWriter& CsvWriter::Field(std::string_view value) {
  Separate();
  AppendCsvField(&row_, value, options_.neutralise_formulas);
  return *this;
}

CsvWriter& CsvWriter::Uint(uint64_t value) {
  Separate();
  row_ += std::to_string(value);
  return *this;
}

CsvWriter& CsvWriter::Bool(bool value) {
  Separate();
  row_ += value ? "true" : "false";
  return *this;
}

CsvWriter& CsvWriter::Empty() {
  Separate();
  return *this;
}

std::string CsvWriter::EndRow() {
  if (cells_ == 1 && row_.empty()) row_ = "\"\"";
  row_ += "\r\n";
  std::string row = std::move(row_);
  row_.clear();
  cells_ = 0;
  return row;
}

}  // namespace mxsweep::output
