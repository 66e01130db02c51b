// fuzz_smtp_reply: the SMTP reply parser fed arbitrary server bytes in arbitrary pieces.
//
// The first input byte picks the piece size, so the fuzzer explores how a reply split across
// reads is reassembled. Invariants checked: the parser never consumes more than it is given, never
// returns a line longer than the bound, never more lines than the bound, and every reply code is
// 200..599.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scanner/smtp/smtp_reply.h"

using mxsweep::smtp::ReplyLimits;
using mxsweep::smtp::ReplyParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = static_cast<size_t>(data[0] % 64) + 1;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  ReplyLimits limits;
  ReplyParser parser(limits);
  while (!in.empty()) {
    std::string_view chunk = in.substr(0, piece);
    while (!chunk.empty()) {
      size_t consumed = 0;
      ReplyParser::Result r = parser.Feed(chunk, &consumed);
      if (consumed > chunk.size()) std::abort();
      chunk.remove_prefix(consumed);
      if (r == ReplyParser::Result::kError) return 0;
      if (r == ReplyParser::Result::kNeedMore) {
        if (!chunk.empty()) std::abort();  // kNeedMore means everything was taken
        break;
      }
      mxsweep::smtp::Reply reply = parser.TakeReply();
      if (reply.code < 200 || reply.code > 599) std::abort();
      if (reply.lines.empty() || reply.lines.size() > limits.max_lines_per_reply) std::abort();
      for (const auto& line : reply.lines) {
        if (line.size() + 4 > limits.max_line_octets) std::abort();
      }
    }
    in.remove_prefix(std::min(piece, in.size()));
  }
  return 0;
}
