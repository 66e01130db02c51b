#include "tls/cert_name.h"

#include <arpa/inet.h>

#include <string>

namespace mxsweep::tls {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string_view WithoutTrailingDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

bool IsAddressLiteral(std::string_view host) {
  std::string text(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// WildcardSuffix returns ".example.com" for "*.example.com", or "" when |pattern| is not a
// wildcard mxsweep honours: the star must be the whole first label, and at least two labels must
// follow it, so "*.com", "f*.example.com" and "*.*.example.com" are compared literally (and so
// match no host name).
std::string_view WildcardSuffix(std::string_view pattern) {
  if (pattern.size() < 2 || pattern[0] != '*' || pattern[1] != '.') return {};
  std::string_view suffix = pattern.substr(1);
  if (suffix.find('*') != std::string_view::npos) return {};
  size_t second_dot = suffix.find('.', 1);
  if (second_dot == std::string_view::npos || second_dot == 1 || second_dot + 1 == suffix.size()) {
    return {};
  }
  return suffix;
}

}  // namespace

bool DnsPatternMatches(std::string_view pattern, std::string_view host) {
  pattern = WithoutTrailingDot(pattern);
  host = WithoutTrailingDot(host);
  if (pattern.empty() || host.empty()) return false;
  // A NUL inside a certificate name is the old "www.bank.com\0.evil.com" trick: never a match.
  if (pattern.find('\0') != std::string_view::npos || host.find('\0') != std::string_view::npos) {
    return false;
  }
  if (EqualIgnoringCase(pattern, host)) return true;
  std::string_view suffix = WildcardSuffix(pattern);
  if (suffix.empty()) return false;
  size_t first_dot = host.find('.');
  if (first_dot == std::string_view::npos || first_dot == 0) return false;
  // The label the star stands for must be an ordinary one (letters, digits, hyphens).
  for (char c : host.substr(0, first_dot)) {
    bool ordinary = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ordinary) return false;
  }
  return EqualIgnoringCase(host.substr(first_dot), suffix);
}

bool CertificateNamesHost(const CertificateSummary& cert, std::string_view host) {
  if (host.empty() || IsAddressLiteral(host)) return false;
  const std::vector<std::string>& names = cert.sans.empty() ? cert.common_names : cert.sans;
  for (const std::string& name : names) {
    if (DnsPatternMatches(name, host)) return true;
  }
  return false;
}

}  // namespace mxsweep::tls
