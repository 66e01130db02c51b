// sweep.h: the engine of `mxsweep scan` — every domain progresses at once on one loop.
//
// Domains are read from a source as room frees up (so a million-line list is never held whole),
// resolved with the resolver, and each unique address:port is probed once per sweep however many
// domains point at it; a domain finishes when all its addresses have, and its verdict is handed
// to the sink at once, so outputs stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "input/domain_input.h"
#include "resolver/resolver.h"
#include "scanner/engine/address_prober.h"
#include "scanner/engine/engine_options.h"
#include "scanner/engine/exclude_list.h"
#include "scanner/engine/sweep_stats.h"
#include "scanner/verdict/domain_result.h"

namespace mxsweep {

enum class SourcePull : uint8_t {
  kEntry,  // *out holds the next domain
  kLater,  // none ready yet: the source calls Sweep::InputReady() when one is
  kEnd,    // the input is over
};

// DomainSource yields the domains to sweep.
class DomainSource {
 public:
  virtual ~DomainSource() = default;
  // Next returns the next domain, or false at the end of the input. It may block.
  virtual bool Next(DomainEntry* out) = 0;
  // Pull is what the sweep calls, on the loop. A source whose reads can block for long (a pipe
  // from a slow producer) answers kLater instead: a blocked loop would let every session's timer
  // expire while the bytes it waits for sit unread. The default is Next, for lists in memory and
  // regular files.
  virtual SourcePull Pull(DomainEntry* out) { return Next(out) ? SourcePull::kEntry : SourcePull::kEnd; }
};

class Sweep {
 public:
  using DomainDone = std::function<void(const DomainResult&)>;
  // AddressDone is told about each address once its facts are final, with the domains that had
  // asked for it by then (a domain that meets it later does not trigger another call).
  using AddressDone = std::function<void(const AddressFacts&, const std::vector<std::string>&)>;

  // Everything passed by reference must outlive the sweep; |config| is copied.
  Sweep(const ProbeEnv& env, resolver::Resolver& dns, Scheduler& scheduler, const SweepConfig& config,
        DomainSource& source, DomainDone on_domain, std::function<void()> on_finished);
  // The sweep owns the domains it holds: destroying it before |on_finished| frees them, and the
  // lookups and probes still running then end without calling back into it (the resolver and
  // the scheduler must still be closed as usual). If Start's first read has not run yet, the
  // loop must run once more to free its timer.
  ~Sweep();

  Sweep(const Sweep&) = delete;
  Sweep& operator=(const Sweep&) = delete;

  // Start begins reading domains, from the loop: no callback runs from within Start, so the
  // caller can finish its own set-up first. |on_finished| runs, from the loop, once every read
  // domain has its verdict and the source is exhausted (or Stop was called) — for an empty
  // input, on the loop's first turn after Start.
  void Start();

  // Stop reads no more domains and starts no new session: sessions already running finish (or
  // time out), every domain whose addresses are then all done gets its verdict, and the others
  // are abandoned unreported. |on_finished| runs after that, from the loop.
  void Stop();
  // InputReady resumes reading after the source answered kLater.
  void InputReady();

  // set_on_address registers the AddressDone callback (before Start).
  void set_on_address(AddressDone on_address) { on_address_ = std::move(on_address); }
  bool stopped() const { return stopped_; }
  // input_done reports whether the source is exhausted (the total is then known).
  bool input_done() const { return input_done_; }

  const SweepStats& stats() const { return stats_; }

 private:
  struct AddressState;
  struct DomainState;
  struct StartTimer;
  static void CloseStartTimer(StartTimer* start);

  void Fill();
  void StartDomain(DomainEntry entry);
  void OnMx(DomainState* domain, const resolver::MxResult& mx);
  AddressState* AddressFor(const IpAddress& ip, const std::string& host);
  void OnAddressDone(AddressState* address);
  void FinishDomain(DomainState* domain);
  void AbandonDomain(DomainState* domain);
  // Unlink takes |domain| out of live_ and hands it to the caller.
  std::unique_ptr<DomainState> Unlink(DomainState* domain);
  // MaybeFinishStopped ends a stopped sweep once no lookup and no session is left.
  void MaybeFinishStopped();
  void Finished();

  const ProbeEnv& env_;
  resolver::Resolver& dns_;
  Scheduler& scheduler_;
  const SweepConfig config_;
  DomainSource& source_;
  DomainDone on_domain_;
  std::function<void()> on_finished_;
  AddressDone on_address_;

  bool stopped_ = false;
  bool input_done_ = false;
  bool filling_ = false;
  bool finished_ = false;
  size_t in_flight_ = 0;
  size_t resolving_ = 0;          // domains waiting for their MX lookup
  bool scheduler_idle_ = false;   // after Stop: no session in flight any more
  std::vector<std::unique_ptr<DomainState>> live_;  // domains in flight (owned; for Stop to abandon)
  SweepStats stats_;
  std::unordered_map<std::string, std::unique_ptr<AddressState>> addresses_;
  StartTimer* start_timer_ = nullptr;  // until Start's first read has run
  // Callbacks given to the resolver, the prober and the scheduler hold a weak reference to this:
  // one that arrives after the sweep is gone does nothing.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace mxsweep
