// What a refusal's text says, on texts real servers send (Postfix, Exim, Sendmail, Exchange
// Online, Gmail, Yahoo, Proofpoint, Cisco, Barracuda, Spamhaus-using sites), and on refusals that
// name no cause about us, which must stay what they were (a 454 at STARTTLS is the server's TLS).
#include "scanner/smtp/refusal_text.h"

#include <gtest/gtest.h>

namespace mxsweep::smtp {
namespace {

struct TextCase {
  const char* text;
  RefusalReason want;
};

void PrintTo(const TextCase& c, std::ostream* os) { *os << c.text; }

class RefusalTextTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(RefusalTextTest, Classifies) {
  EXPECT_EQ(ClassifyRefusalText(GetParam().text), GetParam().want) << GetParam().text;
}

constexpr RefusalReason kRate = RefusalReason::kRateLimited;
constexpr RefusalReason kList = RefusalReason::kBlocklisted;
constexpr RefusalReason kPolicy = RefusalReason::kPolicy;
constexpr RefusalReason kNone = RefusalReason::kNone;

INSTANTIATE_TEST_SUITE_P(
    RealWorld, RefusalTextTest,
    ::testing::Values(
        // Rate limits and connection counts.
        TextCase{"421 4.7.0 Too many connections from your IP", kRate},
        TextCase{"421 4.7.0 mx.example.net Error: too many connections from 127.0.0.9", kRate},
        TextCase{"421 Too many concurrent SMTP connections; please try again later.", kRate},
        TextCase{"421 4.3.2 Connection rate limit exceeded.", kRate},
        TextCase{"421 4.7.0 [127.0.0.9] Our system has detected an unusual rate of unsolicited mail "
                 "originating from your IP address.", kRate},
        TextCase{"452 4.3.1 Insufficient system resources, throttled", kRate},
        TextCase{"421 4.7.28 ratelimited: too fast", kRate},
        TextCase{"450 4.7.1 Client host blocked: too many connections", kRate},  // rate wins
        TextCase{"421 4.7.0 [TSS04] Messages from 127.0.0.9 temporarily deferred due to unexpected "
                 "volume or user complaints", kRate},
        TextCase{"421 4.3.0 Service busy, try again later", kRate},
        // Blocklists and reputation.
        TextCase{"554 5.7.1 Service unavailable; Client host [127.0.0.9] blocked using zen.spamhaus.org; "
                 "https://www.spamhaus.org/query/ip/127.0.0.9", kList},
        TextCase{"554 Blocked - see https://ipcheck.proofpoint.com/?ip=127.0.0.9", kList},
        TextCase{"550 5.7.1 Service unavailable; client [127.0.0.9] blocked using Barracuda Reputation", kList},
        TextCase{"550 5.7.606 Access denied, banned sending IP [127.0.0.9]", kList},
        TextCase{"553 5.7.1 [BL21] Connections will not be accepted from 127.0.0.9, because the ip is in "
                 "Spamhaus's list", kList},
        TextCase{"554 mx.example ESMTP not accepting connections: 127.0.0.9 found on one or more DNSBLs", kList},
        TextCase{"550 Your IP has a poor reputation", kList},
        TextCase{"554 5.7.1 127.0.0.9 is listed at bl.spamcop.net", kList},
        TextCase{"421 Blacklisted host, rejected", kList},
        // Policy.
        TextCase{"450 4.7.1 Client host rejected: cannot find your hostname, [127.0.0.9]", kPolicy},
        TextCase{"550 5.7.1 Client host rejected: cannot find your reverse hostname, [127.0.0.9]", kPolicy},
        TextCase{"554 5.7.1 Access denied", kPolicy},
        TextCase{"550 5.7.1 Helo command rejected: need fully-qualified hostname", kPolicy},
        TextCase{"554 5.7.1 Rejected by local policy", kPolicy},
        TextCase{"550 Reverse DNS lookup failed for host 127.0.0.9", kPolicy},
        TextCase{"550 5.7.25 The IP address sending this message does not have a PTR record setup", kPolicy},
        // No cause about us: the statuses stay tempfail, greeting-refused, starttls-refused.
        TextCase{"421 4.3.2 System not accepting network messages", kNone},
        TextCase{"421 4.3.2 Service not available, closing transmission channel", kNone},
        TextCase{"554 5.7.1 no service", kNone},
        TextCase{"554 No SMTP service here", kNone},
        TextCase{"454 4.7.0 TLS not available due to local problem", kNone},
        TextCase{"502 5.5.1 Unrecognized command", kNone},
        TextCase{"502 5.5.2 Error: command not recognized", kNone},
        TextCase{"503 5.5.1 STARTTLS not allowed here", kNone},
        TextCase{"454 TLS currently unavailable", kNone},
        TextCase{"500 5.5.1 unable to generate keys", kNone},   // "rate" inside a word
        TextCase{"421 4.4.2 mx.example unlisted error", kNone},  // "listed" inside a word
        TextCase{"", kNone}));

TEST(RefusalText, CaseDoesNotMatter) {
  EXPECT_EQ(ClassifyRefusalText("421 TOO MANY CONNECTIONS"), kRate);
  EXPECT_EQ(ClassifyRefusalText("554 BLOCKED USING ZEN.SPAMHAUS.ORG"), kList);
  EXPECT_EQ(ClassifyRefusalText("554 ACCESS DENIED"), kPolicy);
}

TEST(RefusalText, StatusesAreTheirOwn) {
  EXPECT_EQ(RefusalStatus(kRate), ProbeStatus::kRateLimited);
  EXPECT_EQ(RefusalStatus(kList), ProbeStatus::kBlocklisted);
  EXPECT_EQ(RefusalStatus(kPolicy), ProbeStatus::kPolicyRefused);
  EXPECT_EQ(ProbeStatusName(ProbeStatus::kRateLimited), "rate-limited");
  EXPECT_EQ(ProbeStatusName(ProbeStatus::kBlocklisted), "blocklisted");
  EXPECT_EQ(ProbeStatusName(ProbeStatus::kPolicyRefused), "policy-refused");
}

}  // namespace
}  // namespace mxsweep::smtp
