// host_name.h: the RFC 1035 syntax of host names, in one place for the two kinds of names
// mxsweep meets: the domains of the input list (input/, which adds its own policy on top) and
// the names that DNS answers carry (resolver/, MX targets and CNAMEs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mxsweep {

// RFC 1035 §2.3.4 bounds. 253 is the presentation-form limit: 255 octets on the wire minus the
// first length octet and the root label.
constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxNameLength = 253;

// HostNameProblem is the first rule a name breaks, in the order CheckHostName checks them.
enum class HostNameProblem : uint8_t {
  kNone,
  kEmptyName,     // ""
  kNameTooLong,   // over kMaxNameLength characters
  kEmptyLabel,    // "a..b", ".a", "a."
  kLabelTooLong,  // a label over kMaxLabelLength characters
  kBadCharacter,  // outside letters (either case), digits, '-' and '_'
  kHyphenAtEdge,  // a label starting or ending with '-' (only when EdgeHyphens::kRefused)
};

// HostNameProblemText returns a short English description of |problem| ("empty label", ...).
std::string_view HostNameProblemText(HostNameProblem problem);

// EdgeHyphens says whether a label may start or end with '-'. RFC 952 forbids it, and a domain
// list is refused for it; but such names exist in DNS answers and resolve, so the resolver takes
// them rather than hide a real MX host.
enum class EdgeHyphens : uint8_t { kAllowed, kRefused };

// HostNameCheck is CheckHostName's verdict. |label| and |character| point into the checked name.
struct HostNameCheck {
  HostNameProblem problem = HostNameProblem::kNone;
  std::string_view label;  // the label at fault (kEmptyLabel, kLabelTooLong, kBadCharacter,
                           // kHyphenAtEdge); empty otherwise
  char character = 0;      // kBadCharacter: the first character not allowed
};

// CheckHostName checks |name|, in presentation form without a trailing dot, label by label: the
// whole name's length first, then for each label its emptiness, its length, its characters and
// (when refused) hyphens at its edges. Letters, digits, '-' and '_' are allowed: underscore is not
// LDH, but _dmarc-style labels and sloppy hosted names exist and resolve. Policy beyond RFC 1035
// (how many labels, what a top-level label may be) is the caller's.
HostNameCheck CheckHostName(std::string_view name, EdgeHyphens edge_hyphens);

// NormalizeDomainName is the resolver's policy: it drops one trailing dot, checks the rest with
// CheckHostName (edge hyphens allowed) and writes the lower-cased name to |out|. On failure it
// returns false, leaves |out| untouched and, if |why| is non-null, sets it to
// HostNameProblemText of the problem.
bool NormalizeDomainName(std::string_view name, std::string* out, std::string* why = nullptr);

}  // namespace mxsweep
