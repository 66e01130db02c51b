// probe_mx.h: `probe --mx` — from a domain to the MX hosts to probe, through the same resolver
// and MX policy as `scan` (resolver/mx_policy.h: preference order, implicit MX, null MX) — and
// the hint for a domain given to `probe` without --mx.
#pragma once

#include <uv.h>

#include <string>
#include <vector>

#include "app/options.h"
#include "base/ip_address.h"

namespace mxsweep::app {

// ProbeHost is one mail server name and the addresses to probe for it.
struct ProbeHost {
  std::string name;
  std::vector<IpAddress> addresses;
};

// MxHostsOf looks up |domain|'s MX hosts and their addresses with c-ares (the --resolver
// servers of |common|, else the system's), running |loop| until the answer is in. It appends
// each MX host that has addresses to |*hosts| (the domain itself for an implicit MX) and says
// in |*notes| what else the lookup found (an implicit MX, an MX host without an address, what
// the MX policy dropped). It returns false with |*error| when there is nothing to probe: a
// null MX, a name that does not exist, a failed lookup, or no MX host with an address.
bool MxHostsOf(uv_loop_t* loop, const std::string& domain, const CommonOptions& common,
               std::vector<ProbeHost>* hosts, std::vector<std::string>* notes, std::string* error);

// MxHint is for a name that has no address: when it is a domain with MX hosts, it returns
// "NAME has no address; it is a domain with MX hosts A, B (use --mx to probe them)", else "".
std::string MxHint(uv_loop_t* loop, const std::string& name, const CommonOptions& common);

}  // namespace mxsweep::app
