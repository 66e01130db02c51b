// exclude_list.h: networks the user forbids probing (--exclude FILE of CIDRs).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "base/ip_address.h"

namespace mxsweep {

class ExcludeList {
 public:
  // Load reads one CIDR ("192.0.2.0/24", "2001:db8::/32") or bare address per line; '#'
  // comments and blank lines allowed. On a bad line it returns false with |*error| naming the
  // line; nothing is half-loaded.
  bool Load(std::istream& in, const std::string& source_name, std::string* error);
  bool Add(const std::string& cidr, std::string* error);

  // Contains reports whether |addr| falls in a listed network (an IPv4-mapped IPv6 address
  // matches IPv4 entries). |*match| receives the entry when non-null.
  bool Contains(const IpAddress& addr, std::string* match = nullptr) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    IpAddress net;
    int prefix;
    std::string text;
  };
  std::vector<Entry> entries_;
};

}  // namespace mxsweep
