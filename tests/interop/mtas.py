"""mtas.py: configuration and start-up of the real servers (NSD, Postfix, Exim, OpenSMTPD).

None of them delivers mail: every RCPT is rejected. Each binds only its own 127.61.x.y:25.
"""

import os
import re
import shutil
import time

from servers import POSTFIX_MASTER_DIST, SuiteError, tail, write

INTEROP_ROOT = os.environ.get("MXSWEEP_INTEROP_ROOT", "/opt/mxsweep-interop")
EXIM = os.path.join(INTEROP_ROOT, "exim4-daemon-light/usr/sbin/exim4")
SMTPD = os.path.join(INTEROP_ROOT, "opensmtpd/usr/sbin/smtpd")
NSD = "/usr/sbin/nsd"
POSTFIX = "/usr/sbin/postfix"
SMTP_PORT = 25


def check_installed():
    """Raises SuiteError naming what is missing and how to install it."""
    missing = [path for path in (NSD, POSTFIX, POSTFIX_MASTER_DIST, EXIM, SMTPD,
                                 "/usr/bin/openssl", "/usr/bin/unshare")
               if not os.access(path, os.X_OK if not path.endswith(".dist") else os.R_OK)]
    if missing:
        raise SuiteError("interop suite: missing %s; run scripts/install-deps.sh as root (it installs "
                         "Postfix and NSD and unpacks Exim and OpenSMTPD into %s)"
                         % (", ".join(missing), INTEROP_ROOT))
    if os.geteuid() != 0:
        raise SuiteError("interop suite: must run as root (MTAs bind port 25; mount namespaces)")


# --- NSD -------------------------------------------------------------------------------------

def start_nsd(runner, work, ip, port, zone_text):
    d = os.path.join(work, "nsd")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "interop.test.zone"), zone_text)
    conf = os.path.join(d, "nsd.conf")
    write(conf, """\
server:
    ip-address: {ip}@{port}
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "{d}"
    database: ""
    pidfile: "{d}/nsd.pid"
    xfrdfile: "{d}/xfrd.state"
    zonelistfile: "{d}/zone.list"
    xfrdir: "{d}"
    logfile: "{d}/nsd.log"
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: "interop.test"
    zonefile: "interop.test.zone"
""".format(ip=ip, port=port, d=d))
    log = os.path.join(d, "nsd.log")
    proc = runner.spawn("nsd", [NSD, "-d", "-c", conf], log)
    return proc, log


# --- Postfix ---------------------------------------------------------------------------------

def postfix_master_cf(listeners):
    """The packaged master.cf without its smtp listener, plus one smtpd per (ip, overrides)."""
    lines = []
    with open(POSTFIX_MASTER_DIST) as f:
        for line in f:
            if re.match(r"^(smtp|submission|smtps)\s+inet\s", line) or line.startswith("#"):
                continue
            lines.append(line)
    text = "".join(lines)
    if not re.search(r"^postlog\s", text, re.M):
        text += "postlog   unix-dgram n  -       n       -       1       postlogd\n"
    for ip, overrides in listeners:
        text += "%s:%d inet n - n - - smtpd\n" % (ip, SMTP_PORT)
        for key, value in overrides:
            text += "  -o { %s = %s }\n" % (key, value)
    return text


def start_postfix(runner, work, name, listeners, tls_settings):
    """One Postfix instance with its own config, queue and data directories.

    listeners: [(ip, [(param, value)...])]; tls_settings: main.cf lines for the TLS profile.
    """
    d = os.path.join(work, name)
    conf = os.path.join(d, "conf")
    for sub in ("conf", "queue", "data"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    shutil.chown(os.path.join(d, "data"), "postfix", "postfix")
    log = os.path.join(d, "maillog")
    write(os.path.join(conf, "main.cf"), """\
compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
maillog_file = {log}
maillog_file_prefixes = {d}
mail_owner = postfix
setgid_group = postdrop
myhostname = {name}.interop.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
# No mail is ever accepted.
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
# No DNS at connect: the client's name is not needed.
smtpd_peername_lookup = no
smtpd_banner = $myhostname ESMTP Postfix (interop)
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
{tls}
""".format(d=d, log=log, name=name, tls=tls_settings))
    write(os.path.join(conf, "master.cf"), postfix_master_cf(listeners))
    proc = runner.spawn(name, [POSTFIX, "-c", conf, "start-fg"], log, namespace_mounts=[])
    # Its master runs in a session of its own: track it by the pid file it writes, at once, so
    # that it is stopped whatever happens next.
    master_pid = os.path.join(d, "queue", "pid", "master.pid")
    deadline = time.monotonic() + 20
    while not os.path.exists(master_pid):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SuiteError("%s: Postfix's master did not start; see %s:\n%s"
                             % (name, log, tail(log)))
        time.sleep(0.05)
    runner.adopt(name + "-master", master_pid)
    return proc, log


# --- Exim ------------------------------------------------------------------------------------

def start_exim(runner, work, name, ip, tls_settings):
    d = os.path.join(work, name)
    for sub in ("spool", "log"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    shutil.chown(os.path.join(d, "spool"), "Debian-exim", "Debian-exim")
    shutil.chown(os.path.join(d, "log"), "Debian-exim", "Debian-exim")
    # Exim reads its key after dropping to Debian-exim: give it its own copies.
    for stem in ("key", "crt"):
        source = os.path.join(work, "certs", "valid." + stem)
        target = os.path.join(d, "tls." + stem)
        shutil.copyfile(source, target)
        shutil.chown(target, "Debian-exim", "Debian-exim")
        os.chmod(target, 0o600)
    conf = os.path.join(d, "exim.conf")
    write(conf, """\
primary_hostname = {name}.interop.test
exim_path = {exim}
spool_directory = {d}/spool
log_file_path = {d}/log/%slog
pid_file_path = {d}/exim.pid
local_interfaces = <; {ip}.{port}
daemon_smtp_ports = {port}
# Fail at once when the address is taken (the default retries for minutes).
daemon_startup_retries = 0
# No DNS or ident at connect.
host_lookup =
rfc1413_hosts =
smtp_banner = $primary_hostname ESMTP Exim $version_number (interop)
acl_smtp_rcpt = acl_rcpt
{tls}

begin acl
acl_rcpt:
  deny message = interop test server: no mail accepted here

begin routers
begin transports
""".format(name=name, exim=EXIM, d=d, ip=ip, port=SMTP_PORT,
           tls=tls_settings.replace("@CRT@", d + "/tls.crt").replace("@KEY@", d + "/tls.key")))
    log = os.path.join(d, "log", "mainlog")
    # -bdf: daemon in the foreground; -q none; -C: our config (root keeps its privilege).
    proc = runner.spawn(name, [EXIM, "-C", conf, "-bdf", "-oP", os.path.join(d, "exim.pid")],
                        os.path.join(d, "stderr.log"), namespace_mounts=[])
    return proc, os.path.join(d, "stderr.log")


# --- OpenSMTPD -------------------------------------------------------------------------------

def start_opensmtpd(runner, work, name, ip, cert, key):
    d = os.path.join(work, name)
    for sub in ("spool", "run"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    os.chmod(os.path.join(d, "spool"), 0o711)
    conf = os.path.join(d, "smtpd.conf")
    # Its defaults: only the certificate is configured; one rule rejects every RCPT.
    write(conf, """\
pki {name}.interop.test cert "{cert}"
pki {name}.interop.test key "{key}"
listen on {ip} port {port} tls pki {name}.interop.test hostname {name}.interop.test
match from any for any reject
""".format(name=name, cert=cert, key=key, ip=ip, port=SMTP_PORT), mode=0o600)
    log = os.path.join(d, "smtpd.log")
    # Its queue, control socket and chroot paths are compiled in: a private mount namespace gives
    # it its own.
    proc = runner.spawn(name, [SMTPD, "-d", "-f", conf], log,
                        namespace_mounts=[(os.path.join(d, "spool"), "/var/spool/smtpd"),
                                          (os.path.join(d, "run"), "/run")])
    return proc, log
