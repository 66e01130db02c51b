// `mxsweep scan` and `mxsweep demo` as a user runs them: stdin to stdout, carried columns, bad
// lines, no overwrite without --force, the summary, exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "sim/demo_world.h"
#include "tests/integration/external_server.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif

namespace mxsweep::testing {
namespace {

// BackgroundWorld runs the demo world on its own loop in a thread, for a child mxsweep to scan.
class BackgroundWorld {
 public:
  BackgroundWorld() {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
      auto* self = static_cast<BackgroundWorld*>(a->data);
      self->world_->Close(nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
    });
    stop_.data = this;
    sim::DemoWorldOptions options;
    options.base_address = "127.58.1.1";
    options.dns_address = "127.58.0.1";
    std::string error;
    world_ = sim::DemoWorld::Start(&loop_, options, &error);
    EXPECT_TRUE(world_) << error;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  ~BackgroundWorld() {
    uv_async_send(&stop_);
    thread_.join();
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  std::string ScanArgs() const {
    return "--resolver " + world_->dns_server() + " --port " + std::to_string(world_->smtp_port()) +
           " --allow-private --per-address-gap 0.05 --greeting-timeout 5";
  }

 private:
  uv_loop_t loop_;
  uv_async_t stop_;
  std::unique_ptr<sim::DemoWorld> world_;
  std::thread thread_;
};

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

TEST(CliScan, StdinToStdoutWithCarriedColumnsAndBadLines) {
  BackgroundWorld world;
  Result r = RunMxsweep("scan - -o - " + world.ScanArgs(),
                 "domain,owner\n"
                 "modern.demo,\"Alice, Ops\"\n"
                 "bad domain!,Bob\n"
                 "oldbox.demo,=SUM(A1)\n"
                 "modern.demo,dup\n");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_EQ(header.rfind("domain,verdict,impact,action,mx_hosts,legacy_only_hosts,not_probed,cert_problems,"
                         "error_detail,owner,scan_time", 0), 0u) << header;
  std::string both = row1 + "\n" + row2;
  EXPECT_NE(both.find("modern.demo,OK,"), std::string::npos) << r.out;
  EXPECT_NE(both.find("oldbox.demo,LEGACY_ONLY,"), std::string::npos) << r.out;
  EXPECT_NE(both.find("\"Alice, Ops\""), std::string::npos) << "carried column quoted";
  EXPECT_NE(both.find("'=SUM(A1)"), std::string::npos) << "formula neutralised: " << both;
  EXPECT_FALSE(std::getline(lines, extra) && !extra.empty()) << "duplicate swept once: " << r.out;
  EXPECT_NE(r.err.find("line 3:"), std::string::npos) << "bad line reported with its number: " << r.err;
  EXPECT_NE(r.err.find("2 domains"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("LEGACY_ONLY"), std::string::npos) << "summary per verdict: " << r.err;
}

TEST(CliScan, RefusesToOverwriteWithoutForce) {
  BackgroundWorld world;
  std::string dir = MakeTempDir();
  std::string out = dir + "/partners.csv";
  std::ofstream(out) << "precious\n";
  Result r = RunMxsweep("scan - -o " + out + " " + world.ScanArgs(), "modern.demo\n");
  EXPECT_NE(r.code, 0);
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
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("modern.demo,UNREACHABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("target-refused"), std::string::npos) << r.out;
}

TEST(CliScan, UnreadableInputIsAUsageError) {
  Result r = RunMxsweep("scan /nonexistent/list.txt -o -");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/list.txt"), std::string::npos);
}

TEST(CliScan, ZeroDomainsInFlightIsAUsageError) {
  Result r = RunMxsweep("scan - -o - --max-domains-in-flight 0", "example.com\n");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-domains-in-flight"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "") << "nothing written, not even a header";
}

TEST(CliDemo, WritesEveryVerdict) {
  std::string dir = MakeTempDir();
  Result r = RunMxsweep("demo -o " + dir + "/demo.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  std::stringstream csv;
  csv << std::ifstream(dir + "/demo.csv").rdbuf();
  for (const char* v : {"OK", "OK_LEGACY_ENABLED", "PARTIAL", "LEGACY_ONLY", "NO_SHARED_CIPHER", "TLS13_ONLY",
                        "NO_STARTTLS", "TLS_BROKEN", "UNREACHABLE", "TEMPFAIL", "NO_MAIL", "DNS_ERROR"}) {
    EXPECT_NE(csv.str().find("," + std::string(v) + ","), std::string::npos) << v;
  }
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

}  // namespace
}  // namespace mxsweep::testing
