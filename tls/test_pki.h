// test_pki.h: a throw-away certificate authority for the simulated fleet, the tests and the demo.
//
// Every key is ECDSA P-256: signing is ~10x cheaper than RSA-2048 in this BoringSSL, and the
// simulated servers must stay cheap next to the client they serve.
#pragma once

#include <memory>
#include <string>

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace mxsweep::tls {

enum class CertKind : uint8_t {
  kValid,       // signed by the test CA, names the host, current
  kExpired,     // signed by the test CA, names the host, notAfter a year ago
  kWrongName,   // signed by the test CA, names another host
  kSelfSigned,  // names the host, signs itself
};

std::string_view CertKindName(CertKind kind);

struct Credential {
  std::shared_ptr<X509> cert;
  std::shared_ptr<EVP_PKEY> key;
  std::shared_ptr<X509> issuer;  // the CA to send as chain, null for self-signed
};

class TestPki {
 public:
  // Create makes a fresh CA. Returns null on failure.
  static std::unique_ptr<TestPki> Create();

  // Issue makes a certificate of |kind| for |host_name|. Returns a credential with a null cert
  // on failure.
  Credential Issue(CertKind kind, const std::string& host_name) const;

  // CaPem returns the CA certificate in PEM form (give it to --ca-file).
  std::string CaPem() const;
  // WriteCaFile writes CaPem() to |path|. Returns false on failure.
  bool WriteCaFile(const std::string& path) const;

 private:
  TestPki() = default;
  std::shared_ptr<X509> ca_cert_;
  std::shared_ptr<EVP_PKEY> ca_key_;
};

}  // namespace mxsweep::tls
