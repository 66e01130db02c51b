// ssl_ptr.h: owning pointers to BoringSSL objects, for headers that must stay free of OpenSSL.
//
// Inside a .cc, bssl::UniquePtr is the owner. A class whose header names a BoringSSL object holds
// it in one of these instead: the deleters are defined in ssl_ptr.cc (with bssl::UniquePtr's
// own), so the header needs only the forward declarations below.
#pragma once

#include <memory>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct x509_store_st X509_STORE;

namespace mxsweep::tls {

struct SslDeleter {
  void operator()(SSL* ssl) const;
};
struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const;
};
struct X509StoreDeleter {
  void operator()(X509_STORE* store) const;
};

using SslPtr = std::unique_ptr<SSL, SslDeleter>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreDeleter>;

}  // namespace mxsweep::tls
