// The scheduler on a real loop (a timer, no sockets): an address's lane is forgotten once its
// gap has passed, and the gap still holds for an address that comes back inside it.
#include "scanner/engine/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace mxsweep {
namespace {

using Clock = Scheduler::Clock;
using std::chrono::milliseconds;

// After runs |fn| on the loop |delay| from now.
void After(uv_loop_t* loop, milliseconds delay, std::function<void()> fn) {
  struct Timer {
    uv_timer_t handle;
    std::function<void()> fn;
  };
  auto* t = new Timer{{}, std::move(fn)};
  uv_timer_init(loop, &t->handle);
  t->handle.data = t;
  uv_timer_start(&t->handle, [](uv_timer_t* h) {
    auto* timer = static_cast<Timer*>(h->data);
    timer->fn();
    uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* c) { delete static_cast<Timer*>(c->data); });
  }, static_cast<uint64_t>(delay.count()), 0);
}

TEST(Scheduler, IdleLanesAreForgottenAfterTheirGap) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  PolitenessOptions options;
  options.per_address_gap = milliseconds(40);
  options.connect_rate = 1e6;  // no pacing: this test is about the gap
  Scheduler scheduler(&loop, options);
  std::vector<std::pair<std::string, Clock::time_point>> starts;
  auto session = [&](const std::string& key) {
    return [&, key] {
      starts.emplace_back(key, Clock::now());
      scheduler.Release(key);
    };
  };
  size_t lanes_after_first_round = 0, lanes_after_gap = 0;
  for (int i = 0; i < 100; i++) {
    std::string key = "192.0.2." + std::to_string(i) + ":25";
    scheduler.Request(key, "192.0.2.0/24", Clock::now(), session(key));
  }
  // Inside the gap: every lane is remembered, and a second session to one address waits.
  After(&loop, milliseconds(10), [&] {
    lanes_after_first_round = scheduler.lane_count();
    scheduler.Request("192.0.2.0:25", "192.0.2.0/24", Clock::now(), session("192.0.2.0:25"));
  });
  // Well past the gap: a request for a new address lets the scheduler forget the idle ones.
  After(&loop, milliseconds(150), [&] {
    scheduler.Request("198.51.100.1:25", "198.51.100.0/24", Clock::now(), session("198.51.100.1:25"));
  });
  After(&loop, milliseconds(200), [&] {
    lanes_after_gap = scheduler.lane_count();
    scheduler.Close(nullptr);
  });
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);

  EXPECT_EQ(lanes_after_first_round, 100u);
  EXPECT_LE(lanes_after_gap, 2u) << "only the lanes still inside their gap";
  ASSERT_EQ(starts.size(), 102u);
  Clock::time_point first = {}, second = {};
  for (const auto& [key, at] : starts) {
    if (key != "192.0.2.0:25") continue;
    (first == Clock::time_point{} ? first : second) = at;
  }
  EXPECT_GE(second - first, milliseconds(39)) << "the gap holds for a returning address";
}

}  // namespace
}  // namespace mxsweep
