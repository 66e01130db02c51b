// engine_bench.cc: `mxsweep-bench-engine`, the end-to-end benchmarks. Every server runs in a
// separate `mxsweep-sim-fleet` process on 127.<net>.0.0/16 (bench_net.h: 63 unless
// MXSWEEP_BENCH_NET says otherwise), so the CPU measured here is the client's.
//
//   mxsweep-bench-engine floor
//   mxsweep-bench-engine engine  [--probes N] [--servers S] [--concurrency C] [--version 12|13] [--rounds R]
//                                [--floor 0|1] [--floor-every K] [--floor-alone 0|1]
//   mxsweep-bench-engine waiting [--sessions N] [--servers S]
//   mxsweep-bench-engine world   [--domains N] [--shards K] [--seed S] [--dir DIR] [--scan-args "ARGS"]
//   mxsweep-bench-engine peers   [--hosts K] [--skip-testssl 1]
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_net.h"
#include "bench/floor.h"
#include "bench/proc_util.h"
#include "bench/time_wait.h"
#include "bench/world.h"
#include "scanner/engine/probe_session.h"
#include "tls/client_contexts.h"

using namespace mxsweep;
using namespace mxsweep::bench;

namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> ParseFlags(int argc, char** argv, int first) {
  std::map<std::string, std::string> flags;
  for (int i = first; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
  return flags;
}

size_t Flag(const std::map<std::string, std::string>& f, const std::string& k, size_t def) {
  auto it = f.find(k);
  return it == f.end() ? def : std::stoul(it->second);
}

std::string ServerAddress(size_t i) { return FleetAddress(i); }

double RusageMicros() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

struct Floor {
  double x25519, ecdsa, rsa, tcp, tcp_reset;
  double ecdsa_probe() const { return x25519 + ecdsa + tcp; }
  double rsa_probe() const { return x25519 + rsa + tcp; }
};

// MeasureFloor: medians of five repetitions of each operation.
Floor MeasureFloor() {
  std::vector<double> x, e, r, t, tr;
  for (int i = 0; i < 5; i++) {
    x.push_back(X25519KeygenDeriveMicros(2000));
    e.push_back(EcdsaP256VerifyMicros(1000));
    r.push_back(Rsa2048VerifyMicros(2000));
    t.push_back(TcpConnectCloseMicros(2000));
    tr.push_back(TcpConnectResetMicros(2000));
  }
  Floor f{Median(x), Median(e), Median(r), Median(t), Median(tr)};
  std::printf("floor (median of 5, CPU us per op): X25519 keygen+derive %.1f | ECDSA P-256 verify %.1f | "
              "RSA-2048 verify %.1f | TCP connect+close after the server's FIN %.1f (connect+RST close %.1f)\n",
              f.x25519, f.ecdsa, f.rsa, f.tcp, f.tcp_reset);
  std::printf("floor per probe: ECDSA server %.1f us, RSA server %.1f us\n", f.ecdsa_probe(), f.rsa_probe());
  return f;
}

std::unique_ptr<tls::ClientContexts> Contexts() {
  std::string error;
  auto contexts = tls::ClientContexts::Create("", &error);
  if (!contexts) {
    std::fprintf(stderr, "contexts: %s\n", error.c_str());
    std::exit(1);
  }
  return contexts;
}

// ProbeRun runs |total| probes of |kind| over |servers| addresses, |concurrency| at a time.
struct ProbeRun {
  ProbeEnv env;
  size_t total = 0, started = 0, done = 0, concurrency = 0, servers = 0;
  tls::ProbeKind kind = tls::ProbeKind::kOnlyTls12;
  std::map<std::string, size_t> statuses;
  // With a floor, one floor sample is taken every |floor_every| completions; its CPU is
  // accumulated in |floor_cpu| so that the caller can take it out of the probes' share.
  InterleavedFloor* floor = nullptr;
  size_t floor_every = 4;
  double floor_cpu = 0;

  void Fill() {
    while (started < total && started - done < concurrency) {
      ProbeRequest req;
      IpAddress::Parse(ServerAddress(started % servers), &req.ip);
      req.port = 25;
      req.host_name = "mx" + std::to_string(started % servers) + ".fleet.sim";
      req.kind = kind;
      started++;
      StartProbe(env, req, [this](const ProbeRecord& r, const SessionFacts&) {
        done++;
        statuses[std::string(ProbeStatusName(r.status))]++;
        if (floor != nullptr && done % floor_every == 0) floor_cpu += floor->Sample();
        Fill();
      });
    }
  }
};

std::string StatusLine(const std::map<std::string, size_t>& statuses) {
  std::string s;
  for (const auto& [k, v] : statuses) s += (s.empty() ? "" : ", ") + k + "=" + std::to_string(v);
  return s;
}

int RunEngine(const std::map<std::string, std::string>& flags) {
  size_t probes = Flag(flags, "--probes", 5000);
  size_t servers = Flag(flags, "--servers", 200);
  size_t concurrency = Flag(flags, "--concurrency", 500);
  size_t rounds = Flag(flags, "--rounds", 3);
  size_t floor_every = std::max<size_t>(1, Flag(flags, "--floor-every", 4));
  std::string version = flags.count("--version") ? flags.at("--version") : "13";
  const char* label = version == "12" ? "1.2" : "1.3";
  // --floor 0 skips the floor (for profiling the probes alone); the ratio is then not printed.
  bool with_floor = Flag(flags, "--floor", 1) != 0;
  // The floor measured alone, before the fleet starts, for reference: the ratio uses the floor
  // sampled between the probes (InterleavedFloor), which ran under the probes' conditions.
  // --floor-alone 0 skips it (under valgrind it would take minutes).
  if (with_floor && Flag(flags, "--floor-alone", 1) != 0) {
    Floor alone = MeasureFloor();
    std::printf("(floor above measured alone, fleet idle: %.1f us per ECDSA probe)\n", alone.ecdsa_probe());
  }
  pid_t fleet = SpawnFleet({"--servers", std::to_string(servers), "--versions", version});
  auto contexts = Contexts();
  std::unique_ptr<InterleavedFloor> floor;
  if (with_floor) floor = std::make_unique<InterleavedFloor>();
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::vector<double> per_probe, rate, ratio, floor_per_probe;
  // TIME_WAIT lasts 60 s, longer than a run: what is there at the start is an earlier run's
  // (printed beside the counts; run a minute apart, or on another MXSWEEP_BENCH_NET).
  TimeWaitCount tw0 = CountTimeWait();
  for (size_t round = 0; round < rounds; round++) {
    ProbeRun run;
    run.env.loop = &loop;
    run.env.contexts = contexts.get();
    run.env.smtp.ehlo_name = "bench.mxsweep.test";
    run.total = probes;
    run.concurrency = concurrency;
    run.servers = servers;
    run.kind = version == "12" ? tls::ProbeKind::kOnlyTls12 : tls::ProbeKind::kOnlyTls13;
    run.floor = floor.get();
    run.floor_every = floor_every;
    if (floor) floor->Reset();
    double cpu0 = RusageMicros();
    auto t0 = Clock::now();
    run.Fill();
    uv_run(&loop, UV_RUN_DEFAULT);
    // The floor samples ran on this thread: take their time out of both wall and CPU.
    double wall = std::chrono::duration<double>(Clock::now() - t0).count() - run.floor_cpu / 1e6;
    double cpu = RusageMicros() - cpu0 - run.floor_cpu;
    per_probe.push_back(cpu / static_cast<double>(probes));
    rate.push_back(static_cast<double>(probes) / wall);
    std::printf("round %zu: %zu probes TLS%s in %.2f s = %.0f probes/s, client CPU %.1f us/probe [%s]\n",
                round + 1, probes, label, wall, rate.back(), per_probe.back(), StatusLine(run.statuses).c_str());
    TimeWaitCount tw = CountTimeWait();
    std::printf("  TIME_WAIT sockets on the bench /16 after %zu probes: scanner side %zu, fleet side %zu "
                "(at the start: %zu, %zu)\n",
                probes * (round + 1), tw.scanner_side, tw.server_side, tw0.scanner_side, tw0.server_side);
    if (floor) {
      floor_per_probe.push_back(floor->per_probe());
      ratio.push_back(per_probe.back() / floor->per_probe());
      std::printf("  floor sampled between the probes (%zu samples, CPU us per op): X25519 %.1f | ECDSA P-256 "
                  "verify %.1f | TCP connect+close after the server's FIN %.1f => %.1f us per probe; ratio %.2f "
                  "(with connect+RST close, %.1f us, in its place: %.2f)\n",
                  floor->samples(), floor->x25519(), floor->ecdsa(), floor->tcp(), floor->per_probe(), ratio.back(),
                  floor->tcp_reset(),
                  per_probe.back() / (floor->per_probe() - floor->tcp() + floor->tcp_reset()));
    }
  }
  ChildUsage fleet_usage = StopChild(fleet);
  uv_loop_close(&loop);
  if (floor) {
    std::printf("RESULT engine TLS%s: median %.0f probes/s, client CPU %.1f us/probe, floor %.1f us/probe; "
                "median ratio %.2f (rounds %.2f..%.2f; target <= 1.5); fleet process CPU %.1f s total\n",
                label, Median(rate), Median(per_probe), Median(floor_per_probe), Median(ratio),
                *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()),
                fleet_usage.cpu_s());
  } else {
    std::printf("RESULT engine TLS%s: median %.0f probes/s, client CPU %.1f us/probe (no floor); fleet process "
                "CPU %.1f s total\n", label, Median(rate), Median(per_probe), fleet_usage.cpu_s());
  }
  return 0;
}

int RunWaiting(const std::map<std::string, std::string>& flags) {
  size_t sessions = Flag(flags, "--sessions", 10000);
  size_t servers = Flag(flags, "--servers", 2000);
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  pid_t fleet = SpawnFleet({"--servers", std::to_string(servers), "--silent"});
  auto contexts = Contexts();
  uv_loop_t loop;
  uv_loop_init(&loop);
  ProbeRun run;
  run.env.loop = &loop;
  run.env.contexts = contexts.get();
  run.env.timeouts.greeting = std::chrono::milliseconds(6000);
  run.total = sessions;
  run.concurrency = sessions;
  run.servers = servers;
  long baseline = RssKib(false);
  long peak_rss = baseline;
  size_t fds_at_peak = 0;
  run.Fill();
  // Sample RSS while every session waits for a greeting that never comes.
  uv_timer_t sampler;
  uv_timer_init(&loop, &sampler);
  struct Sample { long* peak; size_t* fds; } sample{&peak_rss, &fds_at_peak};
  sampler.data = &sample;
  uv_timer_start(&sampler, [](uv_timer_t* t) {
    auto* s = static_cast<Sample*>(t->data);
    long rss = RssKib(false);
    if (rss > *s->peak) {
      *s->peak = rss;
      size_t n = 0;
      for (int fd = 0; fd < 20000; fd++) n += fcntl(fd, F_GETFD) != -1;
      *s->fds = n;
    }
  }, 500, 500);
  uv_unref(reinterpret_cast<uv_handle_t*>(&sampler));
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&sampler), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  ChildUsage fleet_usage = StopChild(fleet);
  double per = static_cast<double>(peak_rss - baseline) * 1024 / static_cast<double>(sessions);
  std::printf("RESULT waiting: %zu sessions held by %zu silent servers; client RSS %ld KiB before, "
              "%ld KiB with all waiting (%zu fds open), VmHWM %ld KiB => %.1f KiB per waiting session "
              "(target <= 32); fleet maxrss %ld KiB; open-file limit %lu; outcomes [%s]\n",
              sessions, servers, baseline, peak_rss, fds_at_peak, RssKib(true), per / 1024, fleet_usage.maxrss_kib,
              static_cast<unsigned long>(nofile.rlim_cur), StatusLine(run.statuses).c_str());
  return 0;
}

int RunWorld(const std::map<std::string, std::string>& flags) {
  size_t domains = Flag(flags, "--domains", 100000);
  size_t shards = Flag(flags, "--shards", 2);
  size_t seed = Flag(flags, "--seed", 1);
  std::string dir = flags.count("--dir") ? flags.at("--dir") : "/tmp/mxsweep-world";
  // The simulated internet packs 254 unrelated MX hosts into each /24 of the bench /16, where the
  // real one spreads them over many networks: --per-network 0 by default, so the budget meant
  // for one provider's fleet does not throttle the whole simulation. --scan-args replaces it.
  std::string extra = flags.count("--scan-args") ? flags.at("--scan-args") : "--per-network 0";
  std::system(("mkdir -p " + dir).c_str());
  auto g0 = Clock::now();
  World world = MakeWorld(domains, seed);
  {
    std::ofstream list(dir + "/domains.txt");
    for (const WorldDomain& d : world.domains) list << d.name << "\n";
  }
  std::map<std::string, size_t> kinds, truth;
  for (const WorldHost& h : world.hosts) kinds[HostKindName(h.kind)]++;
  for (const WorldDomain& d : world.domains) truth[d.expected]++;
  std::printf("world: %zu domains, %zu MX hosts (generated in %.1f s); host kinds [%s]; expected [%s]\n",
              domains, world.hosts.size(), std::chrono::duration<double>(Clock::now() - g0).count(),
              StatusLine(kinds).c_str(), StatusLine(truth).c_str());
  // DNS in a process of its own: behind busy TLS servers it was starved into timeouts.
  std::vector<pid_t> fleet;
  fleet.push_back(SpawnFleet({"--world", std::to_string(domains), "--seed", std::to_string(seed), "--role", "dns"}));
  for (size_t s = 0; s < shards; s++) {
    fleet.push_back(SpawnFleet({"--world", std::to_string(domains), "--seed", std::to_string(seed),
                                "--shard", std::to_string(s), "--shards", std::to_string(shards),
                                "--role", "smtp"}));
  }
  std::vector<std::string> argv = {SelfDir() + "/../mxsweep", "scan", dir + "/domains.txt",
                                   "-o", dir + "/out.csv", "--force", "--allow-private",
                                   "--resolver", DnsAddress()};
  std::istringstream extra_in(extra);
  for (std::string a; extra_in >> a;) argv.push_back(a);
  std::string cmd;
  for (const std::string& a : argv) cmd += a + " ";
  std::printf("running: %s\n", cmd.c_str());
  std::fflush(stdout);
  TimeWaitCount tw0 = CountTimeWait();
  ChildUsage scan = RunChild(argv, "", dir + "/scan.err");
  TimeWaitCount tw = CountTimeWait();
  double fleet_cpu = 0;
  for (pid_t p : fleet) fleet_cpu += StopChild(p).cpu_s();
  // Compare every row with the generated truth.
  std::map<std::string, std::string> expected;
  for (const WorldDomain& d : world.domains) expected[d.name] = d.expected;
  std::ifstream out(dir + "/out.csv");
  std::string line;
  std::getline(out, line);  // header
  size_t rows = 0, right = 0;
  std::map<std::string, size_t> wrong;
  while (std::getline(out, line)) {
    size_t c1 = line.find(','), c2 = line.find(',', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    std::string domain = line.substr(0, c1), verdict = line.substr(c1 + 1, c2 - c1 - 1);
    rows++;
    if (expected[domain] == verdict) {
      right++;
    } else if (wrong[expected[domain] + "->" + verdict]++ < 3) {
      std::printf("  mismatch: %s expected %s got %s\n", domain.c_str(), expected[domain].c_str(), verdict.c_str());
    }
  }
  std::string summary;
  std::ifstream err(dir + "/scan.err");
  for (std::string l; std::getline(err, l);) summary += l + "\n";
  std::printf("%s", summary.c_str());
  std::printf("RESULT world: %zu domains, exit %d, wall %.1f s = %.0f domains/s, mxsweep CPU %.1f s "
              "(user %.1f, sys %.1f), peak RSS %ld KiB; fleet CPU %.1f s; verdicts right %zu/%zu rows "
              "(%zu domains) [wrong: %s]\n",
              domains, WEXITSTATUS(scan.status), scan.wall_s, static_cast<double>(domains) / scan.wall_s,
              scan.cpu_s(), scan.user_s, scan.sys_s, scan.maxrss_kib, fleet_cpu, right, rows, domains,
              StatusLine(wrong).c_str());
  std::printf("TIME_WAIT sockets on the bench /16 when the scan ended: scanner side %zu, fleet side %zu "
              "(at the start: %zu, %zu; a socket stays 60 s)\n",
              tw.scanner_side, tw.server_side, tw0.scanner_side, tw0.server_side);
  return right == domains ? 0 : 1;
}

// Versions as a sorted set of "1.0".."1.3" strings, from each tool's own output.
using Versions = std::set<std::string>;

std::string Join(const Versions& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s.empty() ? "-" : s;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Versions MxsweepVersions(const std::string& json) {
  Versions v;
  size_t at = json.find("\"accepted_versions\":[");
  if (at == std::string::npos) return v;
  size_t end = json.find(']', at);
  std::string list = json.substr(at, end - at);
  for (const char* x : {"1.0", "1.1", "1.2", "1.3"}) {
    if (list.find(std::string("TLS") + x) != std::string::npos) v.insert(x);
  }
  return v;
}

Versions TestsslVersions(const std::string& json) {
  Versions v;
  const std::pair<const char*, const char*> ids[] = {
      {"\"TLS1\"", "1.0"}, {"\"TLS1_1\"", "1.1"}, {"\"TLS1_2\"", "1.2"}, {"\"TLS1_3\"", "1.3"}};
  for (auto [id, name] : ids) {
    size_t at = json.find("\"id\"           : " + std::string(id));
    if (at == std::string::npos) at = json.find(std::string("\"id\":") + id);
    if (at == std::string::npos) continue;
    size_t f = json.find("\"finding\"", at);
    size_t eol = json.find('}', at);
    std::string finding = json.substr(f, eol - f);
    if (finding.find("not offered") == std::string::npos && finding.find("offered") != std::string::npos) v.insert(name);
  }
  return v;
}

Versions SslscanVersions(const std::string& xml) {
  Versions v;
  for (const char* x : {"1.0", "1.1", "1.2", "1.3"}) {
    if (xml.find(std::string("type=\"tls\" version=\"") + x + "\" enabled=\"1\"") != std::string::npos) v.insert(x);
  }
  return v;
}

int RunPeers(const std::map<std::string, std::string>& flags) {
  size_t hosts = Flag(flags, "--hosts", 8);
  // testssl.sh takes ~10 s per host; larger runs against sslscan alone skip it.
  bool skip_testssl = flags.count("--skip-testssl") != 0;
  std::string dir = "/tmp/mxsweep-peers";
  std::system(("mkdir -p " + dir).c_str());
  pid_t fleet = SpawnFleet({"--servers", std::to_string(hosts), "--versions", "mixed"});
  std::string mx = SelfDir() + "/../mxsweep";
  struct Tool { const char* name; double wall = 0, cpu = 0; std::vector<Versions> answers; };
  Tool tools[3] = {{"mxsweep", 0, 0, {}}, {"testssl.sh", 0, 0, {}}, {"sslscan", 0, 0, {}}};
  for (size_t i = 0; i < hosts; i++) {
    std::string ip = ServerAddress(i);
    std::string out = dir + "/" + ip;
    ChildUsage u = RunChild({mx, "probe", ip, "--allow-private", "--json", "--per-address-gap", "0",
                             "--versions", "TLS1.0,TLS1.1,TLS1.2,TLS1.3"}, out + ".mxsweep.json", "/dev/null");
    tools[0].wall += u.wall_s;
    tools[0].cpu += u.cpu_s();
    tools[0].answers.push_back(MxsweepVersions(Slurp(out + ".mxsweep.json")));
    std::remove((out + ".testssl.json").c_str());
    if (skip_testssl) {
      tools[1].answers.push_back(tools[0].answers.back());
    } else {
    u = RunChild({"testssl", "--quiet", "--warnings", "off", "--nodns", "none", "-p", "-t", "smtp",
                  "--jsonfile", out + ".testssl.json", ip + ":25"}, "/dev/null", "/dev/null");
    tools[1].wall += u.wall_s;
    tools[1].cpu += u.cpu_s();
    tools[1].answers.push_back(TestsslVersions(Slurp(out + ".testssl.json")));
    }
    u = RunChild({"sslscan", "--starttls-smtp", "--no-ciphersuites", "--no-cipher-details", "--no-groups",
                  "--no-heartbleed", "--no-compression", "--no-fallback", "--no-renegotiation",
                  "--no-check-certificate", "--xml=" + out + ".sslscan.xml", ip + ":25"}, "/dev/null", "/dev/null");
    tools[2].wall += u.wall_s;
    tools[2].cpu += u.cpu_s();
    tools[2].answers.push_back(SslscanVersions(Slurp(out + ".sslscan.xml")));
    std::printf("%s: mxsweep [%s] testssl.sh [%s] sslscan [%s]\n", ip.c_str(), Join(tools[0].answers[i]).c_str(),
                Join(tools[1].answers[i]).c_str(), Join(tools[2].answers[i]).c_str());
  }
  // mxsweep as it is meant to run: one process for every host, sessions in parallel on one loop.
  Tool batch{"mxsweep-1p", 0, 0, {}};
  {
    std::vector<std::string> argv = {mx, "probe"};
    for (size_t i = 0; i < hosts; i++) argv.push_back(ServerAddress(i));
    // The peers have no pacing at all; lift mxsweep's global connection rate (500/s by default)
    // so that the comparison measures the engine, not the politeness budget.
    // Likewise the per-network budget: the fleet's hosts share one /24.
    for (const char* a : {"--allow-private", "--json", "--per-address-gap", "0", "--rate", "100000", "--per-network", "0",
                          "--versions", "TLS1.0,TLS1.1,TLS1.2,TLS1.3"}) {
      argv.push_back(a);
    }
    ChildUsage u = RunChild(argv, dir + "/batch.mxsweep.jsonl", "/dev/null");
    batch.wall = u.wall_s;
    batch.cpu = u.cpu_s();
    std::string all = Slurp(dir + "/batch.mxsweep.jsonl");
    for (size_t i = 0; i < hosts; i++) {
      std::string key = "\"ip\":\"" + ServerAddress(i) + "\"";
      size_t at = all.find(key);
      size_t line_end = at == std::string::npos ? at : all.find('\n', at);
      batch.answers.push_back(at == std::string::npos ? Versions{}
                                                     : MxsweepVersions(all.substr(at, line_end - at)));
    }
  }
  StopChild(fleet);
  for (const Tool& t : tools) {
    size_t same = 0;
    for (size_t i = 0; i < hosts; i++) same += t.answers[i] == tools[0].answers[i];
    std::printf("RESULT peers %-10s: %zu hosts, wall %.2f s, CPU %.2f s; vs mxsweep: wall x%.1f, CPU x%.1f; "
                "same answers as mxsweep on %zu/%zu hosts\n",
                t.name, hosts, t.wall, t.cpu, t.wall / tools[0].wall, t.cpu / tools[0].cpu, same, hosts);
  }
  // The same, against mxsweep probing every host from one process.
  size_t same = 0;
  for (size_t i = 0; i < hosts; i++) same += batch.answers[i] == tools[0].answers[i];
  std::printf("RESULT peers mxsweep one process for all %zu hosts: wall %.2f s, CPU %.2f s, same answers on %zu/%zu; "
              "testssl.sh wall x%.1f CPU x%.1f; sslscan wall x%.1f CPU x%.1f\n",
              hosts, batch.wall, batch.cpu, same, hosts, tools[1].wall / batch.wall, tools[1].cpu / batch.cpu,
              tools[2].wall / batch.wall, tools[2].cpu / batch.cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string mode = argc > 1 ? argv[1] : "";
  auto flags = ParseFlags(argc, argv, 2);
  if (mode == "floor") {
    MeasureFloor();
    return 0;
  }
  if (mode == "engine") return RunEngine(flags);
  if (mode == "waiting") return RunWaiting(flags);
  if (mode == "world") return RunWorld(flags);
  if (mode == "peers") return RunPeers(flags);
  std::fprintf(stderr, "usage: mxsweep-bench-engine floor|engine|waiting|world|peers [--flag value]...\n");
  return 2;
}
