#include "scanner/smtp/probe_status.h"

namespace mxsweep {

std::string_view ProbeStatusName(ProbeStatus status) {
  switch (status) {
    case ProbeStatus::kAccepted: return "accepted";
    case ProbeStatus::kAcceptedHelloOnly: return "accepted-hello-only";
    case ProbeStatus::kVersionRefused: return "version-refused";
    case ProbeStatus::kNoSharedCipher: return "no-shared-cipher";
    case ProbeStatus::kHandshakeClosed: return "handshake-closed";
    case ProbeStatus::kTlsError: return "tls-error";
    case ProbeStatus::kClientCertRequired: return "client-cert-required";
    case ProbeStatus::kNotTls: return "not-tls";
    case ProbeStatus::kNoStartTls: return "no-starttls";
    case ProbeStatus::kStartTlsRefused: return "starttls-refused";
    case ProbeStatus::kStartTlsInjection: return "starttls-injection";
    case ProbeStatus::kGreetingRefused: return "greeting-refused";
    case ProbeStatus::kEhloRefused: return "ehlo-refused";
    case ProbeStatus::kTempFail: return "tempfail";
    case ProbeStatus::kRateLimited: return "rate-limited";
    case ProbeStatus::kBlocklisted: return "blocklisted";
    case ProbeStatus::kPolicyRefused: return "policy-refused";
    case ProbeStatus::kGreetingTimeout: return "greeting-timeout";
    case ProbeStatus::kTimeout: return "timeout";
    case ProbeStatus::kConnectRefused: return "connect-refused";
    case ProbeStatus::kConnectTimeout: return "connect-timeout";
    case ProbeStatus::kConnectError: return "connect-error";
    case ProbeStatus::kReset: return "reset";
    case ProbeStatus::kClosed: return "closed";
    case ProbeStatus::kProtocolError: return "protocol-error";
    case ProbeStatus::kSkipped: return "skipped";
    case ProbeStatus::kTargetRefused: return "target-refused";
    case ProbeStatus::kExcluded: return "excluded";
  }
  return "unknown";
}

bool ProbeStatusFromName(std::string_view name, ProbeStatus* out) {
  for (ProbeStatus status : kAllProbeStatuses) {
    if (ProbeStatusName(status) == name) {
      *out = status;
      return true;
    }
  }
  return false;
}

}  // namespace mxsweep
