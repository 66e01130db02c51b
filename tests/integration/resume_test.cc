// Interrupted sweeps lose nothing (issue 7, part 4): a real `mxsweep scan` child process against
// a simulated fleet is killed with SIGKILL mid-sweep (and, separately, stopped with SIGINT, SIGTERM
// or SIGHUP), then run again with --resume; the two runs together must hold every domain exactly
// once.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "base/csv_reader.h"
#include "sim/dns_responder.h"
#include "sim/smtp_server.h"
#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif

extern char** environ;

namespace mxsweep::testing {
namespace {

using std::chrono::milliseconds;

constexpr int kDomains = 60;

// SlowFleet serves kDomains domains, each with its own MX host on its own 127.62.10.x address,
// every server slow enough (reply latency) that a sweep at low concurrency takes several seconds
// and finishes domains one after another. It runs on its own loop in a thread.
class SlowFleet {
 public:
  SlowFleet() {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
      auto* self = static_cast<SlowFleet*>(a->data);
      for (auto& s : self->servers_) s->Close([] {});
      self->dns_->Close([] {});
      uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
    });
    stop_.data = this;
    dns_ = std::make_unique<sim::DnsResponder>(&loop_);
    EXPECT_EQ(dns_->Start("127.62.10.250", 0), 0);
    for (int i = 0; i < kDomains; i++) {
      sim::SimServerConfig config;
      config.address = "127.62.10." + std::to_string(i + 1);
      config.port = port_;
      config.host_name = "mx.d" + std::to_string(i) + ".resume.test";
      config.reply_delay = milliseconds(40);
      std::string error;
      auto server = sim::SimSmtpServer::Start(&loop_, config, Pki(), &error);
      if (!server) {
        ADD_FAILURE() << error;
        break;
      }
      port_ = server->port();
      std::string domain = "d" + std::to_string(i) + ".resume.test";
      dns_->zone().AddMx(domain, 10, config.host_name);
      dns_->zone().AddA(config.host_name, config.address);
      list_ += domain + "\n";
      servers_.push_back(std::move(server));
    }
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  ~SlowFleet() {
    uv_async_send(&stop_);
    thread_.join();
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  const std::string& list() const { return list_; }
  std::vector<std::string> ScanArgs() const {
    return {"--resolver", dns_->address(), "--port", std::to_string(port_), "--allow-private",
            "--per-address-gap", "0", "--concurrency", "4", "--greeting-timeout", "5",
            "--ca-file", CaFile()};
  }

 private:
  uv_loop_t loop_;
  uv_async_t stop_;
  std::unique_ptr<sim::DnsResponder> dns_;
  std::vector<std::unique_ptr<sim::SimSmtpServer>> servers_;
  uint16_t port_ = 0;
  std::string list_;
  std::thread thread_;
};

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

// Spawn starts mxsweep with |args|, stdout and stderr to files in |dir|; with |ignore_sighup|
// it starts as under `nohup`, SIGHUP ignored (a shell sets that, then execs mxsweep in place).
pid_t Spawn(const std::vector<std::string>& args, const std::string& dir, bool ignore_sighup = false) {
  std::vector<std::string> argv = {MXSWEEP_BINARY};
  if (ignore_sighup) argv = {"/bin/sh", "-c", "trap '' HUP; exec \"$0\" \"$@\"", MXSWEEP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (dir + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (dir + "/stderr").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0);
  return pid;
}

// WaitExit waits up to |timeout| for |pid| and returns its exit code (-signal when killed).
int WaitExit(pid_t pid, milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    if (std::chrono::steady_clock::now() > until) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "mxsweep did not exit in time";
      return -1000;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

// CountRows counts the CRLF-terminated rows after the header.
size_t CountRows(const std::string& csv) {
  size_t rows = 0;
  for (size_t pos = 0; (pos = csv.find("\r\n", pos)) != std::string::npos; pos += 2) rows++;
  return rows > 0 ? rows - 1 : 0;
}

// WaitForRows polls |path| until it holds at least |rows| rows.
bool WaitForRows(const std::string& path, size_t rows, milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (CountRows(Slurp(path)) >= rows) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return false;
}

// DomainCounts maps the first cell of every row to how often it appears.
std::map<std::string, int> DomainCounts(const std::string& csv, std::string* header) {
  std::map<std::string, int> counts;
  std::istringstream in(csv);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {
      *header = line;
      first = false;
      continue;
    }
    counts[line.substr(0, line.find(','))]++;
  }
  return counts;
}

void ExpectEveryDomainOnce(const std::string& csv) {
  std::string header;
  std::map<std::string, int> counts = DomainCounts(csv, &header);
  EXPECT_EQ(header.rfind("domain,verdict,", 0), 0u) << header;
  EXPECT_EQ(csv.find("domain,verdict,", 1), std::string::npos) << "header written twice";
  EXPECT_EQ(counts.size(), static_cast<size_t>(kDomains));
  for (int i = 0; i < kDomains; i++) {
    std::string d = "d" + std::to_string(i) + ".resume.test";
    EXPECT_EQ(counts[d], 1) << d;
  }
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

void ExpectWholeJsonLines(const std::string& jsonl) {
  std::istringstream in(jsonl);
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    lines++;
    EXPECT_TRUE(!line.empty() && line.front() == '{' && line.back() == '}') << line;
  }
  EXPECT_GE(lines, static_cast<size_t>(kDomains));
  EXPECT_EQ(jsonl.back(), '\n');
}

TEST(Resume, SweepKilledWithSigkillResumesWithoutLossOrDuplicates) {
  SlowFleet fleet;
  std::string dir = MakeTempDir();
  std::ofstream(dir + "/list.txt") << fleet.list();
  std::string out = dir + "/out.csv", hosts = dir + "/hosts.jsonl";
  std::vector<std::string> args = {"scan", dir + "/list.txt", "-o", out, "--hosts", hosts};
  for (const std::string& a : fleet.ScanArgs()) args.push_back(a);

  pid_t pid = Spawn(args, dir);
  ASSERT_TRUE(WaitForRows(out, 10, milliseconds(30000))) << Slurp(dir + "/stderr");
  kill(pid, SIGKILL);
  EXPECT_EQ(WaitExit(pid, milliseconds(5000)), -SIGKILL);
  std::string first = Slurp(out);
  size_t first_rows = CountRows(first);
  ASSERT_LT(first_rows, static_cast<size_t>(kDomains)) << "the sweep ended before the kill";

  // A write torn by the kill: half a row, and half a JSON line, at the end of the files.
  std::ofstream(out, std::ios::app) << "d0.resume.test,OK,\"half a ro";
  std::ofstream(hosts, std::ios::app) << "{\"host\":\"torn";

  // Without --resume (or --force) the file is never overwritten: a usage error (exit 2).
  pid = Spawn(args, dir);
  EXPECT_EQ(WaitExit(pid, milliseconds(10000)), 2);
  EXPECT_EQ(Slurp(out).substr(0, first.size()), first);

  args.push_back("--resume");
  pid = Spawn(args, dir);
  EXPECT_EQ(WaitExit(pid, milliseconds(60000)), 0) << Slurp(dir + "/stderr");
  std::string err = Slurp(dir + "/stderr");
  EXPECT_NE(err.find("cut a partial last record"), std::string::npos) << err;
  EXPECT_NE(err.find(std::to_string(first_rows) + " already in the output (--resume)"), std::string::npos) << err;
  std::string csv = Slurp(out);
  EXPECT_EQ(csv.substr(0, first.size()), first) << "rows of the first run were changed";
  ExpectEveryDomainOnce(csv);
  ExpectWholeJsonLines(Slurp(hosts));
}

// RowKeys lists every row of |csv| after the header as "verdict domain input_domain".
std::vector<std::string> RowKeys(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(CsvReader::Options{});
  std::vector<std::string> row;
  for (char c : csv) {
    CsvReader::Event event = reader.Push(c);
    if (event == CsvReader::Event::kNone) continue;
    row.push_back(reader.field());
    if (event == CsvReader::Event::kRecord) rows.push_back(std::move(row)), row.clear();
  }
  std::vector<std::string> keys;
  for (size_t i = 1; i < rows.size(); i++) keys.push_back(rows[i][1] + " " + rows[i][0] + " " + rows[i].back());
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Issue 15: a list with invalid and duplicate rows, killed mid-sweep and resumed, ends with
// exactly one row per input row. Invalid and duplicate rows are written the moment they are
// read (a few domains in flight at a time here, so the kill finds some written and some not);
// one invalid text repeats, so the resumed run must count, not just look up.
TEST(Resume, InvalidAndDuplicateRowsAreWrittenOnceAcrossAKill) {
  SlowFleet fleet;
  std::string list, line;
  std::vector<std::string> want;  // the row keys the final CSV must hold, as RowKeys makes them
  std::istringstream domains(fleet.list());
  for (int i = 0; std::getline(domains, line); i++) {
    list += line + "\n";
    want.push_back("OK " + line + " " + line);
    if (i % 6 == 1) {
      list += "not-a-domain\n";  // single label: INVALID_INPUT, the same text each time
      want.push_back("INVALID_INPUT  not-a-domain");
    }
    if (i % 6 == 3) {
      std::string upper = line;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      list += upper + ".\n";  // the domain just above, spelt otherwise: DUPLICATE
      want.push_back("DUPLICATE " + line + " " + upper + ".");
    }
  }
  list += "d0.resume.test\n";  // a second duplicate of the first domain, last of all
  want.push_back("DUPLICATE d0.resume.test d0.resume.test");
  std::sort(want.begin(), want.end());
  const size_t input_rows = want.size();

  std::string dir = MakeTempDir();
  std::ofstream(dir + "/list.txt") << list;
  std::string out = dir + "/out.csv";
  std::vector<std::string> args = {"scan", dir + "/list.txt", "-o", out, "--max-domains-in-flight", "4"};
  for (const std::string& a : fleet.ScanArgs()) args.push_back(a);

  pid_t pid = Spawn(args, dir);
  ASSERT_TRUE(WaitForRows(out, 20, milliseconds(30000))) << Slurp(dir + "/stderr");
  kill(pid, SIGKILL);
  EXPECT_EQ(WaitExit(pid, milliseconds(5000)), -SIGKILL);
  std::string first = Slurp(out);
  ASSERT_LT(CountRows(first), input_rows) << "the sweep ended before the kill";
  EXPECT_NE(first.find(",INVALID_INPUT,"), std::string::npos) << "some invalid rows were written before the kill";
  EXPECT_NE(first.find(",DUPLICATE,"), std::string::npos) << "some duplicate rows were written before the kill";

  args.push_back("--resume");
  pid = Spawn(args, dir);
  EXPECT_EQ(WaitExit(pid, milliseconds(60000)), 0) << Slurp(dir + "/stderr");
  std::string csv = Slurp(out);
  EXPECT_EQ(csv.substr(0, first.size()), first) << "rows of the first run were changed";
  EXPECT_EQ(RowKeys(csv), want) << csv;
  std::string err = Slurp(dir + "/stderr");
  std::string said = "mxsweep scan: " + std::to_string(input_rows) + " input rows in ";
  EXPECT_NE(err.find(said), std::string::npos) << err;
  EXPECT_NE(err.find(std::to_string(CountRows(first)) + " already in the output (--resume)"), std::string::npos) << err;
  EXPECT_NE(err.find("mxsweep scan: 60 of 60 domains have a definite verdict; 0 inconclusive; " +
                     std::to_string(input_rows - 60) + " input rows invalid or duplicate"),
            std::string::npos)
      << "the final line covers the rows of both runs: " << err;
}

// The stop signals: each finishes the sessions in flight, prints the summary and exits 130. A
// hang-up (the terminal or ssh session closed under a long sweep) is one of them (issue 16): by
// default it would end the process at once, without the summary.
struct StopSignal {
  int signum;
  const char* name;
  const char* said;  // how the first message names it
};

void PrintTo(const StopSignal& sig, std::ostream* os) { *os << sig.name; }

class StopSignalTest : public ::testing::TestWithParam<StopSignal> {};

TEST_P(StopSignalTest, FinishesInFlightSessionsWritesSummaryAndResumes) {
  const StopSignal& sig = GetParam();
  SlowFleet fleet;
  std::string dir = MakeTempDir();
  std::ofstream(dir + "/list.txt") << fleet.list();
  std::string out = dir + "/out.csv";
  std::vector<std::string> args = {"scan", dir + "/list.txt", "-o", out};
  for (const std::string& a : fleet.ScanArgs()) args.push_back(a);

  pid_t pid = Spawn(args, dir);
  ASSERT_TRUE(WaitForRows(out, 5, milliseconds(30000))) << Slurp(dir + "/stderr");
  kill(pid, sig.signum);
  // In-flight sessions end within one session (a few hundred ms here), never the whole list.
  EXPECT_EQ(WaitExit(pid, milliseconds(15000)), 130);
  std::string err = Slurp(dir + "/stderr");
  EXPECT_NE(err.find(std::string(sig.said) + ": finishing the sessions in flight"), std::string::npos) << err;
  EXPECT_NE(err.find(" input rows read in "), std::string::npos) << "no summary: " << err;
  EXPECT_NE(err.find("; the list is not finished\n"), std::string::npos) << "the final line says so: " << err;
  std::string first = Slurp(out);
  EXPECT_LT(CountRows(first), static_cast<size_t>(kDomains));
  EXPECT_EQ(first.substr(first.size() - 2), "\r\n");

  args.push_back("--resume");
  pid = Spawn(args, dir);
  EXPECT_EQ(WaitExit(pid, milliseconds(60000)), 0) << Slurp(dir + "/stderr");
  ExpectEveryDomainOnce(Slurp(out));
}

// Started under `nohup` (SIGHUP ignored), a sweep outlives its terminal: the hang-up is not
// turned into a stop.
TEST(Resume, IgnoredSighupIsLeftIgnored) {
  SlowFleet fleet;
  std::string dir = MakeTempDir();
  std::ofstream(dir + "/list.txt") << fleet.list();
  std::string out = dir + "/out.csv";
  std::vector<std::string> args = {"scan", dir + "/list.txt", "-o", out};
  for (const std::string& a : fleet.ScanArgs()) args.push_back(a);

  pid_t pid = Spawn(args, dir, /*ignore_sighup=*/true);
  ASSERT_TRUE(WaitForRows(out, 5, milliseconds(30000))) << Slurp(dir + "/stderr");
  kill(pid, SIGHUP);
  EXPECT_EQ(WaitExit(pid, milliseconds(60000)), 0) << Slurp(dir + "/stderr");
  ExpectEveryDomainOnce(Slurp(out));
}

INSTANTIATE_TEST_SUITE_P(Resume, StopSignalTest,
                         ::testing::Values(StopSignal{SIGINT, "SIGINT", "interrupted"},
                                           StopSignal{SIGTERM, "SIGTERM", "terminated"},
                                           StopSignal{SIGHUP, "SIGHUP", "hung up"}),
                         [](const ::testing::TestParamInfo<StopSignal>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace mxsweep::testing
