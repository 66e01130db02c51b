#include "scanner/smtp/smtp_reply.h"

#include <gtest/gtest.h>

namespace mxsweep::smtp {
namespace {

// FeedAll pushes |input| through |parser| in chunks of |chunk| bytes and collects the replies.
std::vector<Reply> FeedAll(ReplyParser& parser, std::string_view input, size_t chunk,
                           ParseError* error = nullptr) {
  std::vector<Reply> out;
  for (size_t pos = 0; pos < input.size();) {
    std::string_view piece = input.substr(pos, chunk);
    while (!piece.empty()) {
      size_t consumed = 0;
      ReplyParser::Result r = parser.Feed(piece, &consumed);
      piece.remove_prefix(consumed);
      if (r == ReplyParser::Result::kReply) out.push_back(parser.TakeReply());
      if (r == ReplyParser::Result::kError) {
        if (error) *error = parser.error();
        return out;
      }
    }
    pos += chunk;
  }
  return out;
}

class ReplyChunkTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ReplyChunkTest, MultiLineRepliesInAnyChunking) {
  ReplyParser parser;
  std::string input =
      "220-mx.example ESMTP\r\n220 ready\r\n"
      "250-mx.example\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
      "221\r\n";
  std::vector<Reply> replies = FeedAll(parser, input, GetParam());
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].code, 220);
  EXPECT_EQ(replies[0].lines, (std::vector<std::string>{"mx.example ESMTP", "ready"}));
  EXPECT_EQ(replies[1].code, 250);
  EXPECT_EQ(replies[1].lines.size(), 4u);
  EXPECT_EQ(replies[1].lines[2], "STARTTLS");
  EXPECT_EQ(replies[2].code, 221);
  EXPECT_EQ(replies[2].lines, std::vector<std::string>{""});
  EXPECT_FALSE(parser.partial());
}

INSTANTIATE_TEST_SUITE_P(Chunks, ReplyChunkTest, ::testing::Values(1, 2, 3, 7, 64, 4096));

TEST(ReplyParser, StopsAtTheEndOfEachReply) {
  ReplyParser parser;
  std::string_view input = "220 go ahead\r\n\x16\x03\x01";
  size_t consumed = 0;
  ASSERT_EQ(parser.Feed(input, &consumed), ReplyParser::Result::kReply);
  EXPECT_EQ(consumed, 14u);  // the TLS bytes after it are left for the caller
}

TEST(ReplyParser, AcceptsBareLf) {
  ReplyParser parser;
  auto replies = FeedAll(parser, "250-a\n250 b\n", 100);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].lines, (std::vector<std::string>{"a", "b"}));
}

TEST(ReplyParser, LineOf512OctetsIsTheLimit) {
  std::string ok = "250 " + std::string(506, 'x') + "\r\n";  // 512 with CRLF
  ReplyParser a;
  EXPECT_EQ(FeedAll(a, ok, 1).size(), 1u);
  std::string too_long = "250 " + std::string(507, 'x') + "\r\n";
  ReplyParser b;
  ParseError error = ParseError::kNone;
  EXPECT_TRUE(FeedAll(b, too_long, 1, &error).empty());
  EXPECT_EQ(error, ParseError::kLineTooLong);
}

TEST(ReplyParser, LineWithoutEndIsBounded) {
  ReplyParser parser;
  ParseError error = ParseError::kNone;
  FeedAll(parser, std::string(100000, 'a'), 4096, &error);
  EXPECT_EQ(error, ParseError::kLineTooLong);
}

TEST(ReplyParser, EndlessContinuationIsBounded) {
  ReplyParser parser;
  std::string input;
  for (int i = 0; i < 200; i++) input += "250-more\r\n";
  ParseError error = ParseError::kNone;
  EXPECT_TRUE(FeedAll(parser, input, 10, &error).empty());
  EXPECT_EQ(error, ParseError::kTooManyLines);
}

TEST(ReplyParser, CodeChangingBetweenLinesIsAnError) {
  ReplyParser parser;
  ParseError error = ParseError::kNone;
  FeedAll(parser, "250-a\r\n220 b\r\n", 100, &error);
  EXPECT_EQ(error, ParseError::kCodeMismatch);
}

TEST(ReplyParser, MalformedCodes) {
  for (std::string bad : {"hello\r\n", "25\r\n", "2500 x\r\n", "250x\r\n", "650 x\r\n", "\x16\x03\x01\r\n"}) {
    ReplyParser parser;
    ParseError error = ParseError::kNone;
    FeedAll(parser, bad, 1, &error);
    EXPECT_EQ(error, ParseError::kBadCode) << bad;
  }
}

TEST(ReplyParser, NothingAfterAnError) {
  ReplyParser parser;
  size_t consumed;
  EXPECT_EQ(parser.Feed("xyz\r\n", &consumed), ReplyParser::Result::kError);
  EXPECT_EQ(parser.Feed("250 ok\r\n", &consumed), ReplyParser::Result::kError);
  EXPECT_EQ(consumed, 0u);
}

}  // namespace
}  // namespace mxsweep::smtp
