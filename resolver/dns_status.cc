#include "resolver/resolver.h"

namespace mxsweep::resolver {

std::string_view DnsStatusName(DnsStatus status) {
  switch (status) {
    case DnsStatus::kOk: return "ok";
    case DnsStatus::kNxDomain: return "nxdomain";
    case DnsStatus::kNoData: return "nodata";
    case DnsStatus::kServFail: return "servfail";
    case DnsStatus::kTimeout: return "timeout";
    case DnsStatus::kBadName: return "bad-name";
    case DnsStatus::kError: return "error";
  }
  return "error";
}

}  // namespace mxsweep::resolver
