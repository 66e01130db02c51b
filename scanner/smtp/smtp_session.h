// smtp_session.h: one SMTP client session up to STARTTLS and QUIT, as an I/O-free state machine.
//
// Bytes from the server go in (Receive, PeerClosed); bytes to send and phase changes come out
// (TakeOutput, phase()). The libuv glue owns sockets, timers and TLS; this class owns the
// dialogue: wait for the whole greeting, EHLO (HELO after a 5xx), STARTTLS when advertised, hand
// over to TLS on 220, QUIT. It never sends MAIL, RCPT or DATA.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/smtp/probe_status.h"
#include "scanner/smtp/smtp_reply.h"

namespace mxsweep::smtp {

struct SessionOptions {
  std::string ehlo_name = "localhost";
  ReplyLimits limits;
  // Plaintext bytes one server may send us in a session. A greeting plus an EHLO reply is rarely
  // above 2 KiB; 64 KiB leaves room for verbose servers and bounds a flood.
  size_t max_session_bytes = 64 * 1024;
};

enum class Phase {
  kGreeting,   // waiting for the complete 220 greeting
  kEhlo,       // EHLO sent
  kHelo,       // EHLO refused with 5xx, HELO sent
  kStartTls,   // STARTTLS sent
  kHandshake,  // 220 to STARTTLS received: the glue runs TLS now
  kQuit,       // QUIT sent, waiting for 221 or the close
  kDone,       // nothing more to do: the glue closes the connection
};

std::string_view PhaseName(Phase phase);

class Session {
 public:
  explicit Session(SessionOptions options);

  // Receive handles bytes from the server. In kHandshake the glue must not call it (the bytes
  // belong to TLS); in kQuit after a completed handshake it takes the decrypted bytes.
  void Receive(std::string_view bytes);

  // PeerClosed reports that the server closed its side (EOF).
  void PeerClosed();

  // HandshakeFinished moves on from kHandshake: QUIT is queued, to be sent inside TLS when
  // |completed|, else the session is done (a failed handshake leaves no channel to talk on).
  void HandshakeFinished(bool completed);

  // TakeOutput returns the bytes to send now and clears them.
  std::string TakeOutput() { return std::move(output_); }

  Phase phase() const { return phase_; }
  bool done() const { return phase_ == Phase::kDone; }

  // failed() reports whether the session ended before TLS with the status below.
  bool failed() const { return failed_; }
  ProbeStatus failure() const { return failure_; }
  const std::string& detail() const { return detail_; }
  // failure_code() is the reply code that ended the session (421, 554, ...), 0 when no reply did.
  int failure_code() const { return failure_code_; }

  const std::vector<std::string>& greeting() const { return greeting_; }
  // bytes_received() counts the plaintext bytes the server sent so far.
  size_t bytes_received() const { return received_; }
  bool ehlo_ok() const { return ehlo_ok_; }
  bool starttls_advertised() const { return starttls_advertised_; }
  // injection_bytes() is how many bytes followed the STARTTLS 220 in the same read.
  size_t injection_bytes() const { return injection_bytes_; }

 private:
  void OnReply(const Reply& reply);
  void OnGreeting(const Reply& reply);
  void OnEhlo(const Reply& reply);
  void OnHelo(const Reply& reply);
  void OnStartTls(const Reply& reply);
  // Fail ends the session before TLS with |status|; QUIT is sent when |say_quit|.
  void Fail(ProbeStatus status, std::string detail, bool say_quit);
  // Refuse ends the session on a 4xx/5xx |reply| to |what|: with the status its text names
  // (rate-limited, blocklisted, policy-refused; the whole text in the detail), else |fallback|.
  void Refuse(const Reply& reply, std::string_view what, ProbeStatus fallback, bool say_quit);
  void Send(std::string_view line);

  SessionOptions options_;
  ReplyParser parser_;
  Phase phase_ = Phase::kGreeting;
  std::string output_;
  size_t received_ = 0;

  bool failed_ = false;
  ProbeStatus failure_ = ProbeStatus::kClosed;
  std::string detail_;
  int failure_code_ = 0;

  std::vector<std::string> greeting_;
  bool ehlo_ok_ = false;
  bool starttls_advertised_ = false;
  size_t injection_bytes_ = 0;
};

// ReplySummary renders a reply for a detail field: "454 TLS not available".
std::string ReplySummary(const Reply& reply);

// ReplyText renders the whole of a reply, every line: "421 4.7.0 first line second line"
// (sanitised, at most 300 bytes). A refusal's reason is often on its second or third line.
std::string ReplyText(const Reply& reply);

}  // namespace mxsweep::smtp
