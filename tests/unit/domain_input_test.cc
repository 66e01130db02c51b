#include "input/domain_input.h"

#include "base/csv_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

namespace mxsweep {
namespace {

// Outcome is one thing the reader handed out, flattened for comparison.
struct Outcome {
  bool error = false;
  std::string domain;  // or the error kind's name
  size_t line = 0;
  bool duplicate = false;
};

struct ReadAll {
  std::vector<Outcome> outcomes;
  std::vector<DomainEntry> entries;
  std::vector<InputError> errors;
  std::vector<DomainEntry> rows;  // every row handed out, whatever its kind
  size_t duplicates = 0;
  bool csv = false;
};

ReadAll Read(const std::string& text, DomainReaderOptions options = {}) {
  std::istringstream in(text);
  DomainReader reader(&in, options);
  ReadAll all;
  DomainEntry entry;
  InputError err;
  while (true) {
    DomainReader::Result r = reader.Next(&entry, &err);
    if (r == DomainReader::Result::kEnd) break;
    all.rows.push_back(entry);
    if (r == DomainReader::Result::kEntry) {
      EXPECT_EQ(entry.kind, RowKind::kDomain);
      all.outcomes.push_back({false, entry.domain, entry.line});
      all.entries.push_back(entry);
    } else if (r == DomainReader::Result::kDuplicate) {
      EXPECT_EQ(entry.kind, RowKind::kDuplicate);
      all.outcomes.push_back({false, entry.domain, entry.line, true});
      all.duplicates++;
    } else {
      EXPECT_EQ(entry.kind, RowKind::kInvalid);
      EXPECT_EQ(entry.line, err.line);
      EXPECT_EQ(entry.error.message, err.message);
      EXPECT_TRUE(entry.domain.empty());
      all.outcomes.push_back({true, std::string(InputErrorKindName(err.kind)), err.line});
      all.errors.push_back(err);
    }
  }
  EXPECT_EQ(reader.entries(), all.entries.size());
  EXPECT_EQ(reader.errors(), all.errors.size());
  EXPECT_EQ(reader.duplicates(), all.duplicates);
  EXPECT_EQ(reader.rows(), all.rows.size());
  all.csv = reader.csv_mode();
  return all;
}

std::string Norm(std::string_view text) {
  std::string out;
  InputErrorKind kind;
  std::string message;
  if (!NormaliseDomain(text, &out, &kind, &message)) {
    return "!" + std::string(InputErrorKindName(kind));
  }
  return out;
}

TEST(DomainInput, AcceptedForms) {
  EXPECT_EQ(Norm("example.com"), "example.com");
  EXPECT_EQ(Norm("Example.COM"), "example.com");
  EXPECT_EQ(Norm("example.com."), "example.com");
  EXPECT_EQ(Norm("mail-1.sub.example.co.uk"), "mail-1.sub.example.co.uk");
  EXPECT_EQ(Norm("_dmarc.example.com"), "_dmarc.example.com");
  EXPECT_EQ(Norm("1example.com"), "1example.com");
  EXPECT_EQ(Norm("xn--bcher-kva.example"), "xn--bcher-kva.example");
  EXPECT_EQ(Norm(std::string(63, 'a') + ".com"), std::string(63, 'a') + ".com");
}

TEST(DomainInput, InternationalNamesBecomeALabels) {
  EXPECT_EQ(Norm("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(Norm("BÜCHER.example"), "xn--bcher-kva.example");
  // Non-transitional: ß stays ß (as in browsers today), it is not mapped to "ss".
  EXPECT_EQ(Norm("faß.de"), "xn--fa-hia.de");
  EXPECT_EQ(Norm("例え.テスト"), "xn--r8jz45g.xn--zckzah");
  EXPECT_EQ(Norm("münchen.de."), "xn--mnchen-3ya.de");
}

TEST(DomainInput, RejectedNames) {
  EXPECT_EQ(Norm(""), "!empty-label");
  EXPECT_EQ(Norm("."), "!empty-label");
  EXPECT_EQ(Norm("a..b"), "!empty-label");
  EXPECT_EQ(Norm(".example.com"), "!empty-label");
  EXPECT_EQ(Norm("example.com.."), "!empty-label");
  EXPECT_EQ(Norm(std::string(64, 'a') + ".com"), "!label-too-long");
  std::string long_name;
  for (int i = 0; i < 4; i++) long_name += std::string(62, 'a') + ".";
  long_name += "com";  // 4*63 + 3 = 255
  EXPECT_EQ(Norm(long_name), "!name-too-long");
  EXPECT_EQ(Norm("exa mple.com"), "!bad-character");
  EXPECT_EQ(Norm("exa*mple.com"), "!bad-character");
  EXPECT_EQ(Norm("example.com/"), "!bad-character");
  EXPECT_EQ(Norm("-example.com"), "!hyphen-at-edge");
  EXPECT_EQ(Norm("example-.com"), "!hyphen-at-edge");
  EXPECT_EQ(Norm("localhost"), "!single-label");
  EXPECT_EQ(Norm("com."), "!single-label");
  EXPECT_EQ(Norm("192.0.2.1"), "!ip-literal");
  EXPECT_EQ(Norm("2001:db8::1"), "!ip-literal");
  EXPECT_EQ(Norm("[192.0.2.1]"), "!ip-literal");
  EXPECT_EQ(Norm("999.1.1.1"), "!numeric-tld");
  EXPECT_EQ(Norm("user@example.com"), "!email-address");
  EXPECT_EQ(Norm("exa\x01mple.com"), "!control-character");
  EXPECT_EQ(Norm("exa\xc2\x85mple.com"), "!control-character");  // U+0085, a C1 control
  EXPECT_EQ(Norm("b\xfc"
                 "cher.example"),
            "!invalid-utf8");                                // Latin-1, not UTF-8
  EXPECT_EQ(Norm("\xc0\xae.example"), "!invalid-utf8");      // overlong
  EXPECT_EQ(Norm("\xed\xa0\x80.example"), "!invalid-utf8");  // surrogate
  EXPECT_EQ(Norm("\xe2\x82"), "!invalid-utf8");              // truncated
  EXPECT_EQ(Norm("☃\u200d.example"), "!idna");               // ZWJ outside its context
}

TEST(DomainInput, ParseDomainLineSkipsAndStrips) {
  std::string d;
  InputErrorKind kind;
  std::string message;
  EXPECT_EQ(ParseDomainLine("", &d, &kind, &message), LineKind::kSkip);
  EXPECT_EQ(ParseDomainLine("   \t ", &d, &kind, &message), LineKind::kSkip);
  EXPECT_EQ(ParseDomainLine("# partners", &d, &kind, &message), LineKind::kSkip);
  EXPECT_EQ(ParseDomainLine("   # indented comment", &d, &kind, &message), LineKind::kSkip);
  ASSERT_EQ(ParseDomainLine("  Example.org.  # the big one", &d, &kind, &message),
            LineKind::kDomain);
  EXPECT_EQ(d, "example.org");
  ASSERT_EQ(ParseDomainLine("example.net\t#tab comment", &d, &kind, &message), LineKind::kDomain);
  EXPECT_EQ(d, "example.net");
  // '#' without whitespace before it is part of the (bad) name, not a comment.
  EXPECT_EQ(ParseDomainLine("example.com#x", &d, &kind, &message), LineKind::kError);
  EXPECT_EQ(kind, InputErrorKind::kBadCharacter);
  EXPECT_EQ(ParseDomainLine("example.com other.com", &d, &kind, &message), LineKind::kError);
  EXPECT_EQ(kind, InputErrorKind::kBadCharacter);
  EXPECT_NE(message.find("one domain per line"), std::string::npos) << message;
  EXPECT_EQ(ParseDomainLine("example.com,x", &d, &kind, &message), LineKind::kError);
  EXPECT_NE(message.find("header"), std::string::npos) << message;
}

// Every data row comes out once (issue 15): a duplicate is a row of its own that points at the
// first row of its domain, and each row keeps its domain as the input spelled it.
TEST(DomainInput, ReaderLineModeWithErrorsAndDuplicates) {
  ReadAll all = Read(
      "\xef\xbb\xbf# partner list\r\n"  // 1: BOM and CRLF
      "example.com\r\n"                 // 2
      "\n"                              // 3
      "bücher.example  # IDN\n"         // 4
      "bad..name\n"                     // 5
      "EXAMPLE.com.\n"                  // 6: duplicate of line 2
      "10.0.0.1\n"                      // 7
      "xn--bcher-kva.example\n"         // 8: duplicate of line 4
      "last.example");                  // 9: no final newline
  EXPECT_FALSE(all.csv);
  ASSERT_EQ(all.outcomes.size(), 7u) << "one per data row";
  EXPECT_EQ(all.outcomes[0].domain, "example.com");
  EXPECT_EQ(all.outcomes[0].line, 2u);
  EXPECT_EQ(all.outcomes[1].domain, "xn--bcher-kva.example");
  EXPECT_EQ(all.outcomes[1].line, 4u);
  EXPECT_TRUE(all.outcomes[2].error);
  EXPECT_EQ(all.outcomes[2].domain, "empty-label");
  EXPECT_EQ(all.outcomes[2].line, 5u);
  EXPECT_TRUE(all.outcomes[3].duplicate);
  EXPECT_EQ(all.outcomes[3].domain, "example.com");
  EXPECT_EQ(all.outcomes[3].line, 6u);
  EXPECT_TRUE(all.outcomes[4].error);
  EXPECT_EQ(all.outcomes[4].domain, "ip-literal");
  EXPECT_EQ(all.outcomes[4].line, 7u);
  EXPECT_TRUE(all.outcomes[5].duplicate);
  EXPECT_EQ(all.outcomes[5].domain, "xn--bcher-kva.example");
  EXPECT_EQ(all.outcomes[5].line, 8u);
  EXPECT_EQ(all.outcomes[6].domain, "last.example");
  EXPECT_EQ(all.outcomes[6].line, 9u);
  EXPECT_EQ(all.duplicates, 2u);
  EXPECT_EQ(all.rows[3].first_line, 2u) << "the row that carries the verdict";
  EXPECT_EQ(all.rows[5].first_line, 4u);
  std::vector<std::string> spelled;
  for (const DomainEntry& row : all.rows) spelled.push_back(row.input_domain);
  EXPECT_EQ(spelled, (std::vector<std::string>{"example.com", "bücher.example", "bad..name", "EXAMPLE.com.",
                                               "10.0.0.1", "xn--bcher-kva.example", "last.example"}));
  EXPECT_EQ(FormatInputError(all.errors[0]).rfind("line 5: ", 0), 0u)
      << FormatInputError(all.errors[0]);
  EXPECT_NE(all.errors[0].message.find("bad..name"), std::string::npos);
  EXPECT_EQ(all.rows[2].error.kind, InputErrorKind::kEmptyLabel);
}

TEST(DomainInput, EveryErrorCarriesItsLineNumber) {
  ReadAll all = Read(
      "a..b\n"       // 1 empty-label
      "-x.com\n"     // 2 hyphen-at-edge
      "localhost\n"  // 3 single-label
      "1.2.3.999\n"  // 4 numeric-tld
      "u@x.com\n"    // 5 email-address
      "b\xfc.com\n"  // 6 invalid-utf8
      "a\x7f.com\n"  // 7 control-character
      "a_b$.com\n"   // 8 bad-character
      + std::string(64, 'q') +
      ".com\n"          // 9 label-too-long
      "ok.example\n");  // 10
  std::vector<std::string> kinds;
  for (const Outcome& o : all.outcomes) {
    kinds.push_back(o.domain + "@" + std::to_string(o.line));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"empty-label@1", "hyphen-at-edge@2", "single-label@3",
                                             "numeric-tld@4", "email-address@5", "invalid-utf8@6",
                                             "control-character@7", "bad-character@8",
                                             "label-too-long@9", "ok.example@10"}));
}

TEST(DomainInput, MessagesAreSafeToPrint) {
  ReadAll all = Read("evil\x1b[2J.com\n");
  ASSERT_EQ(all.errors.size(), 1u);
  EXPECT_EQ(all.errors[0].message.find('\x1b'), std::string::npos) << all.errors[0].message;
  EXPECT_NE(all.errors[0].message.find("\\x1b"), std::string::npos) << all.errors[0].message;
}

TEST(DomainInput, VeryLongLineIsAnErrorAndReadingGoesOn) {
  std::string text = "first.example\n" + std::string(1 << 20, 'x') + "\nnext.example\n";
  ReadAll all = Read(text);
  ASSERT_EQ(all.outcomes.size(), 3u);
  EXPECT_EQ(all.outcomes[0].domain, "first.example");
  EXPECT_TRUE(all.outcomes[1].error);
  EXPECT_EQ(all.outcomes[1].domain, "line-too-long");
  EXPECT_EQ(all.outcomes[1].line, 2u);
  EXPECT_LT(all.errors[0].message.size(), 300u);  // the excerpt is bounded too
  EXPECT_EQ(all.outcomes[2].domain, "next.example");
  EXPECT_EQ(all.outcomes[2].line, 3u);

  DomainReaderOptions small;
  small.max_line_bytes = 16;
  ReadAll bounded = Read("exactly-16.bytes\nseventeen-.bytes!\n", small);
  ASSERT_EQ(bounded.outcomes.size(), 2u);
  EXPECT_EQ(bounded.outcomes[0].domain, "exactly-16.bytes");
  EXPECT_EQ(bounded.outcomes[1].domain, "line-too-long");
}

TEST(DomainInput, CsvWithCarriedColumns) {
  ReadAll all = Read(
      "# exported from the CRM\n"                              // 1
      "Partner,Domain,Contact\n"                               // 2 header
      "Acme,acme.example,ops@acme.example\n"                   // 3
      "\"Bücher, GmbH\",bücher.example,\"said \"\"hi\"\"\"\n"  // 4 quoted fields
      "\n"                                                     // 5
      "Short,short.example\n"                                  // 6 trailing field dropped
      "Too,many.example,a,b\n"                                 // 7 too many fields
      "Empty,,x\n"                                             // 8 no domain
      "Bad,\"unterminated\n"                                   // 9 .. runs to the end
  );
  EXPECT_TRUE(all.csv);
  ASSERT_EQ(all.entries.size(), 3u);
  EXPECT_EQ(all.entries[0].domain, "acme.example");
  EXPECT_EQ(all.entries[0].line, 3u);
  using Cols = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(all.entries[0].columns, (Cols{{"Partner", "Acme"}, {"Contact", "ops@acme.example"}}));
  EXPECT_EQ(all.entries[1].domain, "xn--bcher-kva.example");
  EXPECT_EQ(all.entries[1].columns,
            (Cols{{"Partner", "Bücher, GmbH"}, {"Contact", "said \"hi\""}}));
  EXPECT_EQ(all.entries[2].domain, "short.example");
  EXPECT_EQ(all.entries[2].columns, (Cols{{"Partner", "Short"}, {"Contact", ""}}));
  ASSERT_EQ(all.errors.size(), 3u);
  EXPECT_EQ(all.errors[0].kind, InputErrorKind::kCsvFieldCount);
  EXPECT_EQ(all.errors[0].line, 7u);
  EXPECT_EQ(all.errors[1].kind, InputErrorKind::kMissingDomain);
  EXPECT_EQ(all.errors[1].line, 8u);
  EXPECT_EQ(all.errors[2].kind, InputErrorKind::kCsvSyntax);
  EXPECT_EQ(all.errors[2].line, 9u);
  // The bad rows keep their cells (issue 15): the extra cell is the one lost.
  ASSERT_EQ(all.rows.size(), 6u);
  EXPECT_EQ(all.rows[3].input_domain, "many.example");
  EXPECT_EQ(all.rows[3].columns, (Cols{{"Partner", "Too"}, {"Contact", "a"}}));
  EXPECT_EQ(all.rows[4].input_domain, "");
  EXPECT_EQ(all.rows[4].columns, (Cols{{"Partner", "Empty"}, {"Contact", "x"}}));
  EXPECT_EQ(all.rows[5].columns[0], (std::pair<std::string, std::string>{"Partner", "Bad"}));
  EXPECT_EQ(all.rows[1].input_domain, "bücher.example");
}

// Issue 15: a bad name in a CSV row keeps the row's contact cells and its spelling; a duplicate
// keeps its own cells and spelling too, and points at the row with the verdict.
TEST(DomainInput, CsvBadAndDuplicateRowsKeepTheirCells) {
  ReadAll all = Read(
      "domain,contact\n"
      "Bücher.Example.,anna@example.org\n"   // 2
      "not a domain,bob@example.org\n"       // 3
      "xn--bcher-kva.example,carl@example.org\n");  // 4
  ASSERT_EQ(all.rows.size(), 3u);
  using Cols = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(all.rows[0].kind, RowKind::kDomain);
  EXPECT_EQ(all.rows[0].domain, "xn--bcher-kva.example");
  EXPECT_EQ(all.rows[0].input_domain, "Bücher.Example.");
  EXPECT_EQ(all.rows[1].kind, RowKind::kInvalid);
  EXPECT_EQ(all.rows[1].error.kind, InputErrorKind::kBadCharacter);
  EXPECT_EQ(all.rows[1].input_domain, "not a domain");
  EXPECT_EQ(all.rows[1].columns, (Cols{{"contact", "bob@example.org"}}));
  EXPECT_EQ(all.rows[2].kind, RowKind::kDuplicate);
  EXPECT_EQ(all.rows[2].first_line, 2u);
  EXPECT_EQ(all.rows[2].input_domain, "xn--bcher-kva.example");
  EXPECT_EQ(all.rows[2].columns, (Cols{{"contact", "carl@example.org"}}));
}

TEST(DomainInput, CsvQuotedFieldSpanningLinesAndDuplicates) {
  ReadAll all = Read(
      "domain,note\r\n"
      "a.example,\"two\r\nlines\"\r\n"
      " \"B.Example.\" , x\r\n"
      "a.example,again\r\n");
  EXPECT_TRUE(all.csv);
  ASSERT_EQ(all.entries.size(), 2u);
  EXPECT_EQ(all.entries[0].columns[0].second, "two\nlines");
  EXPECT_EQ(all.entries[1].domain, "b.example");
  EXPECT_EQ(all.entries[1].line, 4u);
  EXPECT_EQ(all.entries[1].columns[0].second, " x");
  EXPECT_EQ(all.duplicates, 1u);
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_EQ(all.rows[2].kind, RowKind::kDuplicate);
  EXPECT_EQ(all.rows[2].line, 5u);
  EXPECT_EQ(all.rows[2].first_line, 2u);
  EXPECT_EQ(all.rows[2].columns[0].second, "again");
  EXPECT_EQ(all.rows[1].input_domain, "B.Example.");
}

TEST(DomainInput, CsvStrayQuoteLosesOnlyItsOwnRow) {
  // A quote inside an unquoted field opens nothing: that row is an error, the next rows stand.
  ReadAll all = Read(
      "domain,note\n"
      "a.example,fine\n"
      "b.example,3.5\" disk\n"
      "c.example,fine\n"
      "d.example,\"quoted, with comma\"\n"
      "e.example,fine\n");
  EXPECT_TRUE(all.csv);
  ASSERT_EQ(all.entries.size(), 4u);
  EXPECT_EQ(all.entries[0].domain, "a.example");
  EXPECT_EQ(all.entries[1].domain, "c.example");
  EXPECT_EQ(all.entries[1].line, 4u);
  EXPECT_EQ(all.entries[2].columns[0].second, "quoted, with comma");
  EXPECT_EQ(all.entries[3].domain, "e.example");
  ASSERT_EQ(all.errors.size(), 1u);
  EXPECT_EQ(all.errors[0].line, 3u);
}

TEST(DomainInput, CsvDetection) {
  // A header named "domain" alone is a one-column CSV, not an error.
  ReadAll single = Read("DOMAIN\nexample.com\n");
  EXPECT_TRUE(single.csv);
  ASSERT_EQ(single.entries.size(), 1u);
  EXPECT_TRUE(single.errors.empty());
  // A comma without a domain header: one-per-line mode, and the line is an error.
  ReadAll plain = Read("example.com, note\nexample.org\n");
  EXPECT_FALSE(plain.csv);
  ASSERT_EQ(plain.outcomes.size(), 2u);
  EXPECT_TRUE(plain.outcomes[0].error);
  EXPECT_EQ(plain.outcomes[1].domain, "example.org");
  // "domains" is not "domain".
  EXPECT_FALSE(Read("domains,x\n").csv);
}

TEST(DomainInput, CsvRecordParser) {
  std::vector<std::string> f;
  std::string m;
  ASSERT_TRUE(ParseCsvRecord("", &f, &m));
  EXPECT_EQ(f, std::vector<std::string>{""});
  ASSERT_TRUE(ParseCsvRecord("a,,\"\"", &f, &m));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "", ""}));
  ASSERT_TRUE(ParseCsvRecord("\"a,b\",\"c\"\"d\"", &f, &m));
  EXPECT_EQ(f, (std::vector<std::string>{"a,b", "c\"d"}));
  EXPECT_FALSE(ParseCsvRecord("\"a\"b", &f, &m));
  EXPECT_FALSE(ParseCsvRecord("a\"b", &f, &m));
  EXPECT_FALSE(ParseCsvRecord("\"open", &f, &m));
}

TEST(DomainInput, ArbitraryBytesNeverCrash) {
  // A cheap stand-in for the fuzzer: random bytes biased towards the characters the parsers
  // branch on, through both forms of the reader.
  std::mt19937 rng(4242);
  const std::string alphabet = std::string("aZ0-_.,\"#@ \t\r\n:[]\xc3\xbc\xff\x00", 21);
  for (int round = 0; round < 200; round++) {
    std::string text = round % 2 ? "domain,x\n" : "";
    size_t len = rng() % 2000;
    for (size_t i = 0; i < len; i++) {
      text.push_back(rng() % 4 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng()));
    }
    DomainReaderOptions options;
    options.max_line_bytes = 64;
    ReadAll all = Read(text, options);
    for (const DomainEntry& e : all.entries) {
      EXPECT_LE(e.domain.size(), 253u);
      EXPECT_NE(e.domain.find('.'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mxsweep
