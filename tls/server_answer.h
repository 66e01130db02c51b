// server_answer.h: what a server answered a raw ClientHello — a ServerHello (or TLS 1.3
// HelloRetryRequest) or an alert — parsed with BoringSSL's CBS from bytes a stranger sent.
//
// Pure and bounded: the caller hands in every byte received so far; the parser looks at the
// records at its start and says whether it has an answer, needs more, or why the bytes cannot
// be one. Nothing after the ServerHello is read: the probe never finishes the handshake.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mxsweep::tls {

// The record layer allows 2^14 bytes of plaintext (RFC 5246 6.2.1, RFC 8446 5.1); a handshake or
// alert record before encryption is plaintext, so a longer one is not TLS.
inline constexpr size_t kMaxPlaintextRecord = 16384;

// The largest ServerHello body the wire format allows: version, random, a 32-byte session id,
// suite, compression and 2^16-1 bytes of extensions.
inline constexpr size_t kMaxServerHelloBody = 2 + 32 + 1 + 32 + 2 + 1 + 2 + 0xFFFF;

// How many bytes the parser may need before it must have an answer: a largest ServerHello
// split over largest records, with their headers. More than this is refused, not buffered.
inline constexpr size_t kMaxAnswerBytes = 5 * (5 + kMaxPlaintextRecord);

enum class AnswerStatus : uint8_t {
  kNeedMore,           // no complete answer yet
  kServerHello,        // a ServerHello or HelloRetryRequest: see ServerAnswer
  kAlert,              // an alert record: see ServerAnswer::alert_*
  kNotTls,             // the bytes do not start like a TLS record (plaintext, SSL 2.0, garbage)
  kRecordTooLarge,     // a record longer than the protocol allows
  kWrongContentType,   // a record that is neither handshake nor alert came first
  kUnexpectedMessage,  // the first handshake message is not a ServerHello
  kMalformed,          // a ServerHello or alert that does not parse (lengths, trailing bytes)
  kTooLong,            // more than kMaxAnswerBytes without a complete answer
};

// AnswerStatusName returns a short stable name ("server-hello", "record-too-large", ...).
std::string_view AnswerStatusName(AnswerStatus status);

struct ServerAnswer {
  // kServerHello
  uint16_t legacy_version = 0;   // ServerHello.legacy_version (the record's version field aside)
  uint16_t version = 0;          // chosen version: supported_versions when present, else legacy
  uint16_t cipher_suite = 0;
  uint8_t compression = 0;
  bool hello_retry_request = false;
  bool has_supported_versions = false;
  uint16_t key_share_group = 0;  // TLS 1.3: the server's key share, or the HRR's requested group
  // kAlert
  uint8_t alert_level = 0;
  uint8_t alert_description = 0;
};

// ParseServerAnswer looks at the first records of |bytes|. |out| is filled for kServerHello and
// kAlert and left in an unspecified state otherwise.
AnswerStatus ParseServerAnswer(std::string_view bytes, ServerAnswer* out);

}  // namespace mxsweep::tls
