// proc_util.h: child processes for the benchmarks — the simulated fleet, mxsweep itself, peers —
// with their whole-process wall and CPU time from wait4.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace mxsweep::bench {

// SelfDir is the directory of the running executable (build/bench).
std::string SelfDir();

// SpawnFleet starts `mxsweep-sim-fleet ARGS` and waits for its READY line. Exits on failure.
pid_t SpawnFleet(const std::vector<std::string>& args);

struct ChildUsage {
  int status = -1;
  double wall_s = 0;
  double user_s = 0, sys_s = 0;
  long maxrss_kib = 0;
  double cpu_s() const { return user_s + sys_s; }
};

// StopChild sends SIGTERM and reaps |pid|.
ChildUsage StopChild(pid_t pid);

// RunChild runs argv to completion with stdout/stderr redirected to files (empty: inherited).
ChildUsage RunChild(const std::vector<std::string>& argv, const std::string& stdout_path,
                    const std::string& stderr_path);

// RssKib reads VmRSS (or VmHWM with |peak|) of this process from /proc/self/status.
long RssKib(bool peak);

// Median of a copy of |v|.
double Median(std::vector<double> v);

}  // namespace mxsweep::bench
