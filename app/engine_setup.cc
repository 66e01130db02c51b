#include "app/engine_setup.h"

#include <cstdio>

namespace mxsweep::app {

bool SetUpEngine(const CommonOptions& common, uv_loop_t* loop, std::string_view command,
                 EngineSetup* out, std::string* error) {
  out->contexts = tls::ClientContexts::Create(common.ca_file, error);
  if (!out->contexts) return false;
  if (!out->contexts->trust_warning().empty()) {
    std::fprintf(stderr, "mxsweep %.*s: %s\n", static_cast<int>(command.size()), command.data(),
                 out->contexts->trust_warning().c_str());
  }
  out->env.loop = loop;
  out->env.contexts = out->contexts.get();
  out->env.smtp.ehlo_name = common.ehlo_name;
  out->env.timeouts = common.timeouts;
  out->prober.plan = common.plan;
  out->prober.max_tempfail_retries = static_cast<int>(common.tempfail_retries);
  out->prober.tempfail_backoff =
      std::chrono::milliseconds(static_cast<int64_t>(common.tempfail_backoff * 1000));
  out->targets.allow_private = common.allow_private;
  return true;
}

}  // namespace mxsweep::app
