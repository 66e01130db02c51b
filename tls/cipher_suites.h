// cipher_suites.h: the one table from IANA cipher suite code point to standard name.
//
// Every output names suites through CipherSuiteName, whether the suite came from a BoringSSL
// handshake or from a raw ServerHello, so one suite is spelled one way everywhere. The table is
// the IANA "TLS Cipher Suites" registry (signalling values included), with the protocol versions
// each suite can be negotiated in, which is what a raw ClientHello needs to offer "every suite
// that exists for this version".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mxsweep::tls {

// CipherSuiteName returns the IANA name of |id| ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), or ""
// when the registry has no suite at that code point.
std::string_view CipherSuiteName(uint16_t id);

// CipherSuiteLabel is CipherSuiteName, or "0xC0FF" for a code point the registry does not name:
// what a report prints for a suite a server chose.
std::string CipherSuiteLabel(uint16_t id);

// SuitesForVersion lists, in code point order, every registered suite a client may offer in a
// ClientHello for |version| (kSsl3 .. kTls13): export suites only up to TLS 1.0, suites with
// SHA-256/384 MACs or AEAD ciphers only from TLS 1.2, the TLS 1.3 suites only for TLS 1.3.
// Signalling values (the renegotiation SCSV, TLS_FALLBACK_SCSV) and TLS_NULL_WITH_NULL_NULL are
// never included. Empty for an unknown version.
std::vector<uint16_t> SuitesForVersion(uint16_t version);

// CipherSuiteCount returns the number of registry entries the table holds (tests use it).
size_t CipherSuiteCount();

// BoringSslImplements reports whether the linked BoringSSL can negotiate suite |id|: a server
// that chooses one it cannot has only "legacy" suites for a BoringSSL client.
bool BoringSslImplements(uint16_t id);

}  // namespace mxsweep::tls
