// progress_line.h: the text of `scan`'s progress — the live line on a terminal and the status
// line for logs (cron, CI, a pipe). Pure functions of the counters, so the unit tests pin the
// text down without a terminal or a clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "app/rate_estimate.h"
#include "scanner/engine/sweep_stats.h"

namespace mxsweep::app {

// ProgressSnapshot is what a progress line reports, taken at one moment.
struct ProgressSnapshot {
  size_t domains_done = 0;
  size_t domains_started = 0;   // read from the input so far
  bool input_done = false;      // the input is read to its end: domains_started is the total
  size_t addresses_done = 0;
  size_t addresses = 0;         // unique address:port met so far
  size_t connections = 0;       // TCP connections made so far
  double rate = 0;              // domains done per second, smoothed (RateEstimate)
  std::optional<std::chrono::seconds> eta;  // time left; empty when it cannot be estimated
  std::chrono::seconds elapsed{0};
};

// MakeSnapshot takes the counters of |stats| and the rate of |domain_rate|. The ETA is given
// only once the input is read (|input_done|): before that the total is unknown — a pipe has no
// length, and a file longer than --max-domains-in-flight is read as room frees up — and the
// domains in flight are not what remains.
ProgressSnapshot MakeSnapshot(const SweepStats& stats, bool input_done, const RateEstimate& domain_rate,
                              std::chrono::seconds elapsed);

// FormatDuration writes "45s", "3m05s", "2h03m" or "3d04h".
std::string FormatDuration(std::chrono::seconds duration);

// FormatRate writes a per-second rate with the digits that mean something: "0.25", "3.2", "480".
std::string FormatRate(double per_second);

// LiveProgressLine is the terminal's line (redrawn in place; no "\r", no newline):
//   "12/40 domains, 30/35 addresses, 57 connections, 3.2/s, ETA 12s"
// A "+" after the domain count says more input is to come ("12/40+ domains").
std::string LiveProgressLine(const ProgressSnapshot& p);

// StatusProgressLine is one self-contained line for a log, ending in a newline, stamped with
// |now| in UTC:
//   "2026-12-02T10:00:05Z mxsweep scan: 12/40 domains done, 30/35 addresses done,
//    57 connections, 3.2 domains/s, ETA 12s, elapsed 1m05s"
std::string StatusProgressLine(const ProgressSnapshot& p, std::chrono::system_clock::time_point now);

}  // namespace mxsweep::app
