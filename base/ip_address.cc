#include "base/ip_address.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace mxsweep {

bool IpAddress::Parse(std::string_view text, IpAddress* out) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress addr;
  if (inet_pton(AF_INET, buf, addr.bytes.data()) == 1) {
    addr.family = AF_INET;
  } else if (inet_pton(AF_INET6, buf, addr.bytes.data()) == 1) {
    addr.family = AF_INET6;
  } else {
    return false;
  }
  *out = addr;
  return true;
}

bool IsAddressLiteral(std::string_view text) {
  IpAddress addr;
  return IpAddress::Parse(text, &addr);
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (family != AF_INET && family != AF_INET6) return "";
  if (inet_ntop(family, bytes.data(), buf, sizeof(buf)) == nullptr) return "";
  return buf;
}

socklen_t IpAddress::ToSockaddr(uint16_t port, sockaddr_storage* out) const {
  std::memset(out, 0, sizeof(*out));
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, bytes.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  std::memcpy(&sin6->sin6_addr, bytes.data(), 16);
  return sizeof(sockaddr_in6);
}

bool IpAddress::FromSockaddr(const sockaddr* sa, IpAddress* out) {
  IpAddress addr;
  if (sa->sa_family == AF_INET) {
    addr.family = AF_INET;
    std::memcpy(addr.bytes.data(), &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    addr.family = AF_INET6;
    std::memcpy(addr.bytes.data(), &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, 16);
  } else {
    return false;
  }
  *out = addr;
  return true;
}

namespace {

struct Range4 {
  uint32_t net;
  int prefix;
  const char* name;
};

// IANA IPv4 special-purpose registry, plus multicast and the old class E space.
constexpr Range4 kSpecial4[] = {
    {0x00000000, 8, "unspecified"},    // 0.0.0.0/8 "this network"
    {0x0A000000, 8, "private"},        // 10/8
    {0x64400000, 10, "cgnat"},         // 100.64/10 shared address space
    {0x7F000000, 8, "loopback"},       // 127/8
    {0xA9FE0000, 16, "link-local"},    // 169.254/16
    {0xAC100000, 12, "private"},       // 172.16/12
    {0xC0000000, 24, "reserved"},      // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24, "documentation"}, // 192.0.2/24
    {0xC0586300, 24, "reserved"},      // 192.88.99/24 6to4 relay anycast (deprecated)
    {0xC0A80000, 16, "private"},       // 192.168/16
    {0xC6120000, 15, "benchmarking"},  // 198.18/15
    {0xC6336400, 24, "documentation"}, // 198.51.100/24
    {0xCB007100, 24, "documentation"}, // 203.0.113/24
    {0xE0000000, 4, "multicast"},      // 224/4
    {0xF0000000, 4, "reserved"},       // 240/4 including broadcast
};

std::string_view SpecialRange4(uint32_t ip) {
  for (const Range4& r : kSpecial4) {
    uint32_t mask = r.prefix == 0 ? 0 : ~uint32_t{0} << (32 - r.prefix);
    if ((ip & mask) == r.net) return r.name;
  }
  return "";
}

}  // namespace

std::string_view SpecialRange(const IpAddress& addr) {
  const uint8_t* b = addr.bytes.data();
  if (addr.family == AF_INET) {
    return SpecialRange4(uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3]);
  }
  if (addr.family != AF_INET6) return "unspecified";

  static const uint8_t kZero[16] = {};
  bool first10_zero = std::memcmp(b, kZero, 10) == 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated) carry an IPv4 address that
  // the kernel would reach: judge them by it.
  if (first10_zero && b[10] == 0xff && b[11] == 0xff) {
    return SpecialRange4(uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15]);
  }
  if (std::memcmp(b, kZero, 15) == 0) return b[15] == 1 ? "loopback" : "unspecified";
  if (first10_zero && b[10] == 0 && b[11] == 0) {
    return SpecialRange4(uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15]);
  }
  if (b[0] == 0xff) return "multicast";                       // ff00::/8
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";  // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "reserved";    // fec0::/10 site-local
  if ((b[0] & 0xfe) == 0xfc) return "private";                // fc00::/7 unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return "documentation";
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return "reserved";  // 100::/64 discard
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
    // 64:ff9b::/96 NAT64: judge the embedded IPv4 address.
    return SpecialRange4(uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15]);
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return "reserved";  // Teredo 2001::/32
  if (b[0] == 0x20 && b[1] == 0x02) {
    // 6to4 2002::/16: the next 32 bits are an IPv4 address.
    return SpecialRange4(uint32_t{b[2]} << 24 | uint32_t{b[3]} << 16 | uint32_t{b[4]} << 8 | b[5]);
  }
  if ((b[0] & 0xe0) != 0x20) return "reserved";  // outside 2000::/3 global unicast
  return "";
}

}  // namespace mxsweep
