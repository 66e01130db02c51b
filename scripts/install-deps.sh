#!/bin/sh
# Installs everything mxsweep needs to build and test on Debian 12, as root.
# The README's first command and CI both run this one list.
set -eu
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (apt-get install)" >&2
  exit 1
fi
apt-get update
apt-get install -y --no-install-recommends \
  build-essential cmake ninja-build pkg-config ca-certificates \
  libuv1-dev android-libboringssl-dev libc-ares-dev libcli11-dev libidn2-dev \
  libbenchmark-dev libgtest-dev \
  android-boringssl openssl python3 \
  clang libclang-rt-14-dev  # the libFuzzer targets (tests/fuzz/run.sh)
