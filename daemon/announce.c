/*
 * Which virtual addresses this director announces (see daemon/announce.h).
 *
 * An address is announced when the operator has not withdrawn the
 * director and every active virtual service on it has at least its
 * `quorum` real servers with a weight above 0 in the table lvsd wants: a
 * route is per address, so one service below its quorum takes the
 * address out of this director's routes for all its services (the other
 * directors serve them).  The verdict is taken from the table an apply
 * makes the kernel's, and sent when that apply ended: a route before the
 * kernel holds the service would draw traffic the director refuses.
 *
 * At start, and when a service gets its quorum back, the checks' results
 * come one by one.  Announced while a server is still coming up (weight
 * 0), a director would hash over another `mh` table than its peers and
 * reset the flows ECMP moves to it (seen in the lab: a start that cost 3
 * requests, a quorum regained that cost 1).  So an address about to be
 * announced is held until every real server of its services is up, or
 * until the checks had time to say otherwise: the longest interval x rise
 * + timeout of the director's checks.  An address already announced is
 * never held.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/announce.h"
#include "daemon/announce_verdict.h"
#include "daemon/failover.h"
#include "daemon/lvsd.h"
#include "daemon/override.h"
#include "daemon/proto.h"
#include "ipvs/ipvs.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

struct lvsd_announce {
	struct announce_verdict *pending;	/* from the table being applied */
	size_t npending;
	bool have_pending;
	struct announce_verdict *vips;	/* as sent to the failover process */
	size_t nvips;
	sd_event_source *hold_timer;	/* the earliest hold's end */
};

static struct lvsd_announce *
state(struct lvsd *d)
{
	if (d->announce == NULL)
		d->announce = xcalloc(1, sizeof(*d->announce));
	return d->announce;
}

static int
on_hold_end(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	lvsd_ipvs_apply(userdata, "announce", NULL, NULL);
	return 0;
}

/* The longest time a check needs to bring a server up. */
static uint64_t
settle_usec(const struct plan *p)
{
	uint64_t most = 0;
	for (size_t i = 0; i < p->nsettings; i++) {
		const struct hc_check_config *c = p->settings[i];
		uint64_t t = (uint64_t)c->interval_ms * (c->rise ? c->rise : 1) +
		    c->timeout_ms;
		if (t > most)
			most = t;
	}
	return most * 1000;
}

static bool
sent(const struct announce_verdict *v)
{
	return v != NULL && v->want && !v->held;
}

/* Holds what is about to be announced (see above); the timer re-decides
 * at the earliest hold's end. */
static void
hold(struct lvsd *d, struct lvsd_announce *x)
{
	uint64_t now = mono_usec(), first = UINT64_MAX;
	for (size_t i = 0; i < x->npending; i++) {
		struct announce_verdict *p = &x->pending[i];
		const struct announce_verdict *was = announce_verdict_find(x->vips,
		    x->nvips, &p->addr);
		if (!p->want || sent(was))
			continue;
		p->hold_until = was != NULL && was->want ? was->hold_until :
		    now + settle_usec(d->plan);
		p->held = !p->all_up && now < p->hold_until;
		if (p->held && p->hold_until < first)
			first = p->hold_until;
	}
	x->hold_timer = sd_event_source_disable_unref(x->hold_timer);
	if (first != UINT64_MAX && sd_event_add_time(d->event, &x->hold_timer,
	    CLOCK_MONOTONIC, first, 10000, on_hold_end, d) >= 0)
		sd_event_source_set_priority(x->hold_timer, LVSD_PRIO_BULK);
}

void
announce_table(struct lvsd *d, const struct ipvs_table *t)
{
	if (d->cfg->announce == NULL)
		return;
	struct lvsd_announce *x = state(d);
	free(x->pending);
	const struct plan_failover *pf = &d->plan->failover;
	x->npending = pf->nvips;
	x->pending = xcalloc(pf->nvips > 0 ? pf->nvips : 1, sizeof(*x->pending));
	announce_verdicts(d->cfg, pf, t, x->pending);
	hold(d, x);
	x->have_pending = true;
}

static void
log_change(const struct announce_verdict *was,
    const struct announce_verdict *now)
{
	char a[LVS_ADDRSTRLEN];
	if (now->held) {
		if (was == NULL || !was->held)
			log_info("announce: %s: virtual `%s` has %u of %u real "
			    "servers (quorum %u): held until every one is up or "
			    "its checks had their time", addr_fmt(&now->addr, a),
			    now->virtual, now->up, now->total, now->quorum);
		return;
	}
	if (was != NULL && sent(was) == sent(now) && was->want == now->want)
		return;
	if (was == NULL && now->want)
		return;		/* a new address, announced: the plain case */
	if (now->want)
		log_info("announce: %s: virtual `%s` has %u of %u real servers "
		    "(quorum %u): announced", addr_fmt(&now->addr, a),
		    now->virtual, now->up, now->total, now->quorum);
	else
		log_warnx("announce: %s: virtual `%s` has %u of %u real servers, "
		    "below its quorum %u: not announced by this director",
		    addr_fmt(&now->addr, a), now->virtual, now->up, now->total,
		    now->quorum);
}

void
announce_applied(struct lvsd *d, int r, unsigned errors)
{
	struct lvsd_announce *x = d->announce;
	if (x == NULL || !x->have_pending)
		return;
	x->have_pending = false;
	struct lvs_addr *out = xcalloc(x->npending > 0 ? x->npending : 1,
	    sizeof(*out));
	size_t n = 0;
	for (size_t i = 0; i < x->npending; i++) {
		struct announce_verdict *p = &x->pending[i];
		struct announce_verdict *was = announce_verdict_find(x->vips,
		    x->nvips, &p->addr);
		/* Not announced yet: only once the kernel holds it all. */
		if (p->want && (r < 0 || errors > 0) && (was == NULL || !was->want))
			p->want = false;
		log_change(was, p);
		if (sent(p))
			out[n++] = p->addr;
	}
	free(x->vips);
	x->vips = x->pending;
	x->nvips = x->npending;
	x->pending = NULL;
	x->npending = 0;
	failover_announce(d, out, n);
	free(out);
}

size_t
announce_wanted(const struct lvsd *d, struct lvs_addr **v)
{
	const struct lvsd_announce *x = d->announce;
	size_t n = 0;
	*v = NULL;
	for (size_t i = 0; x != NULL && i < x->nvips; i++) {
		if (!sent(&x->vips[i]))
			continue;
		if (*v == NULL)
			*v = xcalloc(x->nvips, sizeof(**v));
		(*v)[n++] = x->vips[i].addr;
	}
	return n;
}

bool
announce_withdrawn(const struct lvsd *d)
{
	return override_get(d->overrides, OVERRIDE_DIRECTOR) ==
	    OVERRIDE_WITHDRAW;
}

void
announce_withdrawn_changed(struct lvsd *d)
{
	failover_withdraw(d, announce_withdrawn(d));
}

static const struct proto_announced_vip *
reported(const struct proto_announced *r, const struct lvs_addr *a)
{
	for (size_t lo = 0, hi = r != NULL ? r->nvips : 0; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		int c = addr_cmp(&r->vips[mid].addr, a);
		if (c == 0)
			return &r->vips[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct json_object *
vip_json(const struct announce_verdict *v, const struct proto_announced *r,
    bool withdrawn)
{
	char a[LVS_ADDRSTRLEN], why[160];
	const struct proto_announced_vip *k = reported(r, &v->addr);
	bool announced = k != NULL && k->announced;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "address",
	    json_object_new_string(addr_fmt(&v->addr, a)));
	json_object_object_add(o, "announced", json_object_new_boolean(announced));
	json_object_object_add(o, "held",
	    json_object_new_boolean(k != NULL && k->held));
	json_object_object_add(o, "quorum_met", json_object_new_boolean(v->want));
	snprintf(why, sizeof(why), "%s: %u/%u healthy, quorum %u%s",
	    v->virtual != NULL ? v->virtual : "?", v->up, v->total, v->quorum,
	    withdrawn ? "; director withdrawn" : !v->want ? "; below quorum" :
	    v->held ? "; held until every real server is up" :
	    !announced ? "; not yet in the table" : "");
	json_object_object_add(o, "why", json_object_new_string(why));
	return o;
}

struct json_object *
announce_status_json(const struct lvsd *d)
{
	const struct cfg_announce *c = d->cfg->announce;
	if (c == NULL)
		return NULL;
	const struct lvsd_announce *x = d->announce;
	const struct proto_announced *r = failover_announced(d);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "table", json_object_new_int64(c->table));
	json_object_object_add(o, "protocol", json_object_new_int64(c->protocol));
	json_object_object_add(o, "device", json_object_new_string(c->device));
	bool withdrawn = announce_withdrawn(d);
	json_object_object_add(o, "withdrawn", json_object_new_boolean(withdrawn));
	if (withdrawn) {
		int64_t at = 0;
		const char *by = override_by(d->overrides, OVERRIDE_DIRECTOR, &at);
		const char *reason = override_reason(d->overrides,
		    OVERRIDE_DIRECTOR);
		json_object_object_add(o, "withdrawn_by",
		    by != NULL ? json_object_new_string(by) : NULL);
		json_object_object_add(o, "withdrawn_at", json_object_new_int64(at));
		json_object_object_add(o, "withdrawn_reason",
		    reason != NULL ? json_object_new_string(reason) : NULL);
	}
	json_object_object_add(o, "failing",
	    json_object_new_boolean(r != NULL && r->failing));
	json_object_object_add(o, "failures",
	    json_object_new_uint64(r != NULL ? r->failures : 0));
	json_object_object_add(o, "last_error", r != NULL &&
	    r->last_error[0] != '\0' ? json_object_new_string(r->last_error) :
	    NULL);
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; x != NULL && i < x->nvips; i++)
		json_object_array_add(list, vip_json(&x->vips[i], r, withdrawn));
	json_object_object_add(o, "vips", list);
	return o;
}

void
announce_free(struct lvsd *d)
{
	if (d->announce == NULL)
		return;
	free(d->announce->pending);
	free(d->announce->vips);
	sd_event_source_disable_unref(d->announce->hold_timer);
	free(d->announce);
	d->announce = NULL;
}
