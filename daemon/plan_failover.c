/*
 * The failover part of the plan: lvs.cf's vrrp blocks (or piranha's pulse
 * settings, or nothing: a lone director) and this node's role turned into
 * the vrrp module's plain-data configurations, each checked by the module's
 * own rules with every problem located at the key that set it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/plan.h"
#include "lib/xalloc.h"

/* Growable array of the addresses one instance holds. */
struct vip_list {
	struct vrrp_vip *v;
	size_t n, cap;
};

static void
vip_add(struct vip_list *l, const struct lvs_addr *a, const struct cfg_mask *m,
    bool mask_set, const char *label)
{
	if (l->n == l->cap)
		l->v = xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 8) *
		    sizeof(*l->v));
	struct vrrp_vip *v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->addr = *a;
	v->plen = (uint8_t)(mask_set ? m->prefix : addr_max_prefix(a->af));
	/* labels are at most IFNAMSIZ - 1 characters (cfg/types.c) */
	size_t dev = strcspn(label, ":"), len = strlen(label);
	memcpy(v->ifname, label, dev < sizeof(v->ifname) ? dev :
	    sizeof(v->ifname) - 1);
	if (label[dev] == ':' && a->af == AF_INET)
		memcpy(v->label, label, len < sizeof(v->label) ? len :
		    sizeof(v->label) - 1);
}

static int
cmp_vip(const void *a, const void *b)
{
	const struct vrrp_vip *x = a, *y = b;
	int r = addr_cmp(&x->addr, &y->addr);
	return r != 0 ? r : strcmp(x->label, y->label);
}

/*
 * Sorted, one entry per address (web and ftp share theirs): O(n log n),
 * as 10,000 services must not cost 50 million comparisons, and a
 * canonical order lets a reload compare two lists with memcmp.
 */
static void
vip_dedupe(struct vip_list *l)
{
	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_vip);
	size_t k = 1;
	for (size_t i = 1; i < l->n; i++)
		if (!addr_eq(&l->v[i].addr, &l->v[k - 1].addr))
			l->v[k++] = l->v[i];
	l->n = k;
}

/* The addresses of instance r (NULL: every address, pulse and lone). */
static void
collect_vips(const struct cfg *cfg, const struct cfg_vrrp *r,
    struct vip_list *l)
{
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!v->active || v->address.label[0] == '\0')
			continue;	/* no device: the system holds it */
		if (r != NULL && v->vrrp_instance != r)
			continue;
		vip_add(l, &v->address.addr, &v->vip_nmask,
		    CFG_ISSET(v, CFG_V_VIP_NMASK), v->address.label);
	}
	const struct cfg_global *g = &cfg->global;
	if (CFG_ISSET(g, CFG_G_NAT_ROUTER) && g->nat_router.label[0] != '\0' &&
	    (r == NULL || r == TAILQ_FIRST(&cfg->vrrps)))
		vip_add(l, &g->nat_router.addr, &g->nat_nmask, true,
		    g->nat_router.label);
	vip_dedupe(l);
}

static void
add_link(struct vrrp_link_watch *w, size_t *n, const char *dev)
{
	if (dev == NULL || dev[0] == '\0')
		return;
	for (size_t j = 0; j < *n; j++)
		if (strcmp(w[j].ifname, dev) == 0)
			return;
	snprintf(w[(*n)++].ifname, IFNAMSIZ, "%s", dev);
}

/* Devices whose links decide a fault (monitor_links), or NULL. */
static struct vrrp_link_watch *
collect_links(const struct cfg *cfg, const struct vip_list *l,
    const char *ifname, size_t *n)
{
	*n = 0;
	if (!cfg->global.monitor_links)
		return NULL;
	struct vrrp_link_watch *w = xcalloc(l->n + 1, sizeof(*w));
	add_link(w, n, ifname);
	for (size_t i = 0; i < l->n; i++)
		add_link(w, n, l->v[i].ifname);
	return w;
}

static const struct lvs_addr *
other_director(const struct cfg *cfg, enum node_role role, bool private)
{
	const struct cfg_global *g = &cfg->global;
	bool primary = role != NODE_ROLE_BACKUP;
	if (private)
		return primary ? &g->backup_private : &g->primary_private;
	return primary ? &g->backup : &g->primary;
}

/* ---- problems, located at the key that set them ----------------------- */

struct locate {
	struct cfg_diags *diags;
	const struct cfg *cfg;
	const struct cfg_vrrp *r;	/* NULL: pulse */
	enum node_role role;
};

/* Where key k of a vrrp block was set, else the block's own line. */
static struct cfg_loc
key_loc(const struct cfg_vrrp *r, unsigned k)
{
	return CFG_ISSET(r, k) ? *CFG_LOC(r, k) : r->loc;
}

static struct cfg_loc
vrrp_field_loc(const struct locate *lc, enum vrrp_field f)
{
	const struct cfg_vrrp *r = lc->r;
	int k;
	switch (f) {
	case VRRP_F_VRID: k = CFG_R_VRID; break;
	case VRRP_F_VERSION:
	case VRRP_F_FAMILY: k = CFG_R_VERSION; break;
	case VRRP_F_INTERFACE: k = CFG_R_INTERFACE; break;
	case VRRP_F_PRIORITY: k = lc->role == NODE_ROLE_BACKUP ?
	    CFG_R_PRIORITY_BACKUP : CFG_R_PRIORITY_PRIMARY; break;
	case VRRP_F_ADVERT: k = CFG_R_ADVERT_INT; break;
	case VRRP_F_HANDOFF: k = CFG_R_HANDOFF_DELAY; break;
	case VRRP_F_AUTH: k = CFG_R_AUTH_PASS; break;
	case VRRP_F_PEERS: k = CFG_R_UNICAST; break;
	case VRRP_F_LINK_LOCAL: k = CFG_R_LINK_LOCAL; break;
	case VRRP_F_SENDERS: k = CFG_R_PEERS; break;
	default:
		return r->loc;	/* the block: its name, its addresses */
	}
	return key_loc(r, (unsigned)k);
}

static struct cfg_loc
pulse_field_loc(const struct locate *lc, enum vrrp_field f)
{
	static const struct cfg_loc top = { NULL, 1, 1 };
	const struct cfg_global *g = &lc->cfg->global;
	int k = f == VRRP_F_KEEPALIVE ? CFG_G_KEEPALIVE :
	    f == VRRP_F_DEADTIME ? CFG_G_DEADTIME :
	    f == VRRP_F_PORT ? CFG_G_HEARTBEAT_PORT :
	    f == VRRP_F_PARTNER ? (lc->role == NODE_ROLE_BACKUP ? CFG_G_PRIMARY :
	    CFG_G_BACKUP) : CFG_G_BACKUP_ACTIVE;
	if (CFG_ISSET(g, k))
		return *CFG_LOC(g, k);
	if (CFG_ISSET(g, CFG_G_BACKUP_ACTIVE))
		return *CFG_LOC(g, CFG_G_BACKUP_ACTIVE);
	return top;
}

static void
on_problem(void *arg, enum vrrp_field f, const char *msg)
{
	const struct locate *lc = arg;
	if (lc->r != NULL) {
		struct cfg_loc at = vrrp_field_loc(lc, f);
		cfg_diag(lc->diags, CFG_ERROR, &at,
		    "vrrp `%s`: %s%s", lc->r->name, msg, f != VRRP_F_SENDERS ?
		    "" : lc->r->af == AF_INET6 ? ": IPv6 adverts come from "
		    "link-local addresses, which `primary` and `backup` do not "
		    "give; list every director's in `peers` (`peers = fe80::1 "
		    "fe80::2`), or set `accept_any_sender = 1`" : ": set "
		    "`primary` and `backup` (the directors' addresses on the "
		    "link), or list the routers in `peers`, or set "
		    "`accept_any_sender = 1`");
		return;
	}
	struct cfg_loc at = pulse_field_loc(lc, f);
	if (at.file == NULL)
		at.file = lc->cfg->path;
	cfg_diag(lc->diags, CFG_ERROR, &at, "pulse heartbeat (as the %s "
	    "director): %s", node_role_name(lc->role), msg);
}

/* ---- each mode ---------------------------------------------------------- */

/*
 * Who may speak for a multicast instance: the directors lvs.cf names
 * (IPv4: primary, backup and their private addresses; an IPv6 advert
 * comes from a link-local address, which only `peers` can give) and the
 * block's peers.  The vrrp module drops adverts from anyone else unless
 * accept_any_sender, and asks them in a drill.
 */
static void
build_senders(const struct cfg *cfg, const struct cfg_vrrp *r,
    struct vrrp_instance_config *c)
{
	const struct cfg_global *g = &cfg->global;
	const struct lvs_addr *named[] = { &g->primary, &g->primary_private,
	    &g->backup, &g->backup_private };
	c->query_port = (uint16_t)g->drill_port;
	if (r->unicast)
		return;
	c->any_sender = r->accept_any_sender;
	c->senders = xcalloc(4 + r->peers.n, sizeof(*c->senders));
	for (size_t i = 0; i < 4 && r->af == AF_INET; i++)
		if (named[i]->af == AF_INET)
			c->senders[c->nsenders++] = *named[i];
	for (size_t i = 0; i < r->peers.n; i++)
		c->senders[c->nsenders++] = r->peers.v[i];
}

static void
build_instance(const struct cfg *cfg, enum node_role role,
    const struct cfg_vrrp *r, struct vrrp_instance_config *c,
    struct lvs_addr *peer)
{
	vrrp_instance_config_init(c);
	snprintf(c->name, sizeof(c->name), "%s", r->name);
	c->vrid = (uint8_t)r->vrid;
	c->version = (uint8_t)r->version;
	c->af = r->af;
	snprintf(c->ifname, sizeof(c->ifname), "%s", r->interface);
	c->priority = (uint8_t)(role == NODE_ROLE_BACKUP ? r->priority_backup :
	    r->priority_primary);
	c->advert_cs = (uint16_t)(r->advert_int / 10);
	c->preempt = r->preempt;
	c->preempt_delay_ms = r->preempt_delay;
	c->handoff_delay_ms = r->handoff_delay;
	if (r->auth_pass != NULL)
		snprintf(c->auth_pass, sizeof(c->auth_pass), "%s", r->auth_pass);
	if (r->unicast) {
		*peer = *other_director(cfg, role, false);
		c->peers = peer;
		c->npeers = 1;
	}
	build_senders(cfg, r, c);
	struct vip_list l = { 0 };
	collect_vips(cfg, r, &l);
	if (CFG_ISSET(r, CFG_R_LINK_LOCAL)) {
		/* The virtual router's own link-local address: the master
		 * holds it like the others (RFC 5798 §5.2.9). */
		c->link_local = r->link_local;
		struct cfg_mask m = { 64, false };
		vip_add(&l, &r->link_local, &m, true, r->interface);
	}
	c->vips = l.v;
	c->nvips = l.n;
	c->garp_count = r->garp_repeat;
	c->garp_delay_ms = r->garp_delay;
	c->links = collect_links(cfg, &l, r->interface, &c->nlinks);
}

static int
build_vrrp(struct plan_failover *f, const struct cfg *cfg,
    enum node_role role, struct cfg_diags *diags)
{
	f->instances = xcalloc(cfg->nvrrps, sizeof(*f->instances));
	f->peers = xcalloc(cfg->nvrrps, sizeof(*f->peers));
	int rc = 0;
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		size_t i = f->ninstances++;
		build_instance(cfg, role, r, &f->instances[i], &f->peers[i]);
		struct locate lc = { diags, cfg, r, role };
		if (vrrp_instance_config_check(&f->instances[i], on_problem,
		    &lc) < 0)
			rc = -1;
	}
	snprintf(f->active, sizeof(f->active), "%s",
	    TAILQ_FIRST(&cfg->vrrps)->name);
	return rc;
}

static int
build_pulse(struct plan_failover *f, const struct cfg *cfg,
    enum node_role role, struct cfg_diags *diags)
{
	const struct cfg_global *g = &cfg->global;
	struct pulse_config *c = &f->pulse;
	pulse_config_init(c);
	c->primary = role != NODE_ROLE_BACKUP;
	c->partner = *other_director(cfg, role, false);
	c->partner_private = *other_director(cfg, role, true);
	c->port = (uint16_t)g->heartbeat_port;
	c->keepalive_ms = g->keepalive * 1000;
	c->deadtime_ms = g->deadtime * 1000;
	struct vip_list l = { 0 };
	collect_vips(cfg, NULL, &l);
	c->vips = l.v;
	c->nvips = l.n;
	if (l.n > 0)
		snprintf(c->ifname, sizeof(c->ifname), "%s", l.v[0].ifname);
	c->links = collect_links(cfg, &l, NULL, &c->nlinks);
	snprintf(f->active, sizeof(f->active), "pulse");
	struct locate lc = { diags, cfg, NULL, role };
	return pulse_config_check(c, on_problem, &lc);
}

static void
build_lone(struct plan_failover *f, const struct cfg *cfg)
{
	struct vip_list l = { 0 };
	collect_vips(cfg, NULL, &l);
	f->vips = l.v;
	f->nvips = l.n;
	snprintf(f->active, sizeof(f->active), "director");
}

/*
 * N active directors: every active virtual address, whatever device its
 * `address` names, is held on the announcement's device (no ARP there).
 */
static void
build_announce(struct plan_failover *f, const struct cfg *cfg)
{
	const struct cfg_announce *n = cfg->announce;
	struct vip_list l = { 0 };
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (v->active)
			vip_add(&l, &v->address.addr, NULL, false, n->device);
	vip_dedupe(&l);
	f->vips = l.v;
	f->nvips = l.n;
	f->announce.table = n->table;
	f->announce.protocol = (uint8_t)n->protocol;
	snprintf(f->announce.ifname, sizeof(f->announce.ifname), "%s",
	    n->device);
	f->announce.hold = n->hold == CFG_HOLD_ROUTE ?
	    VRRP_ANNOUNCE_HOLD_ROUTE : VRRP_ANNOUNCE_HOLD_ADDRESS;
	f->stop_delay_ms = n->stop_delay;
	snprintf(f->active, sizeof(f->active), "announce");
}

int
plan_failover_build(struct plan_failover *f, const struct cfg *cfg,
    enum node_role role, struct cfg_diags *diags)
{
	memset(f, 0, sizeof(*f));
	if (cfg->announce != NULL) {
		/* the reader refused vrrp blocks and pulse beside it */
		f->mode = PLAN_ANNOUNCE;
		build_announce(f, cfg);
		return 0;
	}
	if (cfg->nvrrps > 0) {
		f->mode = PLAN_VRRP;
		return build_vrrp(f, cfg, role, diags);
	}
	if (cfg->global.backup_active) {
		f->mode = PLAN_PULSE;
		return build_pulse(f, cfg, role, diags);
	}
	f->mode = PLAN_LONE;
	build_lone(f, cfg);
	return 0;
}

int
plan_failover_verify(const struct cfg *cfg, enum node_role role,
    struct cfg_diags *diags)
{
	if ((cfg->nvrrps == 0 && !cfg->global.backup_active) ||
	    cfg->announce != NULL)
		return 0;	/* a lone director, an announcement: nothing it
				   could refuse */
	struct plan_failover f;
	int r = plan_failover_build(&f, cfg, role, diags);
	plan_failover_clear(&f);
	return r;
}

void
plan_failover_clear(struct plan_failover *f)
{
	for (size_t i = 0; i < f->ninstances; i++) {
		free(f->instances[i].vips);
		free(f->instances[i].links);
		free(f->instances[i].senders);
		/* The password is key material: wipe it. */
		explicit_bzero(f->instances[i].auth_pass,
		    sizeof(f->instances[i].auth_pass));
	}
	free(f->instances);
	free(f->peers);
	free(f->pulse.vips);
	free(f->pulse.links);
	free(f->vips);
	memset(f, 0, sizeof(*f));
}

bool
plan_same_vips(const struct plan_failover *a, const struct plan_failover *b)
{
	return a->nvips == b->nvips && (a->nvips == 0 ||
	    memcmp(a->vips, b->vips, a->nvips * sizeof(*a->vips)) == 0);
}
