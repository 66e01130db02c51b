// test_fleet.h: helpers shared by the integration tests: a loop that must close cleanly, the test
// PKI, simulated servers on chosen 127.x addresses, and a synchronous "probe this address".
#pragma once

#include <gtest/gtest.h>
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "scanner/engine/address_prober.h"
#include "sim/smtp_server.h"
#include "tls/client_contexts.h"
#include "tls/test_pki.h"

namespace mxsweep::testing {

// TestLoop owns a loop and asserts at teardown that every handle was closed.
class TestLoop {
 public:
  TestLoop() { uv_loop_init(&loop_); }
  ~TestLoop() {
    // A test that forgot to close a handle fails here rather than leaking silently.
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was left open";
  }
  uv_loop_t* get() { return &loop_; }

 private:
  uv_loop_t loop_;
};

// Shared PKI: generating keys per test would dominate the run time.
const tls::TestPki& Pki();
// CaFile writes the test CA once and returns its path.
const std::string& CaFile();
const tls::ClientContexts& Contexts();

// NextLoopbackAddress hands out a fresh 127.x.y.z per call so tests never collide on a port.
std::string NextLoopbackAddress();

// ListenWithoutAccepting binds |address|:|port| (0: an ephemeral port, written back to *port),
// listens with |backlog| and never accepts: connections complete in the kernel and then hear
// nothing. Returns the descriptor (the caller closes it), or -1.
int ListenWithoutAccepting(const std::string& address, uint16_t* port, int backlog);

// Fleet starts simulated servers on a loop and closes them all.
class Fleet {
 public:
  explicit Fleet(uv_loop_t* loop) : loop_(loop) {}
  ~Fleet();
  // Start launches a server; the address defaults to a fresh loopback address, port 25 when
  // free (root), else an ephemeral one.
  sim::SimSmtpServer* Start(sim::SimServerConfig config);
  // CloseAll closes every server; the loop must run afterwards.
  void CloseAll();

 private:
  uv_loop_t* loop_;
  std::vector<std::unique_ptr<sim::SimSmtpServer>> servers_;
  bool closed_ = false;
};

// FastEnv returns a ProbeEnv with short timeouts for tests.
ProbeEnv FastEnv(uv_loop_t* loop);

// ProbeOne runs the plan against one simulated server and returns the facts; it runs the loop
// until the prober is done and then closes the fleet. |contexts| defaults to Contexts().
AddressFacts ProbeOne(TestLoop& loop, Fleet& fleet, sim::SimSmtpServer* server, PlanOptions plan,
                      ProbeTimeouts timeouts = {}, const tls::ClientContexts* contexts = nullptr);

}  // namespace mxsweep::testing
