#include "bench/floor.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/curve25519.h>
#include <openssl/ec.h>
#include <openssl/ec_key.h>
#include <openssl/ecdsa.h>
#include <openssl/nid.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace mxsweep::bench {

struct CryptoFixture {
  uint8_t digest[32];
  EC_KEY* ec = nullptr;
  std::vector<uint8_t> ec_sig;
  RSA* rsa = nullptr;
  std::vector<uint8_t> rsa_sig;
};

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "floor: %s failed\n", what);
  std::abort();
}

}  // namespace

double ProcessCpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

CryptoFixture* NewCryptoFixture() {
  auto* f = new CryptoFixture();
  SHA256(reinterpret_cast<const uint8_t*>("ServerKeyExchange"), 17, f->digest);
  f->ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  if (f->ec == nullptr || !EC_KEY_generate_key(f->ec)) Die("EC key");
  f->ec_sig.resize(ECDSA_size(f->ec));
  unsigned sig_len = 0;
  if (!ECDSA_sign(0, f->digest, sizeof(f->digest), f->ec_sig.data(), &sig_len, f->ec)) Die("ECDSA_sign");
  f->ec_sig.resize(sig_len);
  f->rsa = RSA_new();
  BIGNUM* e = BN_new();
  if (f->rsa == nullptr || e == nullptr || !BN_set_word(e, RSA_F4) ||
      !RSA_generate_key_ex(f->rsa, 2048, e, nullptr)) {
    Die("RSA key");
  }
  BN_free(e);
  f->rsa_sig.resize(RSA_size(f->rsa));
  unsigned rsa_len = 0;
  if (!RSA_sign(NID_sha256, f->digest, sizeof(f->digest), f->rsa_sig.data(), &rsa_len, f->rsa)) Die("RSA_sign");
  f->rsa_sig.resize(rsa_len);
  return f;
}

void FreeCryptoFixture(CryptoFixture* f) {
  EC_KEY_free(f->ec);
  RSA_free(f->rsa);
  delete f;
}

void X25519Once(CryptoFixture*) {
  // A client's share of an X25519 exchange: its key pair, then the shared secret with the
  // server's public value (here another fresh key, made outside the count would cost the same).
  static uint8_t peer_public[32], peer_private[64];
  static bool init = (X25519_keypair(peer_public, peer_private), true);
  (void)init;
  uint8_t pub[32], priv[32], secret[32];
  X25519_keypair(pub, priv);
  if (!X25519(secret, priv, peer_public)) Die("X25519");
}

void EcdsaVerifyOnce(CryptoFixture* f) {
  if (ECDSA_verify(0, f->digest, sizeof(f->digest), f->ec_sig.data(), f->ec_sig.size(), f->ec) != 1) {
    Die("ECDSA_verify");
  }
}

void RsaVerifyOnce(CryptoFixture* f) {
  if (!RSA_verify(NID_sha256, f->digest, sizeof(f->digest), f->rsa_sig.data(), f->rsa_sig.size(), f->rsa)) {
    Die("RSA_verify");
  }
}

namespace {

template <typename Op>
double PerOp(size_t n, Op op) {
  CryptoFixture* f = NewCryptoFixture();
  op(f);  // warm up
  double start = ProcessCpuMicros();
  for (size_t i = 0; i < n; i++) op(f);
  double per = (ProcessCpuMicros() - start) / static_cast<double>(n);
  FreeCryptoFixture(f);
  return per;
}

}  // namespace

double X25519KeygenDeriveMicros(size_t n) { return PerOp(n, X25519Once); }
double EcdsaP256VerifyMicros(size_t n) { return PerOp(n, EcdsaVerifyOnce); }
double Rsa2048VerifyMicros(size_t n) { return PerOp(n, RsaVerifyOnce); }

namespace {

// LoopbackListener listens on an ephemeral port of 127.0.0.1, non-blocking.
int LoopbackListener() {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listener, 4096) != 0) {
    Die("listen on 127.0.0.1");
  }
  return listener;
}

uint16_t ListenerPort(int listener) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) Die("getsockname");
  return ntohs(addr.sin_port);
}

// ConnectAndReset connects to 127.0.0.1:|port| without blocking, waits for the connection to
// complete and closes it with RST, as mxsweep closes a probe.
void ConnectAndReset(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) Die("socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 && errno != EINPROGRESS) {
    Die("connect");
  }
  pollfd p{fd, POLLOUT, 0};
  if (poll(&p, 1, 5000) != 1) Die("poll");
  linger lg{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  close(fd);
}

// ConnectAndCloseAfterServer connects as ConnectAndReset does, then lets the server side close
// first (accept and close, untimed) and closes after reading its FIN, as mxsweep ends a clean
// session. Returns the client's share: CPU microseconds of the connect and of the close.
double ConnectAndCloseAfterServer(int listener, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  double t0 = ProcessCpuMicros();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) Die("socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 && errno != EINPROGRESS) {
    Die("connect");
  }
  pollfd p{fd, POLLOUT, 0};
  if (poll(&p, 1, 5000) != 1) Die("poll");
  double t1 = ProcessCpuMicros();
  pollfd l{listener, POLLIN, 0};
  if (poll(&l, 1, 5000) != 1) Die("poll listener");
  int server = accept(listener, nullptr, nullptr);
  if (server < 0) Die("accept");
  close(server);
  double t2 = ProcessCpuMicros();
  p = {fd, POLLIN, 0};
  if (poll(&p, 1, 5000) != 1) Die("poll for the FIN");
  char c;
  if (read(fd, &c, 1) != 0) Die("read: want the server's FIN");
  close(fd);
  return (t1 - t0) + (ProcessCpuMicros() - t2);
}

void DrainAccepts(int listener) {
  for (;;) {
    int c = accept(listener, nullptr, nullptr);
    if (c < 0) break;
    close(c);
  }
}

}  // namespace

double TcpConnectCloseMicros(size_t n) {
  int listener = LoopbackListener();
  uint16_t port = ListenerPort(listener);
  double timed = 0;
  for (size_t i = 0; i < n; i++) timed += ConnectAndCloseAfterServer(listener, port);
  close(listener);
  return timed / static_cast<double>(n);
}

double TcpConnectResetMicros(size_t n) {
  int listener = LoopbackListener();
  uint16_t port = ListenerPort(listener);
  // Connect in batches below the backlog; drain the accept queue between batches, untimed.
  constexpr size_t kBatch = 256;
  double timed = 0;
  size_t done = 0;
  while (done < n) {
    size_t batch = std::min(kBatch, n - done);
    double start = ProcessCpuMicros();
    for (size_t i = 0; i < batch; i++) ConnectAndReset(port);
    timed += ProcessCpuMicros() - start;
    done += batch;
    DrainAccepts(listener);
  }
  close(listener);
  return timed / static_cast<double>(n);
}

InterleavedFloor::InterleavedFloor()
    : crypto_(NewCryptoFixture()), listener_(LoopbackListener()), port_(ListenerPort(listener_)) {
  X25519Once(crypto_);  // warm up
  EcdsaVerifyOnce(crypto_);
}

InterleavedFloor::~InterleavedFloor() {
  FreeCryptoFixture(crypto_);
  close(listener_);
}

double InterleavedFloor::Sample() {
  double t0 = ProcessCpuMicros();
  X25519Once(crypto_);
  double t1 = ProcessCpuMicros();
  EcdsaVerifyOnce(crypto_);
  double t2 = ProcessCpuMicros();
  ConnectAndReset(port_);
  double t3 = ProcessCpuMicros();
  DrainAccepts(listener_);
  tcp_ += ConnectAndCloseAfterServer(listener_, port_);
  x25519_ += t1 - t0;
  ecdsa_ += t2 - t1;
  tcp_reset_ += t3 - t2;
  samples_++;
  return ProcessCpuMicros() - t0;
}

void InterleavedFloor::Reset() {
  x25519_ = ecdsa_ = tcp_ = tcp_reset_ = 0;
  samples_ = 0;
}

}  // namespace mxsweep::bench
