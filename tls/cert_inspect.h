// cert_inspect.h: turn a server's certificate chain into a CertificateSummary.
#pragma once

#include <string>

#include "tls/cert_summary.h"

typedef struct ssl_st SSL;
typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;
typedef struct stack_st_X509 STACK_OF_X509;

namespace mxsweep::tls {

// InspectPeerChain summarises the chain |ssl| received and verifies it against |store| at the
// current time, and checks the leaf against |host_name| (an address literal never matches).
CertificateSummary InspectPeerChain(const SSL* ssl, X509_STORE* store, const std::string& host_name);

// ReadLeafNames fills |out->sans| (DNS subjectAltNames) and |out->common_names| from |leaf|,
// bounded (a certificate's names come from strangers).
void ReadLeafNames(X509* leaf, CertificateSummary* out);

// AsnTimeToIso renders an ASN1_TIME as "YYYY-MM-DDTHH:MM:SSZ"; returns "" when unreadable.
std::string CertTimeToIso(const X509* cert, bool not_after);

}  // namespace mxsweep::tls
