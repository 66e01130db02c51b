// help_text.h: the parts of `--help` that are not one option's description — examples, the
// verdicts and the exit codes. Built from the tables the program uses (the verdict enum, the
// exit-code constants), so a verdict cannot be missing. The footer's form is a contract: tools
// and tests read it to check the man page and README against it:
//
//   Verdicts:
//     OK                 every probed MX address negotiates TLS >= 1.2 with ...
//   Exit codes:
//     0    the probes or the sweep ran, whatever they found; ...
//
// (a heading line, then one line per entry: two spaces, the name or number, two or more
// spaces, a one-line meaning).
#pragma once

#include <string>

namespace mxsweep::app {

// VerdictsHelp is the "Verdicts:" block, one line per verdict in kAllVerdicts order.
std::string VerdictsHelp();
// ExitCodesHelp is the "Exit codes:" block, one line per exit code, ascending.
std::string ExitCodesHelp();

// MainHelpFooter follows `mxsweep --help`: examples, then the verdicts and the exit codes.
std::string MainHelpFooter();
// The examples after each command's own --help.
std::string ScanHelpFooter();
std::string ProbeHelpFooter();
std::string DemoHelpFooter();

}  // namespace mxsweep::app
