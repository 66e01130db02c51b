#include "bench/world.h"

#include "bench/bench_net.h"

#include <algorithm>
#include <random>

namespace mxsweep::bench {
namespace {

// Hosts take the fleet's addresses (bench_net.h); 127.<net>.0.x is kept for DNS.
std::string HostAddress(size_t index) { return FleetAddress(index); }

// Class of an address under the EXO profile, as DESIGN.md §2 defines it.
enum class Cls { kReady, kLegacyOnly, kTls13Only, kNoStartTls, kTempFail, kUnreachable };

Cls ClassOf(HostKind kind, bool* legacy) {
  *legacy = kind == HostKind::kLegacyEnabled || kind == HostKind::kLegacyOnly;
  switch (kind) {
    case HostKind::kOk:
    case HostKind::kLegacyEnabled: return Cls::kReady;
    case HostKind::kLegacyOnly: return Cls::kLegacyOnly;
    case HostKind::kTls13Only: return Cls::kTls13Only;
    case HostKind::kNoStartTls: return Cls::kNoStartTls;
    case HostKind::kTempFail: return Cls::kTempFail;
    case HostKind::kDead:
    case HostKind::kRefused: return Cls::kUnreachable;
  }
  return Cls::kUnreachable;
}

std::string Expected(const World& world, const WorldDomain& d) {
  if (d.nxdomain || d.null_mx) return "NO_MAIL";
  size_t ready = 0, probed = 0;
  bool any_legacy = false, tempfail = false;
  bool seen[6] = {};
  for (uint32_t h : d.mx) {
    bool legacy = false;
    Cls c = ClassOf(world.hosts[h].kind, &legacy);
    if (c == Cls::kTempFail) { tempfail = true; continue; }
    if (c == Cls::kUnreachable) continue;
    probed++;
    any_legacy = any_legacy || legacy;
    if (c == Cls::kReady) ready++;
    seen[static_cast<int>(c)] = true;
  }
  if (probed == 0) return tempfail ? "TEMPFAIL" : "UNREACHABLE";
  if (ready == probed) return any_legacy ? "OK_LEGACY_ENABLED" : "OK";
  if (ready > 0) return "PARTIAL";
  if (seen[static_cast<int>(Cls::kLegacyOnly)]) return "LEGACY_ONLY";
  if (seen[static_cast<int>(Cls::kTls13Only)]) return "TLS13_ONLY";
  return "NO_STARTTLS";
}

HostKind DrawKind(std::mt19937_64& rng) {
  // Shares loosely after published TLS surveys of MX hosts, with more failure cases than the
  // real internet so that every path is exercised at scale.
  int r = static_cast<int>(rng() % 100);
  if (r < 58) return HostKind::kOk;
  if (r < 73) return HostKind::kLegacyEnabled;
  if (r < 81) return HostKind::kLegacyOnly;
  if (r < 84) return HostKind::kTls13Only;
  if (r < 88) return HostKind::kNoStartTls;
  if (r < 91) return HostKind::kDead;
  if (r < 96) return HostKind::kRefused;
  return HostKind::kTempFail;
}

}  // namespace

const char* HostKindName(HostKind kind) {
  switch (kind) {
    case HostKind::kOk: return "ok";
    case HostKind::kLegacyEnabled: return "legacy-enabled";
    case HostKind::kLegacyOnly: return "legacy-only";
    case HostKind::kTls13Only: return "tls13-only";
    case HostKind::kNoStartTls: return "no-starttls";
    case HostKind::kDead: return "dead";
    case HostKind::kRefused: return "refused";
    case HostKind::kTempFail: return "tempfail";
  }
  return "?";
}

World MakeWorld(size_t domain_count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  World w;
  auto latency = [&] {
    // Round trips of tens to hundreds of ms, skewed towards the short end.
    std::lognormal_distribution<double> d(4.0, 0.8);  // median ~55 ms
    return std::chrono::milliseconds(std::clamp(static_cast<int>(d(rng)), 10, 400));
  };
  auto greeting = [&] {
    // Most servers greet at once; a few use greet_pause / postscreen-style delays (scaled down
    // from the real 5-30 s so a benchmark run stays short).
    int r = static_cast<int>(rng() % 100);
    if (r < 80) return std::chrono::milliseconds(0);
    if (r < 95) return std::chrono::milliseconds(100 + rng() % 900);
    return std::chrono::milliseconds(2000 + rng() % 3000);
  };
  auto add_host = [&](std::string name, HostKind kind) {
    WorldHost h;
    h.address = HostAddress(w.hosts.size());
    h.name = std::move(name);
    h.kind = kind;
    h.greeting_delay = kind == HostKind::kDead ? std::chrono::milliseconds(0) : greeting();
    h.reply_delay = latency();
    w.hosts.push_back(std::move(h));
    return static_cast<uint32_t>(w.hosts.size() - 1);
  };

  // Big providers: 4, two MX hosts each, hosting 55% of the domains between them.
  constexpr int kProviders = 4;
  std::vector<std::pair<uint32_t, uint32_t>> providers;
  for (int p = 0; p < kProviders; p++) {
    std::string base = "provider" + std::to_string(p) + ".sim";
    uint32_t a = add_host("mx1." + base, HostKind::kOk);
    uint32_t b = add_host("mx2." + base, p == 3 ? HostKind::kLegacyEnabled : HostKind::kOk);
    providers.push_back({a, b});
  }
  // Mid-size hosters: one per ~200 domains, 33% of the domains.
  size_t mid_count = std::max<size_t>(1, domain_count / 200);
  std::vector<uint32_t> mids;
  for (size_t i = 0; i < mid_count; i++) {
    mids.push_back(add_host("mx.hoster" + std::to_string(i) + ".sim", DrawKind(rng)));
  }
  // The long tail: a host of their own for 10% of the domains (capped by the /16).
  size_t tail_count = std::min<size_t>(domain_count / 10, 40000);

  w.domains.reserve(domain_count);
  size_t tail_used = 0;
  for (size_t i = 0; i < domain_count; i++) {
    WorldDomain d;
    d.name = "d" + std::to_string(i) + ".sweep.sim";
    int r = static_cast<int>(rng() % 1000);
    if (r < 10) {
      d.nxdomain = true;
    } else if (r < 20) {
      d.null_mx = true;
    } else if (r < 570) {
      // The largest provider takes 40% of these, the other three share the rest.
      auto [a, b] = providers[rng() % 10 < 4 ? 0 : 1 + rng() % (kProviders - 1)];
      d.mx = {a, b};
    } else if (r < 900 || tail_used >= tail_count) {
      d.mx = {mids[rng() % mids.size()]};
      // One in ten has a backup MX at a second hoster.
      if (rng() % 10 == 0) d.mx.push_back(mids[rng() % mids.size()]);
    } else {
      tail_used++;
      d.mx = {add_host("mx." + d.name, DrawKind(rng))};
      if (rng() % 10 == 0) d.mx.push_back(mids[rng() % mids.size()]);
    }
    if (d.mx.size() == 2 && d.mx[0] == d.mx[1]) d.mx.pop_back();
    w.domains.push_back(std::move(d));
  }
  for (WorldDomain& d : w.domains) d.expected = Expected(w, d);
  return w;
}

}  // namespace mxsweep::bench
