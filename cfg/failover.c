/*
 * Failover settings across the file: which mechanism moves the virtual
 * addresses (VRRP instances, piranha's pulse, or none for a lone
 * director), which instance holds each virtual address, and the VRRP
 * rules that depend on more than one key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "cfg/diag.h"
#include "cfg/failover.h"
#include "lib/suggest.h"
#include "lib/xalloc.h"

#define ERR(d, loc, ...) cfg_diag((d), CFG_ERROR, (loc), __VA_ARGS__)
#define WARN(d, loc, ...) cfg_diag((d), CFG_WARNING, (loc), __VA_ARGS__)

static struct cfg_vrrp *
find_vrrp(const struct cfg *cfg, const char *name)
{
	struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

/* Points each virtual service at the instance that holds its address. */
static void
assign_virtuals(struct cfg *cfg, struct cfg_diags *d)
{
	struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (v->vrrp == NULL) {
			v->vrrp_instance = TAILQ_FIRST(&cfg->vrrps);
			continue;
		}
		v->vrrp_instance = find_vrrp(cfg, v->vrrp);
		if (v->vrrp_instance != NULL)
			continue;
		const char *names[64] = { NULL };
		size_t n = 0;
		struct cfg_vrrp *r;
		TAILQ_FOREACH(r, &cfg->vrrps, entry)
			if (n < 64)
				names[n++] = r->name;
		const char *near = suggest_nearest(v->vrrp, names, n);
		ERR(d, CFG_LOC(v, CFG_V_VRRP), "virtual `%s`: no `vrrp %s` block%s%s%s",
		    v->name, v->vrrp, near ? "; did you mean `" : "",
		    near ? near : "", near ? "`?" : "");
	}
}

/* The device part of a `dev:alias` label. */
static void
label_device(const char *label, char *dev, size_t len)
{
	size_t n = strcspn(label, ":");
	if (n >= len)
		n = len - 1;
	memcpy(dev, label, n);
	dev[n] = '\0';
}

/* Family and default interface from the addresses the instance holds. */
static void
derive_from_vips(struct cfg *cfg, struct cfg_vrrp *r, struct cfg_diags *d)
{
	const struct cfg_virtual *v, *first = NULL;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		/* Only the addresses the instance moves (those with a device)
		 * give it a family; the system holds the others. */
		if (v->vrrp_instance != r || !v->active ||
		    v->address.label[0] == '\0')
			continue;
		if (first == NULL) {
			first = v;
			r->af = v->address.addr.af;
		} else if (v->address.addr.af != r->af) {
			ERR(d, CFG_LOC(v, CFG_V_ADDRESS), "virtual `%s`: VRRP "
			    "instance `%s` holds IPv%c addresses; an instance "
			    "carries one address family (add a second `vrrp` "
			    "block and `vrrp = NAME`)", v->name, r->name,
			    r->af == AF_INET ? '4' : '6');
		}
		if (r->interface == NULL && v->address.label[0] != '\0') {
			char dev[IFNAMSIZ];
			label_device(v->address.label, dev, sizeof(dev));
			r->interface = cfg_arena_intern(cfg->arena, dev,
			    strlen(dev));
		}
	}
	if (r == TAILQ_FIRST(&cfg->vrrps) && r->af == AF_UNSPEC)
		r->af = cfg->global.nat_router.addr.af;
	if (r->af == AF_UNSPEC)
		r->af = AF_INET;
	if (r->interface == NULL)
		ERR(d, &r->loc, "vrrp `%s` has no `interface`, and none of the "
		    "virtual addresses it holds names a device", r->name);
}

/*
 * `peers` and `accept_any_sender` widen who may speak for a multicast
 * instance: each peer is an address adverts can come from (IPv6: a
 * link-local one, RFC 5798 §5.1.2.1).  A unicast instance hears the other
 * director only.
 */
static void
check_senders(const struct cfg_vrrp *r, struct cfg_diags *d)
{
	static const char *const what[] = { "`peers`", "`accept_any_sender`" };
	const unsigned keys[] = { CFG_R_PEERS, CFG_R_ACCEPT_ANY_SENDER };
	for (size_t i = 0; r->unicast && i < 2; i++)
		if (CFG_ISSET(r, keys[i]))
			ERR(d, CFG_LOC(r, keys[i]), "vrrp `%s`: %s is for multicast "
			    "adverts; with `unicast = 1` only the other director "
			    "is heard", r->name, what[i]);
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < r->peers.n; i++) {
		const struct lvs_addr *p = &r->peers.v[i];
		if (p->af != r->af) {
			ERR(d, CFG_LOC(r, CFG_R_PEERS), "vrrp `%s`: peer %s is not "
			    "of the instance's address family (IPv%c)", r->name,
			    addr_fmt(p, a), r->af == AF_INET ? '4' : '6');
			return;
		}
		if (p->af == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&p->u.v6)) {
			ERR(d, CFG_LOC(r, CFG_R_PEERS), "vrrp `%s`: peer %s: IPv6 "
			    "adverts come from link-local addresses (fe80::/10); "
			    "list the link-local address of each director's `%s`",
			    r->name, addr_fmt(p, a), r->interface ? r->interface :
			    "interface");
			return;
		}
	}
}

static void
check_instance(struct cfg *cfg, struct cfg_vrrp *r, struct cfg_diags *d)
{
	const struct cfg_global *g = &cfg->global;
	if (!CFG_ISSET(r, CFG_R_VRID))
		ERR(d, &r->loc, "vrrp `%s` has no `vrid` (1 to 255)", r->name);
	if (r->priority_backup >= r->priority_primary)
		ERR(d, CFG_LOC(r, CFG_ISSET(r, CFG_R_PRIORITY_BACKUP) ?
		    CFG_R_PRIORITY_BACKUP : CFG_R_PRIORITY_PRIMARY),
		    "vrrp `%s`: `priority_backup` (%u) must be below "
		    "`priority_primary` (%u)", r->name, r->priority_backup,
		    r->priority_primary);
	if (r->version == 2) {
		if (r->advert_int % 1000 != 0)
			ERR(d, CFG_LOC(r, CFG_R_ADVERT_INT), "vrrp `%s`: VRRP "
			    "version 2 advertises in whole seconds", r->name);
		if (r->af == AF_INET6)
			ERR(d, CFG_LOC(r, CFG_R_VERSION), "vrrp `%s`: VRRP "
			    "version 2 is IPv4 only; use `version = 3`", r->name);
		if (r->auth_pass != NULL && strlen(r->auth_pass) > 8)
			ERR(d, CFG_LOC(r, CFG_R_AUTH_PASS), "vrrp `%s`: "
			    "`auth_pass` is at most 8 characters", r->name);
	} else if (CFG_ISSET(r, CFG_R_AUTH_PASS))
		ERR(d, CFG_LOC(r, CFG_R_AUTH_PASS), "vrrp `%s`: `auth_pass` needs "
		    "`version = 2` (VRRP version 3 has no authentication)",
		    r->name);
	if (CFG_ISSET(r, CFG_R_LINK_LOCAL) && (r->af != AF_INET6 ||
	    r->link_local.af != AF_INET6 ||
	    !IN6_IS_ADDR_LINKLOCAL(&r->link_local.u.v6)))
		ERR(d, CFG_LOC(r, CFG_R_LINK_LOCAL), "vrrp `%s`: `link_local` is an "
		    "IPv6 link-local address (fe80::/10) for an instance of IPv6 "
		    "addresses", r->name);
	if (r->unicast && (!CFG_ISSET(g, CFG_G_PRIMARY) ||
	    !CFG_ISSET(g, CFG_G_BACKUP)))
		ERR(d, CFG_LOC(r, CFG_R_UNICAST), "vrrp `%s`: `unicast = 1` sends "
		    "to the other director: set `primary` and `backup`", r->name);
	check_senders(r, d);
}

static int
cmp_vrrp_ptr(const void *a, const void *b)
{
	const struct cfg_vrrp *x = *(struct cfg_vrrp *const *)a;
	const struct cfg_vrrp *y = *(struct cfg_vrrp *const *)b;
	if (x->vrid != y->vrid)
		return x->vrid < y->vrid ? -1 : 1;
	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	int r = strcmp(x->interface ? x->interface : "",
	    y->interface ? y->interface : "");
	return r != 0 ? r : (x->loc.line < y->loc.line ? -1 : 1);
}

/* Names unique; (vrid, family, interface) unique: that is VRRP's key. */
static void
check_duplicates(struct cfg *cfg, struct cfg_diags *d)
{
	if (cfg->nvrrps < 2)
		return;
	struct cfg_vrrp **a = xcalloc(cfg->nvrrps, sizeof(*a));
	size_t n = 0;
	struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		struct cfg_vrrp *other = find_vrrp(cfg, r->name);
		if (other != r)
			ERR(d, &r->loc, "duplicate vrrp name `%s` (first at line "
			    "%u)", r->name, other->loc.line);
		a[n++] = r;
	}
	qsort(a, n, sizeof(*a), cmp_vrrp_ptr);
	for (size_t i = 1; i < n; i++)
		if (a[i]->vrid == a[i - 1]->vrid && a[i]->af == a[i - 1]->af &&
		    a[i]->interface != NULL && a[i - 1]->interface != NULL &&
		    strcmp(a[i]->interface, a[i - 1]->interface) == 0)
			ERR(d, CFG_LOC(a[i], CFG_R_VRID), "vrrp `%s`: vrid %u on %s "
			    "is already used by vrrp `%s`", a[i]->name, a[i]->vrid,
			    a[i]->interface, a[i - 1]->name);
	free(a);
}

/* ---- announce: N active directors behind ECMP ------------------------ */

static bool
is_hashing(const struct cfg_virtual *v)
{
	const char *sched = cfg_schedulers[v->scheduler];
	return strcmp(sched, "mh") == 0 || strcmp(sched, "sh") == 0;
}

/* What makes every director pick the same real server, and keep to it. */
static void
check_announced_virtual(const struct cfg_virtual *v, struct cfg_diags *d)
{
	const char *sched = cfg_schedulers[v->scheduler];
	if (v->address.label[0] != '\0')
		WARN(d, CFG_LOC(v, CFG_V_ADDRESS), "virtual `%s`: the device `%s` "
		    "is not used: with `announce`, the address is held on the "
		    "announcement's device", v->name, v->address.label);
	if (!is_hashing(v)) {
		WARN(d, CFG_ISSET(v, CFG_V_SCHEDULER) ? CFG_LOC(v, CFG_V_SCHEDULER) :
		    &v->loc, "virtual `%s`: scheduler `%s` with `announce`: every "
		    "director must pick the same real server; use `mh` (or `sh`)",
		    v->name, sched);
		return;
	}
	if (strcmp(sched, "mh") == 0 && !v->quiesce_server)
		WARN(d, CFG_ISSET(v, CFG_V_QUIESCE_SERVER) ?
		    CFG_LOC(v, CFG_V_QUIESCE_SERVER) : &v->loc, "virtual `%s`: "
		    "`mh` without `quiesce_server = 1`: a real server removed and "
		    "added again changes its place in the hash on this director "
		    "only", v->name);
	if (v->quiesce_server && !v->hash_fallback)
		WARN(d, CFG_LOC(v, CFG_V_QUIESCE_SERVER), "virtual `%s`: "
		    "`quiesce_server = 1` without `hash_fallback = 1`: "
		    "connections hashed to a quiesced server are refused", v->name);
}

static void
check_announce(struct cfg *cfg, struct cfg_diags *d)
{
	const struct cfg_announce *n = cfg->announce;
	const struct cfg_global *g = &cfg->global;
	const struct cfg_vrrp *r = TAILQ_FIRST(&cfg->vrrps);
	if (r != NULL)
		ERR(d, &r->loc, "`vrrp %s`: a `vrrp` block and the `announce` block "
		    "(line %u) exclude each other: with `announce` every director "
		    "is active", r->name, n->loc.line);
	if (CFG_ISSET(g, CFG_G_HEARTBEAT) && g->heartbeat)
		ERR(d, CFG_LOC(g, CFG_G_HEARTBEAT), "`heartbeat = 1` and the "
		    "`announce` block (line %u) exclude each other: with "
		    "`announce` every director is active", n->loc.line);
	if (g->backup_active)
		ERR(d, CFG_LOC(g, CFG_G_BACKUP_ACTIVE), "`backup_active = 1` and "
		    "the `announce` block (line %u) exclude each other: with "
		    "`announce` every director is active", n->loc.line);
	if (n->table >= 253 && n->table <= 255)
		ERR(d, CFG_LOC(n, CFG_A_TABLE), "`table`: %u is one of the "
		    "kernel's tables (253 default, 254 main, 255 local); use "
		    "1-252 or 256 and above", n->table);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		check_announced_virtual(v, d);
}

/* quorum: at most the service's servers; meaningful with announce only. */
static void
check_quorum(const struct cfg *cfg, struct cfg_diags *d)
{
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!CFG_ISSET(v, CFG_V_QUORUM))
			continue;
		if (cfg->announce == NULL)
			WARN(d, CFG_LOC(v, CFG_V_QUORUM), "virtual `%s`: `quorum` has "
			    "no effect without an `announce` block", v->name);
		else if (v->quorum > v->nservers)
			ERR(d, CFG_LOC(v, CFG_V_QUORUM), "virtual `%s`: `quorum = %u` "
			    "but the service has %u real server%s: its address would "
			    "never be announced", v->name, v->quorum, v->nservers,
			    v->nservers == 1 ? "" : "s");
	}
}

void
cfg_validate_failover(struct cfg *cfg, struct cfg_diags *d)
{
	const struct cfg_global *g = &cfg->global;
	check_quorum(cfg, d);
	if (cfg->announce != NULL) {
		check_announce(cfg, d);
		if (cfg->nvrrps > 0)
			return;
	}
	if (cfg->nvrrps == 0) {
		if (g->backup_active && !g->heartbeat && cfg->announce == NULL)
			ERR(d, CFG_LOC(g, CFG_G_BACKUP_ACTIVE), "`backup_active = 1` "
			    "needs `heartbeat = 1` (piranha's pulse) or a `vrrp` "
			    "block");
		return;
	}
	if (CFG_ISSET(g, CFG_G_HEARTBEAT) && g->heartbeat)
		WARN(d, CFG_LOC(g, CFG_G_HEARTBEAT), "`heartbeat` is not used: "
		    "the `vrrp` blocks move the virtual addresses");
	assign_virtuals(cfg, d);
	struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		derive_from_vips(cfg, r, d);
		check_instance(cfg, r, d);
	}
	check_duplicates(cfg, d);
}
