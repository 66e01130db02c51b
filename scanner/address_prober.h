// address_prober.h: run the probe plan against one address, one session at a time, through the
// scheduler, and gather the results into AddressFacts.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "resolver/ip_address.h"
#include "scanner/address_facts.h"
#include "scanner/probe_plan.h"
#include "scanner/probe_session.h"
#include "scanner/scheduler.h"

namespace mxsweep {

struct ProberOptions {
  PlanOptions plan;
  // A 421 means "not now": retry the same probe later, a bounded number of times, each wait
  // twice the one before. Two retries starting at 30 s give up after ~1.5 minutes.
  int max_tempfail_retries = 2;
  std::chrono::milliseconds tempfail_backoff{30'000};
};

struct AddressTarget {
  IpAddress ip;
  uint16_t port = 25;
  std::string host_name;  // the MX name, for SNI and the certificate check
};

// AddressKey is the scheduler and dedup key of an address: "ip:port" ("[v6]:port" for IPv6;
// an IPv4-mapped IPv6 address gets its IPv4 key, since it reaches the same machine).
std::string AddressKey(const IpAddress& ip, uint16_t port);

// ProbeAddress runs |options.plan| against |target|. |done| runs once, on the loop, with the
// classified facts. |env| and |scheduler| must outlive it.
void ProbeAddress(const ProbeEnv& env, Scheduler& scheduler, const ProberOptions& options,
                  const AddressTarget& target, std::function<void(AddressFacts)> done);

// RefusedFacts builds the facts of an address that policy forbids probing.
AddressFacts RefusedFacts(const AddressTarget& target, ProbeStatus status, std::string detail);

}  // namespace mxsweep
