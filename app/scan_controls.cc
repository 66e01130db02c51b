#include "app/scan_controls.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

#include "app/progress_line.h"

namespace mxsweep::app {

using Clock = std::chrono::steady_clock;

namespace {

// SignalIgnored reports whether |signum| was set to SIG_IGN by whoever started us.
bool SignalIgnored(int signum) {
  struct sigaction current {};
  return sigaction(signum, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

const char* SignalWord(int signum) {
  switch (signum) {
    case SIGINT: return "interrupted";
    case SIGHUP: return "hung up";
    default: return "terminated";
  }
}

}  // namespace

ScanControls::ScanControls(uv_loop_t* loop, Sweep* sweep, ProgressOptions progress)
    : sweep_(sweep), progress_(progress), started_(Clock::now()) {
  domain_rate_.Start(started_);
  uv_timer_init(loop, &progress_timer_);
  uv_signal_init(loop, &sigint_);
  uv_signal_init(loop, &sigterm_);
  uv_signal_init(loop, &sighup_);
  progress_timer_.data = this;
  sigint_.data = this;
  sigterm_.data = this;
  sighup_.data = this;
}

void ScanControls::Start() {
  uv_signal_start(&sigint_, OnSignal, SIGINT);
  uv_signal_start(&sigterm_, OnSignal, SIGTERM);
  // A closed terminal or ssh session: by default the process would die at once, without the
  // summary and with sessions cut off.
  if (!SignalIgnored(SIGHUP)) uv_signal_start(&sighup_, OnSignal, SIGHUP);
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigint_));
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigterm_));
  uv_unref(reinterpret_cast<uv_handle_t*>(&sighup_));
  if (progress_.mode != ProgressMode::kNone) {
    // The rate is sampled when a line is written: every second on a terminal, every
    // --progress-every in a log (RateEstimate weighs a long interval as the sum of short ones).
    uint64_t interval = progress_.mode == ProgressMode::kLive
                            ? 1000
                            : static_cast<uint64_t>(std::max<int64_t>(1, progress_.every.count()));
    uv_timer_start(&progress_timer_, OnProgress, interval, interval);
    uv_unref(reinterpret_cast<uv_handle_t*>(&progress_timer_));
  }
}

void ScanControls::Close() {
  uv_close(reinterpret_cast<uv_handle_t*>(&progress_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sighup_), nullptr);
}

void ScanControls::OnSignal(uv_signal_t* handle, int signum) {
  auto* self = static_cast<ScanControls*>(handle->data);
  if (++self->signals_ == 1) {
    std::fprintf(stderr, "\nmxsweep scan: %s: finishing the sessions in flight (again to stop now)\n",
                 SignalWord(signum));
    self->sweep_->Stop();
  } else {
    uv_stop(handle->loop);
  }
}

void ScanControls::OnProgress(uv_timer_t* timer) {
  auto* self = static_cast<ScanControls*>(timer->data);
  const Sweep& sweep = *self->sweep_;
  const SweepStats& st = sweep.stats();
  Clock::time_point now = Clock::now();
  self->domain_rate_.Add(now, st.domains_done);
  ProgressSnapshot p = MakeSnapshot(st, sweep.input_done(), self->domain_rate_,
                                    std::chrono::round<std::chrono::seconds>(now - self->started_));
  if (self->progress_.mode == ProgressMode::kLive) {
    // "\x1b[K" clears what a longer previous line left on the right.
    std::fprintf(stderr, "\r%s\x1b[K", LiveProgressLine(p).c_str());
  } else {
    std::fputs(StatusProgressLine(p, std::chrono::system_clock::now()).c_str(), stderr);
  }
  std::fflush(stderr);
}

}  // namespace mxsweep::app
