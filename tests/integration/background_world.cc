#include "tests/integration/background_world.h"

#include <gtest/gtest.h>

namespace mxsweep::testing {

BackgroundWorld::BackgroundWorld(const std::function<void(sim::DemoWorld&)>& publish) {
  uv_loop_init(&loop_);
  uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
    auto* self = static_cast<BackgroundWorld*>(a->data);
    if (self->world_) self->world_->Close(nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
  });
  stop_.data = this;
  sim::DemoWorldOptions options;
  options.base_address = "127.58.1.1";
  options.dns_address = "127.58.0.1";
  std::string error;
  world_ = sim::DemoWorld::Start(&loop_, options, &error);
  EXPECT_TRUE(world_) << error;
  if (world_ && publish) publish(*world_);
  thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
}

BackgroundWorld::~BackgroundWorld() {
  uv_async_send(&stop_);
  thread_.join();
  EXPECT_EQ(uv_loop_close(&loop_), 0);
}

std::string BackgroundWorld::dns_server() const { return world_ ? world_->dns_server() : ""; }
uint16_t BackgroundWorld::smtp_port() const { return world_ ? world_->smtp_port() : 0; }

std::string BackgroundWorld::ScanArgs() const {
  return "--resolver " + dns_server() + " --port " + std::to_string(smtp_port()) +
         " --allow-private --per-address-gap 0.05 --greeting-timeout 5";
}

}  // namespace mxsweep::testing
