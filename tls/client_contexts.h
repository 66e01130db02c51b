// client_contexts.h: one immutable SSL_CTX per probe kind, and the trust store.
//
// Built once before a sweep starts and shared read-only by every probe: SSL_CTX setup (cipher
// lists, version bounds) is far too costly to repeat per connection.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "tls/ssl_ptr.h"
#include "tls/tls_version.h"

namespace mxsweep::tls {

// kExoCipherSuites lists the TLS 1.2 suites Exchange Online offers as a client, strongest first
// (DESIGN.md §2), as IANA code points. BoringSSL lacks the two CBC-SHA256/384 ones.
inline constexpr uint16_t kExoCipherSuites[] = {
    0xC030,  // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    0xC02F,  // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    0xC028,  // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
    0xC027,  // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
    0xC014,  // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    0xC013,  // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    0x009D,  // TLS_RSA_WITH_AES_256_GCM_SHA384
    0x009C,  // TLS_RSA_WITH_AES_128_GCM_SHA256
    0xC02C,  // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    0xC02B,  // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    0xC024,  // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
    0xC023,  // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
    0xC00A,  // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
    0xC009,  // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
};

class ClientContexts {
 public:
  // Create builds every context. |ca_file| names a PEM bundle of trust anchors, or a directory
  // of them under subject-hash names (<hash>.0, as c_rehash lays them out); empty means the
  // system roots, looked up by hash in /etc/ssl/certs when that directory is hashed, else read
  // from /etc/ssl/certs/ca-certificates.crt. Returns null with |*error| set on failure.
  static std::unique_ptr<ClientContexts> Create(const std::string& ca_file, std::string* error);
  ~ClientContexts();

  ClientContexts(const ClientContexts&) = delete;
  ClientContexts& operator=(const ClientContexts&) = delete;

  // context returns the SSL_CTX of a BoringSSL kind; null for the hello kinds.
  SSL_CTX* context(ProbeKind kind) const { return contexts_[static_cast<size_t>(kind)].get(); }
  X509_STORE* trust_store() const { return store_.get(); }
  // trust_warning is set when the system roots could not be loaded.
  const std::string& trust_warning() const { return trust_warning_; }

 private:
  ClientContexts() = default;

  std::array<SslCtxPtr, std::size(kAllProbeKinds)> contexts_;
  X509StorePtr store_;
  std::string trust_warning_;
};

}  // namespace mxsweep::tls
