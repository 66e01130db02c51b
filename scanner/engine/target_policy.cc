#include "scanner/engine/target_policy.h"

#include <algorithm>

namespace mxsweep {

std::string_view RefusedRange(const IpAddress& ip, const TargetPolicy& policy) {
  std::string_view range = SpecialRange(ip);
  if (range.empty() || policy.allow_private) return {};
  const std::vector<std::string>& allowed = policy.allowed_ranges;
  if (std::find(allowed.begin(), allowed.end(), range) != allowed.end()) return {};
  return range;
}

}  // namespace mxsweep
