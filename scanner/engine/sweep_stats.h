// sweep_stats.h: the running counts of a sweep (progress line, summary, history).
#pragma once

#include <cstddef>

#include "scanner/verdict/verdict.h"

namespace mxsweep {

struct SweepStats {
  size_t domains_started = 0;
  size_t domains_done = 0;
  size_t addresses = 0;          // unique address:port met
  size_t addresses_probed = 0;   // of those, probed (not refused by policy)
  size_t addresses_done = 0;
  size_t connections = 0;        // TCP connections made, counted as each session ends
  // Domains read but left without a verdict because the sweep was stopped (Stop): they are not
  // reported, so a --resume run sweeps them again.
  size_t domains_abandoned = 0;
  // Verdicts reached. `scan`'s summary counts the rows written instead (app/scan_outputs.h):
  // after a failed write the two differ.
  size_t verdicts[kVerdictCount] = {};
};

}  // namespace mxsweep
