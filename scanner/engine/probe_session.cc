#include "scanner/engine/probe_session.h"

#include <memory>

#include "base/sanitize.h"
#include "scanner/verdict/handshake_status.h"
#include "tls/client_handshake.h"
#include "tls/hello_probe.h"

namespace mxsweep {
namespace {

using Clock = std::chrono::steady_clock;

// Reads are processed synchronously in the read callback, so one buffer per loop thread serves
// every connection: a waiting session holds no read buffer at all.
constexpr size_t kReadBufferSize = 64 * 1024;
thread_local char g_read_buffer[kReadBufferSize];

struct WriteRequest {
  uv_write_t req;
  std::string data;
};

// Ending is how a session's connection ends (README "How a session ends").
enum class Ending {
  // The dialogue is over (221 to QUIT, a 421, the server's alert or its close): wait for the
  // server's FIN, then close with ours. The server closed first, so the server, not the scanner,
  // keeps the connection in TIME_WAIT; nobody sees an aborted connection.
  kGraceful,
  // We abandon a handshake the server still waits on (a raw hello after its ServerHello, with
  // the user_canceled alert already sent): our FIN now, then wait for the server's.
  kHangUp,
  // Timed out, broke the protocol, or reset by the server: RST. The session failed; nothing on
  // the wire is worth waiting for.
  kReset,
};

class Probe {
 public:
  Probe(const ProbeEnv& env, const ProbeRequest& request, ProbeDone done)
      : env_(env), request_(request), done_(std::move(done)), smtp_(env.smtp),
        started_(Clock::now()) {
    record_.kind = request.kind;
  }

  void Start() {
    uv_tcp_init(env_.loop, &tcp_);
    uv_timer_init(env_.loop, &timer_);
    tcp_.data = this;
    timer_.data = this;
    connect_.data = this;
    sockaddr_storage addr;
    request_.ip.ToSockaddr(request_.port, &addr);
    ArmTimer(env_.timeouts.connect);
    int rc = uv_tcp_connect(&connect_, &tcp_, reinterpret_cast<sockaddr*>(&addr), OnConnect);
    if (rc < 0) {
      // The callback will not run; finish through the close path so |done| stays asynchronous.
      connect_pending_ = false;
      Finish(ConnectStatus(rc), std::string("connect: ") + uv_strerror(rc));
      Close(Ending::kReset);
    }
  }

 private:
  static ProbeStatus ConnectStatus(int rc) {
    switch (rc) {
      case UV_ECONNREFUSED: return ProbeStatus::kConnectRefused;
      case UV_ETIMEDOUT: return ProbeStatus::kConnectTimeout;
      default: return ProbeStatus::kConnectError;
    }
  }

  static void OnConnect(uv_connect_t* req, int status) {
    auto* self = static_cast<Probe*>(req->data);
    self->connect_pending_ = false;
    if (status == UV_ECANCELED || self->closing_) return;
    if (status < 0) {
      self->Finish(ConnectStatus(status), std::string("connect: ") + uv_strerror(status));
      self->Close(Ending::kReset);
      return;
    }
    self->record_.connected = true;
    self->ArmTimer(self->env_.timeouts.greeting);
    uv_read_start(reinterpret_cast<uv_stream_t*>(&self->tcp_),
                  [](uv_handle_t*, size_t, uv_buf_t* buf) {
                    buf->base = g_read_buffer;
                    buf->len = kReadBufferSize;
                  },
                  [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
                    static_cast<Probe*>(s->data)->OnRead(n, buf);
                  });
  }

  void OnRead(ssize_t nread, const uv_buf_t* buf) {
    if (lingering_) {
      OnLingerRead(nread);
      return;
    }
    if (closing_ || nread == 0) return;
    if (nread < 0) {
      OnPeerGone(nread == UV_EOF ? 0 : static_cast<int>(nread));
      return;
    }
    std::string_view data(buf->base, static_cast<size_t>(nread));
    if (smtp_.phase() == smtp::Phase::kHandshake) {
      OnHandshakeBytes(data);
    } else if (smtp_.phase() == smtp::Phase::kQuit && client_handshake_ != nullptr &&
               client_handshake_->result().outcome == tls::HandshakeOutcome::kCompleted) {
      std::string plaintext = client_handshake_->Decrypt(data);
      if (client_handshake_->rejected_after_finished()) {
        // A TLS 1.3 server judged our side after our Finished and said no.
        const tls::HandshakeResult& r = client_handshake_->result();
        awaiting_answer_ = false;
        Finish(StatusForHandshake(r.outcome), r.detail);
        record_.alert = r.alert;
        record_.evidence = Evidence::kNone;
        Close(Ending::kGraceful);
        return;
      }
      if (!plaintext.empty()) AcceptNow();
      smtp_.Receive(plaintext);
      Advance();
    } else {
      smtp::Phase before = smtp_.phase();
      smtp_.Receive(data);
      if (before != smtp::Phase::kHandshake && smtp_.phase() == smtp::Phase::kHandshake) {
        BeginHandshake();
      } else {
        Advance();
      }
    }
  }

  // Advance sends what the SMTP session wants sent and follows its phase. |pending| holds
  // bytes that must go out first (the handshake's last flight), so both leave in one write.
  void Advance(std::string pending = {}) {
    std::string out = smtp_.TakeOutput();
    if (!out.empty()) {
      if (client_handshake_ != nullptr &&
          client_handshake_->result().outcome == tls::HandshakeOutcome::kCompleted) {
        client_handshake_->Encrypt(out);
        pending += client_handshake_->TakeOutput();
      } else {
        pending += out;
      }
    }
    Write(std::move(pending));
    if (smtp_.failed()) {
      if (!finished_) record_.reply_code = smtp_.failure_code();
      Finish(smtp_.failure(), smtp_.detail());
      if (smtp_.failure() == ProbeStatus::kStartTlsInjection) facts_.anomaly = "starttls-injection";
    }
    if (smtp_.done()) {
      Close(EndingOfDialogue());
      return;
    }
    if (smtp_.phase() != armed_phase_) {
      armed_phase_ = smtp_.phase();
      // The 221 is courtesy, not evidence: its wait is the shorter of the two.
      ArmTimer(smtp_.phase() == smtp::Phase::kQuit ? std::min(env_.timeouts.quit, env_.timeouts.command)
                                                   : env_.timeouts.command);
    }
  }

  void BeginHandshake() {
    facts_.reached_tls = true;
    armed_phase_ = smtp::Phase::kHandshake;
    ArmTimer(env_.timeouts.handshake);
    // Both drivers take bytes and give bytes; a raw hello stops at the ServerHello, after which
    // there is no channel for QUIT and the session just closes.
    if (tls::IsHelloKind(request_.kind)) {
      handshake_ = std::make_unique<tls::HelloProbe>(request_.kind, request_.host_name);
    } else {
      auto client = std::make_unique<tls::ClientHandshake>(*env_.contexts, request_.kind,
                                                           request_.host_name);
      client_handshake_ = client.get();
      handshake_ = std::move(client);
    }
    OnHandshakeState(handshake_->Start());
  }

  void OnHandshakeBytes(std::string_view data) { OnHandshakeState(handshake_->Receive(data)); }

  void OnHandshakeState(tls::TlsDriver::State state) {
    // Alerts go out too: a polite client says why it hangs up.
    std::string flight = handshake_->TakeOutput();
    if (state == tls::TlsDriver::State::kInProgress) {
      Write(std::move(flight));
      return;
    }
    const tls::HandshakeResult& r = handshake_->result();
    if (state == tls::TlsDriver::State::kCompleted && r.version == tls::kTls13) {
      // A TLS 1.3 client is done when it sends its Finished; the server judges it after that
      // (a client certificate it requires, for one). The handshake counts as accepted at the
      // server's first protected answer: the 221 to QUIT, or an alert instead.
      awaiting_answer_ = true;
    } else {
      Finish(StatusForHandshake(r.outcome), r.detail);
    }
    record_.alert = r.alert;
    record_.unoffered_choice = r.unoffered_choice;
    if (state == tls::TlsDriver::State::kCompleted || state == tls::TlsDriver::State::kAnswered) {
      record_.evidence = state == tls::TlsDriver::State::kCompleted ? Evidence::kHandshake
                                                                    : Evidence::kServerHelloOnly;
      record_.version = r.version;
      record_.cipher_id = r.cipher_id;
      record_.cipher = r.cipher;
      record_.legacy_suite = r.legacy_suite;
      record_.group = r.group;
    }
    if (state == tls::TlsDriver::State::kCompleted && request_.want_certificate) {
      facts_.certificate = client_handshake_->SummarizeCertificate();
    }
    smtp_.HandshakeFinished(state == tls::TlsDriver::State::kCompleted);
    // A TLS 1.3 client's Finished and the QUIT after it share one segment.
    Advance(std::move(flight));
  }

  // AcceptNow records a TLS 1.3 handshake as accepted once the server has answered after it
  // (or ended the session without objecting to it).
  void AcceptNow() {
    if (!awaiting_answer_) return;
    awaiting_answer_ = false;
    Finish(ProbeStatus::kAccepted, "");
  }

  // EndingOfDialogue: how to close once the SMTP session is done.
  Ending EndingOfDialogue() const {
    if (smtp_.failed() && (smtp_.failure() == ProbeStatus::kProtocolError ||
                           smtp_.failure() == ProbeStatus::kStartTlsInjection)) {
      return Ending::kReset;  // a flood, garbage or a man in the middle: fail closed
    }
    bool abandoned_hello = handshake_ != nullptr && tls::IsHelloKind(request_.kind) &&
                           handshake_->result().outcome == tls::HandshakeOutcome::kServerHello;
    return abandoned_hello ? Ending::kHangUp : Ending::kGraceful;
  }

  void OnPeerGone(int error) {
    if (lingering_) {
      FinalClose(error != 0);
      return;
    }
    if (closing_) return;
    AcceptNow();
    bool reset = error == UV_ECONNRESET || error == UV_EPIPE;
    if (error == 0) peer_eof_ = true;
    if (error != 0) peer_failed_ = true;
    Ending ending = error == 0 ? Ending::kGraceful : Ending::kReset;
    if (smtp_.phase() == smtp::Phase::kHandshake && handshake_) {
      OnHandshakeState(handshake_->PeerClosed(reset));
      Close(ending);
      return;
    }
    if (reset && !finished_) {
      Finish(ProbeStatus::kReset, std::string("connection reset during ") +
                                      std::string(smtp::PhaseName(smtp_.phase())));
    } else if (error != 0 && !finished_) {
      Finish(ProbeStatus::kReset, std::string("read: ") + uv_strerror(error));
    }
    smtp_.PeerClosed();
    Advance();
    Close(ending);
  }

  void OnTimer() {
    if (lingering_) {
      // The server kept its side open: close ours with a FIN all the same.
      FinalClose(false);
      return;
    }
    if (closing_) return;
    AcceptNow();
    bool deadline = Clock::now() >= started_ + env_.timeouts.session;
    std::string phase(smtp::PhaseName(smtp_.phase()));
    if (connect_pending_) {
      Finish(ProbeStatus::kConnectTimeout, "no answer to connect");
    } else if (deadline) {
      Finish(ProbeStatus::kTimeout, "session deadline reached during " + phase);
    } else if (smtp_.phase() == smtp::Phase::kGreeting) {
      Finish(ProbeStatus::kGreetingTimeout,
             smtp_.bytes_received() == 0 ? "no greeting" : "greeting incomplete");
    } else {
      Finish(ProbeStatus::kTimeout, "no reply during " + phase);
    }
    Close(Ending::kReset);
  }

  void ArmTimer(std::chrono::milliseconds timeout) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        started_ + env_.timeouts.session - Clock::now());
    if (remaining < timeout) timeout = remaining;
    if (timeout.count() < 0) timeout = std::chrono::milliseconds(0);
    uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<Probe*>(t->data)->OnTimer(); },
                   static_cast<uint64_t>(timeout.count()), 0);
  }

  void Write(std::string data) {
    if (data.empty() || closing_) return;
    auto* w = new WriteRequest{uv_write_t{}, std::move(data)};
    w->req.data = this;
    uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
    int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
                      [](uv_write_t* req, int status) {
                        auto* done = reinterpret_cast<WriteRequest*>(req);
                        auto* self = static_cast<Probe*>(req->data);
                        delete done;
                        if (status < 0 && status != UV_ECANCELED) self->OnPeerGone(status);
                      });
    if (rc < 0) {
      delete w;
      // Reported by the read side too; make sure the session ends.
      if (lingering_) {
        FinalClose(true);
        return;
      }
      if (!finished_) Finish(ProbeStatus::kReset, std::string("write: ") + uv_strerror(rc));
      Close(Ending::kReset);
    }
  }

  // Finish records the first result; later events do not overwrite it.
  void Finish(ProbeStatus status, std::string detail) {
    if (finished_) return;
    finished_ = true;
    record_.status = status;
    record_.detail = SanitizeText(detail, 300);
  }

  // Close ends the session: the record is final from here. A graceful ending keeps the
  // connection a little longer (Linger); the probe is done when its handles have closed.
  void Close(Ending ending) {
    if (closing_) return;
    closing_ = true;
    AcceptNow();
    if (!finished_) Finish(ProbeStatus::kClosed, "connection closed");
    record_.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
    facts_.greeting = smtp_.greeting();
    facts_.ehlo_ok = smtp_.ehlo_ok();
    facts_.starttls_advertised = smtp_.starttls_advertised();
    record_.tls_attempted = facts_.reached_tls;
    // The SSL object can go now; the record holds what it told us.
    if (handshake_) handshake_->Release();
    uv_timer_stop(&timer_);
    if (peer_failed_) ending = Ending::kReset;  // nothing left to be polite to
    if (ending == Ending::kReset || !record_.connected || peer_eof_) {
      // After the server's FIN our close() sends a FIN that leaves no TIME_WAIT here.
      FinalClose(ending == Ending::kReset);
      return;
    }
    Linger(ending);
  }

  // Linger waits, bounded, for the server's FIN, reading (and dropping) whatever comes first:
  // closing with unread bytes would make the kernel send a RST after all. RFC 5321 §4.1.1.10 has
  // the server close after its 221, so the wait is normally one round trip.
  void Linger(Ending ending) {
    lingering_ = true;
    if (ending == Ending::kHangUp) {
      // Queued behind the alert: the server reads user_canceled, then our FIN.
      shutdown_.data = this;
      if (uv_shutdown(&shutdown_, reinterpret_cast<uv_stream_t*>(&tcp_), [](uv_shutdown_t*, int) {}) != 0) {
        FinalClose(true);
        return;
      }
    }
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        started_ + env_.timeouts.session - Clock::now());
    auto wait = std::min(env_.timeouts.fin_wait, std::max(remaining, std::chrono::milliseconds(0)));
    uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<Probe*>(t->data)->OnTimer(); },
                   static_cast<uint64_t>(wait.count()), 0);
  }

  void OnLingerRead(ssize_t nread) {
    if (nread < 0) FinalClose(nread != UV_EOF);
  }

  // FinalClose closes both handles: with a RST when |reset|, else with a FIN.
  void FinalClose(bool reset) {
    if (handles_closing_) return;
    handles_closing_ = true;
    uv_timer_stop(&timer_);
    open_handles_ = 2;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), OnHandleClosed);
    if (!reset || !record_.connected || uv_tcp_close_reset(&tcp_, OnHandleClosed) != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), OnHandleClosed);
    }
  }

  static void OnHandleClosed(uv_handle_t* handle) {
    auto* self = static_cast<Probe*>(handle->data);
    if (--self->open_handles_ > 0) return;
    ProbeDone done = std::move(self->done_);
    ProbeRecord record = std::move(self->record_);
    SessionFacts facts = std::move(self->facts_);
    delete self;
    done(record, facts);
  }

  const ProbeEnv& env_;
  ProbeRequest request_;
  ProbeDone done_;
  smtp::Session smtp_;
  std::unique_ptr<tls::TlsDriver> handshake_;
  tls::ClientHandshake* client_handshake_ = nullptr;  // handshake_ when it is a BoringSSL one
  Clock::time_point started_;

  uv_tcp_t tcp_{};
  uv_timer_t timer_{};
  uv_connect_t connect_{};
  uv_shutdown_t shutdown_{};
  bool connect_pending_ = true;
  bool closing_ = false;          // the record is final; only the connection's end is left
  bool lingering_ = false;        // waiting for the server's FIN (Linger)
  bool handles_closing_ = false;
  bool peer_eof_ = false;         // the server sent its FIN
  bool peer_failed_ = false;      // a read or write failed (reset, broken pipe)
  bool awaiting_answer_ = false;  // TLS 1.3 completed; the server has not answered since
  bool finished_ = false;
  int open_handles_ = 0;
  smtp::Phase armed_phase_ = smtp::Phase::kGreeting;

  ProbeRecord record_;
  SessionFacts facts_;
};

}  // namespace

void StartProbe(const ProbeEnv& env, const ProbeRequest& request, ProbeDone done) {
  auto* probe = new Probe(env, request, std::move(done));
  probe->Start();
}

}  // namespace mxsweep
