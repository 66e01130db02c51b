// `mxsweep --help` as users expect it: examples, and the verdicts and exit codes in the footer's
// fixed form (other tools parse it); each command's --help with examples of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/verdict/verdict.h"
#include "tests/integration/cli_run.h"

namespace mxsweep::testing {
namespace {

// Block returns the lines after the line |heading| up to the next blank line (or the end).
std::vector<std::string> Block(const std::string& text, const std::string& heading) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> lines;
  bool inside = false;
  while (std::getline(in, line)) {
    if (inside) {
      if (line.empty()) break;
      lines.push_back(line);
    } else if (line == heading) {
      inside = true;
    }
  }
  return lines;
}

// SplitEntry reads "  KEY  MEANING": two spaces, a key without spaces, two or more spaces, a
// meaning. Returns false for any other line.
bool SplitEntry(const std::string& line, std::string* key, std::string* meaning) {
  if (line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ') return false;
  size_t end = line.find(' ', 2);
  if (end == std::string::npos || line.compare(end, 2, "  ") != 0) return false;
  size_t start = line.find_first_not_of(' ', end);
  if (start == std::string::npos) return false;
  *key = line.substr(2, end - 2);
  *meaning = line.substr(start);
  return true;
}

TEST(CliHelp, FooterListsEveryVerdictAndExitCodeInTheParsedForm) {
  CliRun flag = RunCli("--help");
  CliRun command = RunCli("help");
  ASSERT_EQ(flag.code, 0) << flag.err;
  ASSERT_EQ(command.code, 0) << command.err;
  EXPECT_EQ(flag.out, command.out) << "`mxsweep help` is `mxsweep --help`";
  EXPECT_NE(flag.out.find("\nExamples:\n  mxsweep "), std::string::npos) << flag.out;

  std::set<std::string> verdicts;
  for (const std::string& line : Block(flag.out, "Verdicts:")) {
    std::string name, meaning;
    ASSERT_TRUE(SplitEntry(line, &name, &meaning)) << "not '  NAME  meaning': " << line;
    Verdict v;
    ASSERT_TRUE(VerdictFromName(name, &v)) << line;
    EXPECT_EQ(meaning, VerdictMeaning(v));
    EXPECT_TRUE(verdicts.insert(name).second) << "listed twice: " << name;
  }
  for (Verdict v : kAllVerdicts) {
    EXPECT_TRUE(verdicts.count(std::string(VerdictName(v)))) << VerdictName(v) << " missing";
  }

  std::vector<int> codes;
  for (const std::string& line : Block(flag.out, "Exit codes:")) {
    std::string code, meaning;
    ASSERT_TRUE(SplitEntry(line, &code, &meaning)) << "not '  N  meaning': " << line;
    for (char c : code) ASSERT_TRUE(std::isdigit(static_cast<unsigned char>(c))) << line;
    codes.push_back(std::stoi(code));
  }
  for (size_t i = 1; i < codes.size(); i++) EXPECT_LT(codes[i - 1], codes[i]) << "ascending, each once";
  for (int code : {0, 1, 2, 3, 4, 130}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << "exit code " << code << " missing";
  }
}

TEST(CliHelp, EachCommandShowsExamples) {
  for (const char* command : {"scan", "probe", "demo"}) {
    CliRun flag = RunCli(std::string(command) + " --help");
    CliRun help = RunCli(std::string("help ") + command);
    ASSERT_EQ(flag.code, 0) << command << ": " << flag.err;
    ASSERT_EQ(help.code, 0) << command << ": " << help.err;
    EXPECT_EQ(flag.out, help.out) << command;
    std::vector<std::string> examples = Block(flag.out, "Examples:");
    EXPECT_GE(examples.size(), 2u) << command << ":\n" << flag.out;
    EXPECT_LE(examples.size(), 3u) << command << ":\n" << flag.out;
    for (const std::string& line : examples) {
      EXPECT_NE(line.find("mxsweep " + std::string(command)), std::string::npos) << line;
    }
    // The verdict list belongs to the main page only.
    EXPECT_EQ(flag.out.find("Verdicts:"), std::string::npos) << command;
  }
}

TEST(CliHelp, HelpForAnUnknownCommandIsAUsageError) {
  CliRun r = RunCli("help nope");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no command 'nope'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace mxsweep::testing
