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

#include "scanner/probe_status.h"
#include "tls/cert_summary.h"
#include "tls/tls_version.h"

namespace mxsweep {

// ProbeRecord is one row: one SMTP session with one kind of handshake.
struct ProbeRecord {
  tls::ProbeKind kind = tls::ProbeKind::kAuto;
  ProbeStatus status = ProbeStatus::kSkipped;
  std::string detail;         // free text: alert name, server reply, errno text (sanitised)
  uint16_t version = 0;       // negotiated wire version when accepted
  uint16_t cipher_id = 0;     // IANA code point when accepted
  std::string cipher;         // IANA name when accepted
  std::string group;          // key-exchange group when accepted ("X25519", "P-256")
  int alert = -1;             // TLS alert received from the server, -1 when none
  std::chrono::milliseconds duration{0};
  bool connected = false;     // a TCP connection was made for this probe
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
};

std::string_view AddressClassName(AddressClass cls);

// IsProbed reports whether an address of class |cls| decides a verdict (the last three do not).
bool IsProbed(AddressClass cls);

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
  std::optional<tls::CertificateSummary> certificate;
  int connections = 0;     // TCP connections this address cost
  std::vector<std::string> anomalies;       // e.g. "starttls-injection"

  AddressClass cls = AddressClass::kUnreachable;
  bool legacy_accepted = false;  // TLS 1.0 or 1.1 completed
  bool exo_ready = false;
};

}  // namespace mxsweep
