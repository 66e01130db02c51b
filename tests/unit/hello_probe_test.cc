// The raw-hello prober without sockets: the suite table, the ClientHello builder (byte-exact and
// parsed back), and the ServerHello/alert parser on answers captured from real servers
// (tests/data/hello), whole, cut short, byte at a time, oversized and garbled.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/nid.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>

#include "scanner/smtp/probe_status.h"
#include "scanner/verdict/handshake_status.h"
#include "tls/cipher_suites.h"
#include "tls/client_contexts.h"
#include "tls/client_hello.h"
#include "tls/hello_probe.h"
#include "tls/server_answer.h"

namespace mxsweep::tls {
namespace {

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string Vector(const std::string& name) {
  std::ifstream in(std::string(MXSWEEP_SOURCE_DIR) + "/tests/data/hello/" + name + ".hex");
  std::string hex;
  std::getline(in, hex);
  EXPECT_FALSE(hex.empty()) << "missing test vector " << name;
  return Unhex(hex);
}

HelloSecrets FixedSecrets() {
  HelloSecrets s;
  for (int i = 0; i < 32; i++) {
    s.random[i] = static_cast<uint8_t>(i);
    s.session_id[i] = static_cast<uint8_t>(0x40 + i);
    s.x25519_public[i] = static_cast<uint8_t>(0x80 + i);
  }
  s.p256_public[0] = 4;
  for (int i = 1; i < 65; i++) s.p256_public[i] = static_cast<uint8_t>(0xA0 + i);
  return s;
}

bool Contains(const std::vector<uint16_t>& list, uint16_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// --- suite table -------------------------------------------------------------------------------

TEST(CipherSuites, NamesFromTheRegistry) {
  EXPECT_EQ(CipherSuiteName(0xC02F), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(CipherSuiteName(0x0033), "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_EQ(CipherSuiteName(0x0005), "TLS_RSA_WITH_RC4_128_SHA");
  EXPECT_EQ(CipherSuiteName(0xC027), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
  EXPECT_EQ(CipherSuiteName(0x1301), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(CipherSuiteName(0xC04C), "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256");
  EXPECT_EQ(CipherSuiteName(0xC09C), "TLS_RSA_WITH_AES_128_CCM");
  EXPECT_EQ(CipherSuiteName(0xFAFA), "");
  EXPECT_EQ(CipherSuiteLabel(0xFAFA), "0xFAFA");
  EXPECT_GT(CipherSuiteCount(), 340u);
}

TEST(CipherSuites, EverySuiteBoringSslNegotiatesHasItsName) {
  // One table for every output: a BoringSSL handshake's suite must be in it too.
  int implemented = 0;
  for (uint32_t id = 0; id <= 0xFFFF; id++) {
    if (!BoringSslImplements(static_cast<uint16_t>(id))) continue;
    implemented++;
    EXPECT_FALSE(CipherSuiteName(static_cast<uint16_t>(id)).empty()) << std::hex << id;
  }
  EXPECT_GT(implemented, 10);
}

TEST(CipherSuites, SuitesPerVersion) {
  std::vector<uint16_t> ssl3 = SuitesForVersion(kSsl3), tls10 = SuitesForVersion(kTls10),
                        tls11 = SuitesForVersion(kTls11), tls12 = SuitesForVersion(kTls12),
                        tls13 = SuitesForVersion(kTls13);
  EXPECT_TRUE(Contains(tls10, 0x0033));   // DHE-RSA-AES128-SHA
  EXPECT_TRUE(Contains(tls10, 0x0005));   // RC4-SHA
  EXPECT_TRUE(Contains(tls10, 0x0003));   // export, still legal in TLS 1.0
  EXPECT_FALSE(Contains(tls11, 0x0003));  // RFC 4346: not in TLS 1.1
  EXPECT_FALSE(Contains(tls10, 0xC02F));  // GCM is TLS 1.2 only
  EXPECT_TRUE(Contains(tls12, 0xC02F));
  EXPECT_TRUE(Contains(tls12, 0xC027));
  EXPECT_TRUE(Contains(tls12, 0x0033));
  EXPECT_FALSE(Contains(tls12, 0x1301));
  EXPECT_EQ(ssl3, tls10);
  for (uint16_t id : {0x1301, 0x1302, 0x1303, 0x1304, 0x1305}) EXPECT_TRUE(Contains(tls13, id));
  EXPECT_FALSE(Contains(tls13, 0xC02F));
  for (const auto* list : {&ssl3, &tls10, &tls11, &tls12, &tls13}) {
    EXPECT_FALSE(Contains(*list, 0x0000));
    EXPECT_FALSE(Contains(*list, 0x00FF));
    EXPECT_FALSE(Contains(*list, 0x5600)) << "TLS_FALLBACK_SCSV would make a forced version a fallback";
  }
  EXPECT_TRUE(SuitesForVersion(0x0305).empty());
}

TEST(CipherSuites, ExoSuitesBoringSslLacksAreTheCbcSha2Ones) {
  EXPECT_EQ(ExoSuitesBoringSslLacks(), (std::vector<uint16_t>{0xC028, 0xC027, 0xC024, 0xC023}));
}

// --- ClientHello builder ---------------------------------------------------------------------

TEST(ClientHello, ByteExactTls10) {
  std::string built;
  ASSERT_TRUE(BuildClientHello(OfferFor(ProbeKind::kHelloTls10, "mx.example"), FixedSecrets(), &built));
  EXPECT_EQ(built, Vector("client_hello_tls10"));
  // Hand-checked header: handshake record at 0x0301, ClientHello, legacy_version TLS 1.0, our
  // random, an empty session id, 125 suites plus the renegotiation SCSV.
  EXPECT_EQ(built.substr(0, 3), Unhex("160301"));
  EXPECT_EQ(built[5], 1);
  EXPECT_EQ(built.substr(9, 2), Unhex("0301"));
  EXPECT_EQ(built.substr(11, 4), Unhex("00010203"));
  EXPECT_EQ(built.substr(43, 3), Unhex("0000fc"));
}

TEST(ClientHello, ByteExactTls13) {
  std::string built;
  ASSERT_TRUE(BuildClientHello(OfferFor(ProbeKind::kHelloTls13, "mx.example"), FixedSecrets(), &built));
  EXPECT_EQ(built, Vector("client_hello_tls13"));
}

class ClientHelloKindTest : public ::testing::TestWithParam<ProbeKind> {};

TEST_P(ClientHelloKindTest, ParsesBackToTheOffer) {
  ProbeKind kind = GetParam();
  HelloOffer offer = OfferFor(kind, "mx1.partner.example");
  std::string built;
  ASSERT_TRUE(BuildClientHello(offer, FixedSecrets(), &built));
  ClientHelloView v;
  ASSERT_TRUE(ParseClientHello(built, &v));
  uint16_t max = MaxVersion(kind);
  EXPECT_EQ(v.record_version, max == kSsl3 ? kSsl3 : kTls10);
  EXPECT_EQ(v.client_version, max == kTls13 ? kTls12 : max);
  EXPECT_EQ(v.random, FixedSecrets().random);
  std::vector<uint16_t> expected = offer.cipher_suites;
  if (max != kTls13) expected.push_back(0x00FF);
  EXPECT_EQ(v.cipher_suites, expected);
  EXPECT_FALSE(Contains(v.cipher_suites, 0x5600));
  EXPECT_EQ(v.compression_methods, std::vector<uint8_t>{0});
  if (max == kSsl3) {
    EXPECT_TRUE(v.extension_types.empty()) << "SSL 3.0 clients send no extensions";
    return;
  }
  EXPECT_EQ(v.server_name, "mx1.partner.example");
  EXPECT_EQ(v.supported_groups, (std::vector<uint16_t>{29, 23, 30, 25, 24}));
  EXPECT_EQ(v.ec_point_formats, std::vector<uint8_t>{0});
  EXPECT_EQ(!v.signature_algorithms.empty(), max >= kTls12);
  if (max == kTls13) {
    EXPECT_EQ(v.supported_versions, std::vector<uint16_t>{kTls13});
    EXPECT_EQ(v.key_share_groups, (std::vector<uint16_t>{29, 23}));
    EXPECT_EQ(v.session_id.size(), 32u);
  } else {
    EXPECT_TRUE(v.supported_versions.empty());
    EXPECT_TRUE(v.key_share_groups.empty());
    EXPECT_TRUE(v.session_id.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ClientHelloKindTest,
    ::testing::Values(ProbeKind::kHelloAuto, ProbeKind::kHelloSsl3, ProbeKind::kHelloTls10,
                      ProbeKind::kHelloTls11, ProbeKind::kHelloTls12, ProbeKind::kHelloTls13,
                      ProbeKind::kHelloLegacy, ProbeKind::kHelloExo),
    [](const ::testing::TestParamInfo<ProbeKind>& param_info) {
      std::string name(ProbeKindName(param_info.param));
      name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }), name.end());
      return name;
    });

// Every hello gets its own random and session id; the key shares are real points, made once.
TEST(ClientHello, FreshRandomEveryHelloValidKeyShares) {
  HelloSecrets a, b;
  ASSERT_TRUE(NewHelloSecrets(&a));
  ASSERT_TRUE(NewHelloSecrets(&b));
  EXPECT_NE(a.random, b.random);
  EXPECT_NE(a.session_id, b.session_id);
  EXPECT_EQ(a.p256_public, b.p256_public);
  EXPECT_EQ(a.x25519_public, b.x25519_public);
  EXPECT_NE(a.x25519_public, decltype(a.x25519_public){});
  bssl::UniquePtr<EC_GROUP> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  bssl::UniquePtr<EC_POINT> point(EC_POINT_new(group.get()));
  ASSERT_TRUE(EC_POINT_oct2point(group.get(), point.get(), a.p256_public.data(), a.p256_public.size(), nullptr));
  EXPECT_EQ(EC_POINT_is_on_curve(group.get(), point.get(), nullptr), 1);
}

TEST(ClientHello, NoSniForAddressLiterals) {
  std::string built;
  ClientHelloView v;
  ASSERT_TRUE(BuildClientHello(OfferFor(ProbeKind::kHelloTls12, "192.0.2.7"), FixedSecrets(), &built));
  ASSERT_TRUE(ParseClientHello(built, &v));
  EXPECT_FALSE(Contains(v.extension_types, 0));
  ASSERT_TRUE(BuildClientHello(OfferFor(ProbeKind::kHelloTls12, ""), FixedSecrets(), &built));
  ASSERT_TRUE(ParseClientHello(built, &v));
  EXPECT_FALSE(Contains(v.extension_types, 0));
}

TEST(ClientHello, RefusesEmptyAndOversizedOffers) {
  HelloOffer offer = OfferFor(ProbeKind::kHelloTls12, "mx.example");
  std::string built = "stale";
  offer.cipher_suites.clear();
  EXPECT_FALSE(BuildClientHello(offer, FixedSecrets(), &built));
  EXPECT_TRUE(built.empty());
  offer.cipher_suites.assign(9000, 0x002F);  // 18 KB of suites: more than one record holds
  EXPECT_FALSE(BuildClientHello(offer, FixedSecrets(), &built));
}

TEST(ClientHello, ParserRejectsTrailingBytes) {
  std::string built;
  ASSERT_TRUE(BuildClientHello(OfferFor(ProbeKind::kHelloTls12, "mx.example"), FixedSecrets(), &built));
  ClientHelloView v;
  EXPECT_FALSE(ParseClientHello(built + "x", &v));
  EXPECT_FALSE(ParseClientHello(built.substr(0, built.size() - 1), &v));
}

// --- ServerHello / alert parser on captured answers ----------------------------------------

struct AnswerCase {
  const char* file;
  AnswerStatus status;
  uint16_t version;
  uint16_t suite;
  uint16_t group;
  bool hrr;
  int alert;
};

class CapturedAnswerTest : public ::testing::TestWithParam<AnswerCase> {};

TEST_P(CapturedAnswerTest, ParsesToTheRightFacts) {
  const AnswerCase& c = GetParam();
  std::string bytes = Vector(c.file);
  ServerAnswer a;
  ASSERT_EQ(ParseServerAnswer(bytes, &a), c.status) << AnswerStatusName(ParseServerAnswer(bytes, &a));
  if (c.status == AnswerStatus::kServerHello) {
    EXPECT_EQ(a.version, c.version);
    EXPECT_EQ(a.cipher_suite, c.suite);
    EXPECT_EQ(a.key_share_group, c.group);
    EXPECT_EQ(a.hello_retry_request, c.hrr);
    EXPECT_EQ(a.compression, 0);
  } else {
    EXPECT_EQ(a.alert_level, 2);
    EXPECT_EQ(a.alert_description, c.alert);
  }
}

TEST_P(CapturedAnswerTest, EveryShortPrefixNeedsMore) {
  // A short read is never an answer and never a crash: every proper prefix of the first records
  // needs more, until the answer is complete.
  std::string bytes = Vector(GetParam().file);
  ServerAnswer a;
  size_t complete = 0;
  for (size_t n = 0; n <= bytes.size(); n++) {
    AnswerStatus s = ParseServerAnswer(std::string_view(bytes).substr(0, n), &a);
    if (s != AnswerStatus::kNeedMore) {
      complete = n;
      EXPECT_EQ(s, GetParam().status);
      break;
    }
  }
  ASSERT_GT(complete, 5u);
  for (size_t n = complete; n <= bytes.size(); n++) {
    EXPECT_EQ(ParseServerAnswer(std::string_view(bytes).substr(0, n), &a), GetParam().status) << n;
  }
}

TEST_P(CapturedAnswerTest, ProbeFedOneByteAtATime) {
  const AnswerCase& c = GetParam();
  std::string bytes = Vector(c.file);
  ProbeKind kind = c.version == kTls13 ? ProbeKind::kHelloTls13 : ProbeKind::kHelloAuto;
  HelloOffer offer = OfferFor(kind, "mx.interop.test");
  offer.cipher_suites = SuitesForVersion(c.version ? c.version : kTls12);
  HelloProbe probe(kind, offer, FixedSecrets());
  ASSERT_EQ(probe.Start(), TlsDriver::State::kInProgress);
  EXPECT_FALSE(probe.TakeOutput().empty());
  TlsDriver::State state = TlsDriver::State::kInProgress;
  size_t fed = 0;
  while (state == TlsDriver::State::kInProgress && fed < bytes.size()) {
    state = probe.Receive(bytes.substr(fed++, 1));
  }
  if (c.status == AnswerStatus::kServerHello) {
    ASSERT_EQ(state, TlsDriver::State::kAnswered) << probe.result().detail;
    EXPECT_EQ(probe.result().outcome, HandshakeOutcome::kServerHello);
    EXPECT_EQ(probe.result().version, c.version);
    EXPECT_EQ(probe.result().cipher_id, c.suite);
    EXPECT_EQ(probe.result().cipher, CipherSuiteLabel(c.suite));
    EXPECT_EQ(probe.result().hello_retry_request, c.hrr);
    EXPECT_EQ(probe.result().legacy_suite, !BoringSslImplements(c.suite));
    EXPECT_NE(probe.result().detail.find("only"), std::string::npos) << probe.result().detail;
    // It hangs up with a user_canceled warning.
    EXPECT_EQ(probe.TakeOutput().substr(5), Unhex("015a"));
  } else {
    ASSERT_EQ(state, TlsDriver::State::kFailed);
    EXPECT_EQ(probe.result().alert, c.alert);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Captured, CapturedAnswerTest,
    ::testing::Values(
        // openssl s_server -tls1 -cipher 'DHE-RSA-AES128-SHA:@SECLEVEL=0'
        AnswerCase{"tls10_dhe_server_hello", AnswerStatus::kServerHello, kTls10, 0x0033, 0, false, -1},
        // openssl s_server -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
        AnswerCase{"tls12_ecdhe_gcm_server_hello", AnswerStatus::kServerHello, kTls12, 0xC02F, 0, false, -1},
        // openssl s_server -tls1_2 -cipher ECDHE-RSA-AES128-SHA256, asked with hello-EXO
        AnswerCase{"tls12_cbc_sha256_server_hello", AnswerStatus::kServerHello, kTls12, 0xC027, 0, false, -1},
        // openssl s_server -tls1_2 -cipher AES128-SHA:AES256-SHA, asked with hello-auto
        AnswerCase{"tls12_rsa_cbc_server_hello", AnswerStatus::kServerHello, kTls12, 0x002F, 0, false, -1},
        // openssl s_server -tls1_3: X25519 share accepted
        AnswerCase{"tls13_server_hello", AnswerStatus::kServerHello, kTls13, 0x1301, 29, false, -1},
        // openssl s_server -tls1_3 -groups secp384r1: HelloRetryRequest for P-384
        AnswerCase{"tls13_hello_retry_request", AnswerStatus::kServerHello, kTls13, 0x1301, 24, true, -1},
        AnswerCase{"alert_handshake_failure", AnswerStatus::kAlert, 0, 0, 0, false, 40},
        AnswerCase{"alert_protocol_version", AnswerStatus::kAlert, 0, 0, 0, false, 70}),
    [](const ::testing::TestParamInfo<AnswerCase>& param_info) {
      return std::string(param_info.param.file);
    });

// --- hostile and broken answers ------------------------------------------------------------

AnswerStatus Parse(const std::string& hex) {
  ServerAnswer a;
  return ParseServerAnswer(Unhex(hex), &a);
}

// A minimal TLS 1.0 ServerHello body: version, random, empty session id, suite 0x0033, null
// compression; |extensions| is appended as is.
std::string ServerHelloRecord(const std::string& extensions_hex, const std::string& trailing_hex = "") {
  std::string body = "0301" + std::string(64, 'a') + "00" + "0033" + "00" + extensions_hex + trailing_hex;
  auto hex_len = [](size_t bytes, int width) {
    char buf[24];
    std::snprintf(buf, sizeof(buf), "%0*zx", width, bytes);
    return std::string(buf);
  };
  std::string message = "02" + hex_len(body.size() / 2, 6) + body;
  return "160301" + hex_len(message.size() / 2, 4) + message;
}

TEST(ServerAnswer, Ssl3StyleServerHelloWithoutExtensions) {
  ServerAnswer a;
  ASSERT_EQ(ParseServerAnswer(Unhex(ServerHelloRecord("")), &a), AnswerStatus::kServerHello);
  EXPECT_EQ(a.version, kTls10);
  EXPECT_FALSE(a.has_supported_versions);
}

TEST(ServerAnswer, RecordLargerThanTheProtocolAllows) {
  EXPECT_EQ(Parse("1603014001"), AnswerStatus::kRecordTooLarge);
  EXPECT_EQ(Parse("150303ffff0228"), AnswerStatus::kRecordTooLarge);
  EXPECT_EQ(Parse("1603014000"), AnswerStatus::kNeedMore);  // exactly 2^14 is allowed
}

TEST(ServerAnswer, WrongContentType) {
  EXPECT_EQ(Parse("1703030005aabbccddee"), AnswerStatus::kWrongContentType);
  EXPECT_EQ(Parse("14030300" "0101"), AnswerStatus::kWrongContentType);
}

TEST(ServerAnswer, NotTls) {
  ServerAnswer a;
  EXPECT_EQ(ParseServerAnswer("421 4.3.2 Service not available\r\n", &a), AnswerStatus::kNotTls);
  EXPECT_EQ(ParseServerAnswer("4", &a), AnswerStatus::kNotTls) << "judged from the first byte";
  EXPECT_EQ(Parse("8046"), AnswerStatus::kNotTls);   // SSL 2.0 record header
  EXPECT_EQ(Parse("1602"), AnswerStatus::kNotTls);   // major version 2
  EXPECT_EQ(Parse(""), AnswerStatus::kNeedMore);
}

TEST(ServerAnswer, UnexpectedFirstMessage) {
  EXPECT_EQ(Parse("16030300040b000000"), AnswerStatus::kUnexpectedMessage);  // Certificate
  EXPECT_EQ(Parse("160303000400000000"), AnswerStatus::kUnexpectedMessage);  // HelloRequest
}

TEST(ServerAnswer, Malformed) {
  EXPECT_EQ(Parse("1603030000"), AnswerStatus::kMalformed);                      // empty record
  EXPECT_EQ(Parse("1503030002" "0228"), AnswerStatus::kAlert);
  EXPECT_EQ(Parse("1503030001" "02"), AnswerStatus::kMalformed);                // half an alert
  EXPECT_EQ(Parse(ServerHelloRecord("", "00")), AnswerStatus::kMalformed);      // one stray byte
  EXPECT_EQ(Parse(ServerHelloRecord("0004002b0002")), AnswerStatus::kMalformed); // ext overruns
  EXPECT_EQ(Parse(ServerHelloRecord("000c002b00020304002b00020304")), AnswerStatus::kMalformed);  // twice
  EXPECT_EQ(Parse(ServerHelloRecord("0005002b000103")), AnswerStatus::kMalformed);  // 1-byte version
  EXPECT_EQ(Parse(ServerHelloRecord("0000", "00")), AnswerStatus::kMalformed);  // after extensions
  EXPECT_EQ(Parse("1603030004" "02ffffff"), AnswerStatus::kMalformed);          // 16 MB message
  std::string long_sid = ServerHelloRecord("");
  long_sid.replace(10 + 8 + 4 + 64, 2, "21");  // session id length 33
  EXPECT_EQ(Parse(long_sid), AnswerStatus::kMalformed);
}

TEST(ServerAnswer, ServerHelloSplitOverRecords) {
  // Legal, if rare: the handshake message in two records, with a first fragment of 3 bytes.
  std::string whole = Unhex(ServerHelloRecord(""));
  std::string message = whole.substr(5);
  auto record = [](const std::string& fragment) {
    std::string r = Unhex("160301");
    r.push_back(static_cast<char>(fragment.size() >> 8));
    r.push_back(static_cast<char>(fragment.size() & 0xff));
    return r + fragment;
  };
  std::string split = record(message.substr(0, 3)) + record(message.substr(3));
  ServerAnswer a;
  EXPECT_EQ(ParseServerAnswer(split, &a), AnswerStatus::kServerHello);
  EXPECT_EQ(a.cipher_suite, 0x0033);
}

TEST(ServerAnswer, EndlessTinyRecordsAreCutOff) {
  // A ServerHello header promising 65,000 bytes, fed one byte per record: bounded, not buffered
  // forever.
  std::string bytes = Unhex("1603010004" "0200fde8");
  while (bytes.size() <= kMaxAnswerBytes) bytes += Unhex("160301000161");
  ServerAnswer a;
  EXPECT_EQ(ParseServerAnswer(bytes, &a), AnswerStatus::kTooLong);
}

// RandomAnswer is garbage, or a real answer with bytes flipped (lengths and types go wrong in
// every place).
std::string RandomAnswer(std::mt19937& rng, int i, const std::string& captured) {
  std::string bytes;
  if (i % 2 == 0) {
    bytes.resize(rng() % 200);
    for (char& c : bytes) c = static_cast<char>(rng());
    if (!bytes.empty() && i % 4 == 0) bytes[0] = 0x16;
  } else {
    bytes = captured.substr(0, 100 + rng() % 200);
    for (int flips = 0; flips < 3; flips++) bytes[rng() % bytes.size()] = static_cast<char>(rng());
  }
  return bytes;
}

bool IsAnswerStatus(AnswerStatus s) {
  static constexpr AnswerStatus kAll[] = {
      AnswerStatus::kNeedMore,         AnswerStatus::kServerHello,       AnswerStatus::kAlert,
      AnswerStatus::kNotTls,           AnswerStatus::kRecordTooLarge,    AnswerStatus::kWrongContentType,
      AnswerStatus::kUnexpectedMessage, AnswerStatus::kMalformed,        AnswerStatus::kTooLong};
  return std::find(std::begin(kAll), std::end(kAll), s) != std::end(kAll) && AnswerStatusName(s) != "unknown";
}

bool IsProbeStatus(ProbeStatus s) {
  ProbeStatus parsed;
  return std::find(std::begin(kAllProbeStatuses), std::end(kAllProbeStatuses), s) != std::end(kAllProbeStatuses) &&
         ProbeStatusFromName(ProbeStatusName(s), &parsed) && parsed == s;
}

TEST(ServerAnswer, RandomGarbageNeverCrashes) {
  std::mt19937 rng(4);
  std::string captured = Vector("tls12_ecdhe_gcm_server_hello");
  for (int i = 0; i < 3000; i++) {
    std::string bytes = RandomAnswer(rng, i, captured);
    ServerAnswer a;
    AnswerStatus status = ParseServerAnswer(bytes, &a);
    ASSERT_TRUE(IsAnswerStatus(status)) << i << ": " << static_cast<int>(status);
  }
}

// The prober on the same garbage, fed again and again as a server that never stops talking
// would: it ends with a status from the closed set, holds at most kMaxAnswerBytes + 1 of the
// server's bytes, and sends nothing but its ClientHello and at most one closing alert.
TEST(HelloProbe, RandomGarbageEndsInAClosedStatusWithBoundedBuffers) {
  std::mt19937 rng(5);
  std::string captured = Vector("tls12_ecdhe_gcm_server_hello");
  constexpr ProbeKind kKinds[] = {ProbeKind::kHelloAuto, ProbeKind::kHelloTls12, ProbeKind::kHelloTls13,
                                  ProbeKind::kHelloSsl3};
  constexpr size_t kClosingAlert = 7;
  for (int i = 0; i < 600; i++) {
    HelloProbe probe(kKinds[i % std::size(kKinds)], "mx.example");
    ASSERT_EQ(probe.Start(), TlsDriver::State::kInProgress);
    std::string hello = probe.TakeOutput();
    ASSERT_FALSE(hello.empty());
    EXPECT_LE(hello.size(), 5 + kMaxPlaintextRecord) << "one ClientHello record";
    // The same garbage over and over, in chunks of a few KiB (each Receive re-judges the lot).
    std::string garbage = RandomAnswer(rng, i, captured);
    if (garbage.empty()) garbage = "\x16";
    std::string bytes;
    while (bytes.size() < 4096) bytes += garbage;
    TlsDriver::State state = TlsDriver::State::kInProgress;
    size_t fed = 0, sent_after_hello = 0;
    while (state == TlsDriver::State::kInProgress && fed <= 2 * kMaxAnswerBytes) {
      state = probe.Receive(bytes);
      fed += bytes.size();
      sent_after_hello += probe.TakeOutput().size();
      ASSERT_LE(probe.buffered(), kMaxAnswerBytes + 1) << i;
    }
    ASSERT_NE(state, TlsDriver::State::kInProgress) << i << ": still waiting after " << fed << " bytes";
    EXPECT_NE(state, TlsDriver::State::kCompleted) << "a raw hello never completes a handshake";
    EXPECT_TRUE(IsAnswerStatus(probe.answer_status())) << i;
    EXPECT_NE(probe.answer_status(), AnswerStatus::kNeedMore) << i;
    ProbeStatus status = StatusForHandshake(probe.result().outcome);
    EXPECT_TRUE(IsProbeStatus(status)) << i << ": " << static_cast<int>(status);
    EXPECT_FALSE(probe.result().detail.empty()) << i;
    if (state == TlsDriver::State::kAnswered) {
      EXPECT_EQ(status, ProbeStatus::kAcceptedHelloOnly);
      EXPECT_EQ(sent_after_hello, kClosingAlert) << "one user_canceled alert";
    } else {
      EXPECT_EQ(sent_after_hello, 0u) << i << ": a failed probe says nothing more";
    }
    probe.Release();
    EXPECT_EQ(probe.buffered(), 0u);
  }
}

// --- the driver's judgement ----------------------------------------------------------------

TlsDriver::State Feed(HelloProbe* probe, const std::string& hex) {
  probe->Start();
  probe->TakeOutput();
  return probe->Receive(Unhex(hex));
}

TEST(HelloProbe, AlertsMapToOutcomes) {
  HelloProbe refused(ProbeKind::kHelloTls12, "mx.example");
  EXPECT_EQ(Feed(&refused, "15030300020246"), TlsDriver::State::kFailed);
  EXPECT_EQ(refused.result().outcome, HandshakeOutcome::kVersionRefused);
  EXPECT_EQ(refused.result().alert, 70);
  HelloProbe no_cipher(ProbeKind::kHelloTls12, "mx.example");
  Feed(&no_cipher, "15030300020228");
  EXPECT_EQ(no_cipher.result().outcome, HandshakeOutcome::kNoSharedCipher);
  HelloProbe internal(ProbeKind::kHelloLegacy, "mx.example");
  Feed(&internal, "15030300020250");
  EXPECT_EQ(internal.result().outcome, HandshakeOutcome::kVersionRefused) << "OpenSSL 3's answer to TLS 1.0/1.1";
  HelloProbe other(ProbeKind::kHelloTls12, "mx.example");
  Feed(&other, "1503030002022f");
  EXPECT_EQ(other.result().outcome, HandshakeOutcome::kError);
}

TEST(HelloProbe, LowerVersionThanOfferedIsRefusal) {
  HelloProbe probe(ProbeKind::kHelloTls12, "mx.example");
  EXPECT_EQ(Feed(&probe, ServerHelloRecord("")), TlsDriver::State::kFailed);
  EXPECT_EQ(probe.result().outcome, HandshakeOutcome::kVersionRefused);
  EXPECT_NE(probe.result().detail.find("TLS1.0"), std::string::npos);
}

TEST(HelloProbe, SuiteNotOfferedIsAnError) {
  HelloProbe probe(ProbeKind::kHelloExo, "mx.example");  // offers only CBC-SHA256/384
  std::string hello = ServerHelloRecord("");
  hello.replace(10 + 8, 4, "0303");  // a TLS 1.2 ServerHello choosing DHE-RSA-AES128-SHA
  EXPECT_EQ(Feed(&probe, hello), TlsDriver::State::kFailed);
  EXPECT_EQ(probe.result().outcome, HandshakeOutcome::kError);
  EXPECT_NE(probe.result().detail.find("TLS_DHE_RSA_WITH_AES_128_CBC_SHA"), std::string::npos);
}

TEST(HelloProbe, ShortReadThenCloseIsClosed) {
  HelloProbe probe(ProbeKind::kHelloTls10, "mx.example");
  std::string bytes = Vector("tls10_dhe_server_hello");
  probe.Start();
  EXPECT_EQ(probe.Receive(bytes.substr(0, 20)), TlsDriver::State::kInProgress);
  EXPECT_EQ(probe.PeerClosed(false), TlsDriver::State::kFailed);
  EXPECT_EQ(probe.result().outcome, HandshakeOutcome::kClosed);
  EXPECT_NE(probe.result().detail.find("20 bytes"), std::string::npos);
  HelloProbe reset(ProbeKind::kHelloTls10, "mx.example");
  reset.Start();
  EXPECT_EQ(reset.PeerClosed(true), TlsDriver::State::kFailed);
  EXPECT_EQ(reset.result().outcome, HandshakeOutcome::kReset);
}

TEST(HelloProbe, PlaintextAnswerIsNotTls) {
  HelloProbe probe(ProbeKind::kHelloTls12, "mx.example");
  probe.Start();
  EXPECT_EQ(probe.Receive("454 4.7.0 TLS not available\r\n"), TlsDriver::State::kFailed);
  EXPECT_EQ(probe.result().outcome, HandshakeOutcome::kNotTls);
}

}  // namespace
}  // namespace mxsweep::tls
