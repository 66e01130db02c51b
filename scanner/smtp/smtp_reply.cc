#include "scanner/smtp/smtp_reply.h"

#include <cstring>

namespace mxsweep::smtp {

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kNone: return "none";
    case ParseError::kLineTooLong: return "reply line too long";
    case ParseError::kBadCode: return "malformed reply code";
    case ParseError::kCodeMismatch: return "reply code changed between lines";
    case ParseError::kTooManyLines: return "too many lines in one reply";
  }
  return "unknown";
}

ReplyParser::Result ReplyParser::Feed(std::string_view in, size_t* consumed) {
  *consumed = 0;
  if (error_ != ParseError::kNone) return Result::kError;
  size_t pos = 0;
  while (pos < in.size()) {
    const void* lf = std::memchr(in.data() + pos, '\n', in.size() - pos);
    size_t end = lf ? static_cast<const char*>(lf) - in.data() : in.size();
    // The bound counts the line end, as RFC 5321 does.
    if (line_.size() + (end - pos) + (lf ? 1 : 0) > limits_.max_line_octets) {
      error_ = ParseError::kLineTooLong;
      *consumed = pos;
      return Result::kError;
    }
    line_.append(in.data() + pos, end - pos);
    if (!lf) {
      *consumed = in.size();
      return Result::kNeedMore;
    }
    pos = end + 1;
    // Servers that end lines with a bare LF exist; accept both.
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    bool reply_done = false;
    if (!FinishLine(&reply_done)) {
      *consumed = pos;
      return Result::kError;
    }
    if (reply_done) {
      *consumed = pos;
      return Result::kReply;
    }
  }
  *consumed = pos;
  return Result::kNeedMore;
}

bool ReplyParser::FinishLine(bool* reply_done) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::string& l = line_;
  if (l.size() < 3 || !digit(l[0]) || !digit(l[1]) || !digit(l[2]) || l[0] < '2' || l[0] > '5' ||
      (l.size() > 3 && l[3] != ' ' && l[3] != '-')) {
    error_ = ParseError::kBadCode;
    return false;
  }
  int code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
  if (reply_.lines.empty()) {
    reply_.code = code;
  } else if (code != reply_.code) {
    error_ = ParseError::kCodeMismatch;
    return false;
  }
  if (reply_.lines.size() >= limits_.max_lines_per_reply) {
    error_ = ParseError::kTooManyLines;
    return false;
  }
  reply_.lines.emplace_back(l.size() > 4 ? l.substr(4) : std::string());
  // "NNN" alone (no text) ends a reply, as "NNN " does.
  *reply_done = l.size() == 3 || l[3] == ' ';
  line_.clear();
  return true;
}

Reply ReplyParser::TakeReply() {
  Reply out = std::move(reply_);
  reply_ = Reply();
  return out;
}

}  // namespace mxsweep::smtp
