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

// ProbeKind is one kind of handshake the client knows how to make. The BoringSSL kinds each have
// their own immutable SSL_CTX and complete a handshake; the hello kinds send a hand-built
// ClientHello (tls/hello_probe.h) that offers every registered suite for their versions, read the
// ServerHello or alert, and stop: they ask what BoringSSL cannot (SSL 3.0, DHE, RC4,
// CBC-SHA256/384) and their evidence is "ServerHello only".
enum class ProbeKind : uint8_t {
  kAuto,   // offer TLS 1.0-1.3, let the server choose
  kOnlyTls10,  // min = max = TLS 1.0
  kOnlyTls11,
  kOnlyTls12,
  kOnlyTls13,
  kExo12,  // TLS 1.2 offering exactly Exchange Online's suites, in its order
  kLegacy, // TLS 1.0-1.1: one connection tells whether either legacy version is still on
  // Raw hellos.
  kHelloAuto,    // TLS 1.0-1.2 (legacy_version 1.2, no supported_versions): a legacy client's offer
  kHelloSsl3,    // SSL 3.0 only
  kHelloTls10,
  kHelloTls11,
  kHelloTls12,
  kHelloTls13,   // supported_versions = {1.3}, with key shares
  kHelloLegacy,  // TLS 1.0-1.1
  kHelloExo,     // TLS 1.2 offering the Exchange Online suites BoringSSL lacks, in EXO's order
};

inline constexpr ProbeKind kAllProbeKinds[] = {
    ProbeKind::kAuto,      ProbeKind::kOnlyTls10,  ProbeKind::kOnlyTls11,  ProbeKind::kOnlyTls12,
    ProbeKind::kOnlyTls13,      ProbeKind::kExo12,      ProbeKind::kLegacy,     ProbeKind::kHelloAuto,
    ProbeKind::kHelloSsl3,  ProbeKind::kHelloTls10, ProbeKind::kHelloTls11, ProbeKind::kHelloTls12,
    ProbeKind::kHelloTls13, ProbeKind::kHelloLegacy, ProbeKind::kHelloExo};

// IsHelloKind reports whether |kind| is a raw-hello kind (no SSL_CTX, no completed handshake).
bool IsHelloKind(ProbeKind kind);

// HelloTwin returns the raw-hello kind that asks the question a BoringSSL kind asked, with every
// registered suite instead of BoringSSL's (kAuto -> kHelloAuto, kTls10 -> kHelloTls10, kExo12 ->
// kHelloExo, ...); a hello kind is its own twin.
ProbeKind HelloTwin(ProbeKind kind);

// ProbeKindName returns "auto", "TLS1.0" ... "TLS1.3", "EXO", "legacy", and for the hello kinds
// "hello-auto", "hello-SSL3", "hello-TLS1.0" ... "hello-TLS1.3", "hello-legacy", "hello-EXO".
// The names are a contract (JSON probes[].probe): add, never rename.
std::string_view ProbeKindName(ProbeKind kind);

// ParseProbeKindName is the inverse of ProbeKindName.
bool ParseProbeKindName(std::string_view name, ProbeKind* out_kind);

// ForcedVersion returns the single version a forced kind allows, or 0 for kinds that offer a
// range (kAuto, kLegacy, kHelloAuto, kHelloLegacy).
uint16_t ForcedVersion(ProbeKind kind);

// MinVersion and MaxVersion give the range a kind offers.
uint16_t MinVersion(ProbeKind kind);
uint16_t MaxVersion(ProbeKind kind);

// ProbeKindForVersion maps TLS1.0..TLS1.3 to their forced kinds, and SSL3 (which only a raw hello
// can ask about) to kHelloSsl3. It returns false otherwise.
bool ProbeKindForVersion(uint16_t version, ProbeKind* out_kind);

}  // namespace mxsweep::tls
