// time_wait.h: TCP sockets in TIME_WAIT on the benchmark's /16, read from /proc/net/tcp.
//
// Whoever closes a TCP connection first keeps it in TIME_WAIT for 60 s (Linux's 2*MSL): a port
// that cannot be reused for that address pair. On loopback both ends live on this machine, so the
// two sides are told apart by which end of the socket is a fleet address (127.<net>.x.y).
#pragma once

#include <cstddef>

namespace mxsweep::bench {

struct TimeWaitCount {
  size_t scanner_side = 0;  // remote end on the bench /16: the client's sockets
  size_t server_side = 0;   // local end on the bench /16: the fleet's sockets
};

// CountTimeWait counts the IPv4 TIME_WAIT sockets touching 127.<BenchNet()>.0.0/16 now.
TimeWaitCount CountTimeWait();

}  // namespace mxsweep::bench
