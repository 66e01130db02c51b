#include "app/probe_mx.h"

#include <memory>

#include "resolver/ares_resolver.h"

namespace mxsweep::app {
namespace {

// ResolveMxNow runs one MX lookup (with the addresses of every MX host) to its end.
bool ResolveMxNow(uv_loop_t* loop, const std::string& domain, const CommonOptions& common,
                  resolver::MxResult* out, std::string* error) {
  resolver::AresOptions options;
  options.servers = common.resolvers;  // empty: the system's, as scan uses them
  std::unique_ptr<resolver::AresResolver> dns = resolver::MakeAresResolver(loop, options, error);
  if (!dns) return false;
  resolver::Family family = common.ipv4_only   ? resolver::Family::kIpv4
                            : common.ipv6_only ? resolver::Family::kIpv6
                                               : resolver::Family::kAny;
  dns->ResolveMx(domain, family, [&](const resolver::MxResult& r) {
    *out = r;
    dns->Close(nullptr);
  });
  uv_run(loop, UV_RUN_DEFAULT);
  return true;
}

std::string StatusText(resolver::DnsStatus status, const std::string& detail) {
  std::string text(resolver::DnsStatusName(status));
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

}  // namespace

bool MxHostsOf(uv_loop_t* loop, const std::string& domain, const CommonOptions& common,
               std::vector<ProbeHost>* hosts, std::vector<std::string>* notes, std::string* error) {
  resolver::MxResult mx;
  if (!ResolveMxNow(loop, domain, common, &mx, error)) return false;
  if (mx.null_mx) {
    *error = domain + " accepts no mail: it publishes a null MX (MX 0 ., RFC 7505)";
    return false;
  }
  if (mx.hosts.empty()) {
    *error = "cannot resolve the MX hosts of " + domain + ": " + StatusText(mx.status, mx.detail);
    return false;
  }
  if (mx.implicit_mx) {
    notes->push_back(domain + " has no MX record: probing its own addresses (the implicit MX, RFC 5321 5.1)");
  } else if (!mx.detail.empty()) {
    notes->push_back(domain + ": " + mx.detail);
  }
  size_t before = hosts->size();
  for (const resolver::MxHost& host : mx.hosts) {
    if (host.address.addresses.empty()) {
      notes->push_back("MX host " + host.name + " of " + domain + " has no address: " +
                       StatusText(host.address.status, host.address.detail));
      continue;
    }
    if (!host.address.detail.empty()) notes->push_back(host.name + ": " + host.address.detail);
    hosts->push_back({host.name, host.address.addresses});
  }
  if (hosts->size() == before) {
    *error = "no MX host of " + domain + " has an address";
    return false;
  }
  return true;
}

std::string MxHint(uv_loop_t* loop, const std::string& name, const CommonOptions& common) {
  resolver::MxResult mx;
  std::string error;
  if (!ResolveMxNow(loop, name, common, &mx, &error) || mx.implicit_mx || mx.null_mx || mx.hosts.empty()) {
    return "";
  }
  // A few names say what the domain is; the whole list is --mx's to print.
  constexpr size_t kNamed = 4;
  std::string names;
  for (size_t i = 0; i < mx.hosts.size() && i < kNamed; i++) {
    if (!names.empty()) names += ", ";
    names += mx.hosts[i].name;
  }
  if (mx.hosts.size() > kNamed) names += " and " + std::to_string(mx.hosts.size() - kNamed) + " more";
  return name + " has no address; it is a domain with MX hosts " + names + " (use --mx to probe them)";
}

}  // namespace mxsweep::app
