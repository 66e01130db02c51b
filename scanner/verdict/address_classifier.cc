#include "scanner/verdict/address_classifier.h"

#include <algorithm>

#include "scanner/verdict/probe_plan.h"

namespace mxsweep {
namespace {

template <typename T>
void AddUnique(std::vector<T>* list, T value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

}  // namespace

void ClassifyAddress(AddressFacts* facts) {
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
  // A server that answers without reading the offer (a suite or version that was not offered)
  // makes every ServerHello it sent worthless: the raw hellos' evidence is dropped.
  bool client_cert = std::any_of(facts->probes.begin(), facts->probes.end(), [](const ProbeRecord& r) {
    return r.status == ProbeStatus::kClientCertRequired;
  });
  bool ignores_offer = std::any_of(facts->probes.begin(), facts->probes.end(),
                                   [](const ProbeRecord& r) { return r.unoffered_choice; });
  // STARTTLS missing on a connection although another one advertised it is a fault too.
  auto no_answer = [facts](const ProbeRecord& r) {
    return Unanswered(r) || (r.status == ProbeStatus::kNoStartTls && facts->starttls);
  };
  for (const ProbeRecord& r : facts->probes) {
    if (IsTemporaryRefusal(r)) tempfail = true;
    if (r.status == ProbeStatus::kTargetRefused || r.status == ProbeStatus::kExcluded) refused = true;
    // Faults before TLS and unconfirmed ambiguous answers decide nothing (probe_plan.h).
    if (no_answer(r)) continue;
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
    if (r.status == ProbeStatus::kAcceptedHelloOnly && ignores_offer) reached_tls = true;
    if (r.status == ProbeStatus::kAcceptedHelloOnly && !ignores_offer) {
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
        // A reset, stall or close after STARTTLS's 220, seen twice, is the server's answer to a
        // ClientHello (once is Unanswered, above).
        if (r.tls_attempted) reached_tls = true;
        break;
      case ProbeStatus::kNoStartTls:
        no_starttls = true;  // confirmed by a second connection, and none advertised it
        break;
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
  } else if (exo_hello_ready && !client_cert) {
    // (A server that demands a client certificate never lets a handshake get past it, so a
    // ServerHello from it says nothing about what follows.)
    facts->exo_ready = true;
    facts->exo_evidence = Evidence::kServerHelloOnly;
  }
  // The highest version anything showed, ServerHello evidence included: a server whose TLS 1.0
  // takes only DHE suites tops out at TLS 1.0 for a legacy client, it is not broken.
  uint16_t best_seen = std::max(facts->best_version, hello_best);

  if (facts->exo_ready) {
    facts->cls = AddressClass::kExoReady;
  } else if (client_cert) {
    // Without a certificate the handshake cannot be finished: nothing after it is known.
    facts->cls = AddressClass::kClientCertRequired;
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
      // server aborts after its ServerHello. That needs two of BoringSSL's offers to have failed
      // with an answer (an alert, or the same close twice); one such failure and the rest cut
      // short is a flaky path as much as a broken server.
      int failed_offers = 0;
      for (const ProbeRecord& r : facts->probes) {
        if (!tls::IsHelloKind(r.kind) && !no_answer(r) && r.status != ProbeStatus::kAccepted &&
            r.status != ProbeStatus::kSkipped) {
          failed_offers++;
        }
      }
      facts->cls = failed_offers >= 2 ? AddressClass::kTlsBroken
                   : tempfail         ? AddressClass::kTempFail
                                      : AddressClass::kUnreachable;
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
  // alone is a question the next probes must answer: "would EXO's own offer get TLS 1.2?" (EXO's
  // offer, its raw-hello twin, or a forced TLS 1.2), or for a broken server any later answer.
  // When those probes got no answer about TLS (a 421 after the retries, a greeting timeout, a
  // refused connection, an unconfirmed reset: a rate-limiting or flaky server), the question is
  // open: the address is not probed, rather than "TLS 1.3 only" or "broken".
  auto asks_tls12 = [](tls::ProbeKind k) {
    return k == tls::ProbeKind::kExo12 || k == tls::ProbeKind::kHelloExo ||
           k == tls::ProbeKind::kOnlyTls12 || k == tls::ProbeKind::kHelloTls12;
  };
  // A plan that never asked about TLS 1.2 (--versions TLS1.3) has only auto to go on.
  bool asked_tls12 = std::any_of(facts->probes.begin(), facts->probes.end(), [&](const ProbeRecord& r) {
    return asks_tls12(r.kind) && r.status != ProbeStatus::kSkipped;
  });
  bool needs_tls12_answer = asked_tls12 && (facts->cls == AddressClass::kTls13Only ||
                                            facts->cls == AddressClass::kNoSharedCipher);
  bool auto_only = needs_tls12_answer || facts->cls == AddressClass::kTls13Only ||
                   facts->cls == AddressClass::kNoSharedCipher || facts->cls == AddressClass::kTlsBroken;
  bool later_answered = false, later_unanswered = false;
  for (const ProbeRecord& r : facts->probes) {
    if (r.kind == tls::ProbeKind::kAuto || r.status == ProbeStatus::kSkipped) continue;
    if (needs_tls12_answer && !asks_tls12(r.kind)) continue;
    // The TLS 1.2 question wants a plain answer: an alert, a version or a suite. A close, reset
    // or stall, even twice, from a server that just completed TLS 1.3 is more likely the path
    // than the server; and the raw hello of EXO's two CBC suites finding neither says nothing
    // about EXO's AES-GCM suites.
    bool vague = needs_tls12_answer &&
                 (IsAmbiguousTlsFailure(r) ||
                  (r.kind == tls::ProbeKind::kHelloExo && r.status == ProbeStatus::kNoSharedCipher));
    if (no_answer(r) || vague) {
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
