"""ipvs_probe.py - ask one network namespace's IPVS table about single
services over generic netlink (IPVS_CMD_GET_DEST), for the benchmark's
completion polling: reading all of /proc/net/ip_vs (50,000 lines) takes
long enough under TCG to slow down the contender being measured, while one
service's destinations cost a few small messages."""
import ctypes
import os
import socket
import struct

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
CLONE_NEWNET = 0x40000000

IPVS_CMD_GET_DEST = 8
IPVS_CMD_ATTR_SERVICE = 1
IPVS_CMD_ATTR_DEST = 2
IPVS_SVC_ATTR_AF = 1
IPVS_SVC_ATTR_PROTOCOL = 2
IPVS_SVC_ATTR_ADDR = 3
IPVS_SVC_ATTR_PORT = 4
IPVS_DEST_ATTR_ADDR = 1
IPVS_DEST_ATTR_PORT = 2
IPVS_DEST_ATTR_WEIGHT = 4


def _attr(typ, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, typ) + payload + b"\0" * ((4 - n % 4) % 4)


def _attrs(buf):
    """{type: payload} of a run of netlink attributes"""
    out, off = {}, 0
    while off + 4 <= len(buf):
        n, typ = struct.unpack_from("=HH", buf, off)
        if n < 4:
            break
        out[typ & 0x3fff] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


class IpvsProbe:
    """a generic-netlink socket created inside network namespace NAME"""

    def __init__(self, name):
        libc = ctypes.CDLL(None, use_errno=True)
        here = os.open("/proc/self/ns/net", os.O_RDONLY)
        there = os.open("/run/netns/" + name, os.O_RDONLY)
        try:
            if libc.setns(there, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + name)
            try:
                self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                          NETLINK_GENERIC)
            finally:
                if libc.setns(here, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns back")
        finally:
            os.close(here)
            os.close(there)
        self.sock.bind((0, 0))
        self.seq = 0
        self.family = None
        for msg in self._request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
                                 _attr(CTRL_ATTR_FAMILY_NAME, b"IPVS\0")):
            a = _attrs(msg)
            if CTRL_ATTR_FAMILY_ID in a:
                self.family = struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][:2])[0]
        if self.family is None:
            raise OSError("no IPVS generic netlink family")

    def close(self):
        self.sock.close()

    def _request(self, typ, cmd, flags, payload):
        """send one request, return the genl payloads (after the genl
        header) of its replies"""
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), typ, NLM_F_REQUEST | flags,
                          self.seq, 0)
        self.sock.send(hdr + body)
        out = []
        while True:
            data = self.sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                n, t, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                if n < 16:
                    return out
                if seq == self.seq:
                    if t == NLMSG_DONE:
                        return out
                    if t == NLMSG_ERROR:
                        err = struct.unpack_from("=i", data, off + 16)[0]
                        if err == 0 and not flags & NLM_F_DUMP:
                            return out
                        return out if err == 0 else None
                    out.append(data[off + 20:off + n])
                    if not flags & NLM_F_DUMP:
                        return out
                off += (n + 3) & ~3

    def dests(self, vip, port):
        """{"ip:port": weight} of TCP service vip:port (IPv4); {} when the
        service does not exist"""
        svc = (_attr(IPVS_SVC_ATTR_AF, struct.pack("=H", socket.AF_INET)) +
               _attr(IPVS_SVC_ATTR_PROTOCOL, struct.pack("=H", socket.IPPROTO_TCP)) +
               _attr(IPVS_SVC_ATTR_ADDR, socket.inet_aton(vip)) +
               _attr(IPVS_SVC_ATTR_PORT, struct.pack("!H", port)))
        msgs = self._request(self.family, IPVS_CMD_GET_DEST, NLM_F_DUMP,
                             _attr(IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, svc))
        out = {}
        for m in msgs or []:
            top = _attrs(m)
            if IPVS_CMD_ATTR_DEST not in top:
                continue
            d = _attrs(top[IPVS_CMD_ATTR_DEST])
            ip = socket.inet_ntoa(d[IPVS_DEST_ATTR_ADDR][:4])
            p = struct.unpack("!H", d[IPVS_DEST_ATTR_PORT][:2])[0]
            out["%s:%d" % (ip, p)] = struct.unpack("=I", d[IPVS_DEST_ATTR_WEIGHT][:4])[0]
        return out
