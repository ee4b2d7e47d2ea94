/*
 * Checks that span keys or blocks: required keys, address families,
 * ranges that depend on other keys, and duplicates (names, services, real
 * servers).  Also fills the effective values a server inherits from its
 * virtual service or the global block, so later stages never re-derive
 * them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "cfg/check.h"
#include "cfg/diag.h"
#include "cfg/failover.h"
#include "cfg/validate.h"
#include "lib/xalloc.h"

struct checker {
	struct cfg *cfg;
	struct cfg_diags *diags;
};

#define ERR(c, loc, ...) cfg_diag((c)->diags, CFG_ERROR, (loc), __VA_ARGS__)
#define WARN(c, loc, ...) cfg_diag((c)->diags, CFG_WARNING, (loc), __VA_ARGS__)

static const char *const fwd_words[] = { "nat", "direct", "tunnel" };

static void
check_mask(struct checker *c, const struct cfg_mask *m, const struct cfg_loc *loc,
    const char *key, sa_family_t af)
{
	if (af != AF_UNSPEC && m->prefix > addr_max_prefix(af))
		ERR(c, loc, "`%s`: prefix length %u is too long for an IPv%c "
		    "address (at most %u)", key, m->prefix,
		    af == AF_INET ? '4' : '6', addr_max_prefix(af));
	else if (af == AF_INET6 && m->dotted)
		ERR(c, loc, "`%s`: a dotted netmask cannot apply to an IPv6 "
		    "address; write a prefix length such as `64`", key);
}

/* The master sync daemon's keys: the kernel's own rule, and their use. */
static void
check_syncd(struct checker *c)
{
	const struct cfg_global *g = &c->cfg->global;
	static const int keys[] = {
		CFG_G_SYNCD_MAXLEN, CFG_G_SYNCD_THRESHOLD, CFG_G_SYNCD_PERIOD
	};
	if (g->syncd_period != 0 && g->syncd_threshold >= g->syncd_period) {
		int k = CFG_ISSET(g, CFG_G_SYNCD_THRESHOLD) ?
		    CFG_G_SYNCD_THRESHOLD : CFG_G_SYNCD_PERIOD;
		ERR(c, CFG_LOC(g, k), "`syncd_threshold` (%u) must be below "
		    "`syncd_period` (%u), or the period 0", g->syncd_threshold,
		    g->syncd_period);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (CFG_ISSET(g, keys[i]) && !g->syncdaemon) {
			WARN(c, CFG_LOC(g, keys[i]), "this key has no effect "
			    "without `syncdaemon = 1`");
			break;
		}
}

static void
check_global(struct checker *c)
{
	struct cfg_global *g = &c->cfg->global;
	if (g->service == CFG_SERVICE_FOS)
		ERR(c, CFG_LOC(g, CFG_G_SERVICE), "`service = fos` (piranha's "
		    "failover services) is not supported by lvsd; use "
		    "`service = lvs`");
	if (g->backup_active && !CFG_ISSET(g, CFG_G_BACKUP))
		ERR(c, CFG_LOC(g, CFG_G_BACKUP_ACTIVE), "`backup_active = 1` needs "
		    "`backup`, the backup director's address");
	if (CFG_ISSET(g, CFG_G_PRIMARY) && CFG_ISSET(g, CFG_G_BACKUP) &&
	    addr_eq(&g->primary, &g->backup))
		ERR(c, CFG_LOC(g, CFG_G_BACKUP), "`backup` is the same address as "
		    "`primary`");
	if (g->deadtime <= g->keepalive) {
		int k = CFG_ISSET(g, CFG_G_DEADTIME) ? CFG_G_DEADTIME : CFG_G_KEEPALIVE;
		ERR(c, CFG_LOC(g, k), "`deadtime` (%u s) must be longer than "
		    "`keepalive` (%u s)", g->deadtime, g->keepalive);
	}
	if (CFG_ISSET(g, CFG_G_NAT_NMASK))
		check_mask(c, &g->nat_nmask, CFG_LOC(g, CFG_G_NAT_NMASK), "nat_nmask",
		    g->nat_router.addr.af);
	if (g->network == CFG_FWD_NAT && g->backup_active &&
	    CFG_ISSET(g, CFG_G_BACKUP) && !CFG_ISSET(g, CFG_G_NAT_ROUTER))
		WARN(c, CFG_LOC(g, CFG_G_BACKUP_ACTIVE), "`network = nat` with a "
		    "backup director but no `nat_router`: the real servers' "
		    "gateway address will not move on failover");
	check_syncd(c);
}

static void
check_server(struct checker *c, struct cfg_virtual *v, struct cfg_server *s)
{
	const struct cfg_global *g = &c->cfg->global;
	if (!CFG_ISSET(s, CFG_S_ADDRESS)) {
		ERR(c, &s->loc, "server `%s` in virtual `%s` has no `address`",
		    s->name, v->name);
		return;
	}
	if (!CFG_ISSET(s, CFG_S_NETWORK))
		s->network = g->network;
	if (!CFG_ISSET(s, CFG_S_PORT))
		s->port = v->port;
	sa_family_t vaf = v->address.addr.af;
	if (vaf != AF_UNSPEC && s->address.af != vaf && s->network != CFG_FWD_TUNNEL)
		ERR(c, CFG_LOC(s, CFG_S_ADDRESS), "server `%s`: an IPv%c real "
		    "server behind an IPv%c virtual address needs `network = "
		    "tunnel`", s->name, s->address.af == AF_INET ? '4' : '6',
		    vaf == AF_INET ? '4' : '6');
	static const int tunnel_keys[] = {
		CFG_S_TUNNEL_TYPE, CFG_S_TUNNEL_PORT, CFG_S_TUNNEL_CSUM
	};
	for (size_t i = 0; i < 3; i++)
		if (CFG_ISSET(s, tunnel_keys[i]) && s->network != CFG_FWD_TUNNEL)
			ERR(c, CFG_LOC(s, tunnel_keys[i]), "server `%s`: tunnel "
			    "settings need `network = tunnel`", s->name);
	if (s->tunnel_type == CFG_TUN_GUE && !CFG_ISSET(s, CFG_S_TUNNEL_PORT))
		ERR(c, CFG_LOC(s, CFG_S_TUNNEL_TYPE), "server `%s`: "
		    "`tunnel_type = gue` needs `tunnel_port`", s->name);
	if (s->lthreshold > s->uthreshold && s->uthreshold != 0)
		ERR(c, CFG_LOC(s, CFG_S_LTHRESHOLD), "server `%s`: `lthreshold` "
		    "(%u) is above `uthreshold` (%u)", s->name, s->lthreshold,
		    s->uthreshold);
	if (s->network != CFG_FWD_NAT && CFG_ISSET(s, CFG_S_PORT) &&
	    v->fwmark == 0 && s->port != v->port)
		WARN(c, CFG_LOC(s, CFG_S_PORT), "server `%s`: `network = %s` "
		    "cannot change the port: packets reach port %u, not %u",
		    s->name, fwd_words[s->network], v->port, s->port);
}

/* ---- finding duplicates ---------------------------------------------------
 *
 * Duplicates are rare: a set of hashes says in one pass whether there are
 * any, and only then are the blocks sorted to report them in order.
 */

typedef bool same_fn(const void *a, const void *b);

/* Open addressing, at most 3/4 full, compared on every probe. */
struct dupset {
	const void **slot;
	size_t mask;
};

static void
dupset_init(struct dupset *d, size_t n)
{
	d->mask = 15;
	while ((d->mask + 1) * 3 < 4 * n)
		d->mask = d->mask * 2 + 1;
	d->slot = xcalloc(d->mask + 1, sizeof(*d->slot));
}

/* Empty again (its memory stays). */
static void
dupset_clear(struct dupset *d)
{
	memset(d->slot, 0, (d->mask + 1) * sizeof(*d->slot));
}

static void
dupset_free(struct dupset *d)
{
	free(d->slot);
}

/* Adds p; true when an element same() as p was there. */
static bool
dupset_add(struct dupset *d, const void *p, uint32_t h, same_fn *same)
{
	size_t j = h & d->mask;
	for (; d->slot[j] != NULL; j = (j + 1) & d->mask)
		if (same(d->slot[j], p))
			return true;
	d->slot[j] = p;
	return false;
}

static uint32_t
name_hash(const char *name)
{
	return cfg_hash_bytes(name, strlen(name), CFG_HASH_SEED);
}

static bool
same_server_name(const void *a, const void *b)
{
	return strcmp(((const struct cfg_server *)a)->name,
	    ((const struct cfg_server *)b)->name) == 0;
}

static bool
same_server_target(const void *a, const void *b)
{
	const struct cfg_server *x = a, *y = b;
	return x->port == y->port && addr_cmp(&x->address, &y->address) == 0;
}

static uint32_t
target_hash(const struct cfg_server *s)
{
	uint32_t h = cfg_hash_bytes(&s->port, sizeof(s->port), CFG_HASH_SEED);
	h = cfg_hash_bytes(&s->address.af, sizeof(s->address.af), h);
	return cfg_hash_bytes(&s->address.u, addr_len(&s->address), h);
}

/* True when two of v's servers may share a name or an address:port. */
static bool
has_server_dups(const struct cfg_virtual *v)
{
	const struct cfg_server *s, *t;
	if (v->nservers <= 16) {
		TAILQ_FOREACH(s, &v->servers, entry)
			for (t = TAILQ_NEXT(s, entry); t; t = TAILQ_NEXT(t, entry))
				if (same_server_name(s, t) ||
				    (CFG_ISSET(s, CFG_S_ADDRESS) &&
				    CFG_ISSET(t, CFG_S_ADDRESS) &&
				    same_server_target(s, t)))
					return true;
		return false;
	}
	struct dupset set;
	dupset_init(&set, v->nservers);
	bool dup = false;
	TAILQ_FOREACH(s, &v->servers, entry)
		if ((dup = dupset_add(&set, s, name_hash(s->name),
		    same_server_name)))
			break;
	dupset_clear(&set);
	TAILQ_FOREACH(s, &v->servers, entry)
		if (!dup && CFG_ISSET(s, CFG_S_ADDRESS) && (dup = dupset_add(&set,
		    s, target_hash(s), same_server_target)))
			break;
	dupset_free(&set);
	return dup;
}

static int
cmp_server_ptr(const void *a, const void *b)
{
	const struct cfg_server *x = *(struct cfg_server *const *)a;
	const struct cfg_server *y = *(struct cfg_server *const *)b;
	int r = addr_cmp(&x->address, &y->address);
	if (r != 0)
		return r;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line;
}

static int
cmp_server_name(const void *a, const void *b)
{
	const struct cfg_server *x = *(struct cfg_server *const *)a;
	const struct cfg_server *y = *(struct cfg_server *const *)b;
	int r = strcmp(x->name, y->name);
	return r != 0 ? r : (x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line);
}

/* Real servers of one virtual: unique names and unique address:port. */
static void
check_server_dups(struct checker *c, struct cfg_virtual *v)
{
	if (v->nservers < 2 || !has_server_dups(v))
		return;
	struct cfg_server **a = xcalloc(v->nservers, sizeof(*a));
	size_t n = 0;
	struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry)
		a[n++] = s;
	qsort(a, n, sizeof(*a), cmp_server_name);
	for (size_t i = 1; i < n; i++)
		if (strcmp(a[i]->name, a[i - 1]->name) == 0)
			ERR(c, &a[i]->loc, "duplicate server name `%s` in virtual "
			    "`%s` (first at line %u)", a[i]->name, v->name,
			    a[i - 1]->loc.line);
	qsort(a, n, sizeof(*a), cmp_server_ptr);
	for (size_t i = 1; i < n; i++) {
		if (!CFG_ISSET(a[i], CFG_S_ADDRESS) ||
		    addr_cmp(&a[i]->address, &a[i - 1]->address) != 0 ||
		    a[i]->port != a[i - 1]->port)
			continue;
		char buf[LVS_ADDRPORTSTRLEN];
		ERR(c, &a[i]->loc, "server `%s` duplicates server `%s` (%s) in "
		    "virtual `%s`", a[i]->name, a[i - 1]->name,
		    addr_port_fmt(&a[i]->address, (uint16_t)a[i]->port, buf),
		    v->name);
	}
	free(a);
}

static void
check_virtual(struct checker *c, struct cfg_virtual *v)
{
	sa_family_t af = v->address.addr.af;
	if (!CFG_ISSET(v, CFG_V_ADDRESS))
		ERR(c, &v->loc, "virtual `%s` has no `address` (its virtual IP)",
		    v->name);
	if (!CFG_ISSET(v, CFG_V_PORT) && !CFG_ISSET(v, CFG_V_FWMARK))
		ERR(c, &v->loc, "virtual `%s` has no `port` (or `fwmark`)", v->name);
	if (CFG_ISSET(v, CFG_V_PORT) && v->port == 0 && v->persistent == 0 &&
	    !CFG_ISSET(v, CFG_V_FWMARK))
		ERR(c, CFG_LOC(v, CFG_V_PORT), "`port = 0` (all ports) needs "
		    "`persistent`");
	if (CFG_ISSET(v, CFG_V_VIP_NMASK))
		check_mask(c, &v->vip_nmask, CFG_LOC(v, CFG_V_VIP_NMASK), "vip_nmask", af);
	if (CFG_ISSET(v, CFG_V_PMASK)) {
		check_mask(c, &v->pmask, CFG_LOC(v, CFG_V_PMASK), "pmask", af);
		if (v->persistent == 0)
			WARN(c, CFG_LOC(v, CFG_V_PMASK), "`pmask` has no effect "
			    "without `persistent`");
	}
	if (CFG_ISSET(v, CFG_V_SORRY_SERVER) && af != AF_UNSPEC &&
	    v->sorry_server.addr.af != af)
		ERR(c, CFG_LOC(v, CFG_V_SORRY_SERVER), "`sorry_server` is not of "
		    "the same address family as the virtual address");
	const char *sched = cfg_schedulers[v->scheduler];
	bool hashing = strcmp(sched, "sh") == 0 || strcmp(sched, "mh") == 0;
	if (!hashing && (v->hash_fallback || v->hash_port))
		ERR(c, CFG_LOC(v, v->hash_port ? CFG_V_HASH_PORT : CFG_V_HASH_FALLBACK),
		    "`%s` applies to the sh and mh schedulers only, not `%s`",
		    v->hash_port ? "hash_port" : "hash_fallback", sched);
	if (v->persistence_engine != CFG_PE_NONE && v->persistent == 0)
		ERR(c, CFG_LOC(v, CFG_V_PERSISTENCE_ENGINE), "`persistence_engine` "
		    "needs `persistent`");
	if (v->one_packet && v->protocol != CFG_PROTO_UDP && v->fwmark == 0)
		ERR(c, CFG_LOC(v, CFG_V_ONE_PACKET), "`one_packet` applies to UDP "
		    "services only");
	cfg_validate_check(v, c->diags);
	struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry)
		check_server(c, v, s);
	check_server_dups(c, v);
}

/* The kernel's service key: fwmark (with family) or address/proto/port. */
static int
cmp_service(const struct cfg_virtual *x, const struct cfg_virtual *y)
{
	if (x->fwmark != 0 || y->fwmark != 0) {
		if (x->fwmark != y->fwmark)
			return x->fwmark < y->fwmark ? -1 : 1;
		return x->address.addr.af - y->address.addr.af;
	}
	int r = addr_cmp(&x->address.addr, &y->address.addr);
	if (r != 0)
		return r;
	if (x->protocol != y->protocol)
		return x->protocol - y->protocol;
	return x->port < y->port ? -1 : x->port > y->port;
}

static int
cmp_virtual_ptr(const void *a, const void *b)
{
	const struct cfg_virtual *x = *(struct cfg_virtual *const *)a;
	const struct cfg_virtual *y = *(struct cfg_virtual *const *)b;
	int r = cmp_service(x, y);
	if (r != 0)
		return r;
	return x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line;
}

static int
cmp_virtual_name(const void *a, const void *b)
{
	const struct cfg_virtual *x = *(struct cfg_virtual *const *)a;
	const struct cfg_virtual *y = *(struct cfg_virtual *const *)b;
	int r = strcmp(x->name, y->name);
	return r != 0 ? r : (x->loc.line < y->loc.line ? -1 : x->loc.line > y->loc.line);
}

static bool
same_virtual_name(const void *a, const void *b)
{
	return strcmp(((const struct cfg_virtual *)a)->name,
	    ((const struct cfg_virtual *)b)->name) == 0;
}

static bool
same_service(const void *a, const void *b)
{
	return cmp_service(a, b) == 0;
}

/* Equal under cmp_service: the same hash. */
static uint32_t
service_hash(const struct cfg_virtual *v)
{
	const struct lvs_addr *a = &v->address.addr;
	if (v->fwmark != 0) {
		uint32_t k[] = { 1, v->fwmark, a->af };
		return cfg_hash_bytes(k, sizeof(k), CFG_HASH_SEED);
	}
	uint32_t k[] = { 0, a->af, (uint32_t)v->protocol, v->port };
	return cfg_hash_bytes(&a->u, addr_len(a),
	    cfg_hash_bytes(k, sizeof(k), CFG_HASH_SEED));
}

/* True when two virtuals may share a name, or two active ones a service. */
static bool
has_virtual_dups(const struct cfg *cfg)
{
	struct dupset set;
	dupset_init(&set, cfg->nvirtuals);
	bool dup = false;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if ((dup = dupset_add(&set, v, name_hash(v->name),
		    same_virtual_name)))
			break;
	dupset_clear(&set);
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (!dup && v->active && CFG_ISSET(v, CFG_V_ADDRESS) &&
		    (dup = dupset_add(&set, v, service_hash(v), same_service)))
			break;
	dupset_free(&set);
	return dup;
}

static void
check_virtual_dups(struct checker *c)
{
	struct cfg *cfg = c->cfg;
	if (cfg->nvirtuals < 2 || !has_virtual_dups(cfg))
		return;
	struct cfg_virtual **a = xcalloc(cfg->nvirtuals, sizeof(*a));
	size_t n = 0;
	struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		a[n++] = v;
	qsort(a, n, sizeof(*a), cmp_virtual_name);
	for (size_t i = 1; i < n; i++)
		if (strcmp(a[i]->name, a[i - 1]->name) == 0)
			ERR(c, &a[i]->loc, "duplicate virtual name `%s` (first at "
			    "line %u)", a[i]->name, a[i - 1]->loc.line);
	/* Only active services reach the kernel, so only they can clash. */
	n = 0;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (v->active && CFG_ISSET(v, CFG_V_ADDRESS))
			a[n++] = v;
	qsort(a, n, sizeof(*a), cmp_virtual_ptr);
	for (size_t i = 1; i < n; i++)
		if (cmp_service(a[i], a[i - 1]) == 0)
			ERR(c, &a[i]->loc, "virtual `%s` is the same service as "
			    "virtual `%s` (line %u)", a[i]->name, a[i - 1]->name,
			    a[i - 1]->loc.line);
	free(a);
}

static void
check_failover(struct checker *c, struct cfg_failover *f)
{
	if (!CFG_ISSET(f, CFG_F_ADDRESS))
		ERR(c, &f->loc, "failover `%s` has no `address`", f->name);
	if (!CFG_ISSET(f, CFG_F_PORT))
		ERR(c, &f->loc, "failover `%s` has no `port`", f->name);
	if (CFG_ISSET(f, CFG_F_VIP_NMASK))
		check_mask(c, &f->vip_nmask, CFG_LOC(f, CFG_F_VIP_NMASK), "vip_nmask",
		    f->address.addr.af);
}

void
cfg_validate(struct cfg *cfg, struct cfg_diags *diags)
{
	struct checker c = { cfg, diags };
	check_global(&c);
	struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		check_virtual(&c, v);
	check_virtual_dups(&c);
	cfg_validate_failover(cfg, diags);
	struct cfg_failover *f;
	TAILQ_FOREACH(f, &cfg->failovers, entry)
		check_failover(&c, f);
}
