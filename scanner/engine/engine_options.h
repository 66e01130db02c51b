// engine_options.h: the engine's settings — probe timeouts, politeness, retries and the sweep's
// bounds — as plain values, so that the command line and the reports can name them without
// pulling in libuv.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "resolver/resolver.h"
#include "scanner/engine/target_policy.h"
#include "scanner/verdict/probe_plan.h"

namespace mxsweep {

class ExcludeList;

// ProbeTimeouts: one per phase, re-armed at each phase change, plus a deadline for the session.
struct ProbeTimeouts {
  // A SYN that gets no answer in 10 s almost never gets one.
  std::chrono::milliseconds connect{10'000};
  // Greeting delays of 10–30 s are normal (postscreen, greet_pause, tarpits): wait longer.
  std::chrono::milliseconds greeting{35'000};
  // RFC 5321 §4.5.3.2 allows minutes per command; real servers answer EHLO and STARTTLS in well
  // under a second unless they tarpit on purpose.
  std::chrono::milliseconds command{20'000};
  std::chrono::milliseconds handshake{20'000};
  // The verdict is known by QUIT; waiting for 221 is courtesy, not evidence (never longer than
  // the command timeout).
  std::chrono::milliseconds quit{5'000};
  // After the 221 (or the alert or 421 that ends a session) the server closes at once (RFC 5321
  // §4.1.1.10); waiting for its FIN before sending ours leaves TIME_WAIT with the server, not
  // with the scanner's ports. One second covers a slow round trip; a server that has not closed
  // by then gets our FIN anyway.
  std::chrono::milliseconds fin_wait{1'000};
  // No session, however slow each phase, lasts longer than this.
  std::chrono::milliseconds session{120'000};
};

// PolitenessOptions: the limits of DESIGN.md §3 that the scheduler enforces.
struct PolitenessOptions {
  // Sessions open at once. Each costs one file descriptor; the process limit is 20,000 here and
  // the resolver and outputs need a few, so the default leaves ample headroom.
  size_t max_in_flight = 2000;
  // Gap between the end of one session to an address and the start of the next. Postfix's
  // anvil and many appliances count connections per client per minute; 2 s keeps a 3-probe plan
  // at a pace no operator will mind.
  std::chrono::milliseconds per_address_gap{2000};
  // Sessions in flight at once to one network: a /24 (IPv4) or a /48 (IPv6), where a provider's
  // MX fleet usually sits behind one rate limiter and one abuse desk. 0: no limit. With one
  // session per address, 8 is what a handful of ordinary mail senders bring to a network at
  // once; a hoster with hundreds of MX addresses in one /24 then meets 8 sessions, not hundreds,
  // while a sweep over many networks keeps its speed (README "Options").
  size_t per_network = 8;
  // New connections per second, all addresses together. 500/s keeps a sweep of a million
  // domains near an hour while staying far below what trips upstream abuse detection. Must be
  // above 0: there is no "unlimited" (the scheduler refuses 0).
  double connect_rate = 500;
};

// ProberOptions: the probe plan and how an address that answers 421 is retried.
struct ProberOptions {
  PlanOptions plan;
  // A 421 means "not now": retry the same probe later, a bounded number of times, each wait
  // twice the one before. Two retries starting at 30 s give up after ~1.5 minutes.
  int max_tempfail_retries = 2;
  std::chrono::milliseconds tempfail_backoff{30'000};
  // Connections an address may cost beyond its plan to ask a question again: after a fault
  // before TLS started (closed, reset or silent before STARTTLS's 220 while the address did
  // answer), to confirm an ambiguous answer (a reset, close or stall mid-handshake; no
  // STARTTLS), or when STARTTLS was missing on one connection but advertised on another.
  int max_fault_retries = 2;
};

// SweepConfig: what a sweep probes and how many domains it holds at once.
struct SweepConfig {
  ProberOptions prober;
  resolver::Family family = resolver::Family::kAny;
  uint16_t port = 25;
  TargetPolicy targets;
  const ExcludeList* exclude = nullptr;
  // Domains between "read" and "verdict" at once. Reading ahead of the sessions keeps the
  // scheduler fed; the bound keeps memory flat however long the list is.
  size_t max_domains_in_flight = 20000;
};

}  // namespace mxsweep
