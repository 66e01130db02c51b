#include "tests/integration/test_fleet.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace mxsweep::testing {

const tls::TestPki& Pki() {
  static std::unique_ptr<tls::TestPki> pki = tls::TestPki::Create();
  return *pki;
}

const std::string& CaFile() {
  static std::string path = [] {
    std::string p = "/tmp/mxsweep-test-ca-" + std::to_string(getpid()) + ".pem";
    Pki().WriteCaFile(p);
    return p;
  }();
  return path;
}

const tls::ClientContexts& Contexts() {
  static std::unique_ptr<tls::ClientContexts> contexts = [] {
    std::string error;
    auto c = tls::ClientContexts::Create(CaFile(), &error);
    if (!c) std::fprintf(stderr, "client contexts: %s\n", error.c_str());
    return c;
  }();
  return *contexts;
}

std::string NextLoopbackAddress() {
  // 127.77.0.0/16 plus the pid's low bits keeps parallel test processes apart.
  static std::atomic<int> next{1};
  int n = next++;
  int pid = static_cast<int>(getpid()) & 0x3f;
  return "127." + std::to_string(64 + pid) + "." + std::to_string((n >> 8) & 0xff) + "." +
         std::to_string((n & 0xff) == 0 ? 1 : (n & 0xff));
}

int ListenWithoutAccepting(const std::string& address, uint16_t* port, int backlog) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(*port);
  socklen_t len = sizeof(sin);
  if (inet_pton(AF_INET, address.c_str(), &sin.sin_addr) != 1 ||
      bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0 || listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(sin.sin_port);
  return fd;
}

Fleet::~Fleet() { CloseAll(); }

sim::SimSmtpServer* Fleet::Start(sim::SimServerConfig config) {
  if (config.address == "127.0.0.1") config.address = NextLoopbackAddress();
  std::string error;
  auto server = sim::SimSmtpServer::Start(loop_, config, Pki(), &error);
  if (!server) {
    ADD_FAILURE() << "cannot start simulated server: " << error;
    return nullptr;
  }
  servers_.push_back(std::move(server));
  return servers_.back().get();
}

void Fleet::CloseAll() {
  if (closed_) return;
  closed_ = true;
  for (auto& s : servers_) s->Close([] {});
}

ProbeEnv FastEnv(uv_loop_t* loop) {
  ProbeEnv env;
  env.loop = loop;
  env.contexts = &Contexts();
  env.smtp.ehlo_name = "scanner.test.example";
  env.timeouts.connect = std::chrono::milliseconds(2000);
  env.timeouts.greeting = std::chrono::milliseconds(1500);
  env.timeouts.command = std::chrono::milliseconds(1500);
  env.timeouts.handshake = std::chrono::milliseconds(2000);
  env.timeouts.quit = std::chrono::milliseconds(1000);
  env.timeouts.session = std::chrono::milliseconds(8000);
  return env;
}

AddressFacts ProbeOne(TestLoop& loop, Fleet& fleet, sim::SimSmtpServer* server, PlanOptions plan,
                      ProbeTimeouts timeouts, const tls::ClientContexts* contexts) {
  AddressFacts out;
  if (server == nullptr) return out;
  ProbeEnv env = FastEnv(loop.get());
  if (contexts != nullptr) env.contexts = contexts;
  if (timeouts.greeting != ProbeTimeouts{}.greeting) env.timeouts = timeouts;
  PolitenessOptions politeness;
  // Short, but long enough for the server to see the previous session's close before the next
  // one connects (both share this loop).
  politeness.per_address_gap = std::chrono::milliseconds(20);
  Scheduler scheduler(loop.get(), politeness);
  ProberOptions options;
  options.plan = plan;
  options.tempfail_backoff = std::chrono::milliseconds(50);
  AddressTarget target;
  IpAddress::Parse(server->config().address, &target.ip);
  target.port = server->port();
  target.host_name = server->config().host_name;
  bool done = false;
  ProbeAddress(env, scheduler, options, target, [&](AddressFacts facts) {
    out = std::move(facts);
    done = true;
    scheduler.Close(nullptr);
    fleet.CloseAll();
  });
  uv_run(loop.get(), UV_RUN_DEFAULT);
  EXPECT_TRUE(done);
  return out;
}

}  // namespace mxsweep::testing
