#!/usr/bin/python3
"""flapcheck.py LVSD_LOG CAPTURE... - did the director send a client to a
real server it had declared down?

LVSD_LOG is the master's log with stamp.py's wall-clock prefix; each
CAPTURE is `tcpdump -tttt -n` output of one real server (file name
rsN.cap), showing the client's SYNs to it.  From the log's "web/rsN ... UP"
and "... DOWN" transitions, every SYN that reached rsN after a DOWN was
logged and before the next UP is a violation.  Prints one line per server
and exits 1 on any violation.

A log line is stamped when stamp.py reads it, a little after lvsd wrote
it: the DOWN stamps are late (lenient), and so are the UP stamps, after
which lvsd adds the server back within the same loop iteration.  A SYN up
to STAMP_SLACK before a stamped UP is therefore counted apart, not as a
violation."""
import datetime
import os
import re
import sys

STAMP_SLACK = datetime.timedelta(milliseconds=50)

TRANSITION = re.compile(r"^(\S+ \S+) .*\bweb/(rs\d+) \S+ (UP|DOWN):")
SYN = re.compile(r"^(\S+ \S+) IP \S+ > \S+: Flags \[S\],")


def when(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f")


def down_intervals(path):
    """{rs: [(down_time, up_time or None)]}; times as sortable strings"""
    out, open_down = {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            m = TRANSITION.match(line)
            if not m:
                continue
            t, rs, what = m.groups()
            t = when(t)
            if what == "DOWN" and rs not in open_down:
                open_down[rs] = t
            elif what == "UP" and rs in open_down:
                out.setdefault(rs, []).append((open_down.pop(rs), t))
    for rs, t in open_down.items():
        out.setdefault(rs, []).append((t, None))
    return out


def main():
    downs = down_intervals(sys.argv[1])
    bad = 0
    for cap in sys.argv[2:]:
        rs = os.path.basename(cap).split(".")[0]
        syns = []
        with open(cap, errors="replace") as f:
            for line in f:
                m = SYN.match(line)
                if m:
                    syns.append(when(m.group(1)))
        ivs = downs.get(rs, [])
        hits = [s for s in syns
                for d, u in ivs if s > d and (u is None or s < u - STAMP_SLACK)]
        slack = [s for s in syns
                 for d, u in ivs if u is not None and u - STAMP_SLACK <= s < u]
        bad += len(hits)
        print("   %s: %d client connections, %d DOWN periods, %d connections "
              "while down%s%s" % (rs, len(syns), len(ivs), len(hits),
                                  (" (first at %s)" % hits[0]) if hits else "",
                                  (", %d within %d ms before a logged UP" %
                                   (len(slack), STAMP_SLACK.microseconds // 1000))
                                  if slack else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
