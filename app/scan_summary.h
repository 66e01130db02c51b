// scan_summary.h: what `scan` says on stderr when it ends — the input rows and where each went,
// the rows in the output per verdict, the addresses and connections — and the final line on how
// far the sweep can be relied on, with the exit code that goes with it.
#pragma once

#include <cstddef>
#include <string>

#include "app/row_router.h"
#include "app/scan_outputs.h"
#include "scanner/engine/sweep_stats.h"

namespace mxsweep::app {

// RowTally is the output CSV's rows by verdict — those this run wrote and those already there
// (--resume) — and by certainty (verdict.h).
struct RowTally {
  size_t verdicts[kVerdictCount] = {};
  size_t rows = 0;
  size_t definite = 0;
  size_t inconclusive = 0;
  size_t input_rows = 0;  // INVALID_INPUT and DUPLICATE
};

RowTally TallyRows(const RowRouter::Counts& routed, const ScanOutputs::RowCounts& written);

// ScanEnd is what the summary needs besides the counts.
struct ScanEnd {
  double seconds = 0;
  bool finished = true;       // the sweep was not stopped: every input row was read and handled
  size_t unmatched_done = 0;  // --resume: rows already in the output that matched no input row
};

// PrintSummary prints the summary, ending with TrustLine.
void PrintSummary(const SweepStats& stats, const RowRouter::Counts& routed,
                  const ScanOutputs::RowCounts& written, const ScanEnd& end);

// TrustLine is the final line: "970 of 990 domains have a definite verdict; 20 inconclusive
// (12 UNREACHABLE, 5 TEMPFAIL, 3 DNS_ERROR); 10 input rows invalid or duplicate", and, when the
// sweep was stopped, that the list is not finished. No trailing newline.
std::string TrustLine(const RowTally& tally, bool finished);

}  // namespace mxsweep::app
