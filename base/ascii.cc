#include "base/ascii.h"

namespace mxsweep {

void LowerAsciiInPlace(std::string* text) {
  for (char& c : *text) c = ToLowerAscii(c);
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  LowerAsciiInPlace(&out);
  return out;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace mxsweep
