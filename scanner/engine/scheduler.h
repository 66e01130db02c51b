// scheduler.h: who may open a connection, and when — the politeness rules of DESIGN.md §3.
//
// One session at a time per address, a minimum gap between sessions to the same address, a cap
// on sessions in flight per network, a global cap on sessions in flight and a global new-connection rate (a token bucket refilled by a
// timer: the loop never sleeps). The arithmetic is the Pacer's (pacer.h, no I/O); the scheduler
// asks it at the loop's time and keeps one timer armed for its next wake-up. Callers ask for a
// slot with Request and give it back with Release. The scheduler knows nothing about SMTP or TLS.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "scanner/engine/engine_options.h"
#include "scanner/engine/pacer.h"

namespace mxsweep {

class Scheduler {
 public:
  using Clock = Pacer::Clock;
  using Go = Pacer::Go;

  // |options.connect_rate| must be above 0 (there is no "unlimited"): the constructor aborts
  // otherwise. A max_in_flight of 0 is taken as 1.
  Scheduler(uv_loop_t* loop, PolitenessOptions options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Request asks for one session to |key| (an "ip:port") in |network| (NetworkKey), not before
  // |not_before|. |go| runs on the loop when the session may start (never synchronously from
  // Request); the caller must call Release(key) when that session ends.
  void Request(const std::string& key, const std::string& network, Clock::time_point not_before, Go go);
  void Release(const std::string& key);

  // Drain drops every request still waiting (their |go| never runs), refuses new ones, and runs
  // |idle| from the loop once no session is in flight. It is how an interrupted sweep stops
  // starting work while the sessions already running finish.
  void Drain(std::function<void()> idle);
  bool draining() const { return draining_; }

  // Close closes the scheduler's timer; pending requests are dropped. |closed| runs after.
  void Close(std::function<void()> closed);

  size_t in_flight() const { return pacer_.in_flight(); }
  size_t max_in_flight_seen() const { return pacer_.max_in_flight_seen(); }
  size_t max_network_in_flight_seen() const { return pacer_.max_network_in_flight_seen(); }
  size_t waiting() const { return pacer_.waiting(); }
  // lane_count: addresses the scheduler remembers (busy, queued, or inside their gap).
  size_t lane_count() const { return pacer_.lane_count(); }

 private:
  void Pump();
  void ArmTimer(Clock::time_point now);

  uv_loop_t* loop_;
  Pacer pacer_;
  uv_timer_t timer_{};
  bool closed_ = false;
  bool draining_ = false;
  std::function<void()> on_idle_;
  std::function<void()> on_closed_;
};

}  // namespace mxsweep
