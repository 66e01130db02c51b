#include "output/host_report.h"

#include <cstdio>

#include "output/json_writer.h"
#include "base/sanitize.h"

namespace mxsweep {

std::string HostJson(const AddressFacts& f, const std::vector<std::string>* domains) {
  output::JsonWriter w;
  w.BeginObject();
  w.Key("host").String(f.host);
  w.Key("ip").String(f.ip);
  w.Key("port").Int(f.port);
  w.Key("banner").String(SanitizeText(f.banner));
  w.Key("ehlo").Bool(f.ehlo_ok);
  w.Key("starttls").Bool(f.starttls);
  w.Key("accepted_versions").BeginArray();
  for (uint16_t v : f.accepted_versions) w.String(tls::VersionName(v));
  w.EndArray();
  w.Key("best_version").StringOrNull(tls::VersionName(f.best_version));
  w.Key("hello_only_versions").BeginArray();
  for (const HelloOnlyVersion& h : f.hello_only_versions) {
    w.BeginObject();
    w.Key("version").String(tls::VersionName(h.version));
    w.Key("cipher").String(h.cipher);
    w.Key("legacy_suite").Bool(h.legacy_suite);
    w.EndObject();
  }
  w.EndArray();
  w.Key("refused_versions").BeginArray();
  for (uint16_t v : f.refused_versions) w.String(tls::VersionName(v));
  w.EndArray();
  w.Key("class").String(AddressClassName(f.cls));
  w.Key("exo_ready").Bool(f.exo_ready);
  w.Key("exo_evidence").StringOrNull(EvidenceName(f.exo_evidence));
  w.Key("legacy_accepted").Bool(f.legacy_accepted);
  w.Key("probes").BeginArray();
  for (const ProbeRecord& p : f.probes) {
    w.BeginObject();
    w.Key("probe").String(tls::ProbeKindName(p.kind));
    w.Key("status").String(ProbeStatusName(p.status));
    w.Key("evidence").StringOrNull(EvidenceName(p.evidence));
    w.Key("version").StringOrNull(tls::VersionName(p.version));
    w.Key("cipher").StringOrNull(p.cipher);
    w.Key("group").StringOrNull(p.group);
    if (p.alert >= 0) {
      w.Key("alert").Int(p.alert);
    } else {
      w.Key("alert").Null();
    }
    w.Key("detail").String(p.detail);
    w.Key("duration_ms").Int(p.duration.count());
    w.Key("attempts").Int(p.attempts);
    w.Key("confirmed").Bool(p.confirmed);
    w.EndObject();
  }
  w.EndArray();
  if (f.certificate) {
    const tls::CertificateSummary& c = *f.certificate;
    w.Key("certificate").BeginObject();
    w.Key("subject").String(SanitizeText(c.subject));
    w.Key("sans").BeginArray();
    for (const std::string& san : c.sans) w.String(SanitizeText(san));
    w.EndArray();
    w.Key("issuer").String(SanitizeText(c.issuer));
    w.Key("not_before").String(c.not_before);
    w.Key("not_after").String(c.not_after);
    w.Key("key_type").String(c.key_type);
    w.Key("key_bits").Int(c.key_bits);
    w.Key("signature_algorithm").String(c.signature_algorithm);
    w.Key("chain_length").Int(c.chain_length);
    w.Key("chain_valid").Bool(c.chain_valid);
    w.Key("chain_error").StringOrNull(c.chain_error);
    w.Key("name_matches").Bool(c.name_matches);
    w.Key("expired").Bool(c.expired);
    w.Key("self_signed").Bool(c.self_signed);
    w.Key("sha1_signature").Bool(c.sha1_signature);
    w.EndObject();
  } else {
    w.Key("certificate").Null();
  }
  w.Key("connections").Int(f.connections);
  w.Key("anomalies").BeginArray();
  for (const std::string& a : f.anomalies) w.String(a);
  w.EndArray();
  if (domains != nullptr) {
    w.Key("domains").BeginArray();
    for (const std::string& d : *domains) w.String(d);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string HostTable(const AddressFacts& f) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "%s [%s]:%u  class=%s  connections=%d\n", f.host.c_str(),
                f.ip.c_str(), f.port, std::string(AddressClassName(f.cls)).c_str(), f.connections);
  out += line;
  out += "  banner:   " + (f.banner.empty() ? std::string("-") : SanitizeText(f.banner, 200)) + "\n";
  out += std::string("  starttls: ") + (f.starttls ? "advertised" : "not advertised") + "\n";
  std::string versions;
  for (uint16_t v : f.accepted_versions) versions += (versions.empty() ? "" : " ") + std::string(tls::VersionName(v));
  out += "  accepted: " + (versions.empty() ? std::string("none") : versions) + "\n";
  for (const HelloOnlyVersion& h : f.hello_only_versions) {
    out += "  hello:    " + std::string(tls::VersionName(h.version)) + " with " + h.cipher + " (ServerHello only" +
           (h.legacy_suite ? ", a legacy suite" : ", no handshake completed") + ")\n";
  }
  std::string refused;
  for (uint16_t v : f.refused_versions) refused += (refused.empty() ? "" : " ") + std::string(tls::VersionName(v));
  if (!refused.empty()) out += "  refused:  " + refused + "\n";
  if (f.exo_evidence == Evidence::kServerHelloOnly) out += "  exo:      ready on ServerHello evidence only\n";
  if (f.certificate) {
    const tls::CertificateSummary& c = *f.certificate;
    // The text shows the first few names; the JSON record has all of them.
    constexpr size_t kSansShown = 10;
    std::string sans;
    for (size_t i = 0; i < c.sans.size() && i < kSansShown; i++) {
      sans += (sans.empty() ? "" : ",") + SanitizeText(c.sans[i], 100);
    }
    if (c.sans.size() > kSansShown) sans += " (+" + std::to_string(c.sans.size() - kSansShown) + " more)";
    std::snprintf(line, sizeof(line), "  cert:     %s  (%s %d, %s)\n",
                  SanitizeText(c.subject, 150).c_str(), c.key_type.c_str(), c.key_bits,
                  c.signature_algorithm.c_str());
    out += line;
    out += "            issuer " + SanitizeText(c.issuer, 150) + ", notAfter " + c.not_after + "\n";
    out += "            SANs " + (sans.empty() ? std::string("-") : sans) + "\n";
    out += std::string("            chain ") + (c.chain_valid ? "valid" : "INVALID (" + c.chain_error + ")") +
           ", name " + (c.name_matches ? "matches" : "DOES NOT MATCH") + (c.expired ? ", EXPIRED" : "") + "\n";
  }
  for (const std::string& a : f.anomalies) out += "  anomaly:  " + a + "\n";
  std::snprintf(line, sizeof(line), "  %-12s %-19s %-7s %-40s %-8s %7s  %s\n", "probe", "status",
                "version", "cipher", "group", "ms", "detail");
  out += line;
  for (const ProbeRecord& p : f.probes) {
    std::string version(tls::VersionName(p.version));
    std::snprintf(line, sizeof(line), "  %-12s %-19s %-7s %-40s %-8s %7lld  %s\n",
                  std::string(tls::ProbeKindName(p.kind)).c_str(),
                  std::string(ProbeStatusName(p.status)).c_str(), version.empty() ? "-" : version.c_str(),
                  p.cipher.empty() ? "-" : p.cipher.c_str(), p.group.empty() ? "-" : p.group.c_str(),
                  static_cast<long long>(p.duration.count()), p.detail.c_str());
    out += line;
  }
  return out;
}

}  // namespace mxsweep
