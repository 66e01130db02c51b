#include "tls/cert_inspect.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/obj.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <string>

#include "tls/cert_name.h"

namespace mxsweep::tls {
namespace {

// Certificate names come from strangers; bound what we keep of them. A DNS name is at most 253
// bytes. Shared-hosting certificates can carry hundreds of SANs, and the name check of every MX
// host reaching the address runs over them later (tls/cert_name.h), so the bound is generous.
constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxSans = 1000;
constexpr size_t kMaxCommonNames = 8;

std::string NameToString(const X509_NAME* name) {
  if (name == nullptr) return "";
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) return "";
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  const uint8_t* data;
  size_t len;
  if (!BIO_mem_contents(bio.get(), &data, &len)) return "";
  return std::string(reinterpret_cast<const char*>(data), len < kMaxNameBytes ? len : kMaxNameBytes);
}

std::string TimeToIso(const ASN1_TIME* t) {
  if (t == nullptr) return "";
  bssl::UniquePtr<ASN1_TIME> epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0, seconds = 0;
  if (!epoch || !ASN1_TIME_diff(&days, &seconds, epoch.get(), t)) return "";
  time_t when = static_cast<time_t>(days) * 86400 + seconds;
  struct tm tm;
  if (gmtime_r(&when, &tm) == nullptr) return "";
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string KeyTypeName(int id) {
  switch (id) {
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_DSA: return "DSA";
    default: return "unknown";
  }
}

std::string BoundedString(const ASN1_STRING* s) {
  size_t len = static_cast<size_t>(ASN1_STRING_length(s));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     len < kMaxNameBytes ? len : kMaxNameBytes);
}

}  // namespace

void ReadLeafNames(X509* leaf, CertificateSummary* out) {
  bssl::UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  for (size_t i = 0; names && i < sk_GENERAL_NAME_num(names.get()) && out->sans.size() < kMaxSans; i++) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) out->sans.push_back(BoundedString(gn->d.dNSName));
  }
  const X509_NAME* subject = X509_get_subject_name(leaf);
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
       i >= 0 && out->common_names.size() < kMaxCommonNames;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    const ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, cn);
    bssl::UniquePtr<uint8_t> owned(utf8);
    if (len < 0) continue;
    out->common_names.emplace_back(reinterpret_cast<const char*>(utf8),
                                   static_cast<size_t>(len) < kMaxNameBytes ? len : kMaxNameBytes);
  }
}

std::string CertTimeToIso(const X509* cert, bool not_after) {
  return TimeToIso(not_after ? X509_get0_notAfter(cert) : X509_get0_notBefore(cert));
}

CertificateSummary InspectPeerChain(const SSL* ssl, X509_STORE* store, const std::string& host_name) {
  CertificateSummary out;
  // The client contexts keep the chain as DER (TLS_with_buffers_method); on the client side it
  // includes the leaf. Parse it here, only for the probes that want a summary.
  const STACK_OF(CRYPTO_BUFFER)* buffers = SSL_get0_peer_certificates(ssl);
  bssl::UniquePtr<STACK_OF(X509)> parsed(sk_X509_new_null());
  if (buffers == nullptr || sk_CRYPTO_BUFFER_num(buffers) == 0 || !parsed) {
    out.chain_error = "no certificate";
    return out;
  }
  out.chain_length = static_cast<int>(sk_CRYPTO_BUFFER_num(buffers));
  // The handshake only needed the leaf's key; a certificate X.509 cannot read is a fact about
  // the chain, reported instead of a verification result.
  std::string unparsable;
  for (size_t i = 0; i < sk_CRYPTO_BUFFER_num(buffers); i++) {
    bssl::UniquePtr<X509> cert(X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(buffers, i)));
    if (!cert || !bssl::PushToStack(parsed.get(), std::move(cert))) {
      ERR_clear_error();
      unparsable = i == 0 ? "the server's certificate cannot be parsed"
                          : "certificate " + std::to_string(i + 1) + " of the chain cannot be parsed";
      break;
    }
  }
  if (sk_X509_num(parsed.get()) == 0) {
    out.chain_error = unparsable;
    return out;
  }
  STACK_OF(X509)* chain = parsed.get();
  X509* leaf = sk_X509_value(chain, 0);
  out.subject = NameToString(X509_get_subject_name(leaf));
  out.issuer = NameToString(X509_get_issuer_name(leaf));
  out.not_before = CertTimeToIso(leaf, false);
  out.not_after = CertTimeToIso(leaf, true);
  ReadLeafNames(leaf, &out);

  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(leaf));
  if (key) {
    out.key_type = KeyTypeName(EVP_PKEY_id(key.get()));
    out.key_bits = EVP_PKEY_bits(key.get());
  }
  int sig_nid = X509_get_signature_nid(leaf);
  const char* sig_name = OBJ_nid2ln(sig_nid);
  out.signature_algorithm = sig_name ? sig_name : "unknown";
  out.sha1_signature = sig_nid == NID_sha1WithRSAEncryption || sig_nid == NID_ecdsa_with_SHA1 ||
                       sig_nid == NID_sha1WithRSA || sig_nid == NID_dsaWithSHA1;
  out.expired = X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0;
  out.self_signed = X509_NAME_cmp(X509_get_subject_name(leaf), X509_get_issuer_name(leaf)) == 0 &&
                    key && X509_verify(leaf, key.get()) == 1;

  ERR_clear_error();
  bssl::UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!unparsable.empty()) {
    out.chain_error = unparsable;
  } else if (ctx && store != nullptr && X509_STORE_CTX_init(ctx.get(), store, leaf, chain)) {
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    if (X509_verify_cert(ctx.get()) == 1) {
      out.chain_valid = true;
    } else {
      out.chain_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    }
  } else {
    out.chain_error = "cannot set up verification";
  }
  ERR_clear_error();

  out.name_matches = CertificateNamesHost(out, host_name);
  return out;
}

}  // namespace mxsweep::tls
