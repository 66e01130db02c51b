#include "tls/server_answer.h"

#include <openssl/bytestring.h>

#include <string>

namespace mxsweep::tls {
namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlert = 21;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kApplicationData = 23;
constexpr uint8_t kServerHelloType = 2;
constexpr uint16_t kExtSupportedVersions = 43;
constexpr uint16_t kExtKeyShare = 51;

// SHA-256("HelloRetryRequest"): the ServerHello.random that marks a HelloRetryRequest (RFC 8446
// 4.1.3).
constexpr uint8_t kHelloRetryRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

// ParseExtensions reads the ServerHello extensions this probe needs; every extension is
// length-checked, the two it reads exactly.
bool ParseExtensions(CBS* extensions, ServerAnswer* out) {
  bool seen_versions = false, seen_key_share = false;
  while (CBS_len(extensions) > 0) {
    uint16_t type;
    CBS body;
    if (!CBS_get_u16(extensions, &type) || !CBS_get_u16_length_prefixed(extensions, &body)) {
      return false;
    }
    if (type == kExtSupportedVersions) {
      if (seen_versions || !CBS_get_u16(&body, &out->version) || CBS_len(&body) != 0) return false;
      seen_versions = true;
      out->has_supported_versions = true;
    } else if (type == kExtKeyShare) {
      if (seen_key_share || !CBS_get_u16(&body, &out->key_share_group)) return false;
      seen_key_share = true;
      if (out->hello_retry_request) {
        if (CBS_len(&body) != 0) return false;  // an HRR names a group, no key
      } else {
        CBS key;
        if (!CBS_get_u16_length_prefixed(&body, &key) || CBS_len(&key) == 0 || CBS_len(&body) != 0) {
          return false;
        }
      }
    }
  }
  return true;
}

bool ParseServerHello(CBS* body, ServerAnswer* out) {
  CBS random, session_id;
  if (!CBS_get_u16(body, &out->legacy_version) || !CBS_get_bytes(body, &random, 32) ||
      !CBS_get_u8_length_prefixed(body, &session_id) || CBS_len(&session_id) > 32 ||
      !CBS_get_u16(body, &out->cipher_suite) || !CBS_get_u8(body, &out->compression)) {
    return false;
  }
  out->version = out->legacy_version;
  out->hello_retry_request = CBS_mem_equal(&random, kHelloRetryRandom, sizeof(kHelloRetryRandom));
  // SSL 3.0 and TLS 1.0-1.2 servers may omit the extensions block entirely.
  if (CBS_len(body) == 0) return !out->hello_retry_request;
  CBS extensions;
  if (!CBS_get_u16_length_prefixed(body, &extensions) || CBS_len(body) != 0) return false;
  return ParseExtensions(&extensions, out);
}

}  // namespace

std::string_view AnswerStatusName(AnswerStatus status) {
  switch (status) {
    case AnswerStatus::kNeedMore: return "need-more";
    case AnswerStatus::kServerHello: return "server-hello";
    case AnswerStatus::kAlert: return "alert";
    case AnswerStatus::kNotTls: return "not-tls";
    case AnswerStatus::kRecordTooLarge: return "record-too-large";
    case AnswerStatus::kWrongContentType: return "wrong-content-type";
    case AnswerStatus::kUnexpectedMessage: return "unexpected-message";
    case AnswerStatus::kMalformed: return "malformed";
    case AnswerStatus::kTooLong: return "too-long";
  }
  return "unknown";
}

AnswerStatus ParseServerAnswer(std::string_view bytes, ServerAnswer* out) {
  *out = ServerAnswer();
  CBS in;
  CBS_init(&in, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  // The handshake message may span records; its fragments are gathered here (bounded by
  // kMaxServerHelloBody + 4 through the checks below).
  std::string message;
  for (;;) {
    // Judge the header as soon as its bytes are there: a plaintext "421 ..." must not wait for
    // five bytes that never come.
    const uint8_t* head = CBS_data(&in);
    size_t have = CBS_len(&in);
    if (have >= 1 && (head[0] < kChangeCipherSpec || head[0] > kApplicationData)) return AnswerStatus::kNotTls;
    if (have >= 2 && head[1] != 3) return AnswerStatus::kNotTls;
    if (have < 5) return bytes.size() > kMaxAnswerBytes ? AnswerStatus::kTooLong : AnswerStatus::kNeedMore;
    uint8_t type;
    uint16_t record_version, length;
    CBS_get_u8(&in, &type);
    CBS_get_u16(&in, &record_version);
    CBS_get_u16(&in, &length);
    if (length > kMaxPlaintextRecord) return AnswerStatus::kRecordTooLarge;
    if (length == 0) return AnswerStatus::kMalformed;  // empty handshake/alert records are illegal
    CBS fragment;
    if (!CBS_get_bytes(&in, &fragment, length)) {
      return bytes.size() > kMaxAnswerBytes ? AnswerStatus::kTooLong : AnswerStatus::kNeedMore;
    }
    if (type == kAlert) {
      // An alert between fragments of the ServerHello still says why the server stopped.
      if (!CBS_get_u8(&fragment, &out->alert_level) || !CBS_get_u8(&fragment, &out->alert_description)) {
        return AnswerStatus::kMalformed;
      }
      return AnswerStatus::kAlert;
    }
    if (type != kHandshake) return AnswerStatus::kWrongContentType;
    message.append(reinterpret_cast<const char*>(CBS_data(&fragment)), CBS_len(&fragment));
    if (message.size() < 4) continue;
    auto msg_type = static_cast<uint8_t>(message[0]);
    size_t msg_len = (static_cast<size_t>(static_cast<uint8_t>(message[1])) << 16) |
                     (static_cast<size_t>(static_cast<uint8_t>(message[2])) << 8) |
                     static_cast<uint8_t>(message[3]);
    if (msg_type != kServerHelloType) return AnswerStatus::kUnexpectedMessage;
    if (msg_len > kMaxServerHelloBody) return AnswerStatus::kMalformed;
    if (message.size() < 4 + msg_len) continue;
    CBS body;
    CBS_init(&body, reinterpret_cast<const uint8_t*>(message.data()) + 4, msg_len);
    return ParseServerHello(&body, out) ? AnswerStatus::kServerHello : AnswerStatus::kMalformed;
  }
}

}  // namespace mxsweep::tls
