#!/usr/bin/env python3
"""gen_bash_completion.py: writes mxsweep's bash completion from the binary's own --help.

Usage: gen_bash_completion.py MXSWEEP OUTPUT

Run at build time (packaging/CMakeLists.txt), so the installed completion offers exactly the
commands and options of the binary beside it. What --help cannot say is below: which values are
paths (completed as file names) and which have a closed set of words.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_help  # noqa: E402

# Options whose value is a path. An option that takes a value but is in neither table gets no
# completion for its value (a number, a host name): offering file names there would mislead.
PATH_OPTIONS = {"-o", "--output", "--hosts", "--exclude", "--ca-file"}
WORD_OPTIONS = {"--versions": "all SSL3 TLS1.0 TLS1.1 TLS1.2 TLS1.3 EXO"}
# Commands whose positional arguments are paths (scan LIST; '-' is stdin).
PATH_POSITIONALS = {"scan"}

TEMPLATE = r"""# bash completion for mxsweep(1).
# Generated from `mxsweep --help` by packaging/gen_bash_completion.py at build time: do not edit.

_mxsweep()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    # bash splits --output=FILE at '=' (COMP_WORDBREAKS): complete FILE as the option's value.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi

    # The command is the first word after mxsweep that is neither an option nor an option's value.
    local command= i word
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word=${COMP_WORDS[i]}
        case $word in
            -*) ;;
            *) command=$word; break ;;
        esac
    done

    local options value_options
    case $command in
@CASES@
        *) return 0 ;;
    esac

    case $prev in
@PATH_CASE@)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0 ;;
@WORD_CASES@
    esac
    # Any other option that takes a value: nothing sensible to offer.
    if [[ -n $prev && " $value_options " == *" $prev "* ]]; then
        return 0
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=( $(compgen -W "$options" -- "$cur") )
    elif [[ -z $command ]]; then
        COMPREPLY=( $(compgen -W "@COMMANDS@" -- "$cur") )
    else
        case $command in
@POSITIONAL_CASE@)
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        esac
    fi
    return 0
}
complete -F _mxsweep mxsweep
"""


def case_for(label, options):
    names = []
    values = []
    for option in options:
        names += option.names
        if option.takes_value:
            values += option.names
    return ("        %s)\n            options=\"%s\"\n            value_options=\"%s\" ;;"
            % (label, " ".join(names), " ".join(values)))


def generate(texts):
    commands = cli_help.commands(texts[None])
    cases = [case_for("''", cli_help.options(texts[None]))]
    cases += [case_for(name, cli_help.options(texts[name])) for name in commands]
    value_names = {n for name in commands for o in cli_help.options(texts[name]) if o.takes_value
                   for n in o.names}
    path_names = sorted(value_names & PATH_OPTIONS)
    word_cases = ["        %s)\n            COMPREPLY=( $(compgen -W \"%s\" -- \"$cur\") )\n"
                  "            return 0 ;;" % (name, words)
                  for name, words in sorted(WORD_OPTIONS.items()) if name in value_names]
    positional = [c for c in commands if c in PATH_POSITIONALS]
    return (TEMPLATE.replace("@CASES@", "\n".join(cases))
            .replace("@PATH_CASE@", "        " + "|".join(path_names or ["--no-path-option"]))
            .replace("@WORD_CASES@", "\n".join(word_cases))
            .replace("@COMMANDS@", " ".join(commands))
            .replace("@POSITIONAL_CASE@", "            " + "|".join(positional or ["''"])))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        texts = cli_help.collect(argv[1])
    except (OSError, RuntimeError) as e:
        print("gen_bash_completion: cannot read the help: %s" % e, file=sys.stderr)
        return 1
    text = generate(texts)
    tmp = argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
