// The c-ares resolver against the in-process authoritative responder on loopback: one test per
// DNS case of DESIGN.md §2, and every test's loop must close cleanly.
#include <uv.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "resolver/ares_resolver.h"
#include "resolver/dns_wire.h"
#include "sim/dns_responder.h"
#include "tests/integration/dns_fixture.h"

namespace mxsweep {
namespace {

using resolver::AresOptions;
using resolver::DnsStatus;
using resolver::Family;
using resolver::HostResult;
using resolver::MxResult;
using sim::DnsFault;

class ResolverTest : public testing::DnsFixture {
 protected:
  ResolverTest() : DnsFixture("127.0.53.1") {}

  // RunUntil runs the loop until |flag| is set, failing the test after 10 s.
  void RunUntil(const bool& flag) {
    uv_timer_t guard;
    bool expired = false;
    uv_timer_init(&loop_, &guard);
    guard.data = &expired;
    uv_timer_start(&guard, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; }, 10000, 0);
    while (!flag && !expired) uv_run(&loop_, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&guard), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);  // deliver the guard's close
    EXPECT_FALSE(expired) << "lookup did not finish";
  }

  MxResult Mx(const std::string& domain, Family family = Family::kAny) {
    MxResult result;
    bool done = false;
    resolver_->ResolveMx(domain, family, [&](const MxResult& r) {
      result = r;
      done = true;
    });
    EXPECT_FALSE(done) << "callback ran synchronously";
    RunUntil(done);
    return result;
  }

  HostResult Host(const std::string& name, Family family = Family::kAny) {
    HostResult result;
    bool done = false;
    resolver_->ResolveHost(name, family, [&](const HostResult& r) {
      result = r;
      done = true;
    });
    EXPECT_FALSE(done) << "callback ran synchronously";
    RunUntil(done);
    return result;
  }
};

std::string Addrs(const HostResult& h) {
  std::string out;
  for (const IpAddress& a : h.addresses) out += (out.empty() ? "" : " ") + a.ToString();
  return out;
}

void AddSortedFixture(sim::DnsZone& zone) {
  zone.AddMx("Example.TEST.", 20, "mx2.example.test");
  zone.AddMx("example.test", 10, "mx1b.example.test");
  zone.AddMx("example.test", 10, "MX1A.example.test");
  zone.AddA("mx1a.example.test", "127.0.0.10");
  zone.AddAaaa("mx1a.example.test", "::1");
  zone.AddA("mx1b.example.test", "127.0.0.11");
  zone.AddA("mx1b.example.test", "127.0.0.12");
  zone.AddAaaa("mx2.example.test", "2001:db8::2");
}

TEST_F(ResolverTest, MxSortedByPreferenceWithEveryAddress) {
  AddSortedFixture(zone());
  MakeResolver();
  MxResult r = Mx("example.test");
  ASSERT_EQ(r.status, DnsStatus::kOk) << r.detail;
  EXPECT_FALSE(r.null_mx);
  EXPECT_FALSE(r.implicit_mx);
  ASSERT_EQ(r.hosts.size(), 3u);
  EXPECT_EQ(r.hosts[0].name, "mx1a.example.test");
  EXPECT_EQ(r.hosts[0].preference, 10);
  EXPECT_EQ(Addrs(r.hosts[0].address), "127.0.0.10 ::1");
  EXPECT_EQ(r.hosts[1].name, "mx1b.example.test");
  EXPECT_EQ(Addrs(r.hosts[1].address), "127.0.0.11 127.0.0.12");
  EXPECT_EQ(r.hosts[2].name, "mx2.example.test");
  EXPECT_EQ(r.hosts[2].preference, 20);
  EXPECT_EQ(r.hosts[2].address.status, DnsStatus::kOk);
  EXPECT_EQ(Addrs(r.hosts[2].address), "2001:db8::2");
  for (const auto& h : r.hosts) EXPECT_FALSE(h.is_cname) << h.name;
}

TEST_F(ResolverTest, Ipv4OnlyAsksNoAaaa) {
  AddSortedFixture(zone());
  MakeResolver();
  MxResult r = Mx("example.test", Family::kIpv4);
  ASSERT_EQ(r.status, DnsStatus::kOk);
  ASSERT_EQ(r.hosts.size(), 3u);
  EXPECT_EQ(Addrs(r.hosts[0].address), "127.0.0.10");
  EXPECT_EQ(r.hosts[2].address.status, DnsStatus::kNoData);
  EXPECT_EQ(zone().QueryCount("mx1a.example.test", dns::kTypeAaaa), 0u);
  EXPECT_EQ(zone().QueryCount("mx1a.example.test", dns::kTypeA), 1u);
}

TEST_F(ResolverTest, Ipv6OnlyAsksNoA) {
  AddSortedFixture(zone());
  MakeResolver();
  MxResult r = Mx("example.test", Family::kIpv6);
  ASSERT_EQ(r.status, DnsStatus::kOk);
  ASSERT_EQ(r.hosts.size(), 3u);
  EXPECT_EQ(Addrs(r.hosts[0].address), "::1");
  EXPECT_EQ(r.hosts[1].address.status, DnsStatus::kNoData);
  EXPECT_EQ(Addrs(r.hosts[2].address), "2001:db8::2");
  EXPECT_EQ(zone().QueryCount("mx1b.example.test", dns::kTypeA), 0u);
}

TEST_F(ResolverTest, ImplicitMx) {
  zone().AddA("implicit.test", "127.0.0.20");
  MakeResolver();
  MxResult r = Mx("implicit.test");
  ASSERT_EQ(r.status, DnsStatus::kOk) << r.detail;
  EXPECT_TRUE(r.implicit_mx);
  ASSERT_EQ(r.hosts.size(), 1u);
  EXPECT_EQ(r.hosts[0].name, "implicit.test");
  EXPECT_EQ(r.hosts[0].preference, 0);
  EXPECT_EQ(Addrs(r.hosts[0].address), "127.0.0.20");
}

TEST_F(ResolverTest, NullMx) {
  zone().AddMx("nomail.test", 0, ".");
  zone().AddA("nomail.test", "127.0.0.21");  // an address must not turn it into implicit MX
  MakeResolver();
  MxResult r = Mx("nomail.test");
  EXPECT_EQ(r.status, DnsStatus::kOk);
  EXPECT_TRUE(r.null_mx);
  EXPECT_FALSE(r.implicit_mx);
  EXPECT_TRUE(r.hosts.empty());
}

TEST_F(ResolverTest, NxDomain) {
  zone().AddA("other.test", "127.0.0.1");
  MakeResolver();
  MxResult r = Mx("missing.test");
  EXPECT_EQ(r.status, DnsStatus::kNxDomain);
  EXPECT_TRUE(r.hosts.empty());
}

TEST_F(ResolverTest, NoDataWhenNoMxAndNoAddress) {
  zone().AddA("www.nodata.test", "127.0.0.1");  // nodata.test exists as an empty non-terminal
  MakeResolver();
  MxResult r = Mx("nodata.test");
  EXPECT_EQ(r.status, DnsStatus::kNoData) << r.detail;
  EXPECT_FALSE(r.implicit_mx);
  EXPECT_TRUE(r.hosts.empty());
}

TEST_F(ResolverTest, NoMxAndAFailedAddressLookupIsADnsError) {
  // MX NODATA (the name has an address record type that fails), then the implicit-MX lookup of
  // A and AAAA: one SERVFAILs, the other has nothing. Not "no mail": a rescan may succeed.
  zone().AddA("www.flaky.test", "127.0.0.1");  // flaky.test exists (empty non-terminal)
  zone().SetTypeFault("flaky.test", dns::kTypeA, DnsFault::kServFail);
  MakeResolver();
  MxResult r = Mx("flaky.test");
  EXPECT_EQ(r.status, DnsStatus::kServFail) << r.detail;
  EXPECT_NE(r.detail.find("no MX; address lookup"), std::string::npos) << r.detail;
  EXPECT_TRUE(r.hosts.empty());
}

TEST_F(ResolverTest, ServFail) {
  zone().SetFault("broken.test", DnsFault::kServFail);
  MakeResolver();
  EXPECT_EQ(Mx("broken.test").status, DnsStatus::kServFail);
}

TEST_F(ResolverTest, RefusedIsServFailWithDetail) {
  zone().SetFault("refused.test", DnsFault::kRefused);
  MakeResolver();
  MxResult r = Mx("refused.test");
  EXPECT_EQ(r.status, DnsStatus::kServFail);
  EXPECT_NE(r.detail.find("REFUSED"), std::string::npos) << r.detail;
}

TEST_F(ResolverTest, TimeoutWhenQueriesAreDropped) {
  zone().SetFault("silent.test", DnsFault::kDrop);
  AresOptions options;
  options.timeout = std::chrono::milliseconds(200);
  options.tries = 1;
  MakeResolver(options);
  auto start = std::chrono::steady_clock::now();
  MxResult r = Mx("silent.test");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, DnsStatus::kTimeout);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_GE(zone().QueryCount("silent.test", dns::kTypeMx), 1u);
}

TEST_F(ResolverTest, MxTargetWithoutAddress) {
  zone().AddMx("dangling.test", 10, "gone.dangling.test");
  zone().AddMx("dangling.test", 20, "empty.dangling.test");
  zone().AddMx("dangling.test", 30, "ok.dangling.test");
  zone().AddAaaa("empty.dangling.test", "::1");
  zone().AddA("ok.dangling.test", "127.0.0.30");
  MakeResolver();
  MxResult r = Mx("dangling.test", Family::kIpv4);
  ASSERT_EQ(r.status, DnsStatus::kOk);
  ASSERT_GE(r.hosts.size(), 3u);
  EXPECT_EQ(r.hosts[0].name, "gone.dangling.test");
  EXPECT_EQ(r.hosts[0].address.status, DnsStatus::kNxDomain);
  EXPECT_EQ(r.hosts[1].address.status, DnsStatus::kNoData);
  EXPECT_EQ(r.hosts[2].address.status, DnsStatus::kOk);
}

TEST_F(ResolverTest, MxTargetThatIsACnameIsFollowedAndFlagged) {
  zone().AddMx("alias.test", 10, "mail.alias.test");
  zone().AddCname("mail.alias.test", "relay.provider.test");
  zone().AddA("relay.provider.test", "127.0.0.40");
  zone().AddAaaa("relay.provider.test", "::1");
  MakeResolver();
  MxResult r = Mx("alias.test");
  ASSERT_EQ(r.status, DnsStatus::kOk);
  ASSERT_EQ(r.hosts.size(), 1u);
  EXPECT_EQ(r.hosts[0].name, "mail.alias.test");
  EXPECT_TRUE(r.hosts[0].is_cname);
  EXPECT_EQ(r.hosts[0].address.canonical_name, "relay.provider.test");
  EXPECT_EQ(Addrs(r.hosts[0].address), "127.0.0.40 ::1");
}

TEST_F(ResolverTest, SharedMxHostIsQueriedOnce) {
  zone().AddMx("a.test", 10, "mx.shared.test");
  zone().AddMx("b.test", 10, "mx.shared.test");
  zone().AddMx("c.test", 5, "MX.shared.test.");
  zone().AddA("mx.shared.test", "127.0.0.50");
  MakeResolver();
  // One after the other: the second and third are answered from the cache.
  EXPECT_EQ(Addrs(Mx("a.test", Family::kIpv4).hosts.at(0).address), "127.0.0.50");
  EXPECT_EQ(Addrs(Mx("b.test", Family::kIpv4).hosts.at(0).address), "127.0.0.50");
  EXPECT_EQ(Addrs(Mx("c.test", Family::kIpv4).hosts.at(0).address), "127.0.0.50");
  EXPECT_EQ(zone().QueryCount("mx.shared.test", dns::kTypeA), 1u);
  EXPECT_EQ(resolver_->stats().cache_hits, 2u);
  // MX answers are not kept (the domain list is deduplicated before a sweep; keeping a million
  // per-domain answers cost ~1 KB each): a repeated domain is asked again, its MX host is not.
  Mx("a.test", Family::kIpv4);
  EXPECT_EQ(zone().QueryCount("a.test", dns::kTypeMx), 2u);
  EXPECT_EQ(zone().QueryCount("mx.shared.test", dns::kTypeA), 1u);
}

TEST_F(ResolverTest, ConcurrentIdenticalLookupsCoalesce) {
  zone().AddA("busy.test", "127.0.0.60");
  zone().AddMx("d1.test", 10, "busy.test");
  zone().AddMx("d2.test", 10, "busy.test");
  MakeResolver();
  int host_done = 0;
  int mx_done = 0;
  for (int i = 0; i < 5; ++i) {
    resolver_->ResolveHost("busy.test", Family::kIpv4, [&](const HostResult& h) {
      EXPECT_EQ(Addrs(h), "127.0.0.60");
      ++host_done;
    });
  }
  for (const char* d : {"d1.test", "d2.test"}) {
    resolver_->ResolveMx(d, Family::kIpv4, [&](const MxResult& r) {
      EXPECT_EQ(Addrs(r.hosts.at(0).address), "127.0.0.60");
      ++mx_done;
    });
  }
  bool all = false;
  while (!all) {
    uv_run(&loop_, UV_RUN_ONCE);
    all = host_done == 5 && mx_done == 2;
  }
  EXPECT_EQ(zone().QueryCount("busy.test", dns::kTypeA), 1u);
  EXPECT_EQ(resolver_->stats().queries_sent, 3u);  // busy.test A, d1.test MX, d2.test MX
}

TEST_F(ResolverTest, TruncatedAnswerFallsBackToTcp) {
  for (int i = 0; i < 100; ++i) {
    std::string host = "mx" + std::to_string(i) + ".big.test";
    zone().AddMx("big.test", static_cast<uint16_t>(i), host);
    zone().AddA(host, "127.0.1." + std::to_string(i + 1));
  }
  MakeResolver();
  MxResult r = Mx("big.test", Family::kIpv4);
  ASSERT_EQ(r.status, DnsStatus::kOk) << r.detail;
  // Cut to the 32 most preferred hosts (AresOptions::max_mx_hosts), with a note.
  ASSERT_EQ(r.hosts.size(), 32u);
  EXPECT_EQ(r.hosts[0].name, "mx0.big.test");
  EXPECT_EQ(r.hosts[31].name, "mx31.big.test");
  EXPECT_EQ(Addrs(r.hosts[31].address), "127.0.1.32");
  EXPECT_NE(r.detail.find("100 MX hosts"), std::string::npos) << r.detail;
  EXPECT_GE(dns_->tcp_queries(), 1u);
}

TEST_F(ResolverTest, InFlightBoundQueuesTheRest) {
  for (int i = 0; i < 20; ++i) zone().AddA("h" + std::to_string(i) + ".test", "127.0.0.70");
  AresOptions options;
  options.max_in_flight = 2;
  MakeResolver(options);
  int done = 0;
  for (int i = 0; i < 20; ++i) {
    resolver_->ResolveHost("h" + std::to_string(i) + ".test", Family::kIpv4,
                           [&](const HostResult& h) {
                             EXPECT_EQ(h.status, DnsStatus::kOk);
                             ++done;
                           });
  }
  while (done < 20) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_EQ(zone().total_queries(), 20u);
}

TEST_F(ResolverTest, ResolveHostLiteralAndBadName) {
  MakeResolver();
  HostResult literal = Host("127.0.0.80");
  EXPECT_EQ(literal.status, DnsStatus::kOk);
  EXPECT_EQ(Addrs(literal), "127.0.0.80");
  EXPECT_EQ(Host("::1", Family::kIpv4).status, DnsStatus::kNoData);
  EXPECT_EQ(Host("bad name.test").status, DnsStatus::kBadName);
  EXPECT_EQ(Mx(std::string(64, 'a') + ".test").status, DnsStatus::kBadName);
  EXPECT_EQ(zone().total_queries(), 0u);
}

TEST_F(ResolverTest, ResolveHostFollowsCname) {
  zone().AddCname("www.host.test", "real.host.test");
  zone().AddA("real.host.test", "127.0.0.90");
  MakeResolver();
  HostResult h = Host("www.host.test", Family::kIpv4);
  EXPECT_EQ(h.status, DnsStatus::kOk);
  EXPECT_EQ(h.canonical_name, "real.host.test");
  EXPECT_EQ(Addrs(h), "127.0.0.90");
}

TEST_F(ResolverTest, CloseCancelsOutstandingLookups) {
  zone().SetFault("slow.test", DnsFault::kDrop);
  AresOptions options;
  options.timeout = std::chrono::milliseconds(5000);
  options.max_in_flight = 1;
  MakeResolver(options);
  int cancelled = 0;
  for (const char* name : {"slow.test", "queued.test"}) {
    resolver_->ResolveMx(name, Family::kAny, [&](const MxResult& r) {
      EXPECT_EQ(r.status, DnsStatus::kError);
      EXPECT_EQ(r.detail, "cancelled");
      ++cancelled;
    });
  }
  // Let the first query reach the responder, then close with it outstanding.
  while (zone().total_queries() == 0) uv_run(&loop_, UV_RUN_ONCE);
  bool closed = false;
  resolver_->Close([&] { closed = true; });
  EXPECT_EQ(cancelled, 0) << "cancellation callbacks must not run inside Close";
  dns_->Close([] {});
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_TRUE(closed);
  EXPECT_EQ(cancelled, 2);
}

TEST(ResolverFactory, RejectsBadServerList) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  AresOptions options;
  options.servers = {"not-an-address"};
  std::string error;
  EXPECT_EQ(resolver::MakeAresResolver(&loop, options, &error), nullptr);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace mxsweep
