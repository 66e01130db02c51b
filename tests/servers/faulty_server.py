#!/usr/bin/env python3
"""Healthy STARTTLS servers (Python's ssl, OpenSSL 3) with injected faults, for issue 16: "never a
wrong definite verdict". A dropped connection is not an answer about TLS; these servers make the
scanner meet one where it would otherwise conclude something. Loopback only.

Listens on --count consecutive addresses from --address, all on one port (the scanner has one
--port for a whole sweep), and prints "READY <port>" once every address listens.

  faulty_server.py --address 127.0.0.9 --cert C --key K --fault drop-nth --nth 2 --drop-how reset-after-ehlo
  faulty_server.py --address 127.166.3.1 --count 100 --cert C --key K --fault random-cut --cut-rate 0.4 --seed 16
  faulty_server.py --address 127.0.0.9 --fault canned-hello
  faulty_server.py --address 127.0.0.9 --cert C --key K --require-client-cert

--log FILE gets one line "<address> <n>" per accepted connection (n counts per address from 1),
so a test can check the connections each address cost.

--end-log FILE gets one line "<address> fin|reset|open" per connection that got its 221 to QUIT:
after the 221 the server half-closes (the FIN an MTA sends when it closes) and reads on, so it
sees how the client ended the connection: a FIN, a RST, or nothing within 5 s.

--greeting-reply TEXT replaces the 220 greeting with a refusal ("554 5.7.1 ... blocked using
zen.spamhaus.org"): after a 4xx the server closes; after a 5xx it answers QUIT with 221 and every
other command with 503 (RFC 5321 3.1).
"""
import argparse
import ipaddress
import random
import selectors
import socket
import ssl
import struct
import sys
import threading
import time
import warnings

from starttls_server import VERSIONS, read_line  # the same SMTP line reader and version names

warnings.filterwarnings("ignore", category=DeprecationWarning)

FAULTS = [
    "none",
    "drop-nth",     # connection --nth of each address fails as --drop-how; the others are healthy
    "random-cut",   # each connection is cut with probability --cut-rate at a random point
    "canned-hello", # every ClientHello gets the same TLS 1.2 ServerHello (0xC028); nothing more
]
DROP_HOWS = [
    "close-after-ehlo",  # read EHLO, close without a reply
    "reset-after-ehlo",  # read EHLO, RST without a reply
    "no-starttls",       # EHLO reply without STARTTLS (this connection only)
]
# Where random-cut cuts. Each cut is a close (FIN) or a reset (RST), also drawn at random.
CUT_POINTS = ["before-greeting", "after-ehlo", "after-starttls", "mid-handshake"]

# A TLS 1.2 ServerHello choosing TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 whatever was offered: no
# session id, null compression, renegotiation_info and ec_point_formats. The random is fixed and
# carries no TLS 1.3 downgrade sentinel.
_SH_EXTENSIONS = bytes([0xff, 0x01, 0x00, 0x01, 0x00,         # renegotiation_info, empty
                        0x00, 0x0b, 0x00, 0x02, 0x01, 0x00])  # ec_point_formats: uncompressed
_SH_BODY = (b"\x03\x03" + bytes(range(32)) + b"\x00" + b"\xc0\x28" + b"\x00" +
            struct.pack(">H", len(_SH_EXTENSIONS)) + _SH_EXTENSIONS)
_SH_HANDSHAKE = b"\x02" + struct.pack(">I", len(_SH_BODY))[1:] + _SH_BODY
CANNED_SERVER_HELLO = b"\x16\x03\x03" + struct.pack(">H", len(_SH_HANDSHAKE)) + _SH_HANDSHAKE


END_LOG = None
END_LOCK = threading.Lock()


def see_client_end(conn, address):
    """After the 221: half-close and read on; log whether the client's end was a FIN or a RST."""
    if END_LOG is None:
        return
    how = "open"
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(5)
        while conn.recv(4096):
            pass
        how = "fin"
    except ConnectionResetError:
        how = "reset"
    except OSError:
        pass
    with END_LOCK:
        END_LOG.write(f"{address} {how}\n")


class Cut(Exception):
    """Raised where a fault ends the session; how says close or reset."""

    def __init__(self, how):
        super().__init__(how)
        self.how = how


def cut(conn, how):
    try:
        if how == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            # Closing with unread bytes would send a RST: say FIN, then drain what the client sends.
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(1)
            while conn.recv(4096):
                pass
    except OSError:
        pass


class Plan:
    """What one connection does: the fault drawn for it (None: healthy)."""

    def __init__(self, args, address, n):
        self.point = None      # a CUT_POINTS entry, or one of the drop-nth points
        self.how = "close"
        self.no_starttls = False
        self.canned = args.fault == "canned-hello"
        if args.fault == "drop-nth" and n == args.nth:
            if args.drop_how == "no-starttls":
                self.no_starttls = True
            else:
                self.point = "after-ehlo"
                self.how = "reset" if args.drop_how == "reset-after-ehlo" else "close"
        elif args.fault == "random-cut":
            # Seeded by (seed, address, n): the same seed gives each address the same faults in
            # the same order, whatever the threads' timing (the scanner talks to one address one
            # session at a time).
            rng = random.Random(f"{args.seed}/{address}/{n}")
            if rng.random() < args.cut_rate:
                self.point = rng.choice(CUT_POINTS)
                self.how = rng.choice(["close", "reset"])


def handshake_then_cut(conn, ctx, how):
    """Run the server side on memory BIOs and send half of its first flight, then cut."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
    conn.settimeout(10)
    while True:
        data = conn.recv(65536)
        if not data:
            return
        incoming.write(data)
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        flight = outgoing.read()
        if flight:
            conn.sendall(flight[: max(1, len(flight) // 2)])
            raise Cut(how)


def serve_tls(conn, ctx, name, address):
    tls = ctx.wrap_socket(conn, server_side=True)
    buf = [b""]
    while True:
        line = read_line(tls, buf)
        if line is None:
            return
        verb = line.split(" ", 1)[0].upper()
        if verb == "QUIT":
            tls.sendall(b"221 2.0.0 Bye\r\n")
            see_client_end(tls, address)
            return
        tls.sendall(f"250 {name}\r\n".encode() if verb == "EHLO" else b"502 5.5.2 not here\r\n")


def serve_canned(conn):
    conn.settimeout(10)
    hello = conn.recv(65536)
    if not hello:
        return
    conn.sendall(CANNED_SERVER_HELLO)
    # Never finish: wait for the client to give up.
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def serve_refusal(conn, reply, address):
    """A refusing greeting: a 4xx closes; a 5xx waits for QUIT (RFC 5321 3.1)."""
    conn.sendall(f"{reply}\r\n".encode())
    if reply.startswith("4"):
        return
    buf = [b""]
    conn.settimeout(10)
    while True:
        line = read_line(conn, buf)
        if line is None:
            return
        if line.split(" ", 1)[0].upper() == "QUIT":
            conn.sendall(b"221 2.0.0 Bye\r\n")
            see_client_end(conn, address)
            return
        conn.sendall(b"503 5.5.1 No SMTP service here\r\n")


def serve(conn, plan, ctx, name, address, greeting_reply):
    buf = [b""]
    try:
        if greeting_reply:
            serve_refusal(conn, greeting_reply, address)
            return
        if plan.point == "before-greeting":
            raise Cut(plan.how)
        conn.sendall(f"220 {name} ESMTP faulty test server\r\n".encode())
        while True:
            line = read_line(conn, buf)
            if line is None:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                if plan.point == "after-ehlo":
                    raise Cut(plan.how)
                starttls = "" if plan.no_starttls else "250-STARTTLS\r\n"
                conn.sendall(f"250-{name}\r\n250-PIPELINING\r\n{starttls}250 8BITMIME\r\n".encode())
            elif verb == "HELO":
                conn.sendall(f"250 {name}\r\n".encode())
            elif verb == "STARTTLS" and not plan.no_starttls:
                conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                if plan.point == "after-starttls":
                    raise Cut(plan.how)
                if plan.canned:
                    serve_canned(conn)
                elif plan.point == "mid-handshake":
                    handshake_then_cut(conn, ctx, plan.how)
                else:
                    serve_tls(conn, ctx, name, address)
                return
            elif verb == "QUIT":
                conn.sendall(b"221 2.0.0 Bye\r\n")
                see_client_end(conn, address)
                return
            else:
                conn.sendall(b"502 5.5.2 not recognized\r\n")
    except Cut as c:
        cut(conn, c.how)
    except (OSError, ssl.SSLError, ValueError):
        pass
    finally:
        conn.close()


def make_context(args):
    if args.fault == "canned-hello":
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = VERSIONS[args.tls_min]
    ctx.maximum_version = VERSIONS[args.tls_max]
    ctx.set_ciphers(args.ciphers)
    if args.server_preference:
        ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.load_cert_chain(args.cert, args.key)
    if args.require_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=args.cert)
    return ctx


def listen_all(first, count, port):
    """Binds |count| consecutive addresses on one port (0: the first address picks it). Returns
    the sockets, or None when another process holds that port on one of them."""
    socks = []
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((str(first + i), port))
        except OSError:
            s.close()
            for t in socks:
                t.close()
            return None
        s.listen(64)
        s.setblocking(False)
        port = s.getsockname()[1]
        socks.append(s)
    return socks


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True, help="the first address")
    p.add_argument("--count", type=int, default=1, help="consecutive addresses, one port")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="mx.faulty.test")
    p.add_argument("--tls-min", default="1.2", choices=VERSIONS)
    p.add_argument("--tls-max", default="1.3", choices=VERSIONS)
    p.add_argument("--ciphers", default="ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256",
                   help="TLS 1.2 suites (OpenSSL names); TLS 1.3 keeps OpenSSL's defaults")
    p.add_argument("--server-preference", action="store_true", help="the server's suite order wins")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--require-client-cert", action="store_true")
    p.add_argument("--fault", default="none", choices=FAULTS)
    p.add_argument("--nth", type=int, default=2)
    p.add_argument("--drop-how", default="close-after-ehlo", choices=DROP_HOWS)
    p.add_argument("--cut-rate", type=float, default=0.4)
    p.add_argument("--seed", default="16")
    p.add_argument("--log", help="append '<address> <n>' per accepted connection")
    p.add_argument("--end-log", help="append '<address> fin|reset|open' per connection after its 221")
    p.add_argument("--greeting-reply", help="a refusal sent instead of the 220 greeting")
    args = p.parse_args()
    global END_LOG
    END_LOG = open(args.end_log, "a", buffering=1) if args.end_log else None
    first = ipaddress.ip_address(args.address)
    last = first + (args.count - 1)
    if not (first.version == 4 and first.is_loopback and last.is_loopback):
        sys.exit("faulty_server.py: IPv4 loopback addresses only")
    ctx = make_context(args)
    socks = None
    for _ in range(20):
        socks = listen_all(first, args.count, args.port)
        if socks or args.port:
            break
    if not socks:
        sys.exit("faulty_server.py: cannot bind every address on one port")
    log = open(args.log, "a", buffering=1) if args.log else None
    lock = threading.Lock()
    counts = {}
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    print(f"READY {socks[0].getsockname()[1]}", flush=True)
    while True:
        for key, _ in sel.select():
            try:
                conn, _ = key.fileobj.accept()
            except OSError:
                continue
            conn.setblocking(True)
            address = key.fileobj.getsockname()[0]
            with lock:
                n = counts.get(address, 0) + 1
                counts[address] = n
                if log:
                    log.write(f"{address} {n}\n")
            threading.Thread(target=serve, args=(conn, Plan(args, address, n), ctx, args.name, address,
                                                 args.greeting_reply),
                             daemon=True).start()


if __name__ == "__main__":
    main()
