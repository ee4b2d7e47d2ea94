#!/usr/bin/env python3
"""Answers questions about this namespace's IPVS table from one process.

  ipvs_watch.py     (run in the namespace; requests on stdin, answers on stdout)

Requests, one per line:
  services N TIMEOUT   wait until exactly N services are in the table
                       (a generic-netlink dump, as ipvsadm -Ln does);
                       answers "ok SECONDS" or "timeout COUNT"
  flush                removes every service, as ipvsadm -C does;
                       answers "ok" once the kernel acknowledged it

Why: under TCG every exec reads its binary over 9p, and the tests have seen
QEMU stop the whole VM for 0.3-0.6 s while it served such reads.  A case
that measures timing polls the table from this one long-lived process
instead of running ipvsadm in a loop.  (/proc/net/ip_vs will not do: with
services in two namespaces, this kernel's listing of one skips some.)
"""
import socket
import struct
import sys
import time

NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
IPVS_CMD_GET_SERVICE, IPVS_CMD_FLUSH = 4, 17
F_REQUEST, F_ACK, F_DUMP = 1, 4, 0x300


def request(sock, family, cmd, flags, attrs=b""):
    body = struct.pack("BBH", cmd, 1, 0) + attrs
    sock.send(struct.pack("IHHII", 16 + len(body), family, flags, 1, 0) + body)


def replies(sock):
    """Yields (type, payload) until the dump or the answer is complete."""
    while True:
        data = sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            length, kind, flags, _, _ = struct.unpack_from("IHHII", data, off)
            if kind == NLMSG_DONE:
                return
            if kind == NLMSG_ERROR:
                err = struct.unpack_from("i", data, off + 16)[0]
                if err:
                    raise OSError(-err, "netlink")
                return
            yield kind, data[off + 16:off + length]
            off += (length + 3) & ~3
            if not flags & 2:	# NLM_F_MULTI: one answer only
                return


def ipvs_family(sock):
    name = b"IPVS\0"
    attr = struct.pack("HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, F_REQUEST,
            attr + b"\0" * (-len(attr) % 4))
    for _, payload in replies(sock):
        off = 4
        while off + 4 <= len(payload):
            alen, atype = struct.unpack_from("HH", payload, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("H", payload, off + 4)[0]
            off += (alen + 3) & ~3
    raise OSError("no IPVS generic netlink family")


def count_services(sock, family):
    request(sock, family, IPVS_CMD_GET_SERVICE, F_REQUEST | F_DUMP)
    return sum(1 for _ in replies(sock))


def services(sock, family, n, timeout):
    start = time.monotonic()
    while True:
        count = count_services(sock, family)
        if count == n:
            return "ok %.3f" % (time.monotonic() - start)
        if time.monotonic() - start > timeout:
            return "timeout %d" % count
        time.sleep(0.2)


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    family = ipvs_family(sock)
    for line in sys.stdin:
        req = line.split()
        if req[:1] == ["services"] and len(req) == 3:
            out = services(sock, family, int(req[1]), float(req[2]))
        elif req == ["flush"]:
            request(sock, family, IPVS_CMD_FLUSH, F_REQUEST | F_ACK)
            for _ in replies(sock):
                pass
            out = "ok"
        else:
            out = "error: unknown request %r" % line.strip()
        print(out, flush=True)


main()
