#include "tls/cert_name.h"

#include <string>

#include "base/ascii.h"
#include "base/ip_address.h"

namespace mxsweep::tls {
namespace {

std::string_view WithoutTrailingDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// IsHostLabels reports whether |name| is one or more dot-separated labels of letters, digits and
// hyphens, no label empty or starting or ending with a hyphen.
bool IsHostLabels(std::string_view name, size_t* out_labels) {
  size_t labels = 0;
  while (true) {
    size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    labels++;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  *out_labels = labels;
  return true;
}

// WildcardSuffix returns ".example.com" for "*.example.com", or "" when |pattern| is not a
// wildcard the name check honours: the star must be the whole first label, followed by at least
// two well-formed host labels. Anything else ("*.com", "f*.example.com", "*.*.example.com",
// "*.exa_mple.com") is compared literally, and so matches no host name.
std::string_view WildcardSuffix(std::string_view pattern) {
  if (pattern.size() < 2 || pattern[0] != '*' || pattern[1] != '.') return {};
  size_t labels = 0;
  if (!IsHostLabels(pattern.substr(2), &labels) || labels < 2) return {};
  return pattern.substr(1);
}

// LooksLikeHostName: a common name is only a name to match when it could be one (an optional
// "*." first, then labels of letters, digits, '-', '_' or ':'); "Mail Server" or "ACME Corp"
// are descriptions, not names.
bool LooksLikeHostName(std::string_view cn) {
  cn = WithoutTrailingDot(cn);
  if (cn.size() >= 2 && cn[0] == '*' && cn[1] == '.') cn.remove_prefix(2);
  if (cn.empty()) return false;
  size_t label_start = 0;
  for (size_t i = 0; i < cn.size(); i++) {
    char c = cn[i];
    if (IsAlnum(c) || c == '_' || c == ':' || (c == '-' && i > label_start)) continue;
    if (c == '.' && i > label_start && i + 1 < cn.size()) {
      label_start = i + 1;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool DnsPatternMatches(std::string_view pattern, std::string_view host) {
  // "mx.example.com." is the same host as "mx.example.com"; a certificate name with a trailing
  // dot is malformed (RFC 5280 §4.2.1.6) and, as in BoringSSL, only matches literally.
  host = WithoutTrailingDot(host);
  if (pattern.empty() || host.empty()) return false;
  // A NUL inside a certificate name is the old "www.bank.com\0.evil.com" trick: never a match.
  if (pattern.find('\0') != std::string_view::npos || host.find('\0') != std::string_view::npos) {
    return false;
  }
  if (EqualsIgnoringAsciiCase(pattern, host)) return true;
  std::string_view suffix = WildcardSuffix(pattern);
  if (suffix.empty()) return false;
  size_t first_dot = host.find('.');
  if (first_dot == std::string_view::npos || first_dot == 0) return false;
  if (!EqualsIgnoringAsciiCase(host.substr(first_dot), suffix)) return false;
  // The label the star stands for must be an ordinary one (letters, digits, hyphens).
  std::string_view label = host.substr(0, first_dot);
  if (label == "*") return true;
  for (char c : label) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

bool CertificateNamesHost(const CertificateSummary& cert, std::string_view host) {
  if (host.empty() || IsAddressLiteral(host)) return false;
  if (!cert.sans.empty()) {
    for (const std::string& san : cert.sans) {
      if (DnsPatternMatches(san, host)) return true;
    }
    return false;
  }
  for (const std::string& cn : cert.common_names) {
    if (LooksLikeHostName(cn) && DnsPatternMatches(cn, host)) return true;
  }
  return false;
}

}  // namespace mxsweep::tls
