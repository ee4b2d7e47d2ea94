#!/usr/bin/env python3
"""The longest time no CPU of the VM took a timer interrupt.

  vm_freeze.py TRACE

TRACE: the text of /sys/kernel/tracing/trace with the event
irq_vectors:local_timer_entry enabled.  A busy CPU takes a tick every few
milliseconds; when none of them did for hundreds, the guest did not run
at all (QEMU stopped it), which no program in it can be blamed for.
Prints that span with CLOCK_MONOTONIC times (the trace's clock), and the
last event before it.
"""
import re
import sys

EVENT = re.compile(r"\[(\d+)\]\s+\S+\s+(\d+\.\d+): (\w+)")


def main():
    ticks = []
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            m = EVENT.search(line)
            if m and m.group(3) == "local_timer_entry":
                ticks.append(float(m.group(2)))
    ticks.sort()
    if len(ticks) < 2:
        print("vm freeze: no timer ticks traced")
        return
    gap, at = max((b - a, a) for a, b in zip(ticks, ticks[1:]))
    print("vm freeze: longest span without a timer tick on any CPU: %.0f ms "
          "(monotonic %.3f .. %.3f; %d ticks traced)" % (
              gap * 1000, at, at + gap, len(ticks)))


main()
