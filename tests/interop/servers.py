"""servers.py: the real servers of the interop suite, on 127.61.x.y only.

Each server runs in the foreground as a child of the suite (so a crash of the suite cannot orphan
a daemon that forked away), with a pid file in the work directory so that the next run can stop
what a killed run left behind. The MTAs run in a private mount namespace whose /etc/resolv.conf
points at the suite's NSD: nothing they look up leaves loopback, and nothing waits on a DNS
timeout.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time

POSTFIX_MASTER_DIST = "/usr/share/postfix/master.cf.dist"


class SuiteError(Exception):
    """A precondition or a server start failed; the message says which and what to do."""


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pid, sig):
    """Signals the server's whole process group (it leads its own session): the children it
    forked (Postfix's smtpd, Exim's and OpenSMTPD's workers) go with it."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_pid(pid, grace=5.0):
    """Stops a server: SIGTERM to the server itself (it stops and reaps its own workers), then,
    once it is gone or after `grace` seconds, SIGKILL to whatever is left of its process group."""
    if pid_alive(pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                if not pid_alive(pid):
                    break
            time.sleep(0.05)
    signal_group(pid, signal.SIGKILL)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def stop_leftovers(piddir):
    """Stops the servers a previous, killed run left behind (their pid files are in piddir).

    A pid file holds "<pid> <start time>": the start time (from /proc) guards against killing an
    unrelated process that reused the pid.
    """
    if not os.path.isdir(piddir):
        return
    for name in sorted(os.listdir(piddir)):
        path = os.path.join(piddir, name)
        try:
            pid_text, start_text = open(path).read().split()
            pid = int(pid_text)
            if process_start_time(pid) == start_text:
                stop_pid(pid)
        except (ValueError, OSError):
            pass
        os.unlink(path)


def process_start_time(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def wait_for_greeting(ip, port, proc, name, logfile, timeout):
    """Waits until ip:port answers with a complete 220 greeting; raises SuiteError otherwise."""
    deadline = time.monotonic() + timeout
    last = "nothing listening"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SuiteError("%s exited with code %s before it listened on %s:%d; see %s:\n%s"
                             % (name, proc.returncode, ip, port, logfile, tail(logfile)))
        try:
            with socket.create_connection((ip, port), timeout=2) as s:
                s.settimeout(3)
                data = b""
                while b"\n" not in data or not greeting_complete(data):
                    chunk = s.recv(512)
                    if not chunk:
                        break
                    data += chunk
                if greeting_complete(data) and data.startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    return
                last = "greeting %r" % data[:80]
        except OSError as e:
            last = str(e)
        time.sleep(0.1)
    raise SuiteError("%s did not come up on %s:%d within %ds (%s); see %s:\n%s"
                     % (name, ip, port, timeout, last, logfile, tail(logfile)))


def greeting_complete(data):
    lines = data.split(b"\r\n")
    return any(len(line) >= 4 and line[3:4] == b" " for line in lines)


def wait_for_udp_dns(ip, port, proc, name, logfile, timeout):
    """Waits until an SOA query for interop.test. gets an answer from ip:port."""
    query = (b"\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"
             b"\x07interop\x04test\x00\x00\x06\x00\x01")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SuiteError("%s exited with code %s; see %s:\n%s"
                             % (name, proc.returncode, logfile, tail(logfile)))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.3)
            try:
                s.sendto(query, (ip, port))
                reply = s.recv(512)
                if reply[:2] == b"\x12\x34" and (reply[3] & 0x0F) == 0:
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise SuiteError("%s did not answer DNS on %s:%d within %ds; see %s:\n%s"
                     % (name, ip, port, timeout, logfile, tail(logfile)))


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


class Runner:
    """Starts the servers, remembers them, and stops them all (in reverse order)."""

    def __init__(self, work, resolv_conf):
        # Orphans of the servers (Postfix's master, workers whose parent went first) become our
        # children, so that stop_all reaps them instead of leaving zombies to init.
        PR_SET_CHILD_SUBREAPER = 36
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self.work = work
        self.piddir = os.path.join(work, "pids")
        os.makedirs(self.piddir, exist_ok=True)
        self.resolv_conf = resolv_conf
        self.procs = []  # (name, Popen)

    def spawn(self, name, argv, logfile, namespace_mounts=None):
        """Starts argv in the foreground; namespace_mounts are (source, target) bind mounts made
        in a private mount namespace (always including the private resolv.conf)."""
        if namespace_mounts is not None:
            mounts = [(self.resolv_conf, "/etc/resolv.conf")] + list(namespace_mounts)
            script = "".join("mount --bind '%s' '%s' && " % m for m in mounts) + 'exec "$@"'
            argv = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                    "sh"] + list(argv)
        log = open(logfile, "ab")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True)
        log.close()
        # unshare and sh exec the server: the pid stays the server's.
        self.track(name, proc.pid)
        return proc

    def track(self, name, pid):
        """Records pid (with its start time) in the pid directory and stops it in stop_all."""
        self.procs.append((name, pid))
        start = None
        for _ in range(50):
            start = process_start_time(pid)
            if start:
                break
            time.sleep(0.01)
        write(os.path.join(self.piddir, name + ".pid"), "%d %s\n" % (pid, start or "0"))

    def adopt(self, name, daemon_pidfile):
        """Tracks a daemon that detached into its own session (Postfix's master), by the pid file
        it wrote."""
        deadline = time.monotonic() + 2
        while True:
            try:
                pid = int(open(daemon_pidfile).read().split()[0])
                break
            except (OSError, ValueError, IndexError):
                if time.monotonic() > deadline:
                    raise SuiteError("%s: no pid in %s" % (name, daemon_pidfile))
                time.sleep(0.02)
        self.track(name, pid)

    def stop_all(self):
        for name, pid in reversed(self.procs):
            started = time.monotonic()
            stop_pid(pid)
            if time.monotonic() - started > 1:
                print("interop suite: %s took %.1f s to stop" % (name, time.monotonic() - started))
            try:
                os.unlink(os.path.join(self.piddir, name + ".pid"))
            except OSError:
                pass
        self.procs = []
        reap_deadline = time.monotonic() + 2
        while time.monotonic() < reap_deadline:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    time.sleep(0.05)
            except ChildProcessError:
                break
