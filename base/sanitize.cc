#include "base/sanitize.h"

#include <cstdint>

namespace mxsweep {
namespace {

// Utf8SequenceLength returns the length of the valid UTF-8 sequence at |in[i]|, or 0.
size_t Utf8SequenceLength(std::string_view in, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(in[k]); };
  uint8_t b0 = byte(i);
  size_t len;
  uint32_t min;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > in.size()) return 0;
  uint32_t cp = b0 & (0xff >> (len + 1));
  for (size_t k = 1; k < len; k++) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (byte(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  // C1 controls (U+0080..U+009F) are as dangerous in a terminal as C0 ones.
  if (cp >= 0x80 && cp <= 0x9f) return 0;
  return len;
}

}  // namespace

std::string SanitizeText(std::string_view in, size_t max_bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size() < max_bytes ? in.size() : max_bytes);
  for (size_t i = 0; i < in.size();) {
    uint8_t c = static_cast<uint8_t>(in[i]);
    std::string piece;
    size_t step = 1;
    if (c == '\\') {
      piece = "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      piece.assign(1, static_cast<char>(c));
    } else if (c >= 0x80 && (step = Utf8SequenceLength(in, i)) != 0) {
      piece.assign(in.substr(i, step));
    } else {
      step = 1;
      piece = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
    if (out.size() + piece.size() > max_bytes) {
      out += "...";
      return out;
    }
    out += piece;
    i += step;
  }
  return out;
}

}  // namespace mxsweep
