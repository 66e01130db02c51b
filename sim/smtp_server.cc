#include "sim/smtp_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstring>

namespace mxsweep::sim {
namespace {

// A simulated server holds at most this much of an unfinished command line; the scanner's lines
// are short, anything longer is a bug worth a closed connection.
constexpr size_t kMaxCommandLine = 1024;

// Floods (kLongLine, kEndlessEhlo, kGarbageTls) are written one chunk at a time, the next when
// the kernel took the last: a client that stops reading stops the flood, and the server never
// holds more than one chunk.
constexpr size_t kFloodChunk = 16 * 1024;

struct WriteRequest {
  uv_write_t req;
  std::string data;
  bool close_after;
  bool flood = false;  // write the next flood chunk when this one is done
};

// GarbageRecord is one TLS handshake record header followed by pseudo-random bytes.
std::string GarbageRecord(uint32_t* seed) {
  std::string record = {'\x16', '\x03', '\x03', '\x40', '\x00'};
  record.resize(5 + 0x4000);
  for (size_t i = 5; i < record.size(); i++) {
    *seed = *seed * 1103515245u + 12345u;
    record[i] = static_cast<char>(*seed >> 16);
  }
  return record;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct SimSmtpServer::Connection {
  SimSmtpServer* server = nullptr;
  uv_tcp_t tcp{};
  uv_timer_t timer{};
  int open_handles = 0;
  bool closing = false;
  bool greeted = false;
  bool in_tls = false;
  std::string line;
  std::string pending;        // replies held back by reply_delay
  bool pending_close = false;
  bool said_bye = false;      // 221 sent: half-close after it and read on until the client's end
  uv_shutdown_t shutdown_req{};
  std::unique_ptr<tls::ServerTls> tls;
  // Hostile modes: the flood being written and how much of it is left (kEndlessEhlo never runs
  // out), and the slow greeting's progress.
  std::string flood_chunk;
  size_t flood_left = 0;
  bool flood_endless = false;
  std::string slow_text;
  size_t slow_sent = 0;

  const SimServerConfig& config() const { return server->config_; }

  // Close closes the connection; with |reset| the client gets a TCP RST instead of a FIN.
  void Close(bool reset = false) {
    if (closing) return;
    closing = true;
    uv_timer_stop(&timer);
    auto on_close = [](uv_handle_t* h) {
      auto* self = static_cast<Connection*>(h->data);
      if (--self->open_handles == 0) self->server->HandleClosed(self);
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), on_close);
    if (!reset || uv_tcp_close_reset(&tcp, on_close) != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&tcp), on_close);
    }
  }

  // ResetPending tells a RST from a FIN after libuv said EOF: when a RST arrives right behind
  // data, libuv reports the hang-up as EOF without reading the error, which is still pending.
  bool ResetPending() {
    uv_os_fd_t fd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp), &fd) != 0) return false;
    char c;
    return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == ECONNRESET;
  }

  // EndAfterWrite runs when a reply that ends the session has been written.
  void EndAfterWrite() {
    if (!said_bye) {
      Close();
      return;
    }
    // What MTAs do after 221 is close; half-closing instead sends the same FIN first, and
    // keeps reading so the client's FIN or RST is seen (stats). A client that never closes is
    // cut after kByeLinger.
    static constexpr uint64_t kByeLingerMs = 5000;
    if (uv_shutdown(&shutdown_req, reinterpret_cast<uv_stream_t*>(&tcp), [](uv_shutdown_t*, int) {}) != 0) {
      Close();
      return;
    }
    uv_timer_start(&timer, [](uv_timer_t* t) { static_cast<Connection*>(t->data)->Close(); }, kByeLingerMs, 0);
  }

  void StartFlood(std::string chunk, size_t total, bool endless) {
    flood_chunk = std::move(chunk);
    flood_left = total;
    flood_endless = endless;
    Flood();
  }

  void Flood() {
    if (closing || (!flood_endless && flood_left == 0)) return;
    std::string data = flood_chunk;
    if (!flood_endless) {
      if (data.size() > flood_left) data.resize(flood_left);
      flood_left -= data.size();
    }
    WriteRaw(std::move(data), false, true);
  }

  void SlowGreetingByte() {
    if (slow_sent >= slow_text.size()) {
      uv_timer_stop(&timer);
      return;
    }
    WriteRaw(slow_text.substr(slow_sent++, 1), false);
  }

  void WriteRaw(std::string data, bool close_after, bool flood = false) {
    if (closing) return;
    if (data.empty()) {
      if (close_after) EndAfterWrite();
      return;
    }
    auto* w = new WriteRequest{uv_write_t{}, std::move(data), close_after, flood};
    w->req.data = this;
    uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
    int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1,
                      [](uv_write_t* req, int status) {
                        auto* done = reinterpret_cast<WriteRequest*>(req);
                        auto* self = static_cast<Connection*>(req->data);
                        bool then_close = done->close_after;
                        bool then_flood = done->flood;
                        delete done;
                        if (status == UV_ECANCELED) return;
                        if (status < 0) {
                          self->Close();
                        } else if (then_close) {
                          self->EndAfterWrite();
                        } else if (then_flood) {
                          self->Flood();
                        }
                      });
    if (rc < 0) {
      delete w;
      Close();
    }
  }

  // Send emits an SMTP reply (cleartext or inside TLS), after the configured latency.
  void Send(std::string text, bool close_after = false) {
    if (config().reply_delay.count() > 0) {
      pending += text;
      pending_close = pending_close || close_after;
      if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&timer))) {
        uv_timer_start(&timer, [](uv_timer_t* t) {
          auto* self = static_cast<Connection*>(t->data);
          std::string due = std::move(self->pending);
          bool then_close = self->pending_close;
          self->pending.clear();
          self->pending_close = false;
          self->SendNow(std::move(due), then_close);
        }, static_cast<uint64_t>(config().reply_delay.count()), 0);
      }
      return;
    }
    SendNow(std::move(text), close_after);
  }

  void SendNow(std::string text, bool close_after) {
    if (in_tls) {
      if (!tls->Encrypt(text)) {
        Close();
        return;
      }
      WriteRaw(tls->TakeOutput(), close_after);
    } else {
      WriteRaw(std::move(text), close_after);
    }
  }

  void Greet() {
    greeted = true;
    const SimServerConfig& c = config();
    if (c.silent) return;
    switch (c.hostile) {
      case HostileMode::kSlowGreeting:
        slow_text = "220 " + c.host_name + " " + c.software + "\r\n";
        uv_timer_start(&timer, [](uv_timer_t* t) {
          static_cast<Connection*>(t->data)->SlowGreetingByte();
        }, 0, static_cast<uint64_t>(c.hostile_byte_interval.count()));
        return;
      case HostileMode::kLongLine:
        WriteRaw("220 ", false);
        StartFlood(std::string(kFloodChunk, 'A'), c.hostile_bytes, false);
        return;
      case HostileMode::kCodeChange:
        WriteRaw("220-" + c.host_name + " hello\r\n250 " + c.host_name + " ready\r\n", false);
        return;
      case HostileMode::kNeverRead:
        WriteRaw("220 " + c.host_name + " " + c.software + "\r\n", false);
        uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp));
        return;
      default:
        break;
    }
    std::string code = std::to_string(c.greeting_code);
    std::string text;
    if (c.multiline_greeting) text += code + "-" + c.host_name + " welcome to the simulation\r\n";
    text += code + " " + (c.greeting_text.empty() ? c.host_name + " " + c.software : c.greeting_text) + "\r\n";
    // 421 (any 4xx) means "closing": say it and go.
    SendNow(std::move(text), c.greeting_code / 100 == 4);
  }

  void OnCommand(std::string_view cmd) {
    const SimServerConfig& c = config();
    std::string verb = Upper(cmd.substr(0, cmd.find(' ')));
    SimServerStats& stats = server->stats_;
    if (c.greeting_code != 220) {
      // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT and refuses the rest.
      if (verb == "QUIT") {
        said_bye = true;
        Send("221 2.0.0 Bye\r\n", true);
      } else {
        Send("503 5.5.1 No SMTP service here\r\n");
      }
      return;
    }
    if (verb == "EHLO" && !c.ehlo_refusal.empty()) {
      Send(c.ehlo_refusal + "\r\n", c.ehlo_refusal.rfind("421", 0) == 0);
      return;
    }
    if (verb == "EHLO") {
      stats.last_ehlo = std::string(cmd.size() > 5 ? cmd.substr(5) : "");
      if (c.refuse_ehlo) {
        Send("502 5.5.2 EHLO not implemented\r\n");
        return;
      }
      if (c.hostile == HostileMode::kEndlessEhlo) {
        std::string ehlo_line = "250-" + std::string(70, 'X') + "\r\n";
        std::string chunk;
        while (chunk.size() + ehlo_line.size() <= kFloodChunk) chunk += ehlo_line;
        WriteRaw("250-" + c.host_name + "\r\n", false);
        StartFlood(std::move(chunk), 0, true);
        return;
      }
      std::string reply = "250-" + c.host_name + "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n";
      if (c.advertise_starttls && !in_tls) reply += "250-STARTTLS\r\n";
      reply += "250 8BITMIME\r\n";
      Send(std::move(reply));
    } else if (verb == "HELO") {
      stats.last_ehlo = std::string(cmd.size() > 5 ? cmd.substr(5) : "");
      Send("250 " + c.host_name + "\r\n");
    } else if (verb == "STARTTLS" && !in_tls && c.advertise_starttls) {
      if (c.starttls_code != 220) {
        Send(std::to_string(c.starttls_code) + " " + c.starttls_text + "\r\n", c.starttls_code == 421);
        return;
      }
      // Written at once (no latency) so the injected bytes share the 220's segment.
      WriteRaw("220 2.0.0 Ready to start TLS\r\n" + c.inject_after_starttls, false);
      in_tls = true;
      tls = std::make_unique<tls::ServerTls>(*server->tls_);
      line.clear();
    } else if (verb == "QUIT") {
      stats.quits++;
      said_bye = true;
      Send("221 2.0.0 Bye\r\n", c.close_after_quit);
    } else if (verb == "MAIL" || verb == "RCPT" || verb == "DATA") {
      stats.mail_commands++;
      Send("550 5.7.1 This simulated server accepts no mail\r\n");
    } else if (verb == "NOOP" || verb == "RSET") {
      Send("250 2.0.0 Ok\r\n");
    } else {
      Send("502 5.5.2 Command not recognized\r\n");
    }
  }

  void OnPlaintext(std::string_view data) {
    while (!data.empty() && !closing) {
      size_t lf = data.find('\n');
      if (lf == std::string_view::npos) {
        line.append(data);
        if (line.size() > kMaxCommandLine) Close();
        return;
      }
      line.append(data.substr(0, lf));
      data.remove_prefix(lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string cmd = std::move(line);
      line.clear();
      bool was_tls = in_tls;
      OnCommand(cmd);
      if (!was_tls && in_tls) {
        // Whatever the client pipelined after STARTTLS belongs to TLS.
        OnTlsBytes(data);
        return;
      }
    }
  }

  void OnTlsBytes(std::string_view data) {
    if (data.empty()) return;
    if (config().hostile == HostileMode::kResetInHandshake) {
      Close(true);
      return;
    }
    if (config().hostile == HostileMode::kGarbageTls) {
      if (flood_chunk.empty()) {
        uint32_t seed = 0x5eed;
        StartFlood(GarbageRecord(&seed), config().hostile_bytes, false);
      }
      return;
    }
    std::string plain;
    tls::ServerTls::State before = tls->state();
    tls::ServerTls::State state = tls->Receive(data, &plain);
    WriteRaw(tls->TakeOutput(), state == tls::ServerTls::State::kFailed);
    if (state == tls::ServerTls::State::kCompleted && before != state) server->stats_.handshakes++;
    if (state == tls::ServerTls::State::kCompleted && !plain.empty()) OnPlaintext(plain);
  }

  void OnRead(ssize_t nread, const uv_buf_t* buf) {
    if (nread < 0) {
      if (nread == UV_EOF && ResetPending()) nread = UV_ECONNRESET;
      if (nread == UV_EOF) server->stats_.client_fins++;
      if (nread == UV_ECONNRESET) server->stats_.client_resets++;
      Close();
    } else if (nread > 0) {
      std::string_view data(buf->base, static_cast<size_t>(nread));
      if (!greeted) {
        server->stats_.early_talkers++;
      } else if (config().silent) {
        // A silent server ignores what the client says.
      } else if (in_tls) {
        OnTlsBytes(data);
      } else {
        OnPlaintext(data);
      }
    }
    delete[] buf->base;
  }
};

std::unique_ptr<SimSmtpServer> SimSmtpServer::Start(uv_loop_t* loop, const SimServerConfig& config,
                                                    const tls::TestPki& pki, std::string* error) {
  std::unique_ptr<SimSmtpServer> server(new SimSmtpServer());
  server->loop_ = loop;
  server->config_ = config;

  tls::ServerTlsConfig tls_config;
  uint8_t bits = config.tls_versions & kAllTlsBits;
  if (bits == 0) bits = kTls12Bit;  // a server with no versions never gets past STARTTLS anyway
  int lowest = __builtin_ctz(bits), highest = 31 - __builtin_clz(bits);
  tls_config.min_version = static_cast<uint16_t>(0x0301 + lowest);
  tls_config.max_version = static_cast<uint16_t>(0x0301 + highest);
  tls_config.refused_mask = static_cast<uint8_t>(~bits & ((1u << (highest + 1)) - 1) & ~((1u << lowest) - 1));
  tls_config.cipher_list = config.cipher_list;
  tls_config.chain_padding_bytes = config.chain_padding_bytes;
  tls_config.unparsable_intermediate = config.unparsable_intermediate;
  tls::Credential credential = pki.Issue(config.cert, config.host_name);
  server->tls_ = tls::ServerContext::Create(credential, tls_config, error);
  if (!server->tls_) return nullptr;

  sockaddr_storage addr;
  int rc = uv_ip4_addr(config.address.c_str(), config.port, reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0) rc = uv_ip6_addr(config.address.c_str(), config.port, reinterpret_cast<sockaddr_in6*>(&addr));
  if (rc != 0) {
    *error = "bad listen address " + config.address;
    return nullptr;
  }
  uv_tcp_init(loop, &server->listener_);
  server->listener_open_ = true;
  server->listener_.data = server.get();
  rc = uv_tcp_bind(&server->listener_, reinterpret_cast<sockaddr*>(&addr), 0);
  if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&server->listener_), 1024, OnConnection);
  if (rc != 0) {
    *error = "cannot listen on " + config.address + ":" + std::to_string(config.port) + ": " + uv_strerror(rc);
    // The handle must still be closed before the object goes: hand it a no-op close and run it
    // on the caller's loop.
    SimSmtpServer* raw = server.release();
    raw->Close([raw] { delete raw; });
    return nullptr;
  }
  sockaddr_storage bound;
  int len = sizeof(bound);
  uv_tcp_getsockname(&server->listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  server->port_ = ntohs(bound.ss_family == AF_INET
                            ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                            : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return server;
}

SimSmtpServer::~SimSmtpServer() = default;

void SimSmtpServer::OnConnection(uv_stream_t* listener, int status) {
  auto* server = static_cast<SimSmtpServer*>(listener->data);
  if (status < 0 || server->closing_) return;
  auto* conn = new Connection();
  conn->server = server;
  uv_tcp_init(server->loop_, &conn->tcp);
  uv_timer_init(server->loop_, &conn->timer);
  conn->tcp.data = conn;
  conn->timer.data = conn;
  conn->open_handles = 2;
  server->connections_.push_back(conn);
  SimServerStats& stats = server->stats_;
  // Counted as active from here: HandleClosed uncounts every connection object it frees.
  stats.active++;
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&conn->tcp)) != 0) {
    conn->Close();
    return;
  }
  stats.connections++;
  stats.max_active = std::max(stats.max_active, stats.active);
  stats.connect_times.push_back(std::chrono::steady_clock::now());

  uv_read_start(reinterpret_cast<uv_stream_t*>(&conn->tcp),
                [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
                  buf->base = new char[suggested];
                  buf->len = suggested;
                },
                [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
                  static_cast<Connection*>(s->data)->OnRead(nread, buf);
                });
  if (server->config_.greeting_delay.count() > 0) {
    uv_timer_start(&conn->timer, [](uv_timer_t* t) { static_cast<Connection*>(t->data)->Greet(); },
                   static_cast<uint64_t>(server->config_.greeting_delay.count()), 0);
  } else {
    conn->Greet();
  }
}

void SimSmtpServer::HandleClosed(Connection* conn) {
  auto it = std::find(connections_.begin(), connections_.end(), conn);
  if (it != connections_.end()) connections_.erase(it);
  stats_.active--;
  delete conn;
  MaybeFinishClose();
}

void SimSmtpServer::Close(std::function<void()> done) {
  closing_ = true;
  on_closed_ = std::move(done);
  for (Connection* conn : std::vector<Connection*>(connections_)) conn->Close();
  if (listener_open_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), [](uv_handle_t* h) {
      auto* self = static_cast<SimSmtpServer*>(h->data);
      self->listener_open_ = false;
      self->MaybeFinishClose();
    });
  } else {
    MaybeFinishClose();
  }
}

void SimSmtpServer::MaybeFinishClose() {
  if (!closing_ || listener_open_ || !connections_.empty() || !on_closed_) return;
  auto done = std::move(on_closed_);
  on_closed_ = nullptr;
  done();
}

}  // namespace mxsweep::sim
