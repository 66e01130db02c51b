#include "output/csv_writer.h"

#include <gtest/gtest.h>

#include "base/sanitize.h"

namespace mxsweep::output {
namespace {

std::string Cell(std::string_view value, bool neutralise = true) {
  std::string out;
  AppendCsvField(&out, value, neutralise);
  return out;
}

TEST(CsvWriter, PlainCellsAreUnquoted) {
  EXPECT_EQ(Cell("mx1.example.com"), "mx1.example.com");
  EXPECT_EQ(Cell(""), "");
  EXPECT_EQ(Cell("a b;c"), "a b;c");
}

TEST(CsvWriter, QuotesCommaQuoteCrLf) {
  EXPECT_EQ(Cell("a,b"), "\"a,b\"");
  EXPECT_EQ(Cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Cell("\""), "\"\"\"\"");
  EXPECT_EQ(Cell("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(Cell("line1\rline2"), "\"line1\rline2\"");
  EXPECT_EQ(Cell("a\r\nb"), "\"a\r\nb\"");
}

TEST(CsvWriter, NeutralisesFormulaPrefixes) {
  EXPECT_EQ(Cell("=1+1"), "'=1+1");
  EXPECT_EQ(Cell("+1"), "'+1");
  EXPECT_EQ(Cell("-1"), "'-1");
  EXPECT_EQ(Cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(Cell("\tx"), "'\tx");
  // A leading CR is both a formula prefix and a reason to quote; the mark goes inside.
  EXPECT_EQ(Cell("\r=x"), "\"'\r=x\"");
  EXPECT_EQ(Cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  // Only the first character matters.
  EXPECT_EQ(Cell("a=b"), "a=b");
  EXPECT_EQ(Cell("x-1"), "x-1");
}

TEST(CsvWriter, NeutralisingCanBeTurnedOff) {
  EXPECT_EQ(Cell("=1+1", false), "=1+1");
  EXPECT_EQ(Cell("=a,b", false), "\"=a,b\"");
  CsvWriter raw(CsvOptions{false});
  EXPECT_EQ(raw.Field("-x").Field("@y").EndRow(), "-x,@y\r\n");
}

TEST(CsvWriter, RowsAndNumbers) {
  CsvWriter w;
  std::string row = w.Field("example.com").Uint(25).Bool(true).Empty().Field("a,b").EndRow();
  EXPECT_EQ(row, "example.com,25,true,,\"a,b\"\r\n");
  // Numbers are counts: never neutralised, and the writer starts a fresh row.
  EXPECT_EQ(w.Uint(0).Uint(18446744073709551615u).EndRow(), "0,18446744073709551615\r\n");
  EXPECT_EQ(w.EndRow(), "\r\n");
  EXPECT_EQ(w.Empty().EndRow(), "\"\"\r\n");
  EXPECT_EQ(w.Empty().Empty().EndRow(), ",\r\n");
}

TEST(CsvWriter, StrangerBannerAfterSanitize) {
  // A hostile banner: a formula, a comma, quotes, CR LF, ESC and NUL.
  static const char kBanner[] = "=cmd|'/c calc'!A1, \"pwn\"\r\n\x1b[2J\0end";
  std::string banner(kBanner, sizeof(kBanner) - 1);
  std::string safe = SanitizeText(banner);
  EXPECT_EQ(safe.find_first_of(std::string("\r\n\x1b\0", 4)), std::string::npos);
  CsvWriter w;
  std::string row = w.Field(safe).EndRow();
  EXPECT_EQ(row, "\"'=cmd|'/c calc'!A1, \"\"pwn\"\"\\x0d\\x0a\\x1b[2J\\x00end\"\r\n");
  // Exactly one physical line: the row terminator.
  EXPECT_EQ(row.find('\n'), row.size() - 1);
}

}  // namespace
}  // namespace mxsweep::output
