// The scheduler's limits in a real sweep over the simulated fleet: the cap on sessions in flight,
// the budget per network and the global new-connection rate, measured where a mail operator would see them — the
// servers' accept times — as well as by the scheduler's own count. The pacer's arithmetic is
// unit-tested exactly (tests/unit/pacer_test.cc); this checks the loop glue keeps to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "sim/dns_responder.h"
#include "tests/integration/sweep_run.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Hosts {
  std::vector<sim::SimSmtpServer*> servers;
  std::vector<std::string> domains;  // one per host, its only MX
  uint16_t port = 0;
};

// StartHosts starts |count| servers like |base| on 127.63.|net|.1.., with a domain each, all on
// |port| (0: the first one picks it).
Hosts StartHosts(Fleet& fleet, sim::DnsResponder& dns, int net, int count, sim::SimServerConfig base,
                 uint16_t port = 0) {
  Hosts hosts;
  hosts.port = port;
  for (int h = 0; h < count; h++) {
    sim::SimServerConfig config = base;
    config.address = "127.63." + std::to_string(net) + "." + std::to_string(h + 1);
    config.port = hosts.port;
    config.host_name = "mx" + std::to_string(h) + ".pace" + std::to_string(net) + ".test";
    sim::SimSmtpServer* server = fleet.Start(config);
    if (server == nullptr) return hosts;
    hosts.servers.push_back(server);
    hosts.port = server->port();
    dns.zone().AddA(config.host_name, config.address);
    hosts.domains.push_back("d" + std::to_string(h) + ".pace" + std::to_string(net) + ".test");
    dns.zone().AddMx(hosts.domains.back(), 10, config.host_name);
  }
  return hosts;
}

// AcceptTimes: every connection any of |servers| accepted, in time order.
std::vector<Clock::time_point> AcceptTimes(const std::vector<sim::SimSmtpServer*>& servers) {
  std::vector<Clock::time_point> out;
  for (const sim::SimSmtpServer* s : servers) {
    out.insert(out.end(), s->stats().connect_times.begin(), s->stats().connect_times.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// 50 connections a second over ~120 sessions (40 hosts, up to 3 each): more than two seconds, all
// of it paced by the rate (sessions to loopback take milliseconds, the gap is short, the cap far).
TEST(Pacing, SweepKeepsTheGlobalConnectionRate) {
  constexpr double kRate = 50;
  // Pacer::burst(): a tenth of a second's worth.
  constexpr double kBurst = 5;
  // A server sees a connection a little after the scheduler started it (the connect and the
  // accept share this loop): up to this much later, which at 50/s is one connection of slack.
  constexpr milliseconds kAcceptSlack{20};
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.63.0.1", 0), 0);
  Hosts hosts = StartHosts(fleet, dns, 1, 40, sim::SimServerConfig{});
  ASSERT_EQ(hosts.servers.size(), 40u);
  PolitenessOptions politeness;
  politeness.connect_rate = kRate;
  politeness.per_address_gap = milliseconds(20);
  SweepRun run = RunSweep(loop, dns.address(), hosts.port, hosts.domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), hosts.domains.size());
  std::vector<Clock::time_point> accepts = AcceptTimes(hosts.servers);
  ASSERT_GE(accepts.size(), 100u) << "enough connections for the rate to matter";

  // Over every window between two accepts: count <= rate * (window + slack) + burst.
  double worst = -1e9;
  size_t worst_i = 0, worst_j = 0;
  for (size_t i = 0; i < accepts.size(); i++) {
    for (size_t j = i; j < accepts.size(); j++) {
      double allowed = kRate * Seconds(accepts[j] - accepts[i] + kAcceptSlack) + kBurst;
      double excess = static_cast<double>(j - i + 1) - allowed;
      if (excess > worst) {
        worst = excess;
        worst_i = i;
        worst_j = j;
      }
    }
  }
  EXPECT_LE(worst, 0) << (worst_j - worst_i + 1) << " connections within "
                      << Seconds(accepts[worst_j] - accepts[worst_i]) << " s (accepts " << worst_i
                      << ".." << worst_j << " of " << accepts.size() << ")";
  // And the rate is what paced the sweep: it ran close to it, so the bound above was tested.
  double span = Seconds(accepts.back() - accepts.front());
  double achieved = (static_cast<double>(accepts.size()) - kBurst) / span;
  EXPECT_GE(achieved, 0.8 * kRate) << accepts.size() << " connections in " << span << " s";
  std::printf("  %zu connections in %.3f s (%.1f/s after the burst); worst window %+.2f against the bound\n",
              accepts.size(), span, achieved, worst);
}

// Slow greetings keep every session open for 100 ms or more, so far more sessions would run at
// once than the cap of 4 allows: the cap is reached and never passed.
TEST(Pacing, SweepKeepsTheInFlightCap) {
  constexpr size_t kCap = 4;
  constexpr milliseconds kGreetingDelay{100};
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.63.0.2", 0), 0);
  sim::SimServerConfig slow;
  slow.greeting_delay = kGreetingDelay;
  Hosts hosts = StartHosts(fleet, dns, 2, 24, slow);
  ASSERT_EQ(hosts.servers.size(), 24u);
  PolitenessOptions politeness;
  politeness.max_in_flight = kCap;
  politeness.per_address_gap = milliseconds(20);
  SweepRun run = RunSweep(loop, dns.address(), hosts.port, hosts.domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), hosts.domains.size());
  EXPECT_LE(run.max_in_flight_seen, kCap);
  EXPECT_EQ(run.max_in_flight_seen, kCap) << "the cap was reached, so the test means something";
  // The servers' view: a session accepted at t is still open at t + 100 ms (its greeting has not
  // been sent), so no window shorter than that may hold more than kCap accepts. 90 ms leaves room
  // for the servers' timers, which count from the loop's cached time.
  std::vector<Clock::time_point> accepts = AcceptTimes(hosts.servers);
  ASSERT_GE(accepts.size(), 40u);
  size_t most = 0;
  for (size_t i = 0, j = 0; j < accepts.size(); j++) {
    while (accepts[j] - accepts[i] >= milliseconds(90)) i++;
    most = std::max(most, j - i + 1);
  }
  EXPECT_LE(most, kCap) << "accepts within 90 ms";
  EXPECT_EQ(most, kCap);
}

// MostAcceptsWithin: the most accepts of |servers| inside any window shorter than |window|.
size_t MostAcceptsWithin(const std::vector<sim::SimSmtpServer*>& servers, milliseconds window) {
  std::vector<Clock::time_point> accepts = AcceptTimes(servers);
  size_t most = 0;
  for (size_t i = 0, j = 0; j < accepts.size(); j++) {
    while (accepts[j] - accepts[i] >= window) i++;
    most = std::max(most, j - i + 1);
  }
  return most;
}

// Two providers' fleets of 20 addresses, each in its own /24, with slow greetings: each network
// gets at most its budget of 3 sessions at once, both get it at the same time (neither waits for
// the other), and the global cap is far.
TEST(Pacing, SweepKeepsThePerNetworkBudget) {
  constexpr size_t kPerNetwork = 3;
  constexpr milliseconds kGreetingDelay{100};
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.63.0.3", 0), 0);
  sim::SimServerConfig slow;
  slow.greeting_delay = kGreetingDelay;
  Hosts a = StartHosts(fleet, dns, 3, 20, slow);
  Hosts b = StartHosts(fleet, dns, 4, 20, slow, a.port);
  ASSERT_EQ(a.servers.size(), 20u);
  ASSERT_EQ(b.servers.size(), 20u);
  ASSERT_EQ(a.port, b.port);
  std::vector<std::string> domains;
  // Network a first: a FIFO without the budget would give it every slot.
  domains.insert(domains.end(), a.domains.begin(), a.domains.end());
  domains.insert(domains.end(), b.domains.begin(), b.domains.end());
  PolitenessOptions politeness;
  politeness.per_network = kPerNetwork;
  politeness.per_address_gap = milliseconds(20);
  SweepRun run = RunSweep(loop, dns.address(), a.port, domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), domains.size());
  for (const DomainResult& r : run.results) EXPECT_EQ(VerdictName(r.verdict.verdict), "OK") << r.entry.domain;
  EXPECT_EQ(run.max_network_in_flight_seen, kPerNetwork) << "reached, and never passed";
  EXPECT_EQ(run.max_in_flight_seen, 2 * kPerNetwork) << "both networks at once";
  // The servers' view, as for the cap above: a session is open for 100 ms after its accept.
  EXPECT_EQ(MostAcceptsWithin(a.servers, milliseconds(90)), kPerNetwork);
  EXPECT_EQ(MostAcceptsWithin(b.servers, milliseconds(90)), kPerNetwork);
  std::vector<Clock::time_point> first_a = AcceptTimes(a.servers), first_b = AcceptTimes(b.servers);
  EXPECT_LT(first_b.front() - first_a.front(), milliseconds(50)) << "network b waited for network a";
}

}  // namespace
}  // namespace mxsweep::testing
