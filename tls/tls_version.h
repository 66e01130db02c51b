// tls_version.h: protocol versions by their wire numbers, and the probe kinds built on them.
#pragma once

#include <cstdint>
#include <string_view>

namespace mxsweep::tls {

inline constexpr uint16_t kSsl3 = 0x0300;
inline constexpr uint16_t kTls10 = 0x0301;
inline constexpr uint16_t kTls11 = 0x0302;
inline constexpr uint16_t kTls12 = 0x0303;
inline constexpr uint16_t kTls13 = 0x0304;

// VersionName returns "SSL3", "TLS1.0" ... "TLS1.3" for a wire version, or "" for 0 and
// "unknown" for anything else.
std::string_view VersionName(uint16_t version);

// ParseVersionName accepts the names |VersionName| produces (case-insensitive, also "1.2",
// "tls12"). It returns false for anything else.
bool ParseVersionName(std::string_view name, uint16_t* out_version);

// ProbeKind is one kind of handshake the client knows how to make; each has its own immutable
// SSL_CTX.
enum class ProbeKind : uint8_t {
  kAuto,   // offer TLS 1.0-1.3, let the server choose
  kTls10,  // min = max = TLS 1.0
  kTls11,
  kTls12,
  kTls13,
  kExo12,  // TLS 1.2 offering exactly Exchange Online's suites, in its order
  kLegacy, // TLS 1.0-1.1: one connection tells whether either legacy version is still on
};

inline constexpr ProbeKind kAllProbeKinds[] = {ProbeKind::kAuto,  ProbeKind::kTls10,
                                               ProbeKind::kTls11, ProbeKind::kTls12,
                                               ProbeKind::kTls13, ProbeKind::kExo12,
                                               ProbeKind::kLegacy};

// ProbeKindName returns "auto", "TLS1.0" ... "TLS1.3", "EXO", "legacy".
std::string_view ProbeKindName(ProbeKind kind);

// ParseProbeKindName is the inverse of ProbeKindName.
bool ParseProbeKindName(std::string_view name, ProbeKind* out_kind);

// ForcedVersion returns the single version a forced kind allows, or 0 for kinds that offer a
// range (kAuto, kLegacy).
uint16_t ForcedVersion(ProbeKind kind);

// MinVersion and MaxVersion give the range a kind offers.
uint16_t MinVersion(ProbeKind kind);
uint16_t MaxVersion(ProbeKind kind);

// ProbeKindForVersion maps TLS1.0..TLS1.3 to their forced kinds. It returns false otherwise.
bool ProbeKindForVersion(uint16_t version, ProbeKind* out_kind);

}  // namespace mxsweep::tls
