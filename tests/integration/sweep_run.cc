#include "tests/integration/sweep_run.h"

#include "output/domain_report.h"
#include "resolver/ares_resolver.h"

namespace mxsweep::testing {

bool ListSource::Next(DomainEntry* out) {
  if (next_ >= domains_.size()) return false;
  out->domain = domains_[next_++];
  out->line = next_;
  return true;
}

SweepRun RunSweep(TestLoop& loop, const std::string& dns_server, uint16_t port,
                  std::vector<std::string> domains, PolitenessOptions politeness,
                  std::function<void()> after, ProberOptions prober,
                  std::vector<std::string> allowed, const ExcludeList* exclude) {
  SweepRun run;
  std::string error;
  resolver::AresOptions dns_options;
  dns_options.servers = {dns_server};
  auto dns = resolver::MakeAresResolver(loop.get(), dns_options, &error);
  EXPECT_TRUE(dns) << error;
  if (!dns) return run;
  ProbeEnv env = FastEnv(loop.get());
  Scheduler scheduler(loop.get(), politeness);
  SweepConfig config;
  config.port = port;
  config.targets.allowed_ranges = allowed;
  config.exclude = exclude;
  config.prober = prober;
  config.prober.tempfail_backoff = std::chrono::milliseconds(100);
  ListSource source(std::move(domains));
  Sweep sweep(env, *dns, scheduler, config, source,
              [&](const DomainResult& r) {
                run.results.push_back(r);
                run.facts.emplace_back();
                for (const DomainAddress& a : r.addresses) run.facts.back().push_back(*a.facts);
                run.csv_rows.push_back(DomainCsvRow(r, {}));
                run.cert_problems.push_back(CertificateProblems(r));
              },
              [&] {
                run.max_in_flight_seen = scheduler.max_in_flight_seen();
                run.max_network_in_flight_seen = scheduler.max_network_in_flight_seen();
                scheduler.Close(nullptr);
                dns->Close(nullptr);
                if (after) after();
              });
  sweep.Start();
  uv_run(loop.get(), UV_RUN_DEFAULT);
  run.stats = sweep.stats();
  return run;
}

}  // namespace mxsweep::testing
