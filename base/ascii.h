// ascii.h: ASCII case for protocol text. DNS names, certificate names, CSV headers and version
// names compare case-insensitively in ASCII only (RFC 4343); the C library's locale-dependent
// tolower would be wrong for them and is never used.
#pragma once

#include <string>
#include <string_view>

namespace mxsweep {

// ToLowerAscii returns |c| with 'A'..'Z' mapped to 'a'..'z'; every other byte, including
// non-ASCII ones, unchanged. It is defined here so that byte loops (the DNS wire parser) inline it.
constexpr char ToLowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// LowerAsciiInPlace applies ToLowerAscii to every byte of |*text|.
void LowerAsciiInPlace(std::string* text);

// LowerAscii returns a copy of |text| with ToLowerAscii applied to every byte.
std::string LowerAscii(std::string_view text);

// EqualsIgnoringAsciiCase reports whether |a| and |b| are the same bytes but for ASCII case.
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

}  // namespace mxsweep
