#include "tls/tls_version.h"

#include <string>

#include "base/ascii.h"

namespace mxsweep::tls {

std::string_view VersionName(uint16_t version) {
  switch (version) {
    case 0: return "";
    case kSsl3: return "SSL3";
    case kTls10: return "TLS1.0";
    case kTls11: return "TLS1.1";
    case kTls12: return "TLS1.2";
    case kTls13: return "TLS1.3";
    default: return "unknown";
  }
}

bool ParseVersionName(std::string_view name, uint16_t* out_version) {
  std::string norm;
  for (char c : name) {
    if (c == '.' || c == '_' || c == '-' || c == 'v' || c == 'V') continue;
    norm.push_back(ToLowerAscii(c));
  }
  if (norm.rfind("tls", 0) == 0) norm.erase(0, 3);
  if (norm == "ssl3" || norm == "ssl30") {
    *out_version = kSsl3;
  } else if (norm == "10" || norm == "1") {
    *out_version = kTls10;
  } else if (norm == "11") {
    *out_version = kTls11;
  } else if (norm == "12") {
    *out_version = kTls12;
  } else if (norm == "13") {
    *out_version = kTls13;
  } else {
    return false;
  }
  return true;
}

std::string_view ProbeKindName(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kAuto: return "auto";
    case ProbeKind::kOnlyTls10: return "TLS1.0";
    case ProbeKind::kOnlyTls11: return "TLS1.1";
    case ProbeKind::kOnlyTls12: return "TLS1.2";
    case ProbeKind::kOnlyTls13: return "TLS1.3";
    case ProbeKind::kExo12: return "EXO";
    case ProbeKind::kLegacy: return "legacy";
    case ProbeKind::kHelloAuto: return "hello-auto";
    case ProbeKind::kHelloSsl3: return "hello-SSL3";
    case ProbeKind::kHelloTls10: return "hello-TLS1.0";
    case ProbeKind::kHelloTls11: return "hello-TLS1.1";
    case ProbeKind::kHelloTls12: return "hello-TLS1.2";
    case ProbeKind::kHelloTls13: return "hello-TLS1.3";
    case ProbeKind::kHelloLegacy: return "hello-legacy";
    case ProbeKind::kHelloExo: return "hello-EXO";
  }
  return "unknown";
}

bool IsHelloKind(ProbeKind kind) { return kind >= ProbeKind::kHelloAuto; }

ProbeKind HelloTwin(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kAuto: return ProbeKind::kHelloAuto;
    case ProbeKind::kOnlyTls10: return ProbeKind::kHelloTls10;
    case ProbeKind::kOnlyTls11: return ProbeKind::kHelloTls11;
    case ProbeKind::kOnlyTls12: return ProbeKind::kHelloTls12;
    case ProbeKind::kOnlyTls13: return ProbeKind::kHelloTls13;
    case ProbeKind::kExo12: return ProbeKind::kHelloExo;
    case ProbeKind::kLegacy: return ProbeKind::kHelloLegacy;
    default: return kind;
  }
}

bool ParseProbeKindName(std::string_view name, ProbeKind* out_kind) {
  for (ProbeKind kind : kAllProbeKinds) {
    if (ProbeKindName(kind) == name) {
      *out_kind = kind;
      return true;
    }
  }
  return false;
}

uint16_t MinVersion(ProbeKind kind) {
  uint16_t forced = ForcedVersion(kind);
  if (forced) return forced;
  // A legacy client's offer also reaches a server that stops at SSL 3.0.
  return kind == ProbeKind::kHelloAuto ? kSsl3 : kTls10;
}

uint16_t MaxVersion(ProbeKind kind) {
  uint16_t forced = ForcedVersion(kind);
  if (forced) return forced;
  switch (kind) {
    case ProbeKind::kLegacy:
    case ProbeKind::kHelloLegacy: return kTls11;
    case ProbeKind::kHelloAuto: return kTls12;
    default: return kTls13;
  }
}

uint16_t ForcedVersion(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kAuto: return 0;
    case ProbeKind::kOnlyTls10: return kTls10;
    case ProbeKind::kOnlyTls11: return kTls11;
    case ProbeKind::kOnlyTls12: return kTls12;
    case ProbeKind::kOnlyTls13: return kTls13;
    case ProbeKind::kExo12: return kTls12;
    case ProbeKind::kLegacy: return 0;
    case ProbeKind::kHelloAuto: return 0;
    case ProbeKind::kHelloSsl3: return kSsl3;
    case ProbeKind::kHelloTls10: return kTls10;
    case ProbeKind::kHelloTls11: return kTls11;
    case ProbeKind::kHelloTls12: return kTls12;
    case ProbeKind::kHelloTls13: return kTls13;
    case ProbeKind::kHelloLegacy: return 0;
    case ProbeKind::kHelloExo: return kTls12;
  }
  return 0;
}

bool ProbeKindForVersion(uint16_t version, ProbeKind* out_kind) {
  switch (version) {
    case kSsl3: *out_kind = ProbeKind::kHelloSsl3; return true;
    case kTls10: *out_kind = ProbeKind::kOnlyTls10; return true;
    case kTls11: *out_kind = ProbeKind::kOnlyTls11; return true;
    case kTls12: *out_kind = ProbeKind::kOnlyTls12; return true;
    case kTls13: *out_kind = ProbeKind::kOnlyTls13; return true;
    default: return false;
  }
}

}  // namespace mxsweep::tls
