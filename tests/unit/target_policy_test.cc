// target_policy_test.cc: the one rule that keeps `scan` and `probe` off inside networks.
#include "scanner/engine/target_policy.h"

#include <gtest/gtest.h>

namespace mxsweep {
namespace {

IpAddress Ip(const char* text) {
  IpAddress a;
  EXPECT_TRUE(IpAddress::Parse(text, &a)) << text;
  return a;
}

TEST(TargetPolicy, PublicAddressesAreAlwaysAllowed) {
  TargetPolicy policy;
  EXPECT_EQ(RefusedRange(Ip("8.8.8.8"), policy), "");
  EXPECT_EQ(RefusedRange(Ip("2a00:1450::1"), policy), "");
}

TEST(TargetPolicy, SpecialRangesAreRefusedByName) {
  TargetPolicy policy;
  EXPECT_EQ(RefusedRange(Ip("10.1.2.3"), policy), "private");
  EXPECT_EQ(RefusedRange(Ip("127.0.0.1"), policy), "loopback");
  EXPECT_EQ(RefusedRange(Ip("::ffff:192.168.1.1"), policy), "private");
}

TEST(TargetPolicy, AllowPrivateOpensEveryRange) {
  TargetPolicy policy;
  policy.allow_private = true;
  EXPECT_EQ(RefusedRange(Ip("10.1.2.3"), policy), "");
  EXPECT_EQ(RefusedRange(Ip("127.0.0.1"), policy), "");
}

TEST(TargetPolicy, AnAllowedRangeOpensOnlyThatRange) {
  // The demo's policy: its loopback fleet, but an MX pointing into private space stays refused.
  TargetPolicy policy;
  policy.allowed_ranges = {"loopback"};
  EXPECT_EQ(RefusedRange(Ip("127.0.0.1"), policy), "");
  EXPECT_EQ(RefusedRange(Ip("192.168.0.1"), policy), "private");
}

}  // namespace
}  // namespace mxsweep
