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

namespace mxsweep {
namespace {

// Reason returns CheckHostName's problem for |name| with edge hyphens refused, as "problem" or
// "problem:label" or "problem:label:character".
std::string Reason(std::string_view name, EdgeHyphens edge = EdgeHyphens::kRefused) {
  HostNameCheck check = CheckHostName(name, edge);
  std::string out(HostNameProblemText(check.problem));
  if (!check.label.empty()) out += ":" + std::string(check.label);
  if (check.character != 0) out += ":" + std::string(1, check.character);
  return out;
}

TEST(HostName, ReasonsArePrecise) {
  EXPECT_EQ(Reason("mx.example"), "");
  EXPECT_EQ(Reason("MX.Example"), "");  // either case: the caller lower-cases
  EXPECT_EQ(Reason(""), "empty name");
  EXPECT_EQ(Reason("a..b"), "empty label");
  EXPECT_EQ(Reason("a.b."), "empty label");
  EXPECT_EQ(Reason(std::string(64, 'x') + ".test"), "label longer than 63 characters:" +
                                                         std::string(64, 'x'));
  EXPECT_EQ(Reason(std::string(254, 'a')), "name longer than 253 characters");
  EXPECT_EQ(Reason("ok.ba d.test"), "character outside letters, digits, '-' and '_':ba d: ");
  EXPECT_EQ(Reason("ok.-edge.test"), "label starting or ending with '-':-edge");
  EXPECT_EQ(Reason("ok.edge-.test"), "label starting or ending with '-':edge-");
}

TEST(HostName, OrderOfChecks) {
  // The name's length before any label; within a label: length, characters, then hyphens.
  EXPECT_EQ(CheckHostName(std::string(300, '*'), EdgeHyphens::kRefused).problem,
            HostNameProblem::kNameTooLong);
  EXPECT_EQ(CheckHostName("a..b c", EdgeHyphens::kRefused).problem, HostNameProblem::kEmptyLabel);
  EXPECT_EQ(CheckHostName("-a b.test", EdgeHyphens::kRefused).problem,
            HostNameProblem::kBadCharacter);
  EXPECT_EQ(CheckHostName(std::string(64, '-'), EdgeHyphens::kRefused).problem,
            HostNameProblem::kLabelTooLong);
}

TEST(HostName, EdgeHyphensAreTheCallersPolicy) {
  EXPECT_EQ(Reason("-mx.example", EdgeHyphens::kAllowed), "");
  EXPECT_EQ(Reason("mx-.example", EdgeHyphens::kAllowed), "");
  // The resolver takes them (names from DNS answers resolve with them).
  EXPECT_EQ(Norm("-MX.example."), "-mx.example");
  EXPECT_EQ(Norm("a..b"), "!empty label");
  EXPECT_EQ(Norm("."), "!empty name");
}

}  // namespace
}  // namespace mxsweep
