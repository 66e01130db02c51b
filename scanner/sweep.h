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

#include "resolver/resolver.h"
#include "scanner/address_prober.h"
#include "scanner/domain_input.h"
#include "scanner/exclude_list.h"
#include "scanner/verdict.h"

namespace mxsweep {

struct SweepConfig {
  ProberOptions prober;
  resolver::Family family = resolver::Family::kAny;
  uint16_t port = 25;
  bool allow_private = false;
  // Special ranges allowed even without allow_private, by name (SpecialRange): the demo allows
  // only "loopback", so a demo MX record that points into private space is still refused.
  std::vector<std::string> allowed_ranges;
  const ExcludeList* exclude = nullptr;
  // Domains between "read" and "verdict" at once. Reading ahead of the sessions keeps the
  // scheduler fed; the bound keeps memory flat however long the list is.
  size_t max_domains_in_flight = 20000;
};

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

struct DomainAddress {
  std::string host;             // the MX host name in this domain's MX set
  const AddressFacts* facts;    // owned by the sweep, valid until it is destroyed
};

struct DomainResult {
  DomainEntry entry;
  resolver::MxResult mx;
  std::vector<DomainAddress> addresses;  // MX order, then address order
  DomainVerdict verdict;
  std::chrono::system_clock::time_point finished;
};

struct SweepStats {
  size_t domains_started = 0;
  size_t domains_done = 0;
  size_t addresses = 0;          // unique address:port met
  size_t addresses_probed = 0;   // of those, probed (not refused by policy)
  size_t addresses_done = 0;
  size_t connections = 0;
  // Domains read but left without a verdict because the sweep was stopped (Stop): they are not
  // reported, so a --resume run sweeps them again.
  size_t domains_abandoned = 0;
  size_t verdicts[kVerdictCount] = {};
};

class Sweep {
 public:
  using DomainDone = std::function<void(const DomainResult&)>;
  // AddressDone is told about each address once its facts are final, with the domains that had
  // asked for it by then (a domain that meets it later does not trigger another call).
  using AddressDone = std::function<void(const AddressFacts&, const std::vector<std::string>&)>;

  // Everything passed by reference must outlive the sweep.
  Sweep(const ProbeEnv& env, resolver::Resolver& dns, Scheduler& scheduler, const SweepConfig& config,
        DomainSource& source, DomainDone on_domain, std::function<void()> on_finished);
  ~Sweep();

  // Start begins reading domains. |on_finished| runs once every read domain has its verdict and
  // the source is exhausted (or Stop was called) — possibly from within Start for empty input.
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

  void Fill();
  void StartDomain(DomainEntry entry);
  void OnMx(DomainState* domain, const resolver::MxResult& mx);
  AddressState* AddressFor(const IpAddress& ip, const std::string& host);
  void OnAddressDone(AddressState* address);
  void FinishDomain(DomainState* domain);
  void AbandonDomain(DomainState* domain);
  // MaybeFinishStopped ends a stopped sweep once no lookup and no session is left.
  void MaybeFinishStopped();
  void Finished();

  const ProbeEnv& env_;
  resolver::Resolver& dns_;
  Scheduler& scheduler_;
  const SweepConfig& config_;
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
  std::vector<DomainState*> live_;  // domains in flight (for Stop to abandon)
  SweepStats stats_;
  std::unordered_map<std::string, std::unique_ptr<AddressState>> addresses_;
};

}  // namespace mxsweep
