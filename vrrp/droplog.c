#include "config.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "vrrp/priv.h"

/*
 * Rate-limited lines about dropped packets, one line at once for the
 * first drop of a reason, then at most one per window with the count
 * since the last line: a burst is logged as it begins and, with its final
 * count, when the window it ended in closes.  While drops go on, each
 * window is twice as long as the last (up to a minute; an hour for
 * adverts of other virtual routers, which are a link's normal traffic);
 * a window without drops ends the burst and the next one is logged at
 * once again.  Every drop is in a line: counts are never lost, also not
 * at the end (droplog_fini logs what is pending).
 */

#define FIRST_WINDOW	1000000ULL		/* usec */
#define MAX_WINDOW	(60 * 1000000ULL)
#define MAX_WINDOW_VRID	(3600 * 1000000ULL)

void
droplog_init(struct droplog *d, sd_event *ev, const char *owner, bool sends)
{
	memset(d, 0, sizeof(*d));
	d->ev = ev;
	d->sends = sends;
	snprintf(d->owner, sizeof(d->owner), "%s", owner);
}

static void
first_line(const struct droplog *d, unsigned why, const struct lvs_addr *peer,
    const char *detail)
{
	char a[LVS_ADDRSTRLEN];
	if (d->sends) {
		log_warnx("%s: cannot send to %s: %s", d->owner,
		    addr_fmt(peer, a), detail);
		return;
	}
	log_warnx("%s: dropped a packet from %s%s%s%s: %s: %s", d->owner,
	    addr_fmt(peer, a), detail[0] ? " (" : "", detail,
	    detail[0] ? ")" : "", vrrp_drop_name(why), vrrp_drop_text(why));
}

/* The line for what a window gathered after its first line. */
static void
count_line(const struct droplog *d, unsigned why, const struct droplog_slot *s)
{
	char a[LVS_ADDRSTRLEN];
	addr_fmt(&s->from, a);
	if (d->sends)
		log_warnx("%s: %llu more sends to %s%s failed since the last "
		    "message: %s (%llu in this burst)", d->owner,
		    (unsigned long long)s->pending, a,
		    s->several ? " and others" : "", s->detail,
		    (unsigned long long)s->burst);
	else
		log_warnx("%s: dropped %llu more packet%s from %s%s since the "
		    "last message: %s (%llu in this burst)", d->owner,
		    (unsigned long long)s->pending, s->pending == 1 ? "" : "s",
		    a, s->several ? " and others" : "", vrrp_drop_name(why),
		    (unsigned long long)s->burst);
}

static void
arm(struct droplog *d)
{
	uint64_t next = 0;
	for (unsigned i = 0; i < VRRP_DROP_MAX; i++)
		if (d->slot[i].until != 0 && (next == 0 || d->slot[i].until < next))
			next = d->slot[i].until;
	if (d->timer == NULL)
		return;
	if (next == 0) {
		sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(d->timer, next);
	sd_event_source_set_enabled(d->timer, SD_EVENT_ONESHOT);
}

/* Closes slot why's window at now. */
static void
close_window(struct droplog *d, unsigned why, uint64_t now)
{
	struct droplog_slot *s = &d->slot[why];
	if (s->pending == 0) {		/* a quiet window: the burst is over */
		memset(s, 0, sizeof(*s));
		return;
	}
	count_line(d, why, s);
	s->pending = 0;
	s->several = false;
	uint64_t max = why == VRRP_DROP_VRID ? MAX_WINDOW_VRID : MAX_WINDOW;
	s->window = s->window * 2 > max ? max : s->window * 2;
	s->until = now + s->window;
}

static int
on_timer(sd_event_source *src, uint64_t usec, void *arg)
{
	struct droplog *d = arg;
	(void)src;
	(void)usec;
	uint64_t now = vrrp_now(d->ev);
	for (unsigned i = 0; i < VRRP_DROP_MAX; i++)
		if (d->slot[i].until != 0 && d->slot[i].until <= now)
			close_window(d, i, now);
	arm(d);
	return 0;
}

void
droplog_note(struct droplog *d, enum vrrp_drop why, const struct lvs_addr *peer,
    const char *detail)
{
	unsigned w = (unsigned)why < VRRP_DROP_MAX ? (unsigned)why : 0;
	struct droplog_slot *s = &d->slot[w];
	uint64_t now = vrrp_now(d->ev);
	if (detail == NULL)
		detail = "";
	if (s->until == 0) {
		first_line(d, w, peer, detail);
		s->window = FIRST_WINDOW;
		s->until = now + s->window;
		s->burst = 1;
		if (d->timer == NULL && sd_event_add_time(d->ev, &d->timer,
		    CLOCK_MONOTONIC, s->until, 10000, on_timer, d) >= 0)
			sd_event_source_set_priority(d->timer, LVSD_PRIO_CTL);
		arm(d);
		return;
	}
	if (s->pending == 0) {
		s->from = *peer;
		snprintf(s->detail, sizeof(s->detail), "%s", detail);
	} else if (!addr_eq(&s->from, peer)) {
		s->several = true;
	}
	s->pending++;
	s->burst++;
}

void
droplog_fini(struct droplog *d)
{
	for (unsigned i = 0; i < VRRP_DROP_MAX; i++)
		if (d->slot[i].pending > 0)
			count_line(d, i, &d->slot[i]);
	d->timer = sd_event_source_disable_unref(d->timer);
	memset(d->slot, 0, sizeof(d->slot));
}
