// Real legacy servers from Debian packages: `openssl s_server` (OpenSSL 3.0) with the suites a
// BoringSSL client cannot offer, behind the STARTTLS front (tests/servers/starttls_server.py
// --relay). The raw hellos must tell the truth, labelled as ServerHello evidence, and the
// default plan must stay within 3 connections.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "output/host_report.h"
#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

// TestAddress hands out 127.60.x.y addresses, x from the pid so parallel runs stay apart.
std::string TestAddress() {
  static std::atomic<int> next{1};
  return "127.60." + std::to_string(getpid() & 0xff) + "." + std::to_string(next++);
}

// FreePort asks the kernel for an ephemeral port free on |address| (s_server needs a number).
uint16_t FreePort(const std::string& address) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// WaitListening connects until something accepts on |address|:|port| (up to 10 s).
bool WaitListening(const std::string& address, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  for (int i = 0; i < 200; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (ok) return true;
    usleep(50 * 1000);
  }
  return false;
}

struct RsaCredentials {
  std::string cert, key;
};

// DHE-RSA and TLS_RSA suites need an RSA certificate.
const RsaCredentials& Rsa() {
  static RsaCredentials c = [] {
    std::string dir = MakeTempDir();
    RsaCredentials out{dir + "/rsa-cert.pem", dir + "/rsa-key.pem"};
    int rc = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mx.legacy.test -days 30 -keyout " +
                        out.key + " -out " + out.cert + " 2>/dev/null");
    EXPECT_EQ(rc, 0) << "openssl req failed";
    return out;
  }();
  return c;
}

// LegacyServer is one s_server with its SMTP front on a fresh 127.60.x.y.
class LegacyServer {
 public:
  // |tls_args| are the s_server options that pick versions and suites.
  bool Start(const std::vector<std::string>& tls_args, std::string* error) {
    address_ = TestAddress();
    uint16_t tls_port = FreePort(address_);
    // -quiet: without it s_server reads stdin and shuts down at its EOF. It then prints nothing,
    // so readiness is a connection that succeeds (it costs one of the -naccept).
    std::vector<std::string> argv = {"openssl", "s_server", "-accept", address_ + ":" + std::to_string(tls_port),
                                     "-cert", Rsa().cert, "-key", Rsa().key, "-naccept", "40", "-quiet"};
    argv.insert(argv.end(), tls_args.begin(), tls_args.end());
    if (!tls_.Start(argv, "", 100, error)) return false;
    if (!WaitListening(address_, tls_port)) {
      *error = "openssl s_server did not listen on " + address_;
      return false;
    }
    if (!front_.Start({"python3", SourceDir() + "/tests/servers/starttls_server.py", "--address", address_,
                       "--name", "mx.legacy.test", "--relay", address_ + ":" + std::to_string(tls_port)},
                      "READY ", 10000, error)) {
      return false;
    }
    port_ = static_cast<uint16_t>(std::stoi(front_.ready_line()));
    return true;
  }

  AddressFacts Probe(PlanOptions plan) {
    TestLoop loop;
    ProbeEnv env = FastEnv(loop.get());
    PolitenessOptions politeness;
    politeness.per_address_gap = std::chrono::milliseconds(20);
    Scheduler scheduler(loop.get(), politeness);
    ProberOptions options;
    options.plan = plan;
    AddressTarget target;
    IpAddress::Parse(address_, &target.ip);
    target.port = port_;
    target.host_name = "mx.legacy.test";
    AddressFacts out;
    ProbeAddress(env, scheduler, options, target, [&](AddressFacts facts) {
      out = std::move(facts);
      scheduler.Close(nullptr);
    });
    uv_run(loop.get(), UV_RUN_DEFAULT);
    return out;
  }

 private:
  ExternalServer tls_, front_;
  std::string address_;
  uint16_t port_ = 0;
};

PlanOptions FullMap() {
  PlanOptions plan;
  plan.full = true;
  plan.versions = {tls::ProbeKind::kHelloSsl3, tls::ProbeKind::kOnlyTls10, tls::ProbeKind::kOnlyTls11,
                   tls::ProbeKind::kOnlyTls12, tls::ProbeKind::kOnlyTls13};
  return plan;
}

const ProbeRecord* Row(const AddressFacts& f, tls::ProbeKind kind) {
  for (const ProbeRecord& r : f.probes) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

bool Has(const std::vector<uint16_t>& list, uint16_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

TEST(LegacyServer, DheOnlyTls10IsAcceptedWithLegacySuitesOnly) {
  LegacyServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"-tls1", "-cipher", "DHE-RSA-AES128-SHA:@SECLEVEL=0"}, &error)) << error;

  // The default plan: BoringSSL says handshake_failure; a legacy client's hello tells the truth.
  AddressFacts f = server.Probe(PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kLegacyOnly) << HostTable(f);
  EXPECT_LE(f.connections, 3);
  EXPECT_TRUE(f.accepted_versions.empty()) << "no handshake completed: nothing is 'accepted'";
  ASSERT_EQ(f.hello_only_versions.size(), 1u) << HostTable(f);
  EXPECT_EQ(f.hello_only_versions[0].version, tls::kTls10);
  EXPECT_EQ(f.hello_only_versions[0].cipher, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_TRUE(f.hello_only_versions[0].legacy_suite);
  EXPECT_FALSE(Has(f.refused_versions, tls::kTls10));
  const ProbeRecord* hello = Row(f, tls::ProbeKind::kHelloAuto);
  ASSERT_NE(hello, nullptr) << HostTable(f);
  EXPECT_EQ(hello->status, ProbeStatus::kAcceptedHelloOnly);
  EXPECT_EQ(hello->evidence, Evidence::kServerHelloOnly);
  std::string json = HostJson(f, nullptr);
  EXPECT_NE(json.find("\"hello_only_versions\":[{\"version\":\"TLS1.0\",\"cipher\":"
                      "\"TLS_DHE_RSA_WITH_AES_128_CBC_SHA\",\"legacy_suite\":true}]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"evidence\":\"server-hello-only\""), std::string::npos);

  // The full map: TLS 1.0 is never called refused; 1.1-1.3 are, on the server's word.
  AddressFacts m = server.Probe(FullMap());
  EXPECT_EQ(m.cls, AddressClass::kLegacyOnly) << HostTable(m);
  EXPECT_FALSE(Has(m.refused_versions, tls::kTls10)) << HostTable(m);
  EXPECT_TRUE(Has(m.refused_versions, tls::kTls11));
  EXPECT_TRUE(Has(m.refused_versions, tls::kTls12));
  EXPECT_TRUE(Has(m.refused_versions, tls::kTls13));
  const ProbeRecord* tls10 = Row(m, tls::ProbeKind::kHelloTls10);
  ASSERT_NE(tls10, nullptr) << HostTable(m);
  EXPECT_EQ(tls10->status, ProbeStatus::kAcceptedHelloOnly);
  EXPECT_EQ(tls10->cipher, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
}

TEST(LegacyServer, Tls12WithOnlyRsaCbcSuitesIsNoSharedCipher) {
  LegacyServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"-tls1_2", "-cipher", "AES128-SHA:AES256-SHA"}, &error)) << error;
  AddressFacts f = server.Probe(PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kNoSharedCipher) << HostTable(f);
  EXPECT_FALSE(f.exo_ready);
  EXPECT_LE(f.connections, 3);
  EXPECT_EQ(f.accepted_versions, std::vector<uint16_t>{tls::kTls12});
  // The EXO emulation decides: BoringSSL with EXO's suites, then a raw hello with the two it lacks.
  const ProbeRecord* exo = Row(f, tls::ProbeKind::kExo12);
  ASSERT_NE(exo, nullptr);
  EXPECT_EQ(exo->status, ProbeStatus::kNoSharedCipher) << exo->detail;
  const ProbeRecord* hello = Row(f, tls::ProbeKind::kHelloExo);
  ASSERT_NE(hello, nullptr) << HostTable(f);
  EXPECT_EQ(hello->status, ProbeStatus::kNoSharedCipher) << hello->detail;
}

TEST(LegacyServer, Tls12WithOnlyEcdheGcmIsExoReadyByHandshake) {
  LegacyServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"},
                           &error))
      << error;
  AddressFacts f = server.Probe(PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kExoReady) << HostTable(f);
  EXPECT_EQ(f.exo_evidence, Evidence::kHandshake);
  EXPECT_LE(f.connections, 3);
  EXPECT_TRUE(f.hello_only_versions.empty());

  // Asked directly, the EXO probe completes a real handshake.
  PlanOptions exo;
  exo.full = true;
  exo.versions = {tls::ProbeKind::kExo12};
  AddressFacts e = server.Probe(exo);
  const ProbeRecord* row = Row(e, tls::ProbeKind::kExo12);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, ProbeStatus::kAccepted) << row->detail;
  EXPECT_EQ(row->evidence, Evidence::kHandshake);
  EXPECT_EQ(row->cipher, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
}

TEST(LegacyServer, Tls12WithOnlyCbcSha256IsExoReadyOnServerHelloEvidence) {
  // ECDHE-RSA-AES128-SHA256 is one of EXO's suites that BoringSSL lacks: only a ServerHello can
  // show it, and the output says so.
  LegacyServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"}, &error)) << error;
  AddressFacts f = server.Probe(PlanOptions{});
  EXPECT_EQ(f.cls, AddressClass::kExoReady) << HostTable(f);
  EXPECT_TRUE(f.exo_ready);
  EXPECT_EQ(f.exo_evidence, Evidence::kServerHelloOnly);
  EXPECT_TRUE(f.accepted_versions.empty());
  EXPECT_LE(f.connections, 3);
  std::string json = HostJson(f, nullptr);
  EXPECT_NE(json.find("\"exo_evidence\":\"server-hello-only\""), std::string::npos) << json;
  EXPECT_NE(json.find("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"), std::string::npos) << json;

  PlanOptions exo;
  exo.full = true;
  exo.versions = {tls::ProbeKind::kExo12};
  AddressFacts e = server.Probe(exo);
  const ProbeRecord* hello = Row(e, tls::ProbeKind::kHelloExo);
  ASSERT_NE(hello, nullptr) << HostTable(e);
  EXPECT_EQ(hello->status, ProbeStatus::kAcceptedHelloOnly);
  EXPECT_EQ(hello->cipher, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
  EXPECT_EQ(e.cls, AddressClass::kExoReady);
}

TEST(LegacyServer, Tls13HelloAgainstARealServer) {
  LegacyServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"-tls1_3", "-groups", "secp384r1"}, &error)) << error;
  PlanOptions plan;
  plan.full = true;
  plan.versions = {tls::ProbeKind::kHelloTls13};
  AddressFacts f = server.Probe(plan);
  const ProbeRecord* hello = Row(f, tls::ProbeKind::kHelloTls13);
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->status, ProbeStatus::kAcceptedHelloOnly) << hello->detail;
  EXPECT_EQ(hello->version, tls::kTls13);
  EXPECT_NE(hello->detail.find("HelloRetryRequest"), std::string::npos) << hello->detail;
  EXPECT_EQ(hello->group, "P-384");
  // BoringSSL's auto answers the HRR itself and completes.
  EXPECT_EQ(f.accepted_versions, std::vector<uint16_t>{tls::kTls13}) << HostTable(f);
}

}  // namespace
}  // namespace mxsweep::testing
