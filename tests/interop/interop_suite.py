#!/usr/bin/env python3
"""interop_suite.py: mxsweep against real mail servers from Debian, on loopback (issue 5).

    interop_suite.py MXSWEEP_BINARY WORK_DIR

Starts NSD (authoritative for interop.test), three Postfix instances, three Exim instances and
one OpenSMTPD on 127.61.x.y:25, measures with `openssl s_client -starttls smtp` which TLS versions
each address really completes, runs `mxsweep scan --versions all` over the zone and checks that
mxsweep's accepted versions equal the measurement and that each domain gets the verdict that
DESIGN.md's table defines. Everything it starts, it stops (pid files in WORK_DIR/pids let the next
run stop what a killed run left). Exit 0: all checks passed; 1: a check failed or a server did not
come up (the message says which).
"""

import concurrent.futures
import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mtas  # noqa: E402
from pki import make_pki  # noqa: E402
from servers import Runner, SuiteError, stop_leftovers, wait_for_greeting, wait_for_udp_dns, write  # noqa: E402

ZONE = "interop.test"
NSD_IP, NSD_PORT = "127.61.0.1", 53
START_TIMEOUT = 20  # seconds for a server to greet; they take well under 2 s when healthy

# MX host name -> (address, server that answers there, certificate it presents)
HOSTS = {
    "mx-pf-modern": ("127.61.1.1", "pf-modern", "valid"),
    "mx-pf-expired": ("127.61.1.11", "pf-modern", "expired"),
    "mx-pf-wrongname": ("127.61.1.12", "pf-modern", "wrongname"),
    "mx-pf-selfsigned": ("127.61.1.13", "pf-modern", "selfsigned"),
    "mx-shared": ("127.61.1.20", "pf-modern", "valid"),
    "mx-pf-tls10": ("127.61.1.2", "pf-tls10", "valid"),
    "mx-pf-rsacbc": ("127.61.1.3", "pf-rsacbc", "valid"),
    "mx-ex-legacy": ("127.61.2.1", "ex-legacy", "valid"),
    "mx-ex-gcm": ("127.61.2.2", "ex-gcm", "valid"),
    "mx-ex-plain": ("127.61.2.3", "ex-plain", None),
    "mx-opensmtpd": ("127.61.3.1", "opensmtpd", "valid"),
}

# domain (under interop.test) -> (MX records as (preference, host) or a special form, verdict,
# words the cert_problems cell must contain)
SHARED_DOMAINS = ["shared-%02d" % i for i in range(1, 21)]
DOMAINS = {
    "pf-modern": ([(10, "mx-pf-modern")], "OK", []),
    "pf-expired": ([(10, "mx-pf-expired")], "OK", ["expired"]),
    "pf-wrongname": ([(10, "mx-pf-wrongname")], "OK", ["name mismatch"]),
    "pf-selfsigned": ([(10, "mx-pf-selfsigned")], "OK", ["self-signed"]),
    "pf-tls10": ([(10, "mx-pf-tls10")], "LEGACY_ONLY", []),
    "pf-rsacbc": ([(10, "mx-pf-rsacbc")], "NO_SHARED_CIPHER", []),
    "ex-legacy": ([(10, "mx-ex-legacy")], "LEGACY_ONLY", []),
    "ex-gcm": ([(10, "mx-ex-gcm")], "OK", []),
    "ex-plain": ([(10, "mx-ex-plain")], "NO_STARTTLS", []),
    # OpenSMTPD 6.8 on Debian 12 (OpenSSL 3) completes no handshake at all: TLS 1.2 and 1.3 abort
    # with internal_error after the ServerHello (RSA and ECDSA keys alike), so s_client's long
    # form shows a cipher although the handshake failed.
    "opensmtpd": ([(10, "mx-opensmtpd")], "TLS_BROKEN", []),
    "mixed-modern-legacy": ([(10, "mx-pf-modern"), (20, "mx-ex-legacy")], "PARTIAL", []),
    "mixed-all-legacy": ([(10, "mx-pf-tls10"), (20, "mx-ex-legacy")], "LEGACY_ONLY", []),
    "null-mx": ("null", "NO_MAIL", []),
    "a-only": ("a-only", "OK", []),
    "mx-no-address": ([(10, "mx-no-address")], "NO_MAIL", []),
}
for _name in SHARED_DOMAINS:
    DOMAINS[_name] = ([(10, "mx-shared")], "OK", [])

VERSIONS = [("TLS1.0", "-tls1"), ("TLS1.1", "-tls1_1"), ("TLS1.2", "-tls1_2"), ("TLS1.3", "-tls1_3")]


def fqdn(name):
    return "%s.%s" % (name, ZONE)


def zone_text():
    lines = ["$ORIGIN %s." % ZONE, "$TTL 300",
             "@ IN SOA ns1 hostmaster 1 3600 600 86400 300", "@ IN NS ns1",
             "ns1 IN A %s" % NSD_IP]
    for host, (ip, _, _) in HOSTS.items():
        lines.append("%s IN A %s" % (host, ip))
    for domain, (mx, _, _) in DOMAINS.items():
        if mx == "null":
            lines.append("%s IN MX 0 ." % domain)
        elif mx == "a-only":
            lines.append("%s IN A %s" % (domain, HOSTS["mx-pf-modern"][0]))
        else:
            for pref, host in mx:
                lines.append("%s IN MX %d %s" % (domain, pref, host))
    return "\n".join(lines) + "\n"


def start_servers(runner, work, certs):
    cert = lambda stem: (os.path.join(certs, stem + ".key"), os.path.join(certs, stem + ".crt"))
    started = []  # (name, ip, proc, log) to wait for

    proc, log = mtas.start_nsd(runner, work, NSD_IP, NSD_PORT, zone_text())
    wait_for_udp_dns(NSD_IP, NSD_PORT, proc, "NSD", log, START_TIMEOUT)

    def chain(stem):
        key, crt = cert(stem)
        return "%s, %s" % (key, crt)

    # Postfix, TLS 1.2 + 1.3 (Debian's defaults otherwise); extra listeners for the certificate
    # variants and the shared MX host.
    listeners = []
    for host, (ip, server, stem) in HOSTS.items():
        if server == "pf-modern":
            overrides = [] if stem == "valid" else [("smtpd_tls_chain_files", chain(stem))]
            listeners.append((ip, overrides))
    profiles = {
        "pf-modern": ("smtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n"),
        # TLS 1.0 only: OpenSSL 3 needs security level 0 for it, in this instance only.
        "pf-tls10": ("smtpd_tls_protocols = >=TLSv1, <=TLSv1\n"
                     "smtpd_tls_mandatory_protocols = >=TLSv1, <=TLSv1\n"
                     "smtpd_tls_ciphers = medium\nsmtpd_tls_mandatory_ciphers = medium\n"
                     "tls_medium_cipherlist = DEFAULT:@SECLEVEL=0\n"),
        # TLS 1.2 with TLS_RSA AES-CBC suites only (no forward secrecy, no GCM).
        "pf-rsacbc": ("smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.2\n"
                      "smtpd_tls_mandatory_protocols = >=TLSv1.2, <=TLSv1.2\n"
                      "smtpd_tls_ciphers = high\nsmtpd_tls_mandatory_ciphers = high\n"
                      "tls_high_cipherlist = AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA\n"),
    }
    for name, tls in profiles.items():
        ls = listeners if name == "pf-modern" else [(HOSTS["mx-" + name][0], [])]
        proc, log = mtas.start_postfix(runner, work, name, ls,
                                       "smtpd_tls_chain_files = %s\n%s" % (chain("valid"), tls))
        started += [(name, ip, proc, log) for ip, _ in ls]

    gnutls = "tls_certificate = @CRT@\ntls_privatekey = @KEY@\n"
    exims = {
        # GnuTLS priority strings pin the versions and suites.
        "ex-legacy": gnutls + "tls_advertise_hosts = *\n"
                              "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0\n",
        "ex-gcm": gnutls + "tls_advertise_hosts = *\n"
                           "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:"
                           "+ECDHE-ECDSA:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM\n",
        "ex-plain": "tls_advertise_hosts =\n",
    }
    for name, tls in exims.items():
        ip = HOSTS["mx-" + name][0]
        proc, log = mtas.start_exim(runner, work, name, ip, tls)
        started.append((name, ip, proc, log))

    key, crt = cert("valid")
    ip = HOSTS["mx-opensmtpd"][0]
    proc, log = mtas.start_opensmtpd(runner, work, "opensmtpd", ip, crt, key)
    started.append(("opensmtpd", ip, proc, log))

    for name, ip, proc, log in started:
        wait_for_greeting(ip, mtas.SMTP_PORT, None if name.startswith("pf-") else proc, name, log,
                          START_TIMEOUT)


def s_client_accepts(ip, flag, ca_file):
    """(True, detail) when `openssl s_client -starttls smtp` completes a handshake at that version.

    Security level 0 so that OpenSSL offers TLS 1.0/1.1 and every suite: the measurement is what
    the server accepts, not what Debian's client policy allows. Judged by -brief's "CONNECTION
    ESTABLISHED", printed only once the server's Finished has been verified: s_client's long
    form prints "New, TLSv1.3, Cipher is ..." as soon as a ServerHello chose a suite, also when
    the server aborts right after it (OpenSMTPD does)."""
    argv = ["openssl", "s_client", "-brief", "-starttls", "smtp",
            "-connect", "%s:%d" % (ip, mtas.SMTP_PORT), flag, "-CAfile", ca_file,
            "-cipher", "ALL:@SECLEVEL=0"]
    try:
        proc = subprocess.run(argv, input=b"QUIT\r\n", stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=20)
    except subprocess.TimeoutExpired:
        return False, "s_client timed out"
    out = proc.stdout.decode(errors="replace")
    lines = [line.strip() for line in out.splitlines()
             if line.strip() and "SSL_get_servername" not in line]
    if "CONNECTION ESTABLISHED" in out:
        return True, next((l for l in lines if l.startswith("Ciphersuite")), "established")
    return False, lines[-1] if lines else "no output"


def measure(ca_file):
    """{ip: set of versions s_client completes}, for every address that offers STARTTLS."""
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for host, (ip, _, _) in HOSTS.items():
            for version, flag in VERSIONS:
                jobs[(ip, version)] = pool.submit(s_client_accepts, ip, flag, ca_file)
    result, details = {}, {}
    for (ip, version), job in jobs.items():
        ok, detail = job.result()
        result.setdefault(ip, set())
        if ok:
            result[ip].add(version)
        details[(ip, version)] = detail
    return result, details


def run_scan(mxsweep, work, ca_file, versions_all=True):
    domains = os.path.join(work, "domains.txt")
    write(domains, "".join(fqdn(d) + "\n" for d in DOMAINS))
    tag = "all" if versions_all else "adaptive"
    out_csv = os.path.join(work, "scan-%s.csv" % tag)
    out_hosts = os.path.join(work, "hosts-%s.jsonl" % tag)
    argv = [mxsweep, "scan", domains, "-o", out_csv, "--hosts", out_hosts, "--force",
            "--allow-private", "--resolver", "%s:%d" % (NSD_IP, NSD_PORT), "--ca-file", ca_file,
            "--per-address-gap", "0.05", "--ehlo-name", "scanner.interop.test",
            "--connect-timeout", "5", "--greeting-timeout", "10", "--command-timeout", "10",
            "--handshake-timeout", "10", "--session-timeout", "30"]
    if versions_all:
        argv += ["--versions", "all"]
    started = time.monotonic()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
    print(proc.stdout.decode(errors="replace"))
    print("mxsweep scan (%s plan) took %.1f s" % (tag, time.monotonic() - started))
    if proc.returncode != 0:
        raise SuiteError("mxsweep scan exited with %d" % proc.returncode)
    with open(out_csv, newline="") as f:
        rows = {row["domain"]: row for row in csv.DictReader(f)}
    with open(out_hosts) as f:
        hosts = {obj["ip"]: obj for obj in map(json.loads, filter(str.strip, f))}
    return rows, hosts


def check(rows, hosts, measured, details):
    failures = []
    print("\n%-16s %-13s %-30s %-30s" % ("address", "server", "s_client", "mxsweep"))
    for host, (ip, server, _) in HOSTS.items():
        want = sorted(measured.get(ip, set()))
        got = sorted(hosts.get(ip, {}).get("accepted_versions", [])) if ip in hosts else None
        print("%-16s %-13s %-30s %-30s" % (ip, server, ",".join(want) or "-",
                                            "(not probed)" if got is None else ",".join(got) or "-"))
        if got != want:
            probes = hosts.get(ip, {}).get("probes", [])
            failures.append("%s (%s, %s): mxsweep accepted %s, s_client completed %s\n  s_client: %s\n"
                            "  mxsweep probes: %s" % (
                                ip, host, server, got, want,
                                "; ".join("%s: %s" % (v, details[(ip, v)]) for v, _ in VERSIONS),
                                json.dumps(probes)))
    print("\n%-40s %-18s %-18s" % ("domain", "expected", "verdict"))
    for domain, (_, verdict, cert_words) in DOMAINS.items():
        row = rows.get(fqdn(domain))
        got = row["verdict"] if row else "(no row)"
        print("%-40s %-18s %-18s" % (fqdn(domain), verdict, got))
        if got != verdict:
            failures.append("%s: verdict %s, DESIGN.md's table says %s; row: %s"
                            % (fqdn(domain), got, verdict, row))
            continue
        for word in cert_words:
            if word not in row["cert_problems"]:
                failures.append("%s: cert_problems %r lacks %r" % (fqdn(domain), row["cert_problems"], word))
        if not cert_words and verdict == "OK" and row["cert_problems"]:
            failures.append("%s: unexpected cert_problems %r" % (fqdn(domain), row["cert_problems"]))
    # The shared MX host is probed once for its twenty domains.
    shared = hosts.get(HOSTS["mx-shared"][0])
    if not shared or sorted(shared.get("domains", [])) != sorted(fqdn(d) for d in SHARED_DOMAINS):
        failures.append("mx-shared: expected one hosts entry listing the 20 shared domains, got %s"
                        % (shared and shared.get("domains")))
    elif shared["connections"] != len(shared["probes"]):
        failures.append("mx-shared: %d connections for %d probes (probed more than once?)"
                        % (shared["connections"], len(shared["probes"])))
    return failures


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    mxsweep, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    started = time.monotonic()
    print("interop suite: work directory %s" % work)
    try:
        mtas.check_installed()
    except SuiteError as e:
        print(e, file=sys.stderr)
        return 1
    # The MTAs' unprivileged users must reach their files under WORK_DIR.
    parent = os.path.dirname(work)
    while parent != "/":
        if not os.stat(parent).st_mode & 0o001:
            print("interop suite: %s is not searchable by other users (Postfix and Exim read their "
                  "files as postfix / Debian-exim); use a WORK_DIR under /tmp" % parent, file=sys.stderr)
            return 1
        parent = os.path.dirname(parent)
    # 127.61.0.0/16 port 25 is one per machine: a second run (another worktree) waits its turn.
    lock = open("/run/lock/mxsweep-interop.lock" if os.path.isdir("/run/lock")
                else "/tmp/mxsweep-interop.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("interop suite: another run holds the lock; waiting for it", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    stop_leftovers(os.path.join(work, "pids"))
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    os.chmod(work, 0o755)
    resolv = os.path.join(work, "resolv.conf")
    write(resolv, "nameserver %s\noptions timeout:1 attempts:1\n" % NSD_IP)
    certs = os.path.join(work, "certs")
    names = [fqdn(h) for h in HOSTS] + [fqdn("a-only")]
    make_pki(certs, names)
    ca_file = os.path.join(certs, "ca.crt")

    runner = Runner(work, resolv)
    try:
        start_servers(runner, work, certs)
        print("servers up after %.1f s" % (time.monotonic() - started))
        measured, details = measure(ca_file)
        rows, hosts = run_scan(mxsweep, work, ca_file)
        failures = check(rows, hosts, measured, details)
        # The default, adaptive plan (at most 3 connections per address) must reach the same
        # verdicts; its version map is partial by design, so only verdicts are compared.
        adaptive_rows, _ = run_scan(mxsweep, work, ca_file, versions_all=False)
        for domain, row in rows.items():
            other = adaptive_rows.get(domain, {}).get("verdict")
            if other != row["verdict"]:
                failures.append("%s: adaptive plan says %s, --versions all says %s"
                                % (domain, other, row["verdict"]))
    except SuiteError as e:
        print("\nFAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        runner.stop_all()
        print("suite took %.1f s" % (time.monotonic() - started))
    if failures:
        print("\nFAILED checks:\n" + "\n".join("- " + f for f in failures), file=sys.stderr)
        return 1
    print("\nall interop checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
