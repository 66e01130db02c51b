// dns_fixture.h: the set-up the resolver tests share — a loop, the in-process authoritative DNS
// responder on a loopback address, and a c-ares resolver pointed at it.
#pragma once

#include <gtest/gtest.h>
#include <uv.h>

#include <memory>
#include <string>

#include "resolver/ares_resolver.h"
#include "sim/dns_responder.h"

namespace mxsweep::testing {

// DnsFixture starts the responder on |address| (an ephemeral port) in SetUp; the test makes the
// resolver with MakeResolver. TearDown closes both and fails the test if the loop does not then
// close cleanly.
class DnsFixture : public ::testing::Test {
 protected:
  explicit DnsFixture(std::string address) : address_(std::move(address)) {}
  void SetUp() override;
  void TearDown() override;

  // MakeResolver points a resolver with |options| at the responder (options.servers is set here).
  void MakeResolver(resolver::AresOptions options = {});

  sim::DnsZone& zone() { return dns_->zone(); }

  uv_loop_t loop_;
  std::unique_ptr<sim::DnsResponder> dns_;
  std::unique_ptr<resolver::AresResolver> resolver_;

 private:
  std::string address_;
};

}  // namespace mxsweep::testing
