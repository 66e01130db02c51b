// cmd_scan.cc: `mxsweep scan LIST` — the sweep: domains in, outreach CSV out.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <unordered_set>

#include "app/background_source.h"
#include "app/loop_util.h"
#include "app/commands.h"
#include "output/file_sink.h"
#include "output/resume.h"
#include "resolver/ares_resolver.h"
#include "output/domain_report.h"
#include "output/host_report.h"
#include "scanner/engine/sweep.h"
#include "tls/client_contexts.h"

namespace mxsweep::app {
namespace {

using Clock = std::chrono::steady_clock;

// ReaderSource adapts the domain-list reader to the sweep: bad lines are reported on stderr
// with their line number, counted and skipped; the header of the CSV output is written when the
// input's form (and so its carried columns) is known.
class ReaderSource : public DomainSource {
 public:
  ReaderSource(std::istream* in, std::string name, std::function<void(const DomainReader&)> on_first,
               const std::unordered_set<std::string>* already_done)
      : reader_(in), name_(std::move(name)), on_first_(std::move(on_first)),
        already_done_(already_done) {}

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
      if (r == DomainReader::Result::kEntry && already_done_ != nullptr &&
          already_done_->count(out->domain) != 0) {
        resumed_++;  // its row is in the output already (--resume)
        continue;
      }
      return r == DomainReader::Result::kEntry;
    }
  }
  const DomainReader& reader() const { return reader_; }
  size_t resumed() const { return resumed_; }

 private:
  DomainReader reader_;
  std::string name_;
  std::function<void(const DomainReader&)> on_first_;
  const std::unordered_set<std::string>* already_done_;
  size_t resumed_ = 0;
};

// HeaderOnFirstPull runs |on_first| on the loop the first time |inner| yields an entry or its
// end: the input's form (and so the CSV header) is known by then.
class HeaderOnFirstPull : public DomainSource {
 public:
  HeaderOnFirstPull(DomainSource& inner, std::function<void()> on_first)
      : inner_(inner), on_first_(std::move(on_first)) {}
  bool Next(DomainEntry* out) override {
    bool more = inner_.Next(out);
    RunFirst();
    return more;
  }
  SourcePull Pull(DomainEntry* out) override {
    SourcePull pull = inner_.Pull(out);
    if (pull != SourcePull::kLater) RunFirst();
    return pull;
  }

 private:
  void RunFirst() {
    if (!on_first_) return;
    auto first = std::move(on_first_);
    on_first_ = nullptr;
    first();
  }

  DomainSource& inner_;
  std::function<void()> on_first_;
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

void PrintSummary(const Sweep& sweep, const ReaderSource& source, double seconds) {
  const DomainReader& reader = source.reader();
  const SweepStats& s = sweep.stats();
  std::fprintf(stderr, "\nmxsweep scan: %zu domains in %.1f s", s.domains_done, seconds);
  if (source.resumed()) std::fprintf(stderr, " (%zu already in the output, skipped)", source.resumed());
  if (reader.errors() || reader.duplicates()) {
    std::fprintf(stderr, " (%zu bad input lines skipped, %zu duplicates dropped)", reader.errors(),
                 reader.duplicates());
  }
  std::fprintf(stderr, "\n");
  if (s.domains_abandoned) {
    std::fprintf(stderr, "  %zu domains were in flight when the sweep stopped: not written; --resume sweeps them\n",
                 s.domains_abandoned);
  }
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
  if (options.max_domains_in_flight == 0) {
    // Zero would start no domain and end at once with an empty report.
    std::fprintf(stderr, "mxsweep scan: --max-domains-in-flight must be at least 1\n");
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
  // A pipe, a terminal or a socket is read on a thread of its own (app/background_source.h);
  // a regular file never makes the loop wait long and is read in place.
  std::unique_ptr<CancellableInput> piped;
  int input_fd = -1;
  if (in == nullptr) {
    if (options.input == "-") {
      input_fd = STDIN_FILENO;
    } else {
      input_fd = open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
      if (input_fd < 0) {
        std::fprintf(stderr, "mxsweep scan: cannot read %s: %s\n", options.input.c_str(), std::strerror(errno));
        return kExitUsage;
      }
    }
    struct stat st;
    if (fstat(input_fd, &st) == 0 && S_ISREG(st.st_mode)) {
      if (options.input == "-") {
        in = &std::cin;
      } else {
        file.open(options.input);
        close(input_fd);
        input_fd = -1;
        if (!file) {
          std::fprintf(stderr, "mxsweep scan: cannot read %s: %s\n", options.input.c_str(), std::strerror(errno));
          return kExitUsage;
        }
        in = &file;
      }
    } else {
      piped = CancellableInput::Create(input_fd, &error);
      if (!piped) {
        std::fprintf(stderr, "mxsweep scan: %s\n", error.c_str());
        return kExitError;
      }
      in = &piped->stream();
    }
  }
  // The descriptor of a named pipe stays open for the whole scan; closed on every return.
  struct FdCloser {
    int fd;
    ~FdCloser() {
      if (fd > STDIN_FILENO) close(fd);
    }
  } input_closer{input_fd};

  // --resume: cut what a killed run left half-written and learn which domains are done.
  output::CsvResumeState resume;
  if (options.resume) {
    if (options.output == "-") {
      std::fprintf(stderr, "mxsweep scan: --resume needs -o FILE (the output to continue)\n");
      return kExitUsage;
    }
    uint64_t hosts_cut = 0;
    if (!output::PrepareCsvResume(options.output, &resume, &error) ||
        (!options.hosts.empty() && !output::PrepareLinesResume(options.hosts, &hosts_cut, &error))) {
      std::fprintf(stderr, "mxsweep scan: %s\n", error.c_str());
      return kExitError;
    }
    if (resume.cut_bytes || hosts_cut) {
      std::fprintf(stderr, "mxsweep scan: --resume: cut a partial last record (%llu bytes) left by the interrupted run\n",
                   static_cast<unsigned long long>(resume.cut_bytes + hosts_cut));
    }
    if (!resume.header.empty() && resume.header.rfind("domain,verdict,", 0) != 0) {
      std::fprintf(stderr, "mxsweep scan: --resume: %s is not an mxsweep domain CSV\n", options.output.c_str());
      return kExitUsage;
    }
  }

  output::SinkError sink_error;
  output::FileSinkOptions sink_options;
  sink_options.force = options.force;
  sink_options.append = options.resume;
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
  std::unique_ptr<Sweep> sweep;
  auto write_header = [&](const DomainReader& reader) {
    carried = CarriedColumns(reader);
    header_written = true;
    std::string header = DomainCsvHeader(carried);
    if (!resume.header.empty()) {
      // Resuming: the header is there; rows must keep its columns.
      if (header.substr(0, header.size() - 2) != resume.header) {
        std::fprintf(stderr, "mxsweep scan: --resume: the input's columns differ from %s's header; stopping\n",
                     options.output.c_str());
        write_failed = true;
        if (sweep) sweep->Stop();
      }
      return;
    }
    if (!csv->WriteLine(header, &sink_error)) {
      // Found by the full-disk test: this failure used to be silent, and the sweep went on
      // probing for rows it could not write.
      write_failed = true;
      std::fprintf(stderr, "mxsweep scan: %s; stopping\n", sink_error.message.c_str());
      if (sweep) sweep->Stop();
    }
  };
  // Piped input: the reader runs on its thread, and the header (which may stop the sweep) is
  // written on the loop when the first entry, or the end, is pulled.
  ReaderSource source(in, input_override ? "input" : options.input, piped ? std::function<void(const DomainReader&)>() : write_header,
                      options.resume ? &resume.keys : nullptr);
  std::unique_ptr<BackgroundSource> background;
  std::unique_ptr<HeaderOnFirstPull> header_hook;
  DomainSource* sweep_source = &source;
  if (piped) {
    // Stopping cancels the read: a stopped sweep reads no further, and does not wait for the
    // producer.
    background = std::make_unique<BackgroundSource>(
        loop, source, [&] { if (sweep) sweep->InputReady(); }, [&] { piped->Cancel(); });
    header_hook = std::make_unique<HeaderOnFirstPull>(*background, [&] { write_header(source.reader()); });
    sweep_source = header_hook.get();
  }

  auto started = Clock::now();
  bool tty = isatty(STDERR_FILENO);
  uv_timer_t progress;
  uv_timer_init(loop, &progress);
  uv_signal_t sigint, sigterm;
  uv_signal_init(loop, &sigint);
  uv_signal_init(loop, &sigterm);

  auto finished = [&] {
    if (background) background->Stop();
    uv_close(reinterpret_cast<uv_handle_t*>(&progress), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
    scheduler.Close(nullptr);
    dns->Close(nullptr);
    if (after_sweep) after_sweep();
  };
  sweep = std::make_unique<Sweep>(
      env, *dns, scheduler, config, *sweep_source,
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
  if (hosts) {
    // Streamed: an address's line is written as soon as its facts are final, so a killed sweep
    // keeps them too.
    sweep->set_on_address([&](const AddressFacts& facts, const std::vector<std::string>& domains) {
      if (write_failed) return;
      if (!hosts->WriteLine(HostJson(facts, &domains) + "\n", &sink_error)) {
        write_failed = true;
        std::fprintf(stderr, "mxsweep scan: %s; stopping (lines already written are intact)\n",
                     sink_error.message.c_str());
        sweep->Stop();
      }
    });
  }

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

  if (background) background->Start();
  sweep->Start();
  uv_run(loop, UV_RUN_DEFAULT);
  bool interrupted = signal_state.count > 1;
  if (background) {
    // Already done when the sweep finished; after a second Ctrl-C it is not, and the summary
    // below reads the reader's counts.
    background->Stop();
  }

  if (!header_written && !write_failed) write_header(source.reader());
  if (!csv->Close(&sink_error) || (hosts && !hosts->Close(&sink_error))) {
    std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
    write_failed = true;
  }
  PrintSummary(*sweep, source, std::chrono::duration<double>(Clock::now() - started).count());
  if (interrupted) {
    // Sessions are still open and own callbacks into this frame: leave without unwinding. Every
    // finished domain is already on disk (one write per row).
    std::fprintf(stderr, "mxsweep scan: stopped before the sessions in flight ended\n");
    std::fflush(stderr);
    std::_Exit(kExitInterrupted);
  }
  if (write_failed) return kExitError;
  if (signal_state.count > 0) {
    std::fprintf(stderr, "mxsweep scan: interrupted; run again with --resume to finish the list\n");
    return kExitInterrupted;
  }
  return kExitOk;
}

}  // namespace mxsweep::app
