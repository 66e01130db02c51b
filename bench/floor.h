// floor.h: the least work one STARTTLS probe can cost the client, measured on this machine.
//
// The crypto a BoringSSL client does in one full handshake (an X25519 key pair and shared secret,
// one signature verification with the server's key) and one TCP connect+close on loopback, closed
// the way mxsweep closes a clean session: the server closes first, the client reads its FIN and
// closes (README "How a session ends"). The engine benchmark divides its client CPU per probe by
// these numbers from the same run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mxsweep::bench {

// Each function does its operation |n| times and returns the process CPU time (user + system)
// per operation, in microseconds. They abort on a library failure: a floor that silently did
// nothing would flatter every ratio built on it.
double X25519KeygenDeriveMicros(size_t n);
double EcdsaP256VerifyMicros(size_t n);
double Rsa2048VerifyMicros(size_t n);
// TcpConnectCloseMicros: non-blocking connect to a listener on 127.0.0.1, wait for it to
// complete; the server side closes (untimed, as the fleet's close is not the client's CPU), the
// client waits for the FIN, reads it and closes. The accept side's work is excluded from the time.
double TcpConnectCloseMicros(size_t n);
// TcpConnectResetMicros: the same connect, closed at once with RST (how mxsweep closed every
// session before it waited for the server's FIN; the floor until then).
double TcpConnectResetMicros(size_t n);

// One operation each, for Google Benchmark's loop.
struct CryptoFixture;
CryptoFixture* NewCryptoFixture();
void FreeCryptoFixture(CryptoFixture* f);
void X25519Once(CryptoFixture* f);
void EcdsaVerifyOnce(CryptoFixture* f);
void RsaVerifyOnce(CryptoFixture* f);

// ProcessCpuMicros is user + system CPU of this process so far.
double ProcessCpuMicros();

// InterleavedFloor measures the floor in single operations taken between the probes of a running
// benchmark. On this VM the CPU's speed moves by tens of percent within seconds, and more when
// the fleet keeps the other core busy; a floor measured before the probes, with the fleet idle,
// is not the floor the probes ran against. Sampling one operation of each kind every few probes
// puts both under the same conditions, and the caller subtracts Sample's cost from its own.
class InterleavedFloor {
 public:
  InterleavedFloor();
  ~InterleavedFloor();
  InterleavedFloor(const InterleavedFloor&) = delete;
  InterleavedFloor& operator=(const InterleavedFloor&) = delete;

  // Sample runs one X25519 exchange, one ECDSA P-256 verify, one TCP connect+close after the
  // server's FIN and, for reference, one TCP connect+RST close; it returns the CPU microseconds
  // the whole call took (timing and the untimed accept and server close included).
  double Sample();
  // Reset forgets the samples so far (between rounds).
  void Reset();

  // Mean CPU microseconds per operation over the samples since Reset.
  double x25519() const { return x25519_ / n(); }
  double ecdsa() const { return ecdsa_ / n(); }
  double tcp() const { return tcp_ / n(); }
  double tcp_reset() const { return tcp_reset_ / n(); }  // reference only: not in per_probe
  double per_probe() const { return x25519() + ecdsa() + tcp(); }
  size_t samples() const { return samples_; }

 private:
  double n() const { return samples_ == 0 ? 1.0 : static_cast<double>(samples_); }

  CryptoFixture* crypto_;
  int listener_ = -1;
  uint16_t port_ = 0;
  double x25519_ = 0, ecdsa_ = 0, tcp_ = 0, tcp_reset_ = 0;
  size_t samples_ = 0;
};

}  // namespace mxsweep::bench
