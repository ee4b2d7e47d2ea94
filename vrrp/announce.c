/*
 * Route announcement (see announce.h): the wanted state, what was
 * applied, and the retry of a change that failed, on the caller's loop.
 */
#include "config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"
#include "vrrp/announce.h"
#include "vrrp/announce_priv.h"

#define RETRY_FIRST_MS	1000
#define RETRY_MAX_MS	30000
/* Failed requests logged one by one per change; the rest are counted. */
#define LOG_EACH	5

struct vrrp_announce {
	sd_event *ev;
	struct vrrp_announce_config cfg;
	struct ann_nl nl;
	struct lvs_addr *want, *want_rt, *held, *routed;	/* sorted sets */
	size_t nwant, nwant_rt, nheld, nrouted;
	bool started, withdrawn, need_dump;
	sd_event_source *retry;
	unsigned retry_ms;
	struct vrrp_announce_stats st;
};

void
vrrp_announce_config_init(struct vrrp_announce_config *c)
{
	memset(c, 0, sizeof(*c));
	c->table = VRRP_ANNOUNCE_TABLE;
	c->protocol = VRRP_ANNOUNCE_PROTOCOL;
	snprintf(c->ifname, sizeof(c->ifname), "%s", VRRP_ANNOUNCE_DEVICE);
}

int
vrrp_announce_config_check(const struct vrrp_announce_config *c)
{
	int rc = 0;

	/* 253-255 are the kernel's default, main and local tables. */
	if (c->table == 0 || (c->table >= 253 && c->table <= 255)) {
		log_warnx("announce: table %u: expected 1-252 or 256-4294967295 "
		    "(0 and 253-255 are the kernel's)", c->table);
		rc = -1;
	}
	/* 0-4: unspec, redirect, kernel, boot, static: others' routes. */
	if (c->protocol <= 4) {
		log_warnx("announce: protocol %u: expected 5-255 (0-4 mark the "
		    "kernel's and the administrator's routes)", c->protocol);
		rc = -1;
	}
	if (c->ifname[0] == '\0' || strlen(c->ifname) >= IFNAMSIZ) {
		log_warnx("announce: no device for the virtual addresses");
		rc = -1;
	}
	if (c->hold != VRRP_ANNOUNCE_HOLD_ADDRESS && c->hold != VRRP_ANNOUNCE_HOLD_ROUTE) {
		log_warnx("announce: hold: an address or a local route");
		rc = -1;
	}
	return rc;
}

struct vrrp_announce *
vrrp_announce_new(sd_event *ev, const struct vrrp_announce_config *c)
{
	struct vrrp_announce *a;

	if (vrrp_announce_config_check(c) < 0)
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->ev = sd_event_ref(ev);
	a->cfg = *c;
	if (ann_nl_open(&a->nl, c->table, c->protocol,
	    c->hold == VRRP_ANNOUNCE_HOLD_ROUTE) < 0) {
		sd_event_unref(a->ev);
		free(a);
		return NULL;
	}
	return a;
}

static const char *
op_verb(enum ann_op_kind k)
{
	static const char *const v[] = {
		[ANN_ROUTE_DEL] = "remove the route to",
		[ANN_ADDR_ADD] = "add the address",
		[ANN_ROUTE_ADD] = "add a route to",
		[ANN_ADDR_DEL] = "remove the address",
	};
	return v[k];
}

static void
describe(const struct vrrp_announce *a, const struct ann_op *op, char *out,
    size_t len)
{
	char buf[LVS_ADDRSTRLEN];
	const char *why = strerror(-op->err);

	if (op->kind == ANN_ROUTE_ADD || op->kind == ANN_ROUTE_DEL)
		snprintf(out, len, "cannot %s %s/%u in table %u (protocol %u, "
		    "dev %s): %s%s%s%s", op_verb(op->kind),
		    addr_fmt(&op->addr, buf), op->plen, a->cfg.table,
		    a->cfg.protocol, a->cfg.ifname, why, op->why[0] ? " (" : "",
		    op->why, op->why[0] ? ")" : "");
	else if (a->nl.hold_route)
		snprintf(out, len, "cannot %s local route to %s/%u in table "
		    "local (protocol %u, dev %s): %s%s%s%s",
		    op->kind == ANN_ADDR_ADD ? "add the" : "remove the",
		    addr_fmt(&op->addr, buf), op->plen, a->cfg.protocol,
		    a->cfg.ifname, why, op->why[0] ? " (" : "", op->why,
		    op->why[0] ? ")" : "");
	else
		snprintf(out, len, "cannot %s %s/%u on %s: %s%s%s%s",
		    op_verb(op->kind), addr_fmt(&op->addr, buf), op->plen,
		    a->cfg.ifname, why, op->why[0] ? " (" : "", op->why,
		    op->why[0] ? ")" : "");
}

/* Logs the failed ops of one step (the first few in full); counts all. */
static void
report(struct vrrp_announce *a, const struct ann_op *ops, size_t n)
{
	unsigned logged = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ann_op *op = &ops[i];

		if (op->err == 0) {
			a->st.routes_added += op->kind == ANN_ROUTE_ADD;
			a->st.routes_removed += op->kind == ANN_ROUTE_DEL;
			continue;
		}
		a->st.failures++;
		describe(a, op, a->st.last_error, sizeof(a->st.last_error));
		if (logged++ < LOG_EACH)
			log_warnx("announce: %s", a->st.last_error);
	}
	if (logged > LOG_EACH)
		log_warnx("announce: and %u more failed requests like these",
		    logged - LOG_EACH);
}

/* set = (set \ del) ∪ add; add and del are sorted here. */
static void
change_set(struct lvs_addr **set, size_t *n, struct lvs_addr *add,
    size_t nadd, struct lvs_addr *del, size_t ndel)
{
	struct lvs_addr *tmp = xcalloc(*n + 1, sizeof(*tmp));
	size_t k;

	nadd = addrset_normalize(add, nadd);
	ndel = addrset_normalize(del, ndel);
	k = addrset_minus(*set, *n, del, ndel, tmp);
	free(*set);
	*set = xcalloc(k + nadd + 1, sizeof(**set));
	*n = addrset_union(tmp, k, add, nadd, *set);
	free(tmp);
}

/* The sets after ops ran: what succeeded joins or leaves them. */
static void
update_sets(struct vrrp_announce *a, const struct ann_op *ops, size_t n)
{
	struct lvs_addr *l[4];
	size_t c[4] = { 0 };

	for (int k = 0; k < 4; k++)
		l[k] = xcalloc(n + 1, sizeof(*l[k]));
	for (size_t i = 0; i < n; i++) {
		const struct ann_op *op = &ops[i];

		/* A stale route of another prefix length is not in routed. */
		if (op->err == 0 && (op->kind != ANN_ROUTE_DEL ||
		    op->plen == addr_max_prefix(op->addr.af)))
			l[op->kind][c[op->kind]++] = op->addr;
	}
	change_set(&a->routed, &a->nrouted, l[ANN_ROUTE_ADD], c[ANN_ROUTE_ADD],
	    l[ANN_ROUTE_DEL], c[ANN_ROUTE_DEL]);
	change_set(&a->held, &a->nheld, l[ANN_ADDR_ADD], c[ANN_ADDR_ADD],
	    l[ANN_ADDR_DEL], c[ANN_ADDR_DEL]);
	for (int k = 0; k < 4; k++)
		free(l[k]);
}

/* Runs one step's ops; the number that failed. */
static size_t
run(struct vrrp_announce *a, struct ann_op *ops, size_t n)
{
	size_t failed;

	if (n == 0)
		return 0;
	failed = ann_nl_run(&a->nl, ops, n);
	report(a, ops, n);
	update_sets(a, ops, n);
	return failed;
}

static struct ann_state
state_of(const struct vrrp_announce *a)
{
	return (struct ann_state){
		.held = a->held, .nheld = a->nheld,
		.routed = a->routed, .nrouted = a->nrouted,
		.want = a->want, .nwant = a->nwant,
		.want_rt = a->want_rt, .nwant_rt = a->withdrawn ? 0 : a->nwant_rt,
	};
}

/*
 * Re-reads one table of the protocol: what is wanted stays (into *set),
 * the rest is deleted with ops of kind del.  The number that failed.
 */
static size_t
resync_table(struct vrrp_announce *a, uint32_t table, const char *what,
    const struct lvs_addr *want, size_t nwant, uint8_t type,
    enum ann_op_kind del, struct lvs_addr **set, size_t *nset)
{
	struct ann_route *r = NULL;
	struct ann_op *ops;
	size_t nr = 0, nops, failed;
	int err = ann_nl_dump(&a->nl, table, &r, &nr);

	if (err < 0) {
		a->st.failures++;
		snprintf(a->st.last_error, sizeof(a->st.last_error),
		    "cannot read routing table %u: %s", table, strerror(-err));
		log_warnx("announce: %s", a->st.last_error);
		return 1;
	}
	ops = xcalloc(nr + 1, sizeof(*ops));
	free(*set);
	*set = xcalloc(nr + 1, sizeof(**set));
	nops = ann_plan_resync(r, nr, want, nwant, a->nl.ifindex, type, del,
	    *set, nset, ops);
	if (nops > 0)
		log_info("announce: removing %zu %s%s of protocol %u not wanted "
		    "(stale)", nops, what, nops == 1 ? "" : "s", a->cfg.protocol);
	failed = run(a, ops, nops);
	free(ops);
	free(r);
	return failed;
}

/* Stale routes (and held local routes) become deletions; ours stay. */
static size_t
resync_routes(struct vrrp_announce *a)
{
	char what[48];
	size_t failed;

	snprintf(what, sizeof(what), "route of table %u", a->cfg.table);
	failed = resync_table(a, a->cfg.table, what, a->want_rt,
	    a->withdrawn ? 0 : a->nwant_rt, 0, ANN_ROUTE_DEL, &a->routed,
	    &a->nrouted);
	if (failed == 0 && a->nl.hold_route)
		failed = resync_table(a, RT_TABLE_LOCAL, "local route", a->want,
		    a->nwant, RTN_LOCAL, ANN_ADDR_DEL, &a->held, &a->nheld);
	return failed;
}

static int on_retry(sd_event_source *s, uint64_t usec, void *arg);

static void
arm_retry(struct vrrp_announce *a)
{
	uint64_t now;

	a->retry_ms = a->retry_ms ? a->retry_ms * 2 : RETRY_FIRST_MS;
	if (a->retry_ms > RETRY_MAX_MS)
		a->retry_ms = RETRY_MAX_MS;
	sd_event_now(a->ev, CLOCK_MONOTONIC, &now);
	now += a->retry_ms * 1000ULL;
	if (a->retry == NULL) {
		if (sd_event_add_time(a->ev, &a->retry, CLOCK_MONOTONIC, now,
		    10000, on_retry, a) < 0) {
			log_warnx("announce: cannot arm the retry timer");
			return;
		}
		sd_event_source_set_priority(a->retry, LVSD_PRIO_VRRP);
	} else {
		sd_event_source_set_time(a->retry, now);
	}
	sd_event_source_set_enabled(a->retry, SD_EVENT_ONESHOT);
	log_info("announce: retrying in %u ms", a->retry_ms);
}

/* Makes the kernel match the wanted state; 0, or -1 (retry armed). */
static int
apply(struct vrrp_announce *a)
{
	struct ann_state s;
	struct ann_op *ops;
	size_t failed = 0;
	unsigned idx = if_nametoindex(a->cfg.ifname);

	if (!a->started)
		return 0;
	if (idx == 0 && a->nwant > 0) {
		a->st.failures++;
		snprintf(a->st.last_error, sizeof(a->st.last_error),
		    "device %s for the virtual addresses: %s", a->cfg.ifname,
		    strerror(errno));
		log_warnx("announce: %s", a->st.last_error);
		failed = 1;
		goto out;
	}
	if (idx == 0)	/* gone, and its addresses and routes with it */
		a->nheld = 0;
	a->nl.ifindex = (int)idx;
	if (a->need_dump) {
		if ((failed = resync_routes(a)) > 0)
			goto out;
		a->need_dump = false;
	}
	s = state_of(a);
	ops = xcalloc(s.nrouted + s.nwant + s.nwant_rt + s.nheld + 1, sizeof(*ops));
	failed += run(a, ops, ann_plan_first(&s, ops));
	s = state_of(a);
	failed += run(a, ops, ann_plan_second(&s, ops));
	free(ops);
out:
	a->st.failing = failed > 0;
	if (failed > 0) {
		arm_retry(a);
		return -1;
	}
	if (a->retry_ms > 0)
		log_info("announce: table %u in order again (%zu routes, %zu "
		    "addresses on %s)", a->cfg.table, a->nrouted, a->nheld,
		    a->cfg.ifname);
	a->retry_ms = 0;
	if (a->retry != NULL)
		sd_event_source_set_enabled(a->retry, SD_EVENT_OFF);
	return 0;
}

static int
on_retry(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vrrp_announce *a = arg;

	(void)s, (void)usec;
	/* A lost answer leaves the table unknown: read it again. */
	a->need_dump = true;
	apply(a);
	return 0;
}

int
vrrp_announce_start(struct vrrp_announce *a)
{
	a->started = true;
	a->need_dump = true;
	return apply(a);
}

int
vrrp_announce_resync(struct vrrp_announce *a)
{
	a->need_dump = true;
	return apply(a);
}

int
vrrp_announce_set(struct vrrp_announce *a, const struct vrrp_announce_vip *v,
    size_t n)
{
	free(a->want);
	free(a->want_rt);
	a->want = xcalloc(n + 1, sizeof(*a->want));
	a->want_rt = xcalloc(n + 1, sizeof(*a->want_rt));
	a->nwant = a->nwant_rt = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].addr.af != AF_INET && v[i].addr.af != AF_INET6)
			continue;
		a->want[a->nwant++] = v[i].addr;
		if (v[i].announce)
			a->want_rt[a->nwant_rt++] = v[i].addr;
	}
	a->nwant = addrset_normalize(a->want, a->nwant);
	a->nwant_rt = addrset_normalize(a->want_rt, a->nwant_rt);
	return apply(a);
}

int
vrrp_announce_withdraw(struct vrrp_announce *a)
{
	if (!a->withdrawn)
		log_info("announce: withdrawing %zu route%s from table %u",
		    a->nrouted, a->nrouted == 1 ? "" : "s", a->cfg.table);
	a->withdrawn = true;
	return apply(a);
}

int
vrrp_announce_restore(struct vrrp_announce *a)
{
	if (a->withdrawn)
		log_info("announce: announcing again (%zu route%s wanted)",
		    a->nwant_rt, a->nwant_rt == 1 ? "" : "s");
	a->withdrawn = false;
	return apply(a);
}

void
vrrp_announce_release(struct vrrp_announce *a)
{
	a->nwant = a->nwant_rt = 0;
	apply(a);
}

void
vrrp_announce_free(struct vrrp_announce *a)
{
	if (a == NULL)
		return;
	vrrp_announce_release(a);
	sd_event_source_disable_unref(a->retry);
	ann_nl_close(&a->nl);
	free(a->want);
	free(a->want_rt);
	free(a->held);
	free(a->routed);
	sd_event_unref(a->ev);
	free(a);
}

void
vrrp_announce_stats(const struct vrrp_announce *a, struct vrrp_announce_stats *s)
{
	*s = a->st;
	s->wanted = a->nwant;
	s->held = a->nheld;
	s->announced = a->nrouted;
	s->withdrawn = a->withdrawn;
}

void
vrrp_announce_vip_state(const struct vrrp_announce *a,
    const struct lvs_addr *vip, bool *held, bool *announced)
{
	*held = addrset_has(a->held, a->nheld, vip);
	*announced = addrset_has(a->routed, a->nrouted, vip);
}
