// probe_status.h: the closed vocabulary of what one probe session ended with.
//
// Every probe row carries exactly one of these; the free-text detail (an alert name, the
// server's reply) travels beside it, never instead of it. Names are a contract: they appear in
// the JSONL output and the README documents each.
#pragma once

#include <cstdint>
#include <string_view>

namespace mxsweep {

enum class ProbeStatus : uint8_t {
  kAccepted,           // the TLS handshake completed
  kAcceptedHelloOnly,  // raw hello: the server chose a version in the offer and a suite; no
                       // handshake was completed ("ServerHello only" evidence, never "accepted")
  kVersionRefused,     // alert protocol_version, a lower version chosen, or alert 80 at TLS 1.0/1.1
  kNoSharedCipher,     // alert handshake_failure: no suite in common for this offer
  kHandshakeClosed,    // the server closed the connection during the handshake
  kTlsError,           // any other handshake failure (alert or local error named in detail)
  kClientCertRequired, // the server asked for a client certificate and refused the handshake
                       // without one (in TLS 1.3 after the client's Finished)
  kNotTls,             // the server answered the ClientHello with bytes that are not TLS
  kNoStartTls,         // STARTTLS not advertised (or EHLO refused and HELO used)
  kStartTlsRefused,    // STARTTLS answered with something other than 220 (often 454)
  kStartTlsInjection,  // bytes followed the STARTTLS 220 before our ClientHello: failed closed
  kGreetingRefused,    // 5xx greeting (554: no SMTP service here)
  kEhloRefused,        // both EHLO and HELO refused
  kTempFail,           // 421 (or another 4xx) where a reply was expected: try again later
  // A 4xx/5xx at the greeting, EHLO or STARTTLS whose text names the reason (refusal_text.h):
  kRateLimited,        // rate limits, too many connections, throttling
  kBlocklisted,        // a blocklist or reputation service lists the scanner's address
  kPolicyRefused,      // the server's policy refuses this client (reverse DNS, access denied)
  kGreetingTimeout,    // connected, but no complete greeting before the greeting timeout
  kTimeout,            // a later phase (command reply, handshake, session deadline) timed out
  kConnectRefused,     // TCP RST to our SYN
  kConnectTimeout,     // no answer to our SYN before the connect timeout
  kConnectError,       // other connect failure (network or host unreachable)
  kReset,              // connection reset after it was established (outside the handshake)
  kClosed,             // the server closed the connection before the session was over
  kProtocolError,      // the server broke SMTP: bad reply code, over-long line, too many lines
  kSkipped,            // not run: an earlier probe showed this one could not succeed
  kTargetRefused,      // private, loopback, link-local or reserved address and no --allow-private
  kExcluded,           // address inside an --exclude network
};

// ProbeStatusName returns the stable, lower-case, hyphenated name of |status|.
std::string_view ProbeStatusName(ProbeStatus status);

// ProbeStatusFromName parses a name produced by |ProbeStatusName|. It returns false for anything
// else.
bool ProbeStatusFromName(std::string_view name, ProbeStatus* out);

// kAllProbeStatuses lists every status once, in declaration order (tests and docs use it).
inline constexpr ProbeStatus kAllProbeStatuses[] = {
    ProbeStatus::kAccepted,        ProbeStatus::kAcceptedHelloOnly, ProbeStatus::kVersionRefused,
    ProbeStatus::kNoSharedCipher,
    ProbeStatus::kHandshakeClosed, ProbeStatus::kTlsError,          ProbeStatus::kClientCertRequired,
    ProbeStatus::kNotTls,
    ProbeStatus::kNoStartTls,      ProbeStatus::kStartTlsRefused,   ProbeStatus::kStartTlsInjection,
    ProbeStatus::kGreetingRefused, ProbeStatus::kEhloRefused,       ProbeStatus::kTempFail,
    ProbeStatus::kRateLimited,     ProbeStatus::kBlocklisted,       ProbeStatus::kPolicyRefused,
    ProbeStatus::kGreetingTimeout, ProbeStatus::kTimeout,           ProbeStatus::kConnectRefused,
    ProbeStatus::kConnectTimeout,  ProbeStatus::kConnectError,      ProbeStatus::kReset,
    ProbeStatus::kClosed,          ProbeStatus::kProtocolError,     ProbeStatus::kSkipped,
    ProbeStatus::kTargetRefused,   ProbeStatus::kExcluded,
};

}  // namespace mxsweep
