// server_tls.h: the server side of TLS for the simulated fleet, on memory BIOs like the client.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tls/ssl_ptr.h"
#include "tls/test_pki.h"

namespace mxsweep::tls {

struct ServerTlsConfig {
  uint16_t min_version = 0x0301;  // TLS 1.0
  uint16_t max_version = 0x0304;  // TLS 1.3
  // Versions inside [min, max] that the server refuses anyway (bit i = 0x0301 + i), so any subset
  // of 1.0–1.3 can be expressed. BoringSSL can only express a range; holes are refused by
  // answering with alert protocol_version from the early callback.
  uint8_t refused_mask = 0;
  // OpenSSL-syntax cipher list for TLS <= 1.2 (TLS 1.3 suites are fixed); empty = library default.
  std::string cipher_list;
  // Extra certificate chain to send: copies of the issuer (CA) certificate after the real chain
  // until they add up to at least this many bytes. For tests of a client's chain bound.
  size_t chain_padding_bytes = 0;
  // Send, after the leaf, an "intermediate" that is DER but no certificate: for tests of a
  // client that parses the chain only after the handshake.
  bool unparsable_intermediate = false;
};

// ServerContext is an immutable SSL_CTX with one credential, shared by all connections of one
// simulated server.
class ServerContext {
 public:
  static std::unique_ptr<ServerContext> Create(const Credential& credential,
                                               const ServerTlsConfig& config, std::string* error);
  ~ServerContext();
  SSL_CTX* get() const { return ctx_.get(); }

 private:
  ServerContext() = default;
  SslCtxPtr ctx_;
  ServerTlsConfig config_;
};

// ServerTls drives one server handshake and the few application bytes after it.
class ServerTls {
 public:
  explicit ServerTls(const ServerContext& context);
  ~ServerTls();
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;

  enum class State { kInProgress, kCompleted, kFailed };
  // Receive feeds client bytes; after completion it returns decrypted bytes in |*plaintext|.
  State Receive(std::string_view bytes, std::string* plaintext);
  bool Encrypt(std::string_view plaintext);
  std::string TakeOutput();
  State state() const { return state_; }

 private:
  SslPtr ssl_;
  State state_ = State::kInProgress;
};

}  // namespace mxsweep::tls
