#!/usr/bin/python3
"""stamp.py - copy stdin to stdout line by line, each line prefixed with the
wall-clock time it arrived ("YYYY-mm-dd HH:MM:SS.ffffff "), the format of
`tcpdump -tttt`, so the lab can line lvsd's log up with packet captures."""
import sys
import time


def main():
    out = sys.stdout
    for line in sys.stdin:
        t = time.time()
        out.write("%s.%06d %s" % (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)),
                                  int(t % 1 * 1e6), line))
        out.flush()


if __name__ == "__main__":
    main()
