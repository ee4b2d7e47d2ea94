#!/bin/bash
# lab-dr: the lab in direct-routing mode, like seed 003
# (tests/vm/lib/lab-case.sh).
set -u
. "$VM_LIB/lab-case.sh" dr
