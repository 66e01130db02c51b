// address_classifier.h: what one address's probe records prove — the versions it accepts,
// refuses or only answered with a ServerHello, and the class it counts as in the verdict.
#pragma once

#include "scanner/verdict/address_facts.h"

namespace mxsweep {

// ClassifyAddress fills the derived fields of |facts| (accepted_versions, hello_only_versions,
// refused_versions, best_version, cls, legacy_accepted, exo_ready, exo_evidence) from its probe
// records and session facts. Only completed handshakes make a version accepted; ServerHello
// evidence goes to hello_only_versions, and counts for the class where nothing better exists (a
// DHE-only TLS 1.0 server is legacy-only, not tls-broken).
void ClassifyAddress(AddressFacts* facts);

}  // namespace mxsweep
