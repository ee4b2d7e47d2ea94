#!/bin/bash
# lab-dr: the lab in direct-routing mode, like seed 003; rs3 is set up by
# hand without the ARP settings: lvsd must name it, lvs-realserver must
# fix it, and its undo restore it exactly (tests/vm/lib/lab-case.sh).
set -u
. "$VM_LIB/lab-case.sh" dr
