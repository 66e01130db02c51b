// How a probe session's connection ends (README "How a session ends"): after a clean QUIT the
// scanner waits for the server's FIN and answers with its own, so the server sees an orderly
// close and keeps the TIME_WAIT; a raw hello hangs up with an alert and a FIN; only a failed or
// timed-out session is reset. The simulated server half-closes after its 221 and reads on, so it
// sees whether the client's end was a FIN or a RST.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ProcAddress renders |ip|:|port| as /proc/net/tcp prints it ("0100007F:0019").
std::string ProcAddress(const std::string& ip, uint16_t port) {
  in_addr a{};
  inet_pton(AF_INET, ip.c_str(), &a);
  char out[16];
  std::snprintf(out, sizeof(out), "%08X:%04X", a.s_addr, port);
  return out;
}

struct TimeWait {
  int scanner_side = 0;  // sockets whose far end is the server
  int server_side = 0;   // the server's own sockets
};

// TimeWaitWith counts the TIME_WAIT sockets of connections to |ip|:|port|.
TimeWait TimeWaitWith(const std::string& ip, uint16_t port) {
  std::string server = ProcAddress(ip, port);
  TimeWait count;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state) || state != "06") continue;
    if (remote == server) count.scanner_side++;
    if (local == server) count.server_side++;
  }
  return count;
}

struct Outcome {
  ProbeRecord record;
  milliseconds took{0};  // from the start to |done|, the connection's end included
};

// RunProbe runs one probe of |kind| against |server| and returns when the server, too, has seen
// the connection end.
Outcome RunProbe(TestLoop& loop, const ProbeEnv& env, sim::SimSmtpServer* server, tls::ProbeKind kind) {
  Outcome out;
  ProbeRequest request;
  IpAddress::Parse(server->config().address, &request.ip);
  request.port = server->port();
  request.host_name = server->config().host_name;
  request.kind = kind;
  Clock::time_point start = Clock::now();
  struct Wait {
    bool done = false;
    sim::SimSmtpServer* server;
    Clock::time_point give_up;
  } wait{false, server, start + std::chrono::seconds(10)};
  StartProbe(env, request, [&](const ProbeRecord& record, const SessionFacts&) {
    out.record = record;
    out.took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    wait.done = true;
  });
  // The listener keeps the loop alive: stop it once the probe is done and the server has seen
  // the connection end (it counts the client's FIN or RST when it reads it).
  uv_timer_t poll;
  uv_timer_init(loop.get(), &poll);
  poll.data = &wait;
  uv_timer_start(&poll, [](uv_timer_t* t) {
    auto* w = static_cast<Wait*>(t->data);
    if ((w->done && w->server->stats().active == 0) || Clock::now() > w->give_up) uv_stop(t->loop);
  }, 5, 5);
  uv_run(loop.get(), UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&poll), nullptr);
  uv_run(loop.get(), UV_RUN_NOWAIT);  // |poll| lives on this stack: let its close complete
  EXPECT_TRUE(wait.done);
  EXPECT_EQ(server->stats().active, 0);
  return out;
}

// CloseFleet closes the servers and runs the loop until they are gone (before |fleet| is).
void CloseFleet(TestLoop& loop, Fleet& fleet) {
  fleet.CloseAll();
  uv_run(loop.get(), UV_RUN_DEFAULT);
}

TEST(SessionClose, CleanQuitEndsWithFinAndTheServerKeepsTimeWait) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimSmtpServer* server = fleet.Start({});
  ASSERT_NE(server, nullptr);
  ProbeEnv env = FastEnv(loop.get());
  const tls::ProbeKind kinds[] = {tls::ProbeKind::kAuto, tls::ProbeKind::kOnlyTls12,
                                  tls::ProbeKind::kOnlyTls13};
  for (tls::ProbeKind kind : kinds) {
    Outcome o = RunProbe(loop, env, server, kind);
    EXPECT_EQ(o.record.status, ProbeStatus::kAccepted) << o.record.detail;
    // The server closes right after its 221: nothing waits for the FIN bound.
    EXPECT_LT(o.took, env.timeouts.fin_wait) << tls::ProbeKindName(kind);
  }
  EXPECT_EQ(server->stats().quits, 3);
  EXPECT_EQ(server->stats().client_resets, 0) << "a clean QUIT ended with a RST";
  EXPECT_EQ(server->stats().client_fins, 3);
  TimeWait tw = TimeWaitWith(server->config().address, server->port());
  EXPECT_EQ(tw.scanner_side, 0) << "the scanner closed first";
  EXPECT_GE(tw.server_side, 3);
  CloseFleet(loop, fleet);
}

TEST(SessionClose, RefusedVersionEndsWithFin) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimSmtpServer* server = fleet.Start({});  // TLS 1.2 and 1.3 only
  ASSERT_NE(server, nullptr);
  Outcome o = RunProbe(loop, FastEnv(loop.get()), server, tls::ProbeKind::kOnlyTls10);
  EXPECT_EQ(o.record.status, ProbeStatus::kVersionRefused) << o.record.detail;
  // The server's alert ends the handshake and it closes; the scanner's FIN follows (a RST would
  // have taken the server's socket out of TIME_WAIT).
  TimeWait tw = TimeWaitWith(server->config().address, server->port());
  EXPECT_EQ(tw.scanner_side, 0);
  EXPECT_EQ(tw.server_side, 1);
  EXPECT_LT(o.took, FastEnv(loop.get()).timeouts.fin_wait);
  CloseFleet(loop, fleet);
}

TEST(SessionClose, ServerThatStaysOpenAfter221GetsOurFinAfterTheWait) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.close_after_quit = false;
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  ProbeEnv env = FastEnv(loop.get());
  env.timeouts.fin_wait = milliseconds(300);
  Outcome o = RunProbe(loop, env, server, tls::ProbeKind::kAuto);
  EXPECT_EQ(o.record.status, ProbeStatus::kAccepted) << o.record.detail;
  EXPECT_GE(o.took, milliseconds(300)) << "did not wait for the server's FIN";
  EXPECT_LT(o.took, milliseconds(300) + env.timeouts.quit);
  EXPECT_EQ(server->stats().client_fins, 1);
  EXPECT_EQ(server->stats().client_resets, 0);
  CloseFleet(loop, fleet);
}

TEST(SessionClose, RawHelloHangsUpWithAFin) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimSmtpServer* server = fleet.Start({});
  ASSERT_NE(server, nullptr);
  Outcome o = RunProbe(loop, FastEnv(loop.get()), server, tls::ProbeKind::kHelloTls12);
  EXPECT_EQ(o.record.status, ProbeStatus::kAcceptedHelloOnly) << o.record.detail;
  EXPECT_EQ(server->stats().client_fins, 1);
  EXPECT_EQ(server->stats().client_resets, 0) << "the raw hello was reset";
  CloseFleet(loop, fleet);
}

TEST(SessionClose, TimedOutSessionIsReset) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.silent = true;
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  ProbeEnv env = FastEnv(loop.get());
  env.timeouts.greeting = milliseconds(200);
  Outcome o = RunProbe(loop, env, server, tls::ProbeKind::kAuto);
  EXPECT_EQ(o.record.status, ProbeStatus::kGreetingTimeout);
  EXPECT_EQ(server->stats().client_resets, 1);
  EXPECT_EQ(server->stats().client_fins, 0);
  CloseFleet(loop, fleet);
}

}  // namespace
}  // namespace mxsweep::testing
