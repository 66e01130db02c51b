#include "app/resolver_check.h"

// The ARES_* statuses come with ares_loop.h (only the glue names c-ares headers itself).
#include "resolver/ares_loop.h"

namespace mxsweep::app {
namespace {

constexpr uint16_t kTypeNs = 2;

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
