#include "scanner/verdict/handshake_status.h"

namespace mxsweep {

ProbeStatus StatusForHandshake(tls::HandshakeOutcome outcome) {
  switch (outcome) {
    case tls::HandshakeOutcome::kCompleted: return ProbeStatus::kAccepted;
    case tls::HandshakeOutcome::kServerHello: return ProbeStatus::kAcceptedHelloOnly;
    case tls::HandshakeOutcome::kVersionRefused: return ProbeStatus::kVersionRefused;
    case tls::HandshakeOutcome::kNoSharedCipher: return ProbeStatus::kNoSharedCipher;
    case tls::HandshakeOutcome::kClosed: return ProbeStatus::kHandshakeClosed;
    case tls::HandshakeOutcome::kReset: return ProbeStatus::kReset;
    case tls::HandshakeOutcome::kNotTls: return ProbeStatus::kNotTls;
    case tls::HandshakeOutcome::kClientCertRequired: return ProbeStatus::kClientCertRequired;
    case tls::HandshakeOutcome::kTimeout: return ProbeStatus::kTimeout;
    case tls::HandshakeOutcome::kError: return ProbeStatus::kTlsError;
  }
  return ProbeStatus::kTlsError;
}

}  // namespace mxsweep
