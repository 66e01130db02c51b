// address_facts.h: everything mxsweep learned about one mail server address (ip:port).
//
// Filled in by the address prober, read by the verdict and by the report writers. One per
// address per sweep, however many domains use it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/smtp/probe_status.h"
#include "tls/cert_summary.h"
#include "tls/tls_version.h"

namespace mxsweep {

// Evidence says how a version or suite is known to work: a completed handshake, or only a
// ServerHello to a raw hello (the server chose it, but nothing proves it would finish: some
// servers send a ServerHello and then abort).
enum class Evidence : uint8_t {
  kNone,             // no TLS answer of either kind
  kHandshake,        // a BoringSSL handshake completed
  kServerHelloOnly,  // a raw hello got a ServerHello; the probe stopped there
};

// EvidenceName returns "handshake" or "server-hello-only" ("" for kNone): stable, in JSON.
std::string_view EvidenceName(Evidence evidence);

// ProbeRecord is one row: one SMTP session with one kind of handshake.
struct ProbeRecord {
  tls::ProbeKind kind = tls::ProbeKind::kAuto;
  ProbeStatus status = ProbeStatus::kSkipped;
  std::string detail;         // free text: alert name, server reply, errno text (sanitised)
  Evidence evidence = Evidence::kNone;  // what version and cipher rest on
  uint16_t version = 0;       // negotiated (accepted) or chosen (accepted-hello-only) version
  uint16_t cipher_id = 0;     // IANA code point, likewise
  std::string cipher;         // IANA name (tls/cipher_suites.h), likewise
  bool legacy_suite = false;  // accepted-hello-only: the chosen suite is one BoringSSL lacks
  std::string group;          // key-exchange group when accepted ("X25519", "P-256")
  int alert = -1;             // TLS alert received from the server, -1 when none
  std::chrono::milliseconds duration{0};
  bool connected = false;     // a TCP connection was made for this probe
  bool tls_attempted = false; // STARTTLS got its 220: the status is the answer to a ClientHello
                              // (a reset or timeout then is TLS's, not the network's)
  // Connections this probe took (README "Connections per address"): more than 1 when a fault
  // before TLS was retried or an ambiguous answer was asked again.
  int attempts = 1;
  // An ambiguous answer (a reset, close or stall mid-handshake; no STARTTLS) that the same
  // question asked again got once more: only then does it count as the server's answer.
  bool confirmed = false;
  bool unoffered_choice = false;  // the server chose a suite or version that was not offered
  // The SMTP reply code that ended the session before TLS (421, 450, 554, ...), 0 when no
  // reply did. A refusal's status says why; this says whether it was temporary (4xx).
  int reply_code = 0;
};

// AddressClass is how one address counts towards a domain verdict (DESIGN.md §2).
enum class AddressClass : uint8_t {
  kExoReady,        // TLS 1.2 with a suite Exchange Online offers completes
  kLegacyOnly,      // tops out at TLS 1.0/1.1
  kNoSharedCipher,  // TLS 1.2 offered, but with no suite Exchange Online offers
  kTls13Only,       // only TLS 1.3
  kNoStartTls,      // plaintext only
  kTlsBroken,       // STARTTLS advertised, every handshake fails
  kTempFail,        // not probed: 421 / 4xx seen
  kUnreachable,     // not probed: connect failed, timeouts, resets
  kRefused,         // not probed: private/reserved target or --exclude
  kClientCertRequired,  // not decided: the server demands a client certificate (mxsweep has
                        // none; Exchange Online presents its own)
};

std::string_view AddressClassName(AddressClass cls);

// IsProbed reports whether an address of class |cls| decides a verdict (the last three do not).
bool IsProbed(AddressClass cls);

// HelloOnlyVersion is a version known only from a ServerHello (no completed handshake at it).
struct HelloOnlyVersion {
  uint16_t version = 0;
  uint16_t cipher_id = 0;     // the suite the server chose
  std::string cipher;
  bool legacy_suite = false;  // a suite BoringSSL lacks: "accepted only with legacy suites";
                              // false: the server chose a modern suite yet no handshake completed
};

struct AddressFacts {
  std::string host;        // the MX host name this address was reached through (first seen)
  std::string ip;          // textual address
  uint16_t port = 25;

  std::string banner;      // greeting, sanitised, lines joined by " / "
  bool starttls = false;   // STARTTLS advertised in the EHLO reply
  bool ehlo_ok = false;    // EHLO accepted (false: HELO fallback or no answer)
  std::vector<ProbeRecord> probes;
  std::vector<uint16_t> accepted_versions;  // ascending, from completed handshakes only
  uint16_t best_version = 0;                // highest completed version
  // Versions a raw hello got a ServerHello for but no handshake completed at (ascending).
  std::vector<HelloOnlyVersion> hello_only_versions;
  // Versions the server positively refused (alert protocol_version, a lower version chosen, or no
  // suite at all to a raw hello offering every registered one), and for which nothing else
  // showed acceptance (ascending). A version in none of the three lists was not asked about or
  // gave no clear answer.
  std::vector<uint16_t> refused_versions;
  std::optional<tls::CertificateSummary> certificate;
  int connections = 0;     // TCP connections this address cost
  std::vector<std::string> anomalies;       // e.g. "starttls-injection"

  AddressClass cls = AddressClass::kUnreachable;
  bool legacy_accepted = false;  // TLS 1.0 or 1.1 completed
  bool exo_ready = false;
  // How exo_ready is known: a completed handshake with EXO's suites, or (for the CBC-SHA256/384
  // suites BoringSSL lacks) a ServerHello choosing one. kNone when not exo_ready.
  Evidence exo_evidence = Evidence::kNone;
};

}  // namespace mxsweep
