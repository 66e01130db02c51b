// Refusals that name rate limits, blocklists or policy, in a real sweep (c-ares, the scheduler,
// SMTP) against simulated servers that say them at the greeting, EHLO or STARTTLS: each gets its
// own status with the server's text, a 4xx makes the domain TEMPFAIL (after the 421 retries), a
// 5xx UNREACHABLE ("not decided") at once — never NO_STARTTLS or another definite verdict. A
// tarpit is a timeout. Each session still ends politely (no RST to the refusing server).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/dns_responder.h"
#include "tests/integration/sweep_run.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

struct RefusalCase {
  const char* name;
  sim::SimServerConfig config;  // how the server refuses
  const char* status;           // the auto probe's status
  const char* detail;           // a part of its detail: the server's own words
  const char* verdict;
  const char* cls;
  int connections;              // 1, or 3 for a 4xx: the try and the two 421 retries
};

void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

sim::SimServerConfig Greeting(int code, const char* text) {
  sim::SimServerConfig c;
  c.greeting_code = code;
  c.greeting_text = text;
  return c;
}

sim::SimServerConfig Ehlo(const char* reply) {
  sim::SimServerConfig c;
  c.ehlo_refusal = reply;
  return c;
}

sim::SimServerConfig StartTls(int code, const char* text) {
  sim::SimServerConfig c;
  c.starttls_code = code;
  c.starttls_text = text;
  return c;
}

sim::SimServerConfig Tarpit() {
  sim::SimServerConfig c;
  c.hostile = sim::HostileMode::kSlowGreeting;
  c.hostile_byte_interval = std::chrono::milliseconds(200);
  return c;
}

class RefusalSweep : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(RefusalSweep, StatusDetailAndVerdict) {
  const RefusalCase& c = GetParam();
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::DnsResponder dns(loop.get());
  ASSERT_EQ(dns.Start(NextLoopbackAddress(), 0), 0);
  sim::SimServerConfig config = c.config;
  config.host_name = "mx.refusing.test";
  sim::SimSmtpServer* server = fleet.Start(config);
  ASSERT_NE(server, nullptr);
  dns.zone().AddA("mx.refusing.test", server->config().address);
  dns.zone().AddMx("refusing.test", 10, "mx.refusing.test");
  PolitenessOptions politeness;
  politeness.per_address_gap = std::chrono::milliseconds(20);
  SweepRun run = RunSweep(loop, dns.address(), server->port(), {"refusing.test"}, politeness, [&] {
    fleet.CloseAll();
    dns.Close(nullptr);
  });
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(VerdictName(run.results[0].verdict.verdict), c.verdict);
  ASSERT_EQ(run.facts.size(), 1u);
  ASSERT_EQ(run.facts[0].size(), 1u);
  const AddressFacts& f = run.facts[0][0];
  EXPECT_EQ(AddressClassName(f.cls), c.cls);
  ASSERT_FALSE(f.probes.empty());
  EXPECT_EQ(ProbeStatusName(f.probes[0].status), c.status) << f.probes[0].detail;
  EXPECT_NE(f.probes[0].detail.find(c.detail), std::string::npos) << f.probes[0].detail;
  EXPECT_EQ(f.connections, c.connections);
  // The outreach CSV's error_detail names the status and carries the server's words.
  ASSERT_EQ(run.csv_rows.size(), 1u);
  EXPECT_NE(run.csv_rows[0].find(std::string(c.status) + " - "), std::string::npos) << run.csv_rows[0];
  EXPECT_NE(run.csv_rows[0].find(c.detail), std::string::npos) << run.csv_rows[0];
  EXPECT_EQ(server->stats().client_resets, c.status == std::string("greeting-timeout") ? c.connections : 0)
      << "a refusal is answered with QUIT or a FIN, not a RST";
  EXPECT_EQ(server->stats().mail_commands, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, RefusalSweep,
    ::testing::Values(
        RefusalCase{"Greeting421TooManyConnections",
                    Greeting(421, "4.7.0 Too many connections from your IP"), "rate-limited",
                    "421 4.7.0 Too many connections from your IP", "TEMPFAIL", "tempfail", 3},
        RefusalCase{"Greeting554Spamhaus",
                    Greeting(554, "5.7.1 Service unavailable; Client host [127.0.0.9] blocked using zen.spamhaus.org"),
                    "blocklisted", "blocked using zen.spamhaus.org", "UNREACHABLE", "unreachable", 1},
        RefusalCase{"Greeting450NoHostname",
                    Greeting(450, "4.7.1 Client host rejected: cannot find your hostname, [127.0.0.9]"),
                    "policy-refused", "cannot find your hostname", "TEMPFAIL", "tempfail", 3},
        RefusalCase{"Greeting554PlainStaysGreetingRefused", Greeting(554, "5.7.1 no SMTP service here"),
                    "greeting-refused", "no SMTP service here", "UNREACHABLE", "unreachable", 1},
        RefusalCase{"Greeting421PlainStaysTempfail", Greeting(421, "4.3.2 System not accepting network messages"),
                    "tempfail", "System not accepting network messages", "TEMPFAIL", "tempfail", 3},
        // Without recognising the text, HELO would follow and the domain would be NO_STARTTLS.
        RefusalCase{"Ehlo550Dnsbl", Ehlo("550 5.7.1 Your address 127.0.0.9 is listed on a DNSBL"), "blocklisted",
                    "listed on a DNSBL", "UNREACHABLE", "unreachable", 1},
        RefusalCase{"Ehlo550PolicyHostname", Ehlo("550 5.7.1 Helo command rejected: need fully-qualified hostname"),
                    "policy-refused", "Helo command rejected", "UNREACHABLE", "unreachable", 1},
        RefusalCase{"Ehlo421Throttled", Ehlo("421 4.7.0 Throttled: slow down"), "rate-limited", "Throttled",
                    "TEMPFAIL", "tempfail", 3},
        // Without recognising the text, this would be starttls-refused: TLS_BROKEN.
        RefusalCase{"StartTls454RateLimit", StartTls(454, "4.7.0 Too many TLS sessions from your address"),
                    "rate-limited", "Too many TLS sessions", "TEMPFAIL", "tempfail", 3},
        RefusalCase{"StartTls554AccessDenied", StartTls(554, "5.7.1 Access denied"), "policy-refused",
                    "Access denied", "UNREACHABLE", "unreachable", 1},
        RefusalCase{"StartTls454LocalProblemStaysTlsBroken", StartTls(454, "4.7.0 TLS not available due to local problem"),
                    "starttls-refused", "TLS not available", "TLS_BROKEN", "tls-broken", 1},
        // A greeting that trickles one byte every 200 ms never completes within the 1.5 s
        // greeting timeout: a timeout, not "no STARTTLS".
        RefusalCase{"TarpitGreetingIsATimeout", Tarpit(), "greeting-timeout", "greeting incomplete",
                    "UNREACHABLE", "unreachable", 1}),
    [](const ::testing::TestParamInfo<RefusalCase>& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace mxsweep::testing
