// tls_driver.h: what the probe glue drives after STARTTLS — a BoringSSL handshake or a raw hello
// — as bytes in, bytes out and a state, with no I/O of its own.
#pragma once

#include <string>
#include <string_view>

#include "tls/handshake_result.h"

namespace mxsweep::tls {

class TlsDriver {
 public:
  virtual ~TlsDriver() = default;

  enum class State {
    kInProgress,  // waiting for bytes from the server
    kCompleted,   // a handshake completed: application data (QUIT) may follow
    kAnswered,    // a raw hello has its answer (ServerHello); there is no channel to talk on
    kFailed,      // result() says why
  };

  // Start produces the first flight (take it with TakeOutput).
  virtual State Start() = 0;
  // Receive feeds bytes from the server.
  virtual State Receive(std::string_view bytes) = 0;
  // PeerClosed reports EOF (|reset| for a connection reset).
  virtual State PeerClosed(bool reset) = 0;
  // TakeOutput returns the bytes to send and clears them.
  virtual std::string TakeOutput() = 0;
  // result() is valid once the state is not kInProgress.
  virtual const HandshakeResult& result() const = 0;
  // Release frees what a waiting connection should not hold, keeping result().
  virtual void Release() = 0;
};

}  // namespace mxsweep::tls
