// host_port_test.cc: the one reader of "HOST:PORT" for --resolver and `probe`.
#include "base/host_port.h"

#include <gtest/gtest.h>

namespace mxsweep {
namespace {

std::string Split(std::string_view text) {
  HostPort hp;
  switch (SplitHostPort(text, &hp)) {
    case HostPortError::kBracket: return "!bracket";
    case HostPortError::kPort: return "!port";
    case HostPortError::kNone: break;
  }
  return hp.host + (hp.port ? "|" + std::to_string(*hp.port) : "");
}

TEST(HostPort, Forms) {
  EXPECT_EQ(Split("mx.example"), "mx.example");
  EXPECT_EQ(Split("mx.example:2525"), "mx.example|2525");
  EXPECT_EQ(Split("127.0.0.1:53"), "127.0.0.1|53");
  EXPECT_EQ(Split("::1"), "::1") << "a bare IPv6 address has no port";
  EXPECT_EQ(Split("[::1]"), "::1");
  EXPECT_EQ(Split("[::1]:5353"), "::1|5353");
}

TEST(HostPort, Errors) {
  EXPECT_EQ(Split("127.0.0.1:0"), "!port");
  EXPECT_EQ(Split("127.0.0.1:65536"), "!port");
  EXPECT_EQ(Split("127.0.0.1:"), "!port");
  EXPECT_EQ(Split("127.0.0.1:smtp"), "!port");
  EXPECT_EQ(Split("[::1]:99999"), "!port");
  EXPECT_EQ(Split("[::1"), "!bracket");
  EXPECT_EQ(Split("[::1]x"), "!bracket");
}

}  // namespace
}  // namespace mxsweep
