// alert_outcome.h: what a fatal alert from the server means, the one map shared by the BoringSSL
// handshake (client_handshake) and the raw-hello prober (hello_probe).
#pragma once

#include <cstdint>
#include <string>

#include "tls/handshake_result.h"

namespace mxsweep::tls {

// MapAlert turns a fatal alert from the server into an outcome for an offer whose highest
// version is |max_offered|: protocol_version (70) is a refused version, handshake_failure (40) no
// shared cipher, internal_error (80) to a TLS 1.0/1.1-only offer a refused version (what Debian's
// OpenSSL 3 says at its default security level), anything else an error.
HandshakeOutcome MapAlert(int alert, uint16_t max_offered);

// RejectsClientCertificate reports whether |alert|, after the server asked for a client
// certificate and got none, is how servers refuse that: certificate_required (116, TLS 1.3),
// handshake_failure (40, OpenSSL at TLS 1.2), bad_certificate (42) or access_denied (49).
bool RejectsClientCertificate(int alert);

// AlertText is the detail of such a failure: "alert 70 protocol version".
std::string AlertText(int alert);

}  // namespace mxsweep::tls
