#!/bin/bash
# lab-nat: the lab in NAT mode, like seed 000 (tests/vm/lib/lab-case.sh).
set -u
. "$VM_LIB/lab-case.sh" nat
