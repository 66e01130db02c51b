// resolver_check.h: before a sweep, make sure some configured DNS resolver answers at all.
//
// A sweep against a dead resolver once finished in no time with every partner written as
// DNS_ERROR (issue 15): a report that looks complete and is wrong. One query for the root's NS
// set is enough to tell a resolver that answers from one that is not there.
#pragma once

#include <uv.h>

#include <chrono>
#include <string>
#include <vector>

namespace mxsweep::app {

// ResolversAnswer sends one NS query for "." through |servers| (empty: the system resolvers)
// on |loop| and runs the loop until it is answered or times out (|timeout| per server), then
// until the c-ares handles are closed; other handles on |loop| keep running meanwhile. Any DNS
// reply counts (NXDOMAIN, NODATA, SERVFAIL too) except REFUSED, which c-ares 1.18 cannot tell
// from a closed port. It returns false with |*error| naming the servers when none answers.
bool ResolversAnswer(uv_loop_t* loop, const std::vector<std::string>& servers,
                     std::chrono::milliseconds timeout, std::string* error);

}  // namespace mxsweep::app
