// address_prober.h: run the probe plan against one address, one session at a time, through the
// scheduler, and gather the results into AddressFacts.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/ip_address.h"
#include "scanner/verdict/address_facts.h"
#include "scanner/verdict/probe_plan.h"
#include "scanner/engine/probe_session.h"
#include "scanner/engine/scheduler.h"
#include "scanner/engine/engine_options.h"

namespace mxsweep {

struct AddressTarget {
  IpAddress ip;
  uint16_t port = 25;
  std::string host_name;  // the MX name, for SNI and the certificate check
};

// AddressKey is the scheduler and dedup key of an address: "ip:port" ("[v6]:port" for IPv6;
// an IPv4-mapped IPv6 address gets its IPv4 key, since it reaches the same machine).
std::string AddressKey(const IpAddress& ip, uint16_t port);

// NetworkKey names the network |ip| shares a politeness budget in (PolitenessOptions::per_network):
// its /24 for IPv4 ("192.0.2.0/24"; an IPv4-mapped IPv6 address counts as its IPv4 address), its
// /48 for IPv6 ("2001:db8:1::/48").
std::string NetworkKey(const IpAddress& ip);

// ProbeAddress runs |options.plan| against |target|. |done| runs once, on the loop, with the
// classified facts. |env| and |scheduler| must outlive it; |options| and |target| are copied.
// |on_connection|, if set, runs on the loop after each session that made a TCP connection, as
// it ends: the facts count connections only once the whole plan is done, which for a paced
// address is many seconds later, and a progress line must not lag behind by that much.
void ProbeAddress(const ProbeEnv& env, Scheduler& scheduler, const ProberOptions& options,
                  const AddressTarget& target, std::function<void(AddressFacts)> done,
                  std::function<void()> on_connection = nullptr);

// RefusedFacts builds the facts of an address that policy forbids probing.
AddressFacts RefusedFacts(const AddressTarget& target, ProbeStatus status, std::string detail);

}  // namespace mxsweep
