// sweep_run.h: a whole sweep on a test loop — domains from a list, a c-ares resolver pointed at
// a simulated DNS server, the scheduler with chosen politeness — and what it produced.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scanner/engine/exclude_list.h"
#include "scanner/engine/sweep.h"
#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {

// ListSource hands out |domains| in order, numbering lines from 1.
class ListSource : public DomainSource {
 public:
  explicit ListSource(std::vector<std::string> domains) : domains_(std::move(domains)) {}
  bool Next(DomainEntry* out) override;

 private:
  std::vector<std::string> domains_;
  size_t next_ = 0;
};

struct SweepRun {
  std::vector<DomainResult> results;
  std::vector<std::string> csv_rows;
  std::vector<std::string> cert_problems;  // CertificateProblems of each result, in order
  // Copies of each result's address facts (the results point into the sweep, gone by now).
  std::vector<std::vector<AddressFacts>> facts;
  SweepStats stats;
  size_t max_in_flight_seen = 0;  // the scheduler's, when the sweep ended
  size_t max_network_in_flight_seen = 0;  // likewise, the most in flight to one network
};

// RunSweep sweeps |domains| with |dns_server| as resolver and |politeness| in the scheduler,
// probing port |port|; |after| runs on the loop at the end (it closes the fleet and the DNS
// server). The tempfail back-off is 100 ms whatever |prober| says, so retries take no time.
SweepRun RunSweep(TestLoop& loop, const std::string& dns_server, uint16_t port,
                  std::vector<std::string> domains, PolitenessOptions politeness,
                  std::function<void()> after, ProberOptions prober = {},
                  std::vector<std::string> allowed = {"loopback"},
                  const ExcludeList* exclude = nullptr);

}  // namespace mxsweep::testing
