#include "resolver/mx_policy.h"

#include <algorithm>
#include <unordered_set>

namespace mxsweep::resolver {
namespace {

// Severity decides which failure a dual-stack lookup reports when neither family had
// addresses: a name that does not exist says most, then the failures that say "unknown".
int Severity(DnsStatus s) {
  switch (s) {
    case DnsStatus::kNxDomain: return 6;
    case DnsStatus::kBadName: return 5;
    case DnsStatus::kTimeout: return 4;
    case DnsStatus::kServFail: return 3;
    case DnsStatus::kError: return 2;
    case DnsStatus::kNoData: return 1;
    case DnsStatus::kOk: return 0;
  }
  return 0;
}

void AddNote(std::string* detail, const std::string& note) {
  if (!detail->empty()) *detail += "; ";
  *detail += note;
}

}  // namespace

MxSelection SelectMxHosts(std::vector<MxRecord> records, size_t max_hosts) {
  MxSelection selection;
  auto is_null = [](const MxRecord& r) { return r.host.empty(); };
  bool has_null = std::any_of(records.begin(), records.end(), is_null);
  if (has_null && records.size() == 1) {
    selection.null_mx = true;
    return selection;
  }
  if (has_null) {
    records.erase(std::remove_if(records.begin(), records.end(), is_null), records.end());
    AddNote(&selection.detail, "null MX ignored: published beside other MX records");
  }
  std::sort(records.begin(), records.end(), [](const MxRecord& a, const MxRecord& b) {
    return a.preference != b.preference ? a.preference < b.preference : a.host < b.host;
  });
  // The same host twice is one place for mail: keep it at its best preference. A set, not a
  // scan of |hosts|: a 64 KiB answer holds thousands of records.
  std::unordered_set<std::string> seen;
  for (MxRecord& r : records) {
    if (seen.insert(r.host).second) selection.hosts.push_back(std::move(r));
  }
  if (max_hosts != 0 && selection.hosts.size() > max_hosts) {
    AddNote(&selection.detail, std::to_string(selection.hosts.size()) + " MX hosts, only the " +
                                   std::to_string(max_hosts) + " most preferred kept");
    selection.hosts.resize(max_hosts);
  }
  return selection;
}

MxResult ImplicitMx(const std::string& domain, const HostResult& own) {
  MxResult r;
  if (own.status == DnsStatus::kOk) {
    r.status = DnsStatus::kOk;
    r.implicit_mx = true;
    MxHost host;
    host.name = domain;
    host.address = own;
    host.is_cname = !own.canonical_name.empty();
    r.hosts.push_back(std::move(host));
    return r;
  }
  // No MX and no address is a domain without mail; no MX and a failed address lookup (timeout,
  // SERVFAIL) is a DNS error that a rescan may get past.
  bool no_address = own.status == DnsStatus::kNoData || own.status == DnsStatus::kNxDomain;
  r.status = no_address ? DnsStatus::kNoData : own.status;
  r.detail = "no MX; address lookup: " + std::string(DnsStatusName(own.status));
  if (!own.detail.empty()) r.detail += " (" + own.detail + ")";
  return r;
}

HostResult CombineFamilies(const HostResult& v4, const HostResult& v6) {
  HostResult h;
  h.addresses = v4.addresses;
  h.addresses.insert(h.addresses.end(), v6.addresses.begin(), v6.addresses.end());
  h.canonical_name = !v4.canonical_name.empty() ? v4.canonical_name : v6.canonical_name;
  if (!h.addresses.empty()) {
    h.status = DnsStatus::kOk;
    // One family answered; a failure of the other is worth a note, a plain NODATA is not.
    const HostResult& other = v4.addresses.empty() ? v4 : v6;
    if (other.addresses.empty() && other.status != DnsStatus::kNoData &&
        other.status != DnsStatus::kOk) {
      h.detail = std::string(&other == &v4 ? "A: " : "AAAA: ") +
                 std::string(DnsStatusName(other.status));
      if (!other.detail.empty()) h.detail += " (" + other.detail + ")";
    }
    return h;
  }
  const HostResult& worse = Severity(v4.status) >= Severity(v6.status) ? v4 : v6;
  h.status = worse.status;
  h.detail = worse.detail;
  return h;
}

HostResult CapAddresses(HostResult host, size_t max) {
  if (max == 0 || host.addresses.size() <= max) return host;
  AddNote(&host.detail, std::to_string(host.addresses.size()) + " addresses, only the first " +
                            std::to_string(max) + " kept");
  host.addresses.resize(max);
  return host;
}

HostResult LiteralHost(const IpAddress& literal, Family family) {
  HostResult h;
  bool wanted = family == Family::kAny || (family == Family::kIpv4 && literal.family == AF_INET) ||
                (family == Family::kIpv6 && literal.family == AF_INET6);
  if (wanted) {
    h.status = DnsStatus::kOk;
    h.addresses.push_back(literal);
  } else {
    h.status = DnsStatus::kNoData;
    h.detail = "address literal of the other family";
  }
  return h;
}

}  // namespace mxsweep::resolver
