#include "app/resolver_check.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include "base/host_port.h"
#include "base/ip_address.h"
// The ARES_* statuses come with ares_loop.h (only the glue names c-ares headers itself).
#include "resolver/ares_loop.h"

namespace mxsweep::app {
namespace {

constexpr uint16_t kTypeNs = 2;

// UdpServerAnswers sends one NS query for "." to |entry| and waits up to |timeout| for any
// reply carrying its id. Any reply counts — REFUSED too (an authoritative-only server such as a
// lab's NSD refuses the root, yet answers for its zones) — which c-ares 1.18 cannot tell from a
// closed port; a closed port (ICMP unreachable) or silence does not.
bool UdpServerAnswers(uv_loop_t* loop, const std::string& entry, std::chrono::milliseconds timeout,
                      std::string* why) {
  HostPort server;
  IpAddress ip;
  if (SplitHostPort(entry, &server) != HostPortError::kNone || !IpAddress::Parse(server.host, &ip)) {
    *why = "not an address";
    return false;
  }
  uint16_t port = server.port.value_or(53);
  sockaddr_storage addr;
  socklen_t len = ip.ToSockaddr(port, &addr);
  int fd = socket(addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  uint16_t id = static_cast<uint16_t>(std::random_device{}());
  const uint8_t query[] = {static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0x01, 0x00,
                           0, 1, 0, 0, 0, 0, 0, 0,  // one question
                           0,                       // the root
                           0, kTypeNs, 0, 1};       // NS, IN
  bool answered = false;
  *why = "no reply";
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      send(fd, query, sizeof(query), 0) != static_cast<ssize_t>(sizeof(query))) {
    *why = std::strerror(errno);
  } else {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!answered) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      // Short waits with the loop turning in between: the demo's DNS server lives on this loop.
      uv_run(loop, UV_RUN_NOWAIT);
      pollfd p{fd, POLLIN, 0};
      int rc = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 10)));
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0) break;
      if (rc == 0) continue;
      uint8_t reply[512];
      ssize_t n = recv(fd, reply, sizeof(reply), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        *why = std::strerror(errno);  // ECONNREFUSED: nothing listens there
        break;
      }
      answered = n >= 12 && reply[0] == query[0] && reply[1] == query[1] && (reply[2] & 0x80) != 0;
    }
  }
  close(fd);
  return answered;
}

std::string ServerList(const std::vector<std::string>& servers) {
  if (servers.empty()) return "the system resolvers (/etc/resolv.conf)";
  std::string list;
  for (const std::string& server : servers) {
    if (!list.empty()) list += ", ";
    list += server;
  }
  return list;
}

}  // namespace

bool ResolversAnswer(uv_loop_t* loop, const std::vector<std::string>& servers,
                     std::chrono::milliseconds timeout, std::string* error) {
  if (!servers.empty()) {
    std::string reasons;
    for (const std::string& server : servers) {
      std::string why;
      if (UdpServerAnswers(loop, server, timeout, &why)) return true;
      if (!reasons.empty()) reasons += ", ";
      reasons += server + ": " + why;
    }
    *error = "no DNS resolver answers (" + reasons +
             "); nothing was swept. Check --resolver, or the resolver itself";
    return false;
  }
  resolver::AresOptions options;
  options.servers = servers;
  options.timeout = timeout;
  // One try: a resolver that loses the only packet of an idle moment is rare, and the check
  // must not hold up the start of every sweep for long.
  options.tries = 1;
  resolver::AresLoop ares(loop);
  if (!ares.Init(options, error)) {
    *error = "DNS: " + *error;
    return false;
  }
  bool done = false;
  int status = ARES_ETIMEOUT;
  ares.Query(".", kTypeNs, [&](int s, const uint8_t*, size_t) {
    status = s;
    done = true;
  });
  // UV_RUN_ONCE, not DEFAULT: the demo's simulated world shares the loop and never lets it end.
  while (!done && uv_run(loop, UV_RUN_ONCE) != 0) {
  }
  bool closed = false;
  ares.Close([&] { closed = true; });
  while (!closed && uv_run(loop, UV_RUN_ONCE) != 0) {
  }
  switch (status) {
    case ARES_ETIMEOUT:
    case ARES_ECONNREFUSED:
    case ARES_EREFUSED:
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION:
      break;
    default:
      if (done) return true;  // a reply, whatever its rcode
      break;
  }
  *error = "no DNS resolver answers (" + ServerList(servers) + ": " +
           (done ? ares_strerror(status) : "no reply") +
           "); nothing was swept. Check --resolver, or the resolver itself";
  return false;
}

}  // namespace mxsweep::app
