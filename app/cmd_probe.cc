// cmd_probe.cc: `mxsweep probe HOST...` — every probe against every address of a few mail
// servers, all at once on one loop (the politeness rules still hold per address).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "app/commands.h"
#include "app/engine_setup.h"
#include "app/loop_util.h"
#include "output/host_report.h"
#include "scanner/engine/address_prober.h"
#include "scanner/engine/scheduler.h"

namespace mxsweep::app {
namespace {

// SplitHostPort reads HOST, HOST:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 address (more than
// one ':') is a host without a port. |*port| keeps |default_port| when none is given. It returns
// false with |*error| for a port outside 1-65535 or a malformed bracket.
bool SplitHostPort(const std::string& arg, uint16_t default_port, std::string* host, uint16_t* port,
                   std::string* error) {
  *host = arg;
  *port = default_port;
  std::string port_text;
  if (!arg.empty() && arg.front() == '[') {
    size_t close = arg.find(']');
    if (close == std::string::npos || (close + 1 < arg.size() && arg[close + 1] != ':')) {
      *error = "'" + arg + "': use [IPv6]:PORT";
      return false;
    }
    *host = arg.substr(1, close - 1);
    if (close + 1 < arg.size()) port_text = arg.substr(close + 2);
    else return true;
  } else if (std::count(arg.begin(), arg.end(), ':') == 1) {
    size_t colon = arg.find(':');
    *host = arg.substr(0, colon);
    port_text = arg.substr(colon + 1);
  } else {
    return true;
  }
  long value = 0;
  bool digits = !port_text.empty() && port_text.size() <= 5 &&
                port_text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) value = std::stol(port_text);
  if (!digits || value < 1 || value > 65535) {
    *error = "'" + arg + "': the port must be between 1 and 65535";
    return false;
  }
  *port = static_cast<uint16_t>(value);
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
    // HOST:PORT probes that port for this host; --port is the default for the others.
    std::string host;
    uint16_t port = common.target_port;
    if (!SplitHostPort(arg, common.target_port, &host, &port, &error)) {
      std::fprintf(stderr, "mxsweep probe: %s\n", error.c_str());
      return kExitUsage;
    }
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
