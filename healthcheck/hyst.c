#include "config.h"

#include "healthcheck/hyst.h"

void
hc_hyst_init(struct hc_hyst *h, enum hc_init_state init, unsigned rise,
    unsigned fall)
{
	h->up = init == HC_INIT_UP;
	h->known = false;
	h->rise = rise ? rise : 1;
	h->fall = fall ? fall : 1;
	h->ok_run = 0;
	h->fail_run = 0;
	h->transitions = 0;
}

enum hc_hyst_out
hc_hyst_feed(struct hc_hyst *h, bool ok)
{
	/*
	 * nanny admitted a server at its first success after start and
	 * required `reentry` worth of successes only after a failure: a
	 * server starting down needs one success, not `rise`.
	 */
	bool first = !h->known;

	h->known = true;
	if (ok) {
		h->ok_run++;
		h->fail_run = 0;
		if (!h->up && (first || h->ok_run >= h->rise)) {
			h->up = true;
			h->transitions++;
			return HC_HYST_UP;
		}
		return HC_HYST_NONE;
	}
	h->fail_run++;
	h->ok_run = 0;
	if (h->up && h->fail_run >= h->fall) {
		h->up = false;
		h->transitions++;
		return HC_HYST_DOWN;
	}
	return HC_HYST_NONE;
}
