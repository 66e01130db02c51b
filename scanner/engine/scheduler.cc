#include "scanner/engine/scheduler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mxsweep {

Scheduler::Scheduler(uv_loop_t* loop, PolitenessOptions options)
    : loop_(loop), options_(options), last_refill_(Clock::now()) {
  if (options_.max_in_flight == 0) options_.max_in_flight = 1;
  if (!(options_.connect_rate > 0) || !std::isfinite(options_.connect_rate)) {
    // Not "unlimited": a rate of 0, below 0, NaN or infinite is a caller's mistake, refused
    // first by --rate's check (CommonOptions::Validate). Going on would pace at a rate nobody
    // asked for.
    std::fprintf(stderr, "mxsweep: Scheduler: connect_rate must be finite and above 0 (got %g)\n",
                 options_.connect_rate);
    std::abort();
  }
  // A tenth of a second's worth of burst: smooth, but not one connection per timer tick.
  token_capacity_ = std::max(1.0, options_.connect_rate / 10);
  tokens_ = token_capacity_;
  uv_timer_init(loop_, &timer_);
  timer_.data = this;
}

Scheduler::~Scheduler() = default;

Scheduler::Clock::time_point Scheduler::EligibleAt(const Lane& lane) const {
  return std::max(lane.next_allowed, lane.queue.front().not_before);
}

void Scheduler::Schedule(Lane* lane, Clock::time_point now) {
  if (lane->busy || lane->scheduled || lane->queue.empty()) return;
  lane->scheduled = true;
  Clock::time_point at = EligibleAt(*lane);
  if (at <= now) {
    ready_.push_back(lane);
  } else {
    delayed_.push({at, lane});
  }
}

void Scheduler::Request(const std::string& key, Clock::time_point not_before, Go go) {
  if (closed_ || draining_) return;
  Lane& lane = lanes_[key];
  lane.queue.push_back({not_before, std::move(go)});
  waiting_++;
  Schedule(&lane, Clock::now());
  // Start from the timer, not from here: callers must never be re-entered.
  ArmTimer(Clock::now());
}

void Scheduler::Release(const std::string& key) {
  auto it = lanes_.find(key);
  if (it == lanes_.end() || !it->second.busy) return;
  Lane& lane = it->second;
  lane.busy = false;
  in_flight_--;
  Clock::time_point now = Clock::now();
  lane.next_allowed = now + options_.per_address_gap;
  Schedule(&lane, now);
  if (lane.queue.empty() && !lane.busy) {
    // Idle lanes keep only their gap; forget them once it cannot matter.
    if (options_.per_address_gap.count() == 0) {
      lanes_.erase(it);
    } else {
      idle_.push_back({lane.next_allowed, key});
    }
  }
  ForgetIdleLanes(now);
  ArmTimer(now);
}

void Scheduler::ForgetIdleLanes(Clock::time_point now) {
  while (!idle_.empty() && idle_.front().until <= now) {
    auto it = lanes_.find(idle_.front().key);
    // Still idle and past its gap: nothing refers to it (only scheduled lanes sit in ready_ or
    // delayed_). A lane that got work since is skipped; its next release queues it again.
    if (it != lanes_.end() && !it->second.busy && !it->second.scheduled && it->second.queue.empty() &&
        it->second.next_allowed <= now) {
      lanes_.erase(it);
    }
    idle_.pop_front();
  }
}

void Scheduler::RefillTokens(Clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - last_refill_).count();
  last_refill_ = now;
  tokens_ = std::min(token_capacity_, tokens_ + elapsed * options_.connect_rate);
}

void Scheduler::Pump() {
  if (closed_) return;
  if (draining_) {
    if (in_flight_ == 0 && on_idle_) {
      auto idle = std::move(on_idle_);
      on_idle_ = nullptr;
      idle();
    }
    return;
  }
  Clock::time_point now = Clock::now();
  RefillTokens(now);
  ForgetIdleLanes(now);
  while (!delayed_.empty() && delayed_.top().when <= now) {
    Lane* lane = delayed_.top().lane;
    delayed_.pop();
    lane->scheduled = false;
    Schedule(lane, now);
  }
  while (!ready_.empty() && in_flight_ < options_.max_in_flight && tokens_ >= 1) {
    Lane* lane = ready_.front();
    ready_.pop_front();
    lane->scheduled = false;
    if (lane->busy || lane->queue.empty()) continue;
    if (EligibleAt(*lane) > now) {
      Schedule(lane, now);
      continue;
    }
    Pending item = std::move(lane->queue.front());
    lane->queue.pop_front();
    waiting_--;
    lane->busy = true;
    in_flight_++;
    max_in_flight_seen_ = std::max(max_in_flight_seen_, in_flight_);
    tokens_ -= 1;
    item.go();
    if (closed_) return;
  }
  ArmTimer(Clock::now());
}

void Scheduler::ArmTimer(Clock::time_point now) {
  if (closed_) return;
  if (draining_) {
    // Only one thing left to do: report idleness, from the loop.
    if (in_flight_ == 0 && on_idle_) uv_timer_start(&timer_, [](uv_timer_t* t) {
      static_cast<Scheduler*>(t->data)->Pump();
    }, 0, 0);
    return;
  }
  Clock::time_point next = Clock::time_point::max();
  if (!ready_.empty() && in_flight_ < options_.max_in_flight) {
    if (tokens_ >= 1) {
      next = now;
    } else {
      auto wait = std::chrono::duration<double>((1 - tokens_) / options_.connect_rate);
      next = now + std::chrono::duration_cast<Clock::duration>(wait);
    }
  }
  if (!delayed_.empty()) next = std::min(next, delayed_.top().when);
  if (next == Clock::time_point::max()) {
    uv_timer_stop(&timer_);
    return;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
  // Round up so a wake-up is never early (which would spin on a zero-length wait).
  if (next > now + std::chrono::milliseconds(ms)) ms++;
  uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<Scheduler*>(t->data)->Pump(); },
                 static_cast<uint64_t>(std::max<int64_t>(0, ms)), 0);
}

void Scheduler::Drain(std::function<void()> idle) {
  if (closed_ || draining_) return;
  draining_ = true;
  on_idle_ = std::move(idle);
  // Dropping the lanes' queues destroys the waiting |go|s and what they own.
  for (auto& [key, lane] : lanes_) {
    waiting_ -= lane.queue.size();
    lane.queue.clear();
    lane.scheduled = false;
  }
  ready_.clear();
  delayed_ = decltype(delayed_)();
  ArmTimer(Clock::now());
}

void Scheduler::Close(std::function<void()> closed) {
  closed_ = true;
  on_closed_ = std::move(closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), [](uv_handle_t* h) {
    auto* self = static_cast<Scheduler*>(h->data);
    if (self->on_closed_) self->on_closed_();
  });
}

}  // namespace mxsweep
