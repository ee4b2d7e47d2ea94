/*
 * The announcement's verdicts (see daemon/announce_verdict.h).  A route is
 * per address, not per service: one service below its quorum takes the
 * address out of this director's routes for every service on it (the
 * other directors serve them).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/announce_verdict.h"
#include "daemon/desired.h"
#include "ipvs/ipvs.h"

static int
cmp_verdict(const void *a, const void *b)
{
	const struct announce_verdict *x = a, *y = b;
	return addr_cmp(&x->addr, &y->addr);
}

struct announce_verdict *
announce_verdict_find(struct announce_verdict *v, size_t n,
    const struct lvs_addr *a)
{
	struct announce_verdict key = { .addr = *a };
	return n > 0 ? bsearch(&key, v, n, sizeof(*v), cmp_verdict) : NULL;
}

/* Real servers of v with a weight above 0 in t (a sorry server: none). */
static unsigned
servers_up(const struct ipvs_table *t, const struct cfg_virtual *v)
{
	struct ipvs_service svc;
	desired_service(v, &svc);
	const struct ipvs_svc *s = ipvs_table_find_service(t, &svc);
	char sorry[CFG_NAME_MAX + 16];
	desired_sorry_label(v, sorry, sizeof(sorry));
	bool has_sorry = CFG_ISSET(v, CFG_V_SORRY_SERVER);
	unsigned up = 0;
	const struct ipvs_dst *e = NULL;
	while (s != NULL && (e = ipvs_svc_next_dest(s, e)) != NULL) {
		if (has_sorry && strcmp(ipvs_dst_label(e), sorry) == 0)
			return 0;	/* it stands in only when none is up */
		up += ipvs_dst_conf(e)->weight > 0;
	}
	return up;
}

static unsigned
servers_active(const struct cfg_virtual *v)
{
	unsigned n = 0;
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry)
		n += s->active;
	return n;
}

void
announce_verdicts(const struct cfg *cfg, const struct plan_failover *pf,
    const struct ipvs_table *t, struct announce_verdict *out)
{
	for (size_t i = 0; i < pf->nvips; i++)
		out[i] = (struct announce_verdict){ .addr = pf->vips[i].addr,
		    .want = true, .all_up = true };
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!v->active)
			continue;
		struct announce_verdict *a = announce_verdict_find(out,
		    pf->nvips, &v->address.addr);
		if (a == NULL)
			continue;
		unsigned up = servers_up(t, v);
		bool ok = up >= v->quorum;
		a->all_up = a->all_up && up == servers_active(v);
		if (a->virtual == NULL || (a->want && !ok)) {
			a->virtual = v->name;
			a->up = up;
			a->total = servers_active(v);
			a->quorum = v->quorum;
		}
		a->want = a->want && ok;
	}
}
