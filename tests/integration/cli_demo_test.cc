// `mxsweep demo` as a newcomer runs it twice: the second run refuses to overwrite as `scan`
// does, --force replaces; and what the demo's CSV says about its MX in private space.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/background_world.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/external_server.h"

namespace mxsweep::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// Row returns the CSV line that starts with "DOMAIN," ("" when there is none).
std::string Row(const std::string& csv, const std::string& domain) {
  size_t at = csv.rfind("\n" + domain + ",");
  if (at == std::string::npos) return "";
  size_t end = csv.find('\n', at + 1);
  return csv.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
}

TEST(CliDemo, RefusesToOverwriteWithoutForce) {
  std::string dir = MakeTempDir();
  for (const char* which : {"csv", "hosts"}) {
    std::string csv = dir + "/demo-" + which + ".csv", hosts = dir + "/hosts-" + which + ".jsonl";
    std::string existing = std::string(which) == "csv" ? csv : hosts;
    std::ofstream(existing) << "precious\n";
    CliRun r = RunCli("demo -o " + csv + " --hosts " + hosts);
    EXPECT_EQ(r.code, 2) << which << ": a refused overwrite is a usage error: " << r.err;
    EXPECT_EQ(r.err, "mxsweep demo: " + existing + ": already exists; refusing to overwrite it (use --force to replace it)\n")
        << "one line, as scan says it, before any simulated server starts";
    EXPECT_EQ(ReadFile(existing), "precious\n");
    struct stat st;
    EXPECT_NE(stat((existing == csv ? hosts : csv).c_str(), &st), 0) << "the other file was not made";
  }
  std::string csv = dir + "/demo-csv.csv";
  CliRun forced = RunCli("demo -o " + csv + " --force");
  ASSERT_EQ(forced.code, 0) << forced.err;
  EXPECT_NE(ReadFile(csv).find("\nmodern.demo,OK,"), std::string::npos) << "replaced";
}

TEST(CliDemo, TheMxInPrivateSpaceIsSaidPlainly) {
  CliRun r = RunCli("demo -o -");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string row = Row(r.out, "inside.demo");
  ASSERT_FALSE(row.empty()) << r.out;
  EXPECT_EQ(row.rfind("inside.demo,UNREACHABLE,", 0), 0u) << row;
  EXPECT_NE(row.find("point into private or reserved address space"), std::string::npos) << row;
  EXPECT_NE(row.find("Exchange Online included"), std::string::npos) << row;
  EXPECT_NE(row.find("MX hosts mx.inside.demo ("), std::string::npos) << "the action names the host: " << row;
  EXPECT_EQ(row.find("firewall"), std::string::npos) << row;
  // The dead MX (nothing listens) is the case the firewall text is for.
  std::string dead = Row(r.out, "dead.demo");
  EXPECT_NE(dead.find("firewall"), std::string::npos) << dead;
}

// The action names the port the sweep used, not 25 whatever --port said.
TEST(CliScanText, TheActionNamesThePortProbed) {
  BackgroundWorld world;
  for (const std::string port : {"2526", "25"}) {
    std::string args = world.ScanArgs();
    size_t at = args.find("--port ");
    args.replace(at, args.find(' ', at + 7) - at, "--port " + port);
    // Nothing listens on mx.dead.demo's address, on any port.
    CliRun r = RunCli("scan - -o - " + args, "dead.demo\n");
    // UNREACHABLE is inconclusive: the sweep finished with exit 5.
    ASSERT_EQ(r.code, 5) << r.err;
    std::string row = Row(r.out, "dead.demo");
    EXPECT_NE(row.find("accept connections on port " + port + "."), std::string::npos) << row;
  }
}

}  // namespace
}  // namespace mxsweep::testing
