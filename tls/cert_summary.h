// cert_summary.h: what the reports say about a server's certificate chain.
#pragma once

#include <string>
#include <vector>

namespace mxsweep::tls {

struct CertificateSummary {
  std::string subject;              // RFC 2253 form of the leaf's subject
  std::vector<std::string> sans;    // DNS names from subjectAltName
  std::vector<std::string> common_names;  // the subject's CNs: the names when there is no DNS SAN
  std::string issuer;
  std::string not_before;           // ISO 8601 UTC, e.g. 2026-01-31T00:00:00Z
  std::string not_after;
  std::string key_type;             // "RSA", "EC", "Ed25519", ...
  int key_bits = 0;
  std::string signature_algorithm;  // e.g. "sha256WithRSAEncryption"
  int chain_length = 0;             // certificates the server sent
  bool chain_valid = false;         // verified against the system roots or --ca-file
  std::string chain_error;          // why not, when !chain_valid
  bool name_matches = false;        // the leaf names the MX host probed (tls/cert_name.h); other
                                    // MX names reaching the address: CertificateNamesHost()
  bool expired = false;             // notAfter is in the past at scan time
  bool self_signed = false;         // leaf issuer == subject and its own key verifies it
  bool sha1_signature = false;      // EXO refuses SHA-1 certificates
};

}  // namespace mxsweep::tls
