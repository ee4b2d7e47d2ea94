#!/usr/bin/env python3
"""Records when a backup's kernel received each VRRP advert and when a
reader at the failover process's priority could read it.

  advert_rx.py OUT SRC     (run in the backup's namespace; killed to stop)

Writes one line per advert from SRC: the kernel's receive stamp
(SO_TIMESTAMPNS: when the packet entered the backup's device queue) and
the time it was read, both wall-clock seconds.  A failed isolation case
prints the gaps of both: a gap in the stamps means the advert reached the
backup late; a gap only in the reads means it waited in the backup's
kernel (softirq) or for a CPU.
"""
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = 35


def main():
    out, src = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    with open(out, "w", buffering=1) as f:
        while True:
            data, anc, _, addr = s.recvmsg(2048, 256)
            read = time.time()
            if addr[0] != src:
                continue
            stamp = 0.0
            for level, kind, val in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", val[:16])
                    stamp = sec + nsec / 1e9
            f.write("%.6f %.6f\n" % (stamp, read))


main()
