"""cli_help.py: reads what `mxsweep --help` and `mxsweep COMMAND --help` print (CLI11's layout).

The bash completion is generated from it and tests/check_docs.py checks the man page and README
against it, so both follow the binary rather than a second hand-kept list.

CLI11 prints sections as a header line ("Options:", "Subcommands:") followed by entries indented
by exactly two spaces; a description too long for its column continues on a line indented
further. mxsweep's top-level help ends with a footer in the same shape:

    Verdicts:
      OK                 one-line meaning
    Exit codes:
      0   one-line meaning
"""

import subprocess

SECTION_OPTIONS = "Options:"
SECTION_COMMANDS = "Subcommands:"
SECTION_VERDICTS = "Verdicts:"
SECTION_EXIT_CODES = "Exit codes:"

# Value types CLI11 prints after an option's names: an option followed by one takes an argument.
VALUE_TYPES = ("TEXT", "INT", "UINT", "FLOAT", "NUMBER", "BOOLEAN", "FILE", "DIR", "PATH")


class Option:
    """One option line: its names (short and long, as spelled) and whether it takes a value."""

    def __init__(self, names, takes_value, description):
        self.names = names
        self.takes_value = takes_value
        self.description = description

    def __repr__(self):
        return "Option(%r, takes_value=%r)" % (self.names, self.takes_value)


def sections(text):
    """Splits help text into {header: [entry lines]}. Entries keep their text after the two-space
    indent; continuation lines (deeper indent) are joined to the entry before them."""
    result = {}
    current = None
    for line in text.splitlines():
        if not line.strip():
            continue  # blank lines separate sections; the next header says which one follows
        if not line.startswith(" "):
            # A header ends with ':'; any other unindented line (the description, "Usage: ...")
            # belongs to no section.
            current = line.strip() if line.rstrip().endswith(":") else None
            if current is not None:
                result.setdefault(current, [])
        elif current is None:
            continue
        elif line.startswith("   "):
            if result[current]:
                result[current][-1] += " " + line.strip()
        else:
            result[current].append(line[2:].rstrip())
    return result


def _split_entry(entry):
    """'NAME   text' -> ('NAME', 'text'); the name and its text are separated by two or more
    spaces (a name never holds two spaces in a row). None when there is no such gap."""
    gap = entry.find("  ")
    if gap <= 0:
        return None
    return entry[:gap].strip(), entry[gap:].strip()


def parse_option(entry):
    """'-o,--output TEXT=-   domain CSV ...' -> Option(['-o', '--output'], True, '...')."""
    head_and_text = _split_entry(entry)
    head, text = head_and_text if head_and_text else (entry.strip(), "")
    words = head.split()
    names = [n for n in words[0].split(",") if n.startswith("-")]
    rest = words[1:]
    takes_value = bool(rest) and rest[0].split("=")[0] in VALUE_TYPES
    return Option(names, takes_value, text)


def options(text):
    """Every option of one help text, in the printed order."""
    return [parse_option(e) for e in sections(text).get(SECTION_OPTIONS, []) if e.startswith("-")]


def commands(text):
    """Command names listed under 'Subcommands:' of the top-level help."""
    found = []
    for entry in sections(text).get(SECTION_COMMANDS, []):
        split = _split_entry(entry)
        found.append(split[0] if split else entry.strip())
    return found


def footer_table(text, header):
    """Entries of a 'Verdicts:' or 'Exit codes:' footer as [(name, meaning)], or None when the
    text has no such header. Names hold no space, so the first blank ends the name even where a
    wide name (exit code 130) leaves a single space before its meaning."""
    table = sections(text).get(header)
    if table is None:
        return None
    rows = []
    for entry in table:
        parts = entry.split(None, 1)
        rows.append((parts[0], parts[1].strip()) if len(parts) == 2 else (entry.strip(), ""))
    return rows


def run_help(binary, command=None):
    """The help text of `binary [command] --help` (stdout; CLI11 exits 0)."""
    argv = [binary] + ([command] if command else []) + ["--help"]
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.strip()))
    return done.stdout


def collect(binary):
    """{None: top-level help, 'scan': scan's help, ...} for every command the binary lists."""
    texts = {None: run_help(binary)}
    for name in commands(texts[None]):
        texts[name] = run_help(binary, name)
    return texts
