#!/bin/bash
# lab-tun: the lab with IP tunnelling, like seed 004: the real servers on
# another subnet behind a router, set up by lvs-realserver (IPIP, and GUE
# to rs3) (tests/vm/lib/lab-case.sh).
set -u
. "$VM_LIB/lab-case.sh" tun
