// hello_capture: send one raw ClientHello of a hello kind straight to a TLS server on loopback and
// print, as hex, the bytes it answered with up to the end of its ServerHello or alert. This is how
// tests/data/hello/*.hex were captured (see tests/data/hello/README.md).
//
//   hello_capture 127.60.0.1 4433 hello-TLS1.0 [server-name]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tls/hello_probe.h"

int main(int argc, char** argv) {
  using namespace mxsweep::tls;
  if (argc < 4) {
    std::fprintf(stderr, "usage: hello_capture IPV4 PORT KIND [SERVER_NAME]\n");
    return 2;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  // Loopback only: this is a test tool.
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 || (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    std::fprintf(stderr, "hello_capture: an IPv4 address in 127.0.0.0/8 is required\n");
    return 2;
  }
  ProbeKind kind;
  if (!ParseProbeKindName(argv[3], &kind) || !IsHelloKind(kind)) {
    std::fprintf(stderr, "hello_capture: not a hello kind: %s\n", argv[3]);
    return 2;
  }
  HelloProbe probe(kind, argc > 4 ? argv[4] : "mx.interop.test");
  probe.Start();
  std::string hello = probe.TakeOutput();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      write(fd, hello.data(), hello.size()) != static_cast<ssize_t>(hello.size())) {
    std::perror("hello_capture");
    return 1;
  }
  std::string got;
  AnswerStatus status = AnswerStatus::kNeedMore;
  while (status == AnswerStatus::kNeedMore) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) break;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
    ServerAnswer answer;
    status = ParseServerAnswer(got, &answer);
  }
  close(fd);
  for (unsigned char c : got) std::printf("%02x", c);
  std::printf("\n");
  probe.Receive(got);
  std::fprintf(stderr, "%s: %s\n", std::string(AnswerStatusName(status)).c_str(),
               probe.result().detail.c_str());
  return 0;
}
