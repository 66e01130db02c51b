#include "scanner/verdict/probe_plan.h"

#include <algorithm>

#include "tls/client_contexts.h"

namespace mxsweep {
namespace {

using tls::ProbeKind;

const ProbeRecord* Find(const std::vector<ProbeRecord>& done, ProbeKind kind) {
  for (const ProbeRecord& r : done) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

bool Ran(const std::vector<ProbeRecord>& done, ProbeKind kind) { return Find(done, kind) != nullptr; }

bool IsHandshakeFailure(ProbeStatus s) {
  switch (s) {
    case ProbeStatus::kVersionRefused:
    case ProbeStatus::kNoSharedCipher:
    case ProbeStatus::kHandshakeClosed:
    case ProbeStatus::kTlsError:
    case ProbeStatus::kReset:
    case ProbeStatus::kTimeout:
      return true;
    default:
      return false;
  }
}

// MayHideAcceptance reports whether a BoringSSL probe's failure could mean "no suite BoringSSL
// has" rather than "not this version": handshake_failure, a (confirmed) close or reset
// mid-handshake, another alert. Only a raw hello offering every suite can tell. A refused version
// (alert protocol_version, a lower version chosen) is an answer and needs no second opinion, and
// a failure before the ClientHello says nothing at all.
bool MayHideAcceptance(const ProbeRecord& r) {
  if (Unanswered(r)) return false;
  switch (r.status) {
    case ProbeStatus::kNoSharedCipher:
    case ProbeStatus::kTlsError:
      return !r.unoffered_choice;  // a server that ignores the offer: no raw hello will help
    case ProbeStatus::kHandshakeClosed:
    case ProbeStatus::kReset:
      return r.tls_attempted;
    default:
      return false;
  }
}

// NextAdaptive keeps the default plan at 3 connections or fewer (DESIGN.md §3, README "Connections
// per address"): auto, then at most two of EXO, legacy and one raw hello where BoringSSL's cipher
// coverage could hide the truth.
std::optional<ProbeKind> NextAdaptive(const std::vector<ProbeRecord>& done) {
  const ProbeRecord* first = Find(done, ProbeKind::kAuto);
  if (first == nullptr) return ProbeKind::kAuto;
  const ProbeRecord* exo = Find(done, ProbeKind::kExo12);
  const ProbeRecord* legacy = Find(done, ProbeKind::kLegacy);
  if (first->status == ProbeStatus::kAccepted) {
    // The server chose its best version from the whole range.
    if (first->version <= tls::kTls11) return std::nullopt;  // tops out at 1.0/1.1: decided
    // TLS 1.3, or 1.2 with a suite EXO does not offer: would EXO's own offer get TLS 1.2?
    bool exo_proven = first->version == tls::kTls12 && IsExoSuite(first->cipher_id);
    if (!exo_proven) {
      if (exo == nullptr) return ProbeKind::kExo12;
      // EXO's offer failed in a way that may only mean "not BoringSSL's suites": ask about the
      // two EXO suites BoringSSL lacks. That is the third connection; the legacy column stays
      // unknown rather than the budget growing.
      if (MayHideAcceptance(*exo)) {
        return Ran(done, ProbeKind::kHelloExo) ? std::nullopt : std::optional(ProbeKind::kHelloExo);
      }
    }
    if (legacy == nullptr) return ProbeKind::kLegacy;
    // A legacy server that takes only DHE or RC4 suites fails BoringSSL's legacy offer; with the
    // budget left (auto proved EXO), let a legacy client's offer ask.
    if (exo_proven && MayHideAcceptance(*legacy) && !Ran(done, ProbeKind::kHelloLegacy)) {
      return ProbeKind::kHelloLegacy;
    }
    return std::nullopt;
  }
  // A first connection that never got an answer about TLS leaves nothing to build on.
  if (Unanswered(*first) || !IsHandshakeFailure(first->status)) return std::nullopt;
  // Everything BoringSSL has failed as one offer. Old servers sometimes choke on a TLS 1.3-style
  // ClientHello (version intolerance) yet complete a plain 1.2 one: try EXO's offer once.
  if (exo == nullptr) return ProbeKind::kExo12;
  if (exo->status == ProbeStatus::kAccepted) {
    return legacy == nullptr ? std::optional(ProbeKind::kLegacy) : std::nullopt;
  }
  // Neither worked: a legacy client's offer (every suite up to TLS 1.2) learns the version and
  // suite the server really takes — DHE- or RC4-only TLS 1.0, SSL 3.0, or a ServerHello that a
  // handshake would not get past.
  return Ran(done, ProbeKind::kHelloAuto) ? std::nullopt : std::optional(ProbeKind::kHelloAuto);
}

// NextFull runs the listed kinds, then for every BoringSSL kind whose failure may hide an
// acceptance, its raw-hello twin.
std::optional<ProbeKind> NextFull(const PlanOptions& plan, const std::vector<ProbeRecord>& done) {
  std::vector<ProbeKind> kinds = PlannedKinds(plan);
  for (ProbeKind k : kinds) {
    if (!Ran(done, k)) return k;
  }
  bool forced_version = false;
  for (ProbeKind k : kinds) {
    if (k == ProbeKind::kAuto || tls::IsHelloKind(k)) continue;
    if (tls::ForcedVersion(k) != 0 && k != ProbeKind::kExo12) forced_version = true;
    const ProbeRecord* r = Find(done, k);
    ProbeKind twin = tls::HelloTwin(k);
    if (r != nullptr && MayHideAcceptance(*r) && !Ran(done, twin)) return twin;
  }
  // With no forced version in the list (--versions EXO), only auto can speak for the versions.
  const ProbeRecord* first = Find(done, ProbeKind::kAuto);
  if (!forced_version && first != nullptr && !Unanswered(*first) && IsHandshakeFailure(first->status) &&
      !Ran(done, ProbeKind::kHelloAuto)) {
    return ProbeKind::kHelloAuto;
  }
  return std::nullopt;
}

}  // namespace

bool IsAmbiguousTlsFailure(const ProbeRecord& r) {
  if (!r.tls_attempted) return false;
  switch (r.status) {
    case ProbeStatus::kHandshakeClosed:
    case ProbeStatus::kReset:
    case ProbeStatus::kTimeout:
    case ProbeStatus::kClosed:
      return true;
    default:
      return false;
  }
}

bool IsTemporaryRefusal(const ProbeRecord& r) {
  switch (r.status) {
    case ProbeStatus::kTempFail:
      return true;
    case ProbeStatus::kRateLimited:
    case ProbeStatus::kBlocklisted:
    case ProbeStatus::kPolicyRefused:
      return r.reply_code / 100 == 4;
    default:
      return false;
  }
}

bool Unanswered(const ProbeRecord& r) {
  if (IsAmbiguousTlsFailure(r) || r.status == ProbeStatus::kNoStartTls) return !r.confirmed;
  if (r.tls_attempted) return false;
  switch (r.status) {
    case ProbeStatus::kTempFail:
    case ProbeStatus::kRateLimited:
    case ProbeStatus::kBlocklisted:
    case ProbeStatus::kPolicyRefused:
    case ProbeStatus::kGreetingTimeout:
    case ProbeStatus::kConnectRefused:
    case ProbeStatus::kConnectTimeout:
    case ProbeStatus::kConnectError:
    case ProbeStatus::kReset:
    case ProbeStatus::kTimeout:
    case ProbeStatus::kClosed:
    case ProbeStatus::kProtocolError:
      return true;
    default:
      return false;
  }
}

RetryReason RetryFor(const ProbeRecord& r, bool reached_before, bool starttls_seen) {
  if (r.status == ProbeStatus::kNoStartTls) {
    if (starttls_seen) return RetryReason::kInconsistent;
    return r.attempts < 2 ? RetryReason::kConfirm : RetryReason::kNone;
  }
  if (IsAmbiguousTlsFailure(r)) return r.attempts < 2 ? RetryReason::kConfirm : RetryReason::kNone;
  if (r.tls_attempted) return RetryReason::kNone;
  switch (r.status) {
    case ProbeStatus::kReset:
    case ProbeStatus::kTimeout:
    case ProbeStatus::kClosed:
    case ProbeStatus::kProtocolError:
      // Connected, greeted or not, and cut before STARTTLS's 220.
      return RetryReason::kNoAnswer;
    case ProbeStatus::kGreetingTimeout:
    case ProbeStatus::kConnectRefused:
    case ProbeStatus::kConnectTimeout:
    case ProbeStatus::kConnectError:
      // The address's nature when nothing ever answered; a fault when something did.
      return reached_before ? RetryReason::kNoAnswer : RetryReason::kNone;
    default:
      return RetryReason::kNone;
  }
}

bool IsSessionBlocker(ProbeStatus status) {
  switch (status) {
    case ProbeStatus::kNoStartTls:
    case ProbeStatus::kStartTlsRefused:
    case ProbeStatus::kStartTlsInjection:
    case ProbeStatus::kGreetingRefused:
    case ProbeStatus::kEhloRefused:
    case ProbeStatus::kGreetingTimeout:
    case ProbeStatus::kConnectRefused:
    case ProbeStatus::kConnectTimeout:
    case ProbeStatus::kConnectError:
    case ProbeStatus::kTargetRefused:
    case ProbeStatus::kExcluded:
    case ProbeStatus::kTempFail:
    case ProbeStatus::kRateLimited:
    case ProbeStatus::kBlocklisted:
    case ProbeStatus::kPolicyRefused:
      return true;
    default:
      return false;
  }
}

std::vector<ProbeKind> PlannedKinds(const PlanOptions& plan) {
  std::vector<ProbeKind> kinds = {ProbeKind::kAuto};
  if (plan.full) {
    static constexpr ProbeKind kEveryVersion[] = {ProbeKind::kOnlyTls10, ProbeKind::kOnlyTls11,
                                                  ProbeKind::kOnlyTls12, ProbeKind::kOnlyTls13};
    std::vector<ProbeKind> versions = plan.versions;
    if (versions.empty()) versions.assign(std::begin(kEveryVersion), std::end(kEveryVersion));
    for (ProbeKind k : versions) {
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    }
  }
  return kinds;
}

std::optional<ProbeKind> NextProbe(const PlanOptions& plan, const std::vector<ProbeRecord>& done) {
  for (const ProbeRecord& r : done) {
    if (IsSessionBlocker(r.status)) return std::nullopt;
  }
  return plan.full ? NextFull(plan, done) : NextAdaptive(done);
}

bool IsExoSuite(uint16_t cipher_id) {
  return std::find(std::begin(tls::kExoCipherSuites), std::end(tls::kExoCipherSuites), cipher_id) !=
         std::end(tls::kExoCipherSuites);
}

}  // namespace mxsweep
