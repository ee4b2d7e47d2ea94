/*
 * Rise/fall hysteresis, kept free of I/O and clocks so it can be tested
 * alone.  One result in, at most one transition out.
 */
#ifndef LVSD_HEALTHCHECK_HYST_H
#define LVSD_HEALTHCHECK_HYST_H

#include <stdbool.h>
#include <stdint.h>

#include "healthcheck/hc.h"

struct hc_hyst {
	bool up;
	bool known;		/* a result arrived since init */
	unsigned rise, fall;
	unsigned ok_run, fail_run;
	uint64_t transitions;
};

enum hc_hyst_out { HC_HYST_NONE, HC_HYST_UP, HC_HYST_DOWN };

/* rise/fall of 0 count as 1. */
void hc_hyst_init(struct hc_hyst *h, enum hc_init_state init, unsigned rise,
    unsigned fall);
enum hc_hyst_out hc_hyst_feed(struct hc_hyst *h, bool ok);

#endif
