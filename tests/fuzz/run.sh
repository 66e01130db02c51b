#!/bin/bash
# run.sh: build the libFuzzer targets with clang and run each for a while, one after the other.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (default: 600 s each, every target)
#
# One job, one core: a fuzzer should not starve the builds and tests sharing the machine. The
# seed corpus under tests/fuzz/corpus/<target> is read but not written: new inputs go to
# $FUZZ_OUT/<target>/corpus (default build-fuzz/out). A crash leaves its input in
# $FUZZ_OUT/<target>/; copy it to tests/fuzz/regressions/<target>/ once fixed, so ctest replays it.
# The last line of each log has libFuzzer's execution count; a summary is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(smtp_reply smtp_session domain_input dns_wire cert_name)
build=${FUZZ_BUILD:-build-fuzz}
out=${FUZZ_OUT:-$build/out}

if ! command -v clang++ >/dev/null; then
  echo "run.sh: clang++ not found (apt-get install clang)" >&2
  exit 2
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
CC=clang CXX=clang++ cmake -S . -B "$build" "${generator[@]}" -DMXSWEEP_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j1 --target "${targets[@]/#/fuzz_}"

status=0
for t in "${targets[@]}"; do
  mkdir -p "$out/$t/corpus"
  log="$out/$t/fuzz.log"
  echo "run.sh: fuzz_$t for ${seconds}s (log $log)"
  set +e
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/$t/" "$out/$t/corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ $rc -ne 0 ]; then
    status=1
    echo "run.sh: fuzz_$t FOUND A PROBLEM after $execs executions; see $log and $out/$t/crash-*"
  else
    echo "run.sh: fuzz_$t ran $execs executions, no finding"
  fi
done
exit $status
