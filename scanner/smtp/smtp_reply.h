// smtp_reply.h: incremental parser for SMTP replies (RFC 5321 §4.2), bytes in, replies out.
//
// The parser never reads past the end of the input it is given and stops at the end of each
// complete reply, so the caller can tell what arrived after it (the STARTTLS injection check
// depends on that).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mxsweep::smtp {

struct Reply {
  int code = 0;                    // 200..599
  std::vector<std::string> lines;  // text after "NNN-" / "NNN " (may be empty), raw bytes
};

// ReplyLimits bound what one stranger can make us hold.
struct ReplyLimits {
  // RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including CRLF.
  size_t max_line_octets = 512;
  // A real EHLO reply has ~10–20 lines; 100 leaves room for chatty banners and bounds an endless
  // "250-" stream.
  size_t max_lines_per_reply = 100;
};

enum class ParseError {
  kNone,
  kLineTooLong,     // no line end within max_line_octets
  kBadCode,         // a line that does not start with three digits followed by ' ', '-' or EOL
  kCodeMismatch,    // a continuation line whose code differs from the first line's
  kTooManyLines,    // more than max_lines_per_reply lines in one reply
};

std::string_view ParseErrorName(ParseError error);

class ReplyParser {
 public:
  explicit ReplyParser(ReplyLimits limits = {}) : limits_(limits) {}

  enum class Result { kNeedMore, kReply, kError };

  // Feed consumes bytes from |in| up to and including the end of one reply, storing the number
  // consumed in |*consumed|. It returns kReply when a reply is complete (take it with
  // TakeReply), kNeedMore when all of |in| was consumed without completing one, or kError (see
  // error()); after an error the parser accepts nothing more.
  Result Feed(std::string_view in, size_t* consumed);

  Reply TakeReply();
  ParseError error() const { return error_; }
  // partial() reports whether bytes of an unfinished reply are held.
  bool partial() const { return !line_.empty() || !reply_.lines.empty(); }

 private:
  // FinishLine handles one complete line (without its line end). Returns false on error.
  bool FinishLine(bool* reply_done);

  ReplyLimits limits_;
  std::string line_;
  Reply reply_;
  ParseError error_ = ParseError::kNone;
};

}  // namespace mxsweep::smtp
