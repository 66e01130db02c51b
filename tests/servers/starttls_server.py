#!/usr/bin/env python3
"""A STARTTLS SMTP server for interop tests, played by Python's ssl (OpenSSL 3) or by any TLS
server it relays to (e.g. `openssl s_server`), so that mxsweep meets a TLS stack other than its
own. Loopback only. Prints "READY <port>" on stdout once listening.

  starttls_server.py --address 127.0.0.5 --tls-min 1.0 --tls-max 1.0 --cert C --key K
  starttls_server.py --address 127.0.0.6 --relay 127.0.0.6:4433   # TLS by the relay target
"""
import argparse
import ipaddress
import socket
import ssl
import sys
import threading
import warnings

# TLS 1.0/1.1 are deprecated in Python; playing a legacy server is the point here.
warnings.filterwarnings("ignore", category=DeprecationWarning)

VERSIONS = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
            "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def read_line(conn, buf):
    while b"\n" not in buf[0]:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        buf[0] += chunk
        if len(buf[0]) > 4096:
            return None
    line, _, rest = buf[0].partition(b"\n")
    buf[0] = rest
    return line.rstrip(b"\r").decode("latin-1")


def relay(a, b):
    def pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    t = threading.Thread(target=pump, args=(b, a), daemon=True)
    t.start()
    pump(a, b)
    t.join(5)


def serve(conn, args, ctx):
    name = args.name
    buf = [b""]
    try:
        conn.sendall(f"220 {name} ESMTP interop test server\r\n".encode())
        while True:
            line = read_line(conn, buf)
            if line is None:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                conn.sendall(f"250-{name}\r\n250-PIPELINING\r\n250 STARTTLS\r\n".encode())
            elif verb == "HELO":
                conn.sendall(f"250 {name}\r\n".encode())
            elif verb == "STARTTLS":
                conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                if args.relay:
                    host, port = args.relay.rsplit(":", 1)
                    upstream = socket.create_connection((host, int(port)), timeout=10)
                    if buf[0]:
                        upstream.sendall(buf[0])
                    relay(conn, upstream)
                    return
                tls = ctx.wrap_socket(conn, server_side=True)
                buf = [b""]
                while True:
                    line = read_line(tls, buf)
                    if line is None:
                        return
                    verb = line.split(" ", 1)[0].upper()
                    if verb == "QUIT":
                        tls.sendall(b"221 2.0.0 Bye\r\n")
                        return
                    if verb == "EHLO":
                        tls.sendall(f"250 {name}\r\n".encode())
                    else:
                        tls.sendall(b"502 5.5.2 not here\r\n")
            elif verb == "QUIT":
                conn.sendall(b"221 2.0.0 Bye\r\n")
                return
            elif verb in ("MAIL", "RCPT", "DATA"):
                conn.sendall(b"550 5.7.1 no mail accepted here\r\n")
            else:
                conn.sendall(b"502 5.5.2 not recognized\r\n")
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--name", default="mx.interop.test")
    p.add_argument("--tls-min", default="1.0", choices=VERSIONS)
    p.add_argument("--tls-max", default="1.3", choices=VERSIONS)
    p.add_argument("--ciphers", default="DEFAULT:@SECLEVEL=0")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--relay", help="after STARTTLS, relay raw bytes to this HOST:PORT")
    args = p.parse_args()
    if not ipaddress.ip_address(args.address).is_loopback:
        sys.exit("starttls_server.py: loopback addresses only")
    ctx = None
    if not args.relay:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = VERSIONS[args.tls_min]
        ctx.maximum_version = VERSIONS[args.tls_max]
        # Debian's OpenSSL 3 refuses TLS 1.0/1.1 above security level 0.
        ctx.set_ciphers(args.ciphers)
        ctx.load_cert_chain(args.cert, args.key)
    family = socket.AF_INET6 if ":" in args.address else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.address, args.port))
    srv.listen(64)
    print(f"READY {srv.getsockname()[1]}", flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, args, ctx), daemon=True).start()


if __name__ == "__main__":
    main()
