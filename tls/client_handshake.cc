#include "tls/client_handshake.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "base/ip_address.h"
#include "tls/alert_outcome.h"
#include "tls/cert_inspect.h"
#include "tls/cipher_suites.h"
#include "tls/client_contexts.h"
#include "tls/memory_bio.h"

namespace mxsweep::tls {
ClientHandshake::ClientHandshake(const ClientContexts& contexts, ProbeKind kind,
                                 std::string server_name)
    : contexts_(contexts), kind_(kind), server_name_(std::move(server_name)) {}

ClientHandshake::~ClientHandshake() { Release(); }

void ClientHandshake::Release() { ssl_.reset(); }

ClientHandshake::State ClientHandshake::Start() {
  ssl_.reset(SSL_new(contexts_.context(kind_)));
  if (!ssl_) return Fail(HandshakeOutcome::kError, "SSL_new failed");
  bssl::UniquePtr<BIO> rbio(BIO_new(BIO_s_mem()));
  bssl::UniquePtr<BIO> wbio(BIO_new(BIO_s_mem()));
  if (!rbio || !wbio) return Fail(HandshakeOutcome::kError, "BIO_new failed");
  // An empty read BIO means "no data yet", not EOF, until PeerClosed says otherwise.
  BIO_set_mem_eof_return(rbio.get(), -1);
  SSL_set_bio(ssl_.get(), rbio.release(), wbio.release());  // the SSL owns both from here
  SSL_set_connect_state(ssl_.get());
  // Called when the server asks for a client certificate: note it and go on without one, so
  // that the server's answer to an empty certificate is seen.
  SSL_set_cert_cb(
      ssl_.get(),
      [](SSL*, void* arg) {
        static_cast<ClientHandshake*>(arg)->certificate_requested_ = true;
        return 1;
      },
      this);
  if (!server_name_.empty() && !IsAddressLiteral(server_name_)) {
    SSL_set_tlsext_host_name(ssl_.get(), server_name_.c_str());
  }
  return Drive();
}

ClientHandshake::State ClientHandshake::Receive(std::string_view bytes) {
  if (state_ != State::kInProgress || ssl_ == nullptr) return state_;
  BIO_write(SSL_get_rbio(ssl_.get()), bytes.data(), static_cast<int>(bytes.size()));
  return Drive();
}

ClientHandshake::State ClientHandshake::PeerClosed(bool reset) {
  if (state_ != State::kInProgress) return state_;
  if (reset) return Fail(HandshakeOutcome::kReset, "connection reset during the handshake");
  // Let the library see EOF: it may still hold a complete alert that explains the close.
  BIO_set_mem_eof_return(SSL_get_rbio(ssl_.get()), 0);
  State state = Drive();
  if (state == State::kInProgress) {
    return Fail(HandshakeOutcome::kClosed, "server closed the connection during the handshake");
  }
  return state;
}

std::string ClientHandshake::TakeOutput() {
  return !ssl_ ? std::string() : TakeMemoryBio(SSL_get_wbio(ssl_.get()));
}

ClientHandshake::State ClientHandshake::Drive() {
  ERR_clear_error();
  SSL* ssl = ssl_.get();
  int ret = SSL_do_handshake(ssl);
  if (ret == 1) {
    state_ = State::kCompleted;
    result_.outcome = HandshakeOutcome::kCompleted;
    result_.version = static_cast<uint16_t>(SSL_version(ssl));
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
    if (cipher != nullptr) {
      result_.cipher_id = SSL_CIPHER_get_protocol_id(cipher);
      result_.cipher = CipherSuiteLabel(result_.cipher_id);
    }
    uint16_t group = SSL_get_curve_id(ssl);
    if (group != 0) {
      const char* name = SSL_get_curve_name(group);
      result_.group = name ? name : "unknown";
    }
    return state_;
  }
  int err = SSL_get_error(ssl, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return State::kInProgress;

  uint32_t packed = ERR_peek_error();
  int reason = ERR_GET_REASON(packed);
  if (err == SSL_ERROR_SSL && ERR_GET_LIB(packed) == ERR_LIB_SSL) {
    if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
      int alert = reason - SSL_AD_REASON_OFFSET;
      result_.alert = alert;
      if (certificate_requested_ && RejectsClientCertificate(alert)) {
        return Fail(HandshakeOutcome::kClientCertRequired,
                    AlertText(alert) + " after asking for a client certificate");
      }
      return Fail(MapAlert(alert, MaxVersion(kind_)), AlertText(alert));
    }
    switch (reason) {
      case SSL_R_UNSUPPORTED_PROTOCOL:
        return Fail(HandshakeOutcome::kVersionRefused, "server chose a version outside the offer");
      case SSL_R_WRONG_VERSION_NUMBER:
      case SSL_R_HTTP_REQUEST:
        return Fail(HandshakeOutcome::kNotTls, "server answered with bytes that are not TLS");
      case SSL_R_NO_SHARED_CIPHER:
        return Fail(HandshakeOutcome::kNoSharedCipher, "no shared cipher");
      case SSL_R_WRONG_CIPHER_RETURNED:
      case SSL_R_UNKNOWN_CIPHER_RETURNED:
        result_.unoffered_choice = true;
        return Fail(HandshakeOutcome::kError, "server chose a suite that was not offered");
      default: break;
    }
    return Fail(HandshakeOutcome::kError, ERR_reason_error_string(packed)
                                              ? ERR_reason_error_string(packed)
                                              : "handshake error " + std::to_string(reason));
  }
  if (err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SYSCALL) {
    return Fail(HandshakeOutcome::kClosed, "server closed the connection during the handshake");
  }
  return Fail(HandshakeOutcome::kError, "handshake error (SSL_get_error " + std::to_string(err) + ")");
}

ClientHandshake::State ClientHandshake::Fail(HandshakeOutcome outcome, std::string detail) {
  state_ = State::kFailed;
  result_.outcome = outcome;
  result_.detail = std::move(detail);
  ERR_clear_error();
  return state_;
}

bool ClientHandshake::Encrypt(std::string_view plaintext) {
  if (state_ != State::kCompleted || !ssl_) return false;
  ERR_clear_error();
  return SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size())) ==
         static_cast<int>(plaintext.size());
}

std::string ClientHandshake::Decrypt(std::string_view bytes) {
  std::string out;
  if (state_ != State::kCompleted || !ssl_) return out;
  BIO_write(SSL_get_rbio(ssl_.get()), bytes.data(), static_cast<int>(bytes.size()));
  char buf[4096];
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(ssl_.get(), buf, sizeof(buf));
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      continue;
    }
    uint32_t packed = ERR_peek_error();
    int reason = ERR_GET_REASON(packed);
    if (SSL_get_error(ssl_.get(), n) == SSL_ERROR_SSL && ERR_GET_LIB(packed) == ERR_LIB_SSL &&
        reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
      // The server's verdict on our side of the handshake, after our Finished (TLS 1.3).
      int alert = reason - SSL_AD_REASON_OFFSET;
      rejected_after_finished_ = true;
      state_ = State::kFailed;
      result_.alert = alert;
      result_.outcome = certificate_requested_ && RejectsClientCertificate(alert)
                            ? HandshakeOutcome::kClientCertRequired
                            : HandshakeOutcome::kError;
      result_.detail = AlertText(alert) + " after the handshake" +
                       (certificate_requested_ ? " (a client certificate was asked for)" : "");
    }
    break;
  }
  ERR_clear_error();
  return out;
}

std::optional<CertificateSummary> ClientHandshake::SummarizeCertificate() const {
  if (state_ != State::kCompleted || !ssl_) return std::nullopt;
  return InspectPeerChain(ssl_.get(), contexts_.trust_store(), server_name_);
}

}  // namespace mxsweep::tls
