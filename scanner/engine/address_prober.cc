#include "scanner/engine/address_prober.h"

#include "scanner/engine/pacer.h"
#include "scanner/verdict/address_classifier.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace mxsweep {
namespace {

class Prober : public std::enable_shared_from_this<Prober> {
 public:
  Prober(const ProbeEnv& env, Scheduler& scheduler, const ProberOptions& options,
         const AddressTarget& target, std::function<void(AddressFacts)> done,
         std::function<void()> on_connection)
      : env_(env), scheduler_(scheduler), options_(options), target_(target), done_(std::move(done)),
        on_connection_(std::move(on_connection)), key_(AddressKey(target.ip, target.port)),
        network_(NetworkKey(target.ip)) {
    facts_.host = target.host_name;
    facts_.ip = target.ip.ToString();
    facts_.port = target.port;
  }

  void Next(Scheduler::Clock::time_point not_before = Scheduler::Clock::now()) {
    std::optional<tls::ProbeKind> kind = retry_kind_ ? retry_kind_ : NextProbe(options_.plan, facts_.probes);
    if (!kind) {
      Finish();
      return;
    }
    auto self = shared_from_this();
    scheduler_.Request(key_, network_, not_before, [self, kind] { self->Run(*kind); });
  }

 private:
  void Run(tls::ProbeKind kind) {
    ProbeRequest request;
    request.ip = target_.ip;
    request.port = target_.port;
    request.host_name = target_.host_name;
    request.kind = kind;
    request.want_certificate = !facts_.certificate.has_value();
    auto self = shared_from_this();
    StartProbe(env_, request, [self](const ProbeRecord& record, const SessionFacts& session) {
      self->scheduler_.Release(self->key_);
      self->OnProbe(record, session);
    });
  }

  void OnProbe(const ProbeRecord& finished, const SessionFacts& session) {
    ProbeRecord record = finished;
    if (record.connected) {
      facts_.connections++;
      if (on_connection_) on_connection_();
    }
    bool greeted_before = greeted_;
    greeted_ = greeted_ || !session.greeting.empty();
    if (facts_.banner.empty() && !session.greeting.empty()) {
      std::string banner;
      for (const std::string& line : session.greeting) {
        if (!banner.empty()) banner += " / ";
        banner += line;
      }
      facts_.banner = banner;
    }
    facts_.starttls = facts_.starttls || session.starttls_advertised;
    facts_.ehlo_ok = facts_.ehlo_ok || session.ehlo_ok;
    if (!facts_.certificate && session.certificate) facts_.certificate = session.certificate;
    AddAnomaly(session.anomaly);
    std::chrono::milliseconds wait{0};
    if (IsTemporaryRefusal(record) && TempFailRetryDelay(options_, tempfail_retries_, &wait)) {
      tempfail_retries_++;
      retry_kind_ = record.kind;
      Next(Scheduler::Clock::now() + wait);
      return;
    }
    // Faults and ambiguous answers: ask the same question again, within the address's budget
    // (README "Connections per address"). An answer that repeats is confirmed.
    record.attempts = attempts_;
    // A repeat confirms; STARTTLS missing twice on an address that advertised it once does not.
    record.confirmed = attempts_ > 1 && record.status == previous_status_ &&
                       !(record.status == ProbeStatus::kNoStartTls && facts_.starttls);
    RetryReason retry = RetryFor(record, greeted_before, facts_.starttls);
    if (retry == RetryReason::kInconsistent) AddAnomaly("starttls-inconsistent");
    if (retry != RetryReason::kNone && fault_retries_ < options_.max_fault_retries) {
      fault_retries_++;
      attempts_++;
      previous_status_ = record.status;
      retry_kind_ = record.kind;
      Next();
      return;
    }
    // The 421 budget is per probe (README: "retry that probe this many times").
    retry_kind_.reset();
    tempfail_retries_ = 0;
    attempts_ = 1;
    facts_.probes.push_back(record);
    Next();
  }

  void AddAnomaly(const std::string& anomaly) {
    if (!anomaly.empty() &&
        std::find(facts_.anomalies.begin(), facts_.anomalies.end(), anomaly) == facts_.anomalies.end()) {
      facts_.anomalies.push_back(anomaly);
    }
  }

  void Finish() {
    // Rows the plan meant to run but a blocker made pointless.
    for (tls::ProbeKind kind : PlannedKinds(options_.plan)) {
      bool ran = std::any_of(facts_.probes.begin(), facts_.probes.end(),
                             [kind](const ProbeRecord& r) { return r.kind == kind; });
      if (!ran) {
        ProbeRecord skipped;
        skipped.kind = kind;
        skipped.status = ProbeStatus::kSkipped;
        skipped.detail = "an earlier probe showed it cannot succeed";
        facts_.probes.push_back(skipped);
      }
    }
    ClassifyAddress(&facts_);
    auto done = std::move(done_);
    done(std::move(facts_));
  }

  const ProbeEnv& env_;
  Scheduler& scheduler_;
  // A copy: the caller's options may be a temporary, and the plan is read again after each probe.
  const ProberOptions options_;
  AddressTarget target_;
  std::function<void(AddressFacts)> done_;
  std::function<void()> on_connection_;
  std::string key_;
  std::string network_;
  AddressFacts facts_;
  int tempfail_retries_ = 0;
  int fault_retries_ = 0;         // for the whole address
  int attempts_ = 1;              // connections spent on the current kind
  ProbeStatus previous_status_ = ProbeStatus::kSkipped;
  bool greeted_ = false;          // some connection got a greeting
  std::optional<tls::ProbeKind> retry_kind_;
};

}  // namespace

std::string AddressKey(const IpAddress& ip, uint16_t port) {
  if (ip.family == AF_INET6) {
    // ::ffff:a.b.c.d reaches a.b.c.d over IPv4: one machine, one key, one session at a time.
    static const uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), kMappedPrefix, sizeof(kMappedPrefix)) == 0) {
      const uint8_t* v4 = ip.bytes.data() + 12;
      return std::to_string(v4[0]) + "." + std::to_string(v4[1]) + "." + std::to_string(v4[2]) + "." +
             std::to_string(v4[3]) + ":" + std::to_string(port);
    }
    return "[" + ip.ToString() + "]:" + std::to_string(port);
  }
  return ip.ToString() + ":" + std::to_string(port);
}

std::string NetworkKey(const IpAddress& ip) {
  static const uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  const uint8_t* b = ip.bytes.data();
  if (ip.family == AF_INET6 && std::memcmp(b, kMappedPrefix, sizeof(kMappedPrefix)) != 0) {
    char text[32];
    std::snprintf(text, sizeof(text), "%x:%x:%x::/48", (b[0] << 8) | b[1], (b[2] << 8) | b[3],
                  (b[4] << 8) | b[5]);
    return text;
  }
  const uint8_t* v4 = ip.family == AF_INET6 ? b + 12 : b;
  return std::to_string(v4[0]) + "." + std::to_string(v4[1]) + "." + std::to_string(v4[2]) + ".0/24";
}

void ProbeAddress(const ProbeEnv& env, Scheduler& scheduler, const ProberOptions& options,
                  const AddressTarget& target, std::function<void(AddressFacts)> done,
                  std::function<void()> on_connection) {
  std::make_shared<Prober>(env, scheduler, options, target, std::move(done), std::move(on_connection))->Next();
}

AddressFacts RefusedFacts(const AddressTarget& target, ProbeStatus status, std::string detail) {
  AddressFacts facts;
  facts.host = target.host_name;
  facts.ip = target.ip.ToString();
  facts.port = target.port;
  ProbeRecord record;
  record.kind = tls::ProbeKind::kAuto;
  record.status = status;
  record.detail = std::move(detail);
  facts.probes.push_back(record);
  ClassifyAddress(&facts);
  return facts;
}

}  // namespace mxsweep
