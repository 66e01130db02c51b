// domain_name.cc: one domain of the list, from the user's text to the lower-case A-label form,
// with the reason and message for every refusal (the DomainReader in domain_input.cc calls it).
#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/host_name.h"
#include "base/ip_address.h"
#include "base/utf8.h"
#include "input/domain_input.h"
#include "input/idna.h"
#include "input/input_text.h"

namespace mxsweep {
namespace {

using input_text::Fail;
using input_text::Quoted;

// HostNameError turns the RFC 1035 problem CheckHostName found in |name| (the lower-case ASCII
// form of |original|) into the list's error kind and message.
bool HostNameError(const HostNameCheck& check, std::string_view name, std::string_view original,
                   InputErrorKind* kind, std::string* message) {
  switch (check.problem) {
    case HostNameProblem::kNone:
      return true;
    case HostNameProblem::kEmptyName:
      return Fail(InputErrorKind::kEmptyLabel, "empty name " + Quoted(original), kind, message);
    case HostNameProblem::kNameTooLong:
      return Fail(InputErrorKind::kNameTooLong,
                  "name longer than 253 characters (" + std::to_string(name.size()) +
                      "): " + Quoted(original),
                  kind, message);
    case HostNameProblem::kEmptyLabel:
      return Fail(InputErrorKind::kEmptyLabel, "empty label in " + Quoted(original), kind, message);
    case HostNameProblem::kLabelTooLong:
      return Fail(InputErrorKind::kLabelTooLong,
                  "label longer than 63 characters (" + std::to_string(check.label.size()) +
                      ") in " + Quoted(original),
                  kind, message);
    case HostNameProblem::kBadCharacter:
      return Fail(InputErrorKind::kBadCharacter,
                  "character " + Quoted(std::string_view(&check.character, 1)) +
                      " not allowed in a host name: " + Quoted(original),
                  kind, message);
    case HostNameProblem::kHyphenAtEdge:
      return Fail(InputErrorKind::kHyphenAtEdge,
                  "label " + Quoted(check.label) + " starts or ends with a hyphen in " +
                      Quoted(original),
                  kind, message);
  }
  return Fail(InputErrorKind::kBadCharacter, "not a host name: " + Quoted(original), kind,
              message);
}

// CheckListName applies RFC 1035 (CheckHostName, edge hyphens refused) and then the list's own
// policy to |name|, the lower-case ASCII form of |original|: a partner's mail domain has at
// least two labels, and an all-numeric last label is an IPv4 address or a typo.
bool CheckListName(std::string_view name, std::string_view original, InputErrorKind* kind,
                   std::string* message) {
  HostNameCheck check = CheckHostName(name, EdgeHyphens::kRefused);
  if (check.problem != HostNameProblem::kNone) {
    return HostNameError(check, name, original, kind, message);
  }
  size_t last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos) {
    return Fail(InputErrorKind::kSingleLabel,
                "single-label name " + Quoted(original) + ": a mail domain has at least two labels",
                kind, message);
  }
  if (name.find_first_not_of("0123456789", last_dot + 1) == std::string_view::npos) {
    return Fail(
        InputErrorKind::kNumericTld,
        "all-numeric top-level label in " + Quoted(original) + " (an IPv4 address is not a domain)",
        kind, message);
  }
  return true;
}

bool IsIpLiteral(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') return true;
  return IsAddressLiteral(text);
}

}  // namespace

std::string_view InputErrorKindName(InputErrorKind kind) {
  switch (kind) {
    case InputErrorKind::kLineTooLong: return "line-too-long";
    case InputErrorKind::kInvalidUtf8: return "invalid-utf8";
    case InputErrorKind::kControlCharacter: return "control-character";
    case InputErrorKind::kEmptyLabel: return "empty-label";
    case InputErrorKind::kLabelTooLong: return "label-too-long";
    case InputErrorKind::kNameTooLong: return "name-too-long";
    case InputErrorKind::kBadCharacter: return "bad-character";
    case InputErrorKind::kHyphenAtEdge: return "hyphen-at-edge";
    case InputErrorKind::kSingleLabel: return "single-label";
    case InputErrorKind::kNumericTld: return "numeric-tld";
    case InputErrorKind::kIpLiteral: return "ip-literal";
    case InputErrorKind::kEmailAddress: return "email-address";
    case InputErrorKind::kIdna: return "idna";
    case InputErrorKind::kCsvSyntax: return "csv-syntax";
    case InputErrorKind::kCsvFieldCount: return "csv-field-count";
    case InputErrorKind::kMissingDomain: return "missing-domain";
  }
  return "unknown";
}

std::string FormatInputError(const InputError& error) {
  return "line " + std::to_string(error.line) + ": " + error.message + " (" +
         std::string(InputErrorKindName(error.kind)) + ")";
}

bool NormaliseDomain(std::string_view text, std::string* out, InputErrorKind* kind,
                     std::string* message) {
  std::string_view original = text;
  if (!input_text::CheckText(text, kind, message)) return false;
  if (text.find('@') != std::string_view::npos) {
    return Fail(InputErrorKind::kEmailAddress,
                "looks like an e-mail address, give only the part after '@': " + Quoted(text), kind,
                message);
  }
  if (IsIpLiteral(text)) {
    return Fail(InputErrorKind::kIpLiteral,
                "IP address " + Quoted(text) + " is not a domain (MX records belong to names)",
                kind, message);
  }
  // One trailing dot is the absolute form of the same name; more would be an empty label.
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty()) {
    return Fail(InputErrorKind::kEmptyLabel, "empty name " + Quoted(original), kind, message);
  }
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  }
  std::string name;
  if (ascii) {
    name = LowerAscii(text);
  } else {
    // Structural errors first: libidn2's messages for them are vaguer than ours.
    if (text.front() == '.' || text.find("..") != std::string_view::npos) {
      return Fail(InputErrorKind::kEmptyLabel, "empty label in " + Quoted(original), kind, message);
    }
    std::string why;
    if (!ToALabels(text, &name, &why)) {
      return Fail(InputErrorKind::kIdna,
                  "internationalised name rejected (" + why + "): " + Quoted(text), kind, message);
    }
  }
  if (!CheckListName(name, original, kind, message)) return false;
  *out = std::move(name);
  return true;
}

LineKind ParseDomainLine(std::string_view line, std::string* out_domain, InputErrorKind* kind,
                         std::string* message, std::string* out_text) {
  using input_text::IsSpace;
  using input_text::Trim;
  std::string_view text = Trim(line);
  if (text.empty() || text.front() == '#') return LineKind::kSkip;
  // A trailing comment needs whitespace before '#', so that "a#b" is reported, not cut.
  for (size_t i = 1; i < text.size(); i++) {
    if (text[i] == '#' && IsSpace(text[i - 1])) {
      text = Trim(text.substr(0, i));
      break;
    }
  }
  if (out_text != nullptr) *out_text = std::string(text);
  if (text.find_first_of(" \t") != std::string_view::npos) {
    Fail(InputErrorKind::kBadCharacter,
         "more than one word on the line, give one domain per line: " + Quoted(text), kind,
         message);
    return LineKind::kError;
  }
  if (text.find(',') != std::string_view::npos && ValidUtf8(text)) {
    Fail(InputErrorKind::kBadCharacter,
         "comma in " + Quoted(text) +
             " (a CSV input needs a header row with a 'domain' column on its first line)",
         kind, message);
    return LineKind::kError;
  }
  if (!NormaliseDomain(text, out_domain, kind, message)) return LineKind::kError;
  return LineKind::kDomain;
}

}  // namespace mxsweep
