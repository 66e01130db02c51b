#include "base/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mxsweep {
namespace {

using Records = std::vector<std::vector<std::string>>;

// Stream pushes |text| one byte at a time through a reader whose records end at line breaks and
// collects the completed records; a record's syntax error, if any, is its last element as "!...".
// What follows the last line break is left unfinished, as resume leaves a partial record.
Records Stream(const std::string& text, CsvReader::Options options = {}) {
  CsvReader reader(options);
  Records records(1);
  for (char c : text) {
    CsvReader::Event event = reader.Push(c);
    if (event == CsvReader::Event::kNone) continue;
    EXPECT_EQ(reader.field_index(), records.back().size());
    records.back().push_back(reader.field());
    if (event == CsvReader::Event::kRecord) {
      if (!reader.error().empty()) records.back().push_back("!" + reader.error());
      records.emplace_back();
    }
  }
  records.pop_back();  // the record under way
  return records;
}

std::vector<std::string> Fields(std::string_view record) {
  std::vector<std::string> fields;
  std::string message;
  if (!ParseCsvRecord(record, &fields, &message)) return {"!" + message};
  return fields;
}

TEST(CsvReader, PlainAndQuotedFields) {
  EXPECT_EQ(Fields("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Fields(""), (std::vector<std::string>{""}));
  EXPECT_EQ(Fields(","), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(Fields("\"a,b\",\"\""), (std::vector<std::string>{"a,b", ""}));
  EXPECT_EQ(Fields("\"say \"\"hi\"\"\",x"), (std::vector<std::string>{"say \"hi\"", "x"}));
  EXPECT_EQ(Fields("\"\"\"\""), (std::vector<std::string>{"\""}));
}

TEST(CsvReader, SpacesAroundQuotedFieldsAreDroppedAroundUnquotedKept) {
  EXPECT_EQ(Fields("  \"a\"  , b ,\"c\" "), (std::vector<std::string>{"a", " b ", "c"}));
  EXPECT_EQ(Fields("  "), (std::vector<std::string>{"  "}));
}

TEST(CsvReader, LineBreaksInsideQuotesInARecord) {
  EXPECT_EQ(Fields("a,\"one\ntwo\",b"), (std::vector<std::string>{"a", "one\ntwo", "b"}));
  // Without newline_ends_record, a line break outside quotes is text too.
  EXPECT_EQ(Fields("a\nb,c"), (std::vector<std::string>{"a\nb", "c"}));
}

TEST(CsvReader, EachSyntaxError) {
  EXPECT_EQ(Fields("a,\"open"), (std::vector<std::string>{"!unterminated quoted field"}));
  EXPECT_EQ(Fields("a,\"x\"y,z"),
            (std::vector<std::string>{"!text after the closing quote of field 2"}));
  EXPECT_EQ(Fields("a,b,3.5\" disk"),
            (std::vector<std::string>{"!quote inside unquoted field 3"}));
  // The first error is the one reported.
  EXPECT_EQ(Fields("a\"b,\"open"), (std::vector<std::string>{"!quote inside unquoted field 1"}));
  // A final closing quote closes; a doubled one at the end is an escaped quote, still open.
  EXPECT_EQ(Fields("\"a\""), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Fields("\"a\"\""), (std::vector<std::string>{"!unterminated quoted field"}));
}

TEST(CsvReader, InQuotedFieldOnlyWhenAQuoteOpensAField) {
  CsvReader::Options options;
  options.newline_ends_record = false;
  auto inside = [&](std::string_view text) {
    CsvReader reader(options);
    for (char c : text) reader.Push(c);
    return reader.in_quoted_field();
  };
  EXPECT_TRUE(inside("a,\"open"));
  EXPECT_TRUE(inside("  \"open, still"));
  EXPECT_TRUE(inside("\"a\"\""));
  EXPECT_FALSE(inside("a,\"closed\""));
  EXPECT_FALSE(inside("a,3.5\" disk"));    // a stray quote opens nothing
  EXPECT_FALSE(inside("\"a\"b \"c"));      // nor does one after a closed field's stray text
  EXPECT_TRUE(inside("\"a\"b, \"c"));      // but the next field may open one
}

TEST(CsvReader, StreamRecordsEndAtLfOrCrlfOutsideQuotes) {
  EXPECT_EQ(Stream("h1,h2\r\na,\"x\r\ny\"\r\n\"b\",z\nc"),
            (Records{{"h1", "h2"}, {"a", "x\r\ny"}, {"b", "z"}}));
  // A CR not followed by LF is text; after a closing quote it is stray text.
  EXPECT_EQ(Stream("a\rb,c\n"), (Records{{"a\rb", "c"}}));
  EXPECT_EQ(Stream("\"a\"\rb\n"), (Records{{"a", "!text after the closing quote of field 1"}}));
  EXPECT_EQ(Stream("\"a\" \r\n"), (Records{{"a"}}));
}

TEST(CsvReader, StreamErrorCostsOnlyItsRecord) {
  EXPECT_EQ(Stream("a\"b,c\nd,e\n"),
            (Records{{"a", "c", "!quote inside unquoted field 1"}, {"d", "e"}}));
}

TEST(CsvReader, FieldBoundCutsStoredBytes) {
  CsvReader::Options options;
  options.max_field_bytes = 3;
  CsvReader reader(options);
  std::vector<std::pair<std::string, bool>> seen;
  for (char c : std::string("abc,abcd,\"wxyz\"\n")) {
    if (reader.Push(c) != CsvReader::Event::kNone) {
      seen.emplace_back(reader.field(), reader.field_cut());
    }
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, bool>>{
                      {"abc", false}, {"abc", true}, {"wxy", true}}));
}

TEST(CsvReader, FinishEndsTheRecordUnderWay) {
  CsvReader reader(CsvReader::Options{});
  for (char c : std::string("a,b\r")) reader.Push(c);
  EXPECT_EQ(reader.Finish(), CsvReader::Event::kRecord);
  EXPECT_EQ(reader.field(), "b\r");
  EXPECT_EQ(reader.field_index(), 1u);
  EXPECT_TRUE(reader.error().empty());
}

}  // namespace
}  // namespace mxsweep
