#include "scanner/verdict/verdict.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace mxsweep {
namespace {

using AC = AddressClass;

AddressOutcome Addr(std::string host, std::string ip, AC cls, bool legacy = false,
                    std::string banner = "") {
  AddressOutcome a;
  a.host = std::move(host);
  a.ip = std::move(ip);
  a.cls = cls;
  a.legacy_accepted = legacy;
  a.banner = std::move(banner);
  return a;
}

DomainDns Resolved() {
  DomainDns dns;
  dns.any_address = true;
  return dns;
}

DomainVerdict Decide(const std::vector<AddressOutcome>& addresses, DomainDns dns = Resolved()) {
  return DecideVerdict(ExoProfile(), dns, addresses);
}

std::string Name(const DomainVerdict& v) { return std::string(VerdictName(v.verdict)); }

TEST(Verdict, NamesAreTheContract) {
  std::vector<std::string> names;
  for (Verdict v : kAllVerdicts) names.emplace_back(VerdictName(v));
  EXPECT_EQ(names,
            (std::vector<std::string>{"OK", "OK_LEGACY_ENABLED", "PARTIAL", "LEGACY_ONLY",
                                      "NO_SHARED_CIPHER", "TLS13_ONLY", "NO_STARTTLS", "TLS_BROKEN",
                                      "UNREACHABLE", "TEMPFAIL", "NO_MAIL", "DNS_ERROR",
                                      "INVALID_INPUT", "DUPLICATE"}));
  for (Verdict v : kAllVerdicts) {
    Verdict back;
    ASSERT_TRUE(VerdictFromName(VerdictName(v), &back));
    EXPECT_EQ(back, v);
  }
  Verdict out;
  EXPECT_FALSE(VerdictFromName("ok", &out));
}

TEST(Verdict, AddressClassNamesAndProbed) {
  std::set<std::string> names;
  for (AC cls : kAllAddressClasses) names.emplace(AddressClassName(cls));
  EXPECT_EQ(names.size(), kAddressClassCount);
  EXPECT_EQ(AddressClassName(AC::kExoReady), "exo-ready");
  EXPECT_TRUE(IsProbed(AC::kExoReady));
  EXPECT_TRUE(IsProbed(AC::kTlsBroken));
  EXPECT_FALSE(IsProbed(AC::kTempFail));
  EXPECT_FALSE(IsProbed(AC::kUnreachable));
  EXPECT_FALSE(IsProbed(AC::kRefused));
}

TEST(Verdict, ExoTableIsComplete) {
  const Profile& p = ExoProfile();
  for (size_t i = 0; i < kVerdictCount; i++) {
    const VerdictRule& rule = p.verdicts[i];
    EXPECT_EQ(rule.verdict, kAllVerdicts[i]) << "row " << i << " out of order";
    EXPECT_FALSE(rule.impact.empty()) << VerdictName(rule.verdict);
    EXPECT_FALSE(rule.action.empty()) << VerdictName(rule.verdict);
  }
  for (size_t i = 0; i < kAddressClassCount; i++) {
    const ClassRule& rule = p.classes[i];
    EXPECT_EQ(rule.cls, kAllAddressClasses[i]) << "row " << i << " out of order";
    // The profile's roles agree with the shared notion of "probed".
    EXPECT_EQ(rule.role == ClassRole::kNotProbed, !IsProbed(rule.cls))
        << AddressClassName(rule.cls);
  }
  EXPECT_EQ(RuleFor(p, Verdict::kPartial).verdict, Verdict::kPartial);
  // Rescan and check-input texts for the verdicts that say nothing about TLS.
  EXPECT_EQ(RuleFor(p, Verdict::kUnreachable).urgency, Urgency::kRescan);
  EXPECT_EQ(RuleFor(p, Verdict::kTempFail).urgency, Urgency::kRescan);
  EXPECT_EQ(RuleFor(p, Verdict::kNoMail).urgency, Urgency::kCheckInput);
  EXPECT_EQ(RuleFor(p, Verdict::kDnsError).urgency, Urgency::kCheckInput);
  // The partner -> EXO direction is qualified wherever it is claimed.
  EXPECT_NE(RuleFor(p, Verdict::kLegacyOnly).impact.find("not proof"), std::string_view::npos);
}

TEST(Verdict, DnsOutcomes) {
  DomainDns dns;
  dns.null_mx = true;
  EXPECT_EQ(Name(Decide({}, dns)), "NO_MAIL");
  dns = DomainDns{};
  dns.status = resolver::DnsStatus::kNxDomain;
  EXPECT_EQ(Name(Decide({}, dns)), "NO_MAIL");
  dns.status = resolver::DnsStatus::kNoData;  // no MX, no implicit MX address
  EXPECT_EQ(Name(Decide({}, dns)), "NO_MAIL");
  dns.status = resolver::DnsStatus::kOk;  // MX hosts, none with an address
  dns.unresolved_hosts = {"mx.gone.example"};
  DomainVerdict v = Decide({}, dns);
  EXPECT_EQ(Name(v), "NO_MAIL");
  ASSERT_EQ(v.not_probed.size(), 1u);
  EXPECT_EQ(v.not_probed[0].host, "mx.gone.example");
  dns.host_lookup_failed = true;  // ... because the lookups timed out: retry may help
  EXPECT_EQ(Name(Decide({}, dns)), "DNS_ERROR");
  for (auto status : {resolver::DnsStatus::kServFail, resolver::DnsStatus::kTimeout,
                      resolver::DnsStatus::kError, resolver::DnsStatus::kBadName}) {
    DomainDns failed;
    failed.status = status;
    EXPECT_EQ(Name(Decide({}, failed)), "DNS_ERROR") << static_cast<int>(status);
  }
}

TEST(Verdict, SummariseDnsFromResolver) {
  resolver::MxResult mx;
  mx.status = resolver::DnsStatus::kOk;
  resolver::MxHost good;
  good.name = "mx1.example.com";
  good.address.status = resolver::DnsStatus::kOk;
  good.address.addresses.resize(1);
  resolver::MxHost timed_out;
  timed_out.name = "mx2.example.com";
  timed_out.address.status = resolver::DnsStatus::kTimeout;
  mx.hosts = {good, timed_out};
  DomainDns dns = SummariseDns(mx);
  EXPECT_TRUE(dns.any_address);
  EXPECT_TRUE(dns.host_lookup_failed);
  EXPECT_EQ(dns.unresolved_hosts, std::vector<std::string>{"mx2.example.com"});
  mx.null_mx = true;
  mx.hosts.clear();
  dns = SummariseDns(mx);
  EXPECT_TRUE(dns.null_mx);
  EXPECT_FALSE(dns.any_address);
}

TEST(Verdict, SingleStates) {
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kExoReady)})), "OK");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kExoReady, true)})), "OK_LEGACY_ENABLED");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kLegacyOnly, true)})), "LEGACY_ONLY");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kNoSharedCipher)})), "NO_SHARED_CIPHER");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kTls13Only)})), "TLS13_ONLY");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kNoStartTls)})), "NO_STARTTLS");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kTlsBroken)})), "TLS_BROKEN");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kUnreachable)})), "UNREACHABLE");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kRefused)})), "UNREACHABLE");
  EXPECT_EQ(Name(Decide({Addr("mx", "192.0.2.1", AC::kTempFail)})), "TEMPFAIL");
  // DNS said there are addresses but none reached the verdict: nothing probed.
  EXPECT_EQ(Name(Decide({})), "UNREACHABLE");
}

TEST(Verdict, ModernPrimaryLegacyBackupIsPartial) {
  DomainVerdict v = Decide({Addr("mx1.example.com", "192.0.2.1", AC::kExoReady),
                            Addr("mx1.example.com", "2001:db8::1", AC::kExoReady),
                            Addr("backup.example.net", "198.51.100.7", AC::kLegacyOnly, true,
                                 "backup.example.net ESMTP Postfix (Debian/GNU)")});
  EXPECT_EQ(Name(v), "PARTIAL");
  ASSERT_EQ(v.failing.size(), 1u);
  EXPECT_EQ(v.failing[0].host, "backup.example.net");
  EXPECT_EQ(v.ready.size(), 2u);
  EXPECT_NE(v.action.find("backup.example.net (198.51.100.7)"), std::string::npos) << v.action;
  EXPECT_EQ(v.action.find("mx1.example.com"), std::string::npos) << v.action;
  ASSERT_EQ(v.hints.size(), 1u);
  EXPECT_EQ(v.hints[0]->mta, "Postfix");
  EXPECT_NE(v.hints[0]->text.find("smtpd_tls_mandatory_protocols"), std::string_view::npos);
}

TEST(Verdict, AllLegacyIsLegacyOnly) {
  DomainVerdict v = Decide({Addr("mx1", "192.0.2.1", AC::kLegacyOnly, true),
                            Addr("mx2", "192.0.2.2", AC::kLegacyOnly, true)});
  EXPECT_EQ(Name(v), "LEGACY_ONLY");
  EXPECT_EQ(v.failing.size(), 2u);
  EXPECT_EQ(v.rule->urgency, Urgency::kUrgent);
  EXPECT_NE(v.action.find("mx1 (192.0.2.1), mx2 (192.0.2.2)"), std::string::npos) << v.action;
}

TEST(Verdict, DifferingFailuresFollowTheOrder) {
  // legacy + no STARTTLS -> LEGACY_ONLY, whatever the address order.
  EXPECT_EQ(Name(Decide({Addr("a", "192.0.2.1", AC::kNoStartTls),
                         Addr("b", "192.0.2.2", AC::kLegacyOnly)})),
            "LEGACY_ONLY");
  EXPECT_EQ(Name(Decide({Addr("a", "192.0.2.1", AC::kTlsBroken),
                         Addr("b", "192.0.2.2", AC::kNoSharedCipher)})),
            "NO_SHARED_CIPHER");
  EXPECT_EQ(
      Name(Decide({Addr("a", "192.0.2.1", AC::kTlsBroken), Addr("b", "192.0.2.2", AC::kNoStartTls),
                   Addr("c", "192.0.2.3", AC::kTls13Only)})),
      "TLS13_ONLY");
  EXPECT_EQ(Name(Decide(
                {Addr("a", "192.0.2.1", AC::kTlsBroken), Addr("b", "192.0.2.2", AC::kNoStartTls)})),
            "NO_STARTTLS");
}

TEST(Verdict, UnprobedAddressesDoNotDecide) {
  DomainVerdict v =
      Decide({Addr("mx1", "192.0.2.1", AC::kExoReady), Addr("mx2", "192.0.2.2", AC::kUnreachable)});
  EXPECT_EQ(Name(v), "OK");
  ASSERT_EQ(v.not_probed.size(), 1u);
  EXPECT_EQ(v.not_probed[0].host, "mx2");
  EXPECT_EQ(Name(Decide({Addr("mx1", "192.0.2.1", AC::kLegacyOnly),
                         Addr("mx2", "192.0.2.2", AC::kTempFail)})),
            "LEGACY_ONLY");
  // Nothing probed: TEMPFAIL when a 4xx was seen anywhere, else UNREACHABLE.
  DomainVerdict t =
      Decide({Addr("mx1", "192.0.2.1", AC::kUnreachable), Addr("mx2", "192.0.2.2", AC::kTempFail),
              Addr("mx3", "10.0.0.1", AC::kRefused)});
  EXPECT_EQ(Name(t), "TEMPFAIL");
  EXPECT_EQ(t.not_probed.size(), 3u);
  EXPECT_NE(t.action.find("mx1 (192.0.2.1)"), std::string::npos) << t.action;
  EXPECT_EQ(Name(Decide({Addr("mx1", "192.0.2.1", AC::kUnreachable),
                         Addr("mx3", "10.0.0.1", AC::kRefused)})),
            "UNREACHABLE");
}

TEST(Verdict, LegacyEnabledNamesTheLegacyHostsAndHints) {
  DomainVerdict v = Decide({Addr("mx1", "192.0.2.1", AC::kExoReady, false, "mx1 ESMTP Exim 4.96"),
                            Addr("mx2", "192.0.2.2", AC::kExoReady, true, "mx2 ESMTP Exim 4.96")});
  EXPECT_EQ(Name(v), "OK_LEGACY_ENABLED");
  ASSERT_EQ(v.legacy.size(), 1u);
  EXPECT_NE(v.action.find("mx2 (192.0.2.2)"), std::string::npos) << v.action;
  EXPECT_EQ(v.action.find("mx1"), std::string::npos) << v.action;
  ASSERT_EQ(v.hints.size(), 1u);
  EXPECT_EQ(v.hints[0]->topic, HintTopic::kDisableLegacy);
  EXPECT_NE(v.hints[0]->text.find("openssl_options"), std::string_view::npos);
}

TEST(Verdict, HintsMatchTheBanner) {
  struct Case {
    const char* banner;
    AC cls;
    const char* mta;
    const char* needle;
  };
  const Case cases[] = {
      {"mx ESMTP Postfix", AC::kLegacyOnly, "Postfix", "smtpd_tls_protocols"},
      {"mx ESMTP Exim 4.92 Mon, 1 Jan 2024", AC::kNoSharedCipher, "Exim", "tls_require_ciphers"},
      {"EX01.corp.example Microsoft ESMTP MAIL Service ready", AC::kLegacyOnly, "Exchange",
       "SCHANNEL"},
      {"mail.example.com ESMTP Sendmail 8.15.2/8.15.2", AC::kTlsBroken, "Sendmail", "CipherList"},
      {"esa1.example.iphmx.com ESMTP IronPort", AC::kLegacyOnly, "Cisco ESA", "sslconfig"},
      {"mx ESMTP Postfix", AC::kNoStartTls, "Postfix", "smtpd_tls_security_level"},
  };
  for (const Case& c : cases) {
    DomainVerdict v = Decide({Addr("mx", "192.0.2.1", c.cls, false, c.banner)});
    ASSERT_EQ(v.hints.size(), 1u) << c.banner;
    EXPECT_EQ(v.hints[0]->mta, c.mta);
    EXPECT_NE(v.hints[0]->text.find(c.needle), std::string_view::npos) << c.banner;
  }
  // No hint for an MTA we do not know, none for a ready host, none twice.
  EXPECT_TRUE(
      Decide({Addr("mx", "192.0.2.1", AC::kLegacyOnly, false, "mx ESMTP ready")}).hints.empty());
  EXPECT_TRUE(
      Decide({Addr("mx", "192.0.2.1", AC::kExoReady, false, "mx ESMTP Postfix")}).hints.empty());
  EXPECT_EQ(Decide({Addr("a", "192.0.2.1", AC::kLegacyOnly, false, "a ESMTP Postfix"),
                    Addr("b", "192.0.2.2", AC::kLegacyOnly, false, "b ESMTP Postfix")})
                .hints.size(),
            1u);
}

TEST(Verdict, FormatHostsGroupsAndBounds) {
  std::vector<HostRef> hosts = {{"mx1", "192.0.2.1", AC::kLegacyOnly},
                                {"mx1", "2001:db8::1", AC::kLegacyOnly},
                                {"mx2", "", AC::kUnreachable},
                                {"mx3", "192.0.2.3", AC::kLegacyOnly}};
  EXPECT_EQ(FormatHosts(hosts), "mx1 (192.0.2.1, 2001:db8::1), mx2, mx3 (192.0.2.3)");
  EXPECT_EQ(FormatHosts(hosts, 1), "mx1 (192.0.2.1, 2001:db8::1) and 2 more");
  EXPECT_EQ(FormatHosts({}), "");
}

// The final line of `scan` and its exit code rest on this split (issue 15).
TEST(Verdict, CertaintyOfEachVerdict) {
  std::map<Certainty, std::vector<std::string>> by;
  for (Verdict v : kAllVerdicts) by[CertaintyOf(v)].emplace_back(VerdictName(v));
  EXPECT_EQ(by[Certainty::kDefinite],
            (std::vector<std::string>{"OK", "OK_LEGACY_ENABLED", "PARTIAL", "LEGACY_ONLY", "NO_SHARED_CIPHER",
                                      "TLS13_ONLY", "NO_STARTTLS", "TLS_BROKEN", "NO_MAIL"}));
  EXPECT_EQ(by[Certainty::kInconclusive], (std::vector<std::string>{"UNREACHABLE", "TEMPFAIL", "DNS_ERROR"}));
  EXPECT_EQ(by[Certainty::kInputRow], (std::vector<std::string>{"INVALID_INPUT", "DUPLICATE"}));
}

TEST(Verdict, InputRowVerdictsCarryTheProfileTexts) {
  for (Verdict v : {Verdict::kInvalidInput, Verdict::kDuplicate}) {
    DomainVerdict d = InputRowVerdict(ExoProfile(), v);
    EXPECT_EQ(d.verdict, v);
    ASSERT_NE(d.rule, nullptr);
    EXPECT_EQ(d.rule->verdict, v);
    EXPECT_EQ(d.action, d.rule->action);
    EXPECT_TRUE(d.failing.empty() && d.not_probed.empty() && d.hints.empty());
  }
  EXPECT_NE(InputRowVerdict(ExoProfile(), Verdict::kInvalidInput).action.find("Fix the input row"), std::string::npos);
  EXPECT_EQ(InputRowVerdict(ExoProfile(), Verdict::kDuplicate).action.rfind("Nothing", 0), 0u);
}

TEST(Verdict, EveryVerdictIsReachable) {
  // Enumerate DNS outcomes and every pair of address classes with both legacy flags; each
  // verdict of the closed set must come out of at least one — except the input-row verdicts,
  // which no evidence can produce.
  std::set<Verdict> seen;
  std::vector<DomainDns> dns_cases;
  for (auto status :
       {resolver::DnsStatus::kOk, resolver::DnsStatus::kNxDomain, resolver::DnsStatus::kServFail}) {
    DomainDns d;
    d.status = status;
    dns_cases.push_back(d);
  }
  dns_cases.push_back(Resolved());
  for (const DomainDns& dns : dns_cases) {
    seen.insert(Decide({}, dns).verdict);
    for (AC a : kAllAddressClasses) {
      for (AC b : kAllAddressClasses) {
        for (int legacy = 0; legacy < 4; legacy++) {
          DomainVerdict v = Decide(
              {Addr("a", "192.0.2.1", a, legacy & 1), Addr("b", "192.0.2.2", b, legacy & 2)}, dns);
          ASSERT_NE(v.rule, nullptr);
          EXPECT_EQ(v.rule->verdict, v.verdict);
          EXPECT_EQ(v.action.find("{hosts}"), std::string::npos);
          seen.insert(v.verdict);
        }
      }
    }
  }
  for (Verdict v : kAllVerdicts) {
    bool input_row = CertaintyOf(v) == Certainty::kInputRow;
    EXPECT_EQ(seen.count(v) != 0, !input_row) << VerdictName(v) << (input_row ? " is reachable" : " is unreachable");
  }
}

}  // namespace
}  // namespace mxsweep
