// main.cc: the command line. CLI11 is heavy to compile, so it lives in this one file; the
// commands take plain option structs (options.h).
#include <signal.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/help_text.h"
#include "app/loop_util.h"
#include "tls/library_version.h"

#ifndef MXSWEEP_VERSION
#error "MXSWEEP_VERSION must be defined by the build"
#endif
#ifndef MXSWEEP_GIT_DESCRIBE
#define MXSWEEP_GIT_DESCRIBE ""
#endif

namespace mxsweep::app {
namespace {

void AddCommonOptions(CLI::App* cmd, CommonOptions* o) {
  cmd->add_option("--port", o->port, "SMTP port to probe")->capture_default_str();
  cmd->add_option("--ehlo-name", o->ehlo_name,
                  "name to send in EHLO (default: this machine's FQDN, never the target's)");
  cmd->add_option("--ca-file", o->ca_file,
                  "trust anchors for chain validation: a PEM file, or a directory of <hash>.0 files as c_rehash makes (default: system roots)");
  cmd->add_flag("--allow-private", o->allow_private,
                "allow private, loopback, link-local and reserved targets");
  cmd->add_option("--versions", o->versions,
                  "probes to run after 'auto': comma list of SSL3,TLS1.0,TLS1.1,TLS1.2,TLS1.3,EXO, or 'all'");
  cmd->add_option("--resolver", o->resolvers, "DNS server IP[:PORT] (repeatable; default: the system's)");
  cmd->add_flag("-4", o->ipv4_only, "IPv4 addresses only");
  cmd->add_flag("-6", o->ipv6_only, "IPv6 addresses only");
  cmd->add_option("--concurrency", o->concurrency,
                  "sessions in flight at once (each is one open file; the process limit caps it)")
      ->capture_default_str();
  cmd->add_option("--per-address-gap", o->per_address_gap,
                  "seconds between sessions to the same address (one session at a time per address)")
      ->capture_default_str();
  cmd->add_option("--per-network", o->per_network,
                  "sessions in flight at once to one /24 (IPv4) or /48 (IPv6) network; 0: no limit")
      ->capture_default_str();
  cmd->add_option("--rate", o->rate, "new connections per second, all addresses together")
      ->capture_default_str();
  cmd->add_option("--tempfail-retries", o->tempfail_retries,
                  "retries of a probe answered with 421/4xx, each after twice the previous wait")
      ->capture_default_str();
  cmd->add_option("--tempfail-backoff", o->tempfail_backoff, "seconds before the first retry after a 421")
      ->capture_default_str();
  cmd->add_option("--connect-timeout", o->connect_timeout, "seconds to wait for TCP connect")
      ->capture_default_str();
  cmd->add_option("--greeting-timeout", o->greeting_timeout,
                  "seconds to wait for the complete 220 greeting (delays of 10-30 s are normal)")
      ->capture_default_str();
  cmd->add_option("--command-timeout", o->command_timeout, "seconds to wait for each reply")
      ->capture_default_str();
  cmd->add_option("--handshake-timeout", o->handshake_timeout, "seconds to wait for the TLS handshake")
      ->capture_default_str();
  cmd->add_option("--session-timeout", o->session_timeout, "overall deadline of one SMTP session, seconds")
      ->capture_default_str();
}

const std::vector<std::string>& CommandNames() {
  static const std::vector<std::string> names = {"probe", "scan", "demo", "version", "help"};
  return names;
}

// EditDistance is the Levenshtein distance: insertions, deletions and substitutions.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// CheckCommandWord catches a mistyped command before CLI11 does: CLI11 would only say that a
// subcommand is required. Returns false after printing the one-line error.
bool CheckCommandWord(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return true;
  std::string word = argv[1];
  const std::vector<std::string>& names = CommandNames();
  if (std::find(names.begin(), names.end(), word) != names.end()) return true;
  std::string best;
  size_t best_distance = 3;  // further than two edits away is not a typo of that command
  for (const std::string& name : names) {
    size_t d = EditDistance(word, name);
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  if (!best.empty()) {
    std::fprintf(stderr, "mxsweep: unknown command '%s'; did you mean '%s'?\n", word.c_str(), best.c_str());
  } else {
    std::fprintf(stderr, "mxsweep: unknown command '%s'; the commands are probe, scan, demo, version and help\n",
                 word.c_str());
  }
  return false;
}

// PrintHelp is `mxsweep help [COMMAND]`: the same text as --help.
int PrintHelp(const CLI::App& app, const std::string& topic) {
  if (topic.empty()) {
    // app.help() would show the help of the selected subcommand, which is "help" itself.
    std::fputs(app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal).c_str(), stdout);
    return kExitOk;
  }
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name() == topic) {
      std::fputs(command->help(app.get_name()).c_str(), stdout);
      return kExitOk;
    }
  }
  std::fprintf(stderr, "mxsweep help: no command '%s'; the commands are probe, scan, demo, version and help\n",
               topic.c_str());
  return kExitUsage;
}

int PrintVersion() {
  std::string describe = MXSWEEP_GIT_DESCRIBE;
  std::printf("mxsweep %s%s\n", MXSWEEP_VERSION, describe.empty() ? "" : (" (git " + describe + ")").c_str());
  std::printf("TLS library: %s\n", mxsweep::tls::TlsLibraryVersion().c_str());
  return kExitOk;
}

}  // namespace
}  // namespace mxsweep::app

int main(int argc, char** argv) {
  using namespace mxsweep::app;
  // libuv does not ignore SIGPIPE; a peer that vanishes mid-write must not kill the sweep.
  signal(SIGPIPE, SIG_IGN);

  CLI::App app{"mxsweep: find partner mail servers that Exchange Online cannot reach over TLS"};
  // At most one command; none is allowed only with --version (checked after parsing).
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version of mxsweep and of its TLS library");
  app.footer(MainHelpFooter());
  if (!CheckCommandWord(argc, argv)) return kExitUsage;

  ProbeOptions probe;
  CLI::App* probe_cmd = app.add_subcommand("probe", "probe mail servers: STARTTLS with each TLS version, every address");
  probe_cmd->add_option("host", probe.hosts, "MX host names or addresses, each optionally HOST:PORT or [IPv6]:PORT (probed at once); domains with --mx")->required();
  probe_cmd->add_flag("--json", probe.json, "one JSON object per address per line (JSONL)");
  probe_cmd->add_flag("--mx", probe.mx,
                      "each argument is a domain: probe every address of its MX hosts (null MX and "
                      "implicit MX as in scan)");
  probe_cmd->footer(ProbeHelpFooter());
  AddCommonOptions(probe_cmd, &probe.common);

  ScanOptions scan;
  CLI::App* scan_cmd = app.add_subcommand(
      "scan", "sweep a list of domains: MX records, STARTTLS, TLS versions, a verdict per domain");
  scan_cmd->add_option("input", scan.input,
                       "domain list: one per line (# comments), or a CSV with a 'domain' column; - for stdin")
      ->required();
  scan_cmd->add_option("-o,--output", scan.output, "domain CSV to write (- for stdout)")->capture_default_str();
  scan_cmd->add_option("--hosts", scan.hosts, "also write one JSON object per probed address (JSONL)");
  scan_cmd->add_option("--exclude", scan.exclude_file, "file of CIDRs never to connect to");
  auto* force_flag = scan_cmd->add_flag("--force", scan.force, "overwrite existing output files");
  scan_cmd->add_flag("--resume", scan.resume,
                     "continue an interrupted sweep: skip the domains the output CSV already holds and append")
      ->excludes(force_flag);
  scan_cmd->add_flag("--keep-going", scan.keep_going,
                     "sweep on even when more than half of the last 200 domains end in DNS_ERROR");
  scan_cmd->add_option("--max-domains-in-flight", scan.max_domains_in_flight,
                       "domains between lookup and verdict at once (bounds memory)")
      ->capture_default_str();
  scan_cmd->add_option("--progress-every", scan.progress_every,
                       "seconds between status lines on stderr when it is no terminal (cron, CI, a "
                       "pipe); on a terminal a live line instead; 0 = no progress at all")
      ->capture_default_str();
  AddCommonOptions(scan_cmd, &scan.common);
  scan_cmd->footer(ScanHelpFooter());

  DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "run a whole sweep offline against simulated DNS and mail servers on loopback");
  demo_cmd->add_option("-o,--output", demo.output, "domain CSV to write (- for stdout)")->capture_default_str();
  demo_cmd->add_option("--hosts", demo.hosts, "also write the per-address JSONL");
  demo_cmd->add_flag("--force", demo.force, "overwrite existing output files (otherwise mxsweep refuses)");
  demo_cmd->footer(DemoHelpFooter());

  CLI::App* version_cmd = app.add_subcommand("version", "print the version of mxsweep and of its TLS library");
  std::string help_topic;
  CLI::App* help_cmd = app.add_subcommand("help", "print this help, or a command's (mxsweep help scan)");
  help_cmd->add_option("command", help_topic, "the command to explain");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (probe_cmd->parsed()) return RunProbe(probe);
  if (scan_cmd->parsed()) {
    LoopHolder loop;
    return RunScan(scan, loop.get());
  }
  if (demo_cmd->parsed()) return RunDemo(demo);
  if (version_cmd->parsed() || show_version) return PrintVersion();
  if (help_cmd->parsed()) return PrintHelp(app, help_topic);
  std::fprintf(stderr, "mxsweep: a command is required: probe, scan, demo, version or help (--help lists them)\n");
  return kExitUsage;
}
