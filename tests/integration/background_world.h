// background_world.h: the demo world (sim/demo_world.h) on a loop of its own in a thread, for
// the tests that run the mxsweep binary against it.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "sim/demo_world.h"

namespace mxsweep::testing {

class BackgroundWorld {
 public:
  // |publish| may add records to the world's zone before its loop starts.
  explicit BackgroundWorld(const std::function<void(sim::DemoWorld&)>& publish = nullptr);
  ~BackgroundWorld();
  BackgroundWorld(const BackgroundWorld&) = delete;
  BackgroundWorld& operator=(const BackgroundWorld&) = delete;

  // ScanArgs are the options that point `scan` (or `probe`) at the world: its DNS server, its
  // SMTP port, loopback allowed, short gaps and timeouts.
  std::string ScanArgs() const;
  std::string dns_server() const;
  uint16_t smtp_port() const;

 private:
  uv_loop_t loop_;
  uv_async_t stop_;
  std::unique_ptr<sim::DemoWorld> world_;
  std::thread thread_;
};

}  // namespace mxsweep::testing
