#!/bin/bash
# `cpack -G DEB` from the build tree's CPack configuration, into a scratch directory: the .deb is
# named mxsweep_<version>_amd64.deb, its Depends are Debian packages (BoringSSL from
# android-libboringssl, never OpenSSL's libssl3), and it holds exactly the installed files.
# Installing it is .ci/run's job (it needs root and changes the machine).
# Usage: check_deb.sh BUILD_DIR VERSION
set -u
build=${1:?usage: check_deb.sh BUILD_DIR VERSION}
version=${2:?}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; status=1; }
status=0

if ! log=$(cd "$out" && cpack --config "$build/CPackConfig.cmake" -B "$out" -G DEB 2>&1); then
  echo "$log"; echo "FAIL: cpack -G DEB"; exit 1
fi
deb=$out/mxsweep_${version}_amd64.deb
if [ ! -f "$deb" ]; then
  echo "$log"; ls "$out"; echo "FAIL: no $(basename "$deb")"; exit 1
fi

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = mxsweep ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = net ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
# One package per shared library mxsweep needs (readelf NEEDED), by Debian's names.
for package in android-libboringssl libuv1 libc-ares2 libidn2-0 libc6 libstdc++6; do
  case ", $depends," in
    *", $package "*|*", $package,"*) ;;
    *) fail "Depends lacks $package: $depends" ;;
  esac
done
case $depends in
  *libssl*) fail "Depends names OpenSSL: $depends" ;;
esac
contents=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | LC_ALL=C sort)
expected="./usr/bin/mxsweep
./usr/share/bash-completion/completions/mxsweep
./usr/share/doc/mxsweep/README.md
./usr/share/man/man1/mxsweep.1.gz"
if [ "$contents" != "$expected" ]; then
  fail "the package holds other files than expected:"
  diff <(echo "$expected") <(echo "$contents")
fi

[ $status -eq 0 ] && echo "ok: $(basename "$deb"), Depends: $depends"
exit $status
