// cmd_demo.cc: `mxsweep demo` — a whole sweep, offline: simulated DNS and mail servers on
// loopback, the real scan path against them (c-ares over UDP, SMTP, TLS), a CSV and a summary.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "app/loop_util.h"
#include "app/commands.h"
#include "app/scan_outputs.h"
#include "sim/demo_world.h"

namespace mxsweep::app {

int RunDemo(DemoOptions& demo) {
  std::string error;
  // Before the simulated world starts: a refused overwrite should cost nothing, and say so as
  // scan does.
  for (const std::string& path : {demo.output, demo.hosts}) {
    int exit_code = kExitError;
    if (!CheckOutputFile(path, demo.force, "use --force to replace it", &error, &exit_code)) {
      std::fprintf(stderr, "mxsweep demo: %s\n", error.c_str());
      return exit_code;
    }
  }
  LoopHolder loop;
  std::unique_ptr<sim::DemoWorld> world = sim::DemoWorld::Start(loop.get(), {}, &error);
  if (!world) {
    std::fprintf(stderr, "mxsweep demo: %s\n", error.c_str());
    return kExitError;
  }
  // The world's servers live on the loop: every way out closes them and lets the loop finish
  // their close callbacks before the world and the loop are destroyed (a scan refused early,
  // say for an output path that cannot be written, never gets to its after-sweep hook).
  bool world_closed = false;
  auto close_world = [&] {
    if (world_closed) return;
    world_closed = true;
    world->Close(nullptr);
  };
  struct Finally {
    std::function<void()> run;
    ~Finally() { run(); }
  } finish_world{[&] {
    if (world_closed) return;
    close_world();
    uv_run(loop.get(), UV_RUN_DEFAULT);
  }};
  std::fprintf(stderr,
               "mxsweep demo: %zu domains served by a DNS server on %s and %zu simulated mail "
               "servers on 127.53.1.x port %u\n",
               world->domains().size(), world->dns_server().c_str(), world->servers().size(),
               world->smtp_port());

  // Give the scanner the demo CA, as a user gives --ca-file for a private PKI.
  char ca_path[] = "/tmp/mxsweep-demo-ca-XXXXXX";
  int ca_fd = mkstemp(ca_path);
  if (ca_fd < 0 || close(ca_fd) != 0 || !world->pki().WriteCaFile(ca_path)) {
    std::fprintf(stderr, "mxsweep demo: cannot write the demo CA to /tmp\n");
    return kExitError;
  }

  ScanOptions scan;
  scan.common.ca_file = ca_path;
  scan.input = "demo";
  scan.output = demo.output;
  scan.hosts = demo.hosts;
  scan.force = demo.force;
  scan.common.resolvers = {world->dns_server()};
  scan.common.port = world->smtp_port();
  // Loopback only: the demo's one MX record into private space must still be refused.
  scan.allowed_ranges = {"loopback"};
  // Demo pace: the politeness rules stay on, with gaps scaled down so a first run takes seconds.
  scan.common.per_address_gap = 0.2;
  scan.common.greeting_timeout = 10;
  scan.common.tempfail_backoff = 0.5;

  std::istringstream input(world->DomainList());
  int rc = RunScan(scan, loop.get(), &input, close_world);
  unlink(ca_path);
  // The demo world has UNREACHABLE, TEMPFAIL and DNS_ERROR domains on purpose (its `expected`
  // column says so): a finished demo is a success, not "some domains inconclusive".
  if (rc == kExitInconclusive) rc = kExitOk;
  if (rc == kExitOk && demo.output != "-") {
    std::fprintf(stderr, "mxsweep demo: wrote %s (the 'expected' column is the verdict DESIGN.md's table gives)\n",
                 demo.output.c_str());
  }
  return rc;
}

}  // namespace mxsweep::app
