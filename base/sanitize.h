// sanitize.h: make text from strangers (banners, certificate names, server replies) safe to put
// in a report.
#pragma once

#include <string>
#include <string_view>

namespace mxsweep {

// SanitizeText returns |in| with control characters, DEL and invalid UTF-8 escaped as \xHH
// (a backslash becomes \\), and truncated to at most |max_bytes| bytes of output with "..."
// appended when cut. Valid UTF-8 multi-byte sequences are kept.
std::string SanitizeText(std::string_view in, size_t max_bytes = 512);

}  // namespace mxsweep
