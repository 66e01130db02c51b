// sim_fleet.cc: `mxsweep-sim-fleet`, simulated STARTTLS servers (and DNS) in a process of their
// own, so a benchmark can measure the client's CPU alone.
//
//   mxsweep-sim-fleet --servers N [--versions 12|13|legacy|mixed] [--silent]
//                     [--greeting-delay-ms D] [--reply-delay-ms D]
//   mxsweep-sim-fleet --world DOMAINS [--seed S] [--shard I --shards N] [--role dns|smtp|both]
//
// Servers listen on port 25 of 127.<net>.1.1, 127.<net>.1.2, ... (254 per /24; bench_net.h). With --world the
// process serves shard I of the synthetic internet of world.h (hosts whose index % N == I; shard
// 0 also runs the DNS responder on 127.<net>.0.1:53). It prints "READY" on stdout once everything
// listens (--role dns: only the DNS responder; smtp: only servers), and on SIGTERM or SIGINT prints its counters to stderr and exits.
#include <signal.h>
#include <sys/resource.h>
#include <uv.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_net.h"
#include "bench/world.h"
#include "sim/dns_responder.h"
#include "sim/smtp_server.h"
#include "tls/test_pki.h"

using namespace mxsweep;

namespace {

struct Args {
  size_t servers = 0;
  std::string versions = "mixed";
  bool silent = false;
  int greeting_delay_ms = 0;
  int reply_delay_ms = 0;
  size_t world = 0;
  uint64_t seed = 1;
  size_t shard = 0, shards = 1;
  std::string role = "both";  // --world only: "dns", "smtp" or "both"
};

[[noreturn]] void Usage() {
  std::fprintf(stderr, "usage: mxsweep-sim-fleet --servers N [--versions 12|13|legacy|mixed] [--silent]\n"
                       "         [--greeting-delay-ms D] [--reply-delay-ms D]\n"
                       "       mxsweep-sim-fleet --world DOMAINS [--seed S] [--shard I --shards N]\n");
  std::exit(2);
}

uint8_t VersionBits(const std::string& v, size_t i) {
  if (v == "12") return sim::kTls12Bit;
  if (v == "13") return sim::kTls13Bit;
  if (v == "legacy") return sim::kTls10Bit | sim::kTls11Bit;
  // mixed: modern, everything, legacy only, 1.3 only.
  static const uint8_t kMix[] = {sim::kTls12Bit | sim::kTls13Bit, sim::kAllTlsBits,
                                 sim::kTls10Bit | sim::kTls11Bit, sim::kTls13Bit};
  return kMix[i % 4];
}

std::vector<std::unique_ptr<sim::SimSmtpServer>> g_servers;
sim::DnsResponder* g_dns = nullptr;

void PrintCounters() {
  long connections = 0, handshakes = 0, mail = 0, early = 0, max_active = 0;
  for (const auto& s : g_servers) {
    connections += s->stats().connections;
    handshakes += s->stats().handshakes;
    mail += s->stats().mail_commands;
    early += s->stats().early_talkers;
    max_active = std::max<long>(max_active, s->stats().max_active);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::fprintf(stderr,
               "fleet: servers=%zu connections=%ld handshakes=%ld mail_commands=%ld "
               "early_talkers=%ld max_active_per_server=%ld maxrss_kib=%ld\n",
               g_servers.size(), connections, handshakes, mail, early, max_active, ru.ru_maxrss);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; i++) {
    std::string k = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    if (k == "--servers") a.servers = std::stoul(value());
    else if (k == "--versions") a.versions = value();
    else if (k == "--silent") a.silent = true;
    else if (k == "--greeting-delay-ms") a.greeting_delay_ms = std::stoi(value());
    else if (k == "--reply-delay-ms") a.reply_delay_ms = std::stoi(value());
    else if (k == "--world") a.world = std::stoul(value());
    else if (k == "--seed") a.seed = std::stoull(value());
    else if (k == "--shard") a.shard = std::stoul(value());
    else if (k == "--shards") a.shards = std::stoul(value());
    else if (k == "--role") a.role = value();
    else Usage();
  }
  if ((a.servers == 0) == (a.world == 0) || a.shards == 0 || a.shard >= a.shards) Usage();
  signal(SIGPIPE, SIG_IGN);

  uv_loop_t* loop = uv_default_loop();
  std::unique_ptr<tls::TestPki> pki = tls::TestPki::Create();
  if (!pki) {
    std::fprintf(stderr, "mxsweep-sim-fleet: cannot create the test PKI\n");
    return 1;
  }
  std::string error;
  auto start_server = [&](const sim::SimServerConfig& config) {
    auto server = sim::SimSmtpServer::Start(loop, config, *pki, &error);
    if (!server) {
      std::fprintf(stderr, "mxsweep-sim-fleet: %s\n", error.c_str());
      std::exit(1);
    }
    g_servers.push_back(std::move(server));
  };

  std::unique_ptr<sim::DnsResponder> dns;
  if (a.world > 0) {
    bench::World world = bench::MakeWorld(a.world, a.seed);
    if (a.shard == 0 && a.role != "smtp") {
      dns = std::make_unique<sim::DnsResponder>(loop);
      for (const bench::WorldHost& h : world.hosts) dns->zone().AddA(h.name, h.address);
      for (const bench::WorldDomain& d : world.domains) {
        if (d.nxdomain) continue;
        if (d.null_mx) {
          dns->zone().AddMx(d.name, 0, ".");
          continue;
        }
        uint16_t pref = 10;
        for (uint32_t h : d.mx) {
          dns->zone().AddMx(d.name, pref, world.hosts[h].name);
          pref += 10;
        }
      }
      int rc = dns->Start(bench::DnsAddress(), 53);
      if (rc != 0) {
        std::fprintf(stderr, "mxsweep-sim-fleet: DNS on %s:53: %s\n", bench::DnsAddress().c_str(), uv_strerror(rc));
        return 1;
      }
      g_dns = dns.get();
    }
    for (size_t i = a.shard; a.role != "dns" && i < world.hosts.size(); i += a.shards) {
      const bench::WorldHost& h = world.hosts[i];
      if (h.kind == bench::HostKind::kRefused) continue;  // nothing listens there
      sim::SimServerConfig c;
      c.address = h.address;
      c.port = 25;
      c.host_name = h.name;
      c.greeting_delay = h.greeting_delay;
      c.reply_delay = h.reply_delay;
      switch (h.kind) {
        case bench::HostKind::kOk: c.tls_versions = sim::kTls12Bit | sim::kTls13Bit; break;
        case bench::HostKind::kLegacyEnabled: c.tls_versions = sim::kAllTlsBits; break;
        case bench::HostKind::kLegacyOnly: c.tls_versions = sim::kTls10Bit | sim::kTls11Bit; break;
        case bench::HostKind::kTls13Only: c.tls_versions = sim::kTls13Bit; break;
        case bench::HostKind::kNoStartTls: c.advertise_starttls = false; break;
        case bench::HostKind::kDead: c.silent = true; break;
        case bench::HostKind::kTempFail: c.greeting_code = 421; break;
        case bench::HostKind::kRefused: break;
      }
      start_server(c);
    }
  } else {
    for (size_t i = 0; i < a.servers; i++) {
      sim::SimServerConfig c;
      c.address = bench::FleetAddress(i);
      c.port = 25;
      c.host_name = "mx" + std::to_string(i) + ".fleet.sim";
      c.tls_versions = VersionBits(a.versions, i);
      c.silent = a.silent;
      c.greeting_delay = std::chrono::milliseconds(a.greeting_delay_ms);
      c.reply_delay = std::chrono::milliseconds(a.reply_delay_ms);
      start_server(c);
    }
  }

  uv_signal_t sigterm, sigint;
  auto on_signal = [](uv_signal_t*, int) {
    PrintCounters();
    std::fflush(stderr);
    // Thousands of servers and connections: the process is going away, the kernel closes them.
    std::_Exit(0);
  };
  uv_signal_init(loop, &sigterm);
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  uv_signal_init(loop, &sigint);
  uv_signal_start(&sigint, on_signal, SIGINT);
  std::printf("READY %zu servers\n", g_servers.size());
  std::fflush(stdout);
  uv_run(loop, UV_RUN_DEFAULT);
  return 0;
}
