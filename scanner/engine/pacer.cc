#include "scanner/engine/pacer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mxsweep {

Pacer::Pacer(PolitenessOptions options, Clock::time_point now) : options_(options), bucket_full_at_(now) {
  if (options_.max_in_flight == 0) options_.max_in_flight = 1;
  if (!(options_.connect_rate > 0) || !std::isfinite(options_.connect_rate)) {
    // Not "unlimited": a rate of 0, below 0, NaN or infinite is a caller's mistake, refused
    // first by --rate's check (CommonOptions::Validate). Going on would pace at a rate nobody
    // asked for.
    std::fprintf(stderr, "mxsweep: connect_rate must be finite and above 0 (got %g)\n",
                 options_.connect_rate);
    std::abort();
  }
  // A tenth of a second's worth of burst: smooth, but not one connection per timer tick.
  burst_ = std::max(1.0, options_.connect_rate / 10);
  using Seconds = std::chrono::duration<double>;
  interval_ = std::max(Clock::duration(1),
                       std::chrono::round<Clock::duration>(Seconds(1 / options_.connect_rate)));
  tolerance_ = std::chrono::round<Clock::duration>(Seconds((burst_ - 1) / options_.connect_rate));
}

Pacer::Clock::time_point Pacer::EligibleAt(const Lane& lane) {
  return std::max(lane.next_allowed, lane.queue.front().not_before);
}

void Pacer::Schedule(Lane* lane, Clock::time_point now) {
  if (lane->busy || lane->scheduled || lane->queue.empty()) return;
  lane->scheduled = true;
  Clock::time_point at = EligibleAt(*lane);
  if (at <= now) {
    ready_.push_back(lane);
  } else {
    delayed_.push({at, lane});
  }
}

void Pacer::Add(const std::string& key, const std::string& network, Clock::time_point not_before, Go go,
                Clock::time_point now) {
  Lane& lane = lanes_[key];
  if (lane.network == nullptr) {
    lane.network_key = network;
    lane.network = &networks_[network];
    lane.network->lanes++;
  }
  lane.queue.push_back({not_before, std::move(go)});
  waiting_++;
  Schedule(&lane, now);
}

bool Pacer::Finish(const std::string& key, Clock::time_point now) {
  auto it = lanes_.find(key);
  if (it == lanes_.end() || !it->second.busy) return false;
  Lane& lane = it->second;
  lane.busy = false;
  in_flight_--;
  Network* network = lane.network;
  network->in_flight--;
  if (!network->parked.empty() && !NetworkFull(lane)) {
    // The longest-waiting lane of this network goes first, ahead of the other networks: it
    // was ready before them.
    ready_.push_front(network->parked.front());
    network->parked.pop_front();
  }
  lane.next_allowed = now + options_.per_address_gap;
  Schedule(&lane, now);
  if (lane.queue.empty()) {
    // Idle lanes keep only their gap; forget them once it cannot matter.
    if (options_.per_address_gap.count() == 0) {
      EraseLane(it);
    } else {
      idle_.push_back({lane.next_allowed, key});
    }
  }
  ForgetIdleLanes(now);
  return true;
}

void Pacer::ForgetIdleLanes(Clock::time_point now) {
  while (!idle_.empty() && idle_.front().until <= now) {
    auto it = lanes_.find(idle_.front().key);
    // Still idle and past its gap: nothing refers to it (only scheduled lanes sit in ready_ or
    // delayed_). A lane that got work since is skipped; its next finish queues it again.
    if (it != lanes_.end() && !it->second.busy && !it->second.scheduled && it->second.queue.empty() &&
        it->second.next_allowed <= now) {
      EraseLane(it);
    }
    idle_.pop_front();
  }
}

void Pacer::EraseLane(std::unordered_map<std::string, Lane>::iterator it) {
  Network* network = it->second.network;
  if (network != nullptr && --network->lanes == 0) networks_.erase(it->second.network_key);
  lanes_.erase(it);
}

void Pacer::PromoteDelayed(Clock::time_point now) {
  while (!delayed_.empty() && delayed_.top().when <= now) {
    Lane* lane = delayed_.top().lane;
    delayed_.pop();
    lane->scheduled = false;
    Schedule(lane, now);
  }
}

bool Pacer::Next(Clock::time_point now, Go* out_go) {
  ForgetIdleLanes(now);
  PromoteDelayed(now);
  while (!ready_.empty() && in_flight_ < options_.max_in_flight && TokenAt() <= now) {
    Lane* lane = ready_.front();
    ready_.pop_front();
    lane->scheduled = false;
    if (lane->busy || lane->queue.empty()) continue;
    if (EligibleAt(*lane) > now) {
      Schedule(lane, now);
      continue;
    }
    if (NetworkFull(*lane)) {
      // Parked until a session to its network ends; the other networks go on meanwhile.
      lane->scheduled = true;
      lane->network->parked.push_back(lane);
      continue;
    }
    *out_go = std::move(lane->queue.front().go);
    lane->queue.pop_front();
    waiting_--;
    lane->busy = true;
    in_flight_++;
    max_in_flight_seen_ = std::max(max_in_flight_seen_, in_flight_);
    lane->network->in_flight++;
    max_network_in_flight_seen_ = std::max(max_network_in_flight_seen_, lane->network->in_flight);
    bucket_full_at_ = std::max(bucket_full_at_, now) + interval_;
    return true;
  }
  return false;
}

Pacer::Clock::time_point Pacer::NextWake(Clock::time_point now) const {
  Clock::time_point next = Clock::time_point::max();
  if (!ready_.empty() && in_flight_ < options_.max_in_flight) next = std::max(now, TokenAt());
  if (!delayed_.empty()) next = std::min(next, std::max(now, delayed_.top().when));
  return next;
}

void Pacer::DropWaiting() {
  for (auto& entry : lanes_) {
    Lane& lane = entry.second;
    waiting_ -= lane.queue.size();
    lane.queue.clear();
    lane.scheduled = false;
  }
  for (auto& entry : networks_) entry.second.parked.clear();
  ready_.clear();
  delayed_ = decltype(delayed_)();
}

bool TempFailRetryDelay(const ProberOptions& options, int retries_done,
                        std::chrono::milliseconds* out_delay) {
  if (retries_done < 0 || retries_done >= options.max_tempfail_retries) return false;
  // The command line allows at most 10 retries; the clamp only keeps the shift defined.
  *out_delay = options.tempfail_backoff * (int64_t{1} << std::min(retries_done, 30));
  return true;
}

}  // namespace mxsweep
