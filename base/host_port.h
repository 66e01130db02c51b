// host_port.h: how a server is named on the command line — "HOST", "HOST:PORT", "[IPv6]" or
// "[IPv6]:PORT" — for --resolver and for `probe`'s hosts alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsweep {

enum class HostPortError : uint8_t {
  kNone,
  kBracket,  // "[" without "]", or "]" followed by something other than ":PORT"
  kPort,     // the port is not a number from 1 to 65535
};

struct HostPort {
  std::string host;
  std::optional<uint16_t> port;  // none given
};

// SplitHostPort splits |text|. A bare IPv6 address (more than one ':') is a host without a port.
// The host is not checked: the caller decides whether it must be an address.
HostPortError SplitHostPort(std::string_view text, HostPort* out);

}  // namespace mxsweep
