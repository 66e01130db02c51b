#include "sim/dns_responder.h"

#include <cstring>
#include <memory>

#include "resolver/dns_wire.h"
#include "base/ip_address.h"

namespace mxsweep::sim {

namespace {

// A TCP message is at most 65535 bytes behind its 2-byte length; a connection that sends more
// without completing a message is garbage and gets closed.
constexpr size_t kMaxTcpBuffer = 2 + 65535;
// Connections past this are refused: the simulated server must not run out of descriptors on
// behalf of a buggy client under test.
constexpr size_t kMaxTcpConnections = 256;

struct UdpSend {
  uv_udp_send_t req;
  std::vector<uint8_t> data;
};

struct TcpWrite {
  uv_write_t req;
  std::vector<uint8_t> data;
};

}  // namespace

int DnsResponder::Start(std::string_view ip, uint16_t port) {
  IpAddress addr;
  if (!IpAddress::Parse(ip, &addr)) return UV_EINVAL;
  ip_ = std::string(ip);
  sockaddr_storage ss;
  addr.ToSockaddr(port, &ss);

  int rc = uv_udp_init(loop_, &udp_);
  if (rc != 0) return rc;
  udp_.data = this;
  udp_open_ = true;
  ++open_handles_;
  rc = uv_udp_bind(&udp_, reinterpret_cast<const sockaddr*>(&ss), 0);
  if (rc != 0) return rc;
  sockaddr_storage bound;
  int namelen = sizeof(bound);
  rc = uv_udp_getsockname(&udp_, reinterpret_cast<sockaddr*>(&bound), &namelen);
  if (rc != 0) return rc;
  // A sweep keeps hundreds of queries in flight; a simulated server that drops them under a
  // burst would make its own benchmark look like lost DNS (the kernel caps this at rmem_max).
  int receive_buffer = 1 << 20;
  uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(&udp_), &receive_buffer);
  port_ = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                           : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);

  rc = uv_tcp_init(loop_, &tcp_);
  if (rc != 0) return rc;
  tcp_.data = this;
  tcp_open_ = true;
  ++open_handles_;
  addr.ToSockaddr(port_, &ss);
  rc = uv_tcp_bind(&tcp_, reinterpret_cast<const sockaddr*>(&ss), 0);
  if (rc != 0) return rc;
  rc = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp_), 64, [](uv_stream_t* server, int status) {
    static_cast<DnsResponder*>(server->data)->OnTcpConnection(status);
  });
  if (rc != 0) return rc;

  return uv_udp_recv_start(
      &udp_,
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* self = static_cast<DnsResponder*>(handle->data);
        *buf = uv_buf_init(self->read_buffer_, sizeof(self->read_buffer_));
      },
      [](uv_udp_t* udp, ssize_t nread, const uv_buf_t* buf, const sockaddr* from, unsigned) {
        static_cast<DnsResponder*>(udp->data)->OnUdpRead(nread, buf, from);
      });
}

std::string DnsResponder::address() const {
  if (ip_.find(':') != std::string::npos) return "[" + ip_ + "]:" + std::to_string(port_);
  return ip_ + ":" + std::to_string(port_);
}

void DnsResponder::OnUdpRead(ssize_t nread, const uv_buf_t* buf, const sockaddr* from) {
  if (nread <= 0 || from == nullptr || closing_) return;
  auto send = std::make_unique<UdpSend>();
  if (!zone_.Answer(reinterpret_cast<const uint8_t*>(buf->base), static_cast<size_t>(nread),
                    dns::kMaxUdpPayload, &send->data)) {
    return;
  }
  uv_buf_t out = uv_buf_init(reinterpret_cast<char*>(send->data.data()),
                             static_cast<unsigned>(send->data.size()));
  int rc = uv_udp_send(&send->req, &udp_, &out, 1, from, [](uv_udp_send_t* req, int) {
    delete reinterpret_cast<UdpSend*>(req);  // req is the first member
  });
  if (rc == 0) send.release();  // owned by the callback now; a failed send is a lost datagram
}

void DnsResponder::OnTcpConnection(int status) {
  if (status < 0 || closing_) return;
  auto* conn = new TcpConnection{};
  conn->owner = this;
  uv_tcp_init(loop_, &conn->handle);
  conn->handle.data = conn;
  ++open_handles_;
  connections_.insert(conn);
  if (uv_accept(reinterpret_cast<uv_stream_t*>(&tcp_),
                reinterpret_cast<uv_stream_t*>(&conn->handle)) != 0 ||
      connections_.size() > kMaxTcpConnections) {
    CloseConnection(conn);
    return;
  }
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&conn->handle),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* c = static_cast<TcpConnection*>(handle->data);
        *buf = uv_buf_init(c->owner->read_buffer_, sizeof(c->owner->read_buffer_));
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        auto* c = static_cast<TcpConnection*>(stream->data);
        c->owner->OnTcpRead(c, nread, buf);
      });
}

void DnsResponder::OnTcpRead(TcpConnection* conn, ssize_t nread, const uv_buf_t* buf) {
  if (nread < 0) {  // EOF or error: the client is done with us
    CloseConnection(conn);
    return;
  }
  conn->buffer.insert(conn->buffer.end(), buf->base, buf->base + nread);
  for (;;) {
    if (conn->buffer.size() < 2) break;
    size_t length = size_t{conn->buffer[0]} << 8 | conn->buffer[1];
    if (conn->buffer.size() < 2 + length) break;
    ++tcp_queries_;
    std::vector<uint8_t> answer;
    bool reply = zone_.Answer(conn->buffer.data() + 2, length, 65535, &answer);
    conn->buffer.erase(conn->buffer.begin(), conn->buffer.begin() + 2 + static_cast<long>(length));
    if (!reply) continue;
    auto write = std::make_unique<TcpWrite>();
    write->data.reserve(2 + answer.size());
    write->data.push_back(static_cast<uint8_t>(answer.size() >> 8));
    write->data.push_back(static_cast<uint8_t>(answer.size()));
    write->data.insert(write->data.end(), answer.begin(), answer.end());
    uv_buf_t out = uv_buf_init(reinterpret_cast<char*>(write->data.data()),
                               static_cast<unsigned>(write->data.size()));
    int rc = uv_write(&write->req, reinterpret_cast<uv_stream_t*>(&conn->handle), &out, 1,
                      [](uv_write_t* req, int) { delete reinterpret_cast<TcpWrite*>(req); });
    if (rc != 0) {
      CloseConnection(conn);
      return;
    }
    write.release();
  }
  if (conn->buffer.size() > kMaxTcpBuffer) CloseConnection(conn);
}

void DnsResponder::CloseConnection(TcpConnection* conn) {
  if (connections_.erase(conn) == 0) return;  // already closing
  uv_close(reinterpret_cast<uv_handle_t*>(&conn->handle), [](uv_handle_t* handle) {
    auto* c = static_cast<TcpConnection*>(handle->data);
    DnsResponder* self = c->owner;
    delete c;
    self->HandleClosed();
  });
}

void DnsResponder::CloseHandle(uv_handle_t* handle) {
  uv_close(handle, [](uv_handle_t* h) { static_cast<DnsResponder*>(h->data)->HandleClosed(); });
}

void DnsResponder::Close(std::function<void()> closed) {
  if (closing_) return;
  closing_ = true;
  closed_ = std::move(closed);
  std::unordered_set<TcpConnection*> connections = connections_;
  for (TcpConnection* conn : connections) CloseConnection(conn);
  if (udp_open_) CloseHandle(reinterpret_cast<uv_handle_t*>(&udp_));
  if (tcp_open_) CloseHandle(reinterpret_cast<uv_handle_t*>(&tcp_));
  if (open_handles_ == 0 && closed_) {
    // Start was never called: nothing to wait for, but still not synchronous with Close.
    auto* idle = new uv_idle_t;
    uv_idle_init(loop_, idle);
    idle->data = this;
    ++open_handles_;
    uv_idle_start(idle, [](uv_idle_t* h) {
      uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* hh) {
        auto* self = static_cast<DnsResponder*>(hh->data);
        delete reinterpret_cast<uv_idle_t*>(hh);
        self->HandleClosed();
      });
    });
  }
}

void DnsResponder::HandleClosed() {
  if (--open_handles_ == 0 && closing_ && closed_) {
    std::function<void()> closed = std::move(closed_);
    closed();
  }
}

}  // namespace mxsweep::sim
