#!/usr/bin/python3
"""probe.py VIP PORT INTERVAL_MS OUT STOPFILE - start a new HTTP request
(new TCP connection) to VIP:PORT every INTERVAL_MS, each in its own thread
so a stalled one does not delay the next, until STOPFILE exists.  One line
per request to OUT: "<start> <end> <server name>" or "<start> <end> FAIL
<reason>" (monotonic seconds).  A request fails when it has no answer
within 3 s, as a user would see it.  events.py reads the file back."""
import os
import socket
import sys
import threading
import time

LOCK = threading.Lock()


def one(host, port, out):
    t0 = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=3.0) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        body = data.partition(b"\r\n\r\n")[2].decode(errors="replace").strip()
        res = body.splitlines()[0] if body else "FAIL empty"
    except OSError as e:
        res = "FAIL " + (e.strerror or type(e).__name__).replace(" ", "_")
    with LOCK:
        out.write("%.3f %.3f %s\n" % (t0, time.monotonic(), res))


def main():
    host, port, iv, path, stop = sys.argv[1], int(sys.argv[2]), \
        float(sys.argv[3]) / 1000, sys.argv[4], sys.argv[5]
    with open(path, "w", buffering=1) as out:
        nxt = time.monotonic()
        threads = []
        while not os.path.exists(stop):
            t = threading.Thread(target=one, args=(host, port, out), daemon=True)
            t.start()
            threads.append(t)
            threads = [x for x in threads if x.is_alive()]
            nxt += iv
            time.sleep(max(0.0, nxt - time.monotonic()))
        for t in threads:
            t.join(4)


if __name__ == "__main__":
    main()
