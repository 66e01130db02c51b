// domain_result.h: everything the sweep learned about one domain — its input row, its MX set,
// the facts of each address and the verdict — as the report writers receive it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "input/domain_input.h"
#include "resolver/resolver.h"
#include "scanner/verdict/address_facts.h"
#include "scanner/verdict/verdict.h"

namespace mxsweep {

struct DomainAddress {
  std::string host;             // the MX host name in this domain's MX set
  const AddressFacts* facts;    // owned by the sweep, valid until it is destroyed
};

struct DomainResult {
  DomainEntry entry;
  resolver::MxResult mx;
  std::vector<DomainAddress> addresses;  // MX order, then address order
  DomainVerdict verdict;
  std::chrono::system_clock::time_point finished;
};

}  // namespace mxsweep
