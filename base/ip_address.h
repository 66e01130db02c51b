// ip_address.h: an IPv4 or IPv6 address as a value, and the address ranges mxsweep refuses to
// probe by default.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mxsweep {

struct IpAddress {
  int family = AF_UNSPEC;                 // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};        // network order; IPv4 uses the first 4

  // Parse accepts dotted IPv4 and RFC 4291 IPv6 text (no brackets, no zone).
  static bool Parse(std::string_view text, IpAddress* out);
  std::string ToString() const;
  // ToSockaddr fills |out| with this address and |port|; returns its length.
  socklen_t ToSockaddr(uint16_t port, sockaddr_storage* out) const;
  static bool FromSockaddr(const sockaddr* sa, IpAddress* out);

  bool operator==(const IpAddress& o) const { return family == o.family && bytes == o.bytes; }
  bool operator!=(const IpAddress& o) const { return !(*this == o); }
  bool operator<(const IpAddress& o) const {
    return family != o.family ? family < o.family : bytes < o.bytes;
  }
};

// IsAddressLiteral reports whether |text| is an IPv4 or IPv6 address as IpAddress::Parse reads
// it (no brackets, no zone). Such a host gets no SNI (RFC 6066 §3 forbids literal addresses
// there) and is never matched against certificate DNS names.
bool IsAddressLiteral(std::string_view text);

// SpecialRange names the non-public range an address falls in ("loopback", "private",
// "link-local", "multicast", "reserved", "unspecified", "cgnat", "documentation", ...), or
// returns "" for a public unicast address. IPv4-mapped and IPv4-compatible IPv6 addresses are
// judged by their IPv4 part.
std::string_view SpecialRange(const IpAddress& addr);

}  // namespace mxsweep
