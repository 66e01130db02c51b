#include "tls/client_contexts.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

namespace mxsweep::tls {
namespace {

constexpr char kSystemRoots[] = "/etc/ssl/certs/ca-certificates.crt";

std::string LastError() {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  return buf;
}

// ExoCipherList names, in OpenSSL syntax, the suites of kExoCipherSuites BoringSSL implements.
std::string ExoCipherList() {
  std::string list;
  for (uint16_t id : kExoCipherSuites) {
    const SSL_CIPHER* cipher = SSL_get_cipher_by_value(id);
    if (cipher == nullptr) continue;  // CBC-SHA256/384: not in BoringSSL (see the hello prober)
    if (!list.empty()) list += ':';
    list += SSL_CIPHER_get_name(cipher);
  }
  return list;
}

// AcceptAnyChain lets every handshake continue whatever the server's certificate: a probe
// records the chain as a fact and judges it after the handshake (InspectPeerChain).
ssl_verify_result_t AcceptAnyChain(SSL*, uint8_t*) { return ssl_verify_ok; }

SSL_CTX* NewContext(ProbeKind kind, std::string* error) {
  // The buffers method keeps the peer's certificates as raw DER and never builds X509 objects
  // during the handshake: most probes never look at the chain, and parsing it cost ~10% of a
  // probe's client CPU (bench/RESULTS.md). InspectPeerChain parses on demand.
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_with_buffers_method()));
  if (!ctx) {
    *error = "SSL_CTX_new: " + LastError();
    return nullptr;
  }
  uint16_t min = MinVersion(kind);
  uint16_t max = MaxVersion(kind);
  if (!SSL_CTX_set_min_proto_version(ctx.get(), min) ||
      !SSL_CTX_set_max_proto_version(ctx.get(), max)) {
    *error = "cannot set protocol versions: " + LastError();
    return nullptr;
  }
  // Offer everything this library can: the probe asks what the server accepts, not what is
  // wise. "ALL" adds 3DES and plain RSA key exchange, which legacy servers may need.
  std::string ciphers = kind == ProbeKind::kExo12 ? ExoCipherList() : "ALL";
  if (!SSL_CTX_set_strict_cipher_list(ctx.get(), ciphers.c_str())) {
    *error = "cannot set cipher list '" + ciphers + "': " + LastError();
    return nullptr;
  }
  // Verification happens after the handshake against our own store, so that an untrusted
  // certificate is a fact in the report, not a failed probe.
  SSL_CTX_set_custom_verify(ctx.get(), SSL_VERIFY_NONE, AcceptAnyChain);
  // Sessions are never resumed: each probe must see a full handshake.
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  return ctx.release();
}

}  // namespace

std::unique_ptr<ClientContexts> ClientContexts::Create(const std::string& ca_file,
                                                       std::string* error) {
  std::unique_ptr<ClientContexts> out(new ClientContexts());
  for (ProbeKind kind : kAllProbeKinds) {
    if (IsHelloKind(kind)) continue;  // raw hellos need no SSL_CTX
    SSL_CTX* ctx = NewContext(kind, error);
    if (ctx == nullptr) return nullptr;
    out->contexts_[static_cast<size_t>(kind)] = ctx;
  }
  out->store_ = X509_STORE_new();
  if (out->store_ == nullptr) {
    *error = "X509_STORE_new failed";
    return nullptr;
  }
  const std::string& roots = ca_file.empty() ? std::string(kSystemRoots) : ca_file;
  ERR_clear_error();
  if (!X509_STORE_load_locations(out->store_, roots.c_str(), nullptr)) {
    if (!ca_file.empty()) {
      *error = "cannot load trust anchors from " + roots + ": " + LastError();
      return nullptr;
    }
    // No system bundle (package ca-certificates missing): probes still run, every chain is then
    // reported untrusted with this reason.
    out->trust_warning_ = "no system trust anchors at " + roots + " (install ca-certificates or use --ca-file)";
    ERR_clear_error();
  }
  return out;
}

ClientContexts::~ClientContexts() {
  for (SSL_CTX* ctx : contexts_) SSL_CTX_free(ctx);
  X509_STORE_free(store_);
}

}  // namespace mxsweep::tls
