// client_hello.h: a hand-built ClientHello for any protocol version and any list of cipher
// suites, built with BoringSSL's CBB.
//
// BoringSSL cannot offer SSL 3.0, DHE, RC4 or CBC-SHA256/384, so a server that accepts only
// those looks like "version refused" to it. The raw hello offers what a legacy (or any) client
// would, so the ServerHello tells the truth; the probe stops at the ServerHello (hello_probe.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tls/tls_version.h"

namespace mxsweep::tls {

// HelloOffer is what one raw ClientHello says.
struct HelloOffer {
  uint16_t record_version = kTls10;  // record layer version (0x0301 is what real clients send)
  uint16_t client_version = kTls12;  // ClientHello.legacy_version
  std::vector<uint16_t> supported_versions;  // TLS 1.3 supported_versions; empty: no extension
  std::vector<uint16_t> cipher_suites;       // in order of preference
  bool renegotiation_scsv = true;   // append TLS_EMPTY_RENEGOTIATION_INFO_SCSV (<= TLS 1.2)
  std::string server_name;          // SNI; empty, or an address literal: none is sent
  bool extensions = true;           // false for SSL 3.0: its clients sent none
  bool signature_algorithms = true; // TLS 1.2 and 1.3 only (RFC 5246 7.4.1.4.1)
  bool key_shares = false;          // TLS 1.3: X25519 and P-256 shares, psk_key_exchange_modes
};

// OfferFor returns the offer of raw-hello kind |kind| (IsHelloKind) for server |server_name|:
// every registered suite for its versions (SuitesForVersion), or for kHelloExo the Exchange
// Online suites BoringSSL lacks, in EXO's order. Never TLS_FALLBACK_SCSV: a forced lower version
// is a question, not a fallback, and a server must not refuse it as one.
HelloOffer OfferFor(ProbeKind kind, std::string server_name);

// ExoSuitesBoringSslLacks lists the suites of kExoCipherSuites the linked BoringSSL cannot
// negotiate, in EXO's order (the CBC-SHA256/384 ones).
std::vector<uint16_t> ExoSuitesBoringSslLacks();

// HelloSecrets are the random parts of a ClientHello; fixed values make test vectors exact.
struct HelloSecrets {
  std::array<uint8_t, 32> random{};
  std::array<uint8_t, 32> session_id{};      // sent only when the offer includes TLS 1.3
  std::array<uint8_t, 32> x25519_public{};
  std::array<uint8_t, 65> p256_public{};     // uncompressed point
};

// NewHelloSecrets draws a fresh random and session id, and gives real X25519 / P-256 public keys
// made once per process (their private halves are dropped at once: the probe never completes a
// handshake). Returns false when the library fails.
bool NewHelloSecrets(HelloSecrets* out);

// BuildClientHello writes one TLS record holding the ClientHello of |offer| to |*out|. Returns
// false (and leaves |*out| empty) when the offer does not fit a record (2^14 bytes) or has no
// suites.
bool BuildClientHello(const HelloOffer& offer, const HelloSecrets& secrets, std::string* out);

// ClientHelloView is a parsed ClientHello record, for tests and tools.
struct ClientHelloView {
  uint16_t record_version = 0;
  uint16_t client_version = 0;
  std::array<uint8_t, 32> random{};
  std::string session_id;
  std::vector<uint16_t> cipher_suites;
  std::vector<uint8_t> compression_methods;
  std::vector<uint16_t> extension_types;  // in the order sent
  std::string server_name;
  std::vector<uint16_t> supported_groups;
  std::vector<uint8_t> ec_point_formats;
  std::vector<uint16_t> signature_algorithms;
  std::vector<uint16_t> supported_versions;
  std::vector<uint16_t> key_share_groups;
};

// ParseClientHello parses one record holding one ClientHello, strictly: lengths must match,
// nothing may trail, an extension may appear once. Returns false on any violation.
bool ParseClientHello(std::string_view record, ClientHelloView* out);

}  // namespace mxsweep::tls
