#include "input/input_text.h"

#include <utility>

#include "base/sanitize.h"
#include "base/utf8.h"

namespace mxsweep::input_text {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view text) {
  return "\"" + SanitizeText(text, kExcerptBytes) + "\"";
}

bool Fail(InputErrorKind kind, std::string message, InputErrorKind* out_kind,
          std::string* out_message) {
  *out_kind = kind;
  *out_message = std::move(message);
  return false;
}

bool CheckText(std::string_view text, InputErrorKind* kind, std::string* message) {
  if (!ValidUtf8(text)) {
    return Fail(InputErrorKind::kInvalidUtf8, "not valid UTF-8: " + Quoted(text), kind, message);
  }
  for (size_t i = 0; i < text.size(); i++) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xc2 && i + 1 < text.size() &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9f;  // U+0080..U+009F
    if ((c < 0x20 && c != '\t') || c == 0x7f || c1) {
      return Fail(InputErrorKind::kControlCharacter, "control character in " + Quoted(text), kind,
                  message);
    }
  }
  return true;
}

}  // namespace mxsweep::input_text
