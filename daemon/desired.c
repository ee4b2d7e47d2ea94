#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "daemon/desired.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "daemon/override.h"
#include "lib/log.h"

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
desired_weight(const struct lvsd *d, const struct cfg_virtual *v,
    const struct cfg_server *s)
{
	if (!s->active)
		return -1;
	char label[512];
	snprintf(label, sizeof(label), "%s/%s", v->name, s->name);
	switch (override_get(d->overrides, label)) {
	case OVERRIDE_DISABLE:
		return -1;
	case OVERRIDE_DRAIN:
		return 0;
	case OVERRIDE_NONE:
		break;
	}
	const struct rs_health *h = health_lookup(d, v, s);
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
	snprintf(svc->sched, sizeof(svc->sched), "%s",
	    cfg_schedulers[v->scheduler]);
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

/* The sorry server stands in when no real server may take traffic. */
static void
add_sorry_server(struct ipvs_table *t, struct ipvs_svc *e,
    const struct cfg_virtual *v)
{
	struct ipvs_dest d;
	ipvs_dest_init(&d);
	d.addr = v->sorry_server.addr;
	d.port = v->sorry_server.port != 0 ? v->sorry_server.port : (uint16_t)v->port;
	d.fwd = IPVS_FWD_MASQ;
	d.weight = 1;
	char label[256];
	snprintf(label, sizeof(label), "%s/sorry_server", v->name);
	if (ipvs_table_add_dest(t, e, &d, label) == NULL)
		log_warn("virtual %s: sorry server not added", v->name);
}

static void
add_virtual(const struct lvsd *d, struct ipvs_table *t,
    const struct cfg_virtual *v)
{
	struct ipvs_service svc;
	desired_service(v, &svc);
	char label[256];
	snprintf(label, sizeof(label), "virtual %s", v->name);
	struct ipvs_svc *e = ipvs_table_add_service(t, &svc, label);
	if (e == NULL) {
		log_warn("virtual %s: not programmed", v->name);
		return;
	}
	unsigned n = 0;
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry) {
		int w = desired_weight(d, v, s);
		if (w < 0)
			continue;
		struct ipvs_dest dest;
		dest_of(s, w, &dest);
		snprintf(label, sizeof(label), "%s/%s", v->name, s->name);
		if (ipvs_table_add_dest(t, e, &dest, label) == NULL)
			log_warn("%s: not programmed", label);
		else if (w > 0)
			n++;
	}
	if (n == 0 && CFG_ISSET(v, CFG_V_SORRY_SERVER))
		add_sorry_server(t, e, v);
}

struct ipvs_table *
desired_table(const struct lvsd *d)
{
	struct ipvs_table *t = ipvs_table_new(d->cfg->nvirtuals);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry)
		if (v->active)
			add_virtual(d, t, v);
	return t;
}
