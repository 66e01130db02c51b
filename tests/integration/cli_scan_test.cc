// `mxsweep scan` and `mxsweep demo` as a user runs them: stdin to stdout, carried columns, bad
// lines, no overwrite without --force, the summary, exit codes.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

#include "base/csv_reader.h"
#include "sim/demo_world.h"
#include "tests/integration/background_world.h"
#include "tests/integration/external_server.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif
#ifndef MXSWEEP_VERSION
#error "MXSWEEP_VERSION must be defined by the build"
#endif

namespace mxsweep::testing {
namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

Result RunMxsweep(const std::string& args, const std::string& stdin_text = "") {
  std::string dir = MakeTempDir();
  std::string in = dir + "/in", out = dir + "/out", err = dir + "/err";
  std::ofstream(in) << stdin_text;
  int status = std::system((std::string(MXSWEEP_BINARY) + " " + args + " <" + in + " >" + out + " 2>" + err).c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream o, e;
  o << std::ifstream(out).rdbuf();
  e << std::ifstream(err).rdbuf();
  r.out = o.str();
  r.err = e.str();
  return r;
}

// CsvRows parses a whole CSV text into rows of cells (the header first).
std::vector<std::vector<std::string>> CsvRows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(CsvReader::Options{});
  std::vector<std::string> row;
  for (char c : csv) {
    CsvReader::Event event = reader.Push(c);
    if (event == CsvReader::Event::kNone) continue;
    row.push_back(reader.field());
    if (event == CsvReader::Event::kRecord) rows.push_back(std::move(row)), row.clear();
  }
  return rows;
}

// Cell returns the cell of |row| under |column| in |header|, or "?" when there is none.
std::string Cell(const std::vector<std::string>& header, const std::vector<std::string>& row,
                 const std::string& column) {
  for (size_t i = 0; i < header.size() && i < row.size(); i++) {
    if (header[i] == column) return row[i];
  }
  return "?";
}

// LastLine returns the last line of |text|.
std::string LastLine(const std::string& text) {
  size_t end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

TEST(CliScan, StdinToStdoutWithCarriedColumnsAndBadLines) {
  BackgroundWorld world;
  Result r = RunMxsweep("scan - -o - " + world.ScanArgs(),
                 "domain,owner\n"
                 "modern.demo,\"Alice, Ops\"\n"
                 "bad domain!,Bob\n"
                 "oldbox.demo,=SUM(A1)\n"
                 "Modern.Demo.,dup\n");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("domain,verdict,impact,action,mx_hosts,legacy_only_hosts,not_probed,cert_problems,"
                         "error_detail,owner,scan_time,input_domain", 0), 0u) << header;
  EXPECT_NE(r.out.find("modern.demo,OK,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("oldbox.demo,LEGACY_ONLY,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"Alice, Ops\""), std::string::npos) << "carried column quoted";
  EXPECT_NE(r.out.find("'=SUM(A1)"), std::string::npos) << "formula neutralised: " << r.out;
  EXPECT_NE(r.err.find("line 3:"), std::string::npos) << "bad line reported with its number: " << r.err;
  EXPECT_NE(r.err.find("4 input rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("LEGACY_ONLY"), std::string::npos) << "summary per verdict: " << r.err;
}

// Issue 15: one row per input data row. A bad row is INVALID_INPUT with the reason and its line,
// a repeated domain is DUPLICATE pointing at the row with the verdict; both keep their carried
// cells and are never probed; input_domain keeps each row's own spelling.
TEST(CliScan, EveryInputRowHasARow) {
  BackgroundWorld world;
  const std::string list =
      "domain,owner\n"                // 1: the header is no row
      "modern.demo,Alice\n"           // 2
      "# a comment is no row\n"       // 3
      "bad domain!,Bob\n"             // 4: INVALID_INPUT (bad character)
      "\n"                            // 5: nor is a blank line
      "oldbox.demo,Carol,extra\n"     // 6: INVALID_INPUT (a cell more than the header)
      "Modern.Demo.,Dave\n"           // 7: DUPLICATE of line 2
      "bücher.demo,Erin\n"            // 8: an IDN (no such domain in the world: NO_MAIL)
      ",Frank\n"                      // 9: INVALID_INPUT (empty domain cell)
      "modern.demo,Grace\n";          // 10: DUPLICATE of line 2
  Result r = RunMxsweep("scan - -o - " + world.ScanArgs(), list);
  ASSERT_EQ(r.code, 0) << "invalid and duplicate rows alone do not make a sweep inconclusive: " << r.err;
  std::vector<std::vector<std::string>> rows = CsvRows(r.out);
  ASSERT_EQ(rows.size(), 8u) << "a header and 7 rows, one per input data row:\n" << r.out;
  const std::vector<std::string>& h = rows[0];
  EXPECT_EQ(h.back(), "input_domain");
  struct Want {
    const char* owner;
    const char* domain;
    const char* verdict;
    const char* input_domain;
    const char* detail;  // in error_detail
  };
  const Want wants[] = {
      {"Alice", "modern.demo", "OK", "modern.demo", ""},
      {"Bob", "", "INVALID_INPUT", "bad domain!", "line 4: "},
      {"Carol", "", "INVALID_INPUT", "oldbox.demo", "line 6: 3 fields but the header has 2"},
      {"Dave", "modern.demo", "DUPLICATE", "Modern.Demo.", "line 7: same domain as line 2 (modern.demo); its verdict is on that row"},
      {"Erin", "xn--bcher-kva.demo", "NO_MAIL", "bücher.demo", ""},
      {"Frank", "", "INVALID_INPUT", "", "line 9: empty domain cell"},
      {"Grace", "modern.demo", "DUPLICATE", "modern.demo", "same domain as line 2"},
  };
  for (const Want& w : wants) {
    auto row = std::find_if(rows.begin() + 1, rows.end(), [&](const auto& cells) { return Cell(h, cells, "owner") == w.owner; });
    ASSERT_NE(row, rows.end()) << w.owner << " has no row:\n" << r.out;
    EXPECT_EQ(Cell(h, *row, "domain"), w.domain) << w.owner;
    EXPECT_EQ(Cell(h, *row, "verdict"), w.verdict) << w.owner;
    EXPECT_EQ(Cell(h, *row, "input_domain"), w.input_domain) << w.owner;
    EXPECT_NE(Cell(h, *row, "error_detail").find(w.detail), std::string::npos) << w.owner << ": " << Cell(h, *row, "error_detail");
    EXPECT_FALSE(Cell(h, *row, "action").empty()) << w.owner;
    EXPECT_FALSE(Cell(h, *row, "scan_time").empty()) << w.owner;
  }
  // Never probed: only modern.demo's address was met (oldbox.demo's row was invalid).
  EXPECT_NE(r.err.find("addresses: 1 met"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("7 input rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  INVALID_INPUT      3\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  DUPLICATE          2\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  OK                 1\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  NO_MAIL            1\n"), std::string::npos) << r.err;
  EXPECT_EQ(LastLine(r.err),
            "mxsweep scan: 2 of 2 domains have a definite verdict; 0 inconclusive; 5 input rows invalid or duplicate")
      << r.err;
}

// Issue 15: the final line says how far the sweep can be relied on, and exit code 5 tells a
// script "finished, but some domains are inconclusive" apart from 0, "every domain definite".
TEST(CliScan, InconclusiveDomainsMakeExitCodeFive) {
  BackgroundWorld world;
  // busy.demo answers 421: no retries, or the back-off makes this test wait a minute and a half.
  Result r = RunMxsweep("scan - -o - --tempfail-retries 0 " + world.ScanArgs(),
                        "modern.demo\ndead.demo\nbusy.demo\nservfail.demo\nbad..row\n");
  EXPECT_EQ(r.code, 5) << r.err;
  EXPECT_EQ(LastLine(r.err),
            "mxsweep scan: 1 of 4 domains have a definite verdict; 3 inconclusive (1 UNREACHABLE, 1 TEMPFAIL, "
            "1 DNS_ERROR); 1 input rows invalid or duplicate")
      << r.err;
  r = RunMxsweep("scan - -o - " + world.ScanArgs(), "modern.demo\noldbox.demo\ngone.demo\n");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(LastLine(r.err),
            "mxsweep scan: 3 of 3 domains have a definite verdict; 0 inconclusive; 0 input rows invalid or duplicate")
      << r.err;
}

// PipedScan runs `mxsweep scan - -o -` with its stdin and stdout on pipes the test holds, so the
// test can pace the input like a slow producer and watch the rows arrive.
class PipedScan {
 public:
  explicit PipedScan(const std::string& args) {
    // Everything the child needs is made before fork: the test process has threads (the demo
    // world's loop), and a child of a threaded process may only make async-signal-safe calls
    // until exec (a malloc could wait forever on a lock another thread held at the fork).
    std::string command = "exec " + std::string(MXSWEEP_BINARY) + " scan - -o - " + args;
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      close(in[0]);
      close(in[1]);
      close(out[0]);
      close(out[1]);
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_child_ = in[1];
    from_child_ = out[0];
  }
  ~PipedScan() {
    CloseInput();
    if (from_child_ >= 0) close(from_child_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool started() const { return pid_ > 0; }
  void Write(const std::string& text) { ASSERT_EQ(write(to_child_, text.data(), text.size()), static_cast<ssize_t>(text.size())); }
  void CloseInput() {
    if (to_child_ >= 0) close(to_child_);
    to_child_ = -1;
  }
  // ReadUntil reads the child's stdout until |needle| appears or |timeout| passes.
  bool ReadUntil(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out_.find(needle) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{from_child_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = read(from_child_, buf, sizeof(buf));
      if (n <= 0) return out_.find(needle) != std::string::npos;
      out_.append(buf, n);
    }
    return true;
  }
  // Wait returns the exit code, or -1 when the child did not exit within |timeout|.
  int Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  pid_t pid() const { return pid_; }
  const std::string& out() const { return out_; }

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string out_;
};

// A producer that pauses: rows for the domains already read arrive while the pipe is idle (the
// loop does not sit in a blocking read), the header first.
TEST(CliScan, PipedInputIsSweptWhileTheProducerPauses) {
  BackgroundWorld world;
  PipedScan scan(world.ScanArgs());
  ASSERT_TRUE(scan.started());
  scan.Write("domain,owner\nmodern.demo,alice\n");
  ASSERT_TRUE(scan.ReadUntil("modern.demo,OK", std::chrono::seconds(20)))
      << "no row while the input is open and idle; got: " << scan.out();
  EXPECT_EQ(scan.out().rfind("domain,verdict,", 0), 0u) << "the header comes first: " << scan.out();
  EXPECT_NE(scan.out().find(",owner,scan_time"), std::string::npos) << scan.out();
  scan.Write("oldbox.demo,bob\n");
  scan.CloseInput();
  EXPECT_EQ(scan.Wait(std::chrono::seconds(30)), 0);
  ASSERT_TRUE(scan.ReadUntil("oldbox.demo,", std::chrono::seconds(5))) << scan.out();
}

// Ctrl-C while the producer is idle: the sweep stops without waiting for more input.
TEST(CliScan, InterruptWhileThePipeIsIdle) {
  BackgroundWorld world;
  PipedScan scan(world.ScanArgs());
  ASSERT_TRUE(scan.started());
  scan.Write("modern.demo\n");
  ASSERT_TRUE(scan.ReadUntil("modern.demo,OK", std::chrono::seconds(20))) << scan.out();
  kill(scan.pid(), SIGINT);
  EXPECT_EQ(scan.Wait(std::chrono::seconds(10)), 130) << "the input pipe is still open";
}

TEST(CliScan, RefusesToOverwriteWithoutForce) {
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  std::string out = dir + "/partners.csv";
  std::ofstream(out) << "precious\n";
  Result r = RunMxsweep("scan - -o " + out + " " + world.ScanArgs(), "modern.demo\n");
  EXPECT_EQ(r.code, 2) << "a refused overwrite is a usage error, not an I/O error: " << r.err;
  EXPECT_NE(r.err.find("refusing to overwrite"), std::string::npos) << r.err;
  std::stringstream kept;
  kept << std::ifstream(out).rdbuf();
  EXPECT_EQ(kept.str(), "precious\n");
  r = RunMxsweep("scan - -o " + out + " --force --hosts " + dir + "/hosts.jsonl " + world.ScanArgs(), "modern.demo\n");
  EXPECT_EQ(r.code, 0) << r.err;
  std::stringstream csv, hosts;
  csv << std::ifstream(out).rdbuf();
  hosts << std::ifstream(dir + "/hosts.jsonl").rdbuf();
  EXPECT_NE(csv.str().find("modern.demo,OK"), std::string::npos);
  EXPECT_NE(hosts.str().find("\"domains\":[\"modern.demo\"]"), std::string::npos) << hosts.str();
}

TEST(CliScan, PrivateMxRefusedWithoutAllowPrivate) {
  BackgroundWorld world;
  std::string args = world.ScanArgs();
  args.replace(args.find(" --allow-private"), 16, "");
  Result r = RunMxsweep("scan - -o - " + args, "modern.demo\n");
  EXPECT_EQ(r.code, 5) << "finished, but the domain is inconclusive: " << r.err;
  EXPECT_NE(r.out.find("modern.demo,UNREACHABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("target-refused"), std::string::npos) << r.out;
}

TEST(CliScan, UnreadableInputIsAUsageError) {
  Result r = RunMxsweep("scan /nonexistent/list.txt -o -");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/list.txt"), std::string::npos);
}

// Issue 15: a resolver that does not answer once gave a "finished" report with every partner
// DNS_ERROR in no time. Now nothing is swept and no file is made.
TEST(CliScan, ResolverThatDoesNotAnswerIsRefusedBeforeAnyOutput) {
  std::string dir = MakeTempDir();
  std::string out = dir + "/out.csv";
  Result r = RunMxsweep("scan - -o " + out + " --resolver 127.0.0.9:5399", "example.com\nexample.org\n");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("127.0.0.9:5399"), std::string::npos) << "names the resolver: " << r.err;
  EXPECT_NE(r.err.find("no DNS resolver answers"), std::string::npos) << r.err;
  EXPECT_FALSE(std::ifstream(out).good()) << "no output file";
  r = RunMxsweep("scan - -o - --resolver 127.0.0.9:5399", "example.com\n");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.out, "") << "no rows, not even a header";
}

// Issue 15: an input with no usable domain is a usage error with one message saying why, and
// leaves no output file behind.
TEST(CliScan, InputWithoutDomainsIsAUsageError) {
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  struct Case {
    const char* name;
    const char* text;  // nullptr: the input is a directory
    const char* says;
  };
  const Case cases[] = {
      {"empty", "", "is empty"},
      {"comments", "# partners\n\n   \n# none yet\n", "only blank lines and comments"},
      {"no-domain-column", "name,owner\nexample.com,Alice\nexample.org,Bob\n", "`domain` column"},
      {"semicolons", "domain;owner\nexample.com;Alice\nexample.org;Bob\n", "';'-separated CSV"},
      {"dir", nullptr, "is a directory"},
  };
  for (const Case& c : cases) {
    std::string list = dir + "/" + c.name;
    if (c.text) {
      std::ofstream(list) << c.text;
    } else {
      mkdir(list.c_str(), 0700);
    }
    std::string out = list + ".csv";
    Result r = RunMxsweep("scan " + list + " -o " + out + " " + world.ScanArgs());
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(list), std::string::npos) << c.name << ": names the input: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.name << ": one message: " << r.err;
    EXPECT_FALSE(std::ifstream(out).good()) << c.name << ": no output file";
  }
  // A mistyped first line with a comma is one bad line, not a reason to drop a good list.
  Result good = RunMxsweep("scan - -o - " + world.ScanArgs(), "modern.demo,\noldbox.demo\n");
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_NE(good.out.find("oldbox.demo,LEGACY_ONLY"), std::string::npos) << good.out;
  // From stdin too, where nothing is known before reading.
  Result r = RunMxsweep("scan - -o - " + world.ScanArgs(), "domain;owner\nexample.com;Alice\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("';'-separated CSV"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // Every line bad: each is an INVALID_INPUT row as it is read, so stdout has them; the run is
  // still refused, and a named output file is removed.
  r = RunMxsweep("scan - -o - " + world.ScanArgs(), "bad..one\nbad..two\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("no line holds a usable domain (2 bad lines, reported above)"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << "the header and two rows: " << r.out;
  EXPECT_NE(r.out.find(",INVALID_INPUT,"), std::string::npos) << r.out;
  std::string all_bad = dir + "/all-bad.csv";
  r = RunMxsweep("scan - -o " + all_bad + " " + world.ScanArgs(), "bad..one\nbad..two\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_FALSE(std::ifstream(all_bad).good()) << "no output file";
}

// Issue 15: when most recent domains end in DNS_ERROR the resolver is failing, not the
// partners: the sweep stops with the resume hint rather than fill the CSV with DNS_ERROR rows.
TEST(CliScan, SweepStopsWhenMostRecentDomainsFailDns) {
  constexpr int kDomains = 400;
  BackgroundWorld world([](sim::DemoWorld& w) {
    for (int i = 0; i < kDomains; i++) w.zone().SetFault("f" + std::to_string(i) + ".demo", sim::DnsFault::kServFail);
  });
  std::string list;
  for (int i = 0; i < kDomains; i++) list += "f" + std::to_string(i) + ".demo\n";
  auto rows = [](const std::string& csv) {
    return static_cast<int>(std::count(csv.begin(), csv.end(), '\n')) - 1;  // less the header
  };
  std::string args = "scan - -o - --max-domains-in-flight 10 " + world.ScanArgs();
  Result r = RunMxsweep(args, list);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("DNS_ERROR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  EXPECT_GE(rows(r.out), 200);
  EXPECT_LT(rows(r.out), kDomains) << "stopped early";
  r = RunMxsweep(args + " --keep-going", list);
  EXPECT_EQ(r.code, 5) << "swept to the end, every domain inconclusive: " << r.err;
  EXPECT_EQ(rows(r.out), kDomains);
  EXPECT_NE(LastLine(r.err).find("0 of 400 domains have a definite verdict; 400 inconclusive (400 DNS_ERROR)"),
            std::string::npos) << r.err;
}

TEST(CliScan, ZeroDomainsInFlightIsAUsageError) {
  Result r = RunMxsweep("scan - -o - --max-domains-in-flight 0", "example.com\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-domains-in-flight"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "") << "nothing written, not even a header";
}

TEST(CliScan, ZeroOrNegativeRateIsAUsageError) {
  // A rate of 0 once meant "unlimited" deep in the scheduler; it is a mistake, said at once.
  for (const char* rate : {"0", "-5", "0.0", "inf"}) {
    Result r = RunMxsweep(std::string("scan - -o - --rate ") + rate, "example.com\n");
    EXPECT_EQ(r.code, 2) << rate << ": " << r.err;
    EXPECT_NE(r.err.find("--rate"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_EQ(r.out, "") << "nothing written, not even a header";
  }
}

// A negative number once wrapped into a size_t (--concurrency -5 swept with 2^64-5 sessions
// allowed); every number is now checked against its range, and the message names both.
TEST(CliScan, OutOfRangeNumbersAreUsageErrorsNamingTheRange) {
  struct Case {
    const char* args;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"--concurrency -5", "--concurrency must be between 1 and 1048576"},
           {"--concurrency 0", "--concurrency must be between 1 and 1048576"},
           {"--max-domains-in-flight -1", "--max-domains-in-flight must be between 1 and 1000000"},
           {"--port 0", "--port must be between 1 and 65535"},
           {"--port 70000", "--port must be between 1 and 65535"},
           {"--port -1", "--port must be between 1 and 65535"},
           {"--tempfail-retries -1", "--tempfail-retries must be between 0 and 10"},
           {"--resolver 127.0.0.2:99999", "--resolver 127.0.0.2:99999: the port must be between 1 and 65535"},
           {"--resolver [::1]:0", "--resolver [::1]:0: the port must be between 1 and 65535"},
           {"--resolver dns.example", "--resolver dns.example: not an IP address"},
       }) {
    Result r = RunMxsweep(std::string("scan - -o - ") + c.args, "example.com\n");
    EXPECT_EQ(r.code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_EQ(r.out, "") << c.args << ": nothing written, not even a header";
  }
}

TEST(CliCommands, VersionFlagAndCommandPrintTheVersionAndTheTlsLibrary) {
  for (const char* args : {"--version", "version"}) {
    Result r = RunMxsweep(args);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    EXPECT_EQ(r.out.rfind(std::string("mxsweep ") + MXSWEEP_VERSION, 0), 0u) << args << ": " << r.out;
    EXPECT_NE(r.out.find("BoringSSL"), std::string::npos) << args << ": " << r.out;
    EXPECT_EQ(r.err, "") << args;
  }
}

TEST(CliCommands, UnknownCommandSuggestsTheClosest) {
  struct Case {
    const char* args;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"scna", "unknown command 'scna'; did you mean 'scan'?"},
           {"prob 127.0.0.1", "unknown command 'prob'; did you mean 'probe'?"},
           {"dmeo", "unknown command 'dmeo'; did you mean 'demo'?"},
           {"versoin", "unknown command 'versoin'; did you mean 'version'?"},
           {"frobnicate", "unknown command 'frobnicate'; the commands are probe, scan, demo, version and help"},
           {"", "a command is required"},
       }) {
    Result r = RunMxsweep(c.args);
    EXPECT_EQ(r.code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.args;
  }
}

TEST(CliDemo, WritesEveryVerdict) {
  std::string dir = MakeTempDir();
  Result r = RunMxsweep("demo -o " + dir + "/demo.csv");
  // The demo's world is inconclusive on purpose in places; a finished demo still exits 0.
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("4 inconclusive (2 UNREACHABLE, 1 TEMPFAIL, 1 DNS_ERROR)"), std::string::npos) << r.err;
  std::stringstream csv;
  csv << std::ifstream(dir + "/demo.csv").rdbuf();
  for (const char* v : {"OK", "OK_LEGACY_ENABLED", "PARTIAL", "LEGACY_ONLY", "NO_SHARED_CIPHER", "TLS13_ONLY",
                        "NO_STARTTLS", "TLS_BROKEN", "UNREACHABLE", "TEMPFAIL", "NO_MAIL", "DNS_ERROR"}) {
    EXPECT_NE(csv.str().find("," + std::string(v) + ","), std::string::npos) << v;
  }
}

// A demo whose scan is refused before the sweep (an output path that cannot be written) still
// closes its simulated servers: an I/O error, not an abort in libuv.
TEST(CliDemo, UnwritableOutputIsAnErrorNotACrash) {
  Result r = RunMxsweep("demo -o /nonexistent-mxsweep-dir/demo.csv");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Assertion"), std::string::npos) << r.err;
}

// Issue 16: what the resolver cut or ignored is said in error_detail, even beside an OK.
TEST(CliScan, MxCapAndNullMxBesideARealMxAreNotedInErrorDetail) {
  BackgroundWorld world([](sim::DemoWorld& w) {
    std::string modern;
    for (const auto& s : w.servers()) {
      if (s->config().host_name == "mx1.modern.demo") modern = s->config().address;
    }
    ASSERT_FALSE(modern.empty());
    for (int i = 0; i < 33; ++i) {
      std::string host = "mx" + std::to_string(i) + ".wide.demo";
      w.zone().AddMx("wide.demo", static_cast<uint16_t>(i), host);
      w.zone().AddA(host, modern);
    }
    w.zone().AddMx("nullplus.demo", 0, ".");
    w.zone().AddMx("nullplus.demo", 10, "mx1.modern.demo");
  });
  Result r = RunMxsweep("scan - -o - " + world.ScanArgs(), "wide.demo\nnullplus.demo\n");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line, wide, nullplus;
  while (std::getline(lines, line)) {
    if (line.rfind("wide.demo,", 0) == 0) wide = line;
    if (line.rfind("nullplus.demo,", 0) == 0) nullplus = line;
  }
  EXPECT_EQ(wide.rfind("wide.demo,OK,", 0), 0u) << r.out;
  EXPECT_NE(wide.find("33 MX hosts, only the 32 most preferred kept"), std::string::npos) << wide;
  EXPECT_EQ(nullplus.rfind("nullplus.demo,OK,", 0), 0u) << r.out;
  EXPECT_NE(nullplus.find("null MX ignored"), std::string::npos) << nullplus;
}

// Issue 15: every output path is checked before any file is made — a bad --hosts path leaves no
// empty -o file behind (which the next run would refuse to overwrite), and an existing --hosts
// file stops the run before the CSV is created.
TEST(CliScan, OutputPathsAreCheckedBeforeAnyFileIsCreated) {
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  std::string out = dir + "/out.csv";
  Result r = RunMxsweep("scan - -o " + out + " --hosts /nonexistent-mxsweep-dir/h.jsonl " + world.ScanArgs(),
                        "modern.demo\n");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("/nonexistent-mxsweep-dir/h.jsonl"), std::string::npos) << r.err;
  EXPECT_NE(access(out.c_str(), F_OK), 0) << "no empty CSV left behind";
  std::ofstream(dir + "/hosts.jsonl") << "{}\n";
  r = RunMxsweep("scan - -o " + out + " --hosts " + dir + "/hosts.jsonl " + world.ScanArgs(), "modern.demo\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(access(out.c_str(), F_OK), 0) << "the CSV is not created when --hosts is refused";
}

// Issue 7, part 5: a full disk or an unwritable path is a clear error (exit 1) that stops the
// sweep; nothing is silently dropped.
TEST(CliScan, FullDiskAndUnwritablePathAreClearErrors) {
  BackgroundWorld world;
  Result r = RunMxsweep("scan - -o /nonexistent-dir/out.csv " + world.ScanArgs(), "modern.demo\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/nonexistent-dir/out.csv"), std::string::npos) << r.err;
  if (access("/dev/full", W_OK) == 0) {
    r = RunMxsweep("scan - -o /dev/full --force " + world.ScanArgs(), "modern.demo\nlegacy.demo\n");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  }
}

// SummaryCounts reads the summary on stderr: the "N input rows ... W written" line and the sum
// of the per-verdict lines.
struct SummaryCounts {
  long input_rows = -1;
  long written = -1;
  long verdicts = 0;
};

SummaryCounts ReadSummary(const std::string& err) {
  // Plain parsing, not <regex>: GCC 12's regex trips -Wmaybe-uninitialized under the sanitizers.
  SummaryCounts c;
  const std::string lead = "mxsweep scan: ";
  std::istringstream lines(err);
  std::string line;
  while (std::getline(lines, line)) {
    size_t at = line.find(lead);
    if (at != std::string::npos && line.find(" input rows", at) != std::string::npos) {
      size_t digits = at + lead.size();
      if (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) {
        c.input_rows = std::stol(line.substr(digits));
      }
      size_t colon = line.find(": ", digits);
      if (colon != std::string::npos && line.find(" written", colon) != std::string::npos) {
        c.written = std::stol(line.substr(colon + 2));
      }
      continue;
    }
    // "  VERDICT_NAME   N": two spaces, upper-case letters and '_', spaces, a number.
    if (line.rfind("  ", 0) != 0 || line.size() < 4 || !std::isupper(static_cast<unsigned char>(line[2]))) continue;
    size_t name_end = line.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 2);
    if (name_end == std::string::npos || line[name_end] != ' ') continue;
    size_t number = line.find_first_not_of(' ', name_end);
    if (number == std::string::npos || line.find_first_not_of("0123456789", number) != std::string::npos) continue;
    c.verdicts += std::stol(line.substr(number));
  }
  return c;
}

// Issue 16: when writing fails, the summary counts the rows written, not the verdicts reached,
// and says how many were not written.
TEST(CliScan, SummaryAfterAWriteFailureCountsOnlyTheRowsWritten) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  const std::string list = "modern.demo\noldbox.demo\n";

  // The hosts file fills at the first address: the domain's row is never written.
  Result r = RunMxsweep("scan - -o " + dir + "/out.csv --hosts /dev/full --force " + world.ScanArgs(), list);
  EXPECT_EQ(r.code, 1) << r.err;
  std::stringstream csv;
  csv << std::ifstream(dir + "/out.csv").rdbuf();
  long rows = -1;  // the header is not a row
  for (std::string line; std::getline(csv, line);) rows++;
  SummaryCounts c = ReadSummary(r.err);
  EXPECT_EQ(c.written, rows) << "CSV:\n" << csv.str() << "stderr:\n" << r.err;
  EXPECT_EQ(c.verdicts, rows) << r.err;
  EXPECT_NE(r.err.find("not written"), std::string::npos) << r.err;

  // The CSV itself cannot be written: not even the header.
  r = RunMxsweep("scan - -o /dev/full --force " + world.ScanArgs(), list);
  EXPECT_EQ(r.code, 1) << r.err;
  c = ReadSummary(r.err);
  EXPECT_EQ(c.written, 0) << r.err;
  EXPECT_EQ(c.verdicts, 0) << r.err;
}

}  // namespace
}  // namespace mxsweep::testing
