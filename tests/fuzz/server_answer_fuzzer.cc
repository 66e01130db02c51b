// libFuzzer target for the parser of a server's answer to a raw ClientHello (bytes from strangers).
// Also feeds the bytes to a HelloProbe, in one piece and split, so the driver's bounds and the
// parser are exercised together.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tls/hello_probe.h"
#include "tls/server_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mxsweep::tls;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ServerAnswer answer;
  ParseServerAnswer(bytes, &answer);

  HelloSecrets secrets;
  HelloProbe probe(ProbeKind::kHelloAuto, OfferFor(ProbeKind::kHelloAuto, "mx.fuzz.test"), secrets);
  probe.Start();
  probe.TakeOutput();
  size_t half = size / 2;
  if (probe.Receive(bytes.substr(0, half)) == TlsDriver::State::kInProgress &&
      probe.Receive(bytes.substr(half)) == TlsDriver::State::kInProgress) {
    probe.PeerClosed(false);
  }
  return 0;
}
