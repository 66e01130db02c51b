#include "resolver/ares_resolver.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <unordered_map>
#include <utility>

#include "resolver/ares_loop.h"
#include "base/ascii.h"
#include "base/host_name.h"
#include "resolver/dns_wire.h"
#include "resolver/mx_policy.h"

namespace mxsweep::resolver {

namespace {

// A longer CNAME chain inside one answer is a misconfiguration or an attack; resolvers use
// similar limits (BIND's is 16 for the whole resolution, unbound's 11).
constexpr int kMaxCnameHops = 8;

// Outcome is one finished (name, type) query as the cache keeps it.
struct Outcome {
  DnsStatus status = DnsStatus::kError;
  std::string detail;
  std::vector<IpAddress> addresses;  // A/AAAA
  std::string canonical_name;        // A/AAAA: end of the CNAME chain, when there was one
  std::vector<MxRecord> mx;          // MX
  bool cancelled = false;
};

using OutcomeCallback = std::function<void(const Outcome&)>;

Outcome StatusOutcome(int status) {
  Outcome o;
  switch (status) {
    case ARES_ENODATA: o.status = DnsStatus::kNoData; break;
    case ARES_ENOTFOUND: o.status = DnsStatus::kNxDomain; break;
    case ARES_ESERVFAIL: o.status = DnsStatus::kServFail; o.detail = "SERVFAIL"; break;
    case ARES_EREFUSED: o.status = DnsStatus::kServFail; o.detail = "REFUSED"; break;
    case ARES_ECONNREFUSED:
      // c-ares 1.18 reports a REFUSED answer like a closed port; both mean the server will not
      // answer for this name.
      o.status = DnsStatus::kServFail;
      o.detail = "REFUSED, or connection refused";
      break;
    case ARES_ETIMEOUT: o.status = DnsStatus::kTimeout; break;
    case ARES_EBADNAME: o.status = DnsStatus::kBadName; break;
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION:
      o.status = DnsStatus::kError;
      o.detail = "cancelled";
      o.cancelled = true;
      break;
    default:
      o.status = DnsStatus::kError;
      o.detail = ares_strerror(status);
      break;
  }
  return o;
}

// ParseMx keeps every MX record; null MX and sorting are decided by the caller.
Outcome ParseMx(const uint8_t* answer, size_t length) {
  ares_mx_reply* replies = nullptr;
  int rc = ares_parse_mx_reply(answer, static_cast<int>(length), &replies);
  if (rc != ARES_SUCCESS) {
    Outcome o = StatusOutcome(rc);
    if (rc != ARES_ENODATA) o.detail = std::string("unparsable MX answer: ") + ares_strerror(rc);
    return o;
  }
  Outcome o;
  o.status = DnsStatus::kOk;
  for (ares_mx_reply* r = replies; r != nullptr; r = r->next) {
    std::string host = r->host != nullptr ? r->host : "";
    if (!host.empty() && host.back() == '.') host.pop_back();
    LowerAsciiInPlace(&host);
    o.mx.push_back(MxRecord{r->priority, std::move(host)});
  }
  ares_free_data(replies);
  if (o.mx.empty()) o.status = DnsStatus::kNoData;
  return o;
}

// ParseAddresses follows the CNAME chain that starts at |qname| through the answer section and
// keeps the |type| records of the name it ends at; records for other owners are ignored, as a
// resolver must (they are not what was asked).
Outcome ParseAddresses(const std::string& qname, uint16_t type, const uint8_t* answer,
                       size_t length) {
  Outcome o;
  dns::Message message;
  if (!dns::ParseMessage(answer, length, &message)) {
    o.status = DnsStatus::kError;
    o.detail = "malformed answer";
    return o;
  }
  std::string current = qname;
  for (int hop = 0; hop <= kMaxCnameHops; ++hop) {
    auto cname = std::find_if(message.answers.begin(), message.answers.end(),
                              [&](const dns::Record& r) {
                                return r.type == dns::kTypeCname && r.name == current;
                              });
    if (cname == message.answers.end()) break;
    if (hop == kMaxCnameHops) {
      o.status = DnsStatus::kError;
      o.detail = "CNAME chain too long";
      return o;
    }
    std::string target;
    if (!dns::RdataName(answer, length, *cname, &target)) {
      o.status = DnsStatus::kError;
      o.detail = "malformed CNAME";
      return o;
    }
    current = std::move(target);
  }
  const size_t want = type == dns::kTypeA ? 4 : 16;
  for (const dns::Record& r : message.answers) {
    if (r.type != type || r.klass != dns::kClassIn || r.name != current || r.rdata_length != want) {
      continue;
    }
    IpAddress addr;
    addr.family = type == dns::kTypeA ? AF_INET : AF_INET6;
    std::copy(answer + r.rdata_offset, answer + r.rdata_offset + want, addr.bytes.begin());
    o.addresses.push_back(addr);
  }
  if (current != qname) o.canonical_name = current;
  o.status = o.addresses.empty() ? DnsStatus::kNoData : DnsStatus::kOk;
  return o;
}

HostResult ToHostResult(const Outcome& o) {
  HostResult h;
  h.status = o.status;
  h.addresses = o.addresses;
  h.canonical_name = o.canonical_name;
  h.detail = o.detail;
  return h;
}

class AresResolverImpl : public AresResolver {
 public:
  AresResolverImpl(uv_loop_t* loop, const AresOptions& options)
      : loop_(loop), options_(options), ares_(loop) {}

  bool Init(std::string* error) {
    if (!ares_.Init(options_, error)) return false;
    uv_idle_init(loop_, &idle_);
    idle_.data = this;
    return true;
  }

  void ResolveMx(const std::string& domain, Family family, MxCallback done) override;
  void ResolveHost(const std::string& name, Family family, HostCallback done) override;
  void Close(std::function<void()> closed) override;
  ResolverStats stats() const override {
    ResolverStats s = stats_;
    s.queries_sent = ares_.queries_sent();
    return s;
  }

 private:
  struct CacheEntry {
    bool done = false;
    Outcome outcome;
    std::vector<OutcomeCallback> waiters;
  };

  void Lookup(const std::string& name, uint16_t type, OutcomeCallback done);
  void LookupHost(const std::string& name, Family family, HostCallback done);
  void OnMxAnswer(std::shared_ptr<struct MxJob> job, const Outcome& outcome);
  // Post runs |task| from the loop later: it is how every callback avoids running
  // synchronously inside the call that started it, and inside c-ares callbacks.
  void Post(std::function<void()> task);
  void RunDeferred();
  void MaybeFinishClose();

  uv_loop_t* loop_;
  AresOptions options_;
  AresLoop ares_;
  uv_idle_t idle_{};
  std::deque<std::function<void()>> deferred_;
  std::unordered_map<std::string, std::shared_ptr<CacheEntry>> cache_;
  ResolverStats stats_;
  bool closing_ = false;
  bool idle_closing_ = false;
  bool idle_closed_ = false;
  bool ares_closed_ = false;
  std::function<void()> closed_;
};

struct MxJob {
  std::string domain;
  Family family;
  MxCallback done;
  MxResult result;
  size_t pending = 0;
};

void AresResolverImpl::Post(std::function<void()> task) {
  if (idle_closing_) return;  // only after Close has drained: the interface forbids new calls
  if (deferred_.empty()) {
    uv_idle_start(&idle_, [](uv_idle_t* idle) {
      static_cast<AresResolverImpl*>(idle->data)->RunDeferred();
    });
  }
  deferred_.push_back(std::move(task));
}

void AresResolverImpl::RunDeferred() {
  // Run only what is queued now; tasks posted meanwhile wait for the next loop iteration so a
  // long chain of cache hits cannot starve socket I/O.
  std::deque<std::function<void()>> tasks;
  tasks.swap(deferred_);
  for (auto& task : tasks) task();
  if (!deferred_.empty()) return;
  uv_idle_stop(&idle_);
  if (closing_ && !idle_closing_) {
    idle_closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_), [](uv_handle_t* handle) {
      auto* self = static_cast<AresResolverImpl*>(handle->data);
      self->idle_closed_ = true;
      self->MaybeFinishClose();
    });
  }
}

void AresResolverImpl::Lookup(const std::string& name, uint16_t type, OutcomeCallback done) {
  if (closing_) {
    Post([done = std::move(done)] { done(StatusOutcome(ARES_ECANCELLED)); });
    return;
  }
  std::string key = std::to_string(type) + '/' + name;
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    std::shared_ptr<CacheEntry> entry = it->second;
    if (entry->done) {
      ++stats_.cache_hits;
      Post([entry, done = std::move(done)] { done(entry->outcome); });
    } else {
      ++stats_.coalesced;
      entry->waiters.push_back(std::move(done));
    }
    return;
  }
  auto entry = std::make_shared<CacheEntry>();
  entry->waiters.push_back(std::move(done));
  cache_.emplace(key, entry);
  ares_.Query(name, type, [this, key, entry, name, type](int status, const uint8_t* answer,
                                                           size_t length) {
    // Inside a c-ares callback: record the outcome and hand the waiters to the loop.
    Outcome outcome;
    if (status != ARES_SUCCESS) {
      outcome = StatusOutcome(status);
    } else if (type == dns::kTypeMx) {
      outcome = ParseMx(answer, length);
    } else {
      outcome = ParseAddresses(name, type, answer, length);
    }
    entry->done = true;
    entry->outcome = std::move(outcome);
    // MX answers are per domain and the domain list is deduplicated before the sweep: keeping
    // them would only grow memory (~440 MB at 400k domains of the 1M benchmark). Identical MX
    // lookups in flight are still coalesced; host addresses, shared by many domains, are kept.
    bool keep = options_.cache && type != dns::kTypeMx;
    if (entry->outcome.cancelled || !keep) {
      auto cached = cache_.find(key);
      if (cached != cache_.end() && cached->second == entry) cache_.erase(cached);
    }
    std::vector<OutcomeCallback> waiters = std::move(entry->waiters);
    entry->waiters.clear();
    Post([entry, waiters = std::move(waiters)] {
      for (const OutcomeCallback& waiter : waiters) waiter(entry->outcome);
    });
  });
}

void AresResolverImpl::LookupHost(const std::string& name, Family family, HostCallback done) {
  done = [max = options_.max_addresses_per_host, done = std::move(done)](const HostResult& h) {
    done(CapAddresses(h, max));
  };
  if (family == Family::kIpv4 || family == Family::kIpv6) {
    Lookup(name, family == Family::kIpv4 ? dns::kTypeA : dns::kTypeAaaa,
           [done = std::move(done)](const Outcome& o) { done(ToHostResult(o)); });
    return;
  }
  struct Both {
    HostResult v4, v6;
    int pending = 2;
    HostCallback done;
  };
  auto both = std::make_shared<Both>();
  both->done = std::move(done);
  Lookup(name, dns::kTypeA, [both](const Outcome& o) {
    both->v4 = ToHostResult(o);
    if (--both->pending == 0) both->done(CombineFamilies(both->v4, both->v6));
  });
  Lookup(name, dns::kTypeAaaa, [both](const Outcome& o) {
    both->v6 = ToHostResult(o);
    if (--both->pending == 0) both->done(CombineFamilies(both->v4, both->v6));
  });
}

void AresResolverImpl::ResolveHost(const std::string& name, Family family, HostCallback done) {
  IpAddress literal;
  if (IpAddress::Parse(name, &literal)) {
    Post([h = LiteralHost(literal, family), done = std::move(done)] { done(h); });
    return;
  }
  std::string normalized, why;
  if (!NormalizeDomainName(name, &normalized, &why)) {
    HostResult h;
    h.status = DnsStatus::kBadName;
    h.detail = why;
    Post([h = std::move(h), done = std::move(done)] { done(h); });
    return;
  }
  LookupHost(normalized, family, std::move(done));
}

void AresResolverImpl::ResolveMx(const std::string& domain, Family family, MxCallback done) {
  auto job = std::make_shared<MxJob>();
  job->family = family;
  job->done = std::move(done);
  std::string why;
  if (!NormalizeDomainName(domain, &job->domain, &why)) {
    job->result.status = DnsStatus::kBadName;
    job->result.detail = why;
    Post([job] { job->done(job->result); });
    return;
  }
  Lookup(job->domain, dns::kTypeMx, [this, job](const Outcome& o) { OnMxAnswer(job, o); });
}

void AresResolverImpl::OnMxAnswer(std::shared_ptr<MxJob> job, const Outcome& outcome) {
  MxResult& result = job->result;
  if (outcome.status == DnsStatus::kNoData) {
    // RFC 5321 §5.1: without MX records the domain's own address is the mail host.
    LookupHost(job->domain, job->family, [job](const HostResult& h) {
      job->result = ImplicitMx(job->domain, h);
      job->done(job->result);
    });
    return;
  }
  result.status = outcome.status;
  result.detail = outcome.detail;
  if (outcome.status != DnsStatus::kOk) {
    job->done(result);
    return;
  }

  MxSelection selection = SelectMxHosts(outcome.mx, options_.max_mx_hosts);
  if (selection.null_mx) {
    result.null_mx = true;
    job->done(result);
    return;
  }
  result.detail = std::move(selection.detail);
  const std::vector<MxRecord>& unique = selection.hosts;
  result.hosts.resize(unique.size());
  std::vector<std::pair<size_t, std::string>> to_resolve;
  for (size_t i = 0; i < unique.size(); ++i) {
    MxHost& host = result.hosts[i];
    host.preference = unique[i].preference;
    host.name = unique[i].host;
    std::string normalized, why;
    if (!NormalizeDomainName(unique[i].host, &normalized, &why)) {
      host.address.status = DnsStatus::kBadName;
      host.address.detail = why;
    } else {
      to_resolve.emplace_back(i, normalized);
    }
  }
  if (to_resolve.empty()) {
    job->done(result);
    return;
  }
  job->pending = to_resolve.size();
  for (auto& [index, name] : to_resolve) {
    LookupHost(name, job->family, [job, index = index](const HostResult& h) {
      MxHost& host = job->result.hosts[index];
      host.address = h;
      host.is_cname = !h.canonical_name.empty();
      if (--job->pending == 0) job->done(job->result);
    });
  }
}

void AresResolverImpl::Close(std::function<void()> closed) {
  if (closing_) return;
  closing_ = true;
  closed_ = std::move(closed);
  // Cancels every query; the waiters' "cancelled" callbacks are posted and run before the idle
  // handle closes, so every ResolveMx/ResolveHost still gets its one callback.
  ares_.Close([this] {
    ares_closed_ = true;
    MaybeFinishClose();
  });
  Post([] {});  // makes sure RunDeferred runs and closes the idle handle
}

void AresResolverImpl::MaybeFinishClose() {
  if (!idle_closed_ || !ares_closed_ || !closed_) return;
  std::function<void()> closed = std::move(closed_);
  closed_ = nullptr;
  closed();
}

}  // namespace

std::unique_ptr<AresResolver> MakeAresResolver(uv_loop_t* loop, const AresOptions& options,
                                               std::string* error) {
  auto resolver = std::make_unique<AresResolverImpl>(loop, options);
  if (!resolver->Init(error)) return nullptr;
  return resolver;
}

}  // namespace mxsweep::resolver
