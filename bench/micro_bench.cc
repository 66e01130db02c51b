// micro_bench.cc: Google Benchmark micro-benchmarks of mxsweep's hot paths that do no I/O, plus
// the scheduler's admit/complete path on a real (idle) libuv loop.
//
//   build/bench/mxsweep-bench-micro
#include <benchmark/benchmark.h>
#include <uv.h>

#include <fstream>
#include <string>
#include <vector>

#include "output/csv_writer.h"
#include "scanner/verdict/address_facts.h"
#include "output/domain_report.h"
#include "output/host_report.h"
#include "scanner/verdict/address_classifier.h"
#include "scanner/verdict/probe_plan.h"
#include "scanner/engine/scheduler.h"
#include "scanner/smtp/smtp_reply.h"
#include "scanner/smtp/smtp_session.h"
#include "scanner/engine/sweep.h"
#include "scanner/verdict/verdict.h"
#include "tls/client_hello.h"
#include "tls/server_answer.h"

namespace mxsweep {
namespace {

// A Postfix-like EHLO reply: what every probe parses once.
const std::string kEhloReply =
    "250-mx1.partner.example\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-ETRN\r\n"
    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 SMTPUTF8\r\n";

void BM_ReplyParseEhlo(benchmark::State& state) {
  for (auto _ : state) {
    smtp::ReplyParser parser;
    size_t consumed = 0;
    auto r = parser.Feed(kEhloReply, &consumed);
    smtp::Reply reply = parser.TakeReply();
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(reply);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kEhloReply.size()));
}
BENCHMARK(BM_ReplyParseEhlo);

// The same reply arriving one byte per read: the worst a slow or hostile server can do.
void BM_ReplyParseEhloBytewise(benchmark::State& state) {
  for (auto _ : state) {
    smtp::ReplyParser parser;
    for (char c : kEhloReply) {
      size_t consumed = 0;
      benchmark::DoNotOptimize(parser.Feed(std::string_view(&c, 1), &consumed));
    }
    benchmark::DoNotOptimize(parser.TakeReply());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kEhloReply.size()));
}
BENCHMARK(BM_ReplyParseEhloBytewise);

// One whole dialogue through the state machine: greeting, EHLO, STARTTLS, hand-over, QUIT.
void BM_SessionScriptedDialogue(benchmark::State& state) {
  smtp::SessionOptions options;
  options.ehlo_name = "scanner.example.org";
  for (auto _ : state) {
    smtp::Session s(options);
    s.Receive("220-mx1.partner.example ESMTP Postfix (Debian/GNU)\r\n220 mx1 ready\r\n");
    benchmark::DoNotOptimize(s.TakeOutput());
    s.Receive(kEhloReply);
    benchmark::DoNotOptimize(s.TakeOutput());
    s.Receive("220 2.0.0 Ready to start TLS\r\n");
    s.HandshakeFinished(true);
    benchmark::DoNotOptimize(s.TakeOutput());
    s.Receive("221 2.0.0 Bye\r\n");
    benchmark::DoNotOptimize(s.done());
  }
}
BENCHMARK(BM_SessionScriptedDialogue);

AddressOutcome Outcome(std::string host, std::string ip, AddressClass cls, bool legacy) {
  AddressOutcome a;
  a.host = std::move(host);
  a.ip = std::move(ip);
  a.cls = cls;
  a.legacy_accepted = legacy;
  a.banner = "mx.partner.example ESMTP Postfix";
  return a;
}

// A two-MX domain, four addresses, one of them legacy-only: PARTIAL, the most text to build.
void BM_VerdictPartial(benchmark::State& state) {
  DomainDns dns;
  dns.any_address = true;
  std::vector<AddressOutcome> addresses = {
      Outcome("mx1.partner.example", "192.0.2.1", AddressClass::kExoReady, false),
      Outcome("mx1.partner.example", "2001:db8::1", AddressClass::kExoReady, true),
      Outcome("mx2.partner.example", "192.0.2.2", AddressClass::kLegacyOnly, true),
      Outcome("mx2.partner.example", "192.0.2.3", AddressClass::kUnreachable, false)};
  for (auto _ : state) {
    DomainVerdict v = DecideVerdict(ExoProfile(), dns, addresses);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_VerdictPartial);

void BM_VerdictOkSingle(benchmark::State& state) {
  DomainDns dns;
  dns.any_address = true;
  std::vector<AddressOutcome> addresses = {
      Outcome("mx.provider.example", "192.0.2.10", AddressClass::kExoReady, false)};
  for (auto _ : state) benchmark::DoNotOptimize(DecideVerdict(ExoProfile(), dns, addresses));
}
BENCHMARK(BM_VerdictOkSingle);

AddressFacts SampleFacts(const std::string& ip, bool legacy) {
  AddressFacts f;
  f.host = "mx1.partner.example";
  f.ip = ip;
  f.banner = "mx1.partner.example ESMTP Postfix (Debian/GNU)";
  f.starttls = true;
  f.ehlo_ok = true;
  ProbeRecord auto_probe;
  auto_probe.kind = tls::ProbeKind::kAuto;
  auto_probe.status = ProbeStatus::kAccepted;
  auto_probe.version = tls::kTls13;
  auto_probe.cipher = "TLS_AES_128_GCM_SHA256";
  auto_probe.group = "X25519";
  auto_probe.connected = true;
  auto_probe.duration = std::chrono::milliseconds(41);
  ProbeRecord exo = auto_probe;
  exo.kind = tls::ProbeKind::kExo12;
  exo.version = tls::kTls12;
  exo.cipher_id = 0xC02F;
  exo.cipher = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
  ProbeRecord old = auto_probe;
  old.kind = tls::ProbeKind::kLegacy;
  old.status = legacy ? ProbeStatus::kAccepted : ProbeStatus::kVersionRefused;
  old.version = legacy ? tls::kTls10 : 0;
  old.alert = legacy ? -1 : 70;
  old.detail = legacy ? "" : "alert 70 protocol version";
  f.probes = {auto_probe, exo, old};
  f.connections = 3;
  tls::CertificateSummary cert;
  cert.subject = "CN=mx1.partner.example";
  cert.sans = {"mx1.partner.example", "mx2.partner.example"};
  cert.issuer = "CN=Partner CA";
  f.certificate = cert;
  ClassifyAddress(&f);
  return f;
}

// One CSV row for a two-address domain (what the outreach CSV writes per domain).
void BM_DomainCsvRow(benchmark::State& state) {
  AddressFacts a = SampleFacts("192.0.2.1", false);
  AddressFacts b = SampleFacts("192.0.2.2", true);
  DomainResult r;
  r.entry.domain = "partner.example";
  resolver::MxHost mx;
  mx.preference = 10;
  mx.name = "mx1.partner.example";
  mx.address.status = resolver::DnsStatus::kOk;
  r.mx.status = resolver::DnsStatus::kOk;
  r.mx.hosts = {mx};
  r.addresses = {{"mx1.partner.example", &a}, {"mx1.partner.example", &b}};
  std::vector<AddressOutcome> outcomes = {OutcomeOf(a, "mx1.partner.example"),
                                          OutcomeOf(b, "mx1.partner.example")};
  r.verdict = DecideVerdict(ExoProfile(), SummariseDns(r.mx), outcomes);
  r.finished = std::chrono::system_clock::now();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string row = DomainCsvRow(r, {});
    bytes += row.size();
    benchmark::DoNotOptimize(row);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_DomainCsvRow);

// The CSV writer alone: ten cells, two needing quotes, one needing neutralising.
void BM_CsvWriterRow(benchmark::State& state) {
  output::CsvWriter w;
  for (auto _ : state) {
    w.Field("partner.example").Field("OK_LEGACY_ENABLED").Field("Mail to and from Exchange, hi")
        .Field("=cmd").Field("mx1.partner.example=TLS1.3; mx2.partner.example=TLS1.2").Empty()
        .Field("he said \"no\"").Uint(42).Bool(true).Field("2024-01-01T00:00:00Z");
    benchmark::DoNotOptimize(w.EndRow());
  }
}
BENCHMARK(BM_CsvWriterRow);

// One JSONL line per address (`scan --hosts`), with three probes and a certificate.
void BM_HostJsonLine(benchmark::State& state) {
  AddressFacts a = SampleFacts("192.0.2.1", true);
  std::vector<std::string> domains = {"partner.example", "partner.example.net", "other.example"};
  size_t bytes = 0;
  for (auto _ : state) {
    std::string line = HostJson(a, &domains);
    bytes += line.size();
    benchmark::DoNotOptimize(line);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_HostJsonLine);

// The scheduler with 100k addresses queued: each iteration admits every one of them (through
// the timer, as in a sweep) and completes it at once. Reported per admitted address.
void BM_Scheduler100kAdmitComplete(benchmark::State& state) {
  const size_t kQueued = static_cast<size_t>(state.range(0));
  std::vector<std::string> keys, networks;
  keys.reserve(kQueued);
  networks.reserve(kQueued);
  for (size_t i = 0; i < kQueued; i++) {
    std::string net = "10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255);
    keys.push_back(net + "." + std::to_string(i & 255) + ":25");
    networks.push_back(net + ".0/24");
  }
  for (auto _ : state) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    PolitenessOptions options;
    options.max_in_flight = 2000;
    options.connect_rate = 1e9;  // no pacing: measure the bookkeeping, not the token bucket
    options.per_address_gap = std::chrono::milliseconds(2000);
    size_t admitted = 0;
    {
      Scheduler scheduler(&loop, options);
      auto now = Scheduler::Clock::now();
      for (size_t i = 0; i < kQueued; i++) {
        const std::string& key = keys[i];
        scheduler.Request(key, networks[i], now, [&scheduler, &admitted, &key] {
          admitted++;
          scheduler.Release(key);
        });
      }
      while (admitted < kQueued) uv_run(&loop, UV_RUN_ONCE);
      scheduler.Close(nullptr);
      uv_run(&loop, UV_RUN_DEFAULT);
    }
    uv_loop_close(&loop);
    benchmark::DoNotOptimize(admitted);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kQueued));
}
BENCHMARK(BM_Scheduler100kAdmitComplete)->Arg(100000)->Unit(benchmark::kMillisecond);

// Raw hellos (tls/client_hello, tls/server_answer): what each hello-* probe builds and parses.
// Secrets are drawn once for the builder: NewHelloSecrets is benchmarked on its own, since it
// makes real X25519 and P-256 key pairs and dwarfs the encoding.
void BM_ClientHelloBuild(benchmark::State& state) {
  tls::ProbeKind kind = static_cast<tls::ProbeKind>(state.range(0));
  tls::HelloOffer offer = tls::OfferFor(kind, "mx1.partner.example");
  tls::HelloSecrets secrets;
  if (!tls::NewHelloSecrets(&secrets)) state.SkipWithError("NewHelloSecrets failed");
  std::string record;
  for (auto _ : state) {
    record.clear();
    if (!tls::BuildClientHello(offer, secrets, &record)) state.SkipWithError("BuildClientHello failed");
    benchmark::DoNotOptimize(record.data());
  }
  state.SetLabel(std::string(tls::ProbeKindName(kind)) + ", " + std::to_string(offer.cipher_suites.size()) +
                 " suites, " + std::to_string(record.size()) + " bytes");
}
BENCHMARK(BM_ClientHelloBuild)
    ->Arg(static_cast<int>(tls::ProbeKind::kHelloTls12))
    ->Arg(static_cast<int>(tls::ProbeKind::kHelloTls13))
    ->Arg(static_cast<int>(tls::ProbeKind::kHelloExo));

void BM_NewHelloSecrets(benchmark::State& state) {
  tls::HelloSecrets secrets;
  for (auto _ : state) {
    if (!tls::NewHelloSecrets(&secrets)) state.SkipWithError("NewHelloSecrets failed");
    benchmark::DoNotOptimize(secrets.random.data());
  }
}
BENCHMARK(BM_NewHelloSecrets);

// HexFile reads one of the captured vectors of tests/data/hello (one hex line).
std::string HexFile(const std::string& name) {
  std::ifstream in(std::string(MXSWEEP_SOURCE_DIR) + "/tests/data/hello/" + name);
  std::string hex, out;
  std::getline(in, hex);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// What OpenSSL 3 answered a raw hello-TLS1.2 with (ServerHello, then its certificate records):
// the parser reads the ServerHello and stops.
void BM_ServerAnswerParse(benchmark::State& state) {
  std::string bytes = HexFile(state.range(0) == 0 ? "tls12_ecdhe_gcm_server_hello.hex" : "tls13_server_hello.hex");
  if (bytes.empty()) state.SkipWithError("test vector missing");
  tls::ServerAnswer answer;
  for (auto _ : state) {
    tls::AnswerStatus status = tls::ParseServerAnswer(bytes, &answer);
    if (status != tls::AnswerStatus::kServerHello) state.SkipWithError("not a ServerHello");
    benchmark::DoNotOptimize(answer.cipher_suite);
  }
  state.SetLabel(state.range(0) == 0 ? "TLS 1.2 ServerHello" : "TLS 1.3 ServerHello");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ServerAnswerParse)->Arg(0)->Arg(1);

// The same bytes arriving one at a time: the parser is re-run on the growing prefix, as the
// probe does on each read.
void BM_ServerAnswerParseBytewise(benchmark::State& state) {
  std::string bytes = HexFile("tls12_ecdhe_gcm_server_hello.hex");
  if (bytes.empty()) state.SkipWithError("test vector missing");
  tls::ServerAnswer answer;
  for (auto _ : state) {
    for (size_t n = 1; n <= bytes.size(); n++) {
      if (tls::ParseServerAnswer(std::string_view(bytes).substr(0, n), &answer) != tls::AnswerStatus::kNeedMore) break;
    }
    benchmark::DoNotOptimize(answer.cipher_suite);
  }
}
BENCHMARK(BM_ServerAnswerParseBytewise);

}  // namespace
}  // namespace mxsweep

BENCHMARK_MAIN();
