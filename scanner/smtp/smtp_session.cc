#include "scanner/smtp/smtp_session.h"

#include <cctype>

#include "base/sanitize.h"
#include "scanner/smtp/refusal_text.h"

namespace mxsweep::smtp {
namespace {

// IsStartTlsLine reports whether an EHLO reply line advertises STARTTLS: the keyword alone or
// followed by parameters, in any case (RFC 5321 §4.1.1.1 keywords are case-insensitive).
bool IsStartTlsLine(std::string_view line) {
  static constexpr std::string_view kKeyword = "STARTTLS";
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.size() < kKeyword.size()) return false;
  for (size_t i = 0; i < kKeyword.size(); i++) {
    if (std::toupper(static_cast<unsigned char>(line[i])) != kKeyword[i]) return false;
  }
  return line.size() == kKeyword.size() || line[kKeyword.size()] == ' ' ||
         line[kKeyword.size()] == '\t';
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kGreeting: return "greeting";
    case Phase::kEhlo: return "ehlo";
    case Phase::kHelo: return "helo";
    case Phase::kStartTls: return "starttls";
    case Phase::kHandshake: return "handshake";
    case Phase::kQuit: return "quit";
    case Phase::kDone: return "done";
  }
  return "unknown";
}

std::string ReplySummary(const Reply& reply) {
  std::string text = std::to_string(reply.code);
  if (!reply.lines.empty() && !reply.lines.front().empty()) {
    text += ' ';
    text += reply.lines.front();
  }
  return SanitizeText(text, 200);
}

std::string ReplyText(const Reply& reply) {
  std::string text = std::to_string(reply.code);
  for (const std::string& line : reply.lines) {
    if (line.empty()) continue;
    text += ' ';
    text += line;
  }
  return SanitizeText(text, 300);
}

Session::Session(SessionOptions options)
    : options_(std::move(options)), parser_(options_.limits) {}

void Session::Send(std::string_view line) {
  output_.append(line);
  output_.append("\r\n");
}

void Session::Fail(ProbeStatus status, std::string detail, bool say_quit) {
  failed_ = true;
  failure_ = status;
  detail_ = std::move(detail);
  if (say_quit) {
    Send("QUIT");
    phase_ = Phase::kQuit;
  } else {
    phase_ = Phase::kDone;
  }
}

void Session::Refuse(const Reply& reply, std::string_view what, ProbeStatus fallback, bool say_quit) {
  RefusalReason reason = ClassifyRefusalText(ReplyText(reply));
  failure_code_ = reply.code;
  if (reason == RefusalReason::kNone) {
    Fail(fallback, std::string(what) + ": " + ReplySummary(reply), say_quit);
  } else {
    Fail(RefusalStatus(reason), std::string(what) + ": " + ReplyText(reply), say_quit);
  }
}

void Session::Receive(std::string_view bytes) {
  if (phase_ == Phase::kDone || phase_ == Phase::kHandshake) return;
  received_ += bytes.size();
  if (received_ > options_.max_session_bytes && phase_ != Phase::kQuit) {
    Fail(ProbeStatus::kProtocolError, "server sent more than the session byte limit", false);
    return;
  }
  while (!bytes.empty() && phase_ != Phase::kDone && phase_ != Phase::kHandshake) {
    size_t consumed = 0;
    ReplyParser::Result result = parser_.Feed(bytes, &consumed);
    bytes.remove_prefix(consumed);
    if (result == ReplyParser::Result::kNeedMore) return;
    if (result == ReplyParser::Result::kError) {
      if (phase_ == Phase::kQuit) {
        phase_ = Phase::kDone;  // the verdict is in; a garbled goodbye changes nothing
      } else {
        Fail(ProbeStatus::kProtocolError, std::string(ParseErrorName(parser_.error())) + " in " +
                                              std::string(PhaseName(phase_)),
             false);
      }
      return;
    }
    OnReply(parser_.TakeReply());
    if (!bytes.empty() && !output_.empty() && phase_ != Phase::kDone &&
        phase_ != Phase::kHandshake && phase_ != Phase::kQuit) {
      // More replies in the same read as the one that made us speak: they cannot answer the
      // command we have not sent yet. Treating them as its answer would be pipelining (EHLO and
      // STARTTLS out together) on a stranger's say-so.
      output_.clear();
      Fail(ProbeStatus::kProtocolError,
           "server sent a reply before the command it would answer (" + std::string(PhaseName(phase_)) + ")",
           false);
      return;
    }
  }
  if (phase_ == Phase::kHandshake && !bytes.empty()) {
    // Bytes after the 220 and before our ClientHello: a man in the middle or a buggy server
    // pipelining into the TLS channel (the CVE-2011-0411 class). Fail closed.
    injection_bytes_ = bytes.size();
    Fail(ProbeStatus::kStartTlsInjection,
         std::to_string(bytes.size()) + " bytes arrived after the STARTTLS 220", false);
  }
}

void Session::OnReply(const Reply& reply) {
  switch (phase_) {
    case Phase::kGreeting: OnGreeting(reply); break;
    case Phase::kEhlo: OnEhlo(reply); break;
    case Phase::kHelo: OnHelo(reply); break;
    case Phase::kStartTls: OnStartTls(reply); break;
    case Phase::kQuit: phase_ = Phase::kDone; break;
    case Phase::kHandshake:
    case Phase::kDone: break;
  }
}

void Session::OnGreeting(const Reply& reply) {
  for (const std::string& line : reply.lines) greeting_.push_back(SanitizeText(line, 200));
  if (reply.code == 220) {
    Send("EHLO " + options_.ehlo_name);
    phase_ = Phase::kEhlo;
  } else if (reply.code / 100 == 4) {
    // 421: "go away for now"; the server closes after it, there is nothing to QUIT.
    Refuse(reply, "greeting", ProbeStatus::kTempFail, false);
  } else {
    // 554 and friends: RFC 5321 §3.1 says wait for QUIT.
    Refuse(reply, "greeting", ProbeStatus::kGreetingRefused, true);
  }
}

void Session::OnEhlo(const Reply& reply) {
  if (reply.code == 250) {
    ehlo_ok_ = true;
    // The first line is the server's name; keywords follow.
    for (size_t i = 1; i < reply.lines.size(); i++) {
      if (IsStartTlsLine(reply.lines[i])) starttls_advertised_ = true;
    }
    if (starttls_advertised_) {
      Send("STARTTLS");
      phase_ = Phase::kStartTls;
    } else {
      Fail(ProbeStatus::kNoStartTls, "STARTTLS not advertised", true);
    }
  } else if (reply.code / 100 == 5 && ClassifyRefusalText(ReplyText(reply)) == RefusalReason::kNone) {
    // An SMTP-only server: HELO works, but it has no extensions, so no STARTTLS. (A 5xx that
    // names a blocklist or policy refuses us, not EHLO: a HELO past it would read as "no
    // STARTTLS".)
    Send("HELO " + options_.ehlo_name);
    phase_ = Phase::kHelo;
  } else {
    Refuse(reply, "EHLO", ProbeStatus::kTempFail, reply.code != 421);
  }
}

void Session::OnHelo(const Reply& reply) {
  if (reply.code == 250) {
    Fail(ProbeStatus::kNoStartTls, "EHLO refused, HELO accepted: no extensions", true);
  } else if (reply.code / 100 == 4) {
    Refuse(reply, "HELO", ProbeStatus::kTempFail, reply.code != 421);
  } else {
    Refuse(reply, "EHLO and HELO refused", ProbeStatus::kEhloRefused, true);
  }
}

void Session::OnStartTls(const Reply& reply) {
  if (reply.code == 220) {
    phase_ = Phase::kHandshake;
  } else if (reply.code == 421) {
    Refuse(reply, "STARTTLS", ProbeStatus::kTempFail, false);
  } else {
    // 454 "TLS not available due to temporary reason", 502: the server's TLS, unless the text
    // says the refusal is about us.
    Refuse(reply, "STARTTLS", ProbeStatus::kStartTlsRefused, true);
  }
}

void Session::PeerClosed() {
  switch (phase_) {
    case Phase::kQuit:
    case Phase::kDone: phase_ = Phase::kDone; return;
    case Phase::kHandshake: phase_ = Phase::kDone; return;  // the TLS layer reports this one
    default:
      Fail(ProbeStatus::kClosed,
           std::string("server closed the connection during ") + std::string(PhaseName(phase_)),
           false);
  }
}

void Session::HandshakeFinished(bool completed) {
  if (phase_ != Phase::kHandshake) return;
  if (completed) {
    Send("QUIT");
    phase_ = Phase::kQuit;
  } else {
    phase_ = Phase::kDone;
  }
}

}  // namespace mxsweep::smtp
