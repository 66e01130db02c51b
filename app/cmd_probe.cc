// cmd_probe.cc: `mxsweep probe HOST...` — every probe against every address of a few mail
// servers, all at once on one loop (the politeness rules still hold per address).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "app/commands.h"
#include "app/engine_setup.h"
#include "app/loop_util.h"
#include "base/host_port.h"
#include "output/host_report.h"
#include "scanner/engine/address_prober.h"
#include "scanner/engine/scheduler.h"

namespace mxsweep::app {

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
    // HOST:PORT probes that port for this host; --port is the default for the others.
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
    const std::string& host = named.host;
    uint16_t port = named.port.value_or(common.target_port);
    HostLookupResult lookup = LookupHost(loop.get(), host, common, &error);
    if (!lookup.ok) {
      std::fprintf(stderr, "mxsweep probe: %s\n", error.c_str());
      failure = kExitResolve;
      continue;
    }
    std::vector<std::string> refusals;
    size_t before = targets.size();
    for (const IpAddress& ip : lookup.addresses) {
      std::string_view range = RefusedRange(ip, engine.targets);
      if (!range.empty()) {
        refusals.push_back(ip.ToString() + " is in the " + std::string(range) + " range");
        continue;
      }
      targets.push_back({ip, port, host});
    }
    if (targets.size() == before) {
      std::fprintf(stderr, "mxsweep probe: refusing %s: %s (use --allow-private to probe it)\n",
                   host.c_str(), refusals.empty() ? "no address" : refusals.front().c_str());
      if (failure == kExitOk) failure = kExitRefused;
      continue;
    }
    for (const std::string& r : refusals) {
      std::fprintf(stderr, "mxsweep probe: skipping %s (use --allow-private to probe it)\n", r.c_str());
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
