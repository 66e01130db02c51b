#include "base/host_port.h"

#include <algorithm>

namespace mxsweep {

HostPortError SplitHostPort(std::string_view text, HostPort* out) {
  out->host = std::string(text);
  out->port.reset();
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || (close + 1 < text.size() && text[close + 1] != ':')) {
      return HostPortError::kBracket;
    }
    out->host = std::string(text.substr(1, close - 1));
    if (close + 1 == text.size()) return HostPortError::kNone;
    port = text.substr(close + 2);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    out->host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  } else {
    return HostPortError::kNone;
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) {
    return HostPortError::kPort;
  }
  long value = std::stol(std::string(port));
  if (value < 1 || value > 65535) return HostPortError::kPort;
  out->port = static_cast<uint16_t>(value);
  return HostPortError::kNone;
}

}  // namespace mxsweep
