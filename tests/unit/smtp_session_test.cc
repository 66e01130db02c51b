#include "scanner/smtp/smtp_session.h"

#include <gtest/gtest.h>

namespace mxsweep::smtp {
namespace {

SessionOptions Options() {
  SessionOptions o;
  o.ehlo_name = "scanner.example";
  return o;
}

// Script runs a dialogue: each step gives server bytes and the client bytes expected after it.
struct Step {
  std::string server;
  std::string client;
};

// Run feeds each step's server bytes (one byte at a time when |bytewise|) and checks the output.
void Script(Session& s, const std::vector<Step>& steps, bool bytewise) {
  for (const Step& step : steps) {
    if (bytewise) {
      for (char c : step.server) s.Receive(std::string_view(&c, 1));
    } else {
      s.Receive(step.server);
    }
    EXPECT_EQ(s.TakeOutput(), step.client) << "after server said: " << step.server;
  }
}

class SessionTest : public ::testing::TestWithParam<bool> {};

TEST_P(SessionTest, FullDialogueToHandshake) {
  Session s(Options());
  Script(s,
      {{"220-mx.example ESMTP\r\n", ""},
       {"220 hello\r\n", "EHLO scanner.example\r\n"},
       {"250-mx.example\r\n250-SIZE 100\r\n250 STARTTLS\r\n", "STARTTLS\r\n"},
       {"220 2.0.0 go ahead\r\n", ""}},
      GetParam());
  EXPECT_EQ(s.phase(), Phase::kHandshake);
  EXPECT_TRUE(s.starttls_advertised());
  EXPECT_EQ(s.greeting(), (std::vector<std::string>{"mx.example ESMTP", "hello"}));
  s.HandshakeFinished(true);
  EXPECT_EQ(s.TakeOutput(), "QUIT\r\n");
  EXPECT_EQ(s.phase(), Phase::kQuit);
  s.Receive("221 bye\r\n");
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.failed());
}

TEST_P(SessionTest, NoStartTls) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"}, {"250-mx\r\n250 8BITMIME\r\n", "QUIT\r\n"}},
      GetParam());
  EXPECT_TRUE(s.failed());
  EXPECT_EQ(s.failure(), ProbeStatus::kNoStartTls);
}

TEST_P(SessionTest, StartTlsKeywordIsCaseInsensitiveAndPerLine) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
          {"250-mx\r\n250-X-NOT-STARTTLS\r\n250 starttls\r\n", "STARTTLS\r\n"}},
      GetParam());
  // "STARTTLSX" or a mention inside another keyword does not count.
  Session t(Options());
  Script(t, {{"220 hi\r\n", "EHLO scanner.example\r\n"}, {"250-mx STARTTLS\r\n250 STARTTLSX\r\n", "QUIT\r\n"}},
      GetParam());
  EXPECT_EQ(t.failure(), ProbeStatus::kNoStartTls);
}

TEST_P(SessionTest, HeloFallbackMeansNoStartTls) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
          {"502 5.5.2 no\r\n", "HELO scanner.example\r\n"},
          {"250 mx\r\n", "QUIT\r\n"}},
      GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kNoStartTls);
  EXPECT_FALSE(s.ehlo_ok());
}

TEST_P(SessionTest, HeloRefusedToo) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
          {"500 no\r\n", "HELO scanner.example\r\n"},
          {"550 go away\r\n", "QUIT\r\n"}},
      GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kEhloRefused);
}

TEST_P(SessionTest, StartTls454) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
          {"250-mx\r\n250 STARTTLS\r\n", "STARTTLS\r\n"},
          {"454 4.7.0 TLS not available\r\n", "QUIT\r\n"}},
      GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kStartTlsRefused);
  EXPECT_EQ(s.detail(), "STARTTLS: 454 4.7.0 TLS not available");
}

TEST_P(SessionTest, Greeting421IsTempFailAndSilent) {
  Session s(Options());
  Script(s, {{"421 4.3.2 busy\r\n", ""}}, GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kTempFail);
  EXPECT_TRUE(s.done());
}

TEST_P(SessionTest, Greeting554SaysQuit) {
  Session s(Options());
  Script(s, {{"554 5.7.1 no service\r\n", "QUIT\r\n"}}, GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kGreetingRefused);
}

TEST_P(SessionTest, Ehlo421) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"}, {"421 closing\r\n", ""}}, GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kTempFail);
}

// Refusals whose text names the cause: their own status, the whole reply in the detail, and the
// reply code kept so the verdict can tell "not now" (4xx) from "no" (5xx).
TEST_P(SessionTest, Greeting421TooManyConnectionsIsRateLimited) {
  Session s(Options());
  Script(s, {{"421 4.7.0 Too many connections from your IP\r\n", ""}}, GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kRateLimited);
  EXPECT_EQ(s.failure_code(), 421);
  EXPECT_EQ(s.detail(), "greeting: 421 4.7.0 Too many connections from your IP");
  EXPECT_TRUE(s.done());
}

TEST_P(SessionTest, Greeting554BlocklistSaysQuitAndKeepsEveryLine) {
  Session s(Options());
  Script(s, {{"554-5.7.1 Service unavailable;\r\n554 5.7.1 Client host [127.0.0.9] blocked using zen.spamhaus.org\r\n",
              "QUIT\r\n"}},
         GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kBlocklisted);
  EXPECT_EQ(s.failure_code(), 554);
  EXPECT_EQ(s.detail(),
            "greeting: 554 5.7.1 Service unavailable; 5.7.1 Client host [127.0.0.9] blocked using zen.spamhaus.org");
}

// A 5xx to EHLO that names a blocklist refuses the client: HELO past it would end as "no
// STARTTLS", a definite verdict the server never gave.
TEST_P(SessionTest, EhloBlocklistedIsNotFollowedByHelo) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
             {"550 5.7.1 Your IP 127.0.0.9 is listed on a DNSBL\r\n", "QUIT\r\n"}},
         GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kBlocklisted);
  EXPECT_FALSE(s.starttls_advertised());
}

TEST_P(SessionTest, Ehlo450PolicyRefused) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
             {"450 4.7.1 Client host rejected: cannot find your hostname, [127.0.0.9]\r\n", "QUIT\r\n"}},
         GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kPolicyRefused);
  EXPECT_EQ(s.failure_code(), 450);
}

TEST_P(SessionTest, StartTlsRateLimitedIsNotStartTlsRefused) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
             {"250-mx\r\n250 STARTTLS\r\n", "STARTTLS\r\n"},
             {"454 4.7.0 Too many TLS sessions from your address, try again later\r\n", "QUIT\r\n"}},
         GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kRateLimited);
}

TEST_P(SessionTest, PlainEhlo5xxStillFallsBackToHelo) {
  Session s(Options());
  Script(s, {{"220 hi\r\n", "EHLO scanner.example\r\n"},
             {"502 5.5.2 Error: command not recognized\r\n", "HELO scanner.example\r\n"},
             {"250 mx\r\n", "QUIT\r\n"}},
         GetParam());
  EXPECT_EQ(s.failure(), ProbeStatus::kNoStartTls);
  EXPECT_EQ(s.failure_code(), 0) << "not ended by a refusal";
}

INSTANTIATE_TEST_SUITE_P(Feeding, SessionTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "ByteAtATime" : "Whole";
                         });

TEST(Session, NeverSpeaksBeforeTheGreetingEnds) {
  Session s(Options());
  s.Receive("220-first line\r\n220-second");
  EXPECT_EQ(s.TakeOutput(), "");
  s.Receive(" line\r\n220 done\r\n");
  EXPECT_EQ(s.TakeOutput(), "EHLO scanner.example\r\n");
}

TEST(Session, BytesAfterStartTls220AreInjection) {
  Session s(Options());
  s.Receive("220 hi\r\n");
  s.Receive("250-mx\r\n250 STARTTLS\r\n");
  s.TakeOutput();
  s.Receive("220 go\r\n250 injected\r\n");
  EXPECT_EQ(s.failure(), ProbeStatus::kStartTlsInjection);
  EXPECT_EQ(s.injection_bytes(), 14u);
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.TakeOutput(), "") << "fail closed: nothing more is sent";
}

// Regression (issue 7, fuzz_smtp_session's "one command at a time" invariant): a server that
// sends its EHLO and STARTTLS replies together with the greeting must not make the client send
// EHLO and STARTTLS back to back.
TEST(Session, RepliesBeforeTheirCommandsAreProtocolError) {
  Session s(Options());
  s.Receive("220 hi\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n");
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.failure(), ProbeStatus::kProtocolError);
  EXPECT_NE(s.detail().find("before the command"), std::string::npos) << s.detail();
  EXPECT_EQ(s.TakeOutput(), "") << "nothing is sent to such a server";
}

TEST(Session, ClosedDuringEhlo) {
  Session s(Options());
  s.Receive("220 hi\r\n");
  s.PeerClosed();
  EXPECT_EQ(s.failure(), ProbeStatus::kClosed);
}

TEST(Session, GarbageGreetingIsProtocolError) {
  Session s(Options());
  s.Receive("SSH-2.0-OpenSSH_9.2\r\n");
  EXPECT_EQ(s.failure(), ProbeStatus::kProtocolError);
  EXPECT_TRUE(s.done());
}

TEST(Session, SessionByteLimit) {
  SessionOptions o = Options();
  o.max_session_bytes = 1000;
  Session s(o);
  std::string chunk = "220-" + std::string(90, 'x') + "\r\n";
  for (int i = 0; i < 20 && !s.done(); i++) s.Receive(chunk);
  EXPECT_EQ(s.failure(), ProbeStatus::kProtocolError);
}

TEST(Session, HandshakeFailureEndsWithoutQuit) {
  Session s(Options());
  s.Receive("220 hi\r\n");
  s.Receive("250-mx\r\n250 STARTTLS\r\n");
  s.Receive("220 go\r\n");
  s.TakeOutput();
  s.HandshakeFinished(false);
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.TakeOutput(), "");
}

}  // namespace
}  // namespace mxsweep::smtp
