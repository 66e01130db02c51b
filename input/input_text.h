// input_text.h: text rules the domain-name checks and the list reader share (input/ only).
#pragma once

#include <string>
#include <string_view>

#include "input/domain_input.h"

namespace mxsweep::input_text {

// How much of an offending line an error message quotes: enough to find it in the file.
constexpr size_t kExcerptBytes = 80;

bool IsSpace(char c);

// Trim drops spaces and tabs at both ends.
std::string_view Trim(std::string_view s);

// Quoted returns |text| sanitised, cut to kExcerptBytes and in double quotes, for messages.
std::string Quoted(std::string_view text);

// Fail sets |*out_kind| and |*out_message| and returns false.
bool Fail(InputErrorKind kind, std::string message, InputErrorKind* out_kind,
          std::string* out_message);

// CheckText rejects bytes that have no business in a domain list before anything else looks at
// them: invalid UTF-8 (kInvalidUtf8) would make libidn2 and the report writers guess, and
// control characters other than TAB (kControlCharacter, C1 controls included) would reach
// terminals through error messages.
bool CheckText(std::string_view text, InputErrorKind* kind, std::string* message);

}  // namespace mxsweep::input_text
