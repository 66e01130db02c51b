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

// ResolversAnswer sends one NS query for "." to each of |servers| in turn (a plain UDP query,
// |timeout| each) until one replies: any DNS reply counts, REFUSED included. With no --resolver
// it asks the system resolvers through c-ares on |loop| instead (running the loop until answered
// or timed out, then until the c-ares handles are closed); there a REFUSED, which c-ares 1.18
// cannot tell from a closed port, counts as no answer. It returns false with |*error| naming the
// servers when none answers.
bool ResolversAnswer(uv_loop_t* loop, const std::vector<std::string>& servers,
                     std::chrono::milliseconds timeout, std::string* error);

}  // namespace mxsweep::app
