// The certificate name check that runs after the X509 is gone (tls/cert_name.h), and a
// differential check that it agrees with BoringSSL's X509_check_host on the same certificates.
#include <gtest/gtest.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "tls/cert_inspect.h"
#include "tls/cert_name.h"

namespace mxsweep::tls {
namespace {

TEST(DnsPatternMatches, ExactNamesIgnoreCaseAndTheHostsTrailingDot) {
  EXPECT_TRUE(DnsPatternMatches("mx.example.com", "mx.example.com"));
  EXPECT_TRUE(DnsPatternMatches("MX.Example.COM", "mx.example.com"));
  EXPECT_TRUE(DnsPatternMatches("mx.example.com", "mx.example.com."));
  EXPECT_FALSE(DnsPatternMatches("*.example.com.", "mx.example.com")) << "malformed: literal only";
  EXPECT_FALSE(DnsPatternMatches("mx.example.com", "mx2.example.com"));
  EXPECT_FALSE(DnsPatternMatches("mx.example.com", "example.com"));
  EXPECT_FALSE(DnsPatternMatches("", "example.com"));
  EXPECT_FALSE(DnsPatternMatches("example.com", ""));
  EXPECT_FALSE(DnsPatternMatches(std::string("mx.example.com\0.evil.test", 25), "mx.example.com"));
}

TEST(DnsPatternMatches, WildcardIsOneWholeLeftmostLabel) {
  EXPECT_TRUE(DnsPatternMatches("*.example.com", "mx.example.com"));
  EXPECT_TRUE(DnsPatternMatches("*.example.com", "MX-1.Example.com"));
  EXPECT_TRUE(DnsPatternMatches("*.example.com", "xn--bcher-kva.example.com"));
  EXPECT_FALSE(DnsPatternMatches("*.example.com", "example.com")) << "the star stands for one label";
  EXPECT_FALSE(DnsPatternMatches("*.example.com", "a.mx.example.com")) << "only one label";
  EXPECT_FALSE(DnsPatternMatches("*.example.com", ".example.com"));
  EXPECT_FALSE(DnsPatternMatches("*.example.com", "mx_1.example.com"));
  EXPECT_FALSE(DnsPatternMatches("*.com", "example.com")) << "no wildcard over a whole TLD";
  EXPECT_FALSE(DnsPatternMatches("mx*.example.com", "mx1.example.com")) << "no partial wildcards";
  EXPECT_FALSE(DnsPatternMatches("*.*.example.com", "a.b.example.com"));
  EXPECT_FALSE(DnsPatternMatches("mx.*.example.com", "mx.a.example.com"));
  EXPECT_FALSE(DnsPatternMatches("*", "localhost"));
  EXPECT_FALSE(DnsPatternMatches("*.exa_mple.com", "mx.exa_mple.com")) << "a wildcard over a malformed name";
  EXPECT_FALSE(DnsPatternMatches("*.-bad.example.com", "mx.-bad.example.com"));
}

TEST(CertificateNamesHost, SansWinOverTheCommonName) {
  CertificateSummary cert;
  cert.common_names = {"mx.example.com"};
  EXPECT_TRUE(CertificateNamesHost(cert, "mx.example.com")) << "no DNS SAN: the CN counts";
  cert.sans = {"mail.example.com"};
  EXPECT_FALSE(CertificateNamesHost(cert, "mx.example.com")) << "with a DNS SAN the CN does not count";
  EXPECT_TRUE(CertificateNamesHost(cert, "mail.example.com"));
  cert.sans.push_back("*.hosting.example.net");
  EXPECT_TRUE(CertificateNamesHost(cert, "customer7.hosting.example.net"));
  EXPECT_FALSE(CertificateNamesHost(cert, "192.0.2.1")) << "an address literal never matches";
  EXPECT_FALSE(CertificateNamesHost(cert, ""));

  CertificateSummary described;
  described.common_names = {"Mail Server"};
  EXPECT_FALSE(CertificateNamesHost(described, "Mail Server")) << "a description, not a name";
}

// A certificate in memory with the given CNs and DNS SANs; nothing checks its signature.
bssl::UniquePtr<X509> MakeCert(const std::vector<std::string>& cns, const std::vector<std::string>& sans) {
  bssl::UniquePtr<X509> cert(X509_new());
  if (!cert) return nullptr;
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const std::string& cn : cns) {
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const uint8_t*>(cn.data()), cn.size(), -1, 0)) {
      return nullptr;
    }
  }
  if (!sans.empty()) {
    std::string value;
    for (const std::string& san : sans) value += (value.empty() ? "DNS:" : ",DNS:") + san;
    bssl::UniquePtr<X509_EXTENSION> ext(
        X509V3_EXT_nconf_nid(nullptr, nullptr, NID_subject_alt_name, value.c_str()));
    if (!ext || !X509_add_ext(cert.get(), ext.get(), -1)) return nullptr;
  }
  return cert;
}

TEST(CertificateNamesHost, AgreesWithX509CheckHost) {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> certs = {
      {{"mx.example.com"}, {}},
      {{"Mail Server"}, {}},
      {{"*.example.com"}, {}},
      {{"other.example.org", "mx.example.com"}, {}},
      {{"mx.example.com"}, {"mail.example.com"}},
      {{}, {"*.example.com", "example.com"}},
      {{}, {"*.com", "mx*.example.org", "*.*.example.net"}},
      {{}, {"MX.EXAMPLE.COM", "mx2.example.com"}},
      {{}, {"*.mail.protection.example.net"}},
      {{}, {"*.exa_mple.com", "*.-bad.example.com", "mx_1.example.com"}},
      {{"*.example.com."}, {}},
  };
  const std::vector<std::string> hosts = {
      "mx.example.com",   "MX.example.com", "mail.example.com", "example.com",
      "a.mx.example.com", "example.org",    "mx1.example.org",  "a.b.example.net",
      "mx2.example.com",  "other.example.org", "customer-com.mail.protection.example.net",
      "mail.protection.example.net", "xn--bcher-kva.example.com", "mx_1.example.com",
      "mx.exa_mple.com", "a.-bad.example.com", "Mail Server", "*.example.com",
  };
  for (const auto& [cns, sans] : certs) {
    bssl::UniquePtr<X509> x509 = MakeCert(cns, sans);
    ASSERT_TRUE(x509);
    CertificateSummary summary;
    ReadLeafNames(x509.get(), &summary);
    EXPECT_EQ(summary.sans.size(), sans.size());
    EXPECT_EQ(summary.common_names.size(), cns.size());
    for (const std::string& host : hosts) {
      bool boringssl = X509_check_host(x509.get(), host.data(), host.size(), 0, nullptr) == 1;
      EXPECT_EQ(CertificateNamesHost(summary, host), boringssl)
          << "host " << host << ", CN " << (cns.empty() ? "-" : cns[0]) << ", SANs "
          << (sans.empty() ? "-" : sans[0]);
    }
  }
}

}  // namespace
}  // namespace mxsweep::tls
