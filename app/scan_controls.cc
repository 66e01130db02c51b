#include "app/scan_controls.h"

#include <csignal>
#include <cstdio>

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

ScanControls::ScanControls(uv_loop_t* loop, Sweep* sweep, bool progress)
    : sweep_(sweep), progress_(progress), started_(Clock::now()) {
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
  if (progress_) {
    uv_timer_start(&progress_timer_, OnProgress, 1000, 1000);
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
  double elapsed = std::chrono::duration<double>(Clock::now() - self->started_).count();
  double rate = elapsed > 0 ? st.domains_done / elapsed : 0;
  char eta[32] = "?";
  if (sweep.input_done() && rate > 0) {
    std::snprintf(eta, sizeof(eta), "%.0f s", (st.domains_started - st.domains_done) / rate);
  }
  std::fprintf(stderr, "\r%zu/%zu%s domains, %.1f/s, ETA %s, %zu/%zu addresses, %zu connections   ",
               st.domains_done, st.domains_started, sweep.input_done() ? "" : "+", rate, eta,
               st.addresses_done, st.addresses, st.connections);
}

}  // namespace mxsweep::app
