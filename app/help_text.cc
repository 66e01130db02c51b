#include "app/help_text.h"

#include <algorithm>

#include "app/options.h"
#include "scanner/verdict/verdict.h"

namespace mxsweep::app {
namespace {

struct ExitCodeMeaning {
  int code;
  const char* meaning;
};

// README's "Exit codes" table says the same at more length.
constexpr ExitCodeMeaning kExitCodes[] = {
    {kExitOk,
     "probe: the probes ran, whatever they found; scan: finished, every domain definite; demo; "
     "version, help"},
    {kExitError, "an I/O error: an output file could not be written (rows already written stay)"},
    {kExitUsage,
     "bad arguments, an unreadable input or exclude file, an output file that exists (without "
     "--force), or (scan) an input with no usable domain"},
    {kExitResolve,
     "probe: a name does not resolve; scan: no resolver answers, or most recent domains ended in "
     "DNS_ERROR (--resume continues)"},
    {kExitRefused, "probe: every address of a host is refused by policy (use --allow-private)"},
    {kExitInconclusive,
     "scan: the sweep finished, but some domains are inconclusive (UNREACHABLE, TEMPFAIL, DNS_ERROR)"},
    {kExitInterrupted,
     "scan: interrupted by SIGINT, SIGTERM or SIGHUP; finished rows are written, --resume "
     "continues"},
};

// Entry writes "  NAME<spaces>MEANING\n" with the meanings aligned at |column| (at least two
// spaces after the name whatever its length).
std::string Entry(const std::string& name, std::string_view meaning, size_t column) {
  std::string line = "  " + name;
  line.append(std::max<size_t>(2, column > line.size() ? column - line.size() : 0), ' ');
  line.append(meaning);
  line += '\n';
  return line;
}

}  // namespace

std::string VerdictsHelp() {
  size_t longest = 0;
  for (Verdict v : kAllVerdicts) longest = std::max(longest, VerdictName(v).size());
  std::string out = "Verdicts:\n";
  for (Verdict v : kAllVerdicts) {
    out += Entry(std::string(VerdictName(v)), VerdictMeaning(v), 2 + longest + 2);
  }
  return out;
}

std::string ExitCodesHelp() {
  std::string out = "Exit codes:\n";
  for (const ExitCodeMeaning& e : kExitCodes) out += Entry(std::to_string(e.code), e.meaning, 7);
  return out;
}

std::string MainHelpFooter() {
  return "Examples:\n"
         "  mxsweep demo -o demo.csv                     a whole sweep offline, against simulated servers\n"
         "  mxsweep scan partners.txt -o partners.csv    sweep a list of partner domains\n"
         "  mxsweep probe mx1.partner.example            every TLS version on one mail server\n"
         "  mxsweep probe partner.example --mx           the same for each MX host of a domain\n"
         "  mxsweep help scan                            the options of one command\n"
         "\n" +
         VerdictsHelp() + "\n" + ExitCodesHelp();
}

std::string ScanHelpFooter() {
  return "Examples:\n"
         "  mxsweep scan partners.txt -o partners.csv --hosts partners-hosts.jsonl\n"
         "  cat partners.txt | mxsweep scan - -o - > partners.csv\n"
         "  mxsweep scan partners.txt -o partners.csv --resume     # continue an interrupted sweep\n";
}

std::string ProbeHelpFooter() {
  return "Examples:\n"
         "  mxsweep probe mx1.partner.example\n"
         "  mxsweep probe partner.example --mx --json              # each MX host of the domain\n"
         "  mxsweep probe mx1.partner.example:2525 --versions TLS1.0,TLS1.2\n";
}

std::string DemoHelpFooter() {
  return "Examples:\n"
         "  mxsweep demo -o demo.csv\n"
         "  mxsweep demo -o demo.csv --force --hosts demo-hosts.jsonl   # run it again\n";
}

}  // namespace mxsweep::app
