// probe_plan.h: which handshake to try next on an address, given what the earlier ones showed.
//
// I/O-free, so the connection budget can be tested probe by probe. DESIGN.md §3: `auto` first;
// then only what the verdict still needs, or the full version map when asked for.
#pragma once

#include <optional>
#include <vector>

#include "scanner/verdict/address_facts.h"
#include "tls/tls_version.h"

namespace mxsweep {

struct PlanOptions {
  // Adaptive (default): auto, then at most two more (EXO emulation, legacy check, or one raw
  // hello where BoringSSL's suites could hide the truth) — at most 3 connections per address.
  // Full: auto, then every kind in |versions|, in order, then the raw-hello twin of every
  // BoringSSL kind among them that failed in a way that may only mean "not BoringSSL's suites".
  bool full = false;
  // Empty means TLS 1.0, 1.1, 1.2 and 1.3. kHelloSsl3 asks about SSL 3.0 (raw hello only).
  std::vector<tls::ProbeKind> versions;
};

// IsSessionBlocker reports whether |status| shows that no later session to this address can
// reach TLS either (nothing listening, no STARTTLS, refused greeting): the rest of the plan is
// skipped.
bool IsSessionBlocker(ProbeStatus status);

// IsAmbiguousTlsFailure reports whether |r| ended mid-handshake in a way a network fault could
// also explain — a reset, a close or a stall after STARTTLS's 220 — rather than with an alert or
// a version the server chose.
bool IsAmbiguousTlsFailure(const ProbeRecord& r);

// Unanswered reports whether |r| says nothing about TLS: it ended before the ClientHello (421,
// no greeting, a refused connection, a reset or close after EHLO), or its answer was ambiguous
// and never confirmed (IsAmbiguousTlsFailure, or STARTTLS missing once). Such a record never
// decides a class; with nothing else to go on the address is tempfail or unreachable.
bool Unanswered(const ProbeRecord& r);

// IsTemporaryRefusal reports whether |r| is a "not now" from the server: a tempfail, or a
// rate-limited, blocklisted or policy-refused answer with a 4xx code. It is retried after the
// 421 back-off and, if it stands, makes the address tempfail; the same refusals with a 5xx are
// final and leave the address unreachable ("not decided").
bool IsTemporaryRefusal(const ProbeRecord& r);

// RetryReason says why a probe is run again before its result is recorded.
enum class RetryReason : uint8_t {
  kNone,
  kNoAnswer,       // a fault before TLS started: ask the same question again
  kConfirm,        // an ambiguous answer, or no STARTTLS: it counts only if it repeats
  kInconsistent,   // no STARTTLS, though another connection to this address advertised it
};

// RetryFor decides whether |r| (with |r.attempts| connections spent on its kind so far) is run
// again. |reached_before| says whether an earlier connection to this address got a greeting
// (a refused connection or a silent server then is a fault, not the address's nature);
// |starttls_seen| whether one advertised STARTTLS. The caller owns the budget (ProberOptions).
RetryReason RetryFor(const ProbeRecord& r, bool reached_before, bool starttls_seen);

// NextProbe returns the next kind to run after |done| (in the order run), or nullopt when the
// plan is complete. It never repeats a kind.
std::optional<tls::ProbeKind> NextProbe(const PlanOptions& plan, const std::vector<ProbeRecord>& done);

// PlannedKinds lists the kinds a plan would still run if every probe succeeded; used to write
// "skipped" rows when a blocker ends the plan early.
std::vector<tls::ProbeKind> PlannedKinds(const PlanOptions& plan);

// IsExoSuite reports whether IANA suite |cipher_id| is one Exchange Online offers at TLS 1.2.
bool IsExoSuite(uint16_t cipher_id);

}  // namespace mxsweep
