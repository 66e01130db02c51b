// idna.h: internationalised domain names to A-labels, the only use of libidn2.
#pragma once

#include <string>
#include <string_view>

namespace mxsweep {

// ToALabels converts |text| (UTF-8) to lower-case A-labels with UTS #46 non-transitional
// processing, as browsers and mail systems look names up ("faß.de" stays ß, it is not mapped to
// "ss"). On failure it returns false, leaves |*out| untouched and sets |*why| to libidn2's
// description of the refusal.
bool ToALabels(std::string_view text, std::string* out, std::string* why);

}  // namespace mxsweep
