// scan_controls.h: what a running scan puts on the loop beside the sweep — the signals that stop
// it (SIGINT, SIGTERM, SIGHUP: the first finishes the sessions in flight, the second stops at
// once) and the progress: a live line on a terminal, a status line every --progress-every
// seconds elsewhere (progress_line.h).
#pragma once

#include <uv.h>

#include <chrono>

#include "app/rate_estimate.h"
#include "scanner/engine/sweep.h"

namespace mxsweep::app {

// ProgressMode says how a scan reports its progress on stderr.
enum class ProgressMode : uint8_t {
  kNone,
  kLive,   // a terminal: one line redrawn every second
  kLines,  // a log (cron, CI, a pipe): one self-contained line every |every|
};

struct ProgressOptions {
  ProgressMode mode = ProgressMode::kNone;
  std::chrono::milliseconds every{60000};  // kLines only
};

class ScanControls {
 public:
  // |sweep| must outlive the controls.
  ScanControls(uv_loop_t* loop, Sweep* sweep, ProgressOptions progress);
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
  ProgressOptions progress_;
  RateEstimate domain_rate_;
  int signals_ = 0;
  std::chrono::steady_clock::time_point started_;
  uv_timer_t progress_timer_{};
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_signal_t sighup_{};
};

}  // namespace mxsweep::app
