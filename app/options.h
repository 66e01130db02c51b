// options.h: the typed configuration of each subcommand, filled by the command line (main.cc)
// and checked by Validate before anything runs.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "scanner/engine/engine_options.h"

namespace mxsweep::app {

// Exit codes, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;     // an I/O or internal error
inline constexpr int kExitUsage = 2;     // bad arguments
inline constexpr int kExitResolve = 3;   // the name does not resolve
inline constexpr int kExitRefused = 4;   // every address is refused by policy
// scan: the sweep finished, but some domains are inconclusive (UNREACHABLE, TEMPFAIL,
// DNS_ERROR). Invalid or duplicate input rows alone do not make it: they are the input's.
inline constexpr int kExitInconclusive = 5;
inline constexpr int kExitInterrupted = 130;  // SIGINT/SIGTERM: finished rows written, --resume continues

// The numbers a user types are read into wide signed fields, so that "-5" or "70000" reaches
// Validate as itself (not wrapped into a size_t or a uint16_t) and is refused with its range.
struct CommonOptions {
  int64_t port = 25;                      // as given; Validate checks it and sets target_port
  std::string ehlo_name;                  // empty: this machine's FQDN
  std::string ca_file;                    // empty: system roots
  bool allow_private = false;
  std::string versions;                   // "" = default plan; "all" or a list like TLS1.0,TLS1.2
  std::vector<std::string> resolvers;     // IP[:PORT]; empty = the system's
  bool ipv4_only = false;
  bool ipv6_only = false;
  // Politeness (see PolitenessOptions for why each default is what it is).
  int64_t concurrency = static_cast<int64_t>(PolitenessOptions{}.max_in_flight);
  double per_address_gap = 2.0;           // seconds
  int64_t per_network = static_cast<int64_t>(PolitenessOptions{}.per_network);  // 0: no limit
  double rate = PolitenessOptions{}.connect_rate;
  int64_t tempfail_retries = ProberOptions{}.max_tempfail_retries;
  double tempfail_backoff = 30;           // seconds before the first retry after a 421
  double connect_timeout = 10, greeting_timeout = 35, command_timeout = 20, handshake_timeout = 20,
         session_timeout = 120;           // seconds

  // Derived by Validate.
  uint16_t target_port = 25;
  ProbeTimeouts timeouts;
  PolitenessOptions politeness;
  PlanOptions plan;
  std::string notice;  // set by Validate when it had to adjust a value (printed by the command)
  bool versions_given = false;

  // Validate checks the values and fills the derived fields; on failure it returns false with a
  // one-line |*error|.
  bool Validate(std::string* error);
};

struct ProbeOptions {
  CommonOptions common;
  std::vector<std::string> hosts;  // one or more MX host names or addresses (domains with |mx|)
  bool json = false;
  bool mx = false;  // the arguments are domains: probe their MX hosts
};

// CheckRange reports whether |value| of the option |flag| lies in [|low|, |high|]; if not, it sets
// |*error| to "FLAG must be between LOW and HIGH".
bool CheckRange(int64_t value, int64_t low, int64_t high, const char* flag, std::string* error);

// DefaultEhloName returns this machine's fully qualified name (from gethostname, completed from
// /etc/hosts when it has no dot), never a target's name.
std::string DefaultEhloName();

struct ScanOptions {
  CommonOptions common;
  std::string input;          // path or "-"
  std::string output = "-";   // domain CSV: path or "-"
  std::string hosts;          // JSONL of every address, empty = none
  std::string exclude_file;
  bool force = false;         // overwrite existing output files
  bool resume = false;        // skip domains already in the output CSV, append to the outputs
  bool keep_going = false;    // sweep on even when most recent domains end in DNS_ERROR
  int64_t max_domains_in_flight = 20000;  // as given; CheckScanOptions checks the range
  // Seconds between status lines on a stderr that is no terminal (cron, CI, a pipe); on a
  // terminal the live line is redrawn every second instead. 0: neither.
  double progress_every = 60;
  std::vector<std::string> allowed_ranges;  // set by the demo only (SweepConfig)
};

struct DemoOptions {
  std::string output = "demo.csv";
  std::string hosts;
  bool force = false;         // overwrite existing output files, as scan's --force
};

}  // namespace mxsweep::app
