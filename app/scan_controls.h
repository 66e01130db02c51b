// scan_controls.h: what a running scan puts on the loop beside the sweep — the signals that stop
// it (SIGINT, SIGTERM, SIGHUP: the first finishes the sessions in flight, the second stops at
// once) and, on a terminal, the progress line.
#pragma once

#include <uv.h>

#include <chrono>

#include "scanner/engine/sweep.h"

namespace mxsweep::app {

class ScanControls {
 public:
  // |sweep| must outlive the controls; |progress| enables the live progress line.
  ScanControls(uv_loop_t* loop, Sweep* sweep, bool progress);
  ScanControls(const ScanControls&) = delete;
  ScanControls& operator=(const ScanControls&) = delete;

  // Start watches the signals (without keeping the loop alive) and starts the progress line.
  // SIGHUP is left alone when it was ignored at start (`nohup`): the sweep then outlives the
  // terminal, as the user asked.
  void Start();
  // Close closes the handles; call it from the loop when the sweep has finished.
  void Close();

  // signals counts the stop signals received; more than one means "stopped at once".
  int signals() const { return signals_; }
  std::chrono::steady_clock::time_point started() const { return started_; }

 private:
  static void OnSignal(uv_signal_t* handle, int signum);
  static void OnProgress(uv_timer_t* timer);

  Sweep* sweep_;
  bool progress_;
  int signals_ = 0;
  std::chrono::steady_clock::time_point started_;
  uv_timer_t progress_timer_{};
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_signal_t sighup_{};
};

}  // namespace mxsweep::app
