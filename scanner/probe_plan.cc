#include "scanner/probe_plan.h"

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

std::optional<ProbeKind> NextAdaptive(const std::vector<ProbeRecord>& done) {
  const ProbeRecord* first = Find(done, ProbeKind::kAuto);
  if (first == nullptr) return ProbeKind::kAuto;
  if (first->status == ProbeStatus::kAccepted) {
    // The server chose its best version from the whole range.
    if (first->version <= tls::kTls11) return std::nullopt;  // tops out at 1.0/1.1: decided
    // TLS 1.3, or 1.2 with a suite EXO does not offer: would EXO's own offer get TLS 1.2?
    bool exo_proven = first->version == tls::kTls12 && IsExoSuite(first->cipher_id);
    if (!exo_proven && !Ran(done, ProbeKind::kExo12)) return ProbeKind::kExo12;
    if (!Ran(done, ProbeKind::kLegacy)) return ProbeKind::kLegacy;
    return std::nullopt;
  }
  if (!IsHandshakeFailure(first->status)) return std::nullopt;
  // Everything BoringSSL has failed as one offer. Old servers sometimes choke on a TLS 1.3-style
  // ClientHello (version intolerance) yet complete a plain 1.2 or 1.0 one: try both once.
  if (!Ran(done, ProbeKind::kExo12)) return ProbeKind::kExo12;
  if (!Ran(done, ProbeKind::kLegacy)) return ProbeKind::kLegacy;
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
  if (!plan.full) return NextAdaptive(done);
  for (ProbeKind k : PlannedKinds(plan)) {
    if (!Ran(done, k)) return k;
  }
  return std::nullopt;
}

bool IsExoSuite(uint16_t cipher_id) {
  return std::find(std::begin(tls::kExoCipherSuites), std::end(tls::kExoCipherSuites), cipher_id) !=
         std::end(tls::kExoCipherSuites);
}

void Classify(AddressFacts* facts) {
  facts->accepted_versions.clear();
  facts->best_version = 0;
  facts->legacy_accepted = false;
  facts->exo_ready = false;
  bool tls12_accepted = false, exo_no_cipher = false, reached_tls = false, tempfail = false;
  bool refused = false, no_starttls = false;
  for (const ProbeRecord& r : facts->probes) {
    if (r.status == ProbeStatus::kAccepted) {
      reached_tls = true;
      if (std::find(facts->accepted_versions.begin(), facts->accepted_versions.end(), r.version) ==
          facts->accepted_versions.end()) {
        facts->accepted_versions.push_back(r.version);
      }
      facts->best_version = std::max(facts->best_version, r.version);
      if (r.version <= tls::kTls11) facts->legacy_accepted = true;
      if (r.version == tls::kTls12) {
        tls12_accepted = true;
        if (IsExoSuite(r.cipher_id)) facts->exo_ready = true;
      }
    }
    if (r.kind == tls::ProbeKind::kExo12 && r.status == ProbeStatus::kNoSharedCipher) exo_no_cipher = true;
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
      case ProbeStatus::kNoStartTls: no_starttls = true; break;
      case ProbeStatus::kTempFail: tempfail = true; break;
      case ProbeStatus::kTargetRefused:
      case ProbeStatus::kExcluded: refused = true; break;
      default: break;
    }
  }
  std::sort(facts->accepted_versions.begin(), facts->accepted_versions.end());

  if (facts->exo_ready) {
    facts->cls = AddressClass::kExoReady;
  } else if (!facts->accepted_versions.empty()) {
    if (facts->best_version <= tls::kTls11) {
      facts->cls = AddressClass::kLegacyOnly;
    } else if (tls12_accepted || exo_no_cipher) {
      // TLS 1.2 is there, but not with any suite EXO offers.
      facts->cls = AddressClass::kNoSharedCipher;
    } else {
      facts->cls = AddressClass::kTls13Only;
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
}

}  // namespace mxsweep
