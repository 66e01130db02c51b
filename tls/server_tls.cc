#include "tls/server_tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls/memory_bio.h"

namespace mxsweep::tls {
namespace {

int g_config_index = -1;

// The client's maximum version decides what a server with holes in its version set would pick;
// BoringSSL negotiates within one range, so refuse a hole explicitly, as a real server that does
// not speak that version would.
enum ssl_select_cert_result_t SelectCertificate(const SSL_CLIENT_HELLO* hello) {
  const auto* config = static_cast<const ServerTlsConfig*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(hello->ssl), g_config_index));
  if (config == nullptr || config->refused_mask == 0) return ssl_select_cert_success;
  auto allowed = [&](uint16_t v) {
    return v >= config->min_version && v <= config->max_version && v >= 0x0301 && v <= 0x0304 &&
           !(config->refused_mask & (1u << (v - 0x0301)));
  };
  // Work out which version the library would choose: the highest the client offers that we
  // allow. The range is frozen after this callback, so pinning it here is honoured.
  uint16_t best = 0;
  const uint8_t* ext;
  size_t ext_len;
  if (SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_supported_versions, &ext,
                                           &ext_len) &&
      ext_len >= 1 && ext[0] + 1u <= ext_len) {
    for (size_t i = 1; i + 1 < 1u + ext[0]; i += 2) {
      uint16_t v = static_cast<uint16_t>(ext[i] << 8 | ext[i + 1]);
      if (allowed(v) && v > best) best = v;
    }
  } else {
    uint16_t top = hello->version < 0x0303 ? hello->version : 0x0303;
    for (uint16_t v = top; v >= 0x0301 && best == 0; v--) {
      if (allowed(v)) best = v;
    }
  }
  if (best == 0) {
    // Nothing the client offers is allowed: pin to any allowed version the client lacks, so the
    // library answers with alert protocol_version as a real server would.
    for (uint16_t v = 0x0304; v >= 0x0301 && best == 0; v--) {
      if (allowed(v)) best = v;
    }
    if (best == 0) return ssl_select_cert_error;
  }
  SSL_set_min_proto_version(hello->ssl, best);
  SSL_set_max_proto_version(hello->ssl, best);
  return ssl_select_cert_success;
}

}  // namespace

std::unique_ptr<ServerContext> ServerContext::Create(const Credential& credential,
                                                     const ServerTlsConfig& config,
                                                     std::string* error) {
  if (g_config_index < 0) {
    g_config_index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  }
  std::unique_ptr<ServerContext> out(new ServerContext());
  out->config_ = config;
  out->ctx_.reset(SSL_CTX_new(TLS_method()));
  if (!out->ctx_ || !credential.cert || !credential.key) {
    *error = "cannot create server context";
    return nullptr;
  }
  SSL_CTX* ctx = out->ctx_.get();
  if (!SSL_CTX_set_min_proto_version(ctx, config.min_version) ||
      !SSL_CTX_set_max_proto_version(ctx, config.max_version) ||
      !SSL_CTX_use_certificate(ctx, credential.cert.get()) ||
      !SSL_CTX_use_PrivateKey(ctx, credential.key.get()) ||
      (credential.issuer && !SSL_CTX_add1_chain_cert(ctx, credential.issuer.get()))) {
    *error = "cannot configure server context";
    return nullptr;
  }
  if (config.chain_padding_bytes > 0 && credential.issuer) {
    int der = i2d_X509(credential.issuer.get(), nullptr);
    for (size_t sent = 0; der > 0 && sent < config.chain_padding_bytes; sent += static_cast<size_t>(der)) {
      if (!SSL_CTX_add1_chain_cert(ctx, credential.issuer.get())) {
        *error = "cannot pad the certificate chain";
        return nullptr;
      }
    }
  }
  if (config.unparsable_intermediate) {
    // SEQUENCE { INTEGER 0 }: well-formed DER, not a certificate. The chain is given as buffers,
    // which the library sends without parsing.
    static const uint8_t kNotACertificate[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    uint8_t* leaf_der = nullptr;
    int leaf_len = i2d_X509(credential.cert.get(), &leaf_der);
    bssl::UniquePtr<uint8_t> leaf_owner(leaf_der);
    bssl::UniquePtr<CRYPTO_BUFFER> leaf(
        leaf_len > 0 ? CRYPTO_BUFFER_new(leaf_der, static_cast<size_t>(leaf_len), nullptr) : nullptr);
    bssl::UniquePtr<CRYPTO_BUFFER> junk(CRYPTO_BUFFER_new(kNotACertificate, sizeof(kNotACertificate), nullptr));
    CRYPTO_BUFFER* chain[] = {leaf.get(), junk.get()};
    if (!leaf || !junk || !SSL_CTX_set_chain_and_key(ctx, chain, 2, credential.key.get(), nullptr)) {
      *error = "cannot set an unparsable chain";
      return nullptr;
    }
  }
  if (!config.cipher_list.empty() && !SSL_CTX_set_strict_cipher_list(ctx, config.cipher_list.c_str())) {
    *error = "bad cipher list: " + config.cipher_list;
    return nullptr;
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_ex_data(ctx, g_config_index, &out->config_);
  SSL_CTX_set_select_certificate_cb(ctx, SelectCertificate);
  return out;
}

ServerContext::~ServerContext() = default;

ServerTls::ServerTls(const ServerContext& context) : ssl_(SSL_new(context.get())) {
  bssl::UniquePtr<BIO> rbio(BIO_new(BIO_s_mem()));
  bssl::UniquePtr<BIO> wbio(BIO_new(BIO_s_mem()));
  if (!ssl_ || !rbio || !wbio) {
    ssl_.reset();
    state_ = State::kFailed;
    return;
  }
  BIO_set_mem_eof_return(rbio.get(), -1);
  SSL_set_bio(ssl_.get(), rbio.release(), wbio.release());  // the SSL owns both from here
  SSL_set_accept_state(ssl_.get());
}

ServerTls::~ServerTls() = default;

ServerTls::State ServerTls::Receive(std::string_view bytes, std::string* plaintext) {
  if (state_ == State::kFailed) return state_;
  BIO_write(SSL_get_rbio(ssl_.get()), bytes.data(), static_cast<int>(bytes.size()));
  ERR_clear_error();
  if (state_ == State::kInProgress) {
    int ret = SSL_do_handshake(ssl_.get());
    if (ret != 1) {
      int err = SSL_get_error(ssl_.get(), ret);
      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) state_ = State::kFailed;
      ERR_clear_error();
      return state_;
    }
    state_ = State::kCompleted;
  }
  char buf[2048];
  for (;;) {
    int n = SSL_read(ssl_.get(), buf, sizeof(buf));
    if (n <= 0) break;
    if (plaintext) plaintext->append(buf, static_cast<size_t>(n));
  }
  ERR_clear_error();
  return state_;
}

bool ServerTls::Encrypt(std::string_view plaintext) {
  if (state_ != State::kCompleted) return false;
  ERR_clear_error();
  return SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size())) > 0;
}

std::string ServerTls::TakeOutput() {
  return !ssl_ ? std::string() : TakeMemoryBio(SSL_get_wbio(ssl_.get()));
}

}  // namespace mxsweep::tls
