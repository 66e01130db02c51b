#include "scanner/engine/sweep.h"

#include <uv.h>

#include <algorithm>

namespace mxsweep {

struct Sweep::AddressState {
  AddressFacts facts;
  bool done = false;
  // Refused and excluded addresses are done before any domain is attached: they are reported
  // with the first domain that finishes with them.
  bool reported = true;
  std::vector<DomainState*> waiters;
  // The domains that led here until the address was reported (the hosts JSONL line); not kept
  // after that: a provider's address is met by hundreds of thousands of domains.
  std::vector<std::string> domains;
};

struct Sweep::DomainState {
  size_t live_index = 0;  // position in Sweep::live_
  DomainEntry entry;
  resolver::MxResult mx;
  std::vector<std::pair<std::string, AddressState*>> addresses;
  size_t pending = 0;
};

Sweep::Sweep(const ProbeEnv& env, resolver::Resolver& dns, Scheduler& scheduler,
             const SweepConfig& config, DomainSource& source, DomainDone on_domain,
             std::function<void()> on_finished)
    : env_(env), dns_(dns), scheduler_(scheduler), config_(config), source_(source),
      on_domain_(std::move(on_domain)), on_finished_(std::move(on_finished)) {}

// StartTimer runs Start's first read from the loop. It lives on the heap so that a sweep
// destroyed before it fires can close it and leave its memory to the close callback.
struct Sweep::StartTimer {
  uv_timer_t timer;
  Sweep* sweep;  // null once the sweep is gone
};

void Sweep::CloseStartTimer(StartTimer* start) {
  uv_close(reinterpret_cast<uv_handle_t*>(&start->timer), [](uv_handle_t* handle) {
    delete static_cast<StartTimer*>(handle->data);
  });
}

Sweep::~Sweep() {
  if (start_timer_ != nullptr) {
    start_timer_->sweep = nullptr;
    CloseStartTimer(start_timer_);
  }
}

void Sweep::Start() {
  if (start_timer_ != nullptr) return;
  start_timer_ = new StartTimer{{}, this};
  uv_timer_init(env_.loop, &start_timer_->timer);
  start_timer_->timer.data = start_timer_;
  uv_timer_start(&start_timer_->timer, [](uv_timer_t* timer) {
    auto* start = static_cast<StartTimer*>(timer->data);
    Sweep* sweep = start->sweep;
    CloseStartTimer(start);
    if (sweep == nullptr) return;
    sweep->start_timer_ = nullptr;
    if (!sweep->finished_) sweep->Fill();
  }, 0, 0);
}

void Sweep::Stop() {
  if (stopped_) return;
  stopped_ = true;
  scheduler_.Drain([this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    scheduler_idle_ = true;
    MaybeFinishStopped();
  });
}

void Sweep::MaybeFinishStopped() {
  if (!stopped_ || finished_ || filling_ || resolving_ > 0 || !scheduler_idle_) return;
  // Nothing runs any more: what is still waiting would wait forever.
  while (!live_.empty()) AbandonDomain(live_.back().get());
  Finished();
}

void Sweep::Finished() {
  if (finished_) return;
  finished_ = true;
  if (on_finished_) on_finished_();
}

void Sweep::AbandonDomain(DomainState* domain) {
  for (auto& [host, address] : domain->addresses) {
    auto& w = address->waiters;
    w.erase(std::remove(w.begin(), w.end(), domain), w.end());
  }
  Unlink(domain);
  stats_.domains_abandoned++;
  in_flight_--;
}

std::unique_ptr<Sweep::DomainState> Sweep::Unlink(DomainState* domain) {
  size_t index = domain->live_index;
  std::unique_ptr<DomainState> owned = std::move(live_[index]);
  if (index + 1 != live_.size()) {
    live_[index] = std::move(live_.back());
    live_[index]->live_index = index;
  }
  live_.pop_back();
  return owned;
}

void Sweep::Fill() {
  // Fill is re-entered when a domain finishes synchronously inside StartDomain; the outer call
  // keeps going.
  if (filling_) return;
  filling_ = true;
  while (!stopped_ && !input_done_ && in_flight_ < config_.max_domains_in_flight) {
    DomainEntry entry;
    SourcePull pull = source_.Pull(&entry);
    if (pull == SourcePull::kLater) break;  // InputReady() comes back here
    if (pull == SourcePull::kEnd) {
      input_done_ = true;
      break;
    }
    StartDomain(std::move(entry));
  }
  filling_ = false;
  if ((input_done_ || stopped_) && in_flight_ == 0) {
    Finished();
  } else {
    MaybeFinishStopped();
  }
}

void Sweep::InputReady() {
  if (finished_) return;
  Fill();
}

void Sweep::StartDomain(DomainEntry entry) {
  auto owned = std::make_unique<DomainState>();
  DomainState* domain = owned.get();
  domain->entry = std::move(entry);
  domain->live_index = live_.size();
  live_.push_back(std::move(owned));
  in_flight_++;
  resolving_++;
  stats_.domains_started++;
  dns_.ResolveMx(domain->entry.domain, config_.family,
                 [this, alive = std::weak_ptr<bool>(alive_), domain](const resolver::MxResult& mx) {
                   if (!alive.expired()) OnMx(domain, mx);
                 });
}

void Sweep::OnMx(DomainState* domain, const resolver::MxResult& mx) {
  resolving_--;
  domain->mx = mx;
  if (stopped_) {
    // No new sessions after Stop: finish the domain only if every address is already known.
    bool all_known = true;
    for (const resolver::MxHost& host : mx.hosts) {
      for (const IpAddress& ip : host.address.addresses) {
        auto it = addresses_.find(AddressKey(ip, config_.port));
        if (it == addresses_.end() || !it->second->done) all_known = false;
      }
    }
    if (!all_known) {
      AbandonDomain(domain);
      MaybeFinishStopped();
      return;
    }
  }
  for (const resolver::MxHost& host : mx.hosts) {
    for (const IpAddress& ip : host.address.addresses) {
      AddressState* address = AddressFor(ip, host.name);
      // Domains are unique and this loop adds all of one domain's addresses at once, so a
      // repeat (two MX names on one address) can only be the last entry. A search of the whole
      // list was quadratic: a provider hosting 220k domains cost ~1,400 s of CPU at 1M domains.
      bool listing = !address->done || !address->reported;
      if (listing && (address->domains.empty() || address->domains.back() != domain->entry.domain)) {
        address->domains.push_back(domain->entry.domain);
      }
      domain->addresses.emplace_back(host.name, address);
      if (!address->done) {
        address->waiters.push_back(domain);
        domain->pending++;
      }
    }
  }
  if (domain->pending == 0) FinishDomain(domain);
  MaybeFinishStopped();
}

Sweep::AddressState* Sweep::AddressFor(const IpAddress& ip, const std::string& host) {
  std::string key = AddressKey(ip, config_.port);
  auto it = addresses_.find(key);
  if (it != addresses_.end()) return it->second.get();

  auto state = std::make_unique<AddressState>();
  AddressState* address = state.get();
  addresses_.emplace(key, std::move(state));
  stats_.addresses++;

  AddressTarget target{ip, config_.port, host};
  std::string_view range = RefusedRange(ip, config_.targets);
  std::string excluded_by;
  if (!range.empty()) {
    // A hostile or careless MX record must not turn the scanner on the inside network.
    address->facts = RefusedFacts(target, ProbeStatus::kTargetRefused,
                                  std::string(range) + " address refused (use --allow-private)");
    address->done = true;
    address->reported = false;
    stats_.addresses_done++;
  } else if (config_.exclude != nullptr && config_.exclude->Contains(ip, &excluded_by)) {
    address->facts = RefusedFacts(target, ProbeStatus::kExcluded, "excluded by " + excluded_by);
    address->done = true;
    address->reported = false;
    stats_.addresses_done++;
  } else {
    stats_.addresses_probed++;
    address->facts.host = host;
    address->facts.ip = ip.ToString();
    address->facts.port = config_.port;
    ProbeAddress(env_, scheduler_, config_.prober, target,
                 [this, alive = std::weak_ptr<bool>(alive_), address](AddressFacts facts) {
      if (alive.expired()) return;
      address->facts = std::move(facts);
      OnAddressDone(address);
    }, [this, alive = std::weak_ptr<bool>(alive_)] {
      // Counted as each session ends, not when the address is done: the progress line reads it.
      if (!alive.expired()) stats_.connections++;
    });
  }
  return address;
}

void Sweep::OnAddressDone(AddressState* address) {
  address->done = true;
  stats_.addresses_done++;
  if (on_address_) on_address_(address->facts, address->domains);
  std::vector<std::string>().swap(address->domains);
  std::vector<DomainState*> waiters = std::move(address->waiters);
  address->waiters.clear();
  for (DomainState* domain : waiters) {
    if (--domain->pending == 0) FinishDomain(domain);
  }
}

void Sweep::FinishDomain(DomainState* domain) {
  DomainResult result;
  result.entry = std::move(domain->entry);
  result.mx = std::move(domain->mx);
  std::vector<AddressOutcome> outcomes;
  for (const auto& [host, address] : domain->addresses) {
    if (!address->reported) {
      address->reported = true;
      if (on_address_) on_address_(address->facts, address->domains);
      std::vector<std::string>().swap(address->domains);
    }
    result.addresses.push_back({host, &address->facts});
    outcomes.push_back(OutcomeOf(address->facts, host));
  }
  result.verdict = DecideVerdict(ExoProfile(), SummariseDns(result.mx), outcomes);
  result.finished = std::chrono::system_clock::now();
  stats_.verdicts[static_cast<size_t>(result.verdict.verdict)]++;
  stats_.domains_done++;
  Unlink(domain);  // |domain| is freed here; |result| points only into addresses_
  in_flight_--;
  if (on_domain_) on_domain_(result);
  Fill();
}

}  // namespace mxsweep
