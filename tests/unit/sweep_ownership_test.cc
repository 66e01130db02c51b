// The sweep and the scheduler on a real loop with a scripted resolver (no sockets): a sweep owns
// the domains it holds, may be destroyed mid-flight, never calls back from Start, and the
// scheduler refuses a rate that would silently mean "unlimited".
#include <gtest/gtest.h>
#include <uv.h>

#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "scanner/engine/scheduler.h"
#include "scanner/engine/sweep.h"

namespace mxsweep {
namespace {

class ListSource : public DomainSource {
 public:
  explicit ListSource(std::vector<std::string> domains) : domains_(std::move(domains)) {}
  bool Next(DomainEntry* out) override {
    if (next_ >= domains_.size()) return false;
    out->domain = domains_[next_++];
    out->line = next_;
    return true;
  }

 private:
  std::vector<std::string> domains_;
  size_t next_ = 0;
};

// HeldResolver answers nothing until told: Answer runs every held callback (as Close does with
// "cancelled", from the loop).
class HeldResolver : public resolver::Resolver {
 public:
  void ResolveMx(const std::string& domain, resolver::Family, resolver::MxCallback done) override {
    held_.emplace_back(domain, std::move(done));
  }
  void ResolveHost(const std::string&, resolver::Family, resolver::HostCallback) override {}
  void Close(std::function<void()> closed) override {
    if (closed) closed();
  }

  size_t held() const { return held_.size(); }
  // Answer gives every held domain one MX on a TEST-NET address (refused by policy, so no
  // session starts) or, with |cancelled|, the error Close reports.
  void Answer(bool cancelled) {
    auto held = std::move(held_);
    held_.clear();
    for (auto& [domain, done] : held) {
      resolver::MxResult mx;
      if (cancelled) {
        mx.status = resolver::DnsStatus::kError;
        mx.detail = "cancelled";
      } else {
        mx.status = resolver::DnsStatus::kOk;
        resolver::MxHost host;
        host.preference = 10;
        host.name = "mx." + domain;
        host.address.status = resolver::DnsStatus::kOk;
        IpAddress ip;
        IpAddress::Parse("192.0.2.25", &ip);
        host.address.addresses.push_back(ip);
        mx.hosts.push_back(host);
      }
      done(mx);
    }
  }

 private:
  std::vector<std::pair<std::string, resolver::MxCallback>> held_;
};

// Post runs |fn| once from |loop|.
void Post(uv_loop_t* loop, std::function<void()> fn) {
  struct Job {
    uv_timer_t handle;
    std::function<void()> fn;
  };
  auto* job = new Job{{}, std::move(fn)};
  uv_timer_init(loop, &job->handle);
  job->handle.data = job;
  uv_timer_start(&job->handle, [](uv_timer_t* h) {
    auto* j = static_cast<Job*>(h->data);
    j->fn();
    uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* c) { delete static_cast<Job*>(c->data); });
  }, 0, 0);
}

class SweepOwnership : public ::testing::Test {
 protected:
  SweepOwnership() {
    uv_loop_init(&loop_);
    env_.loop = &loop_;
  }
  ~SweepOwnership() override {
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was left open";
  }

  uv_loop_t loop_;
  ProbeEnv env_;
  SweepConfig config_;
  HeldResolver dns_;
};

TEST_F(SweepOwnership, EmptyInputFinishesFromTheLoopNotFromStart) {
  Scheduler scheduler(&loop_, PolitenessOptions{});
  ListSource source({});
  bool finished = false;
  Sweep sweep(env_, dns_, scheduler, config_, source, [](const DomainResult&) {},
              [&] {
                finished = true;
                scheduler.Close(nullptr);
              });
  sweep.Start();
  EXPECT_FALSE(finished) << "on_finished ran inside Start: the caller had not finished its set-up";
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_TRUE(finished);
  EXPECT_TRUE(sweep.input_done());
}

TEST_F(SweepOwnership, DomainsFinishFromTheLoop) {
  Scheduler scheduler(&loop_, PolitenessOptions{});
  ListSource source({"a.example", "b.example"});
  std::vector<std::string> done;
  bool finished = false;
  Sweep sweep(env_, dns_, scheduler, config_, source,
              [&](const DomainResult& r) { done.push_back(r.entry.domain); },
              [&] {
                finished = true;
                scheduler.Close(nullptr);
              });
  sweep.Start();
  EXPECT_EQ(dns_.held(), 0u) << "Start read the input itself instead of leaving it to the loop";
  Post(&loop_, [&] { dns_.Answer(false); });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(done, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_TRUE(finished);
}

// Run under ASan (MXSWEEP_SANITIZE): before the sweep owned its domains, the ones in flight
// leaked here, and a lookup answered after the sweep was gone wrote into freed memory.
TEST_F(SweepOwnership, DestroyedMidFlightFreesItsDomainsAndIgnoresLateAnswers) {
  Scheduler scheduler(&loop_, PolitenessOptions{});
  ListSource source({"a.example", "b.example", "c.example"});
  bool finished = false;
  auto sweep = std::make_unique<Sweep>(env_, dns_, scheduler, config_, source,
                                       [](const DomainResult&) { ADD_FAILURE() << "no domain may finish"; },
                                       [&] { finished = true; });
  sweep->Start();
  // Let the sweep read its input; every lookup stays unanswered.
  Post(&loop_, [&] {
    EXPECT_EQ(dns_.held(), 3u);
    sweep.reset();
    // What a resolver's Close does with the lookups still open.
    Post(&loop_, [&] {
      dns_.Answer(true);
      scheduler.Close(nullptr);
    });
  });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_FALSE(finished);
}

TEST(SchedulerOptions, ZeroOrNegativeRateIsRefused) {
  // A rate of 0 used to become 1e9 connections per second: "no pacing" by accident.
  for (double rate : {0.0, -1.0, std::numeric_limits<double>::infinity()}) {
    EXPECT_DEATH(
        {
          uv_loop_t loop;
          uv_loop_init(&loop);
          PolitenessOptions options;
          options.connect_rate = rate;
          Scheduler scheduler(&loop, options);
        },
        "connect_rate")
        << rate;
  }
}

}  // namespace
}  // namespace mxsweep
