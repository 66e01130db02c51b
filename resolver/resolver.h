// resolver.h: asynchronous DNS for the sweep: MX sets with every address of every MX host.
//
// One implementation runs c-ares on the sweep's libuv loop (ares_resolver.h); tests may supply a
// fake. Callbacks run on the loop thread, never synchronously from the call that started them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip_address.h"

namespace mxsweep::resolver {

// DnsStatus is the outcome of one lookup. Each DNS case of DESIGN.md §2 keeps its own value.
enum class DnsStatus : uint8_t {
  kOk,
  kNxDomain,    // the name does not exist
  kNoData,      // the name exists but has no record of the asked type
  kServFail,    // the server failed (SERVFAIL, or REFUSED)
  kTimeout,     // no answer from any server
  kBadName,     // the name is not a valid domain name
  kError,       // anything else (detail says what)
};

std::string_view DnsStatusName(DnsStatus status);

enum class Family : uint8_t { kAny, kIpv4, kIpv6 };

// HostResult: the addresses of one name (A and/or AAAA).
struct HostResult {
  DnsStatus status = DnsStatus::kError;
  std::vector<IpAddress> addresses;  // in answer order, A first then AAAA
  std::string canonical_name;        // set when the name was an alias (CNAME)
  std::string detail;
};

struct MxHost {
  uint16_t preference = 0;
  std::string name;                  // as published, lower-case, no trailing dot
  HostResult address;                // lookup of |name|
  bool is_cname = false;             // |name| was a CNAME (RFC 2181 §10.3): followed and flagged
};

struct MxResult {
  DnsStatus status = DnsStatus::kError;  // of the MX query itself
  bool null_mx = false;                  // "MX 0 ." (RFC 7505): accepts no mail
  bool implicit_mx = false;              // no MX, domain's own A/AAAA used (RFC 5321 §5.1)
  std::vector<MxHost> hosts;             // sorted by preference, then name
  std::string detail;
};

using MxCallback = std::function<void(const MxResult&)>;
using HostCallback = std::function<void(const HostResult&)>;

class Resolver {
 public:
  virtual ~Resolver() = default;

  // ResolveMx looks up |domain|'s MX set, then the addresses of every MX host (or the domain's
  // own addresses for an implicit MX), restricted to |family|.
  virtual void ResolveMx(const std::string& domain, Family family, MxCallback done) = 0;

  // ResolveHost looks up the A/AAAA records of |name|.
  virtual void ResolveHost(const std::string& name, Family family, HostCallback done) = 0;

  // Close cancels outstanding queries (their callbacks run with kError and detail "cancelled",
  // from the loop, not from inside Close) and closes every libuv handle; |closed| runs once the
  // last handle's close callback has. No Resolve* call may follow Close, and the resolver may be
  // deleted only once |closed| has run.
  virtual void Close(std::function<void()> closed) = 0;
};

}  // namespace mxsweep::resolver
