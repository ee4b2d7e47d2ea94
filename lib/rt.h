/*
 * rt_breathe: for long loops that a real-time process may run.
 *
 * RLIMIT_RTTIME counts a real-time process's CPU time between blocking
 * calls, and a loop over thousands of addresses (netlink batches whose
 * answers are ready when recv asks, a GARP per address) never blocks: the
 * failover process (SCHED_RR, daemon/fo_proc.c) would run into SIGXCPU.
 * A real-time caller sleeps 0.2 ms (long enough to be a real sleep: one
 * that ends before it starts never blocks), which resets that count and
 * lets other work run; anyone else returns at once.
 */
#ifndef LVSD_LIB_RT_H
#define LVSD_LIB_RT_H

#include <sched.h>
#include <time.h>

static inline void
rt_breathe(void)
{
	/* SCHED_RESET_ON_FORK comes back or-ed into the policy */
	int policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
	if (policy == SCHED_RR || policy == SCHED_FIFO) {
		struct timespec ts = { 0, 200000 };
		nanosleep(&ts, NULL);
	}
}

#endif
