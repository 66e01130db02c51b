// pacer.h: the politeness arithmetic of DESIGN.md §3 — when may the next session start — with
// no loop and no clock of its own.
//
// The pacer holds the waiting sessions by address key and decides which may start at a time the
// caller passes in: one session at a time per address, a gap after each session to an address,
// a cap on sessions in flight per network (the addresses of one provider's fleet), a global cap
// on sessions in flight, and a global new-connection rate (a token bucket). The
// Scheduler owns the libuv timer and asks the pacer; the unit tests ask it with a fake clock.
// Beside it, TempFailRetryDelay: how long a probe that heard 421 waits before its retry.
#pragma once

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

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;
  using Go = std::function<void()>;

  // The bucket starts full at |now|. A zero max_in_flight is taken as 1; a connect_rate that is
  // not a finite number above 0 aborts (the command line refuses it first).
  Pacer(PolitenessOptions options, Clock::time_point now);
  Pacer(const Pacer&) = delete;
  Pacer& operator=(const Pacer&) = delete;

  // Add queues one session to |key| (an "ip:port") that may not start before |not_before|.
  // Sessions to one key start in the order they were added. |network| names the key's network
  // (NetworkKey: its /24 or /48); a key keeps the network it was first added with while the
  // pacer remembers it.
  void Add(const std::string& key, const std::string& network, Clock::time_point not_before, Go go,
           Clock::time_point now);

  // Next: when a session may start at |now|, moves its |go| to |*out_go|, counts the session in
  // flight (its key busy, one token spent) and returns true; the caller runs |go| and later
  // calls Finish(key). Returns false when none may start at |now|.
  bool Next(Clock::time_point now, Go* out_go);

  // Finish: the session to |key| ended at |now|; the key's gap starts. Returns false (and does
  // nothing) when |key| has no session in flight.
  bool Finish(const std::string& key, Clock::time_point now);

  // NextWake is the earliest time, not before |now|, at which Next may return a session without
  // another Add or Finish; Clock::time_point::max() when only an Add or a Finish can change that.
  Clock::time_point NextWake(Clock::time_point now) const;

  // DropWaiting forgets every session still waiting (their |go|s are destroyed, never run).
  // Sessions in flight stay counted until their Finish.
  void DropWaiting();

  size_t in_flight() const { return in_flight_; }
  size_t max_in_flight_seen() const { return max_in_flight_seen_; }
  // max_network_in_flight_seen: the most sessions ever in flight at once to one network.
  size_t max_network_in_flight_seen() const { return max_network_in_flight_seen_; }
  // network_count: networks the pacer remembers (those of the lanes it remembers).
  size_t network_count() const { return networks_.size(); }
  size_t waiting() const { return waiting_; }
  // lane_count: addresses the pacer remembers (busy, queued, or inside their gap).
  size_t lane_count() const { return lanes_.size(); }
  // burst: the token bucket's size, the starts allowed at once after a quiet spell.
  double burst() const { return burst_; }

 private:
  struct Pending {
    Clock::time_point not_before;
    Go go;
  };
  struct Lane;
  // Network: the lanes of one /24 or /48, which share options_.per_network sessions in flight.
  struct Network {
    size_t in_flight = 0;
    size_t lanes = 0;           // lanes that point here; the network is forgotten with the last
    std::deque<Lane*> parked;   // ready lanes held back while the network is at its budget
  };
  struct Lane {
    bool busy = false;
    bool scheduled = false;  // in ready_, delayed_ or its network's parked list
    Clock::time_point next_allowed{};
    std::deque<Pending> queue;
    Network* network = nullptr;
    std::string network_key;
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

  static Clock::time_point EligibleAt(const Lane& lane);
  void Schedule(Lane* lane, Clock::time_point now);
  void PromoteDelayed(Clock::time_point now);
  void ForgetIdleLanes(Clock::time_point now);
  void EraseLane(std::unordered_map<std::string, Lane>::iterator it);
  bool NetworkFull(const Lane& lane) const {
    return options_.per_network != 0 && lane.network->in_flight >= options_.per_network;
  }
  // TokenAt: from when the bucket holds a whole token.
  Clock::time_point TokenAt() const { return bucket_full_at_ - tolerance_; }

  PolitenessOptions options_;
  std::unordered_map<std::string, Lane> lanes_;
  // Node-based: a lane's Network* stays valid while the network is in the map.
  std::unordered_map<std::string, Network> networks_;
  std::deque<Lane*> ready_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<Delayed>> delayed_;
  // Lanes finished with nothing queued, in finish order (= gap-end order: the gap is one value).
  // A sweep meets each address for a few sessions and then never again; without this, every
  // address ever met would keep its lane.
  std::deque<Idle> idle_;
  size_t in_flight_ = 0;
  size_t max_in_flight_seen_ = 0;
  size_t max_network_in_flight_seen_ = 0;
  size_t waiting_ = 0;
  // The token bucket, kept as the time it will be full again: at time t it holds
  // burst_ - (bucket_full_at_ - t) / interval_ tokens (burst_ once t has passed it). A start
  // needs one token, so it may happen from bucket_full_at_ - tolerance_ on, and moves
  // bucket_full_at_ one interval_ later. Whole clock ticks rather than fractional tokens keep the
  // times it computes exact.
  double burst_;
  Clock::duration interval_;   // one token's worth of time: 1 / connect_rate
  Clock::duration tolerance_;  // (burst_ - 1) tokens' worth of time
  Clock::time_point bucket_full_at_;
};

// TempFailRetryDelay: a probe that heard 421 (or another 4xx) is retried later, a bounded number
// of times, each wait twice the one before. Given the retries of that probe already made, sets
// |*out_delay| to options.tempfail_backoff * 2^retries_done and returns true; returns false once
// options.max_tempfail_retries retries have been made (the 4xx stands).
bool TempFailRetryDelay(const ProberOptions& options, int retries_done,
                        std::chrono::milliseconds* out_delay);

}  // namespace mxsweep
