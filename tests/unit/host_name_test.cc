#include "base/host_name.h"

#include <gtest/gtest.h>

#include <string>

namespace mxsweep {
namespace {

std::string Norm(const std::string& in) {
  std::string out = "untouched";
  std::string why;
  if (!NormalizeDomainName(in, &out, &why)) return "!" + why;
  return out;
}

TEST(DnsName, LowerCasesAndDropsTrailingDot) {
  EXPECT_EQ(Norm("MX1.Example.COM."), "mx1.example.com");
  EXPECT_EQ(Norm("localhost"), "localhost");
  EXPECT_EQ(Norm("_dmarc.example.com"), "_dmarc.example.com");
  EXPECT_EQ(Norm("a-b.c-d.example"), "a-b.c-d.example");
}

TEST(DnsName, RejectsEmptyAndRoot) {
  EXPECT_EQ(Norm("")[0], '!');
  EXPECT_EQ(Norm(".")[0], '!');
  EXPECT_EQ(Norm("a..b")[0], '!');
  EXPECT_EQ(Norm(".a")[0], '!');
  EXPECT_EQ(Norm("a.b..")[0], '!');
}

TEST(DnsName, LabelAndNameLengthBounds) {
  std::string label63(63, 'a');
  EXPECT_EQ(Norm(label63 + ".test"), label63 + ".test");
  EXPECT_EQ(Norm(std::string(64, 'a') + ".test")[0], '!');
  // 4 labels of 62 + 3 dots = 251; +".a" = 253 is the longest allowed.
  std::string name = std::string(62, 'a') + "." + std::string(62, 'b') + "." +
                     std::string(62, 'c') + "." + std::string(62, 'd') + ".a";
  ASSERT_EQ(name.size(), 253u);
  EXPECT_EQ(Norm(name), name);
  EXPECT_EQ(Norm(name + "."), name);
  EXPECT_EQ(Norm(name + "b")[0], '!');
}

TEST(DnsName, RejectsCharactersOutsideLdhAndUnderscore) {
  for (const char* bad : {"a b.test", "a\\.b.test", "m\xc3\xa4il.test", "a/b", "a@b.test",
                          "a*.test"}) {
    EXPECT_EQ(Norm(bad)[0], '!') << bad;
  }
  std::string with_nul("a\0b.test", 8);
  EXPECT_EQ(Norm(with_nul)[0], '!');
}

TEST(DnsName, FailureLeavesOutputUntouched) {
  std::string out = "keep";
  EXPECT_FALSE(NormalizeDomainName("bad name", &out));
  EXPECT_EQ(out, "keep");
}

}  // namespace
}  // namespace mxsweep
