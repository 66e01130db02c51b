#include "scanner/engine/exclude_list.h"

#include <cstring>

namespace mxsweep {
namespace {

bool PrefixMatch(const uint8_t* a, const uint8_t* b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a, b, static_cast<size_t>(full)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool ExcludeList::Add(const std::string& cidr, std::string* error) {
  std::string text = Trim(cidr);
  size_t slash = text.find('/');
  IpAddress net;
  if (!IpAddress::Parse(text.substr(0, slash), &net)) {
    *error = "not an address or CIDR: '" + text + "'";
    return false;
  }
  int max = net.family == AF_INET ? 32 : 128;
  int prefix = max;
  if (slash != std::string::npos) {
    std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(p) > max) {
      *error = "bad prefix length in '" + text + "'";
      return false;
    }
    prefix = std::stoi(p);
  }
  entries_.push_back({net, prefix, text});
  return true;
}

bool ExcludeList::Load(std::istream& in, const std::string& source_name, std::string* error) {
  ExcludeList loaded;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    line_no++;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::string why;
    if (!loaded.Add(line, &why)) {
      *error = source_name + ":" + std::to_string(line_no) + ": " + why;
      return false;
    }
  }
  entries_.insert(entries_.end(), loaded.entries_.begin(), loaded.entries_.end());
  return true;
}

bool ExcludeList::Contains(const IpAddress& addr, std::string* match) const {
  IpAddress v4;
  const IpAddress* as_v4 = nullptr;
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (addr.family == AF_INET6 && std::memcmp(addr.bytes.data(), kMapped, 12) == 0) {
    v4.family = AF_INET;
    std::memcpy(v4.bytes.data(), addr.bytes.data() + 12, 4);
    as_v4 = &v4;
  } else if (addr.family == AF_INET) {
    as_v4 = &addr;
  }
  for (const Entry& e : entries_) {
    const IpAddress* candidate = e.net.family == AF_INET ? as_v4 : (addr.family == AF_INET6 ? &addr : nullptr);
    if (candidate && PrefixMatch(candidate->bytes.data(), e.net.bytes.data(), e.prefix)) {
      if (match) *match = e.text;
      return true;
    }
  }
  return false;
}

}  // namespace mxsweep
