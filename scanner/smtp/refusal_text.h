// refusal_text.h: what the text of a 4xx/5xx reply says about why a server turns us away.
//
// At the greeting, EHLO or STARTTLS, a refusal that names rate limits, a blocklist or the
// server's policy is about the scanner, not about the server's TLS: it must never be read as
// "no STARTTLS" or a broken TLS stack (README "Probe statuses"). Peers of mxsweep were
// blocklisted for days and reported the resulting 554s as the partners' fault; the text is the
// only place the server says which it is. Pure and table-driven, so the real-world texts are a
// unit-test table.
#pragma once

#include <string_view>

#include "scanner/smtp/probe_status.h"

namespace mxsweep::smtp {

enum class RefusalReason : uint8_t {
  kNone,         // nothing recognised: a plain 4xx/5xx
  kRateLimited,  // too many connections, a rate limit, throttling, "try again later"
  kBlocklisted,  // a DNS blocklist or reputation service lists the client (Spamhaus, "blocked")
  kPolicy,       // the server's rules refuse this client: no reverse DNS, access denied, policy
};

// ClassifyRefusalText reads the text of a refusal (the reply's lines, joined; the code and
// enhanced status code may be included). Matching is on words, ASCII case-insensitive: a keyword
// must start a word ("rate" in "rate-limited", not in "generate"). Rate-limit words win over
// blocklist words ("temporarily blocked: too many connections" is a rate limit), blocklist words
// over policy words, and "try again later"-like phrases count only when nothing else matched.
RefusalReason ClassifyRefusalText(std::string_view text);

// RefusalStatus is the probe status of a recognised |reason| (not kNone, which has none: the
// caller keeps its own status for an unexplained refusal).
ProbeStatus RefusalStatus(RefusalReason reason);

}  // namespace mxsweep::smtp
