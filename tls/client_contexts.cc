#include "tls/client_contexts.h"

#include <dirent.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <string>

namespace mxsweep::tls {
namespace {

constexpr char kSystemRoots[] = "/etc/ssl/certs/ca-certificates.crt";
// The same anchors, one file per certificate under its subject-hash name (update-ca-certificates).
constexpr char kSystemRootsDir[] = "/etc/ssl/certs";

std::string LastError() {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  return buf;
}

// HasHashedAnchors says whether |dir| holds at least one "<8 hex digits>.0" anchor file.
bool HasHashedAnchors(const char* dir) {
  DIR* d = opendir(dir);
  if (d == nullptr) return false;
  bool found = false;
  while (const dirent* e = readdir(d)) {
    const char* name = e->d_name;
    if (strlen(name) == 10 && name[8] == '.' && name[9] == '0' &&
        strspn(name, "0123456789abcdef") == 8) {
      found = true;
      break;
    }
  }
  closedir(d);
  return found;
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

bssl::UniquePtr<SSL_CTX> NewContext(ProbeKind kind, std::string* error) {
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
  return ctx;
}

}  // namespace

std::unique_ptr<ClientContexts> ClientContexts::Create(const std::string& ca_file,
                                                       std::string* error) {
  std::unique_ptr<ClientContexts> out(new ClientContexts());
  for (ProbeKind kind : kAllProbeKinds) {
    if (IsHelloKind(kind)) continue;  // raw hellos need no SSL_CTX
    bssl::UniquePtr<SSL_CTX> ctx = NewContext(kind, error);
    if (!ctx) return nullptr;
    out->contexts_[static_cast<size_t>(kind)].reset(ctx.release());
  }
  out->store_.reset(X509_STORE_new());
  if (!out->store_) {
    *error = "X509_STORE_new failed";
    return nullptr;
  }
  ERR_clear_error();
  if (!ca_file.empty()) {
    // A directory is read as a hashed one (c_rehash / update-ca-certificates layout).
    struct stat st {};
    bool is_dir = stat(ca_file.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir && !HasHashedAnchors(ca_file.c_str())) {
      *error = "no hashed trust anchors (<hash>.0 files) in directory " + ca_file;
      return nullptr;
    }
    if (!X509_STORE_load_locations(out->store_.get(), is_dir ? nullptr : ca_file.c_str(),
                                   is_dir ? ca_file.c_str() : nullptr)) {
      *error = "cannot load trust anchors from " + ca_file + ": " + LastError();
      return nullptr;
    }
    return out;
  }
  // The system anchors are looked up by subject hash, one file when a chain first needs it, so
  // that start-up does not parse ~150 certificates (the larger part of a one-host probe's CPU).
  // Without the hashed directory, the bundle is read whole.
  if (HasHashedAnchors(kSystemRootsDir) &&
      X509_STORE_load_locations(out->store_.get(), nullptr, kSystemRootsDir)) {
    return out;
  }
  ERR_clear_error();
  if (!X509_STORE_load_locations(out->store_.get(), kSystemRoots, nullptr)) {
    // No system bundle (package ca-certificates missing): probes still run, every chain is then
    // reported untrusted with this reason.
    out->trust_warning_ = std::string("no system trust anchors at ") + kSystemRoots +
                          " (install ca-certificates or use --ca-file)";
    ERR_clear_error();
  }
  return out;
}

ClientContexts::~ClientContexts() = default;

}  // namespace mxsweep::tls
