#!/usr/bin/env python3
"""An SMTP server that misbehaves in one chosen way, so every probe status can be reached.
Loopback only. Prints "READY <port>" once listening.

  misbehaving_server.py --address 127.0.0.9 --mode close-after-hello
"""
import argparse
import ipaddress
import socket
import struct
import sys
import threading
import time

MODES = [
    "close-after-hello",     # STARTTLS 220, read the ClientHello, close        -> handshake-closed
    "alert-after-hello",     # answer the ClientHello with a fatal alert 49     -> tls-error
    "plaintext-after-hello", # answer the ClientHello with an SMTP line         -> not-tls
    "silent-after-ehlo",     # never answer EHLO                                -> timeout
    "reset-after-greeting",  # greet, then RST                                   -> reset
    "close-after-ehlo",      # greet, read EHLO, close without a reply          -> closed
    "garbage-greeting",      # not SMTP at all                                   -> protocol-error
    "refuse-ehlo-helo",      # 500 to EHLO, 550 to HELO                          -> ehlo-refused
]


def lines(conn):
    buf = b""
    while True:
        while b"\n" not in buf:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
        line, _, buf = buf.partition(b"\n")
        yield line.rstrip(b"\r").decode("latin-1")


def serve(conn, mode):
    try:
        if mode == "garbage-greeting":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2p1\r\n")
            time.sleep(2)
            return
        conn.sendall(b"220 mx.misbehaving.test ESMTP\r\n")
        if mode == "reset-after-greeting":
            time.sleep(0.05)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if mode == "close-after-ehlo":
            # Read what the client sent first: closing with unread data would send a RST.
            next(lines(conn), None)
            conn.shutdown(socket.SHUT_WR)
            time.sleep(0.2)
            return
        for line in lines(conn):
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                if mode == "silent-after-ehlo":
                    time.sleep(30)
                    return
                if mode == "refuse-ehlo-helo":
                    conn.sendall(b"500 5.5.1 no\r\n")
                    continue
                conn.sendall(b"250-mx.misbehaving.test\r\n250 STARTTLS\r\n")
            elif verb == "HELO":
                conn.sendall(b"550 5.7.1 go away\r\n")
            elif verb == "STARTTLS":
                conn.sendall(b"220 2.0.0 go ahead\r\n")
                hello = conn.recv(65536)
                if not hello:
                    return
                if mode == "alert-after-hello":
                    # TLS 1.2 record, alert, fatal(2), access_denied(49).
                    conn.sendall(bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 49]))
                    time.sleep(0.5)
                elif mode == "plaintext-after-hello":
                    conn.sendall(b"500 5.5.1 what is this?\r\n")
                    time.sleep(0.5)
                return
            elif verb == "QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"502 no\r\n")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    p.add_argument("--mode", required=True, choices=MODES)
    args = p.parse_args()
    if not ipaddress.ip_address(args.address).is_loopback:
        sys.exit("misbehaving_server.py: loopback addresses only")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.address, 0))
    srv.listen(16)
    print(f"READY {srv.getsockname()[1]}", flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, args.mode), daemon=True).start()


if __name__ == "__main__":
    main()
