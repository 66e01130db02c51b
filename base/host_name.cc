#include "base/host_name.h"

#include "base/ascii.h"

namespace mxsweep {

namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

HostNameCheck Problem(HostNameProblem problem, std::string_view label = {}, char character = 0) {
  HostNameCheck check;
  check.problem = problem;
  check.label = label;
  check.character = character;
  return check;
}

}  // namespace

std::string_view HostNameProblemText(HostNameProblem problem) {
  switch (problem) {
    case HostNameProblem::kNone: return "";
    case HostNameProblem::kEmptyName: return "empty name";
    case HostNameProblem::kNameTooLong: return "name longer than 253 characters";
    case HostNameProblem::kEmptyLabel: return "empty label";
    case HostNameProblem::kLabelTooLong: return "label longer than 63 characters";
    case HostNameProblem::kBadCharacter:
      return "character outside letters, digits, '-' and '_'";
    case HostNameProblem::kHyphenAtEdge: return "label starting or ending with '-'";
  }
  return "unknown";
}

HostNameCheck CheckHostName(std::string_view name, EdgeHyphens edge_hyphens) {
  if (name.empty()) return Problem(HostNameProblem::kEmptyName);
  if (name.size() > kMaxNameLength) return Problem(HostNameProblem::kNameTooLong);
  std::string_view rest = name;
  while (true) {
    size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty()) return Problem(HostNameProblem::kEmptyLabel, label);
    if (label.size() > kMaxLabelLength) return Problem(HostNameProblem::kLabelTooLong, label);
    for (char c : label) {
      if (!IsNameChar(c)) return Problem(HostNameProblem::kBadCharacter, label, c);
    }
    if (edge_hyphens == EdgeHyphens::kRefused && (label.front() == '-' || label.back() == '-')) {
      return Problem(HostNameProblem::kHyphenAtEdge, label);
    }
    if (dot == std::string_view::npos) return HostNameCheck();
    rest.remove_prefix(dot + 1);
  }
}

bool NormalizeDomainName(std::string_view name, std::string* out, std::string* why) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  HostNameCheck check = CheckHostName(name, EdgeHyphens::kAllowed);
  if (check.problem != HostNameProblem::kNone) {
    if (why != nullptr) *why = HostNameProblemText(check.problem);
    return false;
  }
  *out = LowerAscii(name);
  return true;
}

}  // namespace mxsweep
