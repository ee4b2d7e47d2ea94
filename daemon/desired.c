#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "daemon/desired.h"
#include "lib/log.h"
#include "lib/xalloc.h"

static const uint16_t proto_numbers[] = {
	[CFG_PROTO_TCP] = IPPROTO_TCP,
	[CFG_PROTO_UDP] = IPPROTO_UDP,
	[CFG_PROTO_SCTP] = IPPROTO_SCTP,
};
static const enum ipvs_fwd fwd_methods[] = {
	[CFG_FWD_NAT] = IPVS_FWD_MASQ,
	[CFG_FWD_DIRECT] = IPVS_FWD_ROUTE,
	[CFG_FWD_TUNNEL] = IPVS_FWD_TUNNEL,
};
static const uint8_t tunnel_types[] = {
	[CFG_TUN_IPIP] = IPVS_TUN_IPIP,
	[CFG_TUN_GUE] = IPVS_TUN_GUE,
	[CFG_TUN_GRE] = IPVS_TUN_GRE,
};
static const uint16_t tunnel_csums[] = {
	[CFG_TUN_CSUM_NONE] = 0,
	[CFG_TUN_CSUM] = IPVS_TUN_F_CSUM,
	[CFG_TUN_REMCSUM] = IPVS_TUN_F_REMCSUM,
};

int
desired_weight(const struct desired_inputs *in, const struct cfg_virtual *v,
    const struct cfg_server *s)
{
	if (!v->active || !s->active)
		return -1;
	switch (override_get(in->overrides, s->id)) {
	case OVERRIDE_DISABLE:
		return -1;
	case OVERRIDE_DRAIN:
		return 0;
	case OVERRIDE_NONE:
	case OVERRIDE_WITHDRAW:		/* the director's, never a server's */
		break;
	}
	const struct rs_state *h = in->health != NULL ?
	    in->health(in->health_ctx, s) : NULL;
	if (h != NULL && !h->up)
		return v->quiesce_server ? 0 : -1;
	if (h != NULL && h->dyn_weight >= 0)
		return h->dyn_weight;
	return (int)s->weight;
}

void
desired_service(const struct cfg_virtual *v, struct ipvs_service *svc)
{
	ipvs_service_init(svc, v->address.addr.af);
	if (v->fwmark != 0)
		svc->fwmark = v->fwmark;
	else {
		svc->protocol = proto_numbers[v->protocol];
		svc->addr = v->address.addr;
		svc->port = (uint16_t)v->port;
	}
	/* scheduler names are short (cfg/keys.c), and the field is zeroed */
	strncpy(svc->sched, cfg_schedulers[v->scheduler],
	    sizeof(svc->sched) - 1);
	if (v->persistent != 0) {
		svc->flags |= IPVS_SVC_PERSISTENT;
		svc->timeout = v->persistent;
		if (CFG_ISSET(v, CFG_V_PMASK))
			svc->netmask_plen = v->pmask.prefix;
	}
	if (v->persistence_engine == CFG_PE_SIP)
		snprintf(svc->pe_name, sizeof(svc->pe_name), "sip");
	if (v->one_packet)
		svc->flags |= IPVS_SVC_ONEPACKET;
	if (v->hash_fallback)
		svc->flags |= IPVS_SVC_SCHED1;
	if (v->hash_port)
		svc->flags |= IPVS_SVC_SCHED2;
}

static void
dest_of(const struct cfg_server *s, int weight, struct ipvs_dest *d)
{
	ipvs_dest_init(d);
	d->addr = s->address;
	d->port = (uint16_t)s->port;
	d->fwd = fwd_methods[s->network];
	d->weight = weight;
	d->u_thresh = s->uthreshold;
	d->l_thresh = s->lthreshold;
	if (s->network == CFG_FWD_TUNNEL) {
		d->tun_type = tunnel_types[s->tunnel_type];
		d->tun_port = (uint16_t)s->tunnel_port;
		d->tun_flags = tunnel_csums[s->tunnel_csum];
	}
}

/* "web/sorry_server", for logs: the names fit, nothing is cut. */
void
desired_sorry_label(const struct cfg_virtual *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s/sorry_server", v->name);
}

static void
sorry_dest(const struct cfg_virtual *v, struct ipvs_dest *d)
{
	ipvs_dest_init(d);
	d->addr = v->sorry_server.addr;
	d->port = v->sorry_server.port != 0 ? v->sorry_server.port :
	    (uint16_t)v->port;
	d->fwd = IPVS_FWD_MASQ;
	d->weight = 1;
}

/* Adds v's service and its servers at their desired weights. */
static struct ipvs_svc *
add_virtual(struct ipvs_table *t, const struct cfg_virtual *v,
    const struct desired_inputs *in, unsigned *nup)
{
	struct ipvs_service svc;
	desired_service(v, &svc);
	struct ipvs_svc *e = ipvs_table_add_service(t, &svc, v->name);
	if (e == NULL)
		return NULL;
	*nup = 0;
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry) {
		int w = desired_weight(in, v, s);
		if (w < 0)
			continue;
		struct ipvs_dest dest;
		dest_of(s, w, &dest);
		if (ipvs_table_add_dest(t, e, &dest, s->id) == NULL)
			log_warn("%s: not programmed", s->id);	/* see desired_check */
		else if (w > 0)
			(*nup)++;
	}
	return e;
}

/* Adds v (active) to t with its sorry server when no server may take
 * traffic. */
static void
add_virtual_or_sorry(struct ipvs_table *t, const struct cfg_virtual *v,
    const struct desired_inputs *in)
{
	unsigned nup;
	struct ipvs_svc *e = add_virtual(t, v, in, &nup);
	if (e == NULL) {
		log_warn("virtual %s: not programmed", v->name);
		return;
	}
	if (nup > 0 || !CFG_ISSET(v, CFG_V_SORRY_SERVER))
		return;
	/* The sorry server stands in when no real server may take traffic. */
	struct ipvs_dest d;
	sorry_dest(v, &d);
	char label[CFG_NAME_MAX + 16];
	desired_sorry_label(v, label, sizeof(label));
	if (ipvs_table_add_dest(t, e, &d, label) == NULL)
		log_warn("virtual %s: sorry server not added", v->name);
}

struct ipvs_table *
desired_table(const struct desired_inputs *in)
{
	struct ipvs_table *t = ipvs_table_new(in->cfg->nvirtuals);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &in->cfg->virtuals, entry)
		if (v->active)
			add_virtual_or_sorry(t, v, in);
	return t;
}

struct ipvs_table *
desired_virtual(const struct desired_inputs *in, const struct cfg_virtual *v)
{
	struct ipvs_table *t = ipvs_table_new(1);
	if (v->active)
		add_virtual_or_sorry(t, v, in);
	return t;
}

/* ---- what the kernel may ever be asked to hold ------------------------ */

/*
 * What the kernel would refuse of a service, the module's own table
 * decides: each service goes into a scratch table, renewed every
 * SCRATCH_SERVICES services so a large file costs little memory.  Services
 * that duplicate one another are found across the whole file by their
 * kernel key (ipvs_service_key_eq), in a set of their own.  A real server
 * of a valid lvs.cf can be refused for one reason only (the table's other
 * refusals are of values lvs.cf cannot write: a family, a negative
 * weight, a forwarding method): the kernel files it under the same
 * address and port as another of its service's, found here by comparing
 * (hashing, for a service of many servers).
 */
#define SCRATCH_SERVICES 256
#define PAIRWISE_DESTS 16

/* One real server of the service being checked. */
struct dest_seen {
	struct lvs_addr addr;
	uint16_t port;			/* as the kernel files it */
	uint32_t hash;
	const char *label;
};

struct check_ctx {
	struct cfg_diags *diags;
	unsigned errors;
	struct ipvs_table *scratch;
	size_t nscratch;
	/* the services seen, by kernel key: open addressing, 3/4 full */
	const struct cfg_virtual **seen;
	uint32_t *hashes;
	size_t mask;
	/* the current service's real servers, and a set of them */
	struct dest_seen *dests;
	size_t ndests, capdests;
	uint32_t *dslot;		/* index + 1 into dests; 0: free */
	size_t dmask;
};

static uint32_t
key_hash(const struct ipvs_service *k)
{
	uint32_t w[] = { k->af, k->fwmark, k->fwmark ? 0 : k->protocol,
	    k->fwmark ? 0 : k->port };
	uint32_t h = cfg_hash_bytes(w, sizeof(w), CFG_HASH_SEED);
	if (k->fwmark == 0)
		h = cfg_hash_bytes(&k->addr.u, addr_len(&k->addr), h);
	return h;
}

/* True when a service with the kernel key of v's (svc) was seen before. */
static bool
seen_service(struct check_ctx *c, const struct cfg_virtual *v,
    const struct ipvs_service *svc)
{
	uint32_t h = key_hash(svc);
	size_t j = h & c->mask;
	for (; c->seen[j] != NULL; j = (j + 1) & c->mask) {
		if (c->hashes[j] != h)
			continue;
		struct ipvs_service other;
		desired_service(c->seen[j], &other);
		if (ipvs_service_key_eq(&other, svc))
			return true;
	}
	c->seen[j] = v;
	c->hashes[j] = h;
	return false;
}

/* The port the kernel files d under: DR and tunnels keep the service's. */
static uint16_t
kernel_port(const struct cfg_virtual *v, const struct ipvs_dest *d)
{
	return v->fwmark == 0 && d->fwd != IPVS_FWD_MASQ ? (uint16_t)v->port :
	    d->port;
}

/* The real server of the current service filed as x was, if any. */
static const struct dest_seen *
dest_clash(struct check_ctx *c, const struct dest_seen *x)
{
	if (c->dslot == NULL) {
		for (size_t i = 0; i < c->ndests; i++)
			if (c->dests[i].port == x->port &&
			    addr_eq(&c->dests[i].addr, &x->addr))
				return &c->dests[i];
		return NULL;
	}
	size_t j = x->hash & c->dmask;
	for (; c->dslot[j] != 0; j = (j + 1) & c->dmask) {
		const struct dest_seen *y = &c->dests[c->dslot[j] - 1];
		if (y->hash == x->hash && y->port == x->port &&
		    addr_eq(&y->addr, &x->addr))
			return y;
	}
	c->dslot[j] = (uint32_t)c->ndests + 1;	/* x goes there next */
	return NULL;
}

static void
check_dest(struct check_ctx *c, const struct cfg_virtual *v,
    const struct ipvs_dest *d, const char *label, const struct cfg_loc *loc)
{
	struct dest_seen x = { .addr = d->addr, .port = kernel_port(v, d),
	    .label = label };
	if (c->dslot != NULL)
		x.hash = cfg_hash_bytes(&x.addr.u, addr_len(&x.addr),
		    cfg_hash_bytes(&x.port, sizeof(x.port), CFG_HASH_SEED));
	const struct dest_seen *other = dest_clash(c, &x);
	if (other == NULL) {
		c->dests[c->ndests++] = x;
		return;
	}
	c->errors++;
	char buf[LVS_ADDRPORTSTRLEN];
	cfg_diag(c->diags, CFG_ERROR, loc, "`%s`: the kernel would see it as "
	    "the same real server as `%s` (%s)%s", label, other->label,
	    addr_port_fmt(&d->addr, x.port, buf), x.port != d->port ?
	    ": direct routing and tunnelling keep the service's port" : "");
}

/* False after reporting that the kernel would refuse v's service. */
static bool
check_service(struct check_ctx *c, const struct cfg_virtual *v)
{
	struct ipvs_service svc;
	desired_service(v, &svc);
	if (c->nscratch++ == SCRATCH_SERVICES) {
		ipvs_table_free(c->scratch);
		c->scratch = ipvs_table_new(SCRATCH_SERVICES);
		c->nscratch = 1;
	}
	struct ipvs_svc *e = ipvs_table_add_service(c->scratch, &svc, NULL);
	bool invalid = e == NULL && errno != EEXIST;
	if (!invalid && !seen_service(c, v, &svc))
		return true;
	cfg_diag(c->diags, CFG_ERROR, &v->loc, "virtual `%s`: the kernel "
	    "would refuse this service (%s)", v->name, !invalid ?
	    "it duplicates another virtual's" : "check its address, "
	    "protocol, scheduler and pmask");
	c->errors++;
	return false;
}

/* Room for n real servers (and the sorry server) of one service. */
static void
dests_reset(struct check_ctx *c, size_t n)
{
	c->ndests = 0;
	if (n + 1 > c->capdests) {
		c->capdests = n + 1;
		c->dests = xrealloc(c->dests, c->capdests * sizeof(*c->dests));
	}
	free(c->dslot);
	c->dslot = NULL;
	if (n + 1 <= PAIRWISE_DESTS)
		return;
	for (c->dmask = 15; c->dmask + 1 < 2 * (n + 1); )
		c->dmask = c->dmask * 2 + 1;
	c->dslot = xcalloc(c->dmask + 1, sizeof(*c->dslot));
}

static void
check_virtual(struct check_ctx *c, const struct cfg_virtual *v)
{
	if (!check_service(c, v))
		return;
	dests_reset(c, v->nservers);
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry) {
		if (!s->active)
			continue;
		struct ipvs_dest d;
		dest_of(s, (int)s->weight, &d);
		check_dest(c, v, &d, s->id, &s->loc);
	}
	if (CFG_ISSET(v, CFG_V_SORRY_SERVER)) {
		struct ipvs_dest d;
		sorry_dest(v, &d);
		char label[CFG_NAME_MAX + 16];
		desired_sorry_label(v, label, sizeof(label));
		check_dest(c, v, &d, label, CFG_LOC(v, CFG_V_SORRY_SERVER));
	}
}

unsigned
desired_check(const struct cfg *cfg, struct cfg_diags *diags)
{
	struct check_ctx c = { .diags = diags, .mask = 15 };
	while ((c.mask + 1) * 3 < 4 * (size_t)cfg->nvirtuals)
		c.mask = c.mask * 2 + 1;
	c.seen = xcalloc(c.mask + 1, sizeof(*c.seen));
	c.hashes = xmalloc((c.mask + 1) * sizeof(*c.hashes));
	c.scratch = ipvs_table_new(SCRATCH_SERVICES);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (v->active)
			check_virtual(&c, v);
	ipvs_table_free(c.scratch);
	free(c.seen);
	free(c.hashes);
	free(c.dests);
	free(c.dslot);
	return c.errors;
}
