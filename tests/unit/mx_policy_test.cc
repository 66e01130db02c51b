// mx_policy_test.cc: the resolver's MX policy on values, no socket: ordering, duplicates, the
// null MX, the caps, the implicit MX and the A/AAAA merge.
#include "resolver/mx_policy.h"

#include <gtest/gtest.h>

namespace mxsweep::resolver {
namespace {

std::vector<std::string> Hosts(const MxSelection& s) {
  std::vector<std::string> out;
  for (const MxRecord& r : s.hosts) out.push_back(std::to_string(r.preference) + " " + r.host);
  return out;
}

IpAddress Ip(const char* text) {
  IpAddress a;
  EXPECT_TRUE(IpAddress::Parse(text, &a)) << text;
  return a;
}

TEST(MxPolicy, OrdersByPreferenceThenName) {
  MxSelection s = SelectMxHosts({{20, "b.example"}, {10, "z.example"}, {20, "a.example"}}, 0);
  EXPECT_FALSE(s.null_mx);
  EXPECT_EQ(Hosts(s), (std::vector<std::string>{"10 z.example", "20 a.example", "20 b.example"}));
  EXPECT_EQ(s.detail, "");
}

TEST(MxPolicy, SameHostTwiceKeepsItsBestPreference) {
  MxSelection s = SelectMxHosts({{30, "mx.example"}, {10, "mx.example"}, {20, "b.example"}}, 0);
  EXPECT_EQ(Hosts(s), (std::vector<std::string>{"10 mx.example", "20 b.example"}));
}

TEST(MxPolicy, NullMxAloneMeansNoMail) {
  MxSelection s = SelectMxHosts({{0, ""}}, 0);
  EXPECT_TRUE(s.null_mx);
  EXPECT_TRUE(s.hosts.empty());
}

TEST(MxPolicy, NullMxBesideRealRecordsIsIgnoredWithANote) {
  MxSelection s = SelectMxHosts({{0, ""}, {10, "mx.example"}}, 0);
  EXPECT_FALSE(s.null_mx);
  EXPECT_EQ(Hosts(s), (std::vector<std::string>{"10 mx.example"}));
  EXPECT_EQ(s.detail, "null MX ignored: published beside other MX records");
}

TEST(MxPolicy, CapKeepsTheMostPreferredAndSaysSo) {
  std::vector<MxRecord> records;
  for (int i = 0; i < 5; i++) records.push_back({static_cast<uint16_t>(50 - i), "mx" + std::to_string(i) + ".example"});
  MxSelection s = SelectMxHosts(records, 2);
  EXPECT_EQ(Hosts(s), (std::vector<std::string>{"46 mx4.example", "47 mx3.example"}));
  EXPECT_EQ(s.detail, "5 MX hosts, only the 2 most preferred kept");
  MxSelection both = SelectMxHosts({{0, ""}, {1, "a.example"}, {2, "b.example"}}, 1);
  EXPECT_EQ(both.detail, "null MX ignored: published beside other MX records; 2 MX hosts, only the 1 most preferred kept");
}

TEST(MxPolicy, ImplicitMxUsesTheDomainsOwnAddresses) {
  HostResult own;
  own.status = DnsStatus::kOk;
  own.addresses = {Ip("192.0.2.1")};
  own.canonical_name = "real.example";
  MxResult r = ImplicitMx("example.com", own);
  EXPECT_EQ(r.status, DnsStatus::kOk);
  EXPECT_TRUE(r.implicit_mx);
  ASSERT_EQ(r.hosts.size(), 1u);
  EXPECT_EQ(r.hosts[0].name, "example.com");
  EXPECT_TRUE(r.hosts[0].is_cname);
}

TEST(MxPolicy, NoMxAndNoAddressIsNoMailButATimeoutStaysAnError) {
  HostResult nodata;
  nodata.status = DnsStatus::kNxDomain;
  MxResult r = ImplicitMx("example.com", nodata);
  EXPECT_EQ(r.status, DnsStatus::kNoData);
  EXPECT_FALSE(r.implicit_mx);
  EXPECT_EQ(r.detail, "no MX; address lookup: nxdomain");
  HostResult timeout;
  timeout.status = DnsStatus::kTimeout;
  timeout.detail = "3 tries";
  r = ImplicitMx("example.com", timeout);
  EXPECT_EQ(r.status, DnsStatus::kTimeout);
  EXPECT_EQ(r.detail, "no MX; address lookup: timeout (3 tries)");
}

TEST(MxPolicy, CombineFamiliesPutsIpv4FirstAndNotesTheOtherFamilysFailure) {
  HostResult v4, v6;
  v4.status = DnsStatus::kOk;
  v4.addresses = {Ip("192.0.2.1")};
  v6.status = DnsStatus::kServFail;
  v6.detail = "SERVFAIL";
  HostResult h = CombineFamilies(v4, v6);
  EXPECT_EQ(h.status, DnsStatus::kOk);
  ASSERT_EQ(h.addresses.size(), 1u);
  EXPECT_EQ(h.detail, "AAAA: servfail (SERVFAIL)");
  v6.status = DnsStatus::kOk;
  v6.addresses = {Ip("2001:db8::1")};
  v6.detail.clear();
  h = CombineFamilies(v4, v6);
  ASSERT_EQ(h.addresses.size(), 2u);
  EXPECT_EQ(h.addresses[0].family, AF_INET);
  EXPECT_EQ(h.detail, "");
  v6.status = DnsStatus::kNoData;  // a plain NODATA is not worth a note
  v6.addresses.clear();
  EXPECT_EQ(CombineFamilies(v4, v6).detail, "");
}

TEST(MxPolicy, CombineFamiliesWithoutAddressesReportsTheMostTellingFailure) {
  HostResult v4, v6;
  v4.status = DnsStatus::kTimeout;
  v6.status = DnsStatus::kNxDomain;
  EXPECT_EQ(CombineFamilies(v4, v6).status, DnsStatus::kNxDomain);
  v6.status = DnsStatus::kNoData;
  EXPECT_EQ(CombineFamilies(v4, v6).status, DnsStatus::kTimeout);
  v4.status = DnsStatus::kNoData;
  EXPECT_EQ(CombineFamilies(v4, v6).status, DnsStatus::kNoData);
}

TEST(MxPolicy, CapAddressesNotesHowManyThereWere) {
  HostResult h;
  h.status = DnsStatus::kOk;
  for (int i = 1; i <= 4; i++) h.addresses.push_back(Ip(("192.0.2." + std::to_string(i)).c_str()));
  HostResult capped = CapAddresses(h, 3);
  EXPECT_EQ(capped.addresses.size(), 3u);
  EXPECT_EQ(capped.detail, "4 addresses, only the first 3 kept");
  EXPECT_EQ(CapAddresses(h, 0).addresses.size(), 4u);
  EXPECT_EQ(CapAddresses(h, 4).detail, "");
}

TEST(MxPolicy, LiteralHostAnswersOnlyForItsFamily) {
  EXPECT_EQ(LiteralHost(Ip("192.0.2.1"), Family::kAny).status, DnsStatus::kOk);
  EXPECT_EQ(LiteralHost(Ip("192.0.2.1"), Family::kIpv4).addresses.size(), 1u);
  HostResult other = LiteralHost(Ip("192.0.2.1"), Family::kIpv6);
  EXPECT_EQ(other.status, DnsStatus::kNoData);
  EXPECT_EQ(other.detail, "address literal of the other family");
}

}  // namespace
}  // namespace mxsweep::resolver
