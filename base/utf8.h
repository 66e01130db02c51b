// utf8.h: UTF-8 well-formedness, for text that reaches libidn2, terminals and reports.
#pragma once

#include <string_view>

namespace mxsweep {

// ValidUtf8 reports whether |text| is well-formed UTF-8 (RFC 3629): no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool ValidUtf8(std::string_view text);

}  // namespace mxsweep
