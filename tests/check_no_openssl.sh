#!/bin/sh
# Fails if any binary given resolves OpenSSL 3 (libssl.so.3 / libcrypto.so.3), or does not
# resolve BoringSSL from the android directory through its RUNPATH.
status=0
for bin in "$@"; do
  deps=$(ldd "$bin") || { echo "ldd failed on $bin"; exit 1; }
  if echo "$deps" | grep -Eq 'lib(ssl|crypto)\.so\.3'; then
    echo "FAIL: $bin loads OpenSSL 3:"; echo "$deps" | grep -E 'lib(ssl|crypto)\.so'; status=1
  fi
  if ! echo "$deps" | grep -Eq 'libssl\.so.* => /usr/lib/x86_64-linux-gnu/android/'; then
    echo "FAIL: $bin does not load BoringSSL from /usr/lib/x86_64-linux-gnu/android"; status=1
  fi
  if ! readelf -d "$bin" | grep -q 'RUNPATH'; then
    echo "FAIL: $bin has no RUNPATH"; status=1
  fi
done
[ $status -eq 0 ] && echo "ok: $# binaries link BoringSSL only"
exit $status
