// commands.h: the subcommands, each run with its checked options (options.h).
#pragma once

#include <uv.h>

#include <functional>
#include <istream>

#include "app/options.h"

namespace mxsweep::app {

int RunProbe(ProbeOptions& options);

// RunScan runs `mxsweep scan`. |loop| is the loop to use (the demo passes one that already
// carries its simulated servers). |after_sweep| runs on the loop once the last domain is done,
// so that handles the caller put on the loop (the demo's servers) can be closed and the loop
// can end.
int RunScan(ScanOptions& options, uv_loop_t* loop, std::istream* input_override = nullptr,
            std::function<void()> after_sweep = nullptr);

int RunDemo(DemoOptions& options);

}  // namespace mxsweep::app
