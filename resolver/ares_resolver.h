// ares_resolver.h: the Resolver that runs c-ares on the sweep's libuv loop.
//
// Lookups go through a cache keyed by (name, record type) that lives as long as the resolver
// (one sweep): a hosted MX name shared by thousands of domains is asked once, and lookups for a
// name whose query is still out wait for that query instead of sending another.
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "resolver/ares_options.h"
#include "resolver/resolver.h"

namespace mxsweep::resolver {

// ResolverStats counts what the cache saved; for tests, benchmarks and the run summary.
struct ResolverStats {
  uint64_t queries_sent = 0;  // (name, type) lookups handed to c-ares
  uint64_t cache_hits = 0;    // lookups answered from a finished cache entry
  uint64_t coalesced = 0;     // lookups that joined a query already out
};

class AresResolver : public Resolver {
 public:
  virtual ResolverStats stats() const = 0;
};

// MakeAresResolver returns a resolver on |loop|, or nullptr with |error| set (bad server list,
// c-ares initialisation failure). The caller must Close it and let the close finish before
// deleting it or closing the loop.
std::unique_ptr<AresResolver> MakeAresResolver(uv_loop_t* loop, const AresOptions& options,
                                               std::string* error);

}  // namespace mxsweep::resolver
