#include "scanner/probe_plan.h"

#include <algorithm>

#include "tls/client_contexts.h"

namespace mxsweep {
namespace {

using tls::ProbeKind;

template <typename T>
void AddUnique(std::vector<T>* list, T value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

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

// Unanswered reports whether |r| ended before the server said anything about TLS: the network
// or the server's load (421, no greeting, refused connection, a reset before STARTTLS), not an
// answer to a ClientHello or to STARTTLS.
bool Unanswered(const ProbeRecord& r) {
  if (r.tls_attempted) return false;
  switch (r.status) {
    case ProbeStatus::kTempFail:
    case ProbeStatus::kGreetingTimeout:
    case ProbeStatus::kGreetingRefused:
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

// MayHideAcceptance reports whether a BoringSSL probe's failure could mean "no suite BoringSSL
// has" rather than "not this version": handshake_failure, a close or reset mid-handshake, another
// alert. Only a raw hello offering every suite can tell. A refused version (alert
// protocol_version, a lower version chosen) is an answer and needs no second opinion.
bool MayHideAcceptance(ProbeStatus s) {
  switch (s) {
    case ProbeStatus::kNoSharedCipher:
    case ProbeStatus::kHandshakeClosed:
    case ProbeStatus::kReset:
    case ProbeStatus::kTlsError:
      return true;
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
      if (MayHideAcceptance(exo->status)) {
        return Ran(done, ProbeKind::kHelloExo) ? std::nullopt : std::optional(ProbeKind::kHelloExo);
      }
    }
    if (legacy == nullptr) return ProbeKind::kLegacy;
    // A legacy server that takes only DHE or RC4 suites fails BoringSSL's legacy offer; with the
    // budget left (auto proved EXO), let a legacy client's offer ask.
    if (exo_proven && MayHideAcceptance(legacy->status) && !Ran(done, ProbeKind::kHelloLegacy)) {
      return ProbeKind::kHelloLegacy;
    }
    return std::nullopt;
  }
  if (!IsHandshakeFailure(first->status)) return std::nullopt;
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
    if (r != nullptr && MayHideAcceptance(r->status) && !Ran(done, twin)) return twin;
  }
  // With no forced version in the list (--versions EXO), only auto can speak for the versions.
  const ProbeRecord* first = Find(done, ProbeKind::kAuto);
  if (!forced_version && first != nullptr && IsHandshakeFailure(first->status) &&
      !Ran(done, ProbeKind::kHelloAuto)) {
    return ProbeKind::kHelloAuto;
  }
  return std::nullopt;
}

}  // namespace

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
      return true;
    default:
      return false;
  }
}

std::vector<ProbeKind> PlannedKinds(const PlanOptions& plan) {
  std::vector<ProbeKind> kinds = {ProbeKind::kAuto};
  if (plan.full) {
    static constexpr ProbeKind kEveryVersion[] = {ProbeKind::kTls10, ProbeKind::kTls11,
                                                  ProbeKind::kTls12, ProbeKind::kTls13};
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

void Classify(AddressFacts* facts) {
  facts->accepted_versions.clear();
  facts->hello_only_versions.clear();
  facts->refused_versions.clear();
  facts->best_version = 0;
  facts->legacy_accepted = false;
  facts->exo_ready = false;
  facts->exo_evidence = Evidence::kNone;
  bool tls12_accepted = false, exo_no_cipher = false, reached_tls = false, tempfail = false;
  bool refused = false, no_starttls = false, exo_hello_ready = false, tls12_legacy_hello = false;
  std::vector<HelloOnlyVersion> hello;
  std::vector<uint16_t> refused_versions;
  for (const ProbeRecord& r : facts->probes) {
    if (r.status == ProbeStatus::kAccepted) {
      reached_tls = true;
      AddUnique(&facts->accepted_versions, r.version);
      facts->best_version = std::max(facts->best_version, r.version);
      if (r.version <= tls::kTls11) facts->legacy_accepted = true;
      if (r.version == tls::kTls12) {
        tls12_accepted = true;
        if (IsExoSuite(r.cipher_id)) facts->exo_ready = true;
      }
    }
    if (r.status == ProbeStatus::kAcceptedHelloOnly) {
      reached_tls = true;
      bool seen = std::any_of(hello.begin(), hello.end(),
                              [&](const HelloOnlyVersion& h) { return h.version == r.version; });
      if (!seen) hello.push_back({r.version, r.cipher_id, r.cipher, r.legacy_suite});
      if (r.version == tls::kTls12 && r.legacy_suite) {
        // A suite BoringSSL lacks, so no handshake could have been tried with it: the
        // ServerHello is the best evidence there is. EXO's CBC-SHA256/384 suites make the
        // address EXO-ready on that evidence; any other says TLS 1.2 without EXO's suites.
        if (IsExoSuite(r.cipher_id)) {
          exo_hello_ready = true;
        } else {
          tls12_legacy_hello = true;
        }
      }
    }
    if (r.kind == tls::ProbeKind::kExo12 && r.status == ProbeStatus::kNoSharedCipher) exo_no_cipher = true;
    // Refusals: the server said "not this version" to an offer of exactly these versions, or a
    // raw hello offering every registered suite found none. auto's refusals say nothing precise.
    bool range_known = r.kind != tls::ProbeKind::kAuto && r.kind != tls::ProbeKind::kHelloAuto;
    bool hello_no_suite = r.status == ProbeStatus::kNoSharedCipher && tls::IsHelloKind(r.kind) &&
                          r.kind != tls::ProbeKind::kHelloExo;
    if (range_known && (r.status == ProbeStatus::kVersionRefused || hello_no_suite)) {
      for (uint16_t v = tls::MinVersion(r.kind); v <= tls::MaxVersion(r.kind); v++) {
        AddUnique(&refused_versions, v);
      }
    }
    switch (r.status) {
      case ProbeStatus::kVersionRefused:
      case ProbeStatus::kNoSharedCipher:
      case ProbeStatus::kHandshakeClosed:
      case ProbeStatus::kTlsError:
      case ProbeStatus::kNotTls:
      case ProbeStatus::kStartTlsInjection:
      case ProbeStatus::kStartTlsRefused:
        reached_tls = true;  // STARTTLS was advertised and TLS was tried
        break;
      case ProbeStatus::kReset:
      case ProbeStatus::kTimeout:
      case ProbeStatus::kClosed:
        // A reset, stall or close after STARTTLS's 220 is the server's answer to a ClientHello.
        if (r.tls_attempted) reached_tls = true;
        break;
      case ProbeStatus::kNoStartTls: no_starttls = true; break;
      case ProbeStatus::kTempFail: tempfail = true; break;
      case ProbeStatus::kTargetRefused:
      case ProbeStatus::kExcluded: refused = true; break;
      default: break;
    }
  }
  std::sort(facts->accepted_versions.begin(), facts->accepted_versions.end());
  auto accepted = [&](uint16_t v) {
    return std::find(facts->accepted_versions.begin(), facts->accepted_versions.end(), v) !=
           facts->accepted_versions.end();
  };
  uint16_t hello_best = 0;
  for (const HelloOnlyVersion& h : hello) {
    if (accepted(h.version)) continue;
    facts->hello_only_versions.push_back(h);
    hello_best = std::max(hello_best, h.version);
  }
  std::sort(facts->hello_only_versions.begin(), facts->hello_only_versions.end(),
            [](const HelloOnlyVersion& a, const HelloOnlyVersion& b) { return a.version < b.version; });
  for (uint16_t v : refused_versions) {
    bool hello_seen = std::any_of(hello.begin(), hello.end(),
                                  [v](const HelloOnlyVersion& h) { return h.version == v; });
    if (!accepted(v) && !hello_seen) facts->refused_versions.push_back(v);
  }
  std::sort(facts->refused_versions.begin(), facts->refused_versions.end());

  if (facts->exo_ready) {
    facts->exo_evidence = Evidence::kHandshake;
  } else if (exo_hello_ready) {
    facts->exo_ready = true;
    facts->exo_evidence = Evidence::kServerHelloOnly;
  }
  // The highest version anything showed, ServerHello evidence included: a server whose TLS 1.0
  // takes only DHE suites tops out at TLS 1.0 for a legacy client, it is not broken.
  uint16_t best_seen = std::max(facts->best_version, hello_best);

  if (facts->exo_ready) {
    facts->cls = AddressClass::kExoReady;
  } else if (best_seen != 0) {
    if (best_seen <= tls::kTls11) {
      facts->cls = AddressClass::kLegacyOnly;
    } else if (tls12_accepted || exo_no_cipher || tls12_legacy_hello) {
      // TLS 1.2 is there, but not with any suite EXO offers.
      facts->cls = AddressClass::kNoSharedCipher;
    } else if (facts->best_version == tls::kTls13) {
      facts->cls = AddressClass::kTls13Only;
    } else {
      // Only ServerHellos with suites BoringSSL has, and no handshake completes with them: the
      // server aborts after its ServerHello.
      facts->cls = AddressClass::kTlsBroken;
    }
  } else if (no_starttls) {
    facts->cls = AddressClass::kNoStartTls;
  } else if (reached_tls) {
    facts->cls = AddressClass::kTlsBroken;
  } else if (refused) {
    facts->cls = AddressClass::kRefused;
  } else if (tempfail) {
    facts->cls = AddressClass::kTempFail;
  } else {
    facts->cls = AddressClass::kUnreachable;
  }

  // TLS 1.3, or TLS 1.2 with a suite EXO does not offer, or a failed handshake, seen by auto
  // alone is a question the next probes (EXO's offer, a raw hello) must answer. When no later
  // probe reached TLS (a 421 after the retries, a greeting timeout, a refused connection: a
  // rate-limiting server), the question is open: the address is not probed, rather than "TLS 1.3
  // only" or "broken".
  bool auto_only = facts->cls == AddressClass::kTls13Only || facts->cls == AddressClass::kNoSharedCipher ||
                   facts->cls == AddressClass::kTlsBroken;
  bool later_answered = false, later_unanswered = false;
  for (const ProbeRecord& r : facts->probes) {
    if (r.kind == tls::ProbeKind::kAuto || r.status == ProbeStatus::kSkipped) continue;
    if (Unanswered(r)) {
      later_unanswered = true;
    } else {
      later_answered = true;
    }
  }
  if (auto_only && later_unanswered && !later_answered) {
    facts->cls = tempfail ? AddressClass::kTempFail : AddressClass::kUnreachable;
  }
}

}  // namespace mxsweep
