#include "tls/test_pki.h"

#include <openssl/bn.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cstdio>

namespace mxsweep::tls {
namespace {

constexpr long kDay = 24 * 3600;

std::shared_ptr<EVP_PKEY> NewKey() {
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  if (!ec || !key || !EC_KEY_generate_key(ec.get()) || !EVP_PKEY_assign_EC_KEY(key.get(), ec.release())) {
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(std::move(key));  // keeps bssl::UniquePtr's deleter
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  bssl::UniquePtr<X509_EXTENSION> ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1);
}

// MakeCert builds and signs one certificate. |issuer|/|issuer_key| null means self-signed.
std::shared_ptr<X509> MakeCert(const std::string& cn, const std::string& san, EVP_PKEY* key,
                               X509* issuer, EVP_PKEY* issuer_key, long not_before_offset,
                               long not_after_offset, bool is_ca) {
  static std::atomic<long> serial{1};
  bssl::UniquePtr<X509> cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++) ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_offset) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_offset)) {
    return nullptr;
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                  reinterpret_cast<const uint8_t*>("mxsweep test"), -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                  reinterpret_cast<const uint8_t*>(cn.c_str()), -1, -1, 0)) {
    return nullptr;
  }
  X509* signer = issuer ? issuer : cert.get();
  if (!X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) ||
      !X509_set_pubkey(cert.get(), key)) {
    return nullptr;
  }
  bool ok = is_ca ? AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE") &&
                        AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign")
                  : AddExtension(cert.get(), signer, NID_basic_constraints, "CA:FALSE") &&
                        AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
  if (ok && !san.empty()) ok = AddExtension(cert.get(), signer, NID_subject_alt_name, san.c_str());
  if (!ok || !X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256())) return nullptr;
  return std::shared_ptr<X509>(std::move(cert));
}

}  // namespace

std::string_view CertKindName(CertKind kind) {
  switch (kind) {
    case CertKind::kValid: return "valid";
    case CertKind::kExpired: return "expired";
    case CertKind::kWrongName: return "wrong-name";
    case CertKind::kSelfSigned: return "self-signed";
  }
  return "unknown";
}

std::unique_ptr<TestPki> TestPki::Create() {
  std::unique_ptr<TestPki> pki(new TestPki());
  pki->ca_key_ = NewKey();
  if (!pki->ca_key_) return nullptr;
  pki->ca_cert_ = MakeCert("mxsweep test CA", "", pki->ca_key_.get(), nullptr, nullptr, -kDay,
                           3650 * kDay, true);
  if (!pki->ca_cert_) return nullptr;
  return pki;
}

Credential TestPki::Issue(CertKind kind, const std::string& host_name) const {
  Credential out;
  out.key = NewKey();
  if (!out.key) return out;
  std::string name = kind == CertKind::kWrongName ? "wrong-name.invalid" : host_name;
  std::string san = "DNS:" + name;
  switch (kind) {
    case CertKind::kValid:
    case CertKind::kWrongName:
      out.cert = MakeCert(name, san, out.key.get(), ca_cert_.get(), ca_key_.get(), -kDay,
                          365 * kDay, false);
      out.issuer = ca_cert_;
      break;
    case CertKind::kExpired:
      out.cert = MakeCert(name, san, out.key.get(), ca_cert_.get(), ca_key_.get(), -730 * kDay,
                          -365 * kDay, false);
      out.issuer = ca_cert_;
      break;
    case CertKind::kSelfSigned:
      out.cert = MakeCert(name, san, out.key.get(), nullptr, nullptr, -kDay, 365 * kDay, false);
      break;
  }
  return out;
}

std::string TestPki::CaPem() const {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_X509(bio.get(), ca_cert_.get())) return "";
  const uint8_t* data;
  size_t len;
  BIO_mem_contents(bio.get(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

bool TestPki::WriteCaFile(const std::string& path) const {
  std::string pem = CaPem();
  if (pem.empty()) return false;
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  bool ok = std::fwrite(pem.data(), 1, pem.size(), f) == pem.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace mxsweep::tls
