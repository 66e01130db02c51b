#!/usr/bin/env python3
"""check_docs.py: the man page and README say what the binary does.

Usage: check_docs.py MXSWEEP SOURCE_DIR [--part options|verdicts]
(check_docs_self_test.py proves that each kind of drift is reported.)

Runs `MXSWEEP --help` and `MXSWEEP COMMAND --help` for every command it lists, and checks
SOURCE_DIR/docs/mxsweep.1 and SOURCE_DIR/README.md against them:

  options   every command of the help is an entry of the man page's COMMANDS and a
            "### `mxsweep NAME ...`" heading under README's "Commands", and nothing else is;
            every option of every command (and of mxsweep without a command) is documented for
            that command in the man page's OPTIONS and in a table of README's "Options", and
            neither documents an option the command lacks;
  verdicts  the "Verdicts:" and "Exit codes:" footer of `mxsweep --help` names exactly the
            verdicts of README's "Verdicts" table and the man page's VERDICTS, and exactly the
            exit codes of README's "Exit codes" table and the man page's EXIT STATUS. A help
            without that footer is a failure: --help is where a script's author looks them up.

Where options belong: in the man page, a .SS heading under OPTIONS names the commands its
entries apply to ("mxsweep" for the options given without a command); in README, the paragraph
just above a table names them in backticks (`scan`, `probe`, `mxsweep`). -h/--help is on every
command; it is documented once, with mxsweep's own options.

Exit status 0 when everything matches, 1 with one line per problem otherwise.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packaging"))
import cli_help  # noqa: E402  (packaging/cli_help.py, shared with the completion generator)

MAN = "docs/mxsweep.1"
README = "README.md"
TOP = "mxsweep"  # the scope of the options given without a command
HELP_NAMES = {"-h", "--help"}  # CLI11's, on every command
OPTION_TOKEN = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][A-Za-z0-9-]*)")
BACKTICKED = re.compile(r"`([^`]+)`")


def scope_label(scope):
    return "'mxsweep'" if scope == TOP else "'mxsweep %s'" % scope


def help_label(scope):
    return "'mxsweep --help'" if scope == TOP else "'mxsweep %s --help'" % scope


# ---------------------------------------------------------------------------------------------
# The binary's side


def binary_facts(texts):
    """texts: {None: top-level help, 'scan': ..., ...} -> commands, {scope: set of option names},
    and the footer tables (None when absent)."""
    commands = cli_help.commands(texts[None])
    options = {}
    for key, text in texts.items():
        scope = TOP if key is None else key
        names = set()
        for option in cli_help.options(text):
            names.update(option.names)
        if scope != TOP:
            names -= HELP_NAMES
        options[scope] = names
    verdicts = cli_help.footer_table(texts[None], cli_help.SECTION_VERDICTS)
    exit_codes = cli_help.footer_table(texts[None], cli_help.SECTION_EXIT_CODES)
    return commands, options, verdicts, exit_codes


# ---------------------------------------------------------------------------------------------
# The man page: sections (.SH), subsections (.SS) and the tags of .TP paragraphs


def roff_to_text(line):
    """A roff line as a reader sees it: no macro name, no font escapes, no quotes, '\\-' as '-'."""
    line = re.sub(r"^\.[A-Za-z]+\s*", "", line)
    line = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", line)
    line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "").replace('"', "")
    return line.strip()


def man_structure(text):
    """{SECTION: [(subsection heading or None, tag text)]} for every .TP paragraph."""
    tags = {}
    section = subsection = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SH"):
            section, subsection = roff_to_text(line).upper(), None
            tags.setdefault(section, [])
        elif line.startswith(".SS"):
            subsection = roff_to_text(line)
        elif line.startswith(".TP") and section is not None and i + 1 < len(lines):
            tags[section].append((subsection, roff_to_text(lines[i + 1])))
    return tags


def man_facts(text, scopes):
    structure = man_structure(text)
    problems = []
    commands = [tag.split()[0] for _, tag in structure.get("COMMANDS", []) if tag.split()]
    options = {}
    for heading, tag in structure.get("OPTIONS", []):
        words = set(re.findall(r"[A-Za-z0-9_-]+", heading or ""))
        named = [s for s in scopes if s in words]
        names = set(OPTION_TOKEN.findall(tag))
        if not named:
            problems.append("%s: OPTIONS entry '%s' is under a heading (%r) that names no command"
                            % (MAN, tag, heading))
        for scope in named:
            options.setdefault(scope, set()).update(names)
    verdicts = [tag.split()[0] for _, tag in structure.get("VERDICTS", []) if tag.split()]
    exit_codes = [tag.split()[0] for _, tag in structure.get("EXIT STATUS", []) if tag.split()]
    for i, line in enumerate(text.splitlines(), 1):
        if any(ord(c) > 127 for c in line):
            problems.append("%s:%d: not ASCII (groff without preconv misreads it; use roff escapes)"
                            % (MAN, i))
    return commands, options, verdicts, exit_codes, problems


# ---------------------------------------------------------------------------------------------
# README: level-2 sections with their subsections, and the first cells of their tables


def readme_sections(text):
    """{'Options': [lines], ...}: each '## ' heading's lines up to the next '## ' or '# '."""
    result = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## ") or line.startswith("# "):
            current = line.lstrip("#").strip() if line.startswith("## ") else None
            if current is not None:
                result[current] = []
        elif current is not None:
            result[current].append(line)
    return result


def first_cell(row):
    """'| `--ca-file PEM\\|DIR` | x |' -> '`--ca-file PEM\\|DIR`' (an escaped pipe stays)."""
    body = row.strip()[1:]
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == "|":
            return body[:i].strip()
        i += 1
    return body.strip()


def tables(lines):
    """[(the paragraph above the table, [first cells of its body rows])] in order."""
    found = []
    above = []
    in_table = False
    new_paragraph = True
    for line in lines:
        if line.startswith("|"):
            if not in_table:
                found.append((" ".join(above), []))
                in_table = True
                continue  # the header row
            cell = first_cell(line)
            if set(cell) <= set("-: "):
                continue  # the |---| row under the header
            found[-1][1].append(cell)
            new_paragraph = True
        elif not line.strip():
            new_paragraph = True
        else:
            in_table = False
            above = [line] if new_paragraph else above + [line]
            new_paragraph = False
    return found


def readme_facts(text, scopes):
    sections = readme_sections(text)
    problems = []
    for needed in ("Commands", "Options", "Verdicts", "Exit codes"):
        if needed not in sections:
            problems.append("%s: no '## %s' section" % (README, needed))
    commands = []
    for line in sections.get("Commands", []):
        if line.startswith("### `mxsweep "):
            commands.append(line[len("### `mxsweep "):].split()[0].rstrip("`"))
    options = {}
    for above, cells in tables(sections.get("Options", [])):
        names = set()
        for cell in cells:
            names.update(OPTION_TOKEN.findall(cell.replace("\\|", "|")))
        if not names:
            continue  # a table of something else
        named = [s for s in scopes if s in BACKTICKED.findall(above)]
        if not named:
            problems.append("%s: a table of options in 'Options' (%s) follows a line naming no "
                            "command in backticks: %r" % (README, ", ".join(sorted(names)), above))
        for scope in named:
            options.setdefault(scope, set()).update(names)
    verdicts = []
    for _, cells in tables(sections.get("Verdicts", [])):
        verdicts += [c.strip("`") for c in cells if re.fullmatch(r"`[A-Z0-9_]+`", c)]
    exit_codes = []
    for _, cells in tables(sections.get("Exit codes", [])):
        exit_codes += [c.strip("`") for c in cells if re.fullmatch(r"`?[0-9]+`?", c)]
    return commands, options, verdicts, exit_codes, problems


# ---------------------------------------------------------------------------------------------
# The comparisons


def compare_commands(binary_commands, man_commands, readme_commands):
    problems = []
    for name in binary_commands:
        if name not in man_commands:
            problems.append("%s: COMMANDS has no entry for '%s' (listed by 'mxsweep --help')"
                            % (MAN, name))
        if name not in readme_commands:
            problems.append("%s: 'Commands' has no '### `mxsweep %s ...`' heading (listed by "
                            "'mxsweep --help')" % (README, name))
    for name in man_commands:
        if name not in binary_commands:
            problems.append("%s: COMMANDS names '%s', which 'mxsweep --help' does not list"
                            % (MAN, name))
    for name in readme_commands:
        if name not in binary_commands:
            problems.append("%s: 'Commands' names '%s', which 'mxsweep --help' does not list"
                            % (README, name))
    return problems


def compare_options(binary_options, doc_options, where, how):
    problems = []
    for scope in binary_options:
        has = doc_options.get(scope, set())
        for name in sorted(binary_options[scope] - has):
            problems.append("%s: %s has no entry for %s of %s (%s)"
                            % (where[0], where[1], name, scope_label(scope), how % scope))
        for name in sorted(has - binary_options[scope] - HELP_NAMES):
            problems.append("%s: %s documents %s for %s, but %s has no such option"
                            % (where[0], where[1], name, scope_label(scope), help_label(scope)))
    for scope in doc_options:
        if scope not in binary_options:
            problems.append("%s: %s documents options of %s, which 'mxsweep --help' does not list"
                            % (where[0], where[1], scope_label(scope)))
    return problems


def compare_table(footer, doc_names, what, where):
    """footer: [(name, meaning)] from the help; doc_names: names in one document's table."""
    problems = []
    names = [name for name, _ in footer]
    for name in names:
        if name not in doc_names:
            problems.append("%s: %s lacks %s %s (listed by 'mxsweep --help')"
                            % (where[0], where[1], what, name))
    for name in doc_names:
        if name not in names:
            problems.append("%s: %s names %s %s, which 'mxsweep --help' does not list"
                            % (where[0], where[1], what, name))
    return problems


def footer_problems(footer, header, pattern, what):
    if footer is None:
        return ["'mxsweep --help' prints no '%s' footer (a line '%s', then one line per %s: two "
                "spaces, the name, two or more spaces, its meaning)" % (header, header, what)]
    problems = []
    for name, meaning in footer:
        if not re.fullmatch(pattern, name) or not meaning:
            problems.append("'mxsweep --help': '%s' line '%s' is not '%s  meaning'"
                            % (header, (name + "  " + meaning).strip(),
                               "VERDICT" if what == "verdict" else "CODE"))
    if not footer:
        problems.append("'mxsweep --help': '%s' lists nothing" % header)
    return problems


def check(texts, man_text, readme_text, parts=("options", "verdicts")):
    commands, options, verdicts, exit_codes = binary_facts(texts)
    scopes = [TOP] + commands
    man_commands, man_options, man_verdicts, man_exits, man_problems = man_facts(man_text, scopes)
    rd_commands, rd_options, rd_verdicts, rd_exits, rd_problems = readme_facts(readme_text, scopes)
    problems = []
    if "options" in parts:
        problems += man_problems + rd_problems
        problems += compare_commands(commands, man_commands, rd_commands)
        problems += compare_options(options, man_options, (MAN, "OPTIONS"),
                                    "a .TP entry under a .SS heading naming %s")
        problems += compare_options(options, rd_options, (README, "'Options'"),
                                    "a row of a table whose paragraph above names `%s`")
    if "verdicts" in parts:
        problems += footer_problems(verdicts, cli_help.SECTION_VERDICTS, r"[A-Z][A-Z0-9_]*",
                                    "verdict")
        problems += footer_problems(exit_codes, cli_help.SECTION_EXIT_CODES, r"[0-9]+",
                                    "exit code")
        if verdicts is not None:
            problems += compare_table(verdicts, man_verdicts, "verdict", (MAN, "VERDICTS"))
            problems += compare_table(verdicts, rd_verdicts, "verdict", (README, "'Verdicts'"))
        if exit_codes is not None:
            problems += compare_table(exit_codes, man_exits, "exit code", (MAN, "EXIT STATUS"))
            problems += compare_table(exit_codes, rd_exits, "exit code", (README, "'Exit codes'"))
    return problems


def main(argv):
    args = argv[1:]
    parts = ("options", "verdicts")
    if len(args) == 4 and args[2] == "--part" and args[3] in parts:
        parts = (args[3],)
        args = args[:2]
    if len(args) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    binary, root = args
    try:
        texts = cli_help.collect(binary)
    except (OSError, RuntimeError) as e:
        print("check_docs: cannot read the help: %s" % e)
        return 1
    with open(os.path.join(root, MAN), encoding="utf-8") as f:
        man_text = f.read()
    with open(os.path.join(root, README), encoding="utf-8") as f:
        readme_text = f.read()
    problems = check(texts, man_text, readme_text, parts)
    for problem in problems:
        print(problem)
    if not problems:
        print("ok: %s and %s match %s's help (%s)" % (MAN, README, os.path.basename(binary),
                                                       ", ".join(parts)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
