#!/bin/bash
# `cmake --install` into a scratch prefix: exactly the binary, mxsweep(1), the bash completion and
# the README land where a Debian tool keeps them (nothing from tests/ or bench/), and the
# installed binary still loads BoringSSL from the android directory through its RUNPATH.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION
set -u
build=${1:?usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION}
source_dir=${2:?}
version=${3:?}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; status=1; }
status=0

if ! out=$(cmake --install "$build" --prefix "$prefix/usr" 2>&1); then
  echo "$out"; echo "FAIL: cmake --install"; exit 1
fi

expected="usr/bin/mxsweep
usr/share/bash-completion/completions/mxsweep
usr/share/doc/mxsweep/README.md
usr/share/man/man1/mxsweep.1.gz"
got=$(cd "$prefix" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort)
if [ "$got" != "$expected" ]; then
  fail "installed files differ from the expected layout:"
  diff <(echo "$expected") <(echo "$got")
fi

bin=$prefix/usr/bin/mxsweep
if [ -x "$bin" ]; then
  runpath=$(readelf -d "$bin" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  [ "$runpath" = /usr/lib/x86_64-linux-gnu/android ] ||
    fail "installed mxsweep has RUNPATH '$runpath', not /usr/lib/x86_64-linux-gnu/android"
  "$source_dir/tests/check_no_openssl.sh" "$bin" || fail "installed mxsweep links the wrong TLS library"
  first=$("$bin" --version | head -n 1)
  case $first in
    "mxsweep $version"*) ;;
    *) fail "installed 'mxsweep --version' says '$first', expected mxsweep $version" ;;
  esac
else
  fail "no executable usr/bin/mxsweep"
fi

man_gz=$prefix/usr/share/man/man1/mxsweep.1.gz
if [ -f "$man_gz" ] && ! gzip -dc "$man_gz" | cmp -s - "$source_dir/docs/mxsweep.1"; then
  fail "the installed man page is not docs/mxsweep.1"
fi
completion=$prefix/usr/share/bash-completion/completions/mxsweep
if [ -f "$completion" ] &&
   ! bash -c 'source "$1" && complete -p mxsweep' sh "$completion" >/dev/null 2>&1; then
  fail "the installed completion does not register mxsweep"
fi

[ $status -eq 0 ] && echo "ok: cmake --install lays out mxsweep $version as a Debian tool"
exit $status
