// Politeness as the partners' servers see it, through the real binary against
// tests/servers/faulty_server.py (Python's ssl): every session that got its 221 ends with the
// scanner's FIN, never a RST; a blocklist refusal at the greeting is reported as such and still
// answered with QUIT; --per-network is range-checked like every number.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

#ifndef MXSWEEP_BINARY
#error "MXSWEEP_BINARY must be defined by the build"
#endif

namespace mxsweep::testing {
namespace {

struct CommandRun {
  int code = -1;
  std::string out;  // stdout and stderr
};

CommandRun Mxsweep(const std::string& args) {
  CommandRun r;
  FILE* p = popen((std::string(MXSWEEP_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// EndLog starts faulty_server.py on a fresh loopback address with an --end-log, and reads it.
class EndLogServer {
 public:
  bool Start(std::vector<std::string> args, std::string* error) {
    std::string dir = MakeTempDir();
    std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
    if (RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mx.polite.test -days 30 -keyout " + key +
                   " -out " + cert + " 2>/dev/null") != 0) {
      *error = "openssl req failed";
      return false;
    }
    address_ = NextLoopbackAddress();
    log_ = dir + "/ends.log";
    std::vector<std::string> argv = {"python3", SourceDir() + "/tests/servers/faulty_server.py", "--address",
                                     address_, "--cert", cert, "--key", key, "--end-log", log_};
    argv.insert(argv.end(), args.begin(), args.end());
    if (!server_.Start(argv, "READY ", 15000, error)) return false;
    port_ = server_.ready_line();
    return true;
  }
  std::string target() const { return address_ + ":" + port_; }

  // Ends waits until |count| connections have ended (the server logs each once it saw the
  // client's end, a moment after mxsweep exits) and returns how each ended.
  std::vector<std::string> Ends(size_t count) const {
    std::vector<std::string> ends;
    for (int i = 0; i < 100 && ends.size() < count; i++) {
      if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ends.clear();
      std::ifstream in(log_);
      std::string address, how;
      while (in >> address >> how) ends.push_back(how);
    }
    return ends;
  }

 private:
  ExternalServer server_;
  std::string address_, port_, log_;
};

const char kFlags[] = " --allow-private --json --per-address-gap 0.05 --ehlo-name scanner.polite.test";

// auto, TLS 1.2 and TLS 1.3 complete and QUIT; TLS 1.0 and 1.1 are refused by the server's alert.
TEST(CliPolite, EverySessionThatGotItsByeEndsWithAFin) {
  EndLogServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"--tls-min", "1.2", "--tls-max", "1.3"}, &error)) << error;
  CommandRun r = Mxsweep("probe " + server.target() + kFlags + " --versions TLS1.0,TLS1.1,TLS1.2,TLS1.3");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"accepted_versions\":[\"TLS1.2\",\"TLS1.3\"]"), std::string::npos) << r.out;
  EXPECT_EQ(server.Ends(3), std::vector<std::string>({"fin", "fin", "fin"}))
      << "after QUIT and 221 the scanner closed with a RST (or not at all)";
}

TEST(CliPolite, BlocklistRefusalIsReportedAndAnsweredWithQuit) {
  EndLogServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"--greeting-reply",
                            "554 5.7.1 Service unavailable; Client host [127.0.0.9] blocked using zen.spamhaus.org"},
                           &error))
      << error;
  CommandRun r = Mxsweep("probe " + server.target() + kFlags);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"status\":\"blocklisted\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("blocked using zen.spamhaus.org"), std::string::npos) << "the server's words: " << r.out;
  EXPECT_NE(r.out.find("\"class\":\"unreachable\""), std::string::npos) << r.out;
  EXPECT_EQ(server.Ends(1), std::vector<std::string>({"fin"}));
}

TEST(CliPolite, PerNetworkIsRangeChecked) {
  for (const char* bad : {"-1", "1048577"}) {
    CommandRun r = Mxsweep(std::string("probe 127.0.0.1 --allow-private --per-network ") + bad);
    EXPECT_EQ(r.code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("--per-network must be between 0 and 1048576"), std::string::npos) << r.out;
  }
  // 0 is "no limit", accepted: a closed port on loopback is probed and reported.
  CommandRun r = Mxsweep("probe 127.0.0.1 --port 9 --allow-private --json --per-network 0 --connect-timeout 2");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"status\":\"connect-refused\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mxsweep::testing
