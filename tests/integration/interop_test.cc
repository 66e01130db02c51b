// Interop: mxsweep against TLS stacks that are not its own — Python's ssl and `openssl s_server`
// (Debian's OpenSSL 3, at security level 0 where TLS 1.0/1.1 must work) behind a STARTTLS front.
#include <gtest/gtest.h>

#include "output/host_report.h"
#include "tests/integration/external_server.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

struct Credentials {
  std::string dir, cert, key;
};

// TestCredentials makes one self-signed P-256 certificate for the external servers.
const Credentials& TestCredentials() {
  static Credentials c = [] {
    Credentials out;
    out.dir = MakeTempDir();
    out.cert = out.dir + "/cert.pem";
    out.key = out.dir + "/key.pem";
    int rc = RunCommand("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                        "-subj /CN=mx.interop.test -days 30 -keyout " + out.key + " -out " + out.cert +
                        " 2>/dev/null");
    EXPECT_EQ(rc, 0) << "openssl req failed";
    return out;
  }();
  return c;
}

AddressFacts ProbeExternal(const std::string& address, uint16_t port) {
  TestLoop loop;
  ProbeEnv env = FastEnv(loop.get());
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(20);
  Scheduler scheduler(loop.get(), politeness);
  ProberOptions options;
  options.plan.full = true;
  AddressTarget target;
  IpAddress::Parse(address, &target.ip);
  target.port = port;
  target.host_name = "mx.interop.test";
  AddressFacts out;
  ProbeAddress(env, scheduler, options, target, [&](AddressFacts facts) {
    out = std::move(facts);
    scheduler.Close(nullptr);
  });
  uv_run(loop.get(), UV_RUN_DEFAULT);
  return out;
}

std::vector<std::string> Names(const std::vector<uint16_t>& versions) {
  std::vector<std::string> out;
  for (uint16_t v : versions) out.emplace_back(tls::VersionName(v));
  return out;
}

struct PythonCase {
  const char* name;
  const char* min;
  const char* max;
  std::vector<std::string> expected;
};

class PythonSslTest : public ::testing::TestWithParam<PythonCase> {};

TEST_P(PythonSslTest, VersionsMatchPythonServer) {
  const Credentials& creds = TestCredentials();
  std::string address = NextLoopbackAddress();
  ExternalServer server;
  std::string error;
  ASSERT_TRUE(server.Start({"python3", SourceDir() + "/tests/servers/starttls_server.py", "--address",
                            address, "--tls-min", GetParam().min, "--tls-max", GetParam().max,
                            "--cert", creds.cert, "--key", creds.key},
                           "READY ", 10000, &error))
      << error;
  uint16_t port = static_cast<uint16_t>(std::stoi(server.ready_line()));
  AddressFacts f = ProbeExternal(address, port);
  EXPECT_EQ(Names(f.accepted_versions), GetParam().expected) << HostTable(f);
  EXPECT_TRUE(f.starttls);
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_TRUE(f.certificate->self_signed);
  EXPECT_FALSE(f.certificate->chain_valid);
}

INSTANTIATE_TEST_SUITE_P(
    Python, PythonSslTest,
    ::testing::Values(PythonCase{"Tls10Only", "1.0", "1.0", {"TLS1.0"}},
                      PythonCase{"Tls10And11", "1.0", "1.1", {"TLS1.0", "TLS1.1"}},
                      PythonCase{"Tls12And13", "1.2", "1.3", {"TLS1.2", "TLS1.3"}},
                      PythonCase{"Tls13Only", "1.3", "1.3", {"TLS1.3"}}),
    [](const ::testing::TestParamInfo<PythonCase>& param_info) { return param_info.param.name; });

TEST(Interop, OpensslSServerTls10BehindStartTlsRelay) {
  const Credentials& creds = TestCredentials();
  std::string address = NextLoopbackAddress();
  // s_server has no STARTTLS server side; the Python front speaks SMTP and relays the TLS bytes.
  ExternalServer tls_server;
  std::string error;
  int tls_port = 20000 + (getpid() % 20000);
  ASSERT_TRUE(tls_server.Start({"openssl", "s_server", "-accept", address + ":" + std::to_string(tls_port),
                                "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0", "-cert", creds.cert, "-key",
                                creds.key, "-naccept", "20", "-quiet"},
                               "", 700, &error))
      << error;
  ExternalServer front;
  ASSERT_TRUE(front.Start({"python3", SourceDir() + "/tests/servers/starttls_server.py", "--address",
                           address, "--relay", address + ":" + std::to_string(tls_port)},
                          "READY ", 10000, &error))
      << error;
  uint16_t port = static_cast<uint16_t>(std::stoi(front.ready_line()));
  AddressFacts f = ProbeExternal(address, port);
  EXPECT_EQ(Names(f.accepted_versions), std::vector<std::string>{"TLS1.0"}) << HostTable(f);
  for (const ProbeRecord& r : f.probes) {
    if (r.kind == tls::ProbeKind::kOnlyTls12 || r.kind == tls::ProbeKind::kOnlyTls13) {
      EXPECT_EQ(r.status, ProbeStatus::kVersionRefused) << tls::ProbeKindName(r.kind) << " " << r.detail;
    }
  }
}

}  // namespace
}  // namespace mxsweep::testing
