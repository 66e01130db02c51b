// dns_responder.h: an authoritative DNS server on the libuv loop, serving a DnsZone over UDP
// and TCP on one loopback address and port. Used by the resolver tests, the benchmarks and
// `mxsweep demo`; point AresOptions::servers at address().
//
//   DnsResponder dns(loop);
//   dns.zone().AddMx("example.test", 10, "mx.example.test");
//   dns.zone().AddA("mx.example.test", "127.0.0.25");
//   if (dns.Start("127.0.0.53", 0) != 0) ...;
//   ... resolver with servers = {dns.address()} ...
//   dns.Close([] { /* every handle closed */ });
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "sim/dns_zone.h"

namespace mxsweep::sim {

class DnsResponder {
 public:
  explicit DnsResponder(uv_loop_t* loop) : loop_(loop) {}
  DnsResponder(const DnsResponder&) = delete;
  DnsResponder& operator=(const DnsResponder&) = delete;
  // Close must have finished before destruction if Start was called.
  ~DnsResponder() = default;

  // zone is the data served; it may be changed at any time, also while serving.
  DnsZone& zone() { return zone_; }

  // Start binds UDP and TCP on |ip|:|port| (port 0: an ephemeral UDP port, then TCP on the
  // same number) and starts serving. Returns 0 or a negative libuv error; after a failure
  // Close must still be called.
  int Start(std::string_view ip, uint16_t port);

  // port is the bound port (after a successful Start); address is "ip:port" ("[ip]:port" for
  // IPv6), the form AresOptions::servers takes.
  uint16_t port() const { return port_; }
  std::string address() const;

  // tcp_queries counts messages received over TCP (a TC fallback shows up here).
  size_t tcp_queries() const { return tcp_queries_; }

  // Close stops serving and closes every handle (sockets and TCP connections); |closed| runs
  // after the last close callback, from the loop.
  void Close(std::function<void()> closed);

 private:
  struct TcpConnection {
    uv_tcp_t handle;
    DnsResponder* owner;
    std::vector<uint8_t> buffer;
  };

  void OnUdpRead(ssize_t nread, const uv_buf_t* buf, const sockaddr* from);
  void OnTcpConnection(int status);
  void OnTcpRead(TcpConnection* conn, ssize_t nread, const uv_buf_t* buf);
  void CloseConnection(TcpConnection* conn);
  void CloseHandle(uv_handle_t* handle);
  void HandleClosed();

  uv_loop_t* loop_;
  DnsZone zone_;
  std::string ip_;
  uint16_t port_ = 0;
  uv_udp_t udp_{};
  uv_tcp_t tcp_{};
  bool udp_open_ = false;
  bool tcp_open_ = false;
  // One receive buffer for every UDP datagram and TCP read: the loop is single-threaded and
  // each read is consumed before the next.
  char read_buffer_[65536];
  std::unordered_set<TcpConnection*> connections_;
  size_t open_handles_ = 0;
  bool closing_ = false;
  std::function<void()> closed_;
  size_t tcp_queries_ = 0;
};

}  // namespace mxsweep::sim
