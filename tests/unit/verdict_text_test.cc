// The texts around a verdict: the one-line meanings `--help` shows, the port an action names,
// and the plain words for an MX that points into private space.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scanner/engine/address_prober.h"
#include "scanner/verdict/verdict.h"

namespace mxsweep {
namespace {

DomainDns Resolved() {
  DomainDns dns;
  dns.any_address = true;
  return dns;
}

AddressOutcome Refused(std::string host, std::string ip, bool private_space) {
  AddressOutcome a;
  a.host = std::move(host);
  a.ip = std::move(ip);
  a.cls = AddressClass::kRefused;
  a.private_space = private_space;
  return a;
}

TEST(VerdictText, EveryVerdictHasAOneLineMeaning) {
  for (Verdict v : kAllVerdicts) {
    std::string_view meaning = VerdictMeaning(v);
    EXPECT_FALSE(meaning.empty()) << VerdictName(v);
    EXPECT_EQ(meaning.find('\n'), std::string_view::npos) << VerdictName(v);
    // --help is read in terminals that may not show UTF-8: ">=" rather than a symbol.
    for (char c : meaning) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << VerdictName(v);
  }
}

TEST(VerdictText, NoProfileTextKeepsASlotUnfilled) {
  const Profile& p = ExoProfile();
  std::vector<const VerdictRule*> rules;
  for (const VerdictRule& rule : p.verdicts) rules.push_back(&rule);
  rules.push_back(&p.private_space);
  for (const VerdictRule* rule : rules) {
    // The impact is written as it stands: it must not carry a slot.
    EXPECT_EQ(rule->impact.find('{'), std::string_view::npos) << VerdictName(rule->verdict);
  }
  EXPECT_EQ(p.private_space.verdict, p.nothing_probed) << "the same verdict, other words";
  EXPECT_FALSE(p.private_space.impact.empty());
  EXPECT_FALSE(p.private_space.action.empty());
}

TEST(VerdictText, TheActionNamesThePortThatWasProbed) {
  AddressOutcome dead;
  dead.host = "mx.dead.test";
  dead.ip = "127.0.0.9";
  dead.cls = AddressClass::kUnreachable;
  dead.port = 2525;
  DomainVerdict v = DecideVerdict(ExoProfile(), Resolved(), {dead});
  EXPECT_EQ(v.verdict, Verdict::kUnreachable);
  EXPECT_NE(v.action.find("on port 2525"), std::string::npos) << v.action;
  EXPECT_EQ(v.action.find("port 25."), std::string::npos) << v.action;
  EXPECT_EQ(v.action.find('{'), std::string::npos) << v.action;
  dead.port = 25;
  v = DecideVerdict(ExoProfile(), Resolved(), {dead});
  EXPECT_NE(v.action.find("on port 25."), std::string::npos) << v.action;
}

TEST(VerdictText, OutcomeCarriesThePortAndWhetherTheAddressIsPrivate) {
  AddressTarget target;
  ASSERT_TRUE(IpAddress::Parse("127.0.0.25", &target.ip));
  target.port = 2525;
  target.host_name = "mx.inside.test";
  AddressOutcome refused =
      OutcomeOf(RefusedFacts(target, ProbeStatus::kTargetRefused, "private address refused"), "");
  EXPECT_EQ(refused.port, 2525);
  EXPECT_TRUE(refused.private_space);
  AddressOutcome excluded = OutcomeOf(RefusedFacts(target, ProbeStatus::kExcluded, "excluded by x"), "");
  EXPECT_EQ(excluded.cls, AddressClass::kRefused);
  EXPECT_FALSE(excluded.private_space) << "--exclude is the user's choice, not the partner's DNS";
}

TEST(VerdictText, AnMxInPrivateSpaceIsSaidPlainly) {
  DomainVerdict v = DecideVerdict(ExoProfile(), Resolved(),
                                  {Refused("mx.inside.test", "127.0.0.25", true),
                                   Refused("mx2.inside.test", "::1", true)});
  EXPECT_EQ(v.verdict, Verdict::kUnreachable);
  ASSERT_NE(v.rule, nullptr);
  EXPECT_EQ(v.rule, &ExoProfile().private_space);
  EXPECT_NE(v.rule->impact.find("private or reserved address space"), std::string_view::npos);
  EXPECT_NE(v.rule->impact.find("Exchange Online included"), std::string_view::npos);
  EXPECT_EQ(v.rule->impact.find("firewall"), std::string_view::npos) << v.rule->impact;
  EXPECT_NE(v.action.find("mx.inside.test (127.0.0.25)"), std::string::npos) << v.action;
  EXPECT_NE(v.action.find("mx2.inside.test (::1)"), std::string::npos) << v.action;
}

TEST(VerdictText, OtherUnreachableDomainsKeepTheRescanText) {
  const Profile& p = ExoProfile();
  // Excluded by the user: the scanner's choice, not the partner's DNS.
  DomainVerdict excluded = DecideVerdict(p, Resolved(), {Refused("mx.a.test", "127.0.0.1", false)});
  EXPECT_EQ(excluded.rule, &RuleFor(p, Verdict::kUnreachable));
  // One private address beside one that timed out: the other may be reachable from elsewhere.
  AddressOutcome timed_out = Refused("mx2.a.test", "127.0.0.2", false);
  timed_out.cls = AddressClass::kUnreachable;
  DomainVerdict mixed = DecideVerdict(p, Resolved(), {Refused("mx.a.test", "127.0.0.1", true), timed_out});
  EXPECT_EQ(mixed.verdict, Verdict::kUnreachable);
  EXPECT_EQ(mixed.rule, &RuleFor(p, Verdict::kUnreachable));
  // A TEMPFAIL beside a private address stays TEMPFAIL.
  AddressOutcome busy = timed_out;
  busy.cls = AddressClass::kTempFail;
  DomainVerdict deferred = DecideVerdict(p, Resolved(), {Refused("mx.a.test", "127.0.0.1", true), busy});
  EXPECT_EQ(deferred.verdict, Verdict::kTempFail);
  EXPECT_EQ(deferred.rule, &RuleFor(p, Verdict::kTempFail));
}

}  // namespace
}  // namespace mxsweep
