#include "app/rate_estimate.h"

#include <cmath>

namespace mxsweep::app {

RateEstimate::RateEstimate(std::chrono::duration<double> time_constant)
    : time_constant_s_(time_constant.count() > 0 ? time_constant.count() : 1.0) {}

void RateEstimate::Start(Clock::time_point now, size_t count) {
  started_ = true;
  last_time_ = now;
  last_count_ = count;
  weighted_ = 0;
  weight_ = 0;
}

void RateEstimate::Add(Clock::time_point now, size_t count) {
  if (!started_) {
    Start(now, count);
    return;
  }
  double dt = std::chrono::duration<double>(now - last_time_).count();
  if (!(dt > 0) || count < last_count_) return;
  double instant = static_cast<double>(count - last_count_) / dt;
  // The weight of the new interval grows with its length: a 60 s gap between samples (the
  // status lines of a cron run) counts as much as sixty 1 s ones.
  double alpha = 1.0 - std::exp(-dt / time_constant_s_);
  weighted_ = alpha * instant + (1.0 - alpha) * weighted_;
  weight_ = alpha + (1.0 - alpha) * weight_;
  last_time_ = now;
  last_count_ = count;
}

double RateEstimate::rate() const { return weight_ > 0 ? weighted_ / weight_ : 0.0; }

std::optional<std::chrono::seconds> RateEstimate::Eta(size_t remaining) const {
  double r = rate();
  if (remaining == 0 || !(r > 0)) return std::nullopt;
  // Rounded up (a partial second still has to pass), less a hair that floating point adds to
  // exact quotients.
  double seconds = std::ceil(static_cast<double>(remaining) / r - 1e-6);
  // Beyond a year is no estimate anyone acts on; it also keeps the cast in range.
  constexpr double kYear = 365.0 * 24 * 3600;
  if (seconds > kYear) seconds = kYear;
  return std::chrono::seconds(static_cast<int64_t>(seconds));
}

}  // namespace mxsweep::app
