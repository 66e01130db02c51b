#include "bench/time_wait.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/bench_net.h"

namespace mxsweep::bench {
namespace {

// /proc/net/tcp prints an IPv4 address as the hex of its 32-bit value in host order
// (little-endian here: 127.63.1.2 is "02013F7F"), so the first two octets are the last four
// hex digits.
bool OnBenchNet(const std::string& addr_port) {
  char want[5];
  std::snprintf(want, sizeof(want), "%02X7F", BenchNet());
  size_t colon = addr_port.find(':');
  return colon == 8 && addr_port.compare(4, 4, want) == 0;
}

}  // namespace

TimeWaitCount CountTimeWait() {
  TimeWaitCount count;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state)) continue;
    if (state != "06") continue;  // TCP_TIME_WAIT
    if (OnBenchNet(remote)) count.scanner_side++;
    if (OnBenchNet(local)) count.server_side++;
  }
  return count;
}

}  // namespace mxsweep::bench
