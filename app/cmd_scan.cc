// cmd_scan.cc: `mxsweep scan LIST` — the sweep: domains in, outreach CSV out.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/loop_util.h"
#include "app/options.h"
#include "output/file_sink.h"
#include "resolver/ares_resolver.h"
#include "scanner/domain_report.h"
#include "scanner/host_report.h"
#include "scanner/sweep.h"
#include "tls/client_contexts.h"

namespace mxsweep::app {
namespace {

using Clock = std::chrono::steady_clock;

// ReaderSource adapts the domain-list reader to the sweep: bad lines are reported on stderr
// with their line number, counted and skipped; the header of the CSV output is written when the
// input's form (and so its carried columns) is known.
class ReaderSource : public DomainSource {
 public:
  ReaderSource(std::istream* in, std::string name, std::function<void(const DomainReader&)> on_first)
      : reader_(in), name_(std::move(name)), on_first_(std::move(on_first)) {}

  bool Next(DomainEntry* out) override {
    for (;;) {
      InputError error;
      DomainReader::Result r = reader_.Next(out, &error);
      if (r == DomainReader::Result::kError) {
        std::fprintf(stderr, "mxsweep scan: %s:%s\n", name_.c_str(), FormatInputError(error).c_str());
        continue;
      }
      if (on_first_) {
        auto first = std::move(on_first_);
        on_first_ = nullptr;
        first(reader_);
      }
      return r == DomainReader::Result::kEntry;
    }
  }
  const DomainReader& reader() const { return reader_; }

 private:
  DomainReader reader_;
  std::string name_;
  std::function<void(const DomainReader&)> on_first_;
};

std::vector<std::string> CarriedColumns(const DomainReader& reader) {
  std::vector<std::string> carried;
  if (!reader.csv_mode()) return carried;
  for (const std::string& column : reader.header()) {
    std::string lower;
    for (char c : column) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower != "domain") carried.push_back(column);
  }
  return carried;
}

void PrintSummary(const Sweep& sweep, const DomainReader& reader, double seconds) {
  const SweepStats& s = sweep.stats();
  std::fprintf(stderr, "\nmxsweep scan: %zu domains in %.1f s", s.domains_done, seconds);
  if (reader.errors() || reader.duplicates()) {
    std::fprintf(stderr, " (%zu bad input lines skipped, %zu duplicates dropped)", reader.errors(),
                 reader.duplicates());
  }
  std::fprintf(stderr, "\n");
  for (Verdict v : kAllVerdicts) {
    size_t n = s.verdicts[static_cast<size_t>(v)];
    if (n) std::fprintf(stderr, "  %-18s %zu\n", std::string(VerdictName(v)).c_str(), n);
  }
  std::fprintf(stderr, "  addresses: %zu met, %zu probed, %zu connections", s.addresses,
               s.addresses_probed, s.connections);
  if (s.addresses_probed) {
    std::fprintf(stderr, " (%.2f per address)", static_cast<double>(s.connections) / s.addresses_probed);
  }
  std::fprintf(stderr, "\n");
}

}  // namespace

int RunScan(ScanOptions& options, uv_loop_t* loop, std::istream* input_override,
            std::function<void()> after_sweep) {
  std::string error;
  CommonOptions& common = options.common;
  if (!common.Validate(&error)) {
    std::fprintf(stderr, "mxsweep scan: %s\n", error.c_str());
    return kExitUsage;
  }
  if (!common.notice.empty()) std::fprintf(stderr, "mxsweep scan: %s\n", common.notice.c_str());
  ExcludeList exclude;
  if (!options.exclude_file.empty()) {
    std::ifstream in(options.exclude_file);
    if (!in) {
      std::fprintf(stderr, "mxsweep scan: cannot read --exclude %s\n", options.exclude_file.c_str());
      return kExitUsage;
    }
    if (!exclude.Load(in, options.exclude_file, &error)) {
      std::fprintf(stderr, "mxsweep scan: --exclude %s\n", error.c_str());
      return kExitUsage;
    }
  }

  std::ifstream file;
  std::istream* in = input_override;
  if (in == nullptr) {
    if (options.input == "-") {
      in = &std::cin;
    } else {
      file.open(options.input);
      if (!file) {
        std::fprintf(stderr, "mxsweep scan: cannot read %s: %s\n", options.input.c_str(), std::strerror(errno));
        return kExitUsage;
      }
      in = &file;
    }
  }

  output::SinkError sink_error;
  output::FileSinkOptions sink_options;
  sink_options.force = options.force;
  std::unique_ptr<output::FileSink> csv = output::FileSink::Open(options.output, sink_options, &sink_error);
  if (!csv) {
    std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
    return kExitError;
  }
  std::unique_ptr<output::FileSink> hosts;
  if (!options.hosts.empty()) {
    hosts = output::FileSink::Open(options.hosts, sink_options, &sink_error);
    if (!hosts) {
      std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
      return kExitError;
    }
  }

  std::unique_ptr<tls::ClientContexts> contexts = tls::ClientContexts::Create(common.ca_file, &error);
  if (!contexts) {
    std::fprintf(stderr, "mxsweep scan: %s\n", error.c_str());
    return kExitError;
  }
  if (!contexts->trust_warning().empty()) {
    std::fprintf(stderr, "mxsweep scan: %s\n", contexts->trust_warning().c_str());
  }
  resolver::AresOptions dns_options;
  dns_options.servers = common.resolvers;
  std::unique_ptr<resolver::AresResolver> dns = resolver::MakeAresResolver(loop, dns_options, &error);
  if (!dns) {
    std::fprintf(stderr, "mxsweep scan: DNS: %s\n", error.c_str());
    return kExitUsage;
  }

  ProbeEnv env;
  env.loop = loop;
  env.contexts = contexts.get();
  env.smtp.ehlo_name = common.ehlo_name;
  env.timeouts = common.timeouts;
  SweepConfig config;
  config.prober.plan = common.plan;
  config.prober.max_tempfail_retries = common.tempfail_retries;
  config.prober.tempfail_backoff = std::chrono::milliseconds(static_cast<int64_t>(common.tempfail_backoff * 1000));
  config.family = common.ipv4_only ? resolver::Family::kIpv4
                  : common.ipv6_only ? resolver::Family::kIpv6 : resolver::Family::kAny;
  config.port = common.port;
  config.allow_private = common.allow_private;
  config.allowed_ranges = options.allowed_ranges;
  config.exclude = &exclude;
  config.max_domains_in_flight = options.max_domains_in_flight;
  Scheduler scheduler(loop, common.politeness);

  std::vector<std::string> carried;
  bool header_written = false;
  bool write_failed = false;
  auto write_header = [&](const DomainReader& reader) {
    carried = CarriedColumns(reader);
    header_written = true;
    if (!csv->WriteLine(DomainCsvHeader(carried), &sink_error)) write_failed = true;
  };
  ReaderSource source(in, input_override ? "input" : options.input, write_header);

  auto started = Clock::now();
  bool tty = isatty(STDERR_FILENO);
  uv_timer_t progress;
  uv_timer_init(loop, &progress);
  uv_signal_t sigint, sigterm;
  uv_signal_init(loop, &sigint);
  uv_signal_init(loop, &sigterm);

  std::unique_ptr<Sweep> sweep;
  auto finished = [&] {
    uv_close(reinterpret_cast<uv_handle_t*>(&progress), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
    scheduler.Close(nullptr);
    dns->Close(nullptr);
    if (after_sweep) after_sweep();
  };
  sweep = std::make_unique<Sweep>(
      env, *dns, scheduler, config, source,
      [&](const DomainResult& result) {
        if (write_failed) return;
        if (!csv->WriteLine(DomainCsvRow(result, carried), &sink_error)) {
          write_failed = true;
          std::fprintf(stderr, "mxsweep scan: %s; stopping (rows already written are intact)\n",
                       sink_error.message.c_str());
          sweep->Stop();
        }
      },
      finished);

  struct SignalState {
    Sweep* sweep;
    int count = 0;
  } signal_state{nullptr};
  auto on_signal = [](uv_signal_t* handle, int signum) {
    auto* state = static_cast<SignalState*>(handle->data);
    if (++state->count == 1) {
      std::fprintf(stderr, "\nmxsweep scan: %s: finishing the sessions in flight (again to stop now)\n",
                   signum == SIGINT ? "interrupted" : "terminated");
      state->sweep->Stop();
    } else {
      uv_stop(handle->loop);
    }
  };
  signal_state.sweep = sweep.get();
  sigint.data = &signal_state;
  sigterm.data = &signal_state;
  uv_signal_start(&sigint, on_signal, SIGINT);
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigint));
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigterm));

  struct ProgressState {
    Sweep* sweep;
    Clock::time_point started;
  } progress_state{sweep.get(), started};
  if (tty) {
    progress.data = &progress_state;
    uv_timer_start(&progress, [](uv_timer_t* t) {
      auto* p = static_cast<ProgressState*>(t->data);
      const SweepStats& st = p->sweep->stats();
      double elapsed = std::chrono::duration<double>(Clock::now() - p->started).count();
      double rate = elapsed > 0 ? st.domains_done / elapsed : 0;
      char eta[32] = "?";
      if (p->sweep->input_done() && rate > 0) {
        std::snprintf(eta, sizeof(eta), "%.0f s", (st.domains_started - st.domains_done) / rate);
      }
      std::fprintf(stderr, "\r%zu/%zu%s domains, %.1f/s, ETA %s, %zu/%zu addresses, %zu connections   ",
                   st.domains_done, st.domains_started, p->sweep->input_done() ? "" : "+", rate, eta,
                   st.addresses_done, st.addresses, st.connections);
    }, 1000, 1000);
    uv_unref(reinterpret_cast<uv_handle_t*>(&progress));
  }

  sweep->Start();
  uv_run(loop, UV_RUN_DEFAULT);
  bool interrupted = signal_state.count > 1;

  if (!header_written && !write_failed) write_header(source.reader());
  if (hosts && !write_failed) {
    sweep->ForEachAddress([&](const AddressFacts& facts, const std::vector<std::string>& domains) {
      if (write_failed) return;
      if (!hosts->WriteLine(HostJson(facts, &domains) + "\n", &sink_error)) {
        write_failed = true;
        std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
      }
    });
  }
  if (!csv->Close(&sink_error) || (hosts && !hosts->Close(&sink_error))) {
    std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
    write_failed = true;
  }
  PrintSummary(*sweep, source.reader(), std::chrono::duration<double>(Clock::now() - started).count());
  if (interrupted) {
    // Sessions are still open and own callbacks into this frame: leave without unwinding. Every
    // finished domain is already on disk (one write per row).
    std::fprintf(stderr, "mxsweep scan: stopped before the sessions in flight ended\n");
    std::fflush(stderr);
    std::_Exit(130);
  }
  return write_failed ? kExitError : kExitOk;
}

}  // namespace mxsweep::app
