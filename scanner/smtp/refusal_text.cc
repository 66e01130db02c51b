#include "scanner/smtp/refusal_text.h"

#include <string>

#include "base/ascii.h"

namespace mxsweep::smtp {
namespace {

// Each phrase must begin a word of the text; its last word may continue ("throttl" matches
// "throttled", "blocklist" matches "blocklisted"). Lower case.
constexpr std::string_view kRateLimited[] = {
    "too many",        // Postfix anvil, Exim, Sendmail: "too many connections from ..."
    "rate",            // "rate limited", "ratelimit", "connection rate", Gmail's "unusual rate"
    "throttl",         // "throttled", "throttling"
    "concurrent",      // "too many concurrent SMTP connections", "concurrent connection limit"
    "slow down",
    "connection limit",
    "limit exceeded",
};
constexpr std::string_view kBlocklisted[] = {
    "spamhaus", "spamcop", "barracuda", "sorbs", "uceprotect", "abuseat", "dnsbl", "rbl",
    "blocklist", "blacklist", "block list", "black list", "denylist", "deny list",
    "blocked",          // "blocked using zen.spamhaus.org", Proofpoint's "Blocked - see ..."
    "listed",           // "is listed on", "listed at"
    "reputation",       // "poor reputation", "Barracuda Reputation"
    "banned",           // Exchange Online's "banned sending IP"
};
// Specific on purpose: a STARTTLS refusal ("454 TLS not available", "502 not recognized") is
// evidence about the server's TLS, so generic words like "not allowed" or "rejected" alone do
// not make a policy refusal.
constexpr std::string_view kPolicy[] = {
    "policy", "access denied", "denied", "not authorized", "unauthorized", "prohibited",
    "client host rejected",   // Postfix's reject_unknown_client_hostname and friends
    "host rejected", "connection rejected", "helo command rejected",
    "your hostname",          // "cannot find your hostname"
    "reverse dns", "reverse lookup", "rdns", "ptr",
};
// Weak: a generic "come back later" that names no cause. A refusal that says only this is most
// often a busy server shedding clients; it counts only when no other phrase matched.
constexpr std::string_view kLater[] = {
    "try again later", "try later", "retry later", "temporarily deferred",
};

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// StartsWord reports whether |phrase| occurs in |text| (lower case) at the start of a word.
bool StartsWord(std::string_view text, std::string_view phrase) {
  for (size_t at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
    if (at == 0 || !IsWordByte(text[at - 1])) return true;
  }
  return false;
}

template <size_t N>
bool AnyPhrase(std::string_view text, const std::string_view (&phrases)[N]) {
  for (std::string_view phrase : phrases) {
    if (StartsWord(text, phrase)) return true;
  }
  return false;
}

}  // namespace

RefusalReason ClassifyRefusalText(std::string_view text) {
  std::string lower = LowerAscii(text);
  if (AnyPhrase(lower, kRateLimited)) return RefusalReason::kRateLimited;
  if (AnyPhrase(lower, kBlocklisted)) return RefusalReason::kBlocklisted;
  if (AnyPhrase(lower, kPolicy)) return RefusalReason::kPolicy;
  if (AnyPhrase(lower, kLater)) return RefusalReason::kRateLimited;
  return RefusalReason::kNone;
}

ProbeStatus RefusalStatus(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kRateLimited: return ProbeStatus::kRateLimited;
    case RefusalReason::kBlocklisted: return ProbeStatus::kBlocklisted;
    case RefusalReason::kPolicy: return ProbeStatus::kPolicyRefused;
    case RefusalReason::kNone: break;
  }
  return ProbeStatus::kTempFail;
}

}  // namespace mxsweep::smtp
