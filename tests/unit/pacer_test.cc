// The pacer with a fake clock (no loop, no sleeping): the connection rate and its burst, the gap
// after a session to an address, one session at a time per address, the per-network budget, the
// in-flight cap, and the 421 back-off. Times are asserted exactly: the pacer's arithmetic is in whole clock ticks.
#include "scanner/engine/pacer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <vector>

namespace mxsweep {
namespace {

using Clock = Pacer::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Any fixed point will do; not the clock's epoch, so that nothing passes by being zero.
const Clock::time_point kT0 = Clock::time_point(std::chrono::hours(1000));

milliseconds Ms(Clock::time_point t) { return std::chrono::duration_cast<milliseconds>(t - kT0); }

struct Start {
  std::string key;
  Clock::time_point at;
};

// FakeLoop drives a pacer the way the Scheduler does, on simulated time: it starts whatever the
// pacer allows now, then jumps to the pacer's next wake-up or the next session's end, whichever
// comes first. A session "lasts" a fixed time from its start to its Finish; |on_end| (optional)
// runs after the Finish, at the end time, and may queue more sessions.
class FakeLoop {
 public:
  explicit FakeLoop(PolitenessOptions options) : pacer_(options, kT0) {}

  using OnEnd = std::function<void(FakeLoop&)>;
  // Add queues a session to |key|; |network| defaults to the key itself (a network of its own).
  void Add(const std::string& key, Clock::duration lasts, Clock::time_point not_before = kT0,
           OnEnd on_end = nullptr, const std::string& network = "") {
    std::string net = network.empty() ? key : network;
    pacer_.Add(key, net, not_before, [this, key, net, lasts, on_end] {
      starts_.push_back({key, now_});
      ends_.push({now_ + lasts, seq_++, key, net, on_end});
      active_[key]++;
      EXPECT_EQ(active_[key], 1) << "two sessions at once to " << key;
      max_network_active_[net] = std::max(max_network_active_[net], ++network_active_[net]);
    }, now_);
  }

  // Run advances time until nothing is left to do.
  void Run() {
    for (int steps = 0; steps < 1'000'000; steps++) {
      Pacer::Go go;
      while (pacer_.Next(now_, &go)) go();
      Clock::time_point next = pacer_.NextWake(now_);
      if (!ends_.empty()) next = std::min(next, ends_.top().at);
      if (next == Clock::time_point::max()) return;
      ASSERT_GE(next, now_);
      // A wake-up at the present with no session ending would loop forever: the pacer said
      // "now" but then refused.
      ASSERT_TRUE(next > now_ || (!ends_.empty() && ends_.top().at == now_))
          << "pacer asks to be woken now but starts nothing, at " << Ms(now_).count() << " ms";
      now_ = next;
      while (!ends_.empty() && ends_.top().at <= now_) {
        End end = ends_.top();
        ends_.pop();
        active_[end.key]--;
        network_active_[end.network]--;
        EXPECT_TRUE(pacer_.Finish(end.key, now_));
        if (end.on_end) end.on_end(*this);
      }
    }
    FAIL() << "the fake loop did not settle";
  }

  Pacer& pacer() { return pacer_; }
  // MaxNetworkActive: the most sessions this loop saw running at once in |network|.
  int MaxNetworkActive(const std::string& network) { return max_network_active_[network]; }
  Clock::time_point now() const { return now_; }
  const std::vector<Start>& starts() const { return starts_; }
  std::vector<milliseconds> StartTimes() const {
    std::vector<milliseconds> out;
    for (const Start& s : starts_) out.push_back(Ms(s.at));
    return out;
  }
  std::vector<milliseconds> StartTimes(const std::string& key) const {
    std::vector<milliseconds> out;
    for (const Start& s : starts_) {
      if (s.key == key) out.push_back(Ms(s.at));
    }
    return out;
  }

 private:
  struct End {
    Clock::time_point at;
    uint64_t seq;  // ends at one time are taken in start order
    std::string key;
    std::string network;
    OnEnd on_end;
    bool operator>(const End& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  Pacer pacer_;
  Clock::time_point now_ = kT0;
  uint64_t seq_ = 0;
  std::priority_queue<End, std::vector<End>, std::greater<End>> ends_;
  std::map<std::string, int> active_;
  std::map<std::string, int> network_active_, max_network_active_;
  std::vector<Start> starts_;
};

// Options with only the rule under test binding.
PolitenessOptions Options(double rate, milliseconds gap = milliseconds(0), size_t cap = 100000) {
  PolitenessOptions o;
  o.connect_rate = rate;
  o.per_address_gap = gap;
  o.max_in_flight = cap;
  o.per_network = 0;
  return o;
}

std::string Key(int i) { return "192.0.2." + std::to_string(i) + ":25"; }

std::vector<milliseconds> Msv(std::initializer_list<int> v) {
  std::vector<milliseconds> out;
  for (int x : v) out.push_back(milliseconds(x));
  return out;
}

TEST(Pacer, BurstIsATenthOfASecondsWorthAndAtLeastOne) {
  EXPECT_EQ(Pacer(PolitenessOptions{}, kT0).burst(), 50) << "the default 500/s";
  EXPECT_EQ(Pacer(Options(50), kT0).burst(), 5);
  EXPECT_EQ(Pacer(Options(5), kT0).burst(), 1);
  EXPECT_EQ(Pacer(Options(1e9), kT0).burst(), 1e8) << "what the benchmarks use for no limit";
}

// 50/s: a burst of 5 at once, then one every 20 ms.
TEST(Pacer, BurstThenOneConnectionPerInterval) {
  FakeLoop loop(Options(50));
  for (int i = 0; i < 10; i++) loop.Add(Key(i), milliseconds(1));
  loop.Run();
  EXPECT_EQ(loop.StartTimes(), Msv({0, 0, 0, 0, 0, 20, 40, 60, 80, 100}));
}

// 5/s: a burst of one; the first start is immediate, then one every 200 ms.
TEST(Pacer, SlowRateHasABurstOfOne) {
  FakeLoop loop(Options(5));
  for (int i = 0; i < 4; i++) loop.Add(Key(i), milliseconds(1));
  loop.Run();
  EXPECT_EQ(loop.StartTimes(), Msv({0, 200, 400, 600}));
}

// After a quiet spell the bucket holds its burst again, and not more.
TEST(Pacer, QuietSpellRefillsOnlyUpToTheBurst) {
  FakeLoop loop(Options(50));
  for (int i = 0; i < 5; i++) loop.Add(Key(i), milliseconds(1));
  loop.Run();
  ASSERT_EQ(loop.starts().size(), 5u);
  Clock::time_point later = kT0 + seconds(10);
  for (int i = 5; i < 12; i++) loop.Add(Key(i), milliseconds(1), later);
  loop.Run();
  EXPECT_EQ(loop.StartTimes(),
            Msv({0, 0, 0, 0, 0, 10000, 10000, 10000, 10000, 10000, 10020, 10040}));
}

// The rate claim itself: over any window of starts, the count never exceeds rate * window +
// burst; and a long queue finishes no later than the rate allows.
TEST(Pacer, NoWindowExceedsRateTimesWindowPlusBurst) {
  constexpr double kRate = 100;
  constexpr int kSessions = 500;
  FakeLoop loop(Options(kRate, milliseconds(300)));
  // 37 addresses, sessions of varying length: lanes, gaps and the rate all interleave.
  for (int i = 0; i < kSessions; i++) loop.Add(Key(i % 37), milliseconds(5 + (i * 7) % 50));
  loop.Run();
  const std::vector<Start>& s = loop.starts();
  ASSERT_EQ(s.size(), static_cast<size_t>(kSessions));
  double burst = loop.pacer().burst();
  for (size_t i = 0; i < s.size(); i++) {
    for (size_t j = i; j < s.size(); j++) {
      double window = std::chrono::duration<double>(s[j].at - s[i].at).count();
      ASSERT_LE(static_cast<double>(j - i + 1), kRate * window + burst + 1e-9)
          << "starts " << i << ".." << j << " within " << window << " s";
    }
  }
  // 37 addresses, each session at most 54 ms plus a 300 ms gap: ~13.5 sessions per address
  // need ~4.8 s of lane time, less than the 4.9 s the rate needs; the rate binds at the end.
  EXPECT_LE(Ms(s.back().at), milliseconds(5500));
}

// A queue longer than the burst on distinct addresses, with nothing else binding, runs exactly
// at the rate: start n (after the burst) at (n - burst + 1) intervals.
TEST(Pacer, LongQueueRunsExactlyAtTheRate) {
  FakeLoop loop(Options(100));  // burst 10, interval 10 ms
  for (int i = 0; i < 300; i++) loop.Add(Key(i), milliseconds(1));
  loop.Run();
  std::vector<milliseconds> times = loop.StartTimes();
  ASSERT_EQ(times.size(), 300u);
  for (size_t n = 0; n < times.size(); n++) {
    milliseconds want = n < 10 ? milliseconds(0) : milliseconds(10 * (n - 9));
    ASSERT_EQ(times[n], want) << "start " << n;
  }
}

// The gap runs from the end of one session to the start of the next to the same address.
TEST(Pacer, GapAfterEachSessionToAnAddress) {
  FakeLoop loop(Options(1000, milliseconds(2000)));
  for (int i = 0; i < 3; i++) loop.Add("a", milliseconds(100));
  loop.Add("b", milliseconds(100));
  loop.Run();
  EXPECT_EQ(loop.StartTimes("a"), Msv({0, 2100, 4200}));
  EXPECT_EQ(loop.StartTimes("b"), Msv({0})) << "another address does not wait for a's gap";
}

// With no gap, the next session to an address still waits for the previous one to end.
TEST(Pacer, OneSessionAtATimePerAddress) {
  FakeLoop loop(Options(1000));
  for (int i = 0; i < 3; i++) loop.Add("a", milliseconds(500));
  for (int i = 0; i < 2; i++) loop.Add("b", milliseconds(300));
  loop.Run();
  EXPECT_EQ(loop.StartTimes("a"), Msv({0, 500, 1000}));
  EXPECT_EQ(loop.StartTimes("b"), Msv({0, 300}));
  EXPECT_EQ(loop.pacer().max_in_flight_seen(), 2u);
}

TEST(Pacer, InFlightCap) {
  FakeLoop loop(Options(1000, milliseconds(0), 3));
  for (int i = 0; i < 10; i++) loop.Add(Key(i), seconds(1));
  loop.Run();
  EXPECT_EQ(loop.StartTimes(), Msv({0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000}));
  EXPECT_EQ(loop.pacer().max_in_flight_seen(), 3u);
  EXPECT_EQ(loop.pacer().in_flight(), 0u);
  EXPECT_EQ(loop.pacer().waiting(), 0u);
}

TEST(Pacer, ZeroCapIsOne) {
  FakeLoop loop(Options(1000, milliseconds(0), 0));
  for (int i = 0; i < 3; i++) loop.Add(Key(i), milliseconds(50));
  loop.Run();
  EXPECT_EQ(loop.StartTimes(), Msv({0, 50, 100}));
}

TEST(Pacer, NotBeforeHolds) {
  FakeLoop loop(Options(1000));
  loop.Add("a", milliseconds(10), kT0 + milliseconds(750));
  loop.Add("b", milliseconds(10));
  loop.Run();
  EXPECT_EQ(loop.StartTimes("a"), Msv({750}));
  EXPECT_EQ(loop.StartTimes("b"), Msv({0}));
}

// The wake-up the pacer asks for is exact: not early (nothing would start) and not late.
TEST(Pacer, NextWakeIsTheExactTimeOfTheNextStart) {
  Pacer pacer(Options(50), kT0);
  int started = 0;
  for (int i = 0; i < 6; i++) pacer.Add(Key(i), Key(i), kT0, [&] { started++; }, kT0);
  Pacer::Go go;
  while (pacer.Next(kT0, &go)) go();
  EXPECT_EQ(started, 5);
  Clock::time_point wake = pacer.NextWake(kT0);
  EXPECT_EQ(wake, kT0 + milliseconds(20));
  EXPECT_FALSE(pacer.Next(wake - std::chrono::nanoseconds(1), &go));
  EXPECT_TRUE(pacer.Next(wake, &go));
  go();
  EXPECT_EQ(started, 6);
  EXPECT_EQ(pacer.NextWake(wake), Clock::time_point::max()) << "nothing waits";
}

TEST(Pacer, FinishWithoutASessionDoesNothing) {
  Pacer pacer(Options(1000), kT0);
  EXPECT_FALSE(pacer.Finish("a", kT0));
  pacer.Add("a", "a", kT0, [] {}, kT0);
  EXPECT_FALSE(pacer.Finish("a", kT0)) << "queued is not in flight";
  Pacer::Go go;
  ASSERT_TRUE(pacer.Next(kT0, &go));
  EXPECT_TRUE(pacer.Finish("a", kT0));
  EXPECT_FALSE(pacer.Finish("a", kT0));
  EXPECT_EQ(pacer.in_flight(), 0u);
}

TEST(Pacer, DropWaitingForgetsQueuedSessionsOnly) {
  Pacer pacer(Options(1000, milliseconds(0), 1), kT0);
  int ran = 0;
  for (int i = 0; i < 4; i++) pacer.Add(Key(i), Key(i), kT0, [&] { ran++; }, kT0);
  Pacer::Go go;
  ASSERT_TRUE(pacer.Next(kT0, &go));
  go();
  EXPECT_EQ(pacer.waiting(), 3u);
  pacer.DropWaiting();
  EXPECT_EQ(pacer.waiting(), 0u);
  EXPECT_EQ(pacer.in_flight(), 1u);
  EXPECT_TRUE(pacer.Finish(Key(0), kT0 + seconds(1)));
  EXPECT_FALSE(pacer.Next(kT0 + seconds(1), &go));
  EXPECT_EQ(pacer.NextWake(kT0 + seconds(1)), Clock::time_point::max());
  EXPECT_EQ(ran, 1);
}

TEST(Pacer, IdleLanesAreForgottenOnceTheirGapHasPassed) {
  FakeLoop loop(Options(1000, milliseconds(2000)));
  for (int i = 0; i < 50; i++) loop.Add(Key(i), milliseconds(10));
  loop.Run();
  EXPECT_EQ(loop.pacer().lane_count(), 50u) << "inside their gap, every lane is remembered";
  loop.Add("late", milliseconds(10), loop.now() + seconds(5));
  loop.Run();
  EXPECT_LE(loop.pacer().lane_count(), 1u);
}

// ---- per-network budget: the addresses of one /24 (or /48) share PolitenessOptions::per_network.

PolitenessOptions NetworkOptions(size_t per_network, size_t cap = 100000) {
  PolitenessOptions o = Options(1e6, milliseconds(0), cap);
  o.per_network = per_network;
  return o;
}

TEST(PacerNetwork, BudgetIsReachedAndNeverExceeded) {
  FakeLoop loop(NetworkOptions(3));
  for (int i = 0; i < 10; i++) loop.Add(Key(i), milliseconds(100), kT0, nullptr, "192.0.2.0/24");
  loop.Run();
  EXPECT_EQ(loop.StartTimes(), Msv({0, 0, 0, 100, 100, 100, 200, 200, 200, 300}));
  EXPECT_EQ(loop.MaxNetworkActive("192.0.2.0/24"), 3);
  EXPECT_EQ(loop.pacer().max_network_in_flight_seen(), 3u);
  EXPECT_EQ(loop.pacer().in_flight(), 0u);
  EXPECT_EQ(loop.pacer().waiting(), 0u);
}

// A provider's fleet queued first does not hold back the addresses of other networks: they start
// at once, beside the budget's worth of the first network.
TEST(PacerNetwork, OtherNetworksAreNotStarved) {
  FakeLoop loop(NetworkOptions(2));
  for (int i = 0; i < 50; i++) loop.Add(Key(i), seconds(1), kT0, nullptr, "fleet");
  for (int i = 0; i < 3; i++) {
    loop.Add("198.51.100." + std::to_string(i) + ":25", milliseconds(10), kT0, nullptr,
             "other-" + std::to_string(i));
  }
  loop.Run();
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(loop.StartTimes("198.51.100." + std::to_string(i) + ":25"), Msv({0}));
  }
  EXPECT_EQ(loop.MaxNetworkActive("fleet"), 2);
  EXPECT_EQ(loop.StartTimes(Key(49)), Msv({24000})) << "the fleet itself, two at a time";
}

// The global cap still binds across networks, and the network budget inside it.
TEST(PacerNetwork, GlobalCapAndNetworkBudgetTogether) {
  FakeLoop loop(NetworkOptions(2, 3));
  for (int i = 0; i < 4; i++) loop.Add(Key(i), milliseconds(100), kT0, nullptr, "a");
  for (int i = 0; i < 4; i++) loop.Add(Key(10 + i), milliseconds(100), kT0, nullptr, "b");
  loop.Run();
  EXPECT_EQ(loop.MaxNetworkActive("a"), 2);
  EXPECT_EQ(loop.MaxNetworkActive("b"), 2);
  EXPECT_EQ(loop.pacer().max_in_flight_seen(), 3u);
  EXPECT_EQ(loop.starts().size(), 8u);
}

// One session at a time per address holds inside a network budget (FakeLoop checks it at every
// start), and the gap too.
TEST(PacerNetwork, OneSessionPerAddressStillHolds) {
  PolitenessOptions o = NetworkOptions(4);
  o.per_address_gap = milliseconds(50);
  FakeLoop loop(o);
  for (int i = 0; i < 3; i++) loop.Add("192.0.2.1:25", milliseconds(100), kT0, nullptr, "net");
  for (int i = 0; i < 3; i++) loop.Add("192.0.2.2:25", milliseconds(100), kT0, nullptr, "net");
  loop.Run();
  EXPECT_EQ(loop.StartTimes("192.0.2.1:25"), Msv({0, 150, 300}));
  EXPECT_EQ(loop.StartTimes("192.0.2.2:25"), Msv({0, 150, 300}));
  EXPECT_EQ(loop.MaxNetworkActive("net"), 2) << "two addresses: never more than two at once";
}

TEST(PacerNetwork, ZeroMeansNoLimit) {
  FakeLoop loop(NetworkOptions(0));
  for (int i = 0; i < 20; i++) loop.Add(Key(i), milliseconds(100), kT0, nullptr, "net");
  loop.Run();
  EXPECT_EQ(loop.MaxNetworkActive("net"), 20);
}

// A parked lane waits for its network, not for a timer: the pacer asks to be woken only by a
// Finish, and the lane starts at that very time.
TEST(PacerNetwork, ParkedLaneStartsWhenItsNetworkFrees) {
  Pacer pacer(NetworkOptions(1), kT0);
  std::vector<std::string> ran;
  pacer.Add("a", "net", kT0, [&] { ran.push_back("a"); }, kT0);
  pacer.Add("b", "net", kT0, [&] { ran.push_back("b"); }, kT0);
  Pacer::Go go;
  while (pacer.Next(kT0, &go)) go();
  EXPECT_EQ(ran, std::vector<std::string>({"a"}));
  EXPECT_EQ(pacer.NextWake(kT0), Clock::time_point::max()) << "only a Finish can start b";
  ASSERT_TRUE(pacer.Finish("a", kT0 + milliseconds(70)));
  EXPECT_EQ(pacer.NextWake(kT0 + milliseconds(70)), kT0 + milliseconds(70));
  ASSERT_TRUE(pacer.Next(kT0 + milliseconds(70), &go));
  go();
  EXPECT_EQ(ran, std::vector<std::string>({"a", "b"}));
  EXPECT_TRUE(pacer.Finish("b", kT0 + milliseconds(80)));
}

TEST(PacerNetwork, DropWaitingForgetsParkedLanes) {
  Pacer pacer(NetworkOptions(1), kT0);
  int ran = 0;
  for (int i = 0; i < 3; i++) pacer.Add(Key(i), "net", kT0, [&] { ran++; }, kT0);
  Pacer::Go go;
  while (pacer.Next(kT0, &go)) go();
  EXPECT_EQ(ran, 1);
  pacer.DropWaiting();
  EXPECT_EQ(pacer.waiting(), 0u);
  EXPECT_TRUE(pacer.Finish(Key(0), kT0 + seconds(1)));
  EXPECT_FALSE(pacer.Next(kT0 + seconds(1), &go));
  EXPECT_EQ(pacer.NextWake(kT0 + seconds(1)), Clock::time_point::max());
  EXPECT_EQ(ran, 1);
}

// Networks are forgotten with their last lane: a sweep meets tens of thousands of them.
TEST(PacerNetwork, NetworksAreForgottenWithTheirLanes) {
  PolitenessOptions o = NetworkOptions(2);
  o.per_address_gap = milliseconds(100);
  FakeLoop loop(o);
  for (int i = 0; i < 30; i++) loop.Add(Key(i), milliseconds(10), kT0, nullptr, "net" + std::to_string(i % 5));
  loop.Run();
  EXPECT_EQ(loop.pacer().network_count(), 5u) << "inside the gap, the lanes and their networks stay";
  loop.Add("late", milliseconds(10), loop.now() + seconds(5), nullptr, "late-net");
  loop.Run();
  EXPECT_LE(loop.pacer().network_count(), 1u);
}

TEST(TempFailRetryDelay, DoublesAndStopsAtTheRetryLimit) {
  ProberOptions options;  // defaults: 2 retries, 30 s
  milliseconds delay{0};
  ASSERT_TRUE(TempFailRetryDelay(options, 0, &delay));
  EXPECT_EQ(delay, seconds(30));
  ASSERT_TRUE(TempFailRetryDelay(options, 1, &delay));
  EXPECT_EQ(delay, seconds(60));
  EXPECT_FALSE(TempFailRetryDelay(options, 2, &delay));

  options.max_tempfail_retries = 4;
  options.tempfail_backoff = milliseconds(100);
  std::vector<milliseconds> delays;
  for (int retries = 0; TempFailRetryDelay(options, retries, &delay); retries++) delays.push_back(delay);
  EXPECT_EQ(delays, Msv({100, 200, 400, 800}));

  options.max_tempfail_retries = 0;
  EXPECT_FALSE(TempFailRetryDelay(options, 0, &delay)) << "no retries: the first 421 stands";
}

// A server that answers 421 every time, through the pacer: each retry waits the back-off (which
// is longer than the gap) from the end of the failed session, and the retries stop at the limit.
TEST(TempFailRetryDelay, RetriesThroughThePacerKeepTheirTimes) {
  ProberOptions prober;
  prober.max_tempfail_retries = 3;
  prober.tempfail_backoff = milliseconds(1000);
  FakeLoop loop(Options(500, milliseconds(2000)));
  int retries = 0;
  std::function<void(FakeLoop&)> on_421 = [&](FakeLoop& l) {
    milliseconds delay{0};
    if (!TempFailRetryDelay(prober, retries, &delay)) return;
    retries++;
    l.Add("busy", milliseconds(50), l.now() + delay, on_421);
  };
  loop.Add("busy", milliseconds(50), kT0, on_421);
  loop.Run();
  // Ends at 50; retry 1 at max(50 + 1000, 50 + 2000 gap) = 2050; ends 2100, retry 2 at
  // 2100 + 2000 = 4100; ends 4150, retry 3 at 4150 + 4000 = 8150.
  EXPECT_EQ(loop.StartTimes("busy"), Msv({0, 2050, 4100, 8150}));
  EXPECT_EQ(retries, 3);
}

}  // namespace
}  // namespace mxsweep
