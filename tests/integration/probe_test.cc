// Probes against the simulated fleet: every version set, every failure the issue names.
#include <gtest/gtest.h>

#include "output/host_report.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

using sim::kTls10Bit;
using sim::kTls11Bit;
using sim::kTls12Bit;
using sim::kTls13Bit;

PlanOptions Full() {
  PlanOptions plan;
  plan.full = true;
  return plan;
}

std::vector<std::string> Names(const std::vector<uint16_t>& versions) {
  std::vector<std::string> out;
  for (uint16_t v : versions) out.emplace_back(tls::VersionName(v));
  return out;
}

const ProbeRecord* Row(const AddressFacts& f, tls::ProbeKind kind) {
  for (const ProbeRecord& r : f.probes) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

struct VersionCase {
  const char* name;
  uint8_t bits;
  std::vector<std::string> expected;
};

class VersionSetTest : public ::testing::TestWithParam<VersionCase> {};

TEST_P(VersionSetTest, AcceptedVersionsMatchTheServer) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.tls_versions = GetParam().bits;
  sim::SimSmtpServer* server = fleet.Start(config);
  AddressFacts f = ProbeOne(loop, fleet, server, Full());
  EXPECT_EQ(Names(f.accepted_versions), GetParam().expected) << HostTable(f);
  EXPECT_TRUE(f.starttls);
  EXPECT_EQ(f.connections, 5);
  EXPECT_EQ(server->stats().mail_commands, 0);
  EXPECT_EQ(server->stats().early_talkers, 0);
  EXPECT_EQ(server->stats().max_active, 1) << "two sessions at once to one address";
  for (const ProbeRecord& r : f.probes) {
    uint16_t forced = tls::ForcedVersion(r.kind);
    if (forced == 0) continue;
    bool supported = GetParam().bits & (1u << (forced - tls::kTls10));
    EXPECT_EQ(r.status, supported ? ProbeStatus::kAccepted : ProbeStatus::kVersionRefused)
        << tls::ProbeKindName(r.kind) << ": " << r.detail;
    if (supported) {
      EXPECT_EQ(r.version, forced);
      EXPECT_FALSE(r.cipher.empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Versions, VersionSetTest,
    ::testing::Values(VersionCase{"Tls10Only", kTls10Bit, {"TLS1.0"}},
                      VersionCase{"Tls11Only", kTls11Bit, {"TLS1.1"}},
                      VersionCase{"Tls12Only", kTls12Bit, {"TLS1.2"}},
                      VersionCase{"Tls13Only", kTls13Bit, {"TLS1.3"}},
                      VersionCase{"Tls12And13", kTls12Bit | kTls13Bit, {"TLS1.2", "TLS1.3"}},
                      VersionCase{"Tls10And11", kTls10Bit | kTls11Bit, {"TLS1.0", "TLS1.1"}},
                      VersionCase{"Tls10And12", kTls10Bit | kTls12Bit, {"TLS1.0", "TLS1.2"}},
                      VersionCase{"All", sim::kAllTlsBits, {"TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"}}),
    [](const ::testing::TestParamInfo<VersionCase>& param_info) { return param_info.param.name; });

TEST(Probe, CertificateSummaryAndVerification) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.host_name = "mx1.partner.test";
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_TRUE(f.certificate->chain_valid) << f.certificate->chain_error;
  EXPECT_TRUE(f.certificate->name_matches);
  EXPECT_EQ(f.certificate->key_type, "EC");
  EXPECT_EQ(f.certificate->key_bits, 256);
  EXPECT_EQ(f.certificate->sans, std::vector<std::string>{"mx1.partner.test"});
  EXPECT_FALSE(f.certificate->expired);
  EXPECT_EQ(f.certificate->chain_length, 2);
}

struct CertCase {
  const char* name;
  tls::CertKind kind;
  bool valid, matches, expired, self_signed;
};

class CertificateTest : public ::testing::TestWithParam<CertCase> {};

TEST_P(CertificateTest, ProblemsAreFactsNotFailures) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.host_name = "mx.cert.test";
  config.cert = GetParam().kind;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kAccepted);
  EXPECT_EQ(f.certificate->chain_valid, GetParam().valid) << f.certificate->chain_error;
  EXPECT_EQ(f.certificate->name_matches, GetParam().matches);
  EXPECT_EQ(f.certificate->expired, GetParam().expired);
  EXPECT_EQ(f.certificate->self_signed, GetParam().self_signed);
  if (!GetParam().valid) {
    EXPECT_FALSE(f.certificate->chain_error.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Certificates, CertificateTest,
    ::testing::Values(CertCase{"Valid", tls::CertKind::kValid, true, true, false, false},
                      CertCase{"Expired", tls::CertKind::kExpired, false, true, true, false},
                      CertCase{"WrongName", tls::CertKind::kWrongName, true, false, false, false},
                      CertCase{"SelfSigned", tls::CertKind::kSelfSigned, false, true, false, true}),
    [](const ::testing::TestParamInfo<CertCase>& param_info) { return param_info.param.name; });

TEST(Probe, NoStartTlsSkipsTheRest) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.advertise_starttls = false;
  sim::SimSmtpServer* server = fleet.Start(config);
  AddressFacts f = ProbeOne(loop, fleet, server, Full());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kNoStartTls);
  EXPECT_TRUE(f.probes.front().confirmed);
  EXPECT_FALSE(f.starttls);
  EXPECT_EQ(f.connections, 2) << "a missing STARTTLS counts once a second connection confirms it";
  EXPECT_EQ(f.cls, AddressClass::kNoStartTls);
  EXPECT_EQ(Row(f, tls::ProbeKind::kOnlyTls12)->status, ProbeStatus::kSkipped);
  EXPECT_EQ(server->stats().quits, 2) << "each session ends with QUIT";
}

TEST(Probe, EhloRefusedFallsBackToHelo) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.refuse_ehlo = true;
  sim::SimSmtpServer* server = fleet.Start(config);
  AddressFacts f = ProbeOne(loop, fleet, server, PlanOptions{});
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kNoStartTls);
  EXPECT_FALSE(f.ehlo_ok);
  EXPECT_EQ(server->stats().last_ehlo, "scanner.test.example");
}

TEST(Probe, StartTls454IsStartTlsRefused) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.starttls_code = 454;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), Full());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kStartTlsRefused);
  EXPECT_NE(f.probes.front().detail.find("454"), std::string::npos);
  EXPECT_EQ(f.cls, AddressClass::kTlsBroken);
}

TEST(Probe, SilentServerIsGreetingTimeout) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.silent = true;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), Full());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kGreetingTimeout);
  EXPECT_EQ(f.connections, 1);
  EXPECT_EQ(f.cls, AddressClass::kUnreachable);
}

TEST(Probe, SlowGreetingIsWaitedFor) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.greeting_delay = std::chrono::milliseconds(600);
  config.multiline_greeting = true;
  sim::SimSmtpServer* server = fleet.Start(config);
  AddressFacts f = ProbeOne(loop, fleet, server, PlanOptions{});
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kAccepted);
  EXPECT_EQ(server->stats().early_talkers, 0) << "the scanner spoke before the greeting";
  EXPECT_NE(f.banner.find(" / "), std::string::npos) << "both greeting lines kept: " << f.banner;
}

TEST(Probe, RefusedConnection) {
  TestLoop loop;
  Fleet fleet(loop.get());
  // Start and close a server to learn an address:port where nothing listens.
  sim::SimSmtpServer* server = fleet.Start({});
  ASSERT_NE(server, nullptr);
  sim::SimServerConfig dead = server->config();
  dead.port = server->port();
  fleet.CloseAll();
  uv_run(loop.get(), UV_RUN_DEFAULT);

  ProbeEnv env = FastEnv(loop.get());
  Scheduler scheduler(loop.get(), PolitenessOptions{});
  ProberOptions options;
  options.plan = Full();
  AddressTarget target;
  IpAddress::Parse(dead.address, &target.ip);
  target.port = dead.port;
  AddressFacts f;
  ProbeAddress(env, scheduler, options, target, [&](AddressFacts facts) {
    f = std::move(facts);
    scheduler.Close(nullptr);
  });
  uv_run(loop.get(), UV_RUN_DEFAULT);
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kConnectRefused);
  EXPECT_EQ(f.connections, 0);
  EXPECT_EQ(f.cls, AddressClass::kUnreachable);
}

// Under ASan: the prober used to keep a reference to the options, read again after each probe.
TEST(Probe, OptionsMayBeATemporary) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimSmtpServer* server = fleet.Start({});
  ASSERT_NE(server, nullptr);
  ProbeEnv env = FastEnv(loop.get());
  Scheduler scheduler(loop.get(), PolitenessOptions{});
  AddressTarget target;
  IpAddress::Parse(server->config().address, &target.ip);
  target.port = server->port();
  target.host_name = "mx.test";
  auto full_plan = [] {
    ProberOptions options;
    options.plan = Full();
    // A list on the heap: reading it after the temporary is gone is a heap-use-after-free.
    options.plan.versions = {tls::ProbeKind::kOnlyTls12, tls::ProbeKind::kOnlyTls13};
    return options;
  };
  AddressFacts f;
  bool done = false;
  // The options die at the end of this statement, long before the plan's later probes run.
  ProbeAddress(env, scheduler, full_plan(), target, [&](AddressFacts facts) {
    f = std::move(facts);
    done = true;
    scheduler.Close(nullptr);
    fleet.CloseAll();
  });
  uv_run(loop.get(), UV_RUN_DEFAULT);
  ASSERT_TRUE(done);
  ASSERT_EQ(f.probes.size(), 3u) << "auto, then each listed version";
  EXPECT_EQ(f.probes[2].kind, tls::ProbeKind::kOnlyTls13);
  EXPECT_EQ(f.connections, 3);
}

TEST(Probe, Greeting421IsTempFailRetriedThenReported) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.greeting_code = 421;
  sim::SimSmtpServer* server = fleet.Start(config);
  AddressFacts f = ProbeOne(loop, fleet, server, PlanOptions{});
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kTempFail);
  // One try and two bounded retries.
  EXPECT_EQ(server->stats().connections, 3);
  EXPECT_EQ(f.cls, AddressClass::kTempFail);
}

TEST(Probe, Greeting554IsGreetingRefused) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.greeting_code = 554;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kGreetingRefused);
}

TEST(Probe, BytesAfterStartTls220FailClosed) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.inject_after_starttls = "250 injected\r\n";
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kStartTlsInjection);
  EXPECT_EQ(f.anomalies, std::vector<std::string>{"starttls-injection"});
  EXPECT_TRUE(f.accepted_versions.empty());
}

TEST(Probe, AdaptivePlanStaysWithinThreeConnections) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.tls_versions = sim::kAllTlsBits;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_LE(f.connections, 3);
  EXPECT_EQ(f.cls, AddressClass::kExoReady);
  EXPECT_TRUE(f.legacy_accepted);
}

TEST(Probe, AdaptiveLegacyOnlyNeedsOneConnection) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.tls_versions = kTls10Bit;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_EQ(f.connections, 1);
  EXPECT_EQ(f.cls, AddressClass::kLegacyOnly);
}

TEST(Probe, Tls12WithoutExoSuitesIsNoSharedCipher) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.tls_versions = kTls12Bit;
  config.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kNoSharedCipher) << HostTable(f);
  const ProbeRecord* exo = Row(f, tls::ProbeKind::kExo12);
  ASSERT_NE(exo, nullptr);
  EXPECT_EQ(exo->status, ProbeStatus::kNoSharedCipher) << exo->detail;
}

TEST(Probe, Tls13OnlyServer) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.tls_versions = kTls13Bit;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kTls13Only) << HostTable(f);
}

}  // namespace
}  // namespace mxsweep::testing
