#!/usr/bin/env python3
"""Sends one hand-made VRRP packet (no scapy): for the bad-peer tests.

craft.py KIND SRC DST [COUNT]  -- KIND is one of
  v2-ok v2-badauth v2-ttl64 v2-vrid v2-short v2-badsum v3-ok v3-nopseudo
  v3,VRID,VIP (a well-formed v3 advert of that VRID naming VIP)
All packets claim priority 254, so an accepted one makes a master yield.
"""
import socket
import struct
import sys

IPPROTO_VRRP = 112


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def v2(vrid, auth, vip, good_sum=True):
    body = bytes([0x21, vrid, 254, 1, 1, 1, 0, 0]) + socket.inet_aton(vip)
    body += auth.ljust(8, b"\0")
    c = csum(body) if good_sum else csum(body) ^ 0x1234
    return body[:6] + struct.pack("!H", c) + body[8:]


def v3(vrid, vip, src, dst, pseudo=True):
    body = bytes([0x31, vrid, 254, 1, 0, 20, 0, 0]) + socket.inet_aton(vip)
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, IPPROTO_VRRP, len(body))
    c = csum((ph if pseudo else b"") + body)
    return body[:6] + struct.pack("!H", c) + body[8:]


def main():
    kind, src, dst = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    vip = "192.168.77.100"
    ttl = 255
    if kind.startswith("v3,"):
        _, vrid, addr = kind.split(",")
        kind = "v3-any"
    pkt = {
        "v3-any": lambda: v3(int(vrid), addr, src, dst),
        "v2-ok": lambda: v2(70, b"sesame", vip),
        "v2-badauth": lambda: v2(70, b"wrong", vip),
        "v2-ttl64": lambda: v2(70, b"sesame", vip),
        "v2-vrid": lambda: v2(99, b"sesame", vip),
        "v2-short": lambda: v2(70, b"sesame", vip)[:10],
        "v2-badsum": lambda: v2(70, b"sesame", vip, good_sum=False),
        "v3-ok": lambda: v3(71, "192.168.77.101", src, dst),
        "v3-nopseudo": lambda: v3(71, "192.168.77.101", src, dst, pseudo=False),
        "v3-uni": lambda: v3(72, "192.168.77.102", src, dst),
    }[kind]()
    if kind == "v2-ttl64":
        ttl = 64
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_VRRP)
    s.bind((src, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
    for _ in range(count):
        s.sendto(pkt, (dst, 0))


if __name__ == "__main__":
    main()
