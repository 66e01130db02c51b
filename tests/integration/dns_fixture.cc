#include "tests/integration/dns_fixture.h"

namespace mxsweep::testing {

void DnsFixture::SetUp() {
  ASSERT_EQ(uv_loop_init(&loop_), 0);
  dns_ = std::make_unique<sim::DnsResponder>(&loop_);
  ASSERT_EQ(dns_->Start(address_, 0), 0) << address_;
}

void DnsFixture::TearDown() {
  if (resolver_) resolver_->Close([] {});
  if (dns_) dns_->Close([] {});
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was left open";
}

void DnsFixture::MakeResolver(resolver::AresOptions options) {
  options.servers = {dns_->address()};
  std::string error;
  resolver_ = resolver::MakeAresResolver(&loop_, options, &error);
  ASSERT_NE(resolver_, nullptr) << error;
}

}  // namespace mxsweep::testing
