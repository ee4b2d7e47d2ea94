#!/usr/bin/python3
"""lab-client.py HOST PORT N [TIMEOUT [SOURCES]] - send N HTTP/1.0
requests, each on a new TCP connection, and print one line per request: the
body's first line (the real server's name) or FAIL(reason). One process for
all requests: starting an interpreter costs about a second under TCG.
SOURCES (e.g. 10.0.1.10-41): local addresses the requests take in turn, as
if from many clients."""
import socket
import sys


def sources(spec):
    """"10.0.1.10-41" -> [10.0.1.10 .. 10.0.1.41]; "" -> [None] (any)"""
    if not spec:
        return [None]
    base, _, last = spec.rpartition(".")
    first, _, end = last.partition("-")
    return ["%s.%d" % (base, i) for i in range(int(first), int(end or first) + 1)]


def one(host, port, timeout, source=None):
    """One request; source: the local address to send from (None: any)."""
    try:
        with socket.create_connection((host, port), timeout=timeout,
                                      source_address=(source, 0) if source else None) as s:
            s.sendall(b"GET / HTTP/1.0\r\nHost: %s\r\n\r\n" % host.encode())
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError as e:
        return "FAIL(%s)" % (e.strerror or type(e).__name__).replace(" ", "_")
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n")[0]:
        return "FAIL(bad_reply)"
    lines = body.decode(errors="replace").splitlines()
    return lines[0].strip() if lines and lines[0].strip() else "FAIL(empty)"


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    src = sources(sys.argv[5] if len(sys.argv) > 5 else "")
    for i in range(n):
        print(one(host, port, timeout, src[i % len(src)]), flush=True)


if __name__ == "__main__":
    main()
