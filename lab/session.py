#!/usr/bin/python3
"""session.py VIP PORT GOFILE - one established connection across a
failover: an HTTP/1.1 request on a new connection to VIP:PORT, then, once
GOFILE exists, a second request on the same connection.  Prints "first
NAME" after the first answer and "second NAME" (or "FAIL reason") after the
second, so the lab can tell whether the new master forwarded the connection
to the same real server (IPVS connection sync) or broke it."""
import os
import socket
import sys
import time


def request(s, host):
    s.sendall(b"GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("connection closed by the peer")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("connection closed mid-answer")
        body += chunk
    return body.decode(errors="replace").strip()


def main():
    host, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    try:
        s = socket.create_connection((host, port), timeout=10)
        print("first", request(s, host), flush=True)
        while not os.path.exists(go):
            time.sleep(0.05)
        print("second", request(s, host), flush=True)
    except OSError as e:
        print("FAIL", (e.strerror or str(e)).replace(" ", "_"), flush=True)


if __name__ == "__main__":
    main()
