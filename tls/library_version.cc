#include "tls/library_version.h"

#include <openssl/base.h>
#include <openssl/crypto.h>

namespace mxsweep::tls {

std::string TlsLibraryVersion() {
  return std::string(OPENSSL_VERSION_TEXT) + ", BoringSSL API " + std::to_string(BORINGSSL_API_VERSION);
}

}  // namespace mxsweep::tls
