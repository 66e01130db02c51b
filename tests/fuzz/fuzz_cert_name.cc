// fuzz_cert_name: the certificate name check (tls/cert_name.h) against BoringSSL's own.
//
// The reports match MX names against the names kept from a certificate after its X509 is freed;
// they must say what X509_check_host would have said. Input: "<SAN or CN>\n<host>", the first
// byte choosing whether the name goes in as a DNS subjectAltName or as the subject's CN. A
// disagreement aborts. Left out on purpose: hosts that are address literals (mxsweep never
// matches those; BoringSSL compares them as text against DNS names) and hosts ending in a dot
// (mxsweep ignores one trailing dot on the host, as DNS does).
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/ip_address.h"
#include "tls/cert_inspect.h"
#include "tls/cert_name.h"

namespace {

bssl::UniquePtr<X509> CertNaming(const std::string& name, bool as_san) {
  bssl::UniquePtr<X509> cert(X509_new());
  if (!cert) return nullptr;
  if (!as_san) {
    X509_NAME* subject = X509_get_subject_name(cert.get());
    if (!X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const uint8_t*>(name.data()), name.size(), -1, 0)) {
      return nullptr;
    }
    return cert;
  }
  bssl::UniquePtr<GENERAL_NAMES> names(GENERAL_NAMES_new());
  bssl::UniquePtr<GENERAL_NAME> gn(GENERAL_NAME_new());
  bssl::UniquePtr<ASN1_IA5STRING> ia5(ASN1_IA5STRING_new());
  if (!names || !gn || !ia5 || !ASN1_STRING_set(ia5.get(), name.data(), name.size())) return nullptr;
  GENERAL_NAME_set0_value(gn.get(), GEN_DNS, ia5.release());
  if (!bssl::PushToStack(names.get(), std::move(gn))) return nullptr;
  if (!X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, 0)) return nullptr;
  return cert;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  bool as_san = (data[0] & 1) != 0;
  std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t newline = rest.find('\n');
  if (newline == std::string::npos) return 0;
  std::string name = rest.substr(0, newline);
  std::string host = rest.substr(newline + 1);
  if (host.empty() || host.find('\0') != std::string::npos || mxsweep::IsAddressLiteral(host)) return 0;
  if (host.back() == '.') return 0;
  if (name.size() > 253 || host.size() > 253) return 0;  // beyond a DNS name; kept names are bounded

  bssl::UniquePtr<X509> cert = CertNaming(name, as_san);
  if (!cert) return 0;
  mxsweep::tls::CertificateSummary summary;
  mxsweep::tls::ReadLeafNames(cert.get(), &summary);
  bool ours = mxsweep::tls::CertificateNamesHost(summary, host);
  bool boringssl = X509_check_host(cert.get(), host.data(), host.size(), 0, nullptr) == 1;
  if (ours != boringssl) std::abort();
  return 0;
}
