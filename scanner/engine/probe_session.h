// probe_session.h: one probe — TCP connect, SMTP up to STARTTLS, one TLS handshake, QUIT, and
// the close (a FIN after the server's, a RST only for a failed session: README "How a session
// ends") — on a libuv loop. The libuv glue around the I/O-free smtp::Session and
// tls::ClientHandshake.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/ip_address.h"
#include "scanner/verdict/address_facts.h"
#include "scanner/smtp/smtp_session.h"
#include "tls/cert_summary.h"
#include "tls/tls_version.h"
#include "scanner/engine/engine_options.h"

namespace mxsweep {

namespace tls {
class ClientContexts;
}

// ProbeEnv is what every session shares; it must outlive them.
struct ProbeEnv {
  uv_loop_t* loop = nullptr;
  const tls::ClientContexts* contexts = nullptr;
  smtp::SessionOptions smtp;
  ProbeTimeouts timeouts;
};

// SessionFacts are the per-address facts a session saw on the way to its result.
struct SessionFacts {
  std::vector<std::string> greeting;  // sanitised lines
  bool ehlo_ok = false;
  bool starttls_advertised = false;
  bool reached_tls = false;           // STARTTLS got its 220
  std::optional<tls::CertificateSummary> certificate;
  std::string anomaly;                // e.g. "starttls-injection"
};

using ProbeDone = std::function<void(const ProbeRecord&, const SessionFacts&)>;

struct ProbeRequest {
  IpAddress ip;
  uint16_t port = 25;
  std::string host_name;   // SNI and certificate name check; may be empty
  tls::ProbeKind kind = tls::ProbeKind::kAuto;
  bool want_certificate = false;  // summarise and verify the chain (costs a verify)
};

// StartProbe runs one probe session. |done| is called exactly once, from the loop, after every
// handle of the session has closed (never synchronously from StartProbe); a clean ending waits
// up to ProbeTimeouts::fin_wait for the server's FIN first. The record's duration ends where
// the dialogue did, before that wait.
void StartProbe(const ProbeEnv& env, const ProbeRequest& request, ProbeDone done);

}  // namespace mxsweep
