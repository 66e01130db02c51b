// What a running sweep tells its progress line: connections are counted as they are made, not
// when an address's whole plan is done (the line once showed 1 connection while 19 were made).
#include <gtest/gtest.h>

#include <memory>

#include "resolver/ares_resolver.h"
#include "scanner/engine/sweep.h"
#include "sim/dns_responder.h"
#include "tests/integration/sweep_run.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

TEST(SweepProgress, ConnectionsAreCountedWhileAnAddressIsStillBeingProbed) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start("127.51.0.1", 0), 0);
  sim::SimServerConfig config;
  config.address = "127.51.1.1";
  config.host_name = "mx.paced.test";
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  dns.zone().AddA("mx.paced.test", "127.51.1.1");
  dns.zone().AddMx("paced.test", 10, "mx.paced.test");

  std::string error;
  resolver::AresOptions dns_options;
  dns_options.servers = {dns.address()};
  auto resolver = resolver::MakeAresResolver(loop.get(), dns_options, &error);
  ASSERT_TRUE(resolver) << error;
  ProbeEnv env = FastEnv(loop.get());
  PolitenessOptions politeness;
  // The adaptive plan against a TLS 1.2+1.3 server takes 2-3 sessions: with this gap the
  // address is busy for well over half a second, under many samples.
  politeness.per_address_gap = std::chrono::milliseconds(300);
  Scheduler scheduler(loop.get(), politeness);
  SweepConfig sweep_config;
  sweep_config.port = server->port();
  sweep_config.targets.allowed_ranges = {"loopback"};
  ListSource source({"paced.test"});

  uv_timer_t sampler;
  uv_timer_init(loop.get(), &sampler);
  size_t facts_connections = 0;
  Sweep sweep(env, *resolver, scheduler, sweep_config, source,
              [&](const DomainResult& r) {
                for (const DomainAddress& a : r.addresses) facts_connections += a.facts->connections;
              },
              [&] {
                uv_close(reinterpret_cast<uv_handle_t*>(&sampler), nullptr);
                scheduler.Close(nullptr);
                resolver->Close(nullptr);
                fleet.CloseAll();
                dns.Close(nullptr);
              });
  struct Seen {
    Sweep* sweep;
    size_t most_before_done = 0;  // the highest count while no address was done yet
  } seen{&sweep};
  sampler.data = &seen;
  uv_timer_start(&sampler, [](uv_timer_t* t) {
    auto* s = static_cast<Seen*>(t->data);
    const SweepStats& st = s->sweep->stats();
    if (st.addresses_done == 0 && st.connections > s->most_before_done) s->most_before_done = st.connections;
  }, 20, 20);
  sweep.Start();
  uv_run(loop.get(), UV_RUN_DEFAULT);

  const SweepStats& st = sweep.stats();
  ASSERT_EQ(st.domains_done, 1u);
  ASSERT_GE(server->stats().connections, 2) << "the plan needs more than one session here";
  EXPECT_GE(seen.most_before_done, 1u) << "connections made before the address was done were not counted";
  EXPECT_EQ(st.connections, static_cast<size_t>(server->stats().connections));
  EXPECT_EQ(st.connections, facts_connections) << "the running count ends where the facts do";
}

}  // namespace
}  // namespace mxsweep::testing
