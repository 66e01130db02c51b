// handshake_result.h: how one client handshake ended, in the words the scanner needs.
#pragma once

#include <cstdint>
#include <string>

namespace mxsweep::tls {

enum class HandshakeOutcome : uint8_t {
  kCompleted,
  kServerHello,      // raw hello only: the server chose a version in the offer and a suite, and
                     // the probe stopped there (no handshake completed: "ServerHello only")
  kVersionRefused,   // alert protocol_version, a version outside our range chosen, or alert
                     // internal_error to a TLS 1.0/1.1-only offer (Debian's OpenSSL 3 says that)
  kNoSharedCipher,   // alert handshake_failure
  kClosed,           // EOF before the handshake completed
  kReset,            // connection reset during the handshake
  kNotTls,           // the answer was not a TLS record (plaintext where TLS was expected)
  kClientCertRequired,  // the server asked for a client certificate and, given none, ended the
                        // handshake with an alert (certificate_required, bad_certificate,
                        // handshake_failure) — in TLS 1.3 possibly after our Finished
  kTimeout,          // set by the glue
  kError,            // anything else; detail names it
};

struct HandshakeResult {
  HandshakeOutcome outcome = HandshakeOutcome::kError;
  uint16_t version = 0;    // negotiated, when completed; chosen, for kServerHello
  uint16_t cipher_id = 0;  // IANA code point, when completed or kServerHello
  std::string cipher;      // IANA name (tls/cipher_suites.h), when completed or kServerHello
  std::string group;       // key-exchange group, when completed and known (for kServerHello:
                           // the TLS 1.3 key share or HelloRetryRequest group)
  bool legacy_suite = false;        // kServerHello: the chosen suite is one BoringSSL lacks
  bool hello_retry_request = false; // kServerHello: the answer was a TLS 1.3 HelloRetryRequest
  int alert = -1;          // alert received from the server, -1 when none
  // The server chose a suite (or version, or compression) that was not in the offer: it answers
  // without reading the ClientHello, so nothing it says about suites can be trusted.
  bool unoffered_choice = false;
  std::string detail;      // human text: the alert or library reason
};

}  // namespace mxsweep::tls
