// world.h: a synthetic internet for the sweep benchmark — domains, MX hosts shared the way real
// mail is (a few providers host most domains, a long tail hosts one each), server behaviours and
// latencies, and the verdict each domain must get. Deterministic from a seed, so the fleet
// processes and the driver build the same world independently.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mxsweep::bench {

enum class HostKind : uint8_t {
  kOk,             // TLS 1.2 + 1.3
  kLegacyEnabled,  // TLS 1.0-1.3
  kLegacyOnly,     // TLS 1.0 + 1.1
  kTls13Only,
  kNoStartTls,
  kDead,           // accepts, never greets: a greeting timeout
  kRefused,        // nothing listens: connection refused
  kTempFail,       // 421 at the greeting
};

struct WorldHost {
  std::string name;
  std::string address;  // 127.<net>.x.y (bench_net.h)
  HostKind kind = HostKind::kOk;
  std::chrono::milliseconds greeting_delay{0};
  std::chrono::milliseconds reply_delay{0};  // round-trip latency added to every reply
};

struct WorldDomain {
  std::string name;
  std::vector<uint32_t> mx;  // host indices, preference order; empty: see null_mx / nxdomain
  bool null_mx = false;
  bool nxdomain = false;
  std::string expected;      // the verdict DESIGN.md's rules give
};

struct World {
  std::vector<WorldHost> hosts;
  std::vector<WorldDomain> domains;
};

// MakeWorld generates |domains| domains. Hosts take consecutive fleet addresses (FleetAddress),
// the DNS is at DnsAddress().
World MakeWorld(size_t domains, uint64_t seed);

// HostKindName for reports.
const char* HostKindName(HostKind kind);

}  // namespace mxsweep::bench
