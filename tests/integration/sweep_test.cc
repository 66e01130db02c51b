// The sweep engine end to end on loopback: the demo world's verdicts, address dedup, politeness.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include <fstream>
#include <unistd.h>

#include "output/file_sink.h"
#include "resolver/ares_resolver.h"
#include "output/domain_report.h"
#include "scanner/engine/sweep.h"
#include "sim/demo_world.h"
#include "sim/dns_responder.h"
#include "tests/integration/sweep_run.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

TEST(Sweep, DemoWorldGetsTheVerdictsTheTableDefines) {
  TestLoop loop;
  std::string error;
  sim::DemoWorldOptions options;
  options.base_address = "127.54.1.1";
  options.dns_address = "127.54.0.1";
  options.slow_greeting = std::chrono::milliseconds(300);
  auto world = sim::DemoWorld::Start(loop.get(), options, &error);
  ASSERT_TRUE(world) << error;
  std::vector<std::string> domains;
  std::map<std::string, std::string> expected;
  for (const sim::DemoDomain& d : world->domains()) {
    domains.push_back(d.domain);
    expected[d.domain] = d.expected_verdict;
  }
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(20);
  SweepRun run = RunSweep(loop, world->dns_server(), world->smtp_port(), domains, politeness,
                          [&] { world->Close(nullptr); });
  ASSERT_EQ(run.results.size(), domains.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < run.results.size(); i++) {
    const DomainResult& r = run.results[i];
    std::string verdict(VerdictName(r.verdict.verdict));
    EXPECT_EQ(verdict, expected[r.entry.domain]) << r.entry.domain << ": " << run.csv_rows[i];
    seen.insert(verdict);
  }
  size_t swept_verdicts = 0;  // every verdict but the input-row ones, which no sweep reaches
  for (Verdict v : kAllVerdicts) swept_verdicts += CertaintyOf(v) != Certainty::kInputRow;
  EXPECT_EQ(seen.size(), swept_verdicts) << "the demo covers every verdict a sweep can reach";
  for (const auto& server : world->servers()) {
    EXPECT_EQ(server->stats().mail_commands, 0);
    EXPECT_LE(server->stats().max_active, 1) << server->config().host_name;
    EXPECT_EQ(server->stats().early_talkers, 0) << server->config().host_name;
  }
  // The MX that points into private space was never contacted.
  for (size_t i = 0; i < run.results.size(); i++) {
    if (run.results[i].entry.domain != "inside.demo") continue;
    ASSERT_EQ(run.facts[i].size(), 1u);
    EXPECT_EQ(run.facts[i][0].probes.front().status, ProbeStatus::kTargetRefused);
    EXPECT_EQ(run.facts[i][0].connections, 0);
  }
}

// Hundreds of domains over a handful of hosts: each address probed once, one session at a time
// per address, the gap kept.
TEST(Sweep, SharedHostsAreProbedOncePolitely) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.55.0.1", 0), 0);
  constexpr int kHosts = 5;
  constexpr int kDomains = 300;
  std::vector<sim::SimSmtpServer*> servers;
  uint16_t port = 0;
  for (int h = 0; h < kHosts; h++) {
    sim::SimServerConfig config;
    config.address = "127.55.1." + std::to_string(h + 1);
    config.port = port;
    config.host_name = "mx" + std::to_string(h) + ".shared.test";
    config.tls_versions = h == 0 ? sim::kTls10Bit : sim::kTls12Bit | sim::kTls13Bit;
    servers.push_back(fleet.Start(config));
    ASSERT_NE(servers.back(), nullptr);
    port = servers.back()->port();
    dns.zone().AddA(config.host_name, config.address);
  }
  std::vector<std::string> domains;
  for (int d = 0; d < kDomains; d++) {
    std::string name = "d" + std::to_string(d) + ".shared.test";
    dns.zone().AddMx(name, 10, "mx" + std::to_string(d % kHosts) + ".shared.test");
    dns.zone().AddMx(name, 20, "mx" + std::to_string((d + 1) % kHosts) + ".shared.test");
    domains.push_back(name);
  }
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(50);
  SweepRun run = RunSweep(loop, dns.address(), port, domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), static_cast<size_t>(kDomains));
  EXPECT_EQ(run.stats.addresses, static_cast<size_t>(kHosts));
  size_t partial = 0;
  for (const DomainResult& r : run.results) partial += r.verdict.verdict == Verdict::kPartial;
  EXPECT_EQ(partial, 2u * kDomains / kHosts) << "domains with the legacy host as one of two MX";
  for (sim::SimSmtpServer* s : servers) {
    const sim::SimServerStats& st = s->stats();
    EXPECT_LE(st.connections, 3) << "adaptive plan: at most 3 sessions per address";
    EXPECT_GE(st.connections, 1);
    EXPECT_EQ(st.max_active, 1) << "never two sessions at once to one address";
    for (size_t i = 1; i < st.connect_times.size(); i++) {
      EXPECT_GE(st.connect_times[i] - st.connect_times[i - 1], std::chrono::milliseconds(45))
          << "gap between sessions to " << s->config().host_name;
    }
  }
}

// Shared hosting: two MX names, one address, one certificate. The address is probed once, under
// whichever name the sweep met first; each domain's name check must still be against its own MX
// name, whichever that was.
TEST(Sweep, EachDomainsMxNameIsCheckedAgainstTheSharedCertificate) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.58.0.9", 0), 0);
  sim::SimServerConfig config;
  config.address = "127.58.2.1";
  config.host_name = "mx.provider.test";  // the certificate names this one only
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  dns.zone().AddA("mx.provider.test", config.address);
  dns.zone().AddA("mail.customer.test", config.address);
  dns.zone().AddMx("customer.test", 10, "mail.customer.test");
  dns.zone().AddMx("provider.test", 10, "mx.provider.test");
  dns.zone().AddMx("customer2.test", 10, "mail.customer.test");
  SweepRun run = RunSweep(loop, dns.address(), server->port(),
                          {"customer.test", "provider.test", "customer2.test"}, PolitenessOptions{}, [&] {
                            fleet.CloseAll();
                            dns.Close(nullptr);
                          });
  ASSERT_EQ(run.results.size(), 3u);
  EXPECT_EQ(run.stats.addresses, 1u) << "one address, probed once for all three domains";
  std::map<std::string, std::string> problems;
  for (size_t i = 0; i < run.results.size(); i++) problems[run.results[i].entry.domain] = run.cert_problems[i];
  EXPECT_EQ(problems["customer.test"].find("mail.customer.test: name mismatch"), 0u) << problems["customer.test"];
  EXPECT_EQ(problems["customer2.test"].find("mail.customer.test: name mismatch"), 0u) << problems["customer2.test"];
  EXPECT_EQ(problems["provider.test"].find("name mismatch"), std::string::npos) << problems["provider.test"];
}

TEST(Sweep, TempFailBackOffIsBounded) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.56.0.1", 0), 0);
  sim::SimServerConfig config;
  config.address = "127.56.1.1";
  config.host_name = "mx.busy.test";
  config.greeting_code = 421;
  sim::SimSmtpServer* busy = fleet.Start(config);
  ASSERT_NE(busy, nullptr);
  dns.zone().AddA("mx.busy.test", "127.56.1.1");
  std::vector<std::string> domains;
  for (int i = 0; i < 20; i++) {
    domains.push_back("busy" + std::to_string(i) + ".test");
    dns.zone().AddMx(domains.back(), 10, "mx.busy.test");
  }
  ProberOptions prober;
  prober.max_tempfail_retries = 2;
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(20);
  SweepRun run = RunSweep(loop, dns.address(), busy->port(), domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  }, prober);
  EXPECT_EQ(busy->stats().connections, 3) << "one try plus two retries, shared by all 20 domains";
  for (const DomainResult& r : run.results) EXPECT_EQ(r.verdict.verdict, Verdict::kTempFail);
}

// Rows reach the file as each domain finishes: a slow domain does not hold back the others, and
// a row is on disk (not in a buffer) before the next domain's verdict.
TEST(Sweep, RowsAreOnDiskAsEachDomainFinishes) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.59.0.2", 0), 0);
  sim::SimServerConfig fast;
  fast.address = "127.59.2.1";
  fast.host_name = "mx.fast.test";
  sim::SimSmtpServer* fast_server = fleet.Start(fast);
  ASSERT_NE(fast_server, nullptr);
  sim::SimServerConfig slow = fast;
  slow.address = "127.59.2.2";
  slow.host_name = "mx.slow.test";
  slow.port = fast_server->port();
  slow.greeting_delay = std::chrono::milliseconds(800);
  ASSERT_NE(fleet.Start(slow), nullptr);
  dns.zone().AddA("mx.fast.test", fast.address);
  dns.zone().AddA("mx.slow.test", slow.address);
  dns.zone().AddMx("slow.test", 10, "mx.slow.test");
  dns.zone().AddMx("fast.test", 10, "mx.fast.test");

  std::string path = "/tmp/mxsweep-stream-" + std::to_string(getpid()) + ".csv";
  unlink(path.c_str());
  output::SinkError error;
  auto sink = output::FileSink::Open(path, {}, &error);
  ASSERT_TRUE(sink) << error.message;
  ASSERT_TRUE(sink->WriteLine(DomainCsvHeader({}), &error));
  std::vector<size_t> lines_before;
  std::vector<std::string> order;

  std::string err;
  resolver::AresOptions dns_options;
  dns_options.servers = {dns.address()};
  auto resolver = resolver::MakeAresResolver(loop.get(), dns_options, &err);
  ASSERT_TRUE(resolver) << err;
  ProbeEnv env = FastEnv(loop.get());
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(20);
  Scheduler scheduler(loop.get(), politeness);
  SweepConfig config;
  config.port = fast_server->port();
  config.targets.allowed_ranges = {"loopback"};
  ListSource source({"slow.test", "fast.test"});
  Sweep sweep(env, *resolver, scheduler, config, source,
              [&](const DomainResult& r) {
                std::ifstream in(path);
                lines_before.push_back(static_cast<size_t>(
                    std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n')));
                order.push_back(r.entry.domain);
                ASSERT_TRUE(sink->WriteLine(DomainCsvRow(r, {}), &error));
              },
              [&] {
                scheduler.Close(nullptr);
                resolver->Close(nullptr);
                fleet.CloseAll();
                dns.Close(nullptr);
              });
  sweep.Start();
  uv_run(loop.get(), UV_RUN_DEFAULT);
  ASSERT_EQ(order, (std::vector<std::string>{"fast.test", "slow.test"}));
  EXPECT_EQ(lines_before, (std::vector<size_t>{1, 2})) << "the fast row was on disk before the slow one finished";
  unlink(path.c_str());
}

TEST(Sweep, ExcludedNetworksAreNeverContacted) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.59.0.1", 0), 0);
  sim::SimServerConfig config;
  config.address = "127.59.1.1";
  config.host_name = "implicit.excluded.test";
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  // No MX: the implicit MX (the domain's own A record) must be excluded too.
  dns.zone().AddA("implicit.excluded.test", "127.59.1.1");
  ExcludeList exclude;
  std::string error;
  ASSERT_TRUE(exclude.Add("127.59.1.0/24", &error)) << error;
  SweepRun run = RunSweep(loop, dns.address(), server->port(), {"implicit.excluded.test"}, PolitenessOptions{},
                          [&] {
                            fleet.CloseAll();
                            dns.Close(nullptr);
                          },
                          ProberOptions{}, {"loopback"}, &exclude);
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(run.results[0].verdict.verdict, Verdict::kUnreachable);
  ASSERT_EQ(run.facts[0].size(), 1u);
  EXPECT_EQ(run.facts[0][0].probes.front().status, ProbeStatus::kExcluded);
  EXPECT_EQ(server->stats().connections, 0);
}

TEST(Sweep, TwoThousandDomainsOverTwoHundredHosts) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.57.0.1", 0), 0);
  constexpr int kHosts = 200, kDomains = 2000;
  uint16_t port = 0;
  std::vector<sim::SimSmtpServer*> servers;
  for (int h = 0; h < kHosts; h++) {
    sim::SimServerConfig config;
    config.address = "127.57." + std::to_string(1 + h / 250) + "." + std::to_string(1 + h % 250);
    config.port = port;
    config.host_name = "mx" + std::to_string(h) + ".fleet.test";
    config.tls_versions = h % 10 == 0 ? sim::kTls10Bit : sim::kTls12Bit | sim::kTls13Bit;
    servers.push_back(fleet.Start(config));
    ASSERT_NE(servers.back(), nullptr);
    port = servers.back()->port();
    dns.zone().AddA(config.host_name, config.address);
  }
  std::vector<std::string> domains;
  for (int d = 0; d < kDomains; d++) {
    domains.push_back("d" + std::to_string(d) + ".fleet.test");
    dns.zone().AddMx(domains.back(), 10, "mx" + std::to_string(d % kHosts) + ".fleet.test");
  }
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(10);
  SweepRun run = RunSweep(loop, dns.address(), port, domains, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), static_cast<size_t>(kDomains));
  EXPECT_EQ(run.stats.addresses, static_cast<size_t>(kHosts));
  EXPECT_EQ(run.stats.addresses_done, static_cast<size_t>(kHosts));
  size_t legacy = 0;
  for (const DomainResult& r : run.results) legacy += r.verdict.verdict == Verdict::kLegacyOnly;
  EXPECT_EQ(legacy, static_cast<size_t>(kDomains / 10));
  for (sim::SimSmtpServer* s : servers) {
    // Every address probed once: one plan, whose first session is the only "auto".
    EXPECT_GE(s->stats().connections, 1);
    EXPECT_LE(s->stats().connections, 3);
  }
}

// Issue 7, part 5: where mxsweep connects. --exclude holds for every address, the implicit MX
// included.
TEST(Sweep, ExcludedTargetsAreNeverContacted) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.address = "127.62.20.1";
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.62.20.53", 0), 0);
  dns.zone().AddA("implicit.test", "127.62.20.1");  // no MX: the implicit MX
  dns.zone().AddMx("explicit.test", 10, "mx.explicit.test");
  dns.zone().AddA("mx.explicit.test", "127.62.20.1");
  ExcludeList exclude;
  std::string error;
  ASSERT_TRUE(exclude.Add("127.62.20.0/24", &error)) << error;
  SweepRun run = RunSweep(loop, dns.address(), server->port(),
                          {"implicit.test", "explicit.test"}, PolitenessOptions{},
                          [&] {
                            fleet.CloseAll();
                            dns.Close(nullptr);
                          },
                          ProberOptions{}, {"loopback"}, &exclude);
  ASSERT_EQ(run.results.size(), 2u);
  for (size_t i = 0; i < run.results.size(); i++) {
    const std::string& domain = run.results[i].entry.domain;
    ASSERT_EQ(run.facts[i].size(), 1u) << domain;
    EXPECT_EQ(run.facts[i][0].probes.front().status, ProbeStatus::kExcluded) << domain;
    EXPECT_EQ(run.facts[i][0].connections, 0) << domain;
    EXPECT_EQ(run.results[i].verdict.verdict, Verdict::kUnreachable) << domain;
  }
  EXPECT_EQ(server->stats().connections, 0);
}

// An MX reached through an IPv4-mapped IPv6 address is judged by its IPv4 part: with no range
// allowed, ::ffff:127.62.21.1 is loopback and refused — reported, never contacted (only loopback
// is named, so a broken policy could reach nothing but this machine).
TEST(Sweep, AMappedAddressIsJudgedByItsIpv4PartAndNeverContacted) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.address = "127.62.21.1";
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.62.21.53", 0), 0);
  dns.zone().AddMx("mapped.test", 10, "mx.mapped.test");
  dns.zone().AddAaaa("mx.mapped.test", "::ffff:127.62.21.1");
  SweepRun run = RunSweep(loop, dns.address(), server->port(), {"mapped.test"}, PolitenessOptions{},
                          [&] {
                            fleet.CloseAll();
                            dns.Close(nullptr);
                          },
                          ProberOptions{}, /*allowed=*/{});
  ASSERT_EQ(run.results.size(), 1u);
  ASSERT_EQ(run.facts[0].size(), 1u);
  EXPECT_EQ(run.facts[0][0].probes.front().status, ProbeStatus::kTargetRefused);
  EXPECT_NE(run.facts[0][0].probes.front().detail.find("loopback"), std::string::npos)
      << run.facts[0][0].probes.front().detail;
  EXPECT_EQ(run.facts[0][0].connections, 0);
  EXPECT_EQ(run.results[0].verdict.verdict, Verdict::kUnreachable);
  EXPECT_EQ(server->stats().connections, 0);
}

}  // namespace
}  // namespace mxsweep::testing
