// cli_run.h: run the mxsweep binary as a user does, with a given stdin, and keep what it said.
#pragma once

#include <string>

namespace mxsweep::testing {

struct CliRun {
  int code = -1;  // exit code; -1 when it did not exit normally
  std::string out, err;
};

// RunCli runs `mxsweep ARGS` through the shell (so ARGS may hold redirections of its own), with
// |stdin_text| as its standard input; stdout and stderr are files, never a terminal.
CliRun RunCli(const std::string& args, const std::string& stdin_text = "");

}  // namespace mxsweep::testing
