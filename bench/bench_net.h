// bench_net.h: the loopback /16 the benchmarks use, so two of them can run at once.
//
// Every benchmark address is 127.<net>.x.y: fleet servers from 127.<net>.1.1 on (254 per /24),
// the simulated DNS on 127.<net>.0.1. <net> is 63 unless MXSWEEP_BENCH_NET names another second
// octet (1..254); the fleet process inherits the variable, so both sides agree. The ctest smoke
// run uses its own, so it does not collide with a benchmark someone is running.
#pragma once

#include <cstddef>
#include <string>

namespace mxsweep::bench {

// BenchNet returns the second octet; it exits with a message when MXSWEEP_BENCH_NET is invalid.
int BenchNet();

// FleetAddress is the address of fleet server |index| (0-based): 127.<net>.1.1 onwards.
std::string FleetAddress(size_t index);

// DnsAddress is where the simulated DNS responder listens (port 53).
std::string DnsAddress();

}  // namespace mxsweep::bench
