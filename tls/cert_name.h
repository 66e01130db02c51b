// cert_name.h: does a certificate name a host?
//
// An address is probed once, with the first MX name that led to it as SNI, however many domains
// reach it through other MX names (shared hosting: mail.customer-a.example and
// mx.provider.example on one address). Each domain's report must still say whether the
// certificate names *its* MX host, so the names are matched here from the CertificateSummary,
// after the X509 is gone, with the rules BoringSSL's X509_check_host applies (RFC 6125 §6.4):
// DNS subjectAltNames when there is at least one, else the subject's common names that look like
// host names; a wildcard only as the whole leftmost label of a well-formed name, matching exactly
// one label, and never in "*.tld". tests/fuzz/fuzz_cert_name.cc holds the two to agreement.
#pragma once

#include <string_view>

#include "tls/cert_summary.h"

namespace mxsweep::tls {

// DnsPatternMatches reports whether the certificate name |pattern| (a dNSName or common name)
// names |host|. Case-insensitive in ASCII; one trailing dot on |host| is ignored.
bool DnsPatternMatches(std::string_view pattern, std::string_view host);

// CertificateNamesHost reports whether |cert| names |host|. An address literal never matches
// (MX names are names; a certificate's IP SANs are not checked).
bool CertificateNamesHost(const CertificateSummary& cert, std::string_view host);

}  // namespace mxsweep::tls
