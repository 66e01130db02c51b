// ares_options.h: the knobs of the c-ares resolver (ares_resolver.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace mxsweep::resolver {

struct AresOptions {
  // Servers as "IP[:PORT]" ("[v6]:PORT" when a port follows an IPv6 address). Empty: the
  // system resolvers from /etc/resolv.conf. Tests and the demo point this at the simulated
  // responder on loopback.
  std::vector<std::string> servers;

  // Per-try timeout. c-ares doubles it after every round through the server list, so with one
  // server and tries = 2 a dead name costs timeout + 2 * timeout. 2 s is well above the
  // latency of a healthy recursive resolver yet keeps a dead authoritative server from
  // stalling a domain for long.
  std::chrono::milliseconds timeout{2000};
  // Tries per server. Two absorbs one lost UDP packet without tripling the cost of a dead name.
  int tries = 2;

  // Queries on the wire at once; more wait in a FIFO queue. A local recursive resolver
  // (unbound's default num-queries-per-thread is 1024) drops work beyond its own limit, and a
  // drop looks like a timeout to us, so stay well below that.
  size_t max_in_flight = 256;

  // Keep answers for the life of the resolver (one sweep): hosted MX names are shared by
  // thousands of domains. Cancelled lookups are never cached, nor are MX answers (one per
  // domain, and domains are deduplicated before a sweep).
  bool cache = true;

  // MX hosts kept per domain, best preference first. Real domains publish 1 to 10 (hosted
  // providers 2 to 5); one that publishes hundreds is broken or hostile, and every host costs
  // lookups and probes (it could aim the sweep at someone else's network). The rest are dropped
  // and the MX detail says how many.
  size_t max_mx_hosts = 32;
  // Addresses kept per name (A and AAAA together), in answer order. Large providers publish a
  // handful per MX name; the rest are dropped with a note in the host's detail.
  size_t max_addresses_per_host = 16;
};

}  // namespace mxsweep::resolver
