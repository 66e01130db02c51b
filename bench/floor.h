// floor.h: the least work one STARTTLS probe can cost the client, measured on this machine.
//
// The crypto a BoringSSL client does in one full handshake (an X25519 key pair and shared secret,
// one signature verification with the server's key) and one TCP connect+close on loopback. The
// engine benchmark divides its client CPU per probe by these numbers from the same run.
#pragma once

#include <cstddef>

namespace mxsweep::bench {

// Each function does its operation |n| times and returns the process CPU time (user + system)
// per operation, in microseconds. They abort on a library failure: a floor that silently did
// nothing would flatter every ratio built on it.
double X25519KeygenDeriveMicros(size_t n);
double EcdsaP256VerifyMicros(size_t n);
double Rsa2048VerifyMicros(size_t n);
// TcpConnectCloseMicros: non-blocking connect to a listener on 127.0.0.1, wait for it to
// complete, close with RST (as mxsweep does). The accept side's work is excluded from the time.
double TcpConnectCloseMicros(size_t n);

// One operation each, for Google Benchmark's loop.
struct CryptoFixture;
CryptoFixture* NewCryptoFixture();
void FreeCryptoFixture(CryptoFixture* f);
void X25519Once(CryptoFixture* f);
void EcdsaVerifyOnce(CryptoFixture* f);
void RsaVerifyOnce(CryptoFixture* f);

// ProcessCpuMicros is user + system CPU of this process so far.
double ProcessCpuMicros();

}  // namespace mxsweep::bench
