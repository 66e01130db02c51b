// Every probe status reached at least once against a live server (the simulated fleet covers
// the rest: see probe_test.cc); each case names the status it must produce.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <set>

#include "output/host_report.h"
#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

AddressFacts ProbeAt(const std::string& address, uint16_t port, std::set<ProbeStatus>* seen,
                     ProbeTimeouts* timeouts = nullptr) {
  TestLoop loop;
  ProbeEnv env = FastEnv(loop.get());
  if (timeouts) env.timeouts = *timeouts;
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(10);
  Scheduler scheduler(loop.get(), politeness);
  ProberOptions options;
  AddressTarget target;
  IpAddress::Parse(address, &target.ip);
  target.port = port;
  target.host_name = "mx.misbehaving.test";
  AddressFacts out;
  ProbeAddress(env, scheduler, options, target, [&](AddressFacts facts) {
    out = std::move(facts);
    scheduler.Close(nullptr);
  });
  uv_run(loop.get(), UV_RUN_DEFAULT);
  for (const ProbeRecord& r : out.probes) seen->insert(r.status);
  return out;
}

struct ModeCase {
  const char* mode;
  ProbeStatus expected;
};

class MisbehavingServerTest : public ::testing::TestWithParam<ModeCase> {};

TEST_P(MisbehavingServerTest, EndsWithItsOwnStatus) {
  std::string address = NextLoopbackAddress();
  ExternalServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"python3", SourceDir() + "/tests/servers/misbehaving_server.py", "--address",
                            address, "--mode", GetParam().mode},
                           "READY ", 10000, &error))
      << error;
  std::set<ProbeStatus> seen;
  AddressFacts f = ProbeAt(address, static_cast<uint16_t>(std::stoi(server.ready_line())), &seen);
  EXPECT_EQ(f.probes.front().status, GetParam().expected) << HostTable(f);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, MisbehavingServerTest,
    ::testing::Values(ModeCase{"close-after-hello", ProbeStatus::kHandshakeClosed},
                      ModeCase{"alert-after-hello", ProbeStatus::kTlsError},
                      ModeCase{"plaintext-after-hello", ProbeStatus::kNotTls},
                      ModeCase{"silent-after-ehlo", ProbeStatus::kTimeout},
                      ModeCase{"reset-after-greeting", ProbeStatus::kReset},
                      ModeCase{"close-after-ehlo", ProbeStatus::kClosed},
                      ModeCase{"garbage-greeting", ProbeStatus::kProtocolError},
                      ModeCase{"refuse-ehlo-helo", ProbeStatus::kEhloRefused}),
    [](const ::testing::TestParamInfo<ModeCase>& param_info) {
      std::string name = param_info.param.mode;
      for (char& c : name) if (c == '-') c = '_';
      return name;
    });

// A listener whose accept queue is full drops further SYNs: the connect times out.
TEST(StatusCoverage, ConnectTimeout) {
  std::string address = NextLoopbackAddress();
  uint16_t port = 0;
  int fd = ListenWithoutAccepting(address, &port, 0);
  ASSERT_GE(fd, 0) << address;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  inet_pton(AF_INET, address.c_str(), &sin.sin_addr);
  // Fill the queue (backlog 0 still admits one, plus one in SYN handling on some kernels).
  std::vector<int> fillers;
  for (int i = 0; i < 3; i++) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    fillers.push_back(c);
  }
  usleep(100000);
  std::set<ProbeStatus> seen;
  ProbeTimeouts timeouts = FastEnv(nullptr).timeouts;
  timeouts.connect = std::chrono::milliseconds(600);
  AddressFacts f = ProbeAt(address, ntohs(sin.sin_port), &seen, &timeouts);
  for (int c : fillers) close(c);
  close(fd);
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kConnectTimeout) << HostTable(f);
}

}  // namespace
}  // namespace mxsweep::testing
