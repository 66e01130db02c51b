// The progress of `scan`: the smoothed rate and its ETA on a fake clock, and the exact text of
// the live line and the status line.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "app/progress_line.h"
#include "app/rate_estimate.h"

namespace mxsweep::app {
namespace {

using std::chrono::seconds;
using Clock = RateEstimate::Clock;

TEST(RateEstimate, NothingBeforeTheFirstSample) {
  RateEstimate rate;
  Clock::time_point t0{};
  rate.Start(t0);
  EXPECT_EQ(rate.rate(), 0);
  EXPECT_FALSE(rate.Eta(10));
  rate.Add(t0 + seconds(1), 0);
  EXPECT_EQ(rate.rate(), 0);
  EXPECT_FALSE(rate.Eta(10)) << "no domain done yet: no basis for an estimate";
}

TEST(RateEstimate, ASteadyRateIsMeasuredFromTheFirstSecond) {
  RateEstimate rate(seconds(20));
  Clock::time_point t0{};
  rate.Start(t0);
  // The weighting starts at zero: without its correction the first seconds would read a
  // fraction of the true rate, and the ETA would start out far too long.
  for (int s = 1; s <= 60; s++) {
    rate.Add(t0 + seconds(s), static_cast<size_t>(5 * s));
    EXPECT_NEAR(rate.rate(), 5.0, 1e-9) << "after " << s << " s";
  }
  ASSERT_TRUE(rate.Eta(100));
  EXPECT_EQ(*rate.Eta(100), seconds(20));
  EXPECT_FALSE(rate.Eta(0)) << "nothing left";
}

TEST(RateEstimate, FollowsASlowdownWithinItsTimeConstant) {
  RateEstimate rate(seconds(10));
  Clock::time_point t0{};
  rate.Start(t0);
  size_t done = 0;
  int s = 0;
  for (; s < 60; s++) rate.Add(t0 + seconds(s + 1), done += 10);  // 10/s for a minute
  EXPECT_NEAR(rate.rate(), 10.0, 1e-6);
  for (int k = 0; k < 10; k++, s++) rate.Add(t0 + seconds(s + 1), done += 1);  // then 1/s
  // One time constant later the old rate weighs 1/e: 1 + 9/e.
  EXPECT_NEAR(rate.rate(), 1.0 + 9.0 / std::exp(1.0), 0.05);
  for (int k = 0; k < 60; k++, s++) rate.Add(t0 + seconds(s + 1), done += 1);
  EXPECT_NEAR(rate.rate(), 1.0, 0.01);
  // The overall mean (a quarter of the way from 10 to 1 by now) is what the ETA used to divide
  // by: it says 98 s for 200 domains left where 200 s is right.
  ASSERT_TRUE(rate.Eta(200));
  EXPECT_NEAR(static_cast<double>(rate.Eta(200)->count()), 200.0, 3.0);
}

TEST(RateEstimate, LongIntervalsWeighAsMuchAsManyShortOnes) {
  // Status lines every 60 s sample the rate once a minute; the estimate must be the same.
  RateEstimate every_second(seconds(20)), every_minute(seconds(20));
  Clock::time_point t0{};
  every_second.Start(t0);
  every_minute.Start(t0);
  size_t done = 0;
  for (int s = 1; s <= 120; s++) every_second.Add(t0 + seconds(s), done += s <= 60 ? 3 : 1);
  every_minute.Add(t0 + seconds(60), 180);
  every_minute.Add(t0 + seconds(120), 240);
  EXPECT_NEAR(every_second.rate(), every_minute.rate(), 1e-9);
  EXPECT_LT(every_minute.rate(), 1.2) << "the last minute counts most";
}

TEST(RateEstimate, IgnoresSamplesOutOfOrder) {
  RateEstimate rate;
  Clock::time_point t0{};
  rate.Start(t0);
  rate.Add(t0 + seconds(2), 10);
  rate.Add(t0 + seconds(2), 50);  // no time passed
  rate.Add(t0 + seconds(1), 60);  // earlier than the last one
  rate.Add(t0 + seconds(3), 5);   // the count went down
  EXPECT_NEAR(rate.rate(), 5.0, 1e-9);
}

TEST(RateEstimate, AddBeforeStartStarts) {
  RateEstimate rate;
  Clock::time_point t0{};
  rate.Add(t0, 100);
  rate.Add(t0 + seconds(10), 120);
  EXPECT_NEAR(rate.rate(), 2.0, 1e-9) << "the first sample is the origin, not 100 done at once";
}

ProgressSnapshot Sample() {
  ProgressSnapshot p;
  p.domains_done = 12;
  p.domains_started = 40;
  p.input_done = true;
  p.addresses_done = 30;
  p.addresses = 35;
  p.connections = 57;
  p.rate = 3.21;
  p.eta = seconds(12);
  p.elapsed = seconds(65);
  return p;
}

TEST(ProgressLine, Durations) {
  EXPECT_EQ(FormatDuration(seconds(0)), "0s");
  EXPECT_EQ(FormatDuration(seconds(59)), "59s");
  EXPECT_EQ(FormatDuration(seconds(65)), "1m05s");
  EXPECT_EQ(FormatDuration(seconds(3599)), "59m59s");
  EXPECT_EQ(FormatDuration(seconds(7380)), "2h03m");
  EXPECT_EQ(FormatDuration(seconds(3 * 86400 + 4 * 3600 + 59)), "3d04h");
  EXPECT_EQ(FormatDuration(seconds(-5)), "0s");
}

TEST(ProgressLine, Rates) {
  EXPECT_EQ(FormatRate(0), "0");
  EXPECT_EQ(FormatRate(0.25), "0.25");
  EXPECT_EQ(FormatRate(3.21), "3.2");
  EXPECT_EQ(FormatRate(480.4), "480");
}

TEST(ProgressLine, LiveLine) {
  EXPECT_EQ(LiveProgressLine(Sample()), "12/40 domains, 30/35 addresses, 57 connections, 3.2/s, ETA 12s");
  ProgressSnapshot reading = Sample();
  reading.input_done = false;
  reading.eta.reset();
  EXPECT_EQ(LiveProgressLine(reading), "12/40+ domains, 30/35 addresses, 57 connections, 3.2/s, ETA ?");
}

TEST(ProgressLine, StatusLineIsSelfContained) {
  // 2026-12-02T10:00:05Z
  std::chrono::system_clock::time_point now = std::chrono::system_clock::from_time_t(1796205605);
  EXPECT_EQ(StatusProgressLine(Sample(), now),
            "2026-12-02T10:00:05Z mxsweep scan: 12/40 domains done, 30/35 addresses done, 57 connections, "
            "3.2 domains/s, ETA 12s, elapsed 1m05s\n");
  ProgressSnapshot reading = Sample();
  reading.input_done = false;
  reading.eta.reset();
  EXPECT_EQ(StatusProgressLine(reading, now),
            "2026-12-02T10:00:05Z mxsweep scan: 12/40+ domains done, 30/35 addresses done, 57 connections, "
            "3.2 domains/s, no ETA until the input is read, elapsed 1m05s\n");
  ProgressSnapshot stalled = Sample();
  stalled.eta.reset();
  EXPECT_NE(StatusProgressLine(stalled, now).find(", no ETA yet, "), std::string::npos);
}

TEST(ProgressLine, SnapshotGivesAnEtaOnlyForAKnownTotal) {
  SweepStats stats;
  stats.domains_started = 40;
  stats.domains_done = 12;
  stats.addresses = 35;
  stats.addresses_done = 30;
  stats.connections = 57;
  RateEstimate rate;
  Clock::time_point t0{};
  rate.Start(t0);
  rate.Add(t0 + seconds(4), 12);  // 3/s
  ProgressSnapshot known = MakeSnapshot(stats, true, rate, seconds(4));
  EXPECT_EQ(known.domains_done, 12u);
  EXPECT_EQ(known.domains_started, 40u);
  EXPECT_EQ(known.addresses_done, 30u);
  EXPECT_EQ(known.addresses, 35u);
  EXPECT_EQ(known.connections, 57u);
  EXPECT_NEAR(known.rate, 3.0, 1e-9);
  ASSERT_TRUE(known.eta);
  EXPECT_EQ(*known.eta, seconds(10)) << "28 left at 3/s";
  // A pipe, or a list not yet read to its end: the 28 in flight are not what remains.
  ProgressSnapshot unknown = MakeSnapshot(stats, false, rate, seconds(4));
  EXPECT_FALSE(unknown.eta);
  EXPECT_FALSE(unknown.input_done);
}

}  // namespace
}  // namespace mxsweep::app
