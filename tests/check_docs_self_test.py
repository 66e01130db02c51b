#!/usr/bin/env python3
"""check_docs_self_test.py: check_docs.py finds each kind of drift between --help and the docs.

A small binary's help, man page and README that agree, then one planted drift at a time: an
option, a short alias, a command, a verdict or an exit code missing from one document or from the
binary, a missing or malformed --help footer, options whose commands cannot be told. Exit status 0
when every drift is reported (and the agreeing set is not), 1 otherwise.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_docs import MAN, README, check  # noqa: E402


FIXTURE_TOP = """\
mxsweep: test
Usage: mxsweep [OPTIONS] [SUBCOMMAND]

Options:
  -h,--help                   Print this help message and exit
  --version                   print the version

Subcommands:
  scan                        sweep a list
  demo                        run a demo

Verdicts:
  OK                 every address is ready
  LEGACY_ONLY        TLS 1.0/1.1 at best
Exit codes:
  0   the sweep ran
  2   bad arguments
"""

FIXTURE_SCAN = """\
sweep a list
Usage: mxsweep scan [OPTIONS] input

Positionals:
  input TEXT REQUIRED         domain list

Options:
  -h,--help                   Print this help message and exit
  -o,--output TEXT=-          domain CSV to write
  --exclude TEXT              file of CIDRs never to connect to
  --force Excludes: --resume  overwrite existing output files
  --handshake-timeout FLOAT=20
                              seconds to wait for the TLS handshake
  -4                          IPv4 addresses only
"""

FIXTURE_DEMO = """\
run a demo
Usage: mxsweep demo [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  -o,--output TEXT=demo.csv   domain CSV to write (- for stdout)
"""

FIXTURE_MAN = r""".TH MXSWEEP 1
.SH COMMANDS
.TP
.BI "scan " LIST
Sweep.
.TP
.B demo
Demo.
.SH OPTIONS
.SS "mxsweep (without a command)"
.TP
.BR \-h ", " \-\-help
Help.
.TP
.B \-\-version
Version.
.SS "scan"
.TP
.BR \-o ", " \-\-output " \fIFILE"
Out.
.TP
.BI \-\-exclude " FILE"
Excluded networks.
.TP
.B \-\-force
Overwrite.
.TP
.BI \-\-handshake\-timeout " S"
Seconds.
.TP
.B \-4
IPv4.
.SS "demo"
.TP
.BR \-o ", " \-\-output " \fIFILE"
Out.
.SH VERDICTS
.TP
.B OK
Ready.
.TP
.B LEGACY_ONLY
Old.
.SH EXIT STATUS
.TP
.B 0
Ran.
.TP
.B 2
Usage.
"""

FIXTURE_README = """\
# mxsweep
## Commands
### `mxsweep scan LIST` - sweep
### `mxsweep demo` - demo
## Options
`mxsweep` itself:

| option | meaning |
|---|---|
| `-h, --help` | help |
| `--version` | version |

`scan` only:

| option | default | meaning |
|---|---|---|
| `-o, --output FILE` | - | out |
| `--exclude FILE` | none | networks |
| `--force` | off | overwrite |
| `--handshake-timeout S` | 20 | seconds |
| `-4` | both | IPv4 |

`demo`:

| option | default | meaning |
|---|---|---|
| `-o, --output FILE` | demo.csv | out |

## Verdicts
| verdict | meaning |
|---|---|
| `OK` | ready |
| `LEGACY_ONLY` | old |
## Exit codes
| code | when |
|---|---|
| 0 | ran |
| 2 | usage |
"""


def self_test():
    base = {None: FIXTURE_TOP, "scan": FIXTURE_SCAN, "demo": FIXTURE_DEMO}
    failures = []

    def expect(name, texts, man, readme, wanted):
        problems = check(texts, man, readme)
        if not wanted and problems:
            failures.append("%s: expected no problems, got %s" % (name, problems))
        for needle in wanted:
            if not any(all(part in p for part in needle) for p in problems):
                failures.append("%s: no problem mentions %s; got %s" % (name, needle, problems))

    expect("consistent fixtures", base, FIXTURE_MAN, FIXTURE_README, [])

    # An option the docs lack, on a command whose sibling has it documented (demo --force).
    texts = dict(base, demo=FIXTURE_DEMO + "  --force                     overwrite\n")
    expect("new option", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "--force", "'mxsweep demo'"), (README, "--force", "'mxsweep demo'")])

    # A documented option the binary lost.
    texts = dict(base, scan=FIXTURE_SCAN.replace("  --exclude TEXT              file of CIDRs never "
                                                 "to connect to\n", ""))
    expect("option removed", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "--exclude", "no such option"), (README, "--exclude", "no such option")])

    # Each document missing one option, a short alias, or a short-only option.
    expect("man lacks option", base,
           FIXTURE_MAN.replace(".TP\n.BI \\-\\-exclude \" FILE\"\nExcluded networks.\n", ""),
           FIXTURE_README, [(MAN, "--exclude", "'mxsweep scan'")])
    expect("README lacks option", base, FIXTURE_MAN,
           FIXTURE_README.replace("| `--exclude FILE` | none | networks |\n", ""),
           [(README, "--exclude", "'mxsweep scan'")])
    expect("README lacks short alias", base, FIXTURE_MAN,
           FIXTURE_README.replace("| `-o, --output FILE` | demo.csv |", "| `--output FILE` | demo.csv |"),
           [(README, "-o of 'mxsweep demo'")])
    expect("man lacks -4", base, FIXTURE_MAN.replace(".TP\n.B \\-4\nIPv4.\n", ""), FIXTURE_README,
           [(MAN, "-4", "'mxsweep scan'")])

    # A new command.
    texts = dict(base)
    texts[None] = FIXTURE_TOP.replace("  demo    ", "  probe                       probe hosts\n  demo    ")
    texts["probe"] = "probe\nOptions:\n  -h,--help    help\n  --json    JSON lines\n"
    expect("new command", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "COMMANDS", "'probe'"), (README, "'Commands'", "probe"), (MAN, "--json"),
            (README, "--json")])

    # A verdict and an exit code in the help that the documents lack, and the reverse.
    texts = dict(base)
    texts[None] = FIXTURE_TOP.replace("  LEGACY_ONLY ", "  DUPLICATE          a repeated row\n"
                                      "  LEGACY_ONLY ").replace("  2   bad arguments\n",
                                                                "  2   bad arguments\n  5   inconclusive\n")
    expect("new verdict and exit code", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "VERDICTS", "DUPLICATE"), (README, "'Verdicts'", "DUPLICATE"),
            (MAN, "EXIT STATUS", "exit code 5"), (README, "'Exit codes'", "exit code 5")])
    texts = dict(base)
    texts[None] = FIXTURE_TOP.replace("  LEGACY_ONLY        TLS 1.0/1.1 at best\n", "").replace(
        "  2   bad arguments\n", "")
    expect("verdict and exit code gone", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "LEGACY_ONLY", "does not list"), (README, "LEGACY_ONLY", "does not list"),
            (MAN, "exit code 2", "does not list"), (README, "exit code 2", "does not list")])

    # No footer at all, or a malformed line in it.
    texts = dict(base)
    texts[None] = FIXTURE_TOP[:FIXTURE_TOP.index("Verdicts:")]
    expect("no footer", texts, FIXTURE_MAN, FIXTURE_README,
           [("prints no 'Verdicts:' footer",), ("prints no 'Exit codes:' footer",)])
    texts = dict(base)
    texts[None] = FIXTURE_TOP.replace("  OK                 every address is ready", "  OK")
    texts[None] = texts[None].replace("  2   bad arguments", "  two   bad arguments")
    expect("malformed footer lines", texts, FIXTURE_MAN, FIXTURE_README,
           [("'Verdicts:' line 'OK'",), ("'Exit codes:' line 'two  bad arguments'",)])
    # A three-digit code may leave one space before its meaning ('%-4s' columns).
    texts = dict(base)
    texts[None] = FIXTURE_TOP.replace("  2   bad arguments\n", "  2   bad arguments\n  130 interrupted\n")
    expect("exit code 130 in a 4-column field", texts, FIXTURE_MAN, FIXTURE_README,
           [(MAN, "lacks exit code 130"), (README, "lacks exit code 130")])

    # Options whose commands cannot be told.
    expect("README table without scope", base, FIXTURE_MAN,
           FIXTURE_README.replace("`demo`:\n", "For the demo:\n"),
           [(README, "naming no command", "--output")])
    expect("man heading without scope", base, FIXTURE_MAN.replace('.SS "demo"', '.SS "Demo things"'),
           FIXTURE_README, [(MAN, "names no command")])
    expect("non-ASCII man page", base, FIXTURE_MAN.replace("Ran.", "Ran \u2014 fine."), FIXTURE_README,
           [(MAN, "not ASCII")])

    for failure in failures:
        print("self-test FAIL:", failure)
    if not failures:
        print("ok: check_docs self-test found every planted drift")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(self_test())
