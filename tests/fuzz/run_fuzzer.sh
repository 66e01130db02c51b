#!/bin/sh
# run_fuzzer.sh FUZZER HEX_DIR RUNS: seed a fresh corpus from the hex vectors and fuzz RUNS inputs.
set -eu
fuzzer=$1 hexdir=$2 runs=$3
corpus=$(mktemp -d /tmp/mxsweep-fuzz-XXXXXX)
trap 'rm -rf "$corpus"' EXIT
for f in "$hexdir"/*.hex; do
  python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(open(sys.argv[1]).read().strip()))' "$f" \
    > "$corpus/$(basename "$f" .hex)"
done
exec "$fuzzer" -runs="$runs" -max_len=4096 -print_final_stats=1 "$corpus"
