// verdict.h: from per-address facts to one verdict per domain, under a receiving-provider
// profile (DESIGN.md §2, "What EXO does" and "How hosts add up to a domain").
//
// A profile is data: how each AddressClass counts, which verdict each combination yields, and
// the plain-language impact and action per verdict. Another provider (Gmail accepts TLS 1.0) or a
// company's own policy is another Profile value, not another branch in DecideVerdict.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/resolver.h"
#include "scanner/verdict/address_facts.h"

namespace mxsweep {

// Verdict is the closed set of domain states. The names are a contract (CSV column, README).
enum class Verdict : uint8_t {
  kOk,
  kOkLegacyEnabled,
  kPartial,
  kLegacyOnly,
  kNoSharedCipher,
  kTls13Only,
  kNoStartTls,
  kTlsBroken,
  kUnreachable,
  kTempFail,
  kNoMail,
  kDnsError,
  // The two input-row verdicts: the row was never swept, so they say nothing about a partner.
  kInvalidInput,  // the row holds no usable domain (the reason is in error_detail)
  kDuplicate,     // the row names a domain an earlier row names; the verdict is on that row
};

inline constexpr Verdict kAllVerdicts[] = {
    Verdict::kOk,         Verdict::kOkLegacyEnabled, Verdict::kPartial,
    Verdict::kLegacyOnly, Verdict::kNoSharedCipher,  Verdict::kTls13Only,
    Verdict::kNoStartTls, Verdict::kTlsBroken,       Verdict::kUnreachable,
    Verdict::kTempFail,   Verdict::kNoMail,          Verdict::kDnsError,
    Verdict::kInvalidInput, Verdict::kDuplicate,
};
inline constexpr size_t kVerdictCount = sizeof(kAllVerdicts) / sizeof(kAllVerdicts[0]);

// Certainty is how far a row's verdict can be relied on: what `scan`'s final line counts and
// what its exit code reports.
enum class Certainty : uint8_t {
  kDefinite,      // an answer about the partner's mail servers (or its DNS saying "no mail")
  kInconclusive,  // no answer yet (UNREACHABLE, TEMPFAIL, DNS_ERROR): rescan
  kInputRow,      // not swept: a problem of the input row (INVALID_INPUT, DUPLICATE)
};

// CertaintyOf returns how far |verdict| can be relied on.
Certainty CertaintyOf(Verdict verdict);

inline constexpr AddressClass kAllAddressClasses[] = {
    AddressClass::kExoReady,  AddressClass::kLegacyOnly,  AddressClass::kNoSharedCipher,
    AddressClass::kTls13Only, AddressClass::kNoStartTls,  AddressClass::kTlsBroken,
    AddressClass::kTempFail,  AddressClass::kUnreachable, AddressClass::kRefused,
    AddressClass::kClientCertRequired,
};
inline constexpr size_t kAddressClassCount =
    sizeof(kAllAddressClasses) / sizeof(kAllAddressClasses[0]);

// VerdictName returns "OK", "OK_LEGACY_ENABLED", ... "DNS_ERROR", "INVALID_INPUT", "DUPLICATE".
std::string_view VerdictName(Verdict verdict);

// VerdictFromName parses a name VerdictName returns. It returns false for anything else.
bool VerdictFromName(std::string_view name, Verdict* out);

// VerdictMeaning is the one-line meaning of |verdict| that `mxsweep --help` and README's verdict
// table show. Its switch has no default, so a verdict added without a meaning fails the build.
std::string_view VerdictMeaning(Verdict verdict);

// Urgency tells outreach what to do with a verdict.
enum class Urgency : uint8_t { kNone, kOptional, kWatch, kUrgent, kRescan, kCheckInput };

std::string_view UrgencyName(Urgency urgency);

// ClassRole is how an address of one class counts under a profile.
enum class ClassRole : uint8_t {
  kReady,      // mail from the provider gets through encrypted
  kNotReady,   // probed, and the provider cannot use TLS with it
  kNotProbed,  // no facts: does not decide the verdict
};

// HintTopic selects which MTA-specific hint applies to a host.
enum class HintTopic : uint8_t { kNone, kEnableModernTls, kEnableStartTls, kDisableLegacy };

struct ClassRule {
  AddressClass cls;
  ClassRole role;
  // verdict: for kNotReady, the domain's verdict when every deciding address is of this class;
  // for kNotProbed, the verdict when nothing was probed and this class wins.
  Verdict verdict;
  // rank: when the addresses differ, the class with the lowest rank names the verdict.
  uint8_t rank;
  HintTopic topic;  // the hint to give for a host of this class
};

// NamedHosts selects which hosts a verdict's action names.
enum class NamedHosts : uint8_t { kNone, kFailing, kLegacy, kNotProbed };

struct VerdictRule {
  Verdict verdict;
  Urgency urgency;
  NamedHosts named;
  std::string_view impact;  // what happens to mail between the provider and the partner
  // action: what to change; "{hosts}" is replaced by the named hosts, "{port}" by the port
  // probed. |impact| is used as written (no slots).
  std::string_view action;
};

struct MtaHint {
  std::string_view mta;  // "Postfix"
  // banner_tokens: '|'-separated lower-case strings; any one in a host's banner names the MTA.
  std::string_view banner_tokens;
  HintTopic topic;
  std::string_view text;
};

struct Profile {
  std::string_view name;  // "exo"
  std::string_view description;
  std::array<ClassRule, kAddressClassCount> classes;  // in kAllAddressClasses order
  Verdict all_ready;                                  // every deciding address ready
  Verdict all_ready_legacy;  // ... and one of them still accepts TLS 1.0/1.1
  Verdict mixed;             // some ready, some not
  Verdict nothing_probed;    // addresses exist but none has a class rule that wins (or none listed)
  Verdict no_mail;           // null MX, NXDOMAIN, no MX host with an address
  Verdict dns_error;         // SERVFAIL, timeout, other lookup failures
  std::array<VerdictRule, kVerdictCount> verdicts;  // in kAllVerdicts order
  const MtaHint* hints;
  size_t hint_count;
  // private_space replaces the |nothing_probed| rule (same verdict, other texts) when every
  // address of the domain lies in private or reserved space: no one on the internet can reach
  // it, so "maybe a firewall in front of the scanner" would send outreach the wrong way.
  VerdictRule private_space;
};

// ExoProfile returns the Exchange Online profile.
const Profile& ExoProfile();

// RuleFor returns |profile|'s text for |verdict|.
const VerdictRule& RuleFor(const Profile& profile, Verdict verdict);
// ClassRuleFor returns how |cls| counts under |profile|.
const ClassRule& ClassRuleFor(const Profile& profile, AddressClass cls);

// DomainDns is what the verdict needs of the domain's DNS outcome.
struct DomainDns {
  resolver::DnsStatus status = resolver::DnsStatus::kOk;  // of the MX query
  bool null_mx = false;
  bool any_address = false;  // some MX host (or the implicit MX) has an address
  // host_lookup_failed: an MX host's address lookup failed in a way a retry may fix (SERVFAIL,
  // timeout, error). With no address at all this makes DNS_ERROR rather than NO_MAIL.
  bool host_lookup_failed = false;
  std::vector<std::string> unresolved_hosts;  // MX hosts without any address, named as not probed
};

// SummariseDns extracts DomainDns from a resolver result.
DomainDns SummariseDns(const resolver::MxResult& mx);

// AddressOutcome is what the verdict needs of one address the domain's mail can land on.
struct AddressOutcome {
  std::string host;  // the MX host name, from this domain's MX set
  std::string ip;
  AddressClass cls = AddressClass::kUnreachable;
  bool legacy_accepted = false;
  std::string banner;  // sanitised greeting, for MTA hints
  uint16_t port = 25;  // the port probed, named in the action texts
  // private_space: refused without a connection because the address is in private or
  // reserved space (status target-refused), not because of --exclude.
  bool private_space = false;
};

// OutcomeOf builds an AddressOutcome for |facts| reached through MX host |host|.
AddressOutcome OutcomeOf(const AddressFacts& facts, std::string_view host);

struct HostRef {
  std::string host;
  std::string ip;  // empty for an MX host without an address
  AddressClass cls = AddressClass::kUnreachable;
};

struct DomainVerdict {
  Verdict verdict = Verdict::kUnreachable;
  const VerdictRule* rule = nullptr;  // points into the profile
  std::vector<HostRef> ready;         // probed and ready
  std::vector<HostRef> failing;       // probed and not ready: the hosts to fix
  std::vector<HostRef> legacy;        // ready (or not) and still accepting TLS 1.0/1.1
  std::vector<HostRef> not_probed;    // could not be probed, and MX hosts without an address
  std::vector<const MtaHint*> hints;  // for the failing hosts (or legacy ones when that is all)
  std::string action;                 // rule->action with the named hosts filled in
};

// DecideVerdict computes the verdict of one domain under |profile|. It never returns an
// input-row verdict (Certainty::kInputRow): those are InputRowVerdict's.
DomainVerdict DecideVerdict(const Profile& profile, const DomainDns& dns,
                            const std::vector<AddressOutcome>& addresses);

// InputRowVerdict returns |verdict| (INVALID_INPUT or DUPLICATE) with |profile|'s texts, for a
// row that is reported without being swept.
DomainVerdict InputRowVerdict(const Profile& profile, Verdict verdict);

// FormatHosts names hosts for a report: "mx1.example.com (192.0.2.1, 2001:db8::1), mx2..."
// with at most |max_hosts| host names and "and N more" after them.
std::string FormatHosts(const std::vector<HostRef>& hosts, size_t max_hosts = 8);

}  // namespace mxsweep
