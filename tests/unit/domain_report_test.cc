// The outreach CSV row: the resolver's notes on what it cut or ignored reach error_detail even
// when the domain's verdict is fine (issue 16).
#include "output/domain_report.h"

#include <gtest/gtest.h>

#include "resolver/mx_policy.h"

namespace mxsweep {
namespace {

using resolver::DnsStatus;
using resolver::HostResult;
using resolver::MxRecord;

HostResult Addresses(const std::string& prefix, int count) {
  HostResult h;
  h.status = DnsStatus::kOk;
  for (int i = 0; i < count; ++i) {
    IpAddress ip;
    EXPECT_TRUE(IpAddress::Parse(prefix + std::to_string(i + 1), &ip));
    h.addresses.push_back(ip);
  }
  return h;
}

// ReadyFacts: an address that completed TLS 1.3 with an EXO suite.
AddressFacts ReadyFacts(const std::string& host, const std::string& ip) {
  AddressFacts f;
  f.host = host;
  f.ip = ip;
  f.cls = AddressClass::kExoReady;
  f.exo_ready = true;
  f.best_version = 0x0304;
  ProbeRecord p;
  p.status = ProbeStatus::kAccepted;
  p.version = 0x0304;
  f.probes.push_back(p);
  return f;
}

// OkDomain builds a domain whose MX set went through the resolver's policy (SelectMxHosts,
// CapAddresses) with |records|; the first host has |addresses| addresses, all ready.
struct OkDomain {
  OkDomain(std::vector<MxRecord> records, int addresses) {
    resolver::MxSelection selection = resolver::SelectMxHosts(std::move(records), 32);
    result.entry.domain = "partner.test";
    result.mx.status = DnsStatus::kOk;
    result.mx.detail = selection.detail;
    for (const MxRecord& r : selection.hosts) {
      resolver::MxHost host;
      host.preference = r.preference;
      host.name = r.host;
      host.address = resolver::CapAddresses(Addresses("192.0.2.", host.name == selection.hosts[0].host ? addresses : 1), 16);
      result.mx.hosts.push_back(host);
    }
    const resolver::MxHost& first = result.mx.hosts[0];
    facts.reserve(first.address.addresses.size());
    for (const IpAddress& ip : first.address.addresses) {
      facts.push_back(ReadyFacts(first.name, ip.ToString()));
      result.addresses.push_back({first.name, &facts.back()});
    }
    result.verdict.verdict = Verdict::kOk;
  }
  std::vector<AddressFacts> facts;
  DomainResult result;
};

TEST(DomainReport, NullMxBesideARealMxIsNoted) {
  OkDomain d({{0, ""}, {10, "mx.partner.test"}}, 1);
  ASSERT_FALSE(d.result.mx.detail.empty()) << "the policy notes the ignored null MX";
  std::string detail = ErrorDetail(d.result);
  EXPECT_NE(detail.find("null MX ignored"), std::string::npos) << detail;
  EXPECT_NE(DomainCsvRow(d.result, {}).find("null MX ignored"), std::string::npos);
}

TEST(DomainReport, MxHostsOverTheCapAreNoted) {
  std::vector<MxRecord> records;
  for (int i = 0; i < 33; ++i) records.push_back({static_cast<uint16_t>(i), "mx" + std::to_string(i) + ".partner.test"});
  OkDomain d(records, 1);
  ASSERT_EQ(d.result.mx.hosts.size(), 32u);
  std::string detail = ErrorDetail(d.result);
  EXPECT_NE(detail.find("33 MX hosts, only the 32 most preferred kept"), std::string::npos) << detail;
}

TEST(DomainReport, AddressesOverTheCapAreNotedWithTheirHost) {
  OkDomain d({{10, "mx.partner.test"}}, 17);
  ASSERT_EQ(d.result.addresses.size(), 16u);
  std::string detail = ErrorDetail(d.result);
  EXPECT_NE(detail.find("mx.partner.test: 17 addresses, only the first 16 kept"), std::string::npos) << detail;
}

TEST(DomainReport, AFailedAddressFamilyIsNoted) {
  HostResult v6;
  v6.status = DnsStatus::kTimeout;
  OkDomain d({{10, "mx.partner.test"}}, 1);
  d.result.mx.hosts[0].address = resolver::CombineFamilies(d.result.mx.hosts[0].address, v6);
  std::string detail = ErrorDetail(d.result);
  EXPECT_NE(detail.find("mx.partner.test: AAAA: timeout"), std::string::npos) << detail;
}

TEST(DomainReport, ANoAddressHostKeepsTheLookupDetail) {
  OkDomain d({{10, "mx.partner.test"}, {20, "bad.partner.test"}}, 1);
  HostResult bad;
  bad.status = DnsStatus::kServFail;
  bad.detail = "REFUSED";
  d.result.mx.hosts[1].address = bad;
  std::string detail = ErrorDetail(d.result);
  EXPECT_NE(detail.find("bad.partner.test: no address (servfail: REFUSED)"), std::string::npos) << detail;
}

TEST(DomainReport, AnUnremarkableDomainHasNoDetail) {
  OkDomain d({{10, "mx.partner.test"}}, 2);
  EXPECT_EQ(ErrorDetail(d.result), "");
}

// Issue 15: input_domain comes after scan_time (the columns before it keep their places), and a
// row that was not swept says why, and where, in error_detail.
TEST(DomainReport, InputRowsSayWhyAndKeepTheirSpelling) {
  EXPECT_EQ(DomainCsvHeader({"owner"}),
            "domain,verdict,impact,action,mx_hosts,legacy_only_hosts,not_probed,cert_problems,error_detail,owner,"
            "scan_time,input_domain\r\n");

  DomainResult invalid;
  invalid.entry.kind = RowKind::kInvalid;
  invalid.entry.line = 4;
  invalid.entry.input_domain = "-bad.example";
  invalid.entry.error = {4, InputErrorKind::kHyphenAtEdge, "label \"-bad\" starts or ends with a hyphen"};
  invalid.entry.columns = {{"owner", "Bob"}};
  invalid.verdict = InputRowVerdict(ExoProfile(), Verdict::kInvalidInput);
  EXPECT_EQ(ErrorDetail(invalid), "line 4: label \"-bad\" starts or ends with a hyphen (hyphen-at-edge)");
  std::string row = DomainCsvRow(invalid, {"owner"});
  EXPECT_EQ(row.rfind(",INVALID_INPUT,", 0), 0u) << "no domain: " << row;
  EXPECT_NE(row.find(",Bob,"), std::string::npos) << row;
  auto ends_with = [](const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
  };
  EXPECT_TRUE(ends_with(row, ",'-bad.example\r\n")) << "neutralised like any cell: " << row;

  DomainResult dup;
  dup.entry.kind = RowKind::kDuplicate;
  dup.entry.domain = "xn--bcher-kva.example";
  dup.entry.input_domain = "Bücher.Example.";
  dup.entry.line = 9;
  dup.entry.first_line = 3;
  dup.verdict = InputRowVerdict(ExoProfile(), Verdict::kDuplicate);
  EXPECT_EQ(ErrorDetail(dup), "line 9: same domain as line 3 (xn--bcher-kva.example); its verdict is on that row");
  row = DomainCsvRow(dup, {});
  EXPECT_EQ(row.rfind("xn--bcher-kva.example,DUPLICATE,", 0), 0u) << row;
  EXPECT_TRUE(ends_with(row, ",Bücher.Example.\r\n")) << row;
}

}  // namespace
}  // namespace mxsweep
