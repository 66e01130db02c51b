#include "output/resume.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "input/domain_input.h"
#include "output/domain_report.h"

namespace mxsweep::output {
namespace {

std::string TempFile(const std::string& content) {
  char tmpl[] = "/tmp/mxsweep-resume-XXXXXX";
  int fd = mkstemp(tmpl);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(tmpl, std::ios::binary) << content;
  return tmpl;
}

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path, std::ios::binary).rdbuf();
  return s.str();
}

DomainEntry Domain(const std::string& name) {
  DomainEntry e;
  e.domain = name;
  return e;
}

// Done reports whether a domain row for |name| is in |state|, with its verdict's name.
std::string Done(CsvResumeState& state, const std::string& name) {
  Verdict v;
  return state.rows.Take(Domain(name), &v) ? std::string(VerdictName(v)) : "-";
}

TEST(Resume, CsvKeysHeaderAndPartialRecordCut) {
  // A carried cell with a line break and quotes inside, then a record cut by a kill.
  std::string whole = "domain,verdict,owner\r\n"
                      "a.example,OK,\"Acme\r\nline two, \"\"quoted\"\"\"\r\n"
                      "\"b.example\",PARTIAL,x\r\n";
  std::string path = TempFile(whole + "c.example,OK,\"unterminated\r\nmore");
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume(path, &state, &error)) << error;
  EXPECT_TRUE(state.existed);
  EXPECT_EQ(state.header, "domain,verdict,owner");
  EXPECT_EQ(state.rows.size(), 2u);
  EXPECT_EQ(Done(state, "a.example"), "OK");
  EXPECT_EQ(Done(state, "b.example"), "PARTIAL");
  EXPECT_EQ(Done(state, "c.example"), "-") << "the cut record is not done";
  EXPECT_EQ(state.kept_bytes, whole.size());
  EXPECT_EQ(Slurp(path), whole);
  unlink(path.c_str());
}

// A row that is not one of ours — a cell over the bound, a malformed cell, no verdict or one
// that is no verdict name — matches no input row: that input row is swept again.
TEST(Resume, OverlongOrMalformedCellsAndUnknownVerdictsAreNoRows) {
  std::string whole = "\"domain\",verdict\n" +
                      std::string(1025, 'x') + ",OK\n" +
                      std::string(1024, 'y') + ",OK\n"
                      "c\"d,OK\n"
                      "e.example\n"
                      "f.example,ok\n"
                      "g.example,\"O\"K\n";
  std::string path = TempFile(whole);
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume(path, &state, &error)) << error;
  EXPECT_EQ(state.header, "\"domain\",verdict");
  EXPECT_EQ(state.rows.size(), 1u);
  EXPECT_EQ(Done(state, std::string(1024, 'y')), "OK");
  for (const std::string& name : {std::string(1025, 'x'), std::string("c\"d"), std::string("e.example"),
                                  std::string("f.example"), std::string("g.example")}) {
    EXPECT_EQ(Done(state, name), "-") << name;
  }
  EXPECT_EQ(state.cut_bytes, 0u);
  EXPECT_EQ(state.kept_bytes, whole.size());
  unlink(path.c_str());
}

TEST(Resume, MissingFileIsAFreshStart) {
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume("/tmp/mxsweep-resume-does-not-exist", &state, &error));
  EXPECT_FALSE(state.existed);
  EXPECT_EQ(state.rows.size(), 0u);
}

// ReadRows reads every data row of |list| as the scan does.
std::vector<DomainEntry> ReadRows(const std::string& list) {
  std::istringstream in(list);
  DomainReader reader(&in);
  std::vector<DomainEntry> rows;
  DomainEntry entry;
  InputError error;
  while (reader.Next(&entry, &error) != DomainReader::Result::kEnd) rows.push_back(entry);
  return rows;
}

// One row per input row: a DUPLICATE row names the same domain as its original and an
// INVALID_INPUT row may have no domain, so rows are matched by (verdict kind, cell) with
// multiplicity. The file is written by the report's own writer, with input_domain cells that CSV
// quoting and formula neutralising change, and a carried column that is itself named
// input_domain (the report's own is the last of that name).
TEST(Resume, DuplicateAndInvalidRowsMatchWithMultiplicity) {
  const std::string list =
      "domain,input_domain,owner\n"
      "a.example,x,alice\n"          // 2
      "A.Example.,x,dup 1\n"         // 3: DUPLICATE of 2
      "a.example,x,dup 2\n"          // 4: DUPLICATE of 2
      "-bad.example,x,hyphen\n"      // 5: INVALID_INPUT, cell neutralised to '-bad.example
      "\"a,b.example\",x,comma\n"    // 6: INVALID_INPUT, a quoted cell
      ",x,empty\n"                   // 7: INVALID_INPUT, empty cell
      ",x,empty again\n"             // 8: INVALID_INPUT, the same empty cell
      "=1+1,x,formula\n"             // 9: INVALID_INPUT
      "b.example,x,bob\n"            // 10
      "b.example,x,dup\n";           // 11: DUPLICATE of 10
  std::vector<DomainEntry> rows = ReadRows(list);
  ASSERT_EQ(rows.size(), 10u);
  // The first run wrote the header, rows 2-9 (row 2 last: it was being probed while the others,
  // which need no probing, were written), and was killed before rows 10 and 11.
  std::vector<std::string> carried = {"input_domain", "owner"};
  std::string csv = DomainCsvHeader(carried);
  for (size_t i : {1, 2, 3, 4, 5, 6, 7, 0}) {
    DomainResult r;
    r.entry = rows[i];
    r.verdict.verdict = rows[i].kind == RowKind::kDomain      ? Verdict::kOk
                        : rows[i].kind == RowKind::kDuplicate ? Verdict::kDuplicate
                                                              : Verdict::kInvalidInput;
    csv += DomainCsvRow(r, carried);
  }
  std::string path = TempFile(csv);
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume(path, &state, &error)) << error;
  EXPECT_EQ(state.rows.size(), 8u);

  // The resumed run reads the same list: rows 2-9 are done, 10 and 11 are not.
  std::vector<std::string> done;
  for (const DomainEntry& row : rows) {
    Verdict v;
    done.push_back(state.rows.Take(row, &v) ? std::string(VerdictName(v)) : "-");
  }
  EXPECT_EQ(done, (std::vector<std::string>{"OK", "DUPLICATE", "DUPLICATE", "INVALID_INPUT", "INVALID_INPUT",
                                            "INVALID_INPUT", "INVALID_INPUT", "INVALID_INPUT", "-", "-"}));
  EXPECT_EQ(state.rows.size(), 0u) << "every row of the file matched one input row";
  // Used up: a third duplicate, a third empty cell or the same domain again match nothing.
  Verdict v;
  EXPECT_FALSE(state.rows.Take(rows[1], &v));
  EXPECT_FALSE(state.rows.Take(rows[5], &v));
  EXPECT_FALSE(state.rows.Take(rows[0], &v));
  unlink(path.c_str());
}

TEST(Resume, JsonLinesCutAfterLastNewline) {
  std::string path = TempFile("{\"a\":1}\n{\"b\":2}\n{\"c\":");
  uint64_t cut = 0;
  std::string error;
  ASSERT_TRUE(PrepareLinesResume(path, &cut, &error)) << error;
  EXPECT_EQ(cut, 5u);
  EXPECT_EQ(Slurp(path), "{\"a\":1}\n{\"b\":2}\n");
  unlink(path.c_str());
}

}  // namespace
}  // namespace mxsweep::output
