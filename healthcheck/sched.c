/*
 * When each checker is due (its next start while idle, its deadline while
 * running): a binary min-heap of all of them under one sd-event timer,
 * instead of a timer per checker (an sd-event source and two queue
 * entries each, re-armed twice per check).  The timer runs the checkers
 * that are due, at most SCHED_BATCH per wake-up so a burst never holds the
 * loop, and is set again for the earliest that is left.
 */
#include "config.h"

#include <stdlib.h>

#include "healthcheck/hc_int.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/*
 * Timer slack: sd-event coalesces wake-ups within the accuracy, which
 * saves wake-ups with thousands of checkers but shows up as start jitter.
 */
#define SCHED_ACCURACY_USEC	1000
#define SCHED_BATCH		256

static bool
before(const struct hc_checker *a, const struct hc_checker *b)
{
	return a->due < b->due;
}

static void
place(struct hc_engine *eng, size_t i, struct hc_checker *ck)
{
	eng->heap[i] = ck;
	ck->hpos = (uint32_t)i + 1;
}

static void
sift_up(struct hc_engine *eng, size_t i)
{
	struct hc_checker *ck = eng->heap[i];
	while (i > 0 && before(ck, eng->heap[(i - 1) / 2])) {
		place(eng, i, eng->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(eng, i, ck);
}

static void
sift_down(struct hc_engine *eng, size_t i)
{
	struct hc_checker *ck = eng->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= eng->nheap)
			break;
		if (c + 1 < eng->nheap && before(eng->heap[c + 1], eng->heap[c]))
			c++;
		if (!before(eng->heap[c], ck))
			break;
		place(eng, i, eng->heap[c]);
		i = c;
	}
	place(eng, i, ck);
}

/* The timer, for the earliest checker (none: off). */
static void
rearm(struct hc_engine *eng)
{
	if (eng->dispatching || eng->timer == NULL)
		return;		/* on_timer sets it once it is done */
	if (eng->nheap == 0) {
		sd_event_source_set_enabled(eng->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(eng->timer, eng->heap[0]->due);
	sd_event_source_set_enabled(eng->timer, SD_EVENT_ONESHOT);
}

void
hc_sched_cancel(struct hc_checker *ck)
{
	struct hc_engine *eng = ck->eng;
	if (ck->hpos == 0)
		return;
	size_t i = ck->hpos - 1;
	ck->hpos = 0;
	struct hc_checker *last = eng->heap[--eng->nheap];
	if (i < eng->nheap) {
		place(eng, i, last);
		if (i > 0 && before(last, eng->heap[(i - 1) / 2]))
			sift_up(eng, i);
		else
			sift_down(eng, i);
	}
	if (i == 0)
		rearm(eng);
}

void
hc_sched_at(struct hc_checker *ck, uint64_t due)
{
	struct hc_engine *eng = ck->eng;
	hc_sched_cancel(ck);
	ck->due = due;
	if (eng->nheap == eng->capheap) {
		eng->capheap = eng->capheap ? eng->capheap * 2 : 64;
		eng->heap = xrealloc(eng->heap, eng->capheap * sizeof(*eng->heap));
	}
	eng->heap[eng->nheap++] = ck;
	sift_up(eng, eng->nheap - 1);
	if (ck->hpos == 1)
		rearm(eng);
}

static int
on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	struct hc_engine *eng = arg;
	uint64_t now = 0;
	sd_event_now(eng->ev, CLOCK_MONOTONIC, &now);
	eng->dispatching = true;
	for (unsigned n = 0; n < SCHED_BATCH && eng->nheap > 0 &&
	    eng->heap[0]->due <= now; n++) {
		struct hc_checker *ck = eng->heap[0];
		hc_sched_cancel(ck);
		hc_checker_due(ck);
	}
	eng->dispatching = false;
	rearm(eng);
	return 0;
}

int
hc_sched_init(struct hc_engine *eng)
{
	if (sd_event_add_time(eng->ev, &eng->timer, CLOCK_MONOTONIC, 0,
	    SCHED_ACCURACY_USEC, on_timer, eng) < 0) {
		log_warnx("health checks: no timer");
		return -1;
	}
	sd_event_source_set_priority(eng->timer, LVSD_PRIO_CHECK);
	sd_event_source_set_enabled(eng->timer, SD_EVENT_OFF);
	return 0;
}

void
hc_sched_fini(struct hc_engine *eng)
{
	eng->timer = sd_event_source_disable_unref(eng->timer);
	free(eng->heap);
	eng->heap = NULL;
	eng->nheap = eng->capheap = 0;
}
