#!/usr/bin/python3
"""sessions.py VIP PORT SOURCES N GOFILE - N established connections across
an event (the ECMP lab: a director's death): N HTTP/1.1 connections to
VIP:PORT from the SOURCES addresses in turn (e.g. 10.0.1.10-41), opened
at once, a first request on each; once GOFILE exists, a second request on each, all at
once.  Prints "open I ADDR:PORT NAME" after each first answer (ADDR:PORT:
the client's end, to find the connection in a director's `ipvsadm -Lnc`),
then "second I ADDR:PORT NAME" or "FAIL I ADDR:PORT reason" per connection,
and "done" last.  A connection survives when its second request is
answered by the same real server (session.py's request)."""
import importlib.util
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


session = load("session", os.path.join(HERE, "session.py"))
lab_client = load("lab_client", os.path.join(HERE, "..", "tests", "vm", "lib",
                                             "lab-client.py"))
LOCK = threading.Lock()


def say(*words):
    with LOCK:
        print(*words, flush=True)


def second(i, s, end, host):
    try:
        say("second", i, end, session.request(s, host))
    except OSError as e:
        say("FAIL", i, end, (e.strerror or str(e)).replace(" ", "_"))
    finally:
        s.close()


def first(i, a, host, port, conns):
    try:
        s = socket.create_connection((host, port), timeout=5,
                                     source_address=(a, 0) if a else None)
        end = "%s:%d" % s.getsockname()[:2]
        say("open", i, end, session.request(s, host))
        with LOCK:
            conns.append((i, s, end))
    except OSError as e:
        say("FAIL", i, "-", (e.strerror or str(e)).replace(" ", "_"))


def main():
    host, port, spec, n, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        int(sys.argv[4]), sys.argv[5]
    src = lab_client.sources(spec)
    conns = []
    # all at once: the connections open within a moment of the event
    opening = [threading.Thread(target=first, args=(i, src[i % len(src)], host, port, conns))
               for i in range(n)]
    for t in opening:
        t.start()
    for t in opening:
        t.join()
    while not os.path.exists(go):
        time.sleep(0.05)
    threads = [threading.Thread(target=second, args=(i, s, end, host))
               for i, s, end in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    say("done")


if __name__ == "__main__":
    main()
