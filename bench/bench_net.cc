#include "bench/bench_net.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mxsweep::bench {

int BenchNet() {
  static const int net = [] {
    const char* env = std::getenv("MXSWEEP_BENCH_NET");
    if (env == nullptr || *env == '\0') return 63;
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (*end != '\0' || v < 1 || v > 254) {
      std::fprintf(stderr, "MXSWEEP_BENCH_NET=%s: want a second octet 1..254 (127.<net>.0.0/16)\n", env);
      std::exit(2);
    }
    return static_cast<int>(v);
  }();
  return net;
}

std::string FleetAddress(size_t index) {
  return "127." + std::to_string(BenchNet()) + "." + std::to_string(1 + index / 254) + "." +
         std::to_string(1 + index % 254);
}

std::string DnsAddress() { return "127." + std::to_string(BenchNet()) + ".0.1"; }

}  // namespace mxsweep::bench
