// client_handshake.h: one BoringSSL client handshake driven by bytes, with no I/O of its own.
//
// The SSL object reads from and writes to memory BIOs: the glue feeds what the socket received
// and sends what TakeOutput returns. This keeps TLS testable without sockets and lets one event
// loop drive thousands of handshakes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tls/cert_summary.h"
#include "tls/handshake_result.h"
#include "tls/ssl_ptr.h"
#include "tls/tls_driver.h"
#include "tls/tls_version.h"

namespace mxsweep::tls {

class ClientContexts;

class ClientHandshake : public TlsDriver {
 public:
  // |server_name| goes into SNI (when it is a name, not an address) and is the name the
  // certificate is checked against.
  ClientHandshake(const ClientContexts& contexts, ProbeKind kind, std::string server_name);
  ~ClientHandshake() override;

  ClientHandshake(const ClientHandshake&) = delete;
  ClientHandshake& operator=(const ClientHandshake&) = delete;

  // Never kAnswered: a BoringSSL handshake completes or fails.
  using State = TlsDriver::State;

  // Start produces the ClientHello (take it with TakeOutput).
  State Start() override;
  // Receive feeds bytes from the server and advances the handshake.
  State Receive(std::string_view bytes) override;
  // PeerClosed reports EOF (|reset| for a connection reset) during the handshake.
  State PeerClosed(bool reset) override;

  // TakeOutput returns the bytes to send and clears them.
  std::string TakeOutput() override;

  // Encrypt wraps application data (QUIT) after completion; the result is in TakeOutput.
  bool Encrypt(std::string_view plaintext);
  // Decrypt feeds bytes after completion and returns the plaintext they carried so far. A fatal
  // alert among them (a TLS 1.3 server judges the client's certificate after the client's
  // Finished) turns result() into that failure: check rejected_after_finished().
  std::string Decrypt(std::string_view bytes);
  // rejected_after_finished reports that the server ended a completed handshake with an alert.
  bool rejected_after_finished() const { return rejected_after_finished_; }

  // result() is valid once the state is not kInProgress.
  const HandshakeResult& result() const override { return result_; }

  // SummarizeCertificate reads and verifies the server's chain; valid after completion.
  std::optional<CertificateSummary> SummarizeCertificate() const;

  // Release frees the SSL object early, keeping result(): waiting connections should not hold
  // one.
  void Release() override;

 private:
  State Drive();
  State Fail(HandshakeOutcome outcome, std::string detail);

  const ClientContexts& contexts_;
  ProbeKind kind_;
  std::string server_name_;
  SslPtr ssl_;  // null before Start and after Release
  State state_ = State::kInProgress;
  HandshakeResult result_;
  bool certificate_requested_ = false;  // the server sent a CertificateRequest
  bool rejected_after_finished_ = false;
};

}  // namespace mxsweep::tls
