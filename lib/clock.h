/*
 * CLOCK_MONOTONIC in microseconds: uptimes, deadlines, and the
 * MONOTONIC_USEC systemd wants with RELOADING=1.
 */
#ifndef LVSD_LIB_CLOCK_H
#define LVSD_LIB_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

#endif
