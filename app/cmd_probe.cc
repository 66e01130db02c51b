// cmd_probe.cc: `mxsweep probe HOST...` — every probe against every address of a few mail
// servers, all at once on one loop (the politeness rules still hold per address). With --mx the
// arguments are domains, and their MX hosts are the servers (probe_mx.h).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "app/commands.h"
#include "app/engine_setup.h"
#include "app/loop_util.h"
#include "app/probe_mx.h"
#include "base/host_port.h"
#include "input/domain_input.h"
#include "output/host_report.h"
#include "scanner/engine/address_prober.h"
#include "scanner/engine/scheduler.h"

namespace mxsweep::app {
namespace {

// ResolveHost finds the addresses of one host name (or takes an address literal). A name
// without an address that is a domain with MX hosts gets the hint to use --mx. Returns kExitOk,
// or kExitResolve after printing why.
int ResolveHost(uv_loop_t* loop, const std::string& host, const CommonOptions& common,
                std::vector<ProbeHost>* hosts) {
  std::string error;
  HostLookupResult lookup = LookupHost(loop, host, common, &error);
  if (!lookup.ok) {
    // Users give `probe` a domain as often as an MX host: say what it is, not only "nodata".
    std::string hint = lookup.no_address ? MxHint(loop, host, common) : "";
    std::fprintf(stderr, "mxsweep probe: %s\n", (hint.empty() ? error : hint).c_str());
    return kExitResolve;
  }
  hosts->push_back({host, lookup.addresses});
  return kExitOk;
}

// ResolveDomain (--mx) finds the MX hosts of a domain and their addresses. Returns kExitOk,
// kExitUsage for a name that is no domain, or kExitResolve when there is nothing to probe.
int ResolveDomain(uv_loop_t* loop, const std::string& text, const CommonOptions& common,
                  std::vector<ProbeHost>* hosts) {
  std::string domain, error;
  InputErrorKind kind;
  if (!NormaliseDomain(text, &domain, &kind, &error)) {
    std::fprintf(stderr, "mxsweep probe: --mx %s\n", error.c_str());
    return kExitUsage;
  }
  std::vector<std::string> notes;
  bool ok = MxHostsOf(loop, domain, common, hosts, &notes, &error);
  for (const std::string& note : notes) std::fprintf(stderr, "mxsweep probe: %s\n", note.c_str());
  if (!ok) {
    std::fprintf(stderr, "mxsweep probe: %s\n", error.c_str());
    return kExitResolve;
  }
  return kExitOk;
}

// AddTargets queues every address of |host| that |policy| allows, and names the others. It
// returns false when none is allowed.
bool AddTargets(const ProbeHost& host, uint16_t port, const TargetPolicy& policy,
                std::vector<AddressTarget>* targets) {
  std::vector<std::string> refusals;
  size_t before = targets->size();
  for (const IpAddress& ip : host.addresses) {
    std::string_view range = RefusedRange(ip, policy);
    if (!range.empty()) {
      refusals.push_back(ip.ToString() + " is in the " + std::string(range) + " range");
      continue;
    }
    targets->push_back({ip, port, host.name});
  }
  if (targets->size() == before) {
    std::fprintf(stderr, "mxsweep probe: refusing %s: %s (use --allow-private to probe it)\n",
                 host.name.c_str(), refusals.empty() ? "no address" : refusals.front().c_str());
    return false;
  }
  for (const std::string& r : refusals) {
    std::fprintf(stderr, "mxsweep probe: skipping %s (use --allow-private to probe it)\n", r.c_str());
  }
  return true;
}

}  // namespace

int RunProbe(ProbeOptions& options) {
  std::string error;
  CommonOptions& common = options.common;
  if (!common.Validate(&error)) {
    std::fprintf(stderr, "mxsweep probe: %s\n", error.c_str());
    return kExitUsage;
  }
  if (!common.notice.empty()) std::fprintf(stderr, "mxsweep probe: %s\n", common.notice.c_str());
  if (!common.versions_given) {
    // A single host is cheap to map completely: auto plus every forced version.
    common.plan.full = true;
  }
  LoopHolder loop;
  EngineSetup engine;
  if (!SetUpEngine(common, loop.get(), "probe", &engine, &error)) {
    std::fprintf(stderr, "mxsweep probe: %s\n", error.c_str());
    return kExitError;
  }
  std::vector<AddressTarget> targets;
  int failure = kExitOk;
  for (const std::string& arg : options.hosts) {
    // HOST:PORT probes that port for this host (with --mx: for the domain's MX hosts); --port
    // is the default for the others.
    HostPort named;
    switch (SplitHostPort(arg, &named)) {
      case HostPortError::kNone: break;
      case HostPortError::kBracket:
        std::fprintf(stderr, "mxsweep probe: '%s': use [IPv6]:PORT\n", arg.c_str());
        return kExitUsage;
      case HostPortError::kPort:
        std::fprintf(stderr, "mxsweep probe: '%s': the port must be between 1 and 65535\n", arg.c_str());
        return kExitUsage;
    }
    uint16_t port = named.port.value_or(common.target_port);
    std::vector<ProbeHost> hosts;
    int lookup_failure = options.mx ? ResolveDomain(loop.get(), named.host, common, &hosts)
                                    : ResolveHost(loop.get(), named.host, common, &hosts);
    if (lookup_failure != kExitOk) {
      if (lookup_failure == kExitUsage) return kExitUsage;
      failure = lookup_failure;
      continue;
    }
    for (const ProbeHost& host : hosts) {
      if (!AddTargets(host, port, engine.targets, &targets) && failure == kExitOk) failure = kExitRefused;
    }
  }
  if (targets.empty()) return failure;

  Scheduler scheduler(loop.get(), common.politeness);

  // Each address is printed as soon as it and every address before it are done: the output keeps
  // the order of the command line, and a long probe (a greet-pausing server, a tempfail retry)
  // holds back only what follows it, not what finished before it.
  std::vector<std::optional<AddressFacts>> results(targets.size());
  size_t printed = 0;
  int write_error = 0;  // the first errno of a failed write (a full disk, a closed pipe)
  auto print_ready = [&] {
    for (; printed < results.size() && results[printed]; printed++) {
      const AddressFacts& facts = *results[printed];
      std::string text = options.json ? HostJson(facts) + "\n" : HostTable(facts) + "\n";
      if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() && write_error == 0) {
        write_error = errno != 0 ? errno : EIO;
      }
    }
    if (std::fflush(stdout) != 0 && write_error == 0) write_error = errno != 0 ? errno : EIO;
  };
  size_t remaining = targets.size();
  for (size_t i = 0; i < targets.size(); i++) {
    ProbeAddress(engine.env, scheduler, engine.prober, targets[i], [&, i](AddressFacts facts) {
      results[i] = std::move(facts);
      print_ready();
      if (--remaining == 0) scheduler.Close(nullptr);
    });
  }
  uv_run(loop.get(), UV_RUN_DEFAULT);
  if (write_error != 0) {
    std::fprintf(stderr, "mxsweep probe: cannot write the results: %s\n", std::strerror(write_error));
    return kExitError;
  }
  // A host that did not resolve or was refused still fails the command, after the others ran.
  return failure;
}

}  // namespace mxsweep::app
