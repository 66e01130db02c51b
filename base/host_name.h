// host_name.h: syntax checks for domain names taken from input files and from DNS answers.
#pragma once

#include <string>
#include <string_view>

namespace mxsweep {

// RFC 1035 §2.3.4 bounds. 253 is the presentation-form limit: 255 octets on the wire minus the
// first length octet and the root label.
constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxNameLength = 253;

// NormalizeDomainName lower-cases |name| and drops one trailing dot, writing the result to |out|.
// It accepts letters, digits, '-' and '_' (underscore is not LDH, but _dmarc-style labels and
// sloppy hosted names exist and resolve, so refusing them would hide real MX hosts). It fails
// (returns false, |out| untouched, reason in |why| if non-null) on an empty name, the root, an
// empty label, a label over 63 or a name over 253 characters, or any other character.
bool NormalizeDomainName(std::string_view name, std::string* out, std::string* why = nullptr);

}  // namespace mxsweep
