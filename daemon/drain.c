/*
 * Draining: a real server that leaves the table (removed from lvs.cf,
 * disabled by the operator, or failing its check) first stays in the
 * kernel at weight 0 for drain_time, so established connections finish;
 * a removed virtual service likewise keeps its real servers at weight 0.
 * Only then is it deleted.  Works on the desired tables: what the last
 * apply asked for and no longer is, is kept at weight 0 until its time.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/drain.h"
#include "lib/log.h"
#include "lib/xalloc.h"

struct drain {
	TAILQ_ENTRY(drain) entry;
	struct ipvs_service svc;
	char *svc_label;
	struct ipvs_dest dest;
	char *dest_label;
	uint64_t deadline;		/* CLOCK_MONOTONIC µs */
};

void
drain_init(struct drain_state *ds)
{
	TAILQ_INIT(&ds->list);
	ds->last = NULL;
}

static void
drain_free(struct drain_state *ds, struct drain *r)
{
	TAILQ_REMOVE(&ds->list, r, entry);
	free(r->svc_label);
	free(r->dest_label);
	free(r);
}

static bool
has_dest(const struct ipvs_table *t, const struct ipvs_svc *s,
    const struct ipvs_dest *want)
{
	return s != NULL && ipvs_table_find_dest(t, s, &want->addr,
	    want->port) != NULL;
}

static bool
is_draining(const struct drain_state *ds, const struct ipvs_service *svc,
    const struct ipvs_dest *dest)
{
	const struct drain *r;
	TAILQ_FOREACH(r, &ds->list, entry)
		if (ipvs_service_key_eq(&r->svc, svc) && r->dest.port == dest->port &&
		    addr_eq(&r->dest.addr, &dest->addr))
			return true;
	return false;
}

/* What `prev` had with weight > 0 and `next` lacks starts draining. */
static void
start_draining(struct drain_state *ds, const struct ipvs_table *prev,
    const struct ipvs_table *next, uint64_t deadline, uint32_t drain_ms)
{
	const struct ipvs_svc *s = NULL;
	while ((s = ipvs_table_next(prev, s)) != NULL) {
		const struct ipvs_service *svc = ipvs_svc_conf(s);
		const struct ipvs_svc *ns = ipvs_table_find_service(next, svc);
		const struct ipvs_dst *e = NULL;
		while ((e = ipvs_svc_next_dest(s, e)) != NULL) {
			const struct ipvs_dest *dest = ipvs_dst_conf(e);
			if (has_dest(next, ns, dest) ||
			    is_draining(ds, svc, dest))
				continue;
			struct drain *r = xcalloc(1, sizeof(*r));
			r->svc = *svc;
			r->svc_label = xstrdup(ipvs_svc_label(s));
			r->dest = *dest;
			r->dest.weight = 0;
			r->dest_label = xstrdup(ipvs_dst_label(e));
			r->deadline = deadline;
			TAILQ_INSERT_TAIL(&ds->list, r, entry);
			log_info("%s: draining (weight 0) for %u ms before removal",
			    r->dest_label, drain_ms);
		}
	}
}

uint64_t
drain_merge(struct drain_state *ds, struct ipvs_table *next, uint64_t now,
    uint32_t drain_ms)
{
	if (ds->last != NULL && drain_ms > 0)
		start_draining(ds, ds->last, next, now + (uint64_t)drain_ms * 1000,
		    drain_ms);
	ipvs_table_free(ds->last);
	/* Without drain_time nothing will drain: no copy (a tenth of a
	 * 10,000-service reload).  So drain_time applies to what leaves the
	 * table after the apply that first has it. */
	ds->last = drain_ms > 0 ? ipvs_table_copy(next) : NULL;
	uint64_t first = UINT64_MAX;
	struct drain *r, *tmp;
	/* glibc's <sys/queue.h> has no TAILQ_FOREACH_SAFE. */
	for (r = TAILQ_FIRST(&ds->list); r != NULL; r = tmp) {
		tmp = TAILQ_NEXT(r, entry);
		struct ipvs_svc *ns = ipvs_table_find_service(next, &r->svc);
		if (r->deadline <= now || has_dest(next, ns, &r->dest)) {
			if (r->deadline <= now)
				log_info("%s: drained, removing it", r->dest_label);
			drain_free(ds, r);	/* over, or wanted again */
			continue;
		}
		if (ns == NULL)
			ns = ipvs_table_add_service(next, &r->svc, r->svc_label);
		if (ns == NULL || ipvs_table_add_dest(next, ns, &r->dest,
		    r->dest_label) == NULL)
			log_warn("%s: cannot keep it draining", r->dest_label);
		if (r->deadline < first)
			first = r->deadline;
	}
	return first;
}

void
drain_clear(struct drain_state *ds)
{
	struct drain *r;
	while ((r = TAILQ_FIRST(&ds->list)) != NULL)
		drain_free(ds, r);
	ipvs_table_free(ds->last);
	ds->last = NULL;
}

unsigned
drain_count(const struct drain_state *ds)
{
	unsigned n = 0;
	const struct drain *r;
	TAILQ_FOREACH(r, &ds->list, entry)
		n++;
	return n;
}
