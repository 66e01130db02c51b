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
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
  build-essential cmake ninja-build pkg-config ca-certificates \
  libuv1-dev android-libboringssl-dev libc-ares-dev libcli11-dev libidn2-dev \
  libbenchmark-dev libgtest-dev \
  android-boringssl openssl python3 \
  dpkg-dev file groff-base man-db \
  clang libclang-rt-14-dev  # the libFuzzer targets (tests/fuzz/)

# The interop suite (tests/interop/) runs real servers from Debian on loopback: Postfix, Exim,
# OpenSMTPD and NSD. Debian allows one MTA package at a time (mail-transport-agent), so Postfix
# is installed with "No configuration" (no system instance), and Exim and OpenSMTPD are unpacked
# with `dpkg -x` into $INTEROP_ROOT with only their library dependencies installed. The suite
# starts its own instances with their own config on 127.61.x.y; nothing from these packages may
# listen on 0.0.0.0 or start at boot.
INTEROP_ROOT=${MXSWEEP_INTEROP_ROOT:-/opt/mxsweep-interop}
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
# No service may start during the install (Debian's images usually have this already).
created_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
  postfix nsd util-linux \
  libgnutls-dane0 libgnutls30 libdb5.3 libidn12 libnsl2 libpcre2-8-0 libcrypt1 \
  libevent-2.1-7 libpam0g libssl3 zlib1g
[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d
for service in postfix nsd; do
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  else
    [ -x "/etc/init.d/$service" ] && "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
done
# Exim and OpenSMTPD drop privileges to these users (names compiled into Debian's binaries).
getent passwd Debian-exim >/dev/null || adduser --quiet --system --group --allow-bad-names --no-create-home --home /nonexistent Debian-exim
getent passwd opensmtpd >/dev/null || adduser --quiet --system --group --no-create-home --home /nonexistent opensmtpd
getent passwd opensmtpq >/dev/null || adduser --quiet --system --group --no-create-home --home /nonexistent opensmtpq
mkdir -p "$INTEROP_ROOT/debs"
(
  cd "$INTEROP_ROOT/debs"
  rm -f ./*.deb
  apt-get download exim4-daemon-light opensmtpd
  for pkg in exim4-daemon-light opensmtpd; do
    rm -rf "${INTEROP_ROOT:?}/$pkg"
    dpkg -x "$pkg"_*.deb "$INTEROP_ROOT/$pkg"
  done
)
# OpenSMTPD's compiled-in chroot and queue paths must exist; the suite mounts its own directories
# over them inside a private mount namespace.
mkdir -p /var/lib/opensmtpd/empty /var/spool/smtpd
