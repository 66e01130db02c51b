// engine_setup.h: what `probe` and `scan` both build from the common options before the first
// connection — the trust store and client contexts, the session environment, the prober's
// options and the target policy.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "app/options.h"
#include "scanner/engine/probe_session.h"
#include "tls/client_contexts.h"

namespace mxsweep::app {

struct EngineSetup {
  std::unique_ptr<tls::ClientContexts> contexts;
  ProbeEnv env;           // points into |contexts|
  ProberOptions prober;
  TargetPolicy targets;
};

// SetUpEngine fills |*out| for sessions on |loop| from validated |common| options. A warning
// about the trust store is printed as "mxsweep COMMAND: ...". It returns false with |*error|
// when the contexts cannot be built (a bad --ca-file).
bool SetUpEngine(const CommonOptions& common, uv_loop_t* loop, std::string_view command,
                 EngineSetup* out, std::string* error);

}  // namespace mxsweep::app
