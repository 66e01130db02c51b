#!/bin/sh
# Fails if any binary given resolves OpenSSL 3 (libssl.so.3 / libcrypto.so.3) or a libssl /
# libcrypto from anywhere but BoringSSL's android directory, or lacks a RUNPATH. The first
# binary (mxsweep itself) must load BoringSSL.
status=0
first=1
for bin in "$@"; do
  deps=$(ldd "$bin") || { echo "ldd failed on $bin"; exit 1; }
  if echo "$deps" | grep -Eq 'lib(ssl|crypto)\.so\.3'; then
    echo "FAIL: $bin loads OpenSSL 3:"; echo "$deps" | grep -E 'lib(ssl|crypto)\.so'; status=1
  fi
  if echo "$deps" | grep -E 'lib(ssl|crypto)\.so' | grep -vq '/usr/lib/x86_64-linux-gnu/android/'; then
    echo "FAIL: $bin loads libssl/libcrypto from outside the BoringSSL directory"; status=1
  fi
  if [ $first -eq 1 ] && ! echo "$deps" | grep -Eq 'libssl\.so.* => /usr/lib/x86_64-linux-gnu/android/'; then
    echo "FAIL: $bin does not load BoringSSL from /usr/lib/x86_64-linux-gnu/android"; status=1
  fi
  if ! readelf -d "$bin" | grep -q 'RUNPATH'; then
    echo "FAIL: $bin has no RUNPATH"; status=1
  fi
  first=0
done
[ $status -eq 0 ] && echo "ok: $# binaries link BoringSSL only"
exit $status
