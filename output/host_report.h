// host_report.h: AddressFacts as a JSONL record (`probe --json`, `scan --hosts`) and as the
// human-readable table of `mxsweep probe`.
#pragma once

#include <string>
#include <vector>

#include "scanner/verdict/address_facts.h"

namespace mxsweep {

// HostJson renders one address as a single-line JSON object (no trailing newline). |domains|
// lists the domains that use the address; the key is omitted when it is null.
std::string HostJson(const AddressFacts& facts, const std::vector<std::string>* domains = nullptr);

// HostTable renders one address for a terminal: a header with the per-address facts, then one
// row per probe.
std::string HostTable(const AddressFacts& facts);

}  // namespace mxsweep
