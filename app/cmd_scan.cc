// cmd_scan.cc: `mxsweep scan LIST` — the sweep: domains in, outreach CSV out.
//
// RunScan is the stages in order: check the options, load the exclusions, open the list
// (scan_input.h), open or continue the outputs (scan_outputs.h), build the engine
// (engine_setup.h) and the resolver, wire the sweep to the outputs through the row router
// (row_router.h), run the loop under the signal and progress controls (scan_controls.h), then
// close the outputs and print the summary and the final line (scan_summary.h).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "app/background_source.h"
#include "app/dns_error_window.h"
#include "app/commands.h"
#include "app/engine_setup.h"
#include "app/resolver_check.h"
#include "app/row_router.h"
#include "app/scan_controls.h"
#include "app/scan_input.h"
#include "app/scan_outputs.h"
#include "app/scan_summary.h"
#include "resolver/ares_resolver.h"
#include "scanner/engine/sweep.h"

namespace mxsweep::app {
namespace {

// The resolver check's wait per server: a resolver that takes longer to say anything about the
// root is unusable for a sweep anyway, and every scan pays this when the resolver is dead.
constexpr std::chrono::milliseconds kResolverCheckTimeout{2000};

int Refuse(const std::string& message, int exit_code) {
  std::fprintf(stderr, "mxsweep scan: %s\n", message.c_str());
  return exit_code;
}

// CheckScanOptions validates the options that need no file and prints the notice, if any.
bool CheckScanOptions(ScanOptions& options, std::string* error) {
  if (!options.common.Validate(error)) return false;
  // Zero would start no domain and end at once with an empty report. A domain in flight holds
  // its lookups, addresses and rows-to-be (a few KiB): a million is gigabytes, more is a typo.
  constexpr int64_t kMaxDomainsInFlight = 1000000;
  if (!CheckRange(options.max_domains_in_flight, 1, kMaxDomainsInFlight, "--max-domains-in-flight", error)) {
    return false;
  }
  // A status line more often than each second would bury a log; one a day is the least that
  // still says the sweep is alive.
  if (!(options.progress_every == 0 || (options.progress_every >= 1 && options.progress_every <= 86400))) {
    *error = "--progress-every must be 0 (never) or between 1 and 86400 seconds";
    return false;
  }
  if (!options.common.notice.empty()) {
    std::fprintf(stderr, "mxsweep scan: %s\n", options.common.notice.c_str());
  }
  return true;
}

bool LoadExcludeList(const std::string& path, ExcludeList* exclude, std::string* error) {
  if (path.empty()) return true;
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read --exclude " + path;
    return false;
  }
  if (!exclude->Load(in, path, error)) {
    *error = "--exclude " + *error;
    return false;
  }
  return true;
}

SweepConfig MakeSweepConfig(const ScanOptions& options, const EngineSetup& engine,
                            const ExcludeList* exclude) {
  const CommonOptions& common = options.common;
  SweepConfig config;
  config.prober = engine.prober;
  config.family = common.ipv4_only   ? resolver::Family::kIpv4
                  : common.ipv6_only ? resolver::Family::kIpv6
                                     : resolver::Family::kAny;
  config.port = common.target_port;
  config.targets = engine.targets;
  config.targets.allowed_ranges = options.allowed_ranges;
  config.exclude = exclude;
  config.max_domains_in_flight = static_cast<size_t>(options.max_domains_in_flight);
  return config;
}

}  // namespace

int RunScan(ScanOptions& options, uv_loop_t* loop, std::istream* input_override,
            std::function<void()> after_sweep) {
  std::string error;
  int exit_code = kExitError;
  if (!CheckScanOptions(options, &error)) return Refuse(error, kExitUsage);
  ExcludeList exclude;
  if (!LoadExcludeList(options.exclude_file, &exclude, &error)) return Refuse(error, kExitUsage);
  std::unique_ptr<ScanInput> input = ScanInput::Open(options.input, input_override, &error, &exit_code);
  if (!input) return Refuse(error, exit_code);
  // Before the outputs: a sweep whose resolver is not there must leave no file behind.
  if (!ResolversAnswer(loop, options.common.resolvers, kResolverCheckTimeout, &error)) {
    return Refuse(error, kExitResolve);
  }
  std::unique_ptr<ScanOutputs> outputs = ScanOutputs::Open(options, &error, &exit_code);
  if (!outputs) return Refuse(error, exit_code);
  EngineSetup engine;
  if (!SetUpEngine(options.common, loop, "scan", &engine, &error)) return Refuse(error, kExitError);
  resolver::AresOptions dns_options;
  dns_options.servers = options.common.resolvers;
  std::unique_ptr<resolver::AresResolver> dns = resolver::MakeAresResolver(loop, dns_options, &error);
  if (!dns) return Refuse("DNS: " + error, kExitUsage);
  SweepConfig config = MakeSweepConfig(options, engine, &exclude);
  Scheduler scheduler(loop, options.common.politeness);

  // The sweep and the controls are made below; the callbacks that stop it run only from the
  // loop, after both exist.
  std::unique_ptr<Sweep> sweep;
  auto write_header = [&](const DomainReader& reader) {
    if (!outputs->WriteHeader(reader) && sweep) sweep->Stop();
  };
  // Piped input: the reader runs on its thread, and the header (which may stop the sweep) is
  // written on the loop when the first entry, or the end, is pulled.
  CancellableInput* piped = input->piped();
  ReaderSource source(&input->stream(), input_override ? "input" : options.input,
                      piped ? std::function<void(const DomainReader&)>() : write_header);
  std::unique_ptr<BackgroundSource> background;
  std::unique_ptr<HeaderOnFirstPull> header_hook;
  DomainSource* read_source = &source;
  if (piped) {
    // Stopping cancels the read: a stopped sweep reads no further, and does not wait for the
    // producer.
    background = std::make_unique<BackgroundSource>(
        loop, source, [&] { if (sweep) sweep->InputReady(); }, [&] { piped->Cancel(); });
    header_hook = std::make_unique<HeaderOnFirstPull>(*background, [&] { write_header(source.reader()); });
    read_source = header_hook.get();
  }
  // Every row is accounted for (issue 15): invalid and duplicate rows are written as they are
  // read, rows already in a --resume'd output are skipped, the domains go to the sweep.
  RowRouter router(*read_source, outputs->done_rows(), [&](const DomainResult& row) {
    if (outputs->WriteDomain(row)) return true;
    if (sweep) sweep->Stop();
    return false;
  });

  std::unique_ptr<ScanControls> controls;
  // Our resolver failing mid-sweep would fill the rest of the CSV with DNS_ERROR rows that are
  // no finding about the partners: stop instead (issue 15), unless --keep-going.
  DnsErrorWindow dns_window;
  bool dns_failing = false;
  auto finished = [&] {
    if (background) background->Stop();
    controls->Close();
    scheduler.Close(nullptr);
    dns->Close(nullptr);
    if (after_sweep) after_sweep();
  };
  sweep = std::make_unique<Sweep>(
      engine.env, *dns, scheduler, config, router,
      [&](const DomainResult& result) {
        if (!outputs->WriteDomain(result)) sweep->Stop();
        bool dns_error = result.verdict.verdict == Verdict::kDnsError;
        if (dns_window.Add(dns_error) && !options.keep_going && !dns_failing) {
          dns_failing = true;
          sweep->Stop();
        }
      },
      finished);
  if (outputs->has_hosts()) {
    sweep->set_on_address([&](const AddressFacts& facts, const std::vector<std::string>& domains) {
      if (!outputs->failed() && !outputs->WriteAddress(facts, domains)) sweep->Stop();
    });
  }
  ProgressOptions progress;
  if (options.progress_every > 0) {
    progress.mode = isatty(STDERR_FILENO) ? ProgressMode::kLive : ProgressMode::kLines;
    progress.every = std::chrono::milliseconds(static_cast<int64_t>(options.progress_every * 1000));
  }
  controls = std::make_unique<ScanControls>(loop, sweep.get(), progress);
  controls->Start();

  if (background) background->Start();
  sweep->Start();
  uv_run(loop, UV_RUN_DEFAULT);
  bool interrupted = controls->signals() > 1;
  if (background) {
    // Already done when the sweep finished; after a second Ctrl-C it is not, and the reader's
    // thread must be gone before NoDomainsReason below reads its counts.
    background->Stop();
  }

  // Zero domains read is a usage error (issue 15), said once; an empty report would look like
  // a finished sweep. (An interrupted run has left above; a failed write is its own error.)
  if (std::string why = source.NoDomainsReason(); !why.empty() && controls->signals() == 0 &&
                                                  !outputs->failed()) {
    outputs->Discard();
    return Refuse(why, kExitUsage);
  }
  if (!outputs->header_written() && !outputs->failed()) outputs->WriteHeader(source.reader());
  outputs->Close();
  ScanEnd end;
  end.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - controls->started()).count();
  end.finished = !sweep->stopped() && sweep->input_done();
  end.unmatched_done = outputs->done_rows() ? outputs->done_rows()->size() : 0;
  PrintSummary(sweep->stats(), router.counts(), outputs->rows(), end);
  if (interrupted) {
    // Sessions are still open and own callbacks into this frame: leave without unwinding. Every
    // finished domain is already on disk (one write per row).
    std::fprintf(stderr, "mxsweep scan: stopped before the sessions in flight ended\n");
    std::fflush(stderr);
    std::_Exit(kExitInterrupted);
  }
  if (outputs->failed()) return kExitError;
  if (dns_failing) {
    std::fprintf(stderr,
                 "mxsweep scan: stopped: %zu of the last %zu domains ended in DNS_ERROR, which points at "
                 "the resolver, not the partners; check it (or --resolver), then run again with --resume "
                 "(--keep-going sweeps on regardless)\n",
                 dns_window.errors(), dns_window.size());
    return kExitResolve;
  }
  if (controls->signals() > 0) {
    std::fprintf(stderr, "mxsweep scan: interrupted; run again with --resume to finish the list\n");
    return kExitInterrupted;
  }
  // Finished: 5 tells a script that some domains have no answer yet (the final line says which);
  // invalid and duplicate rows are the input's own, said there too, and do not count.
  if (TallyRows(router.counts(), outputs->rows()).inconclusive > 0) return kExitInconclusive;
  return kExitOk;
}

}  // namespace mxsweep::app
