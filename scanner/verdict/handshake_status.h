// handshake_status.h: the probe status that reports how a TLS handshake (BoringSSL or raw hello)
// ended — the bridge from tls/'s outcomes to the closed vocabulary of scanner/smtp/probe_status.h.
#pragma once

#include "scanner/smtp/probe_status.h"
#include "tls/handshake_result.h"

namespace mxsweep {

// StatusForHandshake maps every outcome to one status (an unknown value to kTlsError).
ProbeStatus StatusForHandshake(tls::HandshakeOutcome outcome);

}  // namespace mxsweep
