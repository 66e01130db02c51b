// mx_policy.h: what mxsweep makes of DNS answers for mail — which MX hosts count and in what
// order, the implicit MX, how the A and AAAA answers of one name merge, the caps. Plain code on
// values: the c-ares glue (ares_resolver.cc) asks the network, this decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "resolver/resolver.h"

namespace mxsweep::resolver {

struct MxRecord {
  uint16_t preference = 0;
  std::string host;  // lower-case, no trailing dot; "" for the null MX target "."
};

struct MxSelection {
  bool null_mx = false;            // "MX 0 ." alone (RFC 7505): the domain takes no mail
  std::vector<MxRecord> hosts;     // by preference, then name; each host once
  std::string detail;              // notes: a null MX ignored, hosts over the cap dropped
};

// SelectMxHosts orders |records| by preference then name, keeps each host once (at its best
// preference) and at most |max_hosts| of them (0 = no cap), with a note in |detail| for each
// thing it dropped. A null MX alone means no mail; beside other records it is ignored (RFC 7505
// §3 says it must stand alone; MTAs use the other records, and so do we).
MxSelection SelectMxHosts(std::vector<MxRecord> records, size_t max_hosts);

// ImplicitMx is the MX set of |domain| when it publishes no MX (RFC 5321 §5.1): its own
// addresses |own| when it has some; otherwise no mail (NODATA/NXDOMAIN) or the DNS error that a
// rescan may get past (timeout, SERVFAIL).
MxResult ImplicitMx(const std::string& domain, const HostResult& own);

// CombineFamilies merges the A (|v4|) and AAAA (|v6|) answers of one name, A first. With
// addresses from one family, a failure of the other is noted (a plain NODATA is not); with
// none, the most telling failure is reported (NXDOMAIN over a bad name over a timeout ...).
HostResult CombineFamilies(const HostResult& v4, const HostResult& v6);

// CapAddresses keeps the first |max| addresses (0 = no cap), noting how many there were.
HostResult CapAddresses(HostResult host, size_t max);

// LiteralHost is the answer for a name that is an address literal: the address itself when it
// is of |family|, NODATA otherwise.
HostResult LiteralHost(const IpAddress& literal, Family family);

}  // namespace mxsweep::resolver
