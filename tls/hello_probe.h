// hello_probe.h: one raw-hello probe driven by bytes, the same shape as ClientHandshake: Start
// gives the ClientHello, Receive takes what the server sent, and the probe stops at the
// ServerHello or alert. It never finishes a handshake, so what it learns is "ServerHello only".
#pragma once

#include <string>
#include <string_view>

#include "tls/client_hello.h"
#include "tls/handshake_result.h"
#include "tls/server_answer.h"
#include "tls/tls_driver.h"
#include "tls/tls_version.h"

namespace mxsweep::tls {

class HelloProbe : public TlsDriver {
 public:
  // |kind| must be a hello kind (IsHelloKind); |server_name| goes into SNI.
  HelloProbe(ProbeKind kind, std::string server_name);
  // For tests: a given offer and secrets instead of OfferFor(kind) and fresh ones.
  HelloProbe(ProbeKind kind, HelloOffer offer, const HelloSecrets& secrets);

  State Start() override;
  State Receive(std::string_view bytes) override;
  State PeerClosed(bool reset) override;
  std::string TakeOutput() override { return std::move(output_); }
  const HandshakeResult& result() const override { return result_; }
  void Release() override { input_.clear(); input_.shrink_to_fit(); }

  // answer_status() is how the parser judged the server's bytes (kNeedMore until then).
  AnswerStatus answer_status() const { return answer_status_; }
  // buffered() is how many of the server's bytes are held: never more than kMaxAnswerBytes + 1.
  size_t buffered() const { return input_.size(); }

 private:
  State Judge();
  State OnServerHello(const ServerAnswer& answer);
  State OnAlert(const ServerAnswer& answer);
  State Fail(HandshakeOutcome outcome, std::string detail);

  ProbeKind kind_;
  HelloOffer offer_;
  HelloSecrets secrets_;
  bool have_secrets_ = false;
  State state_ = State::kInProgress;
  AnswerStatus answer_status_ = AnswerStatus::kNeedMore;
  std::string input_;
  std::string output_;
  HandshakeResult result_;
};

// GroupName names a TLS group code point ("X25519", "P-256"), or "0x001d"-style when unknown.
std::string GroupName(uint16_t group);

}  // namespace mxsweep::tls
