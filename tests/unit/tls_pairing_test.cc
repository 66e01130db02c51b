// The BoringSSL client handshake (tls/client_handshake.h) paired in memory with the simulated
// fleet's server (tls/server_tls.h), as BoringSSL's ssl_test.cc pairs its own: no sockets, the
// test carries the bytes from one to the other until both are done. Every BoringSSL probe kind
// meets every server version set; the outcome must be the highest common version, or a refused
// version when there is none.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tls/client_contexts.h"
#include "tls/client_handshake.h"
#include "tls/server_tls.h"
#include "tls/test_pki.h"
#include "tls/tls_version.h"

namespace mxsweep::tls {
namespace {

constexpr char kHost[] = "mx.pairing.test";

// The BoringSSL kinds: the ones that complete a handshake.
constexpr ProbeKind kClientKinds[] = {ProbeKind::kAuto,      ProbeKind::kOnlyTls10, ProbeKind::kOnlyTls11,
                                      ProbeKind::kOnlyTls12, ProbeKind::kOnlyTls13, ProbeKind::kExo12,
                                      ProbeKind::kLegacy};

const std::vector<std::vector<uint16_t>> kServerVersionSets = {
    {kTls10},         {kTls10, kTls11}, {kTls12},         {kTls13},
    {kTls12, kTls13}, {kTls10, kTls11, kTls12, kTls13},
    {kTls10, kTls13},  // a hole: refused_mask, answered from the early callback
};

struct Pairing {
  ProbeKind kind;
  std::vector<uint16_t> server_versions;
};

void PrintTo(const Pairing& p, std::ostream* os) {
  *os << ProbeKindName(p.kind) << " against {";
  for (uint16_t v : p.server_versions) *os << " " << VersionName(v);
  *os << " }";
}

std::string Label(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

std::string PairingName(const ::testing::TestParamInfo<Pairing>& info) {
  std::string name = Label(ProbeKindName(info.param.kind)) + "_vs";
  for (uint16_t v : info.param.server_versions) name += "_" + Label(VersionName(v));
  return name;
}

std::vector<Pairing> AllPairings() {
  std::vector<Pairing> out;
  for (ProbeKind kind : kClientKinds) {
    for (const auto& versions : kServerVersionSets) out.push_back({kind, versions});
  }
  return out;
}

// ServerConfigFor expresses a version set as the server's range and holes.
ServerTlsConfig ServerConfigFor(const std::vector<uint16_t>& versions) {
  ServerTlsConfig config;
  config.min_version = *std::min_element(versions.begin(), versions.end());
  config.max_version = *std::max_element(versions.begin(), versions.end());
  config.refused_mask = 0;
  for (uint16_t v = config.min_version; v <= config.max_version; v++) {
    if (std::find(versions.begin(), versions.end(), v) == versions.end()) {
      config.refused_mask |= static_cast<uint8_t>(1u << (v - kTls10));
    }
  }
  return config;
}

// ExpectedVersion is the highest version both sides allow, or 0.
uint16_t ExpectedVersion(ProbeKind kind, const std::vector<uint16_t>& server_versions) {
  uint16_t best = 0;
  for (uint16_t v : server_versions) {
    if (v >= MinVersion(kind) && v <= MaxVersion(kind)) best = std::max(best, v);
  }
  return best;
}

struct Exchange {
  ClientHandshake::State client = ClientHandshake::State::kInProgress;
  ServerTls::State server = ServerTls::State::kInProgress;
  int flights = 0;
};

// Shuttle carries each side's output to the other until neither has anything to say. A server
// that fails without a word (no alert) looks like a close to the client, as on a socket.
Exchange Shuttle(ClientHandshake& client, ServerTls& server) {
  Exchange run;
  run.client = client.Start();
  // A full handshake has at most four flights; a few more catch a loop that never ends.
  for (int i = 0; i < 10; i++) {
    std::string to_server = client.TakeOutput();
    if (!to_server.empty()) {
      run.flights++;
      run.server = server.Receive(to_server, nullptr);
    }
    std::string to_client = server.TakeOutput();
    if (!to_client.empty()) {
      run.flights++;
      run.client = client.Receive(to_client);
    } else if (run.client == ClientHandshake::State::kInProgress &&
               run.server == ServerTls::State::kFailed) {
      run.client = client.PeerClosed(false);
    }
    if (to_server.empty() && to_client.empty()) break;
  }
  return run;
}

class TlsPairing : public ::testing::TestWithParam<Pairing> {
 protected:
  static void SetUpTestSuite() {
    pki_ = TestPki::Create().release();
    ASSERT_NE(pki_, nullptr);
    credential_ = new Credential(pki_->Issue(CertKind::kValid, kHost));
    ASSERT_TRUE(credential_->cert);
    std::string error;
    contexts_ = ClientContexts::Create("", &error).release();
    ASSERT_NE(contexts_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete contexts_;
    delete credential_;
    delete pki_;
  }

  static TestPki* pki_;
  static Credential* credential_;
  static ClientContexts* contexts_;
};

TestPki* TlsPairing::pki_ = nullptr;
Credential* TlsPairing::credential_ = nullptr;
ClientContexts* TlsPairing::contexts_ = nullptr;

TEST_P(TlsPairing, OutcomeIsTheHighestCommonVersionOrARefusal) {
  const Pairing& p = GetParam();
  std::string error;
  auto server_context = ServerContext::Create(*credential_, ServerConfigFor(p.server_versions), &error);
  ASSERT_NE(server_context, nullptr) << error;
  ClientHandshake client(*contexts_, p.kind, kHost);
  ServerTls server(*server_context);
  Exchange run = Shuttle(client, server);
  const HandshakeResult& result = client.result();

  uint16_t expected = ExpectedVersion(p.kind, p.server_versions);
  if (expected == 0) {
    ASSERT_EQ(run.client, ClientHandshake::State::kFailed) << result.detail;
    EXPECT_EQ(result.outcome, HandshakeOutcome::kVersionRefused) << result.detail;
    EXPECT_EQ(run.server, ServerTls::State::kFailed);
    return;
  }
  ASSERT_EQ(run.client, ClientHandshake::State::kCompleted) << result.detail;
  EXPECT_EQ(result.outcome, HandshakeOutcome::kCompleted);
  EXPECT_EQ(VersionName(result.version), VersionName(expected));
  EXPECT_NE(result.cipher_id, 0);
  EXPECT_EQ(result.alert, -1);
  if (p.kind == ProbeKind::kExo12) {
    EXPECT_TRUE(std::find(std::begin(kExoCipherSuites), std::end(kExoCipherSuites), result.cipher_id) !=
                std::end(kExoCipherSuites))
        << result.cipher;
  }
  // The channel works both ways: the client's QUIT reaches the server, and the server's reply
  // the client (the client's last flight also completes a TLS 1.3 server).
  ASSERT_TRUE(client.Encrypt("QUIT\r\n"));
  std::string plaintext;
  EXPECT_EQ(server.Receive(client.TakeOutput(), &plaintext), ServerTls::State::kCompleted);
  EXPECT_EQ(plaintext, "QUIT\r\n");
  ASSERT_TRUE(server.Encrypt("221 bye\r\n"));
  EXPECT_EQ(client.Decrypt(server.TakeOutput()), "221 bye\r\n");
  // The certificate the server sent is the one the PKI issued for this host.
  std::optional<CertificateSummary> cert = client.SummarizeCertificate();
  ASSERT_TRUE(cert.has_value());
  EXPECT_TRUE(cert->name_matches);
}

INSTANTIATE_TEST_SUITE_P(EveryKindAgainstEveryVersionSet, TlsPairing, ::testing::ValuesIn(AllPairings()),
                         PairingName);

// No suite in common: the server offers only a suite EXO's list lacks.
TEST(TlsPairingCiphers, NoSharedCipherIsHandshakeFailure) {
  auto pki = TestPki::Create();
  ASSERT_NE(pki, nullptr);
  Credential credential = pki->Issue(CertKind::kValid, kHost);
  ServerTlsConfig config = ServerConfigFor({kTls12});
  config.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  std::string error;
  auto server_context = ServerContext::Create(credential, config, &error);
  ASSERT_NE(server_context, nullptr) << error;
  auto contexts = ClientContexts::Create("", &error);
  ASSERT_NE(contexts, nullptr) << error;

  ClientHandshake exo(*contexts, ProbeKind::kExo12, kHost);
  ServerTls server(*server_context);
  Exchange run = Shuttle(exo, server);
  ASSERT_EQ(run.client, ClientHandshake::State::kFailed);
  EXPECT_EQ(exo.result().outcome, HandshakeOutcome::kNoSharedCipher) << exo.result().detail;
  EXPECT_EQ(exo.result().alert, 40);
  EXPECT_EQ(run.server, ServerTls::State::kFailed);

  // The same server and a client that offers everything: accepted with that suite.
  ClientHandshake all(*contexts, ProbeKind::kOnlyTls12, kHost);
  ServerTls server2(*server_context);
  run = Shuttle(all, server2);
  ASSERT_EQ(run.client, ClientHandshake::State::kCompleted) << all.result().detail;
  EXPECT_EQ(all.result().cipher_id, 0xCCA9);  // TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
}

}  // namespace
}  // namespace mxsweep::tls
