#include "sim/demo_world.h"

#include <arpa/inet.h>

namespace mxsweep::sim {
namespace {

std::string AddressAt(const std::string& base, uint32_t offset) {
  in_addr addr;
  inet_pton(AF_INET, base.c_str(), &addr);
  addr.s_addr = htonl(ntohl(addr.s_addr) + offset);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr, buf, sizeof(buf));
  return buf;
}

}  // namespace

SimSmtpServer* DemoWorld::AddServer(const std::string& name, SimServerConfig config, std::string* error) {
  config.address = AddressAt(options_.base_address, next_host_++);
  config.host_name = name;
  // All servers share one port (a sweep probes one port): port 25 when we may bind it, else the
  // ephemeral port the first server got.
  config.port = port_;
  auto server = SimSmtpServer::Start(loop_, config, *pki_, error);
  if (!server && port_ == 25) {
    config.port = 0;
    server = SimSmtpServer::Start(loop_, config, *pki_, error);
  }
  if (!server) return nullptr;
  port_ = server->port();
  dns_->zone().AddA(name, config.address);
  servers_.push_back(std::move(server));
  return servers_.back().get();
}

std::unique_ptr<DemoWorld> DemoWorld::Start(uv_loop_t* loop, const DemoWorldOptions& options,
                                            std::string* error) {
  std::unique_ptr<DemoWorld> w(new DemoWorld());
  w->loop_ = loop;
  w->options_ = options;
  w->port_ = 25;
  w->pki_ = tls::TestPki::Create();
  if (!w->pki_) {
    *error = "cannot create the demo certificate authority";
    return nullptr;
  }
  w->dns_ = std::make_unique<DnsResponder>(loop);
  int rc = w->dns_->Start(options.dns_address, 0);
  w->dns_started_ = true;
  if (rc != 0) {
    *error = "cannot start the demo DNS server on " + options.dns_address + ": " + uv_strerror(rc);
    return nullptr;
  }
  DnsZone& zone = w->dns_->zone();

  auto server = [&](const std::string& name, SimServerConfig config) -> bool {
    return w->AddServer(name, config, error) != nullptr;
  };
  SimServerConfig modern;  // TLS 1.2 + 1.3, valid certificate: what a partner should run
  modern.tls_versions = kTls12Bit | kTls13Bit;
  SimServerConfig all_versions = modern;
  all_versions.tls_versions = kAllTlsBits;
  all_versions.software = "ESMTP Exim 4.96";
  SimServerConfig legacy10 = modern;
  legacy10.tls_versions = kTls10Bit;
  legacy10.software = "ESMTP Sendmail 8.13.8";
  SimServerConfig legacy11 = modern;
  legacy11.tls_versions = kTls10Bit | kTls11Bit;
  legacy11.software = "Microsoft ESMTP MAIL Service ready";
  SimServerConfig chacha = modern;
  chacha.tls_versions = kTls12Bit;
  chacha.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  SimServerConfig tls13 = modern;
  tls13.tls_versions = kTls13Bit;
  SimServerConfig plaintext = modern;
  plaintext.advertise_starttls = false;
  SimServerConfig broken = modern;
  broken.starttls_code = 454;
  SimServerConfig busy = modern;
  busy.greeting_code = 421;
  SimServerConfig expired = modern;
  expired.cert = tls::CertKind::kExpired;
  SimServerConfig slow = modern;
  slow.greeting_delay = options.slow_greeting;
  slow.multiline_greeting = true;
  SimServerConfig esa = legacy10;
  esa.software = "ESMTP Cisco IronPort";

  if (!server("mx.hoster.demo", modern) || !server("mx1.modern.demo", modern) ||
      !server("mx.legacy-enabled.demo", all_versions) || !server("mx.oldbox.demo", legacy10) ||
      !server("mx.exchange2010.demo", legacy11) || !server("mx.chacha.demo", chacha) ||
      !server("mx.tls13.demo", tls13) || !server("mx.plaintext.demo", plaintext) ||
      !server("mx.broken.demo", broken) || !server("mx.busy.demo", busy) ||
      !server("mx.expired.demo", expired) || !server("mx.slow.demo", slow) ||
      !server("mx.esa.demo", esa) || !server("implicit.demo", modern)) {
    return nullptr;
  }
  // An address where nothing listens: the next one in the block.
  std::string dead = AddressAt(options.base_address, w->next_host_++);
  zone.AddA("mx.dead.demo", dead);

  auto add = [&](const std::string& domain, std::vector<std::pair<int, std::string>> mx,
                 const std::string& verdict, const std::string& story) {
    for (const auto& [pref, target] : mx) zone.AddMx(domain, static_cast<uint16_t>(pref), target);
    w->domains_.push_back({domain, verdict, story});
  };
  add("modern.demo", {{10, "mx1.modern.demo"}}, "OK", "TLS 1.2 and 1.3 with a valid certificate");
  for (int i = 1; i <= 8; i++) {
    add("customer" + std::to_string(i) + ".demo", {{10, "mx.hoster.demo"}}, "OK",
        "hosted: shares one provider MX with the other customerN domains");
  }
  add("legacy-enabled.demo", {{10, "mx.legacy-enabled.demo"}}, "OK_LEGACY_ENABLED",
      "TLS 1.2/1.3 fine, TLS 1.0/1.1 still on");
  add("partial.demo", {{10, "mx1.modern.demo"}, {20, "mx.oldbox.demo"}}, "PARTIAL",
      "modern primary, TLS 1.0-only backup MX");
  add("oldbox.demo", {{10, "mx.oldbox.demo"}}, "LEGACY_ONLY", "TLS 1.0 only (old Sendmail)");
  add("exchange2010.demo", {{10, "mx.exchange2010.demo"}}, "LEGACY_ONLY", "TLS 1.0/1.1 only (old Exchange)");
  add("legacy-pair.demo", {{10, "mx.oldbox.demo"}, {20, "mx.esa.demo"}}, "LEGACY_ONLY",
      "two MX hosts, both legacy (Sendmail and Cisco ESA)");
  add("chacha.demo", {{10, "mx.chacha.demo"}}, "NO_SHARED_CIPHER",
      "TLS 1.2 with ChaCha20 only: no suite Exchange Online offers");
  add("tls13.demo", {{10, "mx.tls13.demo"}}, "TLS13_ONLY", "TLS 1.3 only");
  add("plaintext.demo", {{10, "mx.plaintext.demo"}}, "NO_STARTTLS", "no STARTTLS advertised");
  add("broken.demo", {{10, "mx.broken.demo"}}, "TLS_BROKEN", "STARTTLS answered with 454");
  add("busy.demo", {{10, "mx.busy.demo"}}, "TEMPFAIL", "421 at every greeting");
  add("dead.demo", {{10, "mx.dead.demo"}}, "UNREACHABLE", "nothing listens on the MX address");
  add("backup-dead.demo", {{10, "mx1.modern.demo"}, {20, "mx.dead.demo"}}, "OK",
      "modern primary; the dead backup does not decide the verdict");
  add("expired.demo", {{10, "mx.expired.demo"}}, "OK",
      "TLS 1.2/1.3 but an expired certificate (see cert_problems)");
  add("slow.demo", {{10, "mx.slow.demo"}}, "OK", "greets after a delay, in two lines");
  add("nullmx.demo", {{0, "."}}, "NO_MAIL", "null MX: accepts no mail (RFC 7505)");
  add("noaddress.demo", {{10, "mx.nowhere.demo"}}, "NO_MAIL", "the MX host has no address");
  add("gone.demo", {}, "NO_MAIL", "the domain does not exist (NXDOMAIN)");
  add("servfail.demo", {}, "DNS_ERROR", "the DNS server fails (SERVFAIL)");
  zone.SetFault("servfail.demo", DnsFault::kServFail);
  add("implicit.demo", {}, "OK", "no MX record: its own A record is the implicit MX");
  add("cname.demo", {{10, "alias.cname.demo"}}, "OK", "the MX target is a CNAME (flagged)");
  zone.AddCname("alias.cname.demo", "mx1.modern.demo");
  // A domain that names a private address as its MX: refused, never contacted (the demo allows
  // the loopback range only, not --allow-private).
  add("inside.demo", {{10, "mx.inside.demo"}}, "UNREACHABLE",
      "MX points into private space (10.0.0.25): refused, never contacted");
  zone.AddA("mx.inside.demo", "10.0.0.25");
  return w;
}

std::string DemoWorld::DomainList() const {
  std::string out = "domain,expected,story\n";
  for (const DemoDomain& d : domains_) out += d.domain + "," + d.expected_verdict + ",\"" + d.story + "\"\n";
  return out;
}

DemoWorld::~DemoWorld() = default;

void DemoWorld::Close(std::function<void()> done) {
  on_closed_ = std::move(done);
  closing_ = static_cast<int>(servers_.size()) + 1;
  auto one_closed = [this] {
    if (--closing_ == 0 && on_closed_) on_closed_();
  };
  for (auto& s : servers_) s->Close(one_closed);
  dns_->Close(one_closed);
}

}  // namespace mxsweep::sim
