// `mxsweep probe` as a user runs it: exit codes, the table, and the JSONL contract.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/integration/background_world.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif

namespace mxsweep::testing {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

CommandResult Mxsweep(const std::string& args) {
  CommandResult r;
  std::string cmd = std::string(MXSWEEP_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    ASSERT_EQ(RunCommand("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                         "-subj /CN=mx.cli.test -days 30 -keyout " + dir_ + "/k.pem -out " + dir_ +
                         "/c.pem 2>/dev/null"),
              0);
    address_ = NextLoopbackAddress();
    std::string error;
    ASSERT_TRUE(server_.Start({"python3", SourceDir() + "/tests/servers/starttls_server.py", "--address",
                               address_, "--tls-min", "1.0", "--tls-max", "1.0", "--cert", dir_ + "/c.pem",
                               "--key", dir_ + "/k.pem"},
                              "READY ", 10000, &error))
        << error;
    port_ = server_.ready_line();
  }
  std::string dir_, address_, port_;
  ExternalServer server_;
};

TEST_F(CliProbe, JsonLinesCarryTheContractKeys) {
  CommandResult r = Mxsweep("probe " + address_ + " --port " + port_ + " --allow-private --per-address-gap 0.05 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // One address -> one line.
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  for (const char* key : {"\"host\":", "\"ip\":", "\"port\":", "\"starttls\":true", "\"accepted_versions\":[\"TLS1.0\"]",
                          "\"probes\":[", "\"probe\":\"auto\"", "\"probe\":\"TLS1.2\"", "\"status\":\"version-refused\"",
                          "\"version\":\"TLS1.0\"", "\"cipher\":", "\"certificate\":{", "\"connections\":5"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key << " missing in " << r.out;
  }
}

TEST_F(CliProbe, VersionsOptionPicksTheProbes) {
  CommandResult r = Mxsweep("probe " + address_ + " --port " + port_ + " --allow-private --per-address-gap 0.05 --json --versions TLS1.2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"connections\":2"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"probe\":\"TLS1.1\""), std::string::npos) << r.out;
}

TEST_F(CliProbe, AFullOutputIsAnError) {
  std::string cmd = std::string(MXSWEEP_BINARY) + " probe " + address_ + " --port " + port_ +
                    " --allow-private --per-address-gap 0.05 --json --versions TLS1.0 > /dev/full 2>" + dir_ + "/err";
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::ifstream err(dir_ + "/err");
  std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("cannot write the results"), std::string::npos) << text;
}

// Issue 15: HOST:PORT is accepted (it was refused), and a bad port in it is a usage error.
TEST_F(CliProbe, HostColonPortPicksThePort) {
  CommandResult r = Mxsweep("probe " + address_ + ":" + port_ +
                            " --allow-private --per-address-gap 0.05 --json --versions TLS1.0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"port\":" + port_), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"accepted_versions\":[\"TLS1.0\"]"), std::string::npos) << r.out;
  EXPECT_EQ(Mxsweep("probe " + address_ + ":70000 --allow-private").exit_code, 2);
  EXPECT_EQ(Mxsweep("probe " + address_ + ":smtp --allow-private").exit_code, 2);
}

TEST_F(CliProbe, TableByDefault) {
  CommandResult r = Mxsweep("probe " + address_ + " --port " + port_ + " --allow-private --per-address-gap 0.05");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("accepted: TLS1.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("version-refused"), std::string::npos) << r.out;
}

// A finished address is printed while a later one is still waiting for its greeting: the
// second address listens but never accepts, so its probe ends only at --greeting-timeout.
TEST_F(CliProbe, EachAddressIsPrintedWhenItIsDone) {
  std::string silent = NextLoopbackAddress();
  uint16_t port = static_cast<uint16_t>(std::stoi(port_));  // probe takes one --port for all
  int fd = ListenWithoutAccepting(silent, &port, 16);
  ASSERT_GE(fd, 0) << silent;
  std::string cmd = std::string(MXSWEEP_BINARY) + " probe " + address_ + " " + silent + " --port " + port_ +
                    " --allow-private --per-address-gap 0.05 --json --versions TLS1.0 --greeting-timeout 4";
  auto start = std::chrono::steady_clock::now();
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::vector<std::pair<std::string, double>> lines;  // each line and when it arrived (s)
  char buf[65536];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) {
    std::chrono::duration<double> at = std::chrono::steady_clock::now() - start;
    lines.emplace_back(buf, at.count());
  }
  std::chrono::duration<double> total = std::chrono::steady_clock::now() - start;
  int status = pclose(p);
  close(fd);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].first.find("\"ip\":\"" + address_ + "\""), std::string::npos) << lines[0].first;
  EXPECT_NE(lines[1].first.find("greeting-timeout"), std::string::npos) << lines[1].first;
  EXPECT_GE(total.count(), 4.0) << "the silent address waits out its greeting timeout";
  EXPECT_LT(lines[0].second, total.count() - 2.0)
      << "the first address was printed at " << lines[0].second << " s, the run ended at " << total.count() << " s";
}

TEST(CliProbeErrors, ExitCodes) {
  EXPECT_EQ(Mxsweep("probe 127.0.0.1").exit_code, 4) << "loopback refused without --allow-private";
  // Judged by its IPv4 part; only loopback is named, so a broken policy reaches nothing else. (TEST-NET
  // and the other special ranges are checked on values in ip_address_test and target_policy_test.)
  EXPECT_EQ(Mxsweep("probe ::ffff:127.0.0.1").exit_code, 4) << "mapped loopback refused without --allow-private";
  EXPECT_EQ(Mxsweep("probe").exit_code, 2);
  EXPECT_EQ(Mxsweep("probe 127.0.0.1 --port 0 --allow-private").exit_code, 2);
  for (const char* args : {"--port 70000", "--port -1", "--concurrency -5", "--tempfail-retries -1",
                           "--resolver 127.0.0.2:99999", "--resolver 127.0.0.2:port"}) {
    CommandResult range = Mxsweep(std::string("probe 127.0.0.1 --allow-private ") + args);
    EXPECT_EQ(range.exit_code, 2) << args << ": " << range.out;
    EXPECT_NE(range.out.find("mxsweep probe: --"), std::string::npos) << args << ": " << range.out;
    EXPECT_NE(range.out.find(std::string(args).substr(0, std::string(args).find(' '))), std::string::npos)
        << "the message names the flag: " << range.out;
  }
  EXPECT_EQ(Mxsweep("probe 127.0.0.1 --versions TLS9 --allow-private").exit_code, 2);
  CommandResult ca = Mxsweep("probe 127.0.0.1 --allow-private --ca-file /nonexistent/ca.pem");
  EXPECT_EQ(ca.exit_code, 2) << "an unreadable --ca-file is a bad argument: " << ca.out;
  EXPECT_NE(ca.out.find("/nonexistent/ca.pem"), std::string::npos) << ca.out;
  EXPECT_EQ(Mxsweep("probe no-such-name.invalid --resolver 127.0.0.1:9").exit_code, 3);
  CommandResult r = Mxsweep("probe 127.0.0.1");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one-line error: " << r.out;
}

}  // namespace
}  // namespace mxsweep::testing

namespace mxsweep::testing {
namespace {

// In a fresh network namespace the loopback interface is down: connect() fails locally with
// "network unreachable" before any packet exists. That is the one status loopback alone cannot
// produce.
TEST(CliProbeErrors, ConnectErrorInAnEmptyNetworkNamespace) {
  if (RunCommand("unshare -n true 2>/dev/null") != 0) GTEST_SKIP() << "unshare -n needs root";
  std::string cmd = "unshare -n " + std::string(MXSWEEP_BINARY) +
                    " probe 127.0.0.1 --allow-private --json --versions TLS1.2";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0);
  EXPECT_NE(out.find("\"status\":\"connect-error\""), std::string::npos) << out;
}

}  // namespace
}  // namespace mxsweep::testing

namespace mxsweep::testing {
namespace {

// `probe --mx`: the arguments are domains, looked up as scan looks them up (MX preference
// order, implicit MX, null MX), against the demo world's DNS on loopback.
class CliProbeMx : public ::testing::Test {
 protected:
  std::string Args() const {
    return world_.ScanArgs() + " --json --versions TLS1.2";
  }
  BackgroundWorld world_;
};

TEST_F(CliProbeMx, ProbesEveryMxHostOfTheDomain) {
  CliRun r = RunCli("probe partial.demo --mx " + Args());
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << "one line per MX address: " << r.out;
  size_t first = r.out.find("\"host\":\"mx1.modern.demo\"");
  size_t second = r.out.find("\"host\":\"mx.oldbox.demo\"");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(second, std::string::npos) << r.out;
  EXPECT_LT(first, second) << "in MX preference order";
  EXPECT_NE(r.out.find("\"accepted_versions\":[\"TLS1.0\"]"), std::string::npos) << "the old backup MX: " << r.out;
}

TEST_F(CliProbeMx, ImplicitMxNullMxAndMissingDomains) {
  CliRun implicit = RunCli("probe implicit.demo --mx " + Args());
  ASSERT_EQ(implicit.code, 0) << implicit.err;
  EXPECT_NE(implicit.out.find("\"host\":\"implicit.demo\""), std::string::npos) << implicit.out;
  EXPECT_NE(implicit.err.find("implicit.demo has no MX record: probing its own addresses"), std::string::npos)
      << implicit.err;

  CliRun null_mx = RunCli("probe nullmx.demo --mx " + Args());
  EXPECT_EQ(null_mx.code, 3) << null_mx.err;
  EXPECT_NE(null_mx.err.find("nullmx.demo accepts no mail: it publishes a null MX"), std::string::npos) << null_mx.err;
  EXPECT_EQ(null_mx.out, "");

  CliRun gone = RunCli("probe gone.demo --mx " + Args());
  EXPECT_EQ(gone.code, 3) << gone.err;
  EXPECT_NE(gone.err.find("cannot resolve the MX hosts of gone.demo: nxdomain"), std::string::npos) << gone.err;

  CliRun no_address = RunCli("probe noaddress.demo --mx " + Args());
  EXPECT_EQ(no_address.code, 3) << no_address.err;
  EXPECT_NE(no_address.err.find("MX host mx.nowhere.demo of noaddress.demo has no address"), std::string::npos)
      << no_address.err;

  CliRun bad = RunCli("probe 'bad domain!' --mx " + Args());
  EXPECT_EQ(bad.code, 2) << bad.err;
  EXPECT_NE(bad.err.find("mxsweep probe: --mx "), std::string::npos) << bad.err;
}

TEST_F(CliProbeMx, ADomainWithoutMxIsNamedAsSuch) {
  // partial.demo has MX records but no address of its own: it was "cannot resolve: nodata".
  CliRun r = RunCli("probe partial.demo " + Args());
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("partial.demo has no address; it is a domain with MX hosts mx1.modern.demo, "
                       "mx.oldbox.demo (use --mx to probe them)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  // A name with neither keeps the plain message.
  CliRun gone = RunCli("probe gone.demo " + Args());
  EXPECT_EQ(gone.code, 3) << gone.err;
  EXPECT_NE(gone.err.find("cannot resolve gone.demo"), std::string::npos) << gone.err;
  EXPECT_EQ(gone.err.find("--mx"), std::string::npos) << gone.err;
}

TEST_F(CliProbeMx, PrivateMxAddressesAreRefusedWithoutAllowPrivate) {
  std::string args = Args();
  args.replace(args.find(" --allow-private"), 16, "");
  CliRun r = RunCli("probe inside.demo --mx " + args);
  EXPECT_EQ(r.code, 4) << r.err;
  // (The demo world publishes the private address; the test names only the range.)
  EXPECT_NE(r.err.find("refusing mx.inside.demo: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" is in the private range"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mxsweep::testing
