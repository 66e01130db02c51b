// demo_world.h: a small simulated internet — an authoritative DNS responder and a fleet of SMTP
// servers on loopback — whose domains cover every verdict. Used by `mxsweep demo` and by the
// tests that check each verdict end to end.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/dns_responder.h"
#include "sim/smtp_server.h"
#include "tls/test_pki.h"

namespace mxsweep::sim {

struct DemoDomain {
  std::string domain;
  std::string expected_verdict;  // what DESIGN.md's table says this set-up must get
  std::string story;             // one line for the README / demo output
};

struct DemoWorldOptions {
  // The first address of the fleet; servers take consecutive addresses in its /24.
  std::string base_address = "127.53.1.1";
  std::string dns_address = "127.53.0.1";
  // Greeting delay of the "slow" server: real greet_pause / postscreen delays are 5-30 s; the
  // demo keeps it short so a newcomer's first run is quick.
  std::chrono::milliseconds slow_greeting{1500};
};

class DemoWorld {
 public:
  // Start brings up DNS and every server on |loop|. Returns null with |*error| on failure (for
  // example when 127.53.0.0/16 is not usable).
  static std::unique_ptr<DemoWorld> Start(uv_loop_t* loop, const DemoWorldOptions& options,
                                          std::string* error);
  ~DemoWorld();

  const std::vector<DemoDomain>& domains() const { return domains_; }
  // DomainList renders the domains as an input list for `mxsweep scan` (CSV with a story column).
  std::string DomainList() const;
  std::string dns_server() const { return dns_->address(); }
  uint16_t smtp_port() const { return port_; }
  const tls::TestPki& pki() const { return *pki_; }
  // Servers, for tests that check what clients did to them.
  const std::vector<std::unique_ptr<SimSmtpServer>>& servers() const { return servers_; }
  // zone lets a test publish more records; only before the loop runs, or from its thread.
  DnsZone& zone() { return dns_->zone(); }

  // Close stops everything; |done| runs after the last handle closed.
  void Close(std::function<void()> done);

 private:
  DemoWorld() = default;
  SimSmtpServer* AddServer(const std::string& name, SimServerConfig config, std::string* error);

  uv_loop_t* loop_ = nullptr;
  DemoWorldOptions options_;
  std::unique_ptr<tls::TestPki> pki_;
  std::unique_ptr<DnsResponder> dns_;
  bool dns_started_ = false;
  std::vector<std::unique_ptr<SimSmtpServer>> servers_;
  std::vector<DemoDomain> domains_;
  uint16_t port_ = 0;
  uint32_t next_host_ = 0;
  int closing_ = 0;
  std::function<void()> on_closed_;
};

}  // namespace mxsweep::sim
