// target_policy.h: which addresses mxsweep may connect to at all — the one rule `scan` and
// `probe` share, so a hostile MX record or a typo never turns the scanner on an inside network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/ip_address.h"

namespace mxsweep {

struct TargetPolicy {
  // --allow-private: every special range may be probed (a lab, the loopback tests).
  bool allow_private = false;
  // Special ranges allowed even without allow_private, by SpecialRange name: the demo allows
  // only "loopback", so a demo MX record that points into private space is still refused.
  std::vector<std::string> allowed_ranges;
};

// RefusedRange returns the name of the special range (SpecialRange) that |policy| forbids |ip|
// to be in, or "" when |ip| may be probed.
std::string_view RefusedRange(const IpAddress& ip, const TargetPolicy& policy);

}  // namespace mxsweep
