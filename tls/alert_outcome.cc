#include "tls/alert_outcome.h"

#include <openssl/ssl.h>

#include "tls/tls_version.h"

namespace mxsweep::tls {

HandshakeOutcome MapAlert(int alert, uint16_t max_offered) {
  switch (alert) {
    case SSL_AD_PROTOCOL_VERSION: return HandshakeOutcome::kVersionRefused;
    case SSL_AD_HANDSHAKE_FAILURE: return HandshakeOutcome::kNoSharedCipher;
    case SSL_AD_INTERNAL_ERROR:
      // OpenSSL 3 at its default security level answers a TLS 1.0/1.1-only offer this way.
      return max_offered <= kTls11 ? HandshakeOutcome::kVersionRefused : HandshakeOutcome::kError;
    default: return HandshakeOutcome::kError;
  }
}

std::string AlertText(int alert) {
  const char* name = SSL_alert_desc_string_long(alert);
  return "alert " + std::to_string(alert) + " " + (name ? name : "unknown");
}

bool RejectsClientCertificate(int alert) {
  return alert == 116 || alert == 40 || alert == 42 || alert == 49;
}

}  // namespace mxsweep::tls
