/*
 * Which lvs.cf key holds each address a VRRP instance moves: the
 * `address` of the virtual services on it (with its device label and
 * `vrrp = INSTANCE`), a fwmark service's `address`, or `nat_router`
 * (which lvs.cf's first instance holds).  An address none of them can
 * hold is reported: lvs.cf moves no other address.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_combine.h"

struct held {
	const struct imp_eff *e;
	struct imp_vip *v;
};

static struct held
find_vip(struct imp_eff *effs, size_t n, const struct lvs_addr *a)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < effs[i].nvips; k++)
			if (addr_eq(&effs[i].vips[k]->addr, a))
				return (struct held){ &effs[i], effs[i].vips[k] };
	return (struct held){ NULL, NULL };
}

/* The first address no key holds yet, of family af (AF_UNSPEC: any). */
static struct held
first_unused(struct imp_eff *effs, size_t n, sa_family_t af)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < effs[i].nvips; k++)
			if (!effs[i].vips[k]->used && (af == AF_UNSPEC ||
			    effs[i].vips[k]->addr.af == af))
				return (struct held){ &effs[i], effs[i].vips[k] };
	return (struct held){ NULL, NULL };
}

/* "ADDRESS DEVICE[:ALIAS]" as lvs.cf's address keys take it. */
static char *
address_value(struct imp_diags *d, const struct imp_site *p, struct held h)
{
	char a[LVS_ADDRSTRLEN];
	addr_fmt(&h.v->addr, a);
	const char *dev = h.v->label[0] ? h.v->label : h.v->dev[0] ? h.v->dev :
	    h.e->first->iface;
	if (dev == NULL) {
		dev = p->def.default_interface ? p->def.default_interface : "eth0";
		imp_note(d, &h.v->loc, "%s has no device and its instance no "
		    "interface: on %s, keepalived's default_interface", a, dev);
	}
	return xasprintf("%s %s", a, dev);
}

static void
hold(struct imp_diags *d, const struct imp_site *p, struct held h,
    struct out_block *v)
{
	char *val = address_value(d, p, h);
	out_set_first(v, "vrrp", h.e->name);
	if (h.v->plen >= 0) {
		char m[16];
		snprintf(m, sizeof(m), "%d", h.v->plen);
		out_set_first(v, "vip_nmask", m);
	}
	out_set_first(v, "address", val);
	free(val);
	h.v->used = true;
}

static void
place_fwmark(struct imp_diags *d, const struct imp_site *p,
    struct imp_eff *effs, size_t n, const struct imp_virtual *iv,
    struct out_block *v)
{
	struct held h = first_unused(effs, n, iv->af);
	if (h.v == NULL) {
		out_set_first(v, "address", iv->af == AF_INET6 ? "::" : "0.0.0.0");
		return;
	}
	char a[LVS_ADDRSTRLEN];
	imp_note(d, &h.v->loc, "%s is held with the fwmark %u service (lvs.cf "
	    "moves the addresses of its services): mark its traffic",
	    addr_fmt(&h.v->addr, a), iv->fwmark);
	hold(d, p, h, v);
}

/* The first instance's first address no service holds: nat_router. */
static void
place_rest(struct imp_diags *d, const struct imp_site *p, struct imp_eff *effs,
    size_t n, struct out_block *g)
{
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < effs[i].nvips; k++) {
			struct held h = { &effs[i], effs[i].vips[k] };
			if (h.v->used)
				continue;
			addr_fmt(&h.v->addr, a);
			if (i == 0 && out_get(g, "nat_router") == NULL) {
				char *val = address_value(d, p, h);
				out_set(g, "nat_router", "%s", val);
				if (h.v->plen >= 0)
					out_set(g, "nat_nmask", "%d", h.v->plen);
				free(val);
				imp_note(d, &h.v->loc, "%s is the address of no "
				    "virtual_server: it becomes `nat_router`, "
				    "which lvs.cf's first VRRP instance holds "
				    "(for NAT, the real servers' gateway)", a);
				h.v->used = true;
				continue;
			}
			imp_loss(d, &h.v->loc, "lvs.cf moves the addresses of its "
			    "virtual services and one `nat_router`: %s, the "
			    "address of no virtual_server, cannot be expressed", a);
		}
}

void
imp_place_addresses(struct imp_diags *d, struct imp_site *p,
    struct imp_eff *effs, size_t n, struct imp_result *out)
{
	out->virts = xcalloc(p->nvirts + 1, sizeof(*out->virts));
	for (size_t i = 0; i < p->nvirts; i++) {
		const struct imp_virtual *iv = &p->virts[i];
		struct out_block *v = &out->virts[out->nvirts++];
		out_block_copy(v, &iv->blk);
		if (iv->fwmark != 0)
			continue;
		struct held h = find_vip(effs, n, &iv->addr);
		if (h.v != NULL)
			hold(d, p, h, v);
		else {
			char a[LVS_ADDRSTRLEN];
			out_set_first(v, "address", addr_fmt(&iv->addr, a));
		}
	}
	for (size_t i = 0; i < p->nvirts; i++)
		if (p->virts[i].fwmark != 0)
			place_fwmark(d, p, effs, n, &p->virts[i], &out->virts[i]);
	place_rest(d, p, effs, n, &out->global);
}
