#include "app/scan_summary.h"

#include <cstdio>

namespace mxsweep::app {

RowTally TallyRows(const RowRouter::Counts& routed, const ScanOutputs::RowCounts& written) {
  RowTally tally;
  for (Verdict v : kAllVerdicts) {
    size_t i = static_cast<size_t>(v);
    size_t n = routed.resumed_verdicts[i] + written.verdicts[i];
    tally.verdicts[i] = n;
    tally.rows += n;
    switch (CertaintyOf(v)) {
      case Certainty::kDefinite: tally.definite += n; break;
      case Certainty::kInconclusive: tally.inconclusive += n; break;
      case Certainty::kInputRow: tally.input_rows += n; break;
    }
  }
  return tally;
}

std::string TrustLine(const RowTally& tally, bool finished) {
  std::string line = std::to_string(tally.definite) + " of " +
                     std::to_string(tally.definite + tally.inconclusive) +
                     " domains have a definite verdict; " + std::to_string(tally.inconclusive) +
                     " inconclusive";
  std::string which;
  for (Verdict v : kAllVerdicts) {
    size_t n = tally.verdicts[static_cast<size_t>(v)];
    if (n == 0 || CertaintyOf(v) != Certainty::kInconclusive) continue;
    which += (which.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(VerdictName(v));
  }
  if (!which.empty()) line += " (" + which + ")";
  line += "; " + std::to_string(tally.input_rows) + " input rows invalid or duplicate";
  // The counts cover the rows written; a stopped sweep has more to write.
  if (!finished) line += "; the list is not finished";
  return line;
}

void PrintSummary(const SweepStats& s, const RowRouter::Counts& routed,
                  const ScanOutputs::RowCounts& written, const ScanEnd& end) {
  // The first line accounts for every input row read: written now, already in the output, or
  // (below) not written. The per-verdict lines count what is in the CSV, whichever run wrote it.
  std::fprintf(stderr, "\nmxsweep scan: %zu input rows%s in %.1f s: %zu written", routed.rows,
               end.finished ? "" : " read", end.seconds, written.written);
  if (routed.resumed) std::fprintf(stderr, ", %zu already in the output (--resume)", routed.resumed);
  std::fprintf(stderr, "\n");
  if (s.domains_abandoned) {
    std::fprintf(stderr, "  %zu domains were in flight when the sweep stopped: not written; --resume sweeps them\n",
                 s.domains_abandoned);
  }
  if (written.not_written) {
    std::fprintf(stderr, "  %zu rows reached a verdict but were not written (writing failed); --resume writes them\n",
                 written.not_written);
  }
  if (end.finished && end.unmatched_done) {
    std::fprintf(stderr, "  %zu rows already in the output match no input row (was the list changed?)\n",
                 end.unmatched_done);
  }
  RowTally tally = TallyRows(routed, written);
  for (Verdict v : kAllVerdicts) {
    size_t n = tally.verdicts[static_cast<size_t>(v)];
    if (n) std::fprintf(stderr, "  %-18s %zu\n", std::string(VerdictName(v)).c_str(), n);
  }
  std::fprintf(stderr, "  addresses: %zu met, %zu probed, %zu connections", s.addresses,
               s.addresses_probed, s.connections);
  if (s.addresses_probed) {
    std::fprintf(stderr, " (%.2f per address)", static_cast<double>(s.connections) / s.addresses_probed);
  }
  std::fprintf(stderr, "\nmxsweep scan: %s\n", TrustLine(tally, end.finished).c_str());
}

}  // namespace mxsweep::app
