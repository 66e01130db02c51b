// library_version.h: which TLS library mxsweep was built with, for `mxsweep version`. Here
// because only tls/ may include OpenSSL headers.
#pragma once

#include <string>

namespace mxsweep::tls {

// TlsLibraryVersion returns the BoringSSL version mxsweep was compiled against, e.g.
// "OpenSSL 1.1.1 (compatible; BoringSSL), BoringSSL API 17". BoringSSL has no release numbers;
// BORINGSSL_API_VERSION is what changes when its API does.
std::string TlsLibraryVersion();

}  // namespace mxsweep::tls
