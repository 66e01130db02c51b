#include "output/domain_report.h"

#include <algorithm>
#include <ctime>

#include "output/csv_writer.h"
#include "base/sanitize.h"
#include "tls/cert_name.h"

namespace mxsweep {
namespace {

constexpr const char* kFixedColumns[] = {"domain",      "verdict",           "impact",
                                         "action",      "mx_hosts",          "legacy_only_hosts",
                                         "not_probed",  "cert_problems",     "error_detail"};

// A domain cell is at most 253 octets as an A-label; in Unicode, or escaped by SanitizeText, it
// can be a few times that. What is longer is no domain, and its row's error_detail quotes it.
constexpr size_t kInputDomainCellBytes = 1000;

std::string IsoTime(std::chrono::system_clock::time_point t) {
  time_t secs = std::chrono::system_clock::to_time_t(t);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The columns after the carried ones, each with what a row puts in it. A new column goes at the
// end of this table: the columns before it keep their places, so readers by position still work.
struct TrailingColumn {
  const char* name;
  std::string (*cell)(const DomainResult& r);
};

constexpr TrailingColumn kTrailingColumns[] = {
    {"scan_time", [](const DomainResult& r) { return IsoTime(r.finished); }},
    {"input_domain", [](const DomainResult& r) { return InputDomainCell(r.entry); }},
};

// AddressSummary is what the mx_hosts column says of one address: its best version, or why none.
std::string AddressSummary(const AddressFacts& f) {
  // A version known only from a ServerHello says so: it is not a completed handshake.
  if (f.best_version == 0 && !f.hello_only_versions.empty()) {
    const HelloOnlyVersion& h = f.hello_only_versions.back();
    return std::string(tls::VersionName(h.version)) + " (ServerHello only, " + h.cipher + ")";
  }
  if (f.exo_evidence == Evidence::kServerHelloOnly) {
    return std::string(tls::VersionName(f.best_version)) + " (EXO suite on ServerHello only)";
  }
  if (f.best_version != 0 && f.cls != AddressClass::kNoSharedCipher && f.cls != AddressClass::kTls13Only) {
    return std::string(tls::VersionName(f.best_version));
  }
  if (f.best_version != 0) {
    return std::string(tls::VersionName(f.best_version)) + " (" + std::string(AddressClassName(f.cls)) + ")";
  }
  return std::string(AddressClassName(f.cls));
}

template <typename T>
void AddUnique(std::vector<T>* list, const T& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

}  // namespace

std::string DomainCsvHeader(const std::vector<std::string>& carried) {
  output::CsvWriter w;
  for (const char* c : kFixedColumns) w.Field(c);
  for (const std::string& c : carried) w.Field(c);
  for (const TrailingColumn& c : kTrailingColumns) w.Field(c.name);
  return w.EndRow();
}

std::string InputDomainCell(const DomainEntry& entry) {
  return SanitizeText(entry.input_domain, kInputDomainCellBytes);
}

std::string MxHostsSummary(const DomainResult& r) {
  std::string out;
  for (const resolver::MxHost& host : r.mx.hosts) {
    std::vector<std::string> states;
    for (const DomainAddress& a : r.addresses) {
      if (a.host == host.name) AddUnique(&states, AddressSummary(*a.facts));
    }
    if (states.empty()) states.push_back("no-address");
    if (!out.empty()) out += "; ";
    out += host.name + "=";
    for (size_t i = 0; i < states.size(); i++) out += (i ? "/" : "") + states[i];
  }
  return out;
}

std::string CertificateProblems(const DomainResult& r) {
  std::vector<std::string> hosts_done;
  std::string out;
  for (const DomainAddress& a : r.addresses) {
    const AddressFacts& f = *a.facts;
    if (!f.certificate) continue;
    const tls::CertificateSummary& c = *f.certificate;
    std::vector<std::string> problems;
    if (c.expired) problems.push_back("expired " + c.not_after);
    // The address was probed under its first MX name; judge the certificate against this
    // domain's MX name, which may be another one (shared hosting).
    if (!tls::CertificateNamesHost(c, a.host)) problems.push_back("name mismatch");
    if (c.self_signed) {
      problems.push_back("self-signed");
    } else if (!c.chain_valid && !c.expired) {
      problems.push_back("untrusted chain (" + c.chain_error + ")");
    }
    if (c.sha1_signature) problems.push_back("SHA-1 signature (Exchange Online refuses it)");
    if (problems.empty()) continue;
    if (std::find(hosts_done.begin(), hosts_done.end(), a.host) != hosts_done.end()) continue;
    hosts_done.push_back(a.host);
    if (!out.empty()) out += "; ";
    out += a.host + ": ";
    for (size_t i = 0; i < problems.size(); i++) out += (i ? ", " : "") + problems[i];
  }
  return out;
}

namespace {

// InputRowDetail says why a row was not swept, naming its input line.
std::string InputRowDetail(const DomainEntry& entry) {
  if (entry.kind == RowKind::kInvalid) return FormatInputError(entry.error);
  return "line " + std::to_string(entry.line) + ": same domain as line " +
         std::to_string(entry.first_line) + " (" + entry.domain + "); its verdict is on that row";
}

}  // namespace

std::string ErrorDetail(const DomainResult& r) {
  if (r.entry.kind != RowKind::kDomain) return SanitizeText(InputRowDetail(r.entry), 2000);
  std::vector<std::string> parts;
  if (r.mx.status != resolver::DnsStatus::kOk) {
    parts.push_back("MX lookup: " + std::string(resolver::DnsStatusName(r.mx.status)) +
                    (r.mx.detail.empty() ? "" : " (" + r.mx.detail + ")"));
  }
  // The resolver's notes on an answer it used only in part (a null MX beside real ones, MX
  // hosts or addresses over the caps, one address family failing) reach the row whatever the
  // verdict: an OK then rests on what was kept, and the reader must be told what was not looked at.
  if (r.mx.status == resolver::DnsStatus::kOk && !r.mx.detail.empty()) parts.push_back("MX: " + r.mx.detail);
  if (r.mx.null_mx) parts.push_back("null MX (RFC 7505): the domain accepts no mail");
  if (r.mx.implicit_mx) parts.push_back("no MX record: the domain's own address is the implicit MX");
  for (const resolver::MxHost& host : r.mx.hosts) {
    const resolver::HostResult& address = host.address;
    if (host.is_cname) {
      parts.push_back(host.name + " is a CNAME" +
                      (address.canonical_name.empty() ? "" : " to " + address.canonical_name) +
                      " (RFC 2181 10.3)");
    }
    if (address.addresses.empty()) {
      parts.push_back(host.name + ": no address (" + std::string(resolver::DnsStatusName(address.status)) +
                      (address.detail.empty() ? "" : ": " + address.detail) + ")");
    } else if (!address.detail.empty()) {
      parts.push_back(host.name + ": " + address.detail);
    }
  }
  // How each not-ready or not-probed address failed: the first probe's detail says it best.
  for (const DomainAddress& a : r.addresses) {
    const AddressFacts& f = *a.facts;
    if (f.cls == AddressClass::kExoReady || f.probes.empty()) continue;
    const ProbeRecord* shown = &f.probes.front();
    for (const ProbeRecord& p : f.probes) {
      if (p.status != ProbeStatus::kAccepted && p.status != ProbeStatus::kAcceptedHelloOnly &&
          p.status != ProbeStatus::kSkipped) {
        shown = &p;
        break;
      }
    }
    if (shown->status == ProbeStatus::kAccepted) continue;
    std::string text = a.host + " (" + f.ip + ") " + std::string(tls::ProbeKindName(shown->kind)) + ": " +
                       std::string(ProbeStatusName(shown->status));
    if (!shown->detail.empty()) text += " - " + shown->detail;
    AddUnique(&parts, text);
    for (const std::string& anomaly : f.anomalies) AddUnique(&parts, a.host + ": anomaly " + anomaly);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return SanitizeText(out, 2000);
}

std::string DomainCsvRow(const DomainResult& r, const std::vector<std::string>& carried) {
  output::CsvWriter w;
  const DomainVerdict& v = r.verdict;
  w.Field(r.entry.domain);
  w.Field(VerdictName(v.verdict));
  w.Field(v.rule ? v.rule->impact : "");
  std::string action = v.action;
  for (const MtaHint* hint : v.hints) action += " " + std::string(hint->text);
  w.Field(action);
  w.Field(MxHostsSummary(r));
  std::vector<HostRef> legacy_only;
  for (const DomainAddress& a : r.addresses) {
    if (a.facts->cls == AddressClass::kLegacyOnly) legacy_only.push_back({a.host, a.facts->ip, a.facts->cls});
  }
  w.Field(FormatHosts(legacy_only, 50));
  std::string not_probed;
  for (const HostRef& h : v.not_probed) {
    if (!not_probed.empty()) not_probed += "; ";
    not_probed += h.host + (h.ip.empty() ? "" : " (" + h.ip + ")") + " " +
                  (h.ip.empty() ? std::string("no-address") : std::string(AddressClassName(h.cls)));
  }
  w.Field(not_probed);
  w.Field(CertificateProblems(r));
  w.Field(ErrorDetail(r));
  for (const std::string& name : carried) {
    std::string value;
    for (const auto& [k, val] : r.entry.columns) {
      if (k == name) value = val;
    }
    w.Field(SanitizeText(value, 1000));
  }
  for (const TrailingColumn& c : kTrailingColumns) w.Field(c.cell(r));
  return w.EndRow();
}

}  // namespace mxsweep
