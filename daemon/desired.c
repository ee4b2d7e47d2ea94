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
static void
sorry_label(const struct cfg_virtual *v, char *buf, size_t len)
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

struct ipvs_table *
desired_table(const struct desired_inputs *in)
{
	struct ipvs_table *t = ipvs_table_new(in->cfg->nvirtuals);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &in->cfg->virtuals, entry) {
		if (!v->active)
			continue;
		unsigned nup;
		struct ipvs_svc *e = add_virtual(t, v, in, &nup);
		if (e == NULL) {
			log_warn("virtual %s: not programmed", v->name);
			continue;
		}
		if (nup > 0 || !CFG_ISSET(v, CFG_V_SORRY_SERVER))
			continue;
		/* The sorry server stands in when no real server may take
		 * traffic. */
		struct ipvs_dest d;
		sorry_dest(v, &d);
		char label[CFG_NAME_MAX + 16];
		sorry_label(v, label, sizeof(label));
		if (ipvs_table_add_dest(t, e, &d, label) == NULL)
			log_warn("virtual %s: sorry server not added", v->name);
	}
	return t;
}

/* ---- what the kernel may ever be asked to hold ------------------------ */

/*
 * The module's own table decides what the kernel would refuse: each
 * service and its real servers go into a scratch table, renewed every
 * SCRATCH_SERVICES services so a large file costs little memory.  Services
 * that duplicate one another are found across the whole file by their
 * kernel key (ipvs_service_key_eq), in a set of their own.
 */
#define SCRATCH_SERVICES 256

struct check_ctx {
	struct cfg_diags *diags;
	unsigned errors;
	struct ipvs_table *scratch;
	size_t nscratch;
	/* the services seen, by kernel key: open addressing */
	const struct cfg_virtual **seen;
	uint32_t *hashes;		/* 0: a free slot */
	size_t mask;
};

static uint32_t
key_hash(const struct ipvs_service *k)
{
	uint32_t w[] = { k->af, k->fwmark, k->fwmark ? 0 : k->protocol,
	    k->fwmark ? 0 : k->port };
	uint32_t h = cfg_hash_bytes(w, sizeof(w), CFG_HASH_SEED);
	if (k->fwmark == 0)
		h = cfg_hash_bytes(&k->addr.u, addr_len(&k->addr), h);
	return h | 1;
}

/* True when a service with the kernel key of v's (svc) was seen before. */
static bool
seen_service(struct check_ctx *c, const struct cfg_virtual *v,
    const struct ipvs_service *svc)
{
	uint32_t h = key_hash(svc);
	size_t j = h & c->mask;
	for (; c->hashes[j] != 0; j = (j + 1) & c->mask) {
		if (c->hashes[j] != h)
			continue;
		struct ipvs_service other;
		desired_service(c->seen[j], &other);
		if (ipvs_service_key_eq(&other, svc))
			return true;
	}
	c->hashes[j] = h;
	c->seen[j] = v;
	return false;
}

/* The port the kernel files d under: DR and tunnels keep the service's. */
static uint16_t
kernel_port(const struct cfg_virtual *v, const struct ipvs_dest *d)
{
	return v->fwmark == 0 && d->fwd != IPVS_FWD_MASQ ? (uint16_t)v->port :
	    d->port;
}

/* The label of v's first active server the kernel files as addr:port. */
static const char *
first_at(const struct cfg_virtual *v, const struct lvs_addr *addr,
    uint16_t port)
{
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry) {
		if (!s->active)
			continue;
		struct ipvs_dest d;
		dest_of(s, (int)s->weight, &d);
		if (addr_eq(&d.addr, addr) && kernel_port(v, &d) == port)
			return s->id;
	}
	return "?";
}

static void
check_dest(struct check_ctx *c, struct ipvs_svc *e,
    const struct cfg_virtual *v, const struct ipvs_dest *d,
    const char *label, const struct cfg_loc *loc)
{
	if (ipvs_table_add_dest(c->scratch, e, d, NULL) != NULL)
		return;
	c->errors++;
	if (errno != EEXIST) {
		cfg_diag(c->diags, CFG_ERROR, loc, "`%s`: not a real server the "
		    "kernel accepts", label);
		return;
	}
	char buf[LVS_ADDRPORTSTRLEN];
	uint16_t port = kernel_port(v, d);
	cfg_diag(c->diags, CFG_ERROR, loc, "`%s`: the kernel would see it as "
	    "the same real server as `%s` (%s)%s", label,
	    first_at(v, &d->addr, port), addr_port_fmt(&d->addr, port, buf),
	    port != d->port ? ": direct routing and tunnelling "
	    "keep the service's port" : "");
}

/* The service of v in the scratch table, or NULL after reporting. */
static struct ipvs_svc *
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
		return e;
	cfg_diag(c->diags, CFG_ERROR, &v->loc, "virtual `%s`: the kernel "
	    "would refuse this service (%s)", v->name, !invalid ?
	    "it duplicates another virtual's" : "check its address, "
	    "protocol, scheduler and pmask");
	c->errors++;
	return NULL;
}

static void
check_virtual(struct check_ctx *c, const struct cfg_virtual *v)
{
	struct ipvs_svc *e = check_service(c, v);
	if (e == NULL)
		return;
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry) {
		if (!s->active)
			continue;
		struct ipvs_dest d;
		dest_of(s, (int)s->weight, &d);
		check_dest(c, e, v, &d, s->id, &s->loc);
	}
	if (CFG_ISSET(v, CFG_V_SORRY_SERVER)) {
		struct ipvs_dest d;
		sorry_dest(v, &d);
		char label[CFG_NAME_MAX + 16];
		sorry_label(v, label, sizeof(label));
		check_dest(c, e, v, &d, label, CFG_LOC(v, CFG_V_SORRY_SERVER));
	}
}

unsigned
desired_check(const struct cfg *cfg, struct cfg_diags *diags)
{
	struct check_ctx c = { .diags = diags, .mask = 15 };
	while (c.mask + 1 < 2 * (size_t)cfg->nvirtuals)
		c.mask = c.mask * 2 + 1;
	c.seen = xmalloc((c.mask + 1) * sizeof(*c.seen));
	c.hashes = xcalloc(c.mask + 1, sizeof(*c.hashes));
	c.scratch = ipvs_table_new(SCRATCH_SERVICES);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (v->active)
			check_virtual(&c, v);
	ipvs_table_free(c.scratch);
	free(c.seen);
	free(c.hashes);
	return c.errors;
}
