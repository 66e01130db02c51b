#include "tls/ssl_ptr.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace mxsweep::tls {

// Each hands the object to bssl::UniquePtr, whose deleter is the library's own.
void SslDeleter::operator()(SSL* ssl) const { bssl::UniquePtr<SSL> owned(ssl); }
void SslCtxDeleter::operator()(SSL_CTX* ctx) const { bssl::UniquePtr<SSL_CTX> owned(ctx); }
void X509StoreDeleter::operator()(X509_STORE* store) const { bssl::UniquePtr<X509_STORE> owned(store); }

}  // namespace mxsweep::tls
