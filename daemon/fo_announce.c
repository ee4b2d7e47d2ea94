/*
 * The failover process's side of the announcement (an `announce` block:
 * N active directors behind ECMP).  Like a lone director it is always
 * active; the addresses go to the announcement's device with no ARP, and
 * a host route per address the parent wants announced tells the routing
 * daemon to export it (vrrp/announce.h).
 *
 * The parent decides what is announced (quorum of healthy real servers,
 * the operator's withdrawal) and says so with PF_ANNOUNCE and
 * PF_WITHDRAW; they may come before PF_START, so a restarted failover
 * process (or lvsd after a kill -9) sets the whole state before its
 * start removes what is stale: a route the restart keeps never flaps.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/fo_announce.h"
#include "lib/log.h"
#include "lib/xalloc.h"

static int
cmp_addr(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

static bool
wanted(const struct fo_announce *x, const struct lvs_addr *a)
{
	return x->nwant > 0 && bsearch(a, x->want, x->nwant, sizeof(*a),
	    cmp_addr) != NULL;
}

/* Every address the plan holds, announced where the parent says. */
static int
apply_set(struct fo_announce *x, const struct plan_failover *pf)
{
	struct vrrp_announce_vip *v = xcalloc(pf->nvips > 0 ? pf->nvips : 1,
	    sizeof(*v));
	for (size_t i = 0; i < pf->nvips; i++) {
		v[i].addr = pf->vips[i].addr;
		v[i].announce = wanted(x, &v[i].addr);
	}
	int r = vrrp_announce_set(x->a, v, pf->nvips);
	free(v);
	return r;
}

int
fo_announce_start(struct fo_announce *x, sd_event *ev,
    const struct plan_failover *pf)
{
	x->a = vrrp_announce_new(ev, &pf->announce);
	if (x->a == NULL)
		return -1;
	x->conf = pf->announce;
	(void)apply_set(x, pf);
	if (x->withdrawn)
		(void)vrrp_announce_withdraw(x->a);
	/* A failure is logged and retried: the forwarding table works
	 * without the routes, and the routers use the other directors. */
	(void)vrrp_announce_start(x->a);
	log_info("announcement: %zu virtual address%s on %s, routes in table "
	    "%u (protocol %u)%s", pf->nvips, pf->nvips == 1 ? "" : "es",
	    pf->announce.ifname, pf->announce.table, pf->announce.protocol,
	    x->withdrawn ? ", withdrawn by the operator" : "");
	return 0;
}

void
fo_announce_want(struct fo_announce *x, struct lvs_addr *v, size_t n,
    const struct plan_failover *pf)
{
	free(x->want);
	qsort(v, n, sizeof(*v), cmp_addr);
	x->want = v;
	x->nwant = n;
	if (x->a != NULL)
		(void)apply_set(x, pf);
}

void
fo_announce_withdraw(struct fo_announce *x, bool withdraw)
{
	if (x->withdrawn == withdraw)
		return;
	x->withdrawn = withdraw;
	if (x->a == NULL)
		return;
	if (withdraw) {
		log_info("announcement: withdrawn: every route removed, the "
		    "addresses stay");
		(void)vrrp_announce_withdraw(x->a);
	} else {
		log_info("announcement: restored");
		(void)vrrp_announce_restore(x->a);
	}
}

static bool
same_conf(const struct vrrp_announce_config *a,
    const struct vrrp_announce_config *b)
{
	return a->table == b->table && a->protocol == b->protocol &&
	    a->hold == b->hold && strcmp(a->ifname, b->ifname) == 0;
}

int
fo_announce_reconfigure(struct fo_announce *x, sd_event *ev,
    const struct plan_failover *pf)
{
	if (x->a != NULL && same_conf(&x->conf, &pf->announce))
		return apply_set(x, pf);
	/* Another table, protocol or device: a short withdrawal. */
	vrrp_announce_free(x->a);
	x->a = NULL;
	return fo_announce_start(x, ev, pf);
}

/* Clean stop: routes now, the addresses after the delay (release). */
void
fo_announce_withdraw_for_stop(struct fo_announce *x)
{
	if (x->a != NULL)
		(void)vrrp_announce_withdraw(x->a);
}

void
fo_announce_release(struct fo_announce *x)
{
	if (x->a != NULL)
		vrrp_announce_release(x->a);
}

bool
fo_announce_running(const struct fo_announce *x)
{
	return x->a != NULL;
}

/* What the parent shows: sent when it differs from what was sent last. */
void
fo_announce_report(struct fo_announce *x, const struct plan_failover *pf,
    struct msg_out *o, bool force)
{
	struct proto_announced r = { 0 };
	struct vrrp_announce_stats st;
	if (x->a != NULL) {
		vrrp_announce_stats(x->a, &st);
		r.withdrawn = st.withdrawn;
		r.failing = st.failing;
		r.failures = st.failures;
		r.routes_added = st.routes_added;
		r.routes_removed = st.routes_removed;
		snprintf(r.last_error, sizeof(r.last_error), "%s", st.last_error);
	} else
		r.withdrawn = x->withdrawn;
	r.nvips = pf->nvips;
	r.vips = xcalloc(r.nvips > 0 ? r.nvips : 1, sizeof(*r.vips));
	for (size_t i = 0; i < r.nvips; i++) {
		r.vips[i].addr = pf->vips[i].addr;
		if (x->a != NULL)
			vrrp_announce_vip_state(x->a, &r.vips[i].addr,
			    &r.vips[i].held, &r.vips[i].announced);
	}
	struct msg_out m = { 0 };
	proto_announced_put(&m, &r);
	free(r.vips);
	if (!force && x->last != NULL && x->last_len == m.len &&
	    memcmp(x->last, m.buf, m.len) == 0) {
		msg_out_free(&m);
		return;
	}
	free(x->last);
	x->last = xmalloc(m.len);
	memcpy(x->last, m.buf, m.len);
	x->last_len = m.len;
	msg_put_bytes(o, m.buf, m.len);
	msg_out_free(&m);
}

void
fo_announce_free(struct fo_announce *x)
{
	vrrp_announce_free(x->a);
	x->a = NULL;
	free(x->want);
	free(x->last);
	memset(x, 0, sizeof(*x));
}
