#include "tls/memory_bio.h"

namespace mxsweep::tls {

std::string TakeMemoryBio(BIO* bio) {
  std::string out;
  const uint8_t* data;
  size_t len;
  if (bio != nullptr && BIO_mem_contents(bio, &data, &len) && len > 0) {
    out.assign(reinterpret_cast<const char*>(data), len);
    BIO_reset(bio);
  }
  return out;
}

}  // namespace mxsweep::tls
