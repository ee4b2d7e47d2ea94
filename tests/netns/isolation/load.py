#!/usr/bin/env python3
"""Loads on lvsd's control socket for tests/netns/lvsd-isolation.sh.

  load.py flood SOCKET SECONDS CLIENTS
      CLIENTS connections each write `dump` requests as fast as the socket
      takes them (never waiting for an answer) and read answers slowly;
      prints "flood: N answers" at the end.
  load.py idle SOCKET CLIENTS SECONDS
      CLIENTS connections that send nothing, held for SECONDS; prints how
      many the daemon closed meanwhile ("idle: K closed").
  load.py ask SOCKET COMMAND
      one request; prints "ask: MS ms ok|error" (the time to the answer).
"""
import json
import os
import select
import socket
import sys
import time

REQUEST = (json.dumps({"command": "dump"}) + "\n").encode()


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.setblocking(False)
    return s


def flood(path, seconds, n):
    conns = [connect(path) for _ in range(n)]
    answers = 0
    burst = REQUEST * 200
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        _, w, _ = select.select([], conns, [], 0.05)
        for s in w:
            try:
                s.send(burst)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                pass
        # read a little now and then: a slow reader, not a dead one
        r, _, _ = select.select(conns, [], [], 0.05)
        for s in r:
            try:
                answers += s.recv(4096).count(b"\n")
            except (BlockingIOError, ConnectionResetError):
                pass
    for s in conns:
        s.close()
    print("flood: %d answers" % answers)


def idle(path, n, seconds):
    conns = [connect(path) for _ in range(n)]
    time.sleep(seconds)
    closed = 0
    for s in conns:
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            closed += 1
        s.close()
    print("idle: %d closed" % closed)


def ask(path, command):
    t0 = time.monotonic()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    s.sendall((json.dumps({"command": command}) + "\n").encode())
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    ms = (time.monotonic() - t0) * 1000
    ok = buf and json.loads(buf).get("ok")
    print("ask: %d ms %s" % (ms, "ok" if ok else "error"))


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "flood":
        flood(path, float(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "idle":
        idle(path, int(sys.argv[3]), float(sys.argv[4]))
    elif cmd == "ask":
        ask(path, sys.argv[3])
    else:
        sys.exit(__doc__)


main()
