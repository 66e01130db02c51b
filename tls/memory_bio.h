// memory_bio.h: read what a memory BIO holds. Internal to tls/ (it names a BoringSSL type).
#pragma once

#include <openssl/bio.h>

#include <string>

namespace mxsweep::tls {

// TakeMemoryBio returns everything |bio| (a BIO_s_mem) holds and empties it; "" for a null BIO.
std::string TakeMemoryBio(BIO* bio);

}  // namespace mxsweep::tls
