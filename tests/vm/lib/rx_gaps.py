#!/usr/bin/env python3
"""The gaps a backup saw, from advert_rx.py's record.

  rx_gaps.py RECORD

Prints the longest gaps between kernel stamps and between reads, and the
longest wait from stamp to read (ms).
"""
import sys


def main():
    rows = []
    with open(sys.argv[1]) as f:
        for line in f:
            try:
                stamp, read = map(float, line.split())
            except ValueError:
                continue
            rows.append((stamp, read))
    if len(rows) < 2:
        print("backup's record: %d advert(s)" % len(rows))
        return

    def worst(values):
        gaps = [(b - a, a) for a, b in zip(values, values[1:])]
        return max(gaps)

    gs, ats = worst([r[0] for r in rows])
    gr, atr = worst([r[1] for r in rows])
    wait, atw = max((r[1] - r[0], r[0]) for r in rows)
    print("backup's record: %d adverts; longest gap: stamps %.0f ms (at %.3f), "
          "reads %.0f ms (at %.3f); longest stamp-to-read %.0f ms (at %.3f)" % (
              len(rows), gs * 1000, ats, gr * 1000, atr, wait * 1000, atw))

main()
