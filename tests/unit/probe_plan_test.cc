// The probe plan with raw hellos, probe by probe (no sockets): which hello follows which failure,
// that the adaptive plan never passes 3 connections, and what ClassifyAddress makes of ServerHello
// evidence.
#include "scanner/verdict/address_classifier.h"
#include "scanner/verdict/probe_plan.h"

#include <gtest/gtest.h>

#include <functional>

namespace mxsweep {
namespace {

using tls::ProbeKind;

ProbeRecord Rec(ProbeKind kind, ProbeStatus status, uint16_t version = 0, uint16_t cipher = 0,
                bool legacy_suite = false) {
  ProbeRecord r;
  r.kind = kind;
  r.status = status;
  r.version = version;
  r.cipher_id = cipher;
  r.legacy_suite = legacy_suite;
  r.connected = true;
  if (status == ProbeStatus::kAccepted) r.evidence = Evidence::kHandshake;
  if (status == ProbeStatus::kAcceptedHelloOnly) r.evidence = Evidence::kServerHelloOnly;
  return r;
}

// Server answers a probe kind with a record.
using Server = std::function<ProbeRecord(ProbeKind)>;

// RunPlan drives the plan against a scripted server and returns what ran.
std::vector<ProbeRecord> RunPlan(const PlanOptions& plan, const Server& server) {
  std::vector<ProbeRecord> done;
  while (auto kind = NextProbe(plan, done)) {
    done.push_back(server(*kind));
    if (done.size() > 20) break;
  }
  return done;
}

std::vector<ProbeKind> Kinds(const std::vector<ProbeRecord>& done) {
  std::vector<ProbeKind> out;
  for (const ProbeRecord& r : done) out.push_back(r.kind);
  return out;
}

// DHE-only TLS 1.0 (openssl s_server -tls1 -cipher DHE-RSA-AES128-SHA): BoringSSL offers get
// handshake_failure, a 1.2-only offer protocol_version, a raw hello a TLS 1.0 ServerHello.
ProbeRecord DheOnlyTls10(ProbeKind kind) {
  if (tls::IsHelloKind(kind)) {
    if (tls::MinVersion(kind) > tls::kTls10) return Rec(kind, ProbeStatus::kVersionRefused);
    if (kind == ProbeKind::kHelloSsl3) return Rec(kind, ProbeStatus::kNoSharedCipher);
    return Rec(kind, ProbeStatus::kAcceptedHelloOnly, tls::kTls10, 0x0033, true);
  }
  if (kind == ProbeKind::kExo12 || kind == ProbeKind::kOnlyTls13) return Rec(kind, ProbeStatus::kVersionRefused);
  return Rec(kind, ProbeStatus::kNoSharedCipher);
}

TEST(ProbePlan, AdaptiveDheOnlyTls10IsLegacyOnlyInThree) {
  AddressFacts f;
  f.probes = RunPlan(PlanOptions{}, DheOnlyTls10);
  EXPECT_EQ(Kinds(f.probes), (std::vector<ProbeKind>{ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloAuto}));
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kLegacyOnly);
  EXPECT_TRUE(f.accepted_versions.empty()) << "a ServerHello is not an accepted version";
  ASSERT_EQ(f.hello_only_versions.size(), 1u);
  EXPECT_EQ(f.hello_only_versions[0].version, tls::kTls10);
  EXPECT_EQ(f.hello_only_versions[0].cipher_id, 0x0033);
  EXPECT_TRUE(f.hello_only_versions[0].legacy_suite);
  EXPECT_EQ(f.refused_versions, std::vector<uint16_t>{tls::kTls12});
  EXPECT_FALSE(f.legacy_accepted);
}

TEST(ProbePlan, FullDheOnlyTls10NeverCallsTls10Refused) {
  PlanOptions plan;
  plan.full = true;
  plan.versions = {ProbeKind::kHelloSsl3, ProbeKind::kOnlyTls10, ProbeKind::kOnlyTls11, ProbeKind::kOnlyTls12,
                   ProbeKind::kOnlyTls13};
  AddressFacts f;
  f.probes = RunPlan(plan, DheOnlyTls10);
  // The listed kinds, then the twins of the BoringSSL probes that got handshake_failure.
  EXPECT_EQ(Kinds(f.probes),
            (std::vector<ProbeKind>{ProbeKind::kAuto, ProbeKind::kHelloSsl3, ProbeKind::kOnlyTls10,
                                    ProbeKind::kOnlyTls11, ProbeKind::kOnlyTls12, ProbeKind::kOnlyTls13,
                                    ProbeKind::kHelloTls10, ProbeKind::kHelloTls11, ProbeKind::kHelloTls12}));
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kLegacyOnly);
  EXPECT_EQ(f.refused_versions, (std::vector<uint16_t>{tls::kSsl3, tls::kTls11, tls::kTls12, tls::kTls13}));
}

TEST(ProbePlan, AdaptiveExoMissingSuitesGetARawHello) {
  // TLS 1.2 with only ECDHE-RSA-AES128-SHA256 and TLS 1.3: auto gets 1.3, EXO's BoringSSL offer
  // finds no suite, the raw hello with EXO's CBC-SHA256/384 suites gets a ServerHello.
  auto server = [](ProbeKind kind) {
    switch (kind) {
      case ProbeKind::kAuto: return Rec(kind, ProbeStatus::kAccepted, tls::kTls13, 0x1301);
      case ProbeKind::kExo12: return Rec(kind, ProbeStatus::kNoSharedCipher);
      case ProbeKind::kHelloExo: return Rec(kind, ProbeStatus::kAcceptedHelloOnly, tls::kTls12, 0xC027, true);
      default: return Rec(kind, ProbeStatus::kVersionRefused);
    }
  };
  AddressFacts f;
  f.probes = RunPlan(PlanOptions{}, server);
  EXPECT_EQ(Kinds(f.probes), (std::vector<ProbeKind>{ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloExo}));
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kExoReady);
  EXPECT_TRUE(f.exo_ready);
  EXPECT_EQ(f.exo_evidence, Evidence::kServerHelloOnly);
  EXPECT_EQ(f.accepted_versions, std::vector<uint16_t>{tls::kTls13});
}

TEST(ProbePlan, AdaptiveExoRefusedByRawHelloIsNoSharedCipher) {
  // TLS 1.2 with only TLS_RSA AES-CBC-SHA: EXO offers none of them, and neither do its
  // CBC-SHA256/384 suites: NO_SHARED_CIPHER comes from the EXO emulation.
  auto server = [](ProbeKind kind) {
    switch (kind) {
      case ProbeKind::kAuto: return Rec(kind, ProbeStatus::kAccepted, tls::kTls12, 0x002F);
      case ProbeKind::kExo12:
      case ProbeKind::kHelloExo: return Rec(kind, ProbeStatus::kNoSharedCipher);
      default: return Rec(kind, ProbeStatus::kVersionRefused);
    }
  };
  AddressFacts f;
  f.probes = RunPlan(PlanOptions{}, server);
  EXPECT_EQ(Kinds(f.probes), (std::vector<ProbeKind>{ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloExo}));
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kNoSharedCipher);
  EXPECT_FALSE(f.exo_ready);
  EXPECT_EQ(f.exo_evidence, Evidence::kNone);
  EXPECT_TRUE(f.refused_versions.empty()) << "no-shared-cipher to EXO's suites refuses no version";
}

TEST(ProbePlan, AdaptiveLegacyHiddenBehindDheGetsARawHello) {
  // Modern TLS 1.2 with EXO's suites, plus TLS 1.0 with only DHE: auto proves EXO, BoringSSL's
  // legacy offer fails, a legacy client's offer gets TLS 1.0.
  auto server = [](ProbeKind kind) {
    switch (kind) {
      case ProbeKind::kAuto: return Rec(kind, ProbeStatus::kAccepted, tls::kTls12, 0xC02F);
      case ProbeKind::kLegacy: return Rec(kind, ProbeStatus::kNoSharedCipher);
      case ProbeKind::kHelloLegacy: return Rec(kind, ProbeStatus::kAcceptedHelloOnly, tls::kTls10, 0x0039, true);
      default: return Rec(kind, ProbeStatus::kVersionRefused);
    }
  };
  AddressFacts f;
  f.probes = RunPlan(PlanOptions{}, server);
  EXPECT_EQ(Kinds(f.probes), (std::vector<ProbeKind>{ProbeKind::kAuto, ProbeKind::kLegacy, ProbeKind::kHelloLegacy}));
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kExoReady);
  EXPECT_EQ(f.exo_evidence, Evidence::kHandshake);
  ASSERT_EQ(f.hello_only_versions.size(), 1u);
  EXPECT_EQ(f.hello_only_versions[0].version, tls::kTls10);
}

TEST(ProbePlan, ServerHelloThenAbortIsNotAccepted) {
  // OpenSMTPD on OpenSSL 3: every TLS 1.2 handshake aborts after the ServerHello, 1.3 works.
  auto server = [](ProbeKind kind) {
    switch (kind) {
      case ProbeKind::kAuto: return Rec(kind, ProbeStatus::kAccepted, tls::kTls13, 0x1302);
      case ProbeKind::kExo12: return Rec(kind, ProbeStatus::kTlsError);
      case ProbeKind::kHelloExo: return Rec(kind, ProbeStatus::kNoSharedCipher);
      default: return Rec(kind, ProbeStatus::kVersionRefused);
    }
  };
  AddressFacts f;
  f.probes = RunPlan(PlanOptions{}, server);
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kTls13Only);
  EXPECT_FALSE(f.exo_ready);
  EXPECT_EQ(f.accepted_versions, std::vector<uint16_t>{tls::kTls13});

  // And with only TLS 1.2, aborting: a ServerHello with a suite BoringSSL has, no handshake.
  AddressFacts g;
  g.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kTlsError), Rec(ProbeKind::kExo12, ProbeStatus::kTlsError),
              Rec(ProbeKind::kHelloAuto, ProbeStatus::kAcceptedHelloOnly, tls::kTls12, 0xC030, false)};
  ClassifyAddress(&g);
  EXPECT_EQ(g.cls, AddressClass::kTlsBroken);
  EXPECT_FALSE(g.exo_ready) << "a modern suite in a ServerHello is not EXO-ready evidence";
  ASSERT_EQ(g.hello_only_versions.size(), 1u);
  EXPECT_FALSE(g.hello_only_versions[0].legacy_suite);
}

TEST(ProbePlan, AdaptiveNeverUsesMoreThanThreeConnections) {
  // Every combination of answers the planner branches on, for every kind.
  const ProbeStatus statuses[] = {ProbeStatus::kAccepted, ProbeStatus::kAcceptedHelloOnly,
                                  ProbeStatus::kVersionRefused, ProbeStatus::kNoSharedCipher,
                                  ProbeStatus::kHandshakeClosed, ProbeStatus::kTlsError,
                                  ProbeStatus::kTimeout, ProbeStatus::kReset};
  const uint16_t versions[] = {tls::kTls10, tls::kTls12, tls::kTls13};
  const uint16_t ciphers[] = {0xC02F, 0x002F};
  size_t n = std::size(statuses);
  for (size_t a = 0; a < n; a++) {
    for (size_t b = 0; b < n; b++) {
      for (size_t c = 0; c < n; c++) {
        for (uint16_t v : versions) {
          for (uint16_t cipher : ciphers) {
            int step = 0;
            auto server = [&](ProbeKind kind) {
              ProbeStatus s = statuses[step == 0 ? a : step == 1 ? b : c];
              step++;
              bool ok = s == ProbeStatus::kAccepted || s == ProbeStatus::kAcceptedHelloOnly;
              if (tls::IsHelloKind(kind) && s == ProbeStatus::kAccepted) s = ProbeStatus::kAcceptedHelloOnly;
              if (!tls::IsHelloKind(kind) && s == ProbeStatus::kAcceptedHelloOnly) s = ProbeStatus::kAccepted;
              return Rec(kind, s, ok ? v : 0, ok ? cipher : 0);
            };
            std::vector<ProbeRecord> done = RunPlan(PlanOptions{}, server);
            EXPECT_LE(done.size(), 3u) << a << b << c << " v" << v;
          }
        }
      }
    }
  }
}

TEST(ProbePlan, VersionRefusedNeedsNoSecondOpinion) {
  PlanOptions plan;
  plan.full = true;
  auto server = [](ProbeKind kind) {
    if (kind == ProbeKind::kAuto || kind == ProbeKind::kOnlyTls12) return Rec(kind, ProbeStatus::kAccepted, tls::kTls12, 0xC02F);
    return Rec(kind, ProbeStatus::kVersionRefused);
  };
  std::vector<ProbeRecord> done = RunPlan(plan, server);
  EXPECT_EQ(done.size(), 5u) << "auto + four forced versions, no hello twins";
}

// A rate-limiting server: auto completes, then every later connection gets 421 (after the
// retries) or no greeting. What auto saw alone cannot say "TLS 1.3 only" or "no EXO suite".
TEST(ProbePlanClassify, AutoAloneThenTempFailIsNotProbed) {
  AddressFacts f;
  f.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
              Rec(ProbeKind::kExo12, ProbeStatus::kTempFail)};
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kTempFail);
  EXPECT_EQ(f.accepted_versions, std::vector<uint16_t>{tls::kTls13}) << "what was seen stays on record";

  AddressFacts g;
  g.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls12, 0xCCA8),
              Rec(ProbeKind::kExo12, ProbeStatus::kGreetingTimeout)};
  ClassifyAddress(&g);
  EXPECT_EQ(g.cls, AddressClass::kUnreachable);

  AddressFacts h;  // auto's handshake failed; the plain-1.2 retry and the raw hello never ran
  h.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kNoSharedCipher),
              Rec(ProbeKind::kExo12, ProbeStatus::kTempFail)};
  ClassifyAddress(&h);
  EXPECT_EQ(h.cls, AddressClass::kTempFail) << "not tls-broken on auto's word alone";
}

TEST(ProbePlanClassify, AutoThenAnAnswerStillDecides) {
  AddressFacts f;
  f.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
              Rec(ProbeKind::kExo12, ProbeStatus::kVersionRefused),
              Rec(ProbeKind::kLegacy, ProbeStatus::kTempFail)};
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kTls13Only) << "EXO's offer was refused: that is an answer";

  AddressFacts g;
  ProbeRecord stalled = Rec(ProbeKind::kExo12, ProbeStatus::kTimeout);
  stalled.tls_attempted = true;  // the server went silent on the ClientHello, twice
  stalled.attempts = 2;
  stalled.confirmed = true;
  g.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301), stalled};
  ClassifyAddress(&g);
  EXPECT_EQ(g.cls, AddressClass::kUnreachable)
      << "a stall, even twice, is no plain answer to 'would EXO get TLS 1.2?'";

  AddressFacts once;  // silent once, and the budget ran out before it could be asked again
  stalled.attempts = 1;
  stalled.confirmed = false;
  once.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301), stalled};
  ClassifyAddress(&once);
  EXPECT_EQ(once.cls, AddressClass::kUnreachable) << "one stall is no answer";
}

TEST(ProbePlanClassify, ResetsAfterStartTlsAreBrokenTlsNotUnreachable) {
  AddressFacts f;
  for (ProbeKind kind : {ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloAuto}) {
    ProbeRecord r = Rec(kind, ProbeStatus::kReset);
    r.tls_attempted = true;
    r.attempts = 2;
    r.confirmed = true;  // each reset happened again when asked again
    f.probes.push_back(r);
  }
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kTlsBroken);

  AddressFacts unconfirmed;  // the same resets, each seen once: the network may have done it
  for (ProbeKind kind : {ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloAuto}) {
    ProbeRecord r = Rec(kind, ProbeStatus::kReset);
    r.tls_attempted = true;
    unconfirmed.probes.push_back(r);
  }
  ClassifyAddress(&unconfirmed);
  EXPECT_EQ(unconfirmed.cls, AddressClass::kUnreachable);

  AddressFacts g;  // the same resets before STARTTLS: the network's, not TLS's
  for (ProbeKind kind : {ProbeKind::kAuto, ProbeKind::kExo12, ProbeKind::kHelloAuto}) {
    g.probes.push_back(Rec(kind, ProbeStatus::kReset));
  }
  ClassifyAddress(&g);
  EXPECT_EQ(g.cls, AddressClass::kUnreachable);
}

// --- issue 16: faults before TLS are never an answer about TLS --------------------------------

ProbeRecord Tls(ProbeRecord r) {
  r.tls_attempted = true;
  return r;
}

TEST(ProbeRetry, FaultsBeforeTlsAreAskedAgain) {
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kExo12, ProbeStatus::kClosed), true, true), RetryReason::kNoAnswer);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kExo12, ProbeStatus::kReset), true, true), RetryReason::kNoAnswer);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kAuto, ProbeStatus::kClosed), false, false), RetryReason::kNoAnswer)
      << "closed after connecting, before STARTTLS";
  // A silent or refusing address that never answered is what it is; after an answer, a fault.
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kAuto, ProbeStatus::kGreetingTimeout), false, false), RetryReason::kNone);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kExo12, ProbeStatus::kGreetingTimeout), true, true), RetryReason::kNoAnswer);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kAuto, ProbeStatus::kConnectRefused), false, false), RetryReason::kNone);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kLegacy, ProbeStatus::kConnectRefused), true, true), RetryReason::kNoAnswer);
  // Answers are not retried.
  EXPECT_EQ(RetryFor(Tls(Rec(ProbeKind::kExo12, ProbeStatus::kNoSharedCipher)), true, true), RetryReason::kNone);
  EXPECT_EQ(RetryFor(Tls(Rec(ProbeKind::kExo12, ProbeStatus::kVersionRefused)), true, true), RetryReason::kNone);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kAuto, ProbeStatus::kGreetingRefused), false, false), RetryReason::kNone);
}

TEST(ProbeRetry, AmbiguousAnswersAreConfirmedOnce) {
  ProbeRecord reset = Tls(Rec(ProbeKind::kExo12, ProbeStatus::kReset));
  EXPECT_EQ(RetryFor(reset, true, true), RetryReason::kConfirm);
  reset.attempts = 2;
  EXPECT_EQ(RetryFor(reset, true, true), RetryReason::kNone) << "asked twice: the answer stands";
  EXPECT_EQ(RetryFor(Tls(Rec(ProbeKind::kAuto, ProbeStatus::kHandshakeClosed)), true, true), RetryReason::kConfirm);
  EXPECT_EQ(RetryFor(Tls(Rec(ProbeKind::kAuto, ProbeStatus::kTimeout)), true, true), RetryReason::kConfirm);
}

TEST(ProbeRetry, MissingStartTlsIsConfirmedOrAnAnomaly) {
  ProbeRecord none = Rec(ProbeKind::kAuto, ProbeStatus::kNoStartTls);
  EXPECT_EQ(RetryFor(none, false, false), RetryReason::kConfirm);
  none.attempts = 2;
  EXPECT_EQ(RetryFor(none, true, false), RetryReason::kNone);
  EXPECT_EQ(RetryFor(Rec(ProbeKind::kExo12, ProbeStatus::kNoStartTls), true, true), RetryReason::kInconsistent);
}

TEST(ProbeRetry, AResetBeforeStartTlsDoesNotAskTheRawHello) {
  // The EXO probe was cut before STARTTLS (and stayed cut): no hello-EXO, whose
  // handshake_failure to two CBC suites would then pass for an answer.
  std::vector<ProbeRecord> done = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
                                   Rec(ProbeKind::kExo12, ProbeStatus::kReset)};
  std::optional<ProbeKind> next = NextProbe(PlanOptions{}, done);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, ProbeKind::kLegacy);
  done[1] = Tls(Rec(ProbeKind::kExo12, ProbeStatus::kReset));
  done[1].confirmed = true;
  EXPECT_EQ(NextProbe(PlanOptions{}, done), ProbeKind::kHelloExo) << "a confirmed reset mid-handshake may hide a suite";
}

TEST(ProbeRetry, ADroppedSecondConnectionLeavesTheQuestionOpen) {
  // auto: TLS 1.3; EXO's offer never got an answer (every retry cut before STARTTLS); the
  // legacy probe was refused. Not TLS13_ONLY: nobody asked TLS 1.2 with an answer.
  AddressFacts f;
  f.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
              Rec(ProbeKind::kExo12, ProbeStatus::kClosed),
              Tls(Rec(ProbeKind::kLegacy, ProbeStatus::kVersionRefused))};
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kUnreachable);

  AddressFacts chacha;  // TLS 1.2 with CHACHA20 only from auto; EXO's offer unanswered
  chacha.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls12, 0xCCA8),
                   Rec(ProbeKind::kExo12, ProbeStatus::kReset),
                   Tls(Rec(ProbeKind::kLegacy, ProbeStatus::kVersionRefused))};
  ClassifyAddress(&chacha);
  EXPECT_EQ(chacha.cls, AddressClass::kUnreachable) << "not NO_SHARED_CIPHER";

  AddressFacts inconsistent;  // STARTTLS missing on EXO's connection only
  inconsistent.starttls = true;
  ProbeRecord missing = Rec(ProbeKind::kExo12, ProbeStatus::kNoStartTls);
  missing.attempts = 2;
  missing.confirmed = true;
  inconsistent.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301), missing};
  ClassifyAddress(&inconsistent);
  EXPECT_EQ(inconsistent.cls, AddressClass::kUnreachable) << "not NO_STARTTLS, not TLS13_ONLY";
}

TEST(ProbeRetry, AServerThatIgnoresTheOfferIsBrokenNotExoReady) {
  // The same ServerHello (ECDHE-RSA-AES256-CBC-SHA384) to every offer: BoringSSL's probes see a
  // suite they did not offer; the raw hello that did offer it must not make the address ready.
  ProbeRecord wrong = Tls(Rec(ProbeKind::kAuto, ProbeStatus::kTlsError));
  wrong.unoffered_choice = true;
  ProbeRecord exo = Tls(Rec(ProbeKind::kExo12, ProbeStatus::kTlsError));
  exo.unoffered_choice = true;
  ProbeRecord hello = Tls(Rec(ProbeKind::kHelloExo, ProbeStatus::kAcceptedHelloOnly, tls::kTls12, 0xC028));
  hello.legacy_suite = true;
  AddressFacts f;
  f.probes = {wrong, exo, hello};
  ClassifyAddress(&f);
  EXPECT_FALSE(f.exo_ready);
  EXPECT_EQ(f.cls, AddressClass::kTlsBroken);
  EXPECT_TRUE(f.hello_only_versions.empty());
}

}  // namespace
}  // namespace mxsweep

namespace mxsweep {
namespace {

ProbeRecord Refusal(ProbeStatus status, int code, ProbeKind kind = ProbeKind::kAuto) {
  ProbeRecord r = Rec(kind, status);
  r.reply_code = code;
  return r;
}

// A refusal that names rate limits, a blocklist or policy is "not now" with a 4xx (retried, then
// tempfail) and "no" with a 5xx (not retried, unreachable): never a class that decides a verdict.
TEST(ProbeRefusal, FourHundredsAreTemporaryFiveHundredsAreFinal) {
  for (ProbeStatus s : {ProbeStatus::kRateLimited, ProbeStatus::kBlocklisted, ProbeStatus::kPolicyRefused}) {
    EXPECT_TRUE(IsTemporaryRefusal(Refusal(s, 421))) << ProbeStatusName(s);
    EXPECT_TRUE(IsTemporaryRefusal(Refusal(s, 450))) << ProbeStatusName(s);
    EXPECT_FALSE(IsTemporaryRefusal(Refusal(s, 554))) << ProbeStatusName(s);
    EXPECT_TRUE(IsSessionBlocker(s)) << "the rest of the plan would meet the same refusal";
    EXPECT_TRUE(Unanswered(Refusal(s, 554))) << "says nothing about TLS";
    EXPECT_EQ(RetryFor(Refusal(s, 554), true, true), RetryReason::kNone) << "no fault retry either";

    AddressFacts temp;
    temp.probes = {Refusal(s, 421)};
    ClassifyAddress(&temp);
    EXPECT_EQ(temp.cls, AddressClass::kTempFail) << ProbeStatusName(s);

    AddressFacts final_no;
    final_no.probes = {Refusal(s, 554)};
    ClassifyAddress(&final_no);
    EXPECT_EQ(final_no.cls, AddressClass::kUnreachable) << ProbeStatusName(s);
  }
  EXPECT_TRUE(IsTemporaryRefusal(Rec(ProbeKind::kAuto, ProbeStatus::kTempFail)));
  EXPECT_FALSE(IsTemporaryRefusal(Refusal(ProbeStatus::kGreetingRefused, 554)));
}

// auto proved TLS 1.3; the EXO probe then met a blocklist: the question "would EXO's offer get
// TLS 1.2?" stays open, so not tls13-only.
TEST(ProbeRefusal, ALaterRefusalLeavesTheQuestionOpen) {
  AddressFacts f;
  f.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
              Refusal(ProbeStatus::kBlocklisted, 554, ProbeKind::kExo12)};
  ClassifyAddress(&f);
  EXPECT_EQ(f.cls, AddressClass::kUnreachable);

  AddressFacts g;
  g.probes = {Rec(ProbeKind::kAuto, ProbeStatus::kAccepted, tls::kTls13, 0x1301),
              Refusal(ProbeStatus::kRateLimited, 421, ProbeKind::kExo12)};
  ClassifyAddress(&g);
  EXPECT_EQ(g.cls, AddressClass::kTempFail);
}

}  // namespace
}  // namespace mxsweep
