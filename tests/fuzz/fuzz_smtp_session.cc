// fuzz_smtp_session: the SMTP client state machine driven by an arbitrary server.
//
// The input is a script: each step starts with a control byte whose low bits choose the event
// (bytes from the server, EOF, handshake completed or failed) and the size of the byte piece that
// follows. Invariants checked: the session never sends MAIL/RCPT/DATA, never sends before the
// greeting is complete, never sends two commands without a reply in between (no pipelining), and
// ends in kDone once the peer has closed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scanner/smtp/smtp_session.h"

using mxsweep::smtp::Phase;
using mxsweep::smtp::Session;
using mxsweep::smtp::SessionOptions;

namespace {

// CheckOutput aborts when |out| holds a command mxsweep must never send, or more than one line.
void CheckOutput(const std::string& out) {
  if (out.empty()) return;
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) std::abort();
  if (out.find("\r\n") != out.size() - 2) std::abort();  // one command at a time
  for (std::string_view verb : {"MAIL", "RCPT", "DATA"}) {
    if (out.compare(0, verb.size(), verb) == 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SessionOptions options;
  options.ehlo_name = "scanner.example";
  Session session(options);
  size_t pos = 0;
  while (pos < size && !session.done()) {
    const uint8_t control = data[pos++];
    const size_t n = std::min<size_t>(size - pos, (control >> 2) * 4 + 1);
    Phase before = session.phase();
    switch (control & 3) {
      case 0:
      case 1:
        if (before == Phase::kHandshake) {
          session.HandshakeFinished((control & 1) != 0);
        } else {
          session.Receive(std::string_view(reinterpret_cast<const char*>(data) + pos, n));
          pos += n;
        }
        break;
      case 2:
        session.HandshakeFinished(true);
        break;
      case 3:
        session.PeerClosed();
        if (!session.done()) std::abort();
        break;
    }
    std::string out = session.TakeOutput();
    if (before == Phase::kGreeting && session.phase() == Phase::kGreeting && !out.empty()) {
      std::abort();  // spoke before the greeting ended
    }
    CheckOutput(out);
    if (session.failed() && session.detail().empty()) std::abort();
  }
  return 0;
}
