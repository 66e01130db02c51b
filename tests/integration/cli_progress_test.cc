// `scan`'s progress as cron, CI and a terminal see it: status lines every --progress-every
// seconds on a stderr that is no terminal, a live line on one, and counters that are right
// while the sweep runs (the connections counter once stayed at 1 while 19 were made).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/background_world.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/external_server.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif

namespace mxsweep::testing {
namespace {

constexpr char kStatusMark[] = " mxsweep scan: ";

std::vector<std::string> StatusLines(const std::string& err) {
  std::istringstream in(err);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (line.find(kStatusMark) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// NumberBefore reads the number right before |word| in |line|: " connections" in "..., 57
// connections" gives 57.
long NumberBefore(const std::string& line, const std::string& word) {
  size_t at = line.find(word);
  if (at == std::string::npos || at == 0) return -1;
  size_t start = line.rfind(' ', at - 1);
  start = start == std::string::npos ? 0 : start + 1;
  return std::stol(line.substr(start, at - start));
}

TEST(CliProgress, StatusLinesOnANonTerminalWithCountersThatMatchTheSummary) {
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  // One modern address: its plan (auto, EXO, legacy) takes three sessions, 1.5 s apart, so the
  // status lines of the first seconds show sessions made while the address is not done yet.
  std::string args = world.ScanArgs();
  args.replace(args.find("--per-address-gap 0.05"), 22, "--per-address-gap 1.5");
  CliRun r = RunCli("scan - -o " + dir + "/out.csv --hosts " + dir + "/hosts.jsonl --progress-every 1 " + args,
                    "modern.demo\n");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> lines = StatusLines(r.err);
  ASSERT_GE(lines.size(), 2u) << r.err;

  std::stringstream hosts;
  hosts << std::ifstream(dir + "/hosts.jsonl").rdbuf();
  size_t at = hosts.str().find("\"connections\":");
  ASSERT_NE(at, std::string::npos) << hosts.str();
  long made = std::stol(hosts.str().substr(at + 14));
  ASSERT_GE(made, 2) << "the plan needs several sessions here";
  ASSERT_NE(r.err.find("addresses: "), std::string::npos) << r.err;
  EXPECT_EQ(NumberBefore(r.err.substr(r.err.find("addresses: ")), " connections"), made)
      << "the summary counts the connections the address cost: " << r.err;

  bool counted_while_probing = false;
  long previous = 0;
  for (const std::string& line : lines) {
    // Self-contained: "YYYY-MM-DDTHH:MM:SSZ mxsweep scan: ..." with every counter.
    ASSERT_GE(line.size(), 20u) << line;
    EXPECT_EQ(line[4], '-') << line;
    EXPECT_EQ(line[10], 'T') << line;
    EXPECT_EQ(line[19], 'Z') << line;
    EXPECT_EQ(line.find(kStatusMark), 20u) << line;
    for (const char* part : {"/1 domains done", "/1 addresses done", " connections", " domains/s", "elapsed "}) {
      EXPECT_NE(line.find(part), std::string::npos) << part << " in: " << line;
    }
    long connections = NumberBefore(line, " connections");
    EXPECT_GE(connections, previous) << "never goes back: " << line;
    EXPECT_LE(connections, made) << line;
    previous = connections;
    if (line.find("0/1 addresses done") != std::string::npos && connections >= 1) counted_while_probing = true;
  }
  EXPECT_TRUE(counted_while_probing) << "a line while the address was being probed shows its sessions:\n" << r.err;
}

TEST(CliProgress, NoStatusLineBeforeTheIntervalOrWhenTurnedOff) {
  BackgroundWorld world;
  for (const char* every : {"", "--progress-every 0 "}) {
    CliRun r = RunCli(std::string("scan - -o - ") + every + world.ScanArgs(), "modern.demo\n");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(StatusLines(r.err).empty()) << every << ": " << r.err;
    EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no live line on a file: " << r.err;
  }
}

TEST(CliProgress, IntervalOutOfRangeIsAUsageErrorNamingTheFlag) {
  for (const char* value : {"-1", "0.5", "86401", "soon"}) {
    CliRun r = RunCli(std::string("scan - -o - --progress-every ") + value, "modern.demo\n");
    EXPECT_EQ(r.code, 2) << value << ": " << r.err;
    EXPECT_NE(r.err.find("--progress-every"), std::string::npos) << value << ": " << r.err;
    EXPECT_EQ(r.out, "") << value;
  }
}

// On a terminal (script(1) gives the child one) the line is redrawn in place every second.
TEST(CliProgress, LiveLineOnATerminal) {
  if (RunCommand("script --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed";
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  std::string args = world.ScanArgs();
  args.replace(args.find("--per-address-gap 0.05"), 22, "--per-address-gap 1.5");
  std::string command = std::string(MXSWEEP_BINARY) + " scan - -o " + dir + "/out.csv " + args + " <" + dir + "/in";
  std::ofstream(dir + "/in") << "modern.demo\n";
  ASSERT_EQ(RunCommand("script -qec '" + command + "' " + dir + "/typescript >/dev/null"), 0);
  std::stringstream seen;
  seen << std::ifstream(dir + "/typescript").rdbuf();
  std::string text = seen.str();
  EXPECT_NE(text.find("\r0/1 domains, 0/1 addresses, "), std::string::npos) << text;
  EXPECT_NE(text.find(" connections, "), std::string::npos) << text;
  EXPECT_NE(text.find("ETA "), std::string::npos) << text;
  EXPECT_EQ(text.find(kStatusMark), std::string::npos) << "the log form is for non-terminals: " << text;
}

}  // namespace
}  // namespace mxsweep::testing
