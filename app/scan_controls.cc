#include "app/scan_controls.h"

#include <csignal>
#include <cstdio>

namespace mxsweep::app {

using Clock = std::chrono::steady_clock;

ScanControls::ScanControls(uv_loop_t* loop, Sweep* sweep, bool progress)
    : sweep_(sweep), progress_(progress), started_(Clock::now()) {
  uv_timer_init(loop, &progress_timer_);
  uv_signal_init(loop, &sigint_);
  uv_signal_init(loop, &sigterm_);
  progress_timer_.data = this;
  sigint_.data = this;
  sigterm_.data = this;
}

void ScanControls::Start() {
  uv_signal_start(&sigint_, OnSignal, SIGINT);
  uv_signal_start(&sigterm_, OnSignal, SIGTERM);
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigint_));
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigterm_));
  if (progress_) {
    uv_timer_start(&progress_timer_, OnProgress, 1000, 1000);
    uv_unref(reinterpret_cast<uv_handle_t*>(&progress_timer_));
  }
}

void ScanControls::Close() {
  uv_close(reinterpret_cast<uv_handle_t*>(&progress_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
}

void ScanControls::OnSignal(uv_signal_t* handle, int signum) {
  auto* self = static_cast<ScanControls*>(handle->data);
  if (++self->signals_ == 1) {
    std::fprintf(stderr, "\nmxsweep scan: %s: finishing the sessions in flight (again to stop now)\n",
                 signum == SIGINT ? "interrupted" : "terminated");
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
