#include "base/ip_address.h"
#include "scanner/engine/address_prober.h"

#include <gtest/gtest.h>

namespace mxsweep {
namespace {

std::string RangeOf(const char* text) {
  IpAddress addr;
  EXPECT_TRUE(IpAddress::Parse(text, &addr)) << text;
  return std::string(SpecialRange(addr));
}

TEST(IpAddress, ParsesAndPrintsBothFamilies) {
  IpAddress a;
  ASSERT_TRUE(IpAddress::Parse("192.0.2.10", &a));
  EXPECT_EQ(a.family, AF_INET);
  EXPECT_EQ(a.ToString(), "192.0.2.10");
  ASSERT_TRUE(IpAddress::Parse("2001:db8::1", &a));
  EXPECT_EQ(a.family, AF_INET6);
  EXPECT_EQ(a.ToString(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::Parse("mx.example", &a));
  EXPECT_FALSE(IpAddress::Parse("", &a));
  EXPECT_FALSE(IpAddress::Parse("1.2.3.4.5", &a));
}

TEST(IpAddress, SpecialRangesAreNamed) {
  EXPECT_EQ(RangeOf("127.0.0.1"), "loopback");
  EXPECT_EQ(RangeOf("10.1.2.3"), "private");
  EXPECT_EQ(RangeOf("172.31.255.255"), "private");
  EXPECT_EQ(RangeOf("192.168.0.1"), "private");
  EXPECT_EQ(RangeOf("169.254.1.1"), "link-local");
  EXPECT_EQ(RangeOf("100.64.0.1"), "cgnat");
  EXPECT_EQ(RangeOf("224.0.0.1"), "multicast");
  EXPECT_EQ(RangeOf("255.255.255.255"), "reserved");
  EXPECT_EQ(RangeOf("0.0.0.0"), "unspecified");
  EXPECT_EQ(RangeOf("::1"), "loopback");
  EXPECT_EQ(RangeOf("::"), "unspecified");
  EXPECT_EQ(RangeOf("fe80::1"), "link-local");
  EXPECT_EQ(RangeOf("fd00::1"), "private");
  EXPECT_EQ(RangeOf("ff02::1"), "multicast");
  EXPECT_EQ(RangeOf("::ffff:10.0.0.1"), "private");
  EXPECT_EQ(RangeOf("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(RangeOf("64:ff9b::192.168.1.1"), "private");
  EXPECT_EQ(RangeOf("2002:c0a8:0101::1"), "private");
}

TEST(IpAddress, PublicAddressesAreNotSpecial) {
  EXPECT_EQ(RangeOf("8.8.8.8"), "");
  EXPECT_EQ(RangeOf("172.32.0.1"), "");
  EXPECT_EQ(RangeOf("2a00:1450:4001::1"), "");
  EXPECT_EQ(RangeOf("::ffff:8.8.4.4"), "");
}

}  // namespace
}  // namespace mxsweep

namespace mxsweep {
namespace {

TEST(AddressKey, MappedIpv6SharesTheIpv4Key) {
  IpAddress v4, mapped, v6;
  ASSERT_TRUE(IpAddress::Parse("192.0.2.10", &v4));
  ASSERT_TRUE(IpAddress::Parse("::ffff:192.0.2.10", &mapped));
  ASSERT_TRUE(IpAddress::Parse("2001:db8::a", &v6));
  EXPECT_EQ(AddressKey(v4, 25), "192.0.2.10:25");
  EXPECT_EQ(AddressKey(mapped, 25), "192.0.2.10:25") << "one machine: one lane, one probe";
  EXPECT_EQ(AddressKey(v6, 25), "[2001:db8::a]:25");
}

TEST(NetworkKey, Ipv4Slash24Ipv6Slash48MappedAsIpv4) {
  auto key = [](const char* text) {
    IpAddress ip;
    EXPECT_TRUE(IpAddress::Parse(text, &ip)) << text;
    return NetworkKey(ip);
  };
  EXPECT_EQ(key("192.0.2.10"), "192.0.2.0/24");
  EXPECT_EQ(key("192.0.2.255"), "192.0.2.0/24");
  EXPECT_NE(key("192.0.3.1"), key("192.0.2.1"));
  EXPECT_EQ(key("::ffff:192.0.2.10"), "192.0.2.0/24") << "the same machine, the same budget";
  EXPECT_EQ(key("2001:db8:1:2::25"), "2001:db8:1::/48");
  EXPECT_EQ(key("2001:db8:1:ffff::1"), key("2001:db8:1::1"));
  EXPECT_NE(key("2001:db8:2::1"), key("2001:db8:1::1"));
  EXPECT_EQ(key("::1"), "0:0:0::/48");
}

}  // namespace
}  // namespace mxsweep
