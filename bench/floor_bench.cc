// floor_bench.cc: the floor as Google Benchmark cases — the client-side crypto of one handshake
// and a loopback TCP connect+close (after the server's FIN; and with a RST, for comparison).
// Cross-check: `bssl-tool speed -filter ...`.
//
//   build/bench/mxsweep-bench-floor
#include <benchmark/benchmark.h>

#include "bench/floor.h"

namespace mxsweep::bench {
namespace {

void BM_X25519KeygenDerive(benchmark::State& state) {
  CryptoFixture* f = NewCryptoFixture();
  for (auto _ : state) X25519Once(f);
  FreeCryptoFixture(f);
}
BENCHMARK(BM_X25519KeygenDerive)->Unit(benchmark::kMicrosecond);

void BM_EcdsaP256Verify(benchmark::State& state) {
  CryptoFixture* f = NewCryptoFixture();
  for (auto _ : state) EcdsaVerifyOnce(f);
  FreeCryptoFixture(f);
}
BENCHMARK(BM_EcdsaP256Verify)->Unit(benchmark::kMicrosecond);

void BM_Rsa2048Verify(benchmark::State& state) {
  CryptoFixture* f = NewCryptoFixture();
  for (auto _ : state) RsaVerifyOnce(f);
  FreeCryptoFixture(f);
}
BENCHMARK(BM_Rsa2048Verify)->Unit(benchmark::kMicrosecond);

// CPU per connect+close after the server's FIN, measured inside (the accept side and the
// server's close are excluded): one iteration = 256.
void BM_TcpConnectCloseLoopback(benchmark::State& state) {
  for (auto _ : state) {
    double us = TcpConnectCloseMicros(256);
    state.SetIterationTime(us * 256 / 1e6);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 256));
}
BENCHMARK(BM_TcpConnectCloseLoopback)->UseManualTime()->Unit(benchmark::kMillisecond);

// The same with a RST close at once, for comparison.
void BM_TcpConnectResetLoopback(benchmark::State& state) {
  for (auto _ : state) {
    double us = TcpConnectResetMicros(256);
    state.SetIterationTime(us * 256 / 1e6);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 256));
}
BENCHMARK(BM_TcpConnectResetLoopback)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mxsweep::bench

BENCHMARK_MAIN();
