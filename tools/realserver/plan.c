/*
 * What a real server needs, decided from plain data (see rs.h).
 *
 * Direct routing (seed 003, "sysctl" method): the VIP on lo as a host
 * address, so the host accepts packets for it; arp_ignore=1 (answer ARP
 * only for addresses on the asking interface) and arp_announce=2 (never
 * use the VIP as the source of this host's own ARP requests) on `all` and
 * on the interfaces that carry traffic, so it never claims the VIP on the
 * wire.  The kernel applies the larger of `all` and the interface's value.
 *
 * Tunnelling: the director wraps each packet (IPIP, GUE or GRE) to this
 * host's own address.  The kernel's catch-all tunnel device (tunl0,
 * ip6tnl0, sit0, gre0, ip6gre0) must be up to unwrap it, a GUE listener
 * must hold the UDP port, and strict reverse-path filtering must be
 * relaxed on the device: the inner packet's source is the client, which
 * this host reaches through another interface.  Relaxed is not enough on
 * a device without an IPv4 address (the kernel then fails any filtering
 * but none), so an IPv4 VIP goes on the tunnel device itself, as in the
 * LVS HOWTO; an IPv6 VIP on lo.  The ARP settings apply too (a tunnelled
 * real server may share a segment with the router).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

const char *
rs_tun_name(enum rs_tun t)
{
	return t == RS_TUN_GUE ? "gue" : t == RS_TUN_GRE ? "gre" : "ipip";
}

int
rs_tun_device(enum rs_tun t, sa_family_t outer, sa_family_t inner,
    const char **dev, const char **kind)
{
	if (t == RS_TUN_GRE) {
		*dev = outer == AF_INET ? "gre0" : "ip6gre0";
		*kind = outer == AF_INET ? "gre" : "ip6gre";
		return 0;
	}
	if (outer == AF_INET) {
		*dev = inner == AF_INET ? "tunl0" : "sit0";
		*kind = inner == AF_INET ? "ipip" : "sit";
		return 0;
	}
	if (inner == AF_INET6) {
		*dev = "ip6tnl0";
		*kind = "ip6tnl";
		return 0;
	}
	return -1;	/* IPv4 in IPv6: ip6tnl0 only takes IPv6 inside */
}

const struct rs_link *
rs_host_link(const struct rs_host *h, const char *name)
{
	for (size_t i = 0; i < h->nlinks; i++)
		if (strcmp(h->links[i].name, name) == 0)
			return &h->links[i];
	return NULL;
}

bool
rs_host_has(const struct rs_host *h, const struct lvs_addr *a,
    const char **ifname)
{
	for (size_t i = 0; i < h->naddrs; i++)
		if (addr_eq(&h->addrs[i].addr, a)) {
			if (ifname != NULL)
				*ifname = h->addrs[i].ifname;
			return true;
		}
	return false;
}

void
rs_plan_add_iface(struct rs_plan *p, const char *ifname)
{
	if (strcmp(ifname, "lo") == 0)
		return;
	for (size_t i = 0; i < p->nifaces; i++)
		if (strcmp(p->ifaces[i], ifname) == 0)
			return;
	p->ifaces = xrealloc(p->ifaces, (p->nifaces + 1) * sizeof(*p->ifaces));
	p->ifaces[p->nifaces++] = xstrdup(ifname);
}

static bool
same_vip(const struct rs_vip *a, const struct rs_vip *b)
{
	return addr_eq(&a->vip, &b->vip) && a->mode == b->mode &&
	    (a->mode == RS_DR || (a->tun == b->tun && a->outer == b->outer &&
	    a->gue_port == b->gue_port));
}

/* Adds v (taking its why) or, for a VIP already there, appends the reason. */
static void
add_vip(struct rs_plan *p, struct rs_vip *v)
{
	for (size_t i = 0; i < p->nvips; i++) {
		struct rs_vip *o = &p->vips[i];
		if (!same_vip(o, v))
			continue;
		char *w = xasprintf("%s, %s", o->why, v->why);
		free(o->why);
		free(v->why);
		o->why = w;
		return;
	}
	p->vips = xrealloc(p->vips, (p->nvips + 1) * sizeof(*p->vips));
	p->vips[p->nvips++] = *v;
}

int
rs_select_cfg(struct rs_plan *p, const struct cfg *cfg, const struct rs_host *h,
    bool all, char *why, size_t whylen)
{
	const struct cfg_virtual *v;
	const struct cfg_server *s;
	size_t before = p->nvips;

	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!v->active || v->address.addr.af == AF_UNSPEC)
			continue;
		TAILQ_FOREACH(s, &v->servers, entry) {
			const char *ifname = NULL;
			char ab[LVS_ADDRSTRLEN];
			bool local = rs_host_has(h, &s->address, &ifname);

			if (s->network == CFG_FWD_NAT || (!all && !local))
				continue;
			struct rs_vip x = {
				.vip = v->address.addr,
				.mode = s->network == CFG_FWD_DIRECT ? RS_DR : RS_TUN,
				.tun = s->tunnel_type == CFG_TUN_GUE ? RS_TUN_GUE :
				    s->tunnel_type == CFG_TUN_GRE ? RS_TUN_GRE :
				    RS_TUN_IPIP,
				.gue_port = (uint16_t)s->tunnel_port,
				.outer = s->address.af,
				.why = xasprintf("%s/%s (%s)", v->name, s->name,
				    addr_fmt(&s->address, ab)),
			};
			add_vip(p, &x);
			if (local)
				rs_plan_add_iface(p, ifname);
		}
	}
	if (p->nvips > before)
		return 0;
	char list[256] = "";
	size_t n = 0;
	for (size_t i = 0; i < h->naddrs && n < 6; i++) {
		char ab[LVS_ADDRSTRLEN];
		size_t l = strlen(list);
		if (strcmp(h->addrs[i].ifname, "lo") == 0 ||
		    (h->addrs[i].addr.af == AF_INET6 &&
		    IN6_IS_ADDR_LINKLOCAL(&h->addrs[i].addr.u.v6)))
			continue;
		snprintf(list + l, sizeof(list) - l, "%s%s", n++ ? ", " : "",
		    addr_fmt(&h->addrs[i].addr, ab));
	}
	if (all)
		snprintf(why, whylen, "%s: no active direct-routing or tunnel "
		    "virtual service: nothing to set up", cfg->path);
	else
		snprintf(why, whylen, "%s: none of this host's addresses (%s) "
		    "is a direct-routing or tunnel real server there; give "
		    "--all for every such service, or the VIPs on the command "
		    "line", cfg->path, *list ? list : "none but on lo");
	return -1;
}

int
rs_select_arg(struct rs_plan *p, const char *text, enum rs_mode mode,
    enum rs_tun tun, uint16_t gue_port, char *why, size_t whylen)
{
	struct rs_vip x = { .mode = mode, .tun = tun, .gue_port = gue_port };

	if (addr_parse(text, &x.vip) < 0) {
		snprintf(why, whylen, "`%s`: expected a VIP, an IPv4 or IPv6 "
		    "address (host names are not resolved)", text);
		return -1;
	}
	x.outer = x.vip.af;
	x.why = xstrdup("the command line");
	add_vip(p, &x);
	return 0;
}

static void
add_item(struct rs_plan *p, const struct rs_item *it)
{
	for (size_t i = 0; i < p->nitems; i++) {
		const struct rs_item *o = &p->items[i];
		if (o->kind == it->kind && strcmp(o->ifname, it->ifname) == 0 &&
		    strcmp(o->key, it->key) == 0 && addr_eq(&o->addr, &it->addr) &&
		    o->port == it->port && o->af == it->af) {
			free(it->why);
			return;
		}
	}
	/* Kept sorted by kind, stable: the apply order. */
	size_t at = p->nitems;
	while (at > 0 && p->items[at - 1].kind > it->kind)
		at--;
	p->items = xrealloc(p->items, (p->nitems + 1) * sizeof(*p->items));
	memmove(&p->items[at + 1], &p->items[at],
	    (p->nitems - at) * sizeof(*p->items));
	p->items[at] = *it;
	p->nitems++;
}

static void
add_sysctl(struct rs_plan *p, const char *dev, const char *name,
    const char *value, const char *accept, bool with_all, const char *why)
{
	struct rs_item it = { .kind = RS_SYSCTL, .with_all = with_all };

	snprintf(it.key, sizeof(it.key), "net/ipv4/conf/%s/%s", dev, name);
	snprintf(it.value, sizeof(it.value), "%s", value);
	snprintf(it.accept, sizeof(it.accept), "%s", accept);
	it.why = xstrdup(why);
	add_item(p, &it);
}

static void
add_problem(struct rs_plan *p, char *sentence)
{
	for (size_t i = 0; i < p->nproblems; i++)
		if (strcmp(p->problems[i], sentence) == 0) {
			free(sentence);
			return;
		}
	p->problems = xrealloc(p->problems,
	    (p->nproblems + 1) * sizeof(*p->problems));
	p->problems[p->nproblems++] = sentence;
}

static void
arp_items(struct rs_plan *p)
{
	add_sysctl(p, "all", "arp_ignore", "1", "12", false,
	    "answer ARP only for addresses of the asking interface");
	add_sysctl(p, "all", "arp_announce", "2", "2", false,
	    "never announce the VIP in this host's own ARP requests");
	for (size_t i = 0; i < p->nifaces; i++) {
		add_sysctl(p, p->ifaces[i], "arp_ignore", "1", "12", false,
		    "the same on an interface that carries traffic");
		add_sysctl(p, p->ifaces[i], "arp_announce", "2", "2", false,
		    "the same on an interface that carries traffic");
	}
}

/* The device, the GUE listener, rp_filter; *devp: where the VIP goes. */
static void
tunnel_items(struct rs_plan *p, const struct rs_vip *v, const char **devp)
{
	const char *dev, *kind;
	char ab[LVS_ADDRSTRLEN];

	*devp = NULL;
	if (rs_tun_device(v->tun, v->outer, v->vip.af, &dev, &kind) < 0) {
		add_problem(p, xasprintf("%s: an IPv4 VIP tunnelled to an IPv6 "
		    "address (%s) cannot be received: the kernel's catch-all "
		    "ip6tnl0 takes IPv6 inside only", addr_fmt(&v->vip, ab),
		    v->why));
		return;
	}
	*devp = dev;
	struct rs_item it = { .kind = RS_LINK };
	snprintf(it.ifname, sizeof(it.ifname), "%s", dev);
	snprintf(it.link_kind, sizeof(it.link_kind), "%s", kind);
	it.why = xasprintf("unwraps the director's %s packets", rs_tun_name(v->tun));
	add_item(p, &it);
	if (v->tun == RS_TUN_GUE) {
		struct rs_item f = { .kind = RS_FOU, .port = v->gue_port,
		    .af = v->outer };
		f.why = xstrdup("receives GUE and hands the inner packet to the "
		    "tunnel device");
		add_item(p, &f);
	}
	if (v->vip.af == AF_INET)
		add_sysctl(p, dev, "rp_filter", "2", "02", true,
		    "strict reverse-path filtering drops unwrapped packets "
		    "(their source is the client)");
}

/* The VIP elsewhere than on lo as a host address: apply leaves it alone. */
static void
vip_problems(struct rs_plan *p, const struct rs_host *h, const struct rs_vip *v,
    const char *tundev)
{
	char ab[LVS_ADDRSTRLEN];

	for (size_t i = 0; i < h->naddrs; i++) {
		const struct rs_hostaddr *a = &h->addrs[i];
		if (!addr_eq(&a->addr, &v->vip))
			continue;
		if (strcmp(a->ifname, "lo") == 0 && a->plen != addr_max_prefix(a->addr.af))
			add_problem(p, xasprintf("%s/%u is on lo: the whole prefix "
			    "is then local to this host; replace it with %s/%u "
			    "(ip addr del %s/%u dev lo)", addr_fmt(&a->addr, ab),
			    a->plen, ab, addr_max_prefix(a->addr.af), ab, a->plen));
		else if (strcmp(a->ifname, "lo") != 0 &&
		    (tundev == NULL || strcmp(a->ifname, tundev) != 0))
			add_problem(p, xasprintf("%s is also on %s: this host "
			    "answers %s for it there whatever arp_ignore says; "
			    "remove it (ip addr del %s/%u dev %s)",
			    addr_fmt(&a->addr, ab), a->ifname,
			    a->addr.af == AF_INET ? "ARP" : "neighbour solicitations",
			    ab, a->plen, a->ifname));
	}
}

static bool
is_vip(const struct rs_plan *p, const struct lvs_addr *a)
{
	for (size_t i = 0; i < p->nvips; i++)
		if (addr_eq(&p->vips[i].vip, a))
			return true;
	return false;
}

/* Without --interface or a file: every up interface with an IPv4 address. */
static void
default_ifaces(struct rs_plan *p, const struct rs_host *h)
{
	for (size_t i = 0; i < h->naddrs; i++) {
		const struct rs_link *l = rs_host_link(h, h->addrs[i].ifname);
		if (h->addrs[i].addr.af == AF_INET && l != NULL && l->up &&
		    !l->loopback && !is_vip(p, &h->addrs[i].addr))
			rs_plan_add_iface(p, h->addrs[i].ifname);
	}
}

void
rs_plan_build(struct rs_plan *p, const struct rs_host *h)
{
	bool any4 = false;

	for (size_t i = 0; i < p->nvips; i++)
		any4 |= p->vips[i].vip.af == AF_INET;
	if (any4 && p->nifaces == 0)
		default_ifaces(p, h);
	if (any4)
		arp_items(p);
	for (size_t i = 0; i < p->nvips; i++) {
		const struct rs_vip *v = &p->vips[i];
		const char *tundev = NULL;

		if (v->mode == RS_TUN)
			tunnel_items(p, v, &tundev);
		struct rs_item it = { .kind = RS_ADDR, .addr = v->vip,
		    .plen = addr_max_prefix(v->vip.af) };
		snprintf(it.ifname, sizeof(it.ifname), "%s", tundev != NULL &&
		    v->vip.af == AF_INET ? tundev : "lo");
		it.why = xasprintf("the VIP of %s", v->why);
		add_item(p, &it);
		vip_problems(p, h, v, tundev);
	}
}

void
rs_plan_free(struct rs_plan *p)
{
	for (size_t i = 0; i < p->nvips; i++)
		free(p->vips[i].why);
	for (size_t i = 0; i < p->nifaces; i++)
		free(p->ifaces[i]);
	for (size_t i = 0; i < p->nitems; i++)
		free(p->items[i].why);
	for (size_t i = 0; i < p->nproblems; i++)
		free(p->problems[i]);
	free(p->vips);
	free(p->ifaces);
	free(p->items);
	free(p->problems);
	memset(p, 0, sizeof(*p));
}
