#include "app/loop_util.h"

#include <netdb.h>

#include <memory>

#include "resolver/ares_resolver.h"

namespace mxsweep::app {

LoopHolder::LoopHolder() { uv_loop_init(&loop_); }

LoopHolder::~LoopHolder() {
  uv_walk(&loop_, [](uv_handle_t* h, void*) {
    if (!uv_is_closing(h)) uv_close(h, nullptr);
  }, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

HostLookupResult LookupHost(uv_loop_t* loop, const std::string& host, const CommonOptions& common,
                            std::string* error) {
  HostLookupResult result;
  IpAddress literal;
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
  if (IpAddress::Parse(bare, &literal)) {
    result.ok = true;
    result.addresses.push_back(literal);
    return result;
  }
  if (!common.resolvers.empty()) {
    // An explicit DNS server: ask it directly with c-ares, as the sweep does.
    resolver::AresOptions options;
    options.servers = common.resolvers;
    std::unique_ptr<resolver::AresResolver> dns = resolver::MakeAresResolver(loop, options, error);
    if (!dns) return result;
    resolver::Family family = common.ipv4_only   ? resolver::Family::kIpv4
                              : common.ipv6_only ? resolver::Family::kIpv6
                                                 : resolver::Family::kAny;
    resolver::HostResult answer;
    dns->ResolveHost(host, family, [&](const resolver::HostResult& r) {
      answer = r;
      dns->Close(nullptr);
    });
    uv_run(loop, UV_RUN_DEFAULT);
    if (answer.status != resolver::DnsStatus::kOk || answer.addresses.empty()) {
      result.no_address = answer.status == resolver::DnsStatus::kOk ||
                          answer.status == resolver::DnsStatus::kNoData ||
                          answer.status == resolver::DnsStatus::kNxDomain;
      *error = "cannot resolve " + host + ": " + std::string(resolver::DnsStatusName(answer.status)) +
               (answer.detail.empty() ? "" : " (" + answer.detail + ")");
      return result;
    }
    result.ok = true;
    result.addresses = answer.addresses;
    return result;
  }
  addrinfo hints{};
  hints.ai_family = common.ipv4_only ? AF_INET : common.ipv6_only ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  uv_getaddrinfo_t req;
  int rc = uv_getaddrinfo(loop, &req, nullptr, host.c_str(), nullptr, &hints);
  if (rc != 0) {
    *error = "cannot resolve " + host + ": " + uv_strerror(rc);
    result.no_address = rc == UV_EAI_NONAME || rc == UV_EAI_NODATA;
    return result;
  }
  for (addrinfo* ai = req.addrinfo; ai != nullptr; ai = ai->ai_next) {
    IpAddress addr;
    if (IpAddress::FromSockaddr(ai->ai_addr, &addr)) {
      bool seen = false;
      for (const IpAddress& a : result.addresses) seen = seen || a == addr;
      if (!seen) result.addresses.push_back(addr);
    }
  }
  uv_freeaddrinfo(req.addrinfo);
  if (result.addresses.empty()) {
    *error = "cannot resolve " + host + ": no address";
    result.no_address = true;
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace mxsweep::app
