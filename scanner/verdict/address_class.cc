#include "scanner/verdict/address_facts.h"

namespace mxsweep {

std::string_view AddressClassName(AddressClass cls) {
  // Stable names: they appear in the host detail output.
  switch (cls) {
    case AddressClass::kExoReady: return "exo-ready";
    case AddressClass::kLegacyOnly: return "legacy-only";
    case AddressClass::kNoSharedCipher: return "no-shared-cipher";
    case AddressClass::kTls13Only: return "tls13-only";
    case AddressClass::kNoStartTls: return "no-starttls";
    case AddressClass::kTlsBroken: return "tls-broken";
    case AddressClass::kTempFail: return "tempfail";
    case AddressClass::kUnreachable: return "unreachable";
    case AddressClass::kRefused: return "refused";
    case AddressClass::kClientCertRequired: return "client-cert-required";
  }
  return "unknown";
}

std::string_view EvidenceName(Evidence evidence) {
  switch (evidence) {
    case Evidence::kNone: return "";
    case Evidence::kHandshake: return "handshake";
    case Evidence::kServerHelloOnly: return "server-hello-only";
  }
  return "";
}

bool IsProbed(AddressClass cls) {
  switch (cls) {
    case AddressClass::kTempFail:
    case AddressClass::kUnreachable:
    case AddressClass::kRefused:
    case AddressClass::kClientCertRequired: return false;
    default: return true;
  }
}

}  // namespace mxsweep
