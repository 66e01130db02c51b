#!/bin/bash
# Sources the generated bash completion (build/packaging/mxsweep.bash-completion) and checks
# what it offers for typed command lines, the way bash calls it on TAB: COMP_WORDS and
# COMP_CWORD in, COMPREPLY out.
# Usage: check_bash_completion.sh COMPLETION_FILE
set -u
completion=${1:?usage: check_bash_completion.sh COMPLETION_FILE}
# shellcheck source=/dev/null
source "$completion" || { echo "FAIL: cannot source $completion"; exit 1; }

failures=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/partners.csv" "$dir/partners two.txt" "$dir/other.txt"

# complete LINE...: the words typed so far; the last one is being completed ("" after a space).
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _mxsweep
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# expect "DESCRIPTION" "EXPECTED (one per line, sorted)" WORDS...
expect() {
    local what=$1 wanted=$2
    shift 2
    local got
    got=$(complete_words "$@")
    if [[ $got != "$wanted" ]]; then
        echo "FAIL: $what: typed '$*', expected:"
        printf '  %s\n' "$wanted"
        echo "got:"
        printf '  %s\n' "$got"
        failures=$((failures + 1))
    fi
}

expect "a command from its prefix" "scan" mxsweep sc
expect "every command" "$(printf '%s\n' demo help probe scan version)" mxsweep ""
expect "a scan option from its prefix" "$(printf '%s\n' --resolver --resume)" mxsweep scan --res
expect "mxsweep's own options" "--version" mxsweep --ver
expect "demo's options only" "$(printf '%s\n' --force --help --hosts --output)" mxsweep demo --
expect "probe's --json" "--json" mxsweep probe --js
expect "no scan-only option for probe" "" mxsweep probe --keep
expect "the input list is a file" "$(printf '%s\n' "$dir/partners two.txt" "$dir/partners.csv")" \
    mxsweep scan "$dir/part"
expect "-o takes a file" "$dir/partners.csv" mxsweep scan -o "$dir/partners.c"
expect "--hosts takes a file" "$dir/other.txt" mxsweep scan --hosts "$dir/o"
expect "--exclude takes a file" "$dir/other.txt" mxsweep scan --exclude "$dir/o"
expect "--hosts=FILE (bash splits at =)" "$dir/other.txt" mxsweep scan --hosts = "$dir/o"
expect "the input after an option's value" "$dir/other.txt" mxsweep scan -o x.csv "$dir/o"
expect "a number is not a file" "" mxsweep scan --port ""
expect "a host is not a file" "" mxsweep probe "$dir/o"
expect "--versions words" "$(printf '%s\n' TLS1.0 TLS1.1 TLS1.2 TLS1.3)" mxsweep probe --versions TLS1.
expect "an unknown command" "" mxsweep scna --

if ! complete -p mxsweep 2>/dev/null | grep -q -- '-F _mxsweep'; then
    echo "FAIL: the completion does not register _mxsweep for mxsweep"
    failures=$((failures + 1))
fi
if (( failures )); then
    echo "$failures completion check(s) failed"
    exit 1
fi
echo "ok: bash completion of commands, options and file arguments"
