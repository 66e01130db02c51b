#include "input/idna.h"

#include <idn2.h>

#include "base/ascii.h"

namespace mxsweep {

bool ToALabels(std::string_view text, std::string* out, std::string* why) {
  std::string input(text);
  char* ascii = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &ascii, IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    *why = idn2_strerror(rc);
    return false;
  }
  out->assign(ascii);
  idn2_free(ascii);
  // UTS #46 mapping already lower-cases, but ASCII letters next to non-ASCII ones are left to
  // us in some libidn2 versions; lower-casing an A-label is always safe.
  LowerAsciiInPlace(out);
  return true;
}

}  // namespace mxsweep
