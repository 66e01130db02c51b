// scheduler.h: who may open a connection, and when — the politeness rules of DESIGN.md §3.
//
// One session at a time per address, a minimum gap between sessions to the same address, a
// global cap on sessions in flight and a global new-connection rate (a token bucket refilled by a
// timer: the loop never sleeps). Callers ask for a slot with Request and give it back with
// Release. The scheduler knows nothing about SMTP or TLS.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "scanner/engine/engine_options.h"

namespace mxsweep {

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using Go = std::function<void()>;

  // |options.connect_rate| must be above 0 (there is no "unlimited"): the constructor aborts
  // otherwise. A max_in_flight of 0 is taken as 1.
  Scheduler(uv_loop_t* loop, PolitenessOptions options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Request asks for one session to |key| (an "ip:port"), not before |not_before|. |go| runs on
  // the loop when the session may start (never synchronously from Request); the caller must
  // call Release(key) when that session ends.
  void Request(const std::string& key, Clock::time_point not_before, Go go);
  void Release(const std::string& key);

  // Drain drops every request still waiting (their |go| never runs), refuses new ones, and runs
  // |idle| from the loop once no session is in flight. It is how an interrupted sweep stops
  // starting work while the sessions already running finish.
  void Drain(std::function<void()> idle);
  bool draining() const { return draining_; }

  // Close closes the scheduler's timer; pending requests are dropped. |closed| runs after.
  void Close(std::function<void()> closed);

  size_t in_flight() const { return in_flight_; }
  size_t max_in_flight_seen() const { return max_in_flight_seen_; }
  size_t waiting() const { return waiting_; }
  // lane_count: addresses the scheduler remembers (busy, queued, or inside their gap).
  size_t lane_count() const { return lanes_.size(); }

 private:
  struct Pending {
    Clock::time_point not_before;
    Go go;
  };
  struct Lane {
    bool busy = false;
    bool scheduled = false;  // in ready_ or delayed_
    Clock::time_point next_allowed{};
    std::deque<Pending> queue;
  };
  struct Delayed {
    Clock::time_point when;
    Lane* lane;
    bool operator>(const Delayed& o) const { return when > o.when; }
  };
  struct Idle {
    Clock::time_point until;  // the lane's gap ends then
    std::string key;
  };

  Clock::time_point EligibleAt(const Lane& lane) const;
  void Schedule(Lane* lane, Clock::time_point now);
  void Pump();
  void RefillTokens(Clock::time_point now);
  void ArmTimer(Clock::time_point now);
  void ForgetIdleLanes(Clock::time_point now);

  uv_loop_t* loop_;
  PolitenessOptions options_;
  uv_timer_t timer_{};
  bool closed_ = false;
  bool draining_ = false;
  std::function<void()> on_idle_;
  std::unordered_map<std::string, Lane> lanes_;
  std::deque<Lane*> ready_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<Delayed>> delayed_;
  // Lanes released with nothing queued, in release order (= gap-end order: the gap is one
  // value). A sweep meets each address for a few sessions and then never again; without this,
  // every address ever met would keep its lane.
  std::deque<Idle> idle_;
  size_t in_flight_ = 0;
  size_t max_in_flight_seen_ = 0;
  size_t waiting_ = 0;
  double tokens_;
  double token_capacity_;
  Clock::time_point last_refill_;
  std::function<void()> on_closed_;
};

}  // namespace mxsweep
