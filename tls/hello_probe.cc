#include "tls/hello_probe.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <cstdio>

#include "tls/alert_outcome.h"
#include "tls/cipher_suites.h"

namespace mxsweep::tls {
namespace {

constexpr uint8_t kAlertWarning = 1;
constexpr uint8_t kUserCanceled = 90;

}  // namespace

std::string GroupName(uint16_t group) {
  const char* name = SSL_get_curve_name(group);
  if (name != nullptr) return name;
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04x", group);
  return buf;
}

HelloProbe::HelloProbe(ProbeKind kind, std::string server_name)
    : kind_(kind), offer_(OfferFor(kind, std::move(server_name))) {}

HelloProbe::HelloProbe(ProbeKind kind, HelloOffer offer, const HelloSecrets& secrets)
    : kind_(kind), offer_(std::move(offer)), secrets_(secrets), have_secrets_(true) {}

HelloProbe::State HelloProbe::Start() {
  if (!have_secrets_ && !NewHelloSecrets(&secrets_)) {
    return Fail(HandshakeOutcome::kError, "cannot make ClientHello key shares");
  }
  if (!BuildClientHello(offer_, secrets_, &output_)) {
    return Fail(HandshakeOutcome::kError, "cannot build the ClientHello");
  }
  return state_;
}

HelloProbe::State HelloProbe::Receive(std::string_view bytes) {
  if (state_ != State::kInProgress) return state_;
  // Never hold more than an answer can take; the parser says kTooLong beyond it.
  size_t room = kMaxAnswerBytes + 1 - std::min(input_.size(), kMaxAnswerBytes + 1);
  input_.append(bytes.substr(0, room));
  return Judge();
}

HelloProbe::State HelloProbe::PeerClosed(bool reset) {
  if (state_ != State::kInProgress) return state_;
  if (reset) return Fail(HandshakeOutcome::kReset, "connection reset after the ClientHello");
  if (input_.empty()) return Fail(HandshakeOutcome::kClosed, "server closed the connection after the ClientHello");
  return Fail(HandshakeOutcome::kClosed, "server closed the connection after " + std::to_string(input_.size()) +
                                             " bytes of an incomplete answer");
}

HelloProbe::State HelloProbe::Judge() {
  ServerAnswer answer;
  answer_status_ = ParseServerAnswer(input_, &answer);
  std::string why(AnswerStatusName(answer_status_));
  switch (answer_status_) {
    case AnswerStatus::kNeedMore: return state_;
    case AnswerStatus::kServerHello: return OnServerHello(answer);
    case AnswerStatus::kAlert: return OnAlert(answer);
    case AnswerStatus::kNotTls:
      return Fail(HandshakeOutcome::kNotTls, "server answered with bytes that are not TLS");
    case AnswerStatus::kRecordTooLarge:
      return Fail(HandshakeOutcome::kError, "record longer than 2^14 bytes (" + why + ")");
    case AnswerStatus::kWrongContentType:
      return Fail(HandshakeOutcome::kError, "first record neither handshake nor alert (" + why + ")");
    case AnswerStatus::kUnexpectedMessage:
      return Fail(HandshakeOutcome::kError, "first handshake message is not a ServerHello (" + why + ")");
    case AnswerStatus::kMalformed:
      return Fail(HandshakeOutcome::kError, "ServerHello or alert does not parse (" + why + ")");
    case AnswerStatus::kTooLong:
      return Fail(HandshakeOutcome::kError, "no ServerHello in the first " +
                                                std::to_string(kMaxAnswerBytes) + " bytes (" + why + ")");
  }
  return Fail(HandshakeOutcome::kError, why);
}

HelloProbe::State HelloProbe::OnServerHello(const ServerAnswer& answer) {
  uint16_t max = offer_.supported_versions.empty() ? offer_.client_version
                                                   : *std::max_element(offer_.supported_versions.begin(),
                                                                       offer_.supported_versions.end());
  uint16_t min = offer_.supported_versions.empty() ? MinVersion(kind_)
                                                   : *std::min_element(offer_.supported_versions.begin(),
                                                                       offer_.supported_versions.end());
  std::string chosen(VersionName(answer.version));
  if (chosen == "unknown") chosen = "version " + std::to_string(answer.version);
  if (answer.version > max || answer.version < kSsl3) {
    result_.unoffered_choice = true;
    return Fail(HandshakeOutcome::kError, "server chose " + chosen + ", which was not offered");
  }
  if (answer.version < min) {
    return Fail(HandshakeOutcome::kVersionRefused, "server chose " + chosen + ", below the offer");
  }
  if (std::find(offer_.cipher_suites.begin(), offer_.cipher_suites.end(), answer.cipher_suite) ==
      offer_.cipher_suites.end()) {
    result_.unoffered_choice = true;
    return Fail(HandshakeOutcome::kError, "server chose suite " + CipherSuiteLabel(answer.cipher_suite) +
                                              ", which was not offered");
  }
  if (answer.compression != 0) {
    result_.unoffered_choice = true;
    return Fail(HandshakeOutcome::kError, "server chose compression method " +
                                              std::to_string(answer.compression) + ", which was not offered");
  }
  state_ = State::kAnswered;
  result_.outcome = HandshakeOutcome::kServerHello;
  result_.version = answer.version;
  result_.cipher_id = answer.cipher_suite;
  result_.cipher = CipherSuiteLabel(answer.cipher_suite);
  if (answer.key_share_group != 0) result_.group = GroupName(answer.key_share_group);
  result_.hello_retry_request = answer.hello_retry_request;
  result_.legacy_suite = !BoringSslImplements(answer.cipher_suite);
  result_.detail = std::string(answer.hello_retry_request ? "HelloRetryRequest" : "ServerHello") + " only: " +
                   chosen + " with " + result_.cipher +
                   (result_.legacy_suite ? " (a suite BoringSSL lacks)" : "");
  // Hang up politely: the handshake is abandoned on purpose.
  uint16_t record_version = answer.version >= kTls13 ? kTls12 : answer.version;
  output_.push_back(21);
  output_.push_back(static_cast<char>(record_version >> 8));
  output_.push_back(static_cast<char>(record_version & 0xff));
  output_.push_back(0);
  output_.push_back(2);
  output_.push_back(static_cast<char>(kAlertWarning));
  output_.push_back(static_cast<char>(kUserCanceled));
  return state_;
}

HelloProbe::State HelloProbe::OnAlert(const ServerAnswer& answer) {
  result_.alert = answer.alert_description;
  // The highest version offered: the legacy field, or TLS 1.3 for an offer with
  // supported_versions (only TLS 1.3 offers carry it).
  uint16_t max = offer_.supported_versions.empty() ? offer_.client_version : kTls13;
  return Fail(MapAlert(answer.alert_description, max), AlertText(answer.alert_description));
}

HelloProbe::State HelloProbe::Fail(HandshakeOutcome outcome, std::string detail) {
  state_ = State::kFailed;
  result_.outcome = outcome;
  result_.detail = std::move(detail);
  return state_;
}

}  // namespace mxsweep::tls
