#include "scanner/verdict/verdict.h"

#include <algorithm>

#include "base/ascii.h"

namespace mxsweep {
namespace {

// DnsOutcome is what a DNS status means before any address is looked at.
enum class DnsOutcome : uint8_t { kProceed, kNoMail, kDnsError };

struct DnsRule {
  resolver::DnsStatus status;
  DnsOutcome outcome;
};

// The DNS half of the verdict does not depend on the receiving provider, so it is one table for
// all profiles. NODATA proceeds: the resolver has then tried the implicit MX (RFC 5321 §5.1),
// and "no address" is judged below like any other empty result.
constexpr DnsRule kDnsRules[] = {
    {resolver::DnsStatus::kOk, DnsOutcome::kProceed},
    {resolver::DnsStatus::kNoData, DnsOutcome::kProceed},
    {resolver::DnsStatus::kNxDomain, DnsOutcome::kNoMail},
    {resolver::DnsStatus::kServFail, DnsOutcome::kDnsError},
    {resolver::DnsStatus::kTimeout, DnsOutcome::kDnsError},
    {resolver::DnsStatus::kBadName, DnsOutcome::kDnsError},
    {resolver::DnsStatus::kError, DnsOutcome::kDnsError},
};

DnsOutcome OutcomeForDns(resolver::DnsStatus status) {
  for (const DnsRule& rule : kDnsRules) {
    if (rule.status == status) return rule.outcome;
  }
  return DnsOutcome::kDnsError;
}

bool IsTransientDnsFailure(resolver::DnsStatus status) {
  return OutcomeForDns(status) == DnsOutcome::kDnsError && status != resolver::DnsStatus::kBadName;
}

// BannerNames reports whether any of |tokens| ('|'-separated, lower-case) occurs in |banner|.
// This is a product-name match on text already parsed and sanitised, not protocol parsing: a
// wrong match costs one wrong hint, which is labelled with the MTA it assumed.
bool BannerNames(const std::string& lower_banner, std::string_view tokens) {
  while (!tokens.empty()) {
    size_t bar = tokens.find('|');
    std::string_view token = tokens.substr(0, bar);
    if (!token.empty() && lower_banner.find(token) != std::string::npos) return true;
    if (bar == std::string_view::npos) break;
    tokens.remove_prefix(bar + 1);
  }
  return false;
}

void AddHints(const Profile& profile, const AddressOutcome& address, HintTopic topic,
              std::vector<const MtaHint*>* hints) {
  if (topic == HintTopic::kNone || address.banner.empty()) return;
  std::string banner = LowerAscii(address.banner);
  for (size_t i = 0; i < profile.hint_count; i++) {
    const MtaHint* hint = &profile.hints[i];
    if (hint->topic != topic || !BannerNames(banner, hint->banner_tokens)) continue;
    if (std::find(hints->begin(), hints->end(), hint) == hints->end()) hints->push_back(hint);
  }
}

void FillSlot(std::string* text, std::string_view slot, const std::string& value) {
  for (size_t pos = text->find(slot); pos != std::string::npos; pos = text->find(slot, pos + value.size())) {
    text->replace(pos, slot.size(), value);
  }
}

std::string FillAction(std::string_view templ, const std::string& hosts, uint16_t port) {
  std::string out(templ);
  FillSlot(&out, "{hosts}", hosts.empty() ? std::string("the domain's MX hosts") : hosts);
  FillSlot(&out, "{port}", std::to_string(port));
  return out;
}

// AllPrivateSpace reports whether |addresses| is not empty and every one was refused for lying
// in private or reserved space.
bool AllPrivateSpace(const std::vector<AddressOutcome>& addresses) {
  return !addresses.empty() && std::all_of(addresses.begin(), addresses.end(),
                                           [](const AddressOutcome& a) { return a.private_space; });
}

HostRef RefOf(const AddressOutcome& a) { return HostRef{a.host, a.ip, a.cls}; }

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk: return "OK";
    case Verdict::kOkLegacyEnabled: return "OK_LEGACY_ENABLED";
    case Verdict::kPartial: return "PARTIAL";
    case Verdict::kLegacyOnly: return "LEGACY_ONLY";
    case Verdict::kNoSharedCipher: return "NO_SHARED_CIPHER";
    case Verdict::kTls13Only: return "TLS13_ONLY";
    case Verdict::kNoStartTls: return "NO_STARTTLS";
    case Verdict::kTlsBroken: return "TLS_BROKEN";
    case Verdict::kUnreachable: return "UNREACHABLE";
    case Verdict::kTempFail: return "TEMPFAIL";
    case Verdict::kNoMail: return "NO_MAIL";
    case Verdict::kDnsError: return "DNS_ERROR";
    case Verdict::kInvalidInput: return "INVALID_INPUT";
    case Verdict::kDuplicate: return "DUPLICATE";
  }
  return "UNKNOWN";
}

Certainty CertaintyOf(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
    case Verdict::kOkLegacyEnabled:
    case Verdict::kPartial:
    case Verdict::kLegacyOnly:
    case Verdict::kNoSharedCipher:
    case Verdict::kTls13Only:
    case Verdict::kNoStartTls:
    case Verdict::kTlsBroken:
    case Verdict::kNoMail: return Certainty::kDefinite;
    case Verdict::kUnreachable:
    case Verdict::kTempFail:
    case Verdict::kDnsError: return Certainty::kInconclusive;
    case Verdict::kInvalidInput:
    case Verdict::kDuplicate: return Certainty::kInputRow;
  }
  return Certainty::kInconclusive;
}

std::string_view VerdictMeaning(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "every probed MX address negotiates TLS >= 1.2 with a suite Exchange Online offers";
    case Verdict::kOkLegacyEnabled: return "as OK, but TLS 1.0/1.1 still accepted somewhere";
    case Verdict::kPartial: return "some MX addresses cannot do TLS 1.2 with Exchange Online";
    case Verdict::kLegacyOnly: return "every reachable MX address tops out at TLS 1.0/1.1";
    case Verdict::kNoSharedCipher: return "TLS 1.2 offered, but with no suite Exchange Online offers";
    case Verdict::kTls13Only:
      return "only TLS 1.3; Exchange Online's outbound use of 1.3 is unconfirmed";
    case Verdict::kNoStartTls: return "plaintext only";
    case Verdict::kTlsBroken: return "STARTTLS advertised (or refused with 454), every handshake fails";
    case Verdict::kUnreachable:
      return "no MX address completed a session or gave an answer about TLS (or all were refused "
             "by policy, or all demand a client certificate)";
    case Verdict::kTempFail: return "421 / 4xx: rate limiting, greylisting";
    case Verdict::kNoMail: return "null MX, NXDOMAIN, or no MX host has an address";
    case Verdict::kDnsError: return "SERVFAIL, timeout";
    case Verdict::kInvalidInput: return "the input row holds no usable domain; nothing was probed";
    case Verdict::kDuplicate: return "the row repeats an earlier row's domain; its verdict is on that row";
  }
  return "";
}

bool VerdictFromName(std::string_view name, Verdict* out) {
  for (Verdict v : kAllVerdicts) {
    if (VerdictName(v) == name) {
      *out = v;
      return true;
    }
  }
  return false;
}

std::string_view UrgencyName(Urgency urgency) {
  switch (urgency) {
    case Urgency::kNone: return "none";
    case Urgency::kOptional: return "optional";
    case Urgency::kWatch: return "watch";
    case Urgency::kUrgent: return "urgent";
    case Urgency::kRescan: return "rescan";
    case Urgency::kCheckInput: return "check-input";
  }
  return "unknown";
}

const VerdictRule& RuleFor(const Profile& profile, Verdict verdict) {
  return profile.verdicts[static_cast<size_t>(verdict)];
}

const ClassRule& ClassRuleFor(const Profile& profile, AddressClass cls) {
  return profile.classes[static_cast<size_t>(cls)];
}

DomainDns SummariseDns(const resolver::MxResult& mx) {
  DomainDns dns;
  dns.status = mx.status;
  dns.null_mx = mx.null_mx;
  for (const resolver::MxHost& host : mx.hosts) {
    if (!host.address.addresses.empty()) {
      dns.any_address = true;
      continue;
    }
    dns.unresolved_hosts.push_back(host.name);
    if (IsTransientDnsFailure(host.address.status)) dns.host_lookup_failed = true;
  }
  return dns;
}

AddressOutcome OutcomeOf(const AddressFacts& facts, std::string_view host) {
  AddressOutcome out;
  out.host = host.empty() ? facts.host : std::string(host);
  out.ip = facts.ip;
  out.cls = facts.cls;
  out.legacy_accepted = facts.legacy_accepted;
  out.banner = facts.banner;
  out.port = facts.port;
  out.private_space = std::any_of(facts.probes.begin(), facts.probes.end(), [](const ProbeRecord& r) {
    return r.status == ProbeStatus::kTargetRefused;
  });
  return out;
}

std::string FormatHosts(const std::vector<HostRef>& hosts, size_t max_hosts) {
  // Group addresses under their host name, keeping first-seen order: outreach talks to people
  // about host names; the addresses tell them which of several machines is meant.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const HostRef& ref : hosts) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == ref.host; });
    if (it == groups.end()) {
      groups.emplace_back(ref.host, std::vector<std::string>{});
      it = groups.end() - 1;
    }
    if (!ref.ip.empty() &&
        std::find(it->second.begin(), it->second.end(), ref.ip) == it->second.end()) {
      it->second.push_back(ref.ip);
    }
  }
  std::string out;
  size_t shown = std::min(groups.size(), max_hosts);
  for (size_t i = 0; i < shown; i++) {
    if (i > 0) out += ", ";
    out += groups[i].first;
    if (!groups[i].second.empty()) {
      out += " (";
      for (size_t k = 0; k < groups[i].second.size(); k++) {
        if (k > 0) out += ", ";
        out += groups[i].second[k];
      }
      out += ")";
    }
  }
  if (groups.size() > shown) out += " and " + std::to_string(groups.size() - shown) + " more";
  return out;
}

DomainVerdict InputRowVerdict(const Profile& profile, Verdict verdict) {
  DomainVerdict result;
  result.verdict = verdict;
  result.rule = &RuleFor(profile, verdict);
  result.action = FillAction(result.rule->action, std::string(), 25);
  return result;
}

DomainVerdict DecideVerdict(const Profile& profile, const DomainDns& dns,
                            const std::vector<AddressOutcome>& addresses) {
  DomainVerdict result;
  for (const std::string& host : dns.unresolved_hosts) {
    result.not_probed.push_back(HostRef{host, "", AddressClass::kUnreachable});
  }

  // Sort the addresses into the profile's roles; remember the winning class of each kind.
  const ClassRule* best_not_ready = nullptr;
  const ClassRule* best_not_probed = nullptr;
  bool any_legacy_ready = false;
  for (const AddressOutcome& a : addresses) {
    const ClassRule& rule = ClassRuleFor(profile, a.cls);
    if (a.legacy_accepted && rule.role != ClassRole::kNotProbed) result.legacy.push_back(RefOf(a));
    switch (rule.role) {
      case ClassRole::kReady:
        result.ready.push_back(RefOf(a));
        any_legacy_ready |= a.legacy_accepted;
        break;
      case ClassRole::kNotReady:
        result.failing.push_back(RefOf(a));
        if (best_not_ready == nullptr || rule.rank < best_not_ready->rank) best_not_ready = &rule;
        break;
      case ClassRole::kNotProbed:
        result.not_probed.push_back(RefOf(a));
        if (best_not_probed == nullptr || rule.rank < best_not_probed->rank) {
          best_not_probed = &rule;
        }
        break;
    }
  }

  DnsOutcome dns_outcome = OutcomeForDns(dns.status);
  if (dns.null_mx || dns_outcome == DnsOutcome::kNoMail) {
    result.verdict = profile.no_mail;
  } else if (dns_outcome == DnsOutcome::kDnsError) {
    result.verdict = profile.dns_error;
  } else if (!dns.any_address && addresses.empty()) {
    result.verdict = dns.host_lookup_failed ? profile.dns_error : profile.no_mail;
  } else if (result.ready.empty() && result.failing.empty()) {
    result.verdict = best_not_probed != nullptr ? best_not_probed->verdict : profile.nothing_probed;
  } else if (result.failing.empty()) {
    result.verdict = any_legacy_ready ? profile.all_ready_legacy : profile.all_ready;
  } else if (result.ready.empty()) {
    result.verdict = best_not_ready->verdict;
  } else {
    result.verdict = profile.mixed;
  }

  result.rule = &RuleFor(profile, result.verdict);
  if (result.verdict == profile.nothing_probed && AllPrivateSpace(addresses)) {
    result.rule = &profile.private_space;
  }
  const std::vector<HostRef>* named = nullptr;
  switch (result.rule->named) {
    case NamedHosts::kNone: break;
    case NamedHosts::kFailing: named = &result.failing; break;
    case NamedHosts::kLegacy: named = &result.legacy; break;
    case NamedHosts::kNotProbed: named = &result.not_probed; break;
  }
  // One sweep probes one port; a domain without addresses has only SMTP's own to name.
  uint16_t port = addresses.empty() ? 25 : addresses.front().port;
  result.action = FillAction(result.rule->action, named ? FormatHosts(*named) : std::string(), port);

  // Hints follow the hosts the action names: the failing ones, or the legacy ones when the
  // domain is otherwise fine.
  for (const AddressOutcome& a : addresses) {
    const ClassRule& rule = ClassRuleFor(profile, a.cls);
    if (rule.role == ClassRole::kNotReady) {
      AddHints(profile, a, rule.topic, &result.hints);
    } else if (result.verdict == profile.all_ready_legacy && a.legacy_accepted) {
      AddHints(profile, a, HintTopic::kDisableLegacy, &result.hints);
    }
  }
  return result;
}

}  // namespace mxsweep
