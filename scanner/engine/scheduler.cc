#include "scanner/engine/scheduler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mxsweep {

Scheduler::Scheduler(uv_loop_t* loop, PolitenessOptions options)
    : loop_(loop), pacer_(options, Clock::now()) {
  uv_timer_init(loop_, &timer_);
  timer_.data = this;
}

Scheduler::~Scheduler() = default;

void Scheduler::Request(const std::string& key, const std::string& network, Clock::time_point not_before,
                        Go go) {
  if (closed_ || draining_) return;
  pacer_.Add(key, network, not_before, std::move(go), Clock::now());
  // Start from the timer, not from here: callers must never be re-entered.
  ArmTimer(Clock::now());
}

void Scheduler::Release(const std::string& key) {
  Clock::time_point now = Clock::now();
  if (!pacer_.Finish(key, now)) return;
  ArmTimer(now);
}

void Scheduler::Pump() {
  if (closed_) return;
  if (draining_) {
    if (pacer_.in_flight() == 0 && on_idle_) {
      auto idle = std::move(on_idle_);
      on_idle_ = nullptr;
      idle();
    }
    return;
  }
  Clock::time_point now = Clock::now();
  Go go;
  while (pacer_.Next(now, &go)) {
    go();
    go = nullptr;
    if (closed_) return;
  }
  ArmTimer(Clock::now());
}

void Scheduler::ArmTimer(Clock::time_point now) {
  if (closed_) return;
  if (draining_) {
    // Only one thing left to do: report idleness, from the loop.
    if (pacer_.in_flight() == 0 && on_idle_) uv_timer_start(&timer_, [](uv_timer_t* t) {
      static_cast<Scheduler*>(t->data)->Pump();
    }, 0, 0);
    return;
  }
  Clock::time_point next = pacer_.NextWake(now);
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
  // Dropping the waiting |go|s destroys what they own.
  pacer_.DropWaiting();
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
