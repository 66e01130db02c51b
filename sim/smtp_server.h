// smtp_server.h: a simulated SMTP server with STARTTLS, for tests, benchmarks and the demo.
//
// Each server listens on its own address:port on loopback, behaves as its config says (TLS
// versions, STARTTLS offered or refused, greeting delay or silence, 421 at the greeting, a chosen
// certificate) and counts what clients did to it, so tests can check the scanner's manners.
// It never accepts mail: MAIL, RCPT and DATA are refused and counted.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tls/server_tls.h"
#include "tls/test_pki.h"

namespace mxsweep::sim {

// Version bits for SimServerConfig::tls_versions.
inline constexpr uint8_t kTls10Bit = 1, kTls11Bit = 2, kTls12Bit = 4, kTls13Bit = 8;
inline constexpr uint8_t kAllTlsBits = 15;

// HostileMode makes a server misbehave on purpose, for the tests of the scanner's bounds
// (tests/integration/hostile_test.cc). Each replaces one part of the normal dialogue.
enum class HostileMode : uint8_t {
  kNone,
  kSlowGreeting,      // the greeting one byte per hostile_byte_interval (slowloris)
  kLongLine,          // "220 " then hostile_bytes of text that never ends its line
  kEndlessEhlo,       // EHLO answered by "250-" lines that never end
  kCodeChange,        // a greeting whose code changes between lines: "220-..." then "250 ..."
  kResetInHandshake,  // STARTTLS 220, then a TCP reset when the ClientHello arrives
  kGarbageTls,        // STARTTLS 220, then hostile_bytes of TLS records full of random bytes
  kNeverRead,         // greet, then never read from the socket again
};

struct SimServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                       // 0: an ephemeral port (see SimSmtpServer::port)
  std::string host_name = "mx.sim.test";   // greeting name and certificate name
  std::string software = "ESMTP Postfix";  // what the greeting says after the name

  int greeting_code = 220;                 // 421 or 554 to refuse at the greeting
  // The greeting's text after the code; empty: "<host_name> <software>". A refusing server
  // (4xx: it closes; 5xx: it answers only QUIT) says why here, e.g. "5.7.1 ... blocked using
  // zen.spamhaus.org".
  std::string greeting_text;
  bool multiline_greeting = false;         // "220-..." then "220 ..."
  std::chrono::milliseconds greeting_delay{0};
  bool silent = false;                     // accept, then never say anything
  bool refuse_ehlo = false;                // 502 to EHLO (HELO still works)
  // A whole reply line sent to EHLO instead of the 250 ("550 5.7.1 ... listed on a DNSBL");
  // a 421 closes the connection after it.
  std::string ehlo_refusal;
  bool advertise_starttls = true;
  int starttls_code = 220;                 // 454 to refuse STARTTLS
  std::string starttls_text = "4.7.0 TLS not available due to local problem";  // with it
  std::string inject_after_starttls;       // bytes sent right after the STARTTLS 220
  std::chrono::milliseconds reply_delay{0};  // added before every reply (round-trip latency)
  // false: after the 221 to QUIT, wait for the client to close (RFC 5321 §4.1.1.10 says the
  // server closes; some do not).
  bool close_after_quit = true;

  uint8_t tls_versions = kTls12Bit | kTls13Bit;  // any subset of 1.0–1.3
  tls::CertKind cert = tls::CertKind::kValid;
  std::string cipher_list;                 // TLS <= 1.2 suites, OpenSSL syntax; empty = default
  // Bytes of extra certificate chain (copies of the CA certificate) sent after the real chain.
  size_t chain_padding_bytes = 0;
  // Send a chain whose second entry is DER but no certificate (ServerTlsConfig).
  bool unparsable_intermediate = false;

  HostileMode hostile = HostileMode::kNone;
  std::chrono::milliseconds hostile_byte_interval{1000};  // kSlowGreeting
  size_t hostile_bytes = 1 << 20;                          // kLongLine, kGarbageTls
};

struct SimServerStats {
  int connections = 0;          // accepted TCP connections
  int active = 0;               // connections open now
  int max_active = 0;           // most connections open at once
  int handshakes = 0;           // completed TLS handshakes
  int quits = 0;                // QUIT commands received
  int mail_commands = 0;        // MAIL / RCPT / DATA received: must stay 0
  int early_talkers = 0;        // clients that sent bytes before the greeting ended
  // How clients ended connections the server was still reading: a FIN (read EOF) or a RST
  // (ECONNRESET). After its 221 the server half-closes and reads on, so a polite client's FIN
  // after a clean QUIT is seen here.
  int client_fins = 0;
  int client_resets = 0;
  std::string last_ehlo;        // the name in the last EHLO/HELO
  std::vector<std::chrono::steady_clock::time_point> connect_times;
};

class SimSmtpServer {
 public:
  // Start binds and listens. Returns null with |*error| set when it cannot.
  static std::unique_ptr<SimSmtpServer> Start(uv_loop_t* loop, const SimServerConfig& config,
                                              const tls::TestPki& pki, std::string* error);
  ~SimSmtpServer();

  uint16_t port() const { return port_; }
  const SimServerConfig& config() const { return config_; }
  const SimServerStats& stats() const { return stats_; }

  // Close stops listening and closes every connection; |done| runs when all handles are closed.
  // The server object must stay alive until then.
  void Close(std::function<void()> done);

  struct Connection;  // one accepted client (smtp_server.cc)

 private:
  SimSmtpServer() = default;
  static void OnConnection(uv_stream_t* server, int status);
  void HandleClosed(Connection* conn);
  void MaybeFinishClose();

  friend struct Connection;

  uv_loop_t* loop_ = nullptr;
  uv_tcp_t listener_{};
  bool listener_open_ = false;
  bool closing_ = false;
  uint16_t port_ = 0;
  SimServerConfig config_;
  std::unique_ptr<tls::ServerContext> tls_;
  SimServerStats stats_;
  std::vector<Connection*> connections_;
  std::function<void()> on_closed_;
};

}  // namespace mxsweep::sim
