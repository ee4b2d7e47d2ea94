#!/usr/bin/python3
"""probe.py VIP PORT INTERVAL_MS OUT STOPFILE [SOURCES] - start a new HTTP
request (new TCP connection) to VIP:PORT every INTERVAL_MS, each in its own
thread so a stalled one does not delay the next, until STOPFILE exists.  One
line per request to OUT: "<start> <end> <server name>" or "<start> <end>
FAIL <reason>" (monotonic seconds).  A request fails when it has no answer
within 3 s, as a user would see it.  events.py reads the file back.
SOURCES (e.g. 10.0.1.10-41): the local addresses requests take in turn, as
if from many clients."""
import importlib.util
import os
import sys
import threading
import time

# The request itself is the lab client's (tests/vm/lib/lab-client.py);
# no bytecode cache left in the source tree.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "lab_client", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "..", "tests", "vm", "lib", "lab-client.py"))
lab_client = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab_client)

LOCK = threading.Lock()


def one(host, port, out, source=None):
    t0 = time.monotonic()
    res = lab_client.one(host, port, 3.0, source)
    if res.startswith("FAIL("):
        res = "FAIL " + res[5:-1]
    with LOCK:
        out.write("%.3f %.3f %s\n" % (t0, time.monotonic(), res))


def main():
    host, port, iv, path, stop = sys.argv[1], int(sys.argv[2]), \
        float(sys.argv[3]) / 1000, sys.argv[4], sys.argv[5]
    src = lab_client.sources(sys.argv[6] if len(sys.argv) > 6 else "")
    with open(path, "w", buffering=1) as out:
        nxt = time.monotonic()
        threads = []
        k = 0
        while not os.path.exists(stop):
            t = threading.Thread(target=one, args=(host, port, out, src[k % len(src)]),
                                 daemon=True)
            k += 1
            t.start()
            threads.append(t)
            threads = [x for x in threads if x.is_alive()]
            nxt += iv
            time.sleep(max(0.0, nxt - time.monotonic()))
        for t in threads:
            t.join(4)


if __name__ == "__main__":
    main()
