// rate_estimate.h: a smoothed rate of a growing count (domains done per second) and the time
// left at that rate, for the progress line. No I/O and no clock of its own: the caller passes
// the time, so the unit tests drive it with a fake clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace mxsweep::app {

class RateEstimate {
 public:
  using Clock = std::chrono::steady_clock;

  // |time_constant| is how far back the rate looks: a sample that old weighs 1/e of a new one.
  // Domains finish in bursts (an address shared by thousands ends them at once; paced addresses
  // end seconds apart), so a window of some tens of seconds keeps the ETA from jumping with
  // every burst and still follows a sweep that slows down.
  explicit RateEstimate(std::chrono::duration<double> time_constant = std::chrono::seconds(20));

  // Start sets the origin: |count| at |now|.
  void Start(Clock::time_point now, size_t count = 0);
  // Add records that the count was |count| at |now|. Samples must come in time order; one at
  // the same time as the previous one (or a count that went down) is ignored.
  void Add(Clock::time_point now, size_t count);

  // rate is the smoothed count per second; 0 before the first sample after Start.
  double rate() const;
  // Eta is the time |remaining| more take at rate(); nothing when the rate is 0 (the estimate
  // would be "forever", which nothing observed supports) or nothing remains.
  std::optional<std::chrono::seconds> Eta(size_t remaining) const;

 private:
  double time_constant_s_;
  Clock::time_point last_time_{};
  size_t last_count_ = 0;
  bool started_ = false;
  // An exponentially weighted mean of the rate between samples, started at 0, and the weight
  // the samples carry so far: rate() divides one by the other, so the first seconds give the
  // plain mean since Start rather than a value dragged towards the 0 it started at.
  double weighted_ = 0;
  double weight_ = 0;
};

}  // namespace mxsweep::app
