#include "output/resume.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

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
  EXPECT_EQ(state.keys, (std::unordered_set<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(state.kept_bytes, whole.size());
  EXPECT_EQ(Slurp(path), whole);
  unlink(path.c_str());
}

TEST(Resume, OverlongOrMalformedFirstCellIsNoKey) {
  std::string whole = "\"domain\",verdict\n" +
                      std::string(513, 'x') + ",OK\n" +
                      std::string(512, 'y') + ",OK\n"
                      "c\"d,OK\n"
                      "e.example\n";
  std::string path = TempFile(whole);
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume(path, &state, &error)) << error;
  EXPECT_EQ(state.header, "\"domain\",verdict");
  EXPECT_EQ(state.keys, (std::unordered_set<std::string>{std::string(512, 'y'), "e.example"}));
  EXPECT_EQ(state.cut_bytes, 0u);
  EXPECT_EQ(state.kept_bytes, whole.size());
  unlink(path.c_str());
}

TEST(Resume, MissingFileIsAFreshStart) {
  CsvResumeState state;
  std::string error;
  ASSERT_TRUE(PrepareCsvResume("/tmp/mxsweep-resume-does-not-exist", &state, &error));
  EXPECT_FALSE(state.existed);
  EXPECT_TRUE(state.keys.empty());
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
