#include "app/options.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/ip_address.h"
#include "base/host_port.h"
#include "tls/tls_version.h"

namespace mxsweep::app {
namespace {

bool ToMillis(double seconds, const char* name, std::chrono::milliseconds* out, std::string* error) {
  if (!(seconds > 0) || seconds > 24 * 3600 || std::isnan(seconds)) {
    *error = std::string("--") + name + " must be between 0 and 86400 seconds";
    return false;
  }
  *out = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  return true;
}

// The most sessions that could ever be open at once: Linux's default fs.nr_open, the ceiling of
// any process's open-file limit. Below it, the process's own limit caps --concurrency with a notice.
constexpr int64_t kMaxConcurrency = 1 << 20;

// CheckResolver accepts IP, IPv4:PORT, [IPv6] and [IPv6]:PORT, as c-ares reads them.
bool CheckResolver(const std::string& entry, std::string* error) {
  HostPort server;
  HostPortError split = SplitHostPort(entry, &server);
  IpAddress address;
  if (split == HostPortError::kPort && IpAddress::Parse(server.host, &address)) {
    *error = "--resolver " + entry + ": the port must be between 1 and 65535";
    return false;
  }
  if (split != HostPortError::kNone || !IpAddress::Parse(server.host, &address)) {
    *error = "--resolver " + entry + ": not an IP address (use IP, IP:PORT or [IPv6]:PORT)";
    return false;
  }
  return true;
}

}  // namespace

bool CheckRange(int64_t value, int64_t low, int64_t high, const char* flag, std::string* error) {
  if (value >= low && value <= high) return true;
  *error = std::string(flag) + " must be between " + std::to_string(low) + " and " + std::to_string(high);
  return false;
}

bool CommonOptions::Validate(std::string* error) {
  if (!CheckRange(port, 1, 65535, "--port", error)) return false;
  target_port = static_cast<uint16_t>(port);
  for (const std::string& resolver : resolvers) {
    if (!CheckResolver(resolver, error)) return false;
  }
  if (ipv4_only && ipv6_only) {
    *error = "-4 and -6 exclude each other";
    return false;
  }
  if (!ToMillis(connect_timeout, "connect-timeout", &timeouts.connect, error) ||
      !ToMillis(greeting_timeout, "greeting-timeout", &timeouts.greeting, error) ||
      !ToMillis(command_timeout, "command-timeout", &timeouts.command, error) ||
      !ToMillis(handshake_timeout, "handshake-timeout", &timeouts.handshake, error) ||
      !ToMillis(session_timeout, "session-timeout", &timeouts.session, error)) {
    return false;
  }
  if (!ca_file.empty() && access(ca_file.c_str(), R_OK) != 0) {
    *error = "--ca-file " + ca_file + ": " + std::strerror(errno);
    return false;
  }
  if (!CheckRange(concurrency, 1, kMaxConcurrency, "--concurrency", error)) return false;
  if (!CheckRange(per_network, 0, kMaxConcurrency, "--per-network", error)) return false;
  if (!(per_address_gap >= 0) || per_address_gap > 3600) {
    *error = "--per-address-gap must be between 0 and 3600 seconds";
    return false;
  }
  // There is no "unlimited": 0, a negative rate or infinity is a mistake, not a setting (the
  // scheduler refuses them too).
  if (!(rate > 0) || !std::isfinite(rate)) {
    *error = "--rate must be a number of new connections per second above 0";
    return false;
  }
  // Every session holds one descriptor; the resolver, outputs and stdio need a few more.
  constexpr size_t kReservedFiles = 64;
  rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      static_cast<rlim_t>(concurrency) + kReservedFiles > files.rlim_cur) {
    int64_t capped = files.rlim_cur > kReservedFiles * 2 ? static_cast<int64_t>(files.rlim_cur - kReservedFiles) : 1;
    notice = "--concurrency " + std::to_string(concurrency) + " capped to " + std::to_string(capped) +
             " by the open-file limit (" + std::to_string(files.rlim_cur) + ")";
    concurrency = capped;
  }
  if (!CheckRange(tempfail_retries, 0, 10, "--tempfail-retries", error)) return false;
  if (!(tempfail_backoff >= 0) || tempfail_backoff > 3600) {
    *error = "--tempfail-backoff must be between 0 and 3600 seconds";
    return false;
  }
  politeness.max_in_flight = static_cast<size_t>(concurrency);
  politeness.per_address_gap = std::chrono::milliseconds(static_cast<int64_t>(per_address_gap * 1000));
  politeness.connect_rate = rate;
  politeness.per_network = static_cast<size_t>(per_network);
  if (ehlo_name.empty()) ehlo_name = DefaultEhloName();
  for (char c : ehlo_name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '[' ||
          c == ']' || c == ':' || c == '_')) {
      *error = "--ehlo-name must be a domain name or an address literal";
      return false;
    }
  }
  if (!versions.empty()) {
    versions_given = true;
    plan.full = true;
    plan.versions.clear();
    if (versions == "all") {
      // The full map: SSL 3.0 (raw hello only) and every TLS version.
      plan.versions = {tls::ProbeKind::kHelloSsl3, tls::ProbeKind::kOnlyTls10, tls::ProbeKind::kOnlyTls11,
                       tls::ProbeKind::kOnlyTls12, tls::ProbeKind::kOnlyTls13};
    } else {
      std::stringstream ss(versions);
      std::string item;
      while (std::getline(ss, item, ',')) {
        uint16_t v;
        tls::ProbeKind kind;
        if (item == "EXO" || item == "exo") {
          kind = tls::ProbeKind::kExo12;
        } else if (!tls::ParseVersionName(item, &v) || !tls::ProbeKindForVersion(v, &kind)) {
          *error = "--versions: unknown version '" + item + "' (use SSL3,TLS1.0,TLS1.1,TLS1.2,TLS1.3,EXO or all)";
          return false;
        }
        plan.versions.push_back(kind);
      }
    }
  }
  return true;
}

std::string DefaultEhloName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host(name);
  if (host.find('.') != std::string::npos) return host;
  // Complete a short name from /etc/hosts rather than DNS: a scanner must not stall at start on
  // a resolver that is not there.
  std::ifstream hosts("/etc/hosts");
  std::string line;
  while (std::getline(hosts, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string addr, first, alias;
    if (!(fields >> addr >> first)) continue;
    bool has_host = first == host;
    std::vector<std::string> names = {first};
    while (fields >> alias) {
      names.push_back(alias);
      if (alias == host) has_host = true;
    }
    if (!has_host) continue;
    for (const std::string& n : names) {
      if (n.rfind(host + ".", 0) == 0) return n;
    }
  }
  return host;
}

}  // namespace mxsweep::app
