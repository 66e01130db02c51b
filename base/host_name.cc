#include "base/host_name.h"

namespace mxsweep {

namespace {

bool Fail(std::string* why, const char* reason) {
  if (why != nullptr) *why = reason;
  return false;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool NormalizeDomainName(std::string_view name, std::string* out, std::string* why) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Fail(why, "empty name");
  if (name.size() > kMaxNameLength) return Fail(why, "name longer than 253 characters");
  std::string lower;
  lower.reserve(name.size());
  size_t label_length = 0;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '.') {
      if (label_length == 0) return Fail(why, "empty label");
      label_length = 0;
    } else {
      if (!IsNameChar(c)) return Fail(why, "character outside letters, digits, '-' and '_'");
      if (++label_length > kMaxLabelLength) return Fail(why, "label longer than 63 characters");
    }
    lower.push_back(c);
  }
  if (label_length == 0) return Fail(why, "empty label");  // "a.b.." after the one dot we drop
  *out = std::move(lower);
  return true;
}

}  // namespace mxsweep
