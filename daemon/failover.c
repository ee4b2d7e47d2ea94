/*
 * Which director holds the virtual addresses: VRRP instances, piranha's
 * pulse, or (a lone director) this one for as long as it runs.  The vrrp/
 * module moves the addresses; this file turns lvs.cf into its
 * configuration and acts on role changes: notify commands, and the
 * connection handoff of daemon/connsync.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include <json-c/json.h>

#include "daemon/connsync.h"
#include "daemon/events.h"
#include "daemon/failover.h"
#include "daemon/lvsd.h"
#include "daemon/script.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/vrrp.h"

enum failover_mode { FO_LONE, FO_PULSE, FO_VRRP };

/* Growable array of addresses one instance holds. */
struct vip_list {
	struct vrrp_vip *v;
	size_t n, cap;
};


struct failover {
	struct lvsd *d;
	enum failover_mode mode;
	struct vrrp *vrrp;
	struct pulse *pulse;
	struct vrrp_hold *hold;
	char first[32];		/* instance whose role is "LVS active" */
	bool active;
	struct connsync sync;	/* IPVS connection sync and handoff */
	struct vip_list lone_vips;	/* what a lone director holds */
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
	size_t dev = strcspn(label, ":");
	snprintf(v->ifname, sizeof(v->ifname), "%.*s", (int)dev, label);
	if (label[dev] == ':' && a->af == AF_INET)
		snprintf(v->label, sizeof(v->label), "%s", label);
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
other_director(const struct lvsd *d, bool private)
{
	const struct cfg_global *g = &d->cfg->global;
	bool primary = d->role == NODE_ROLE_PRIMARY;
	if (private)
		return primary ? &g->backup_private : &g->primary_private;
	return primary ? &g->backup : &g->primary;
}

/* ---- role changes ------------------------------------------------------ */

static const struct cfg_vrrp *
find_instance(const struct cfg *cfg, const char *name)
{
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

static void
run_notify(struct lvsd *d, const char *what, const char *cmd,
    const char *instance, enum vrrp_state old, enum vrrp_state new,
    enum vrrp_reason reason)
{
	if (cmd == NULL || cmd[0] == '\0')
		return;
	char e1[64], e2[48], e3[48], e4[64];
	snprintf(e1, sizeof(e1), "LVSD_INSTANCE=%s", instance);
	snprintf(e2, sizeof(e2), "LVSD_STATE=%s", vrrp_state_name(new));
	snprintf(e3, sizeof(e3), "LVSD_OLD_STATE=%s", vrrp_state_name(old));
	snprintf(e4, sizeof(e4), "LVSD_REASON=%s", vrrp_reason_name(reason));
	char *env[] = { e1, e2, e3, e4, NULL };
	char label[96];
	snprintf(label, sizeof(label), "%s (%s)", what, instance);
	script_run(d, label, cmd, env);
}

static void
on_role(void *arg, const char *instance, enum vrrp_state old,
    enum vrrp_state new, enum vrrp_reason reason)
{
	struct failover *f = arg;
	struct lvsd *d = f->d;
	log_info("failover: %s %s -> %s (%s)", instance, vrrp_state_name(old),
	    vrrp_state_name(new), vrrp_reason_name(reason));
	events_record(EVENT_VRRP, instance, vrrp_state_name(old),
	    vrrp_state_name(new), vrrp_reason_name(reason), NULL);
	const struct cfg_vrrp *r = find_instance(d->cfg, instance);
	if (r != NULL) {
		const char *cmd = new == VRRP_STATE_MASTER ? r->notify_master :
		    new == VRRP_STATE_BACKUP ? r->notify_backup :
		    new == VRRP_STATE_FAULT ? r->notify_fault : NULL;
		const char *what = new == VRRP_STATE_MASTER ? "notify_master" :
		    new == VRRP_STATE_BACKUP ? "notify_backup" : "notify_fault";
		run_notify(d, what, cmd, instance, old, new, reason);
	}
	if (strcmp(instance, f->first) != 0)
		return;
	bool active = new == VRRP_STATE_MASTER;
	if (active == f->active)
		return;
	f->active = active;
	if (active)
		connsync_active(&f->sync);
	else
		connsync_handoff(&f->sync, "lost mastership");
	const struct cfg_global *g = &d->cfg->global;
	run_notify(d, active ? "active_cmd" : "inactive_cmd", active ?
	    g->active_cmd : g->inactive_cmd, instance, old, new, reason);
	lvsd_notify_status(d);
}

/* ---- starting each mode -------------------------------------------------- */

/* Instance config for r; free c->vips and c->links afterwards. */
static void
build_instance(const struct failover *f, const struct cfg_vrrp *r,
    struct vrrp_instance_config *c, struct lvs_addr *peer)
{
	const struct lvsd *d = f->d;
	vrrp_instance_config_init(c);
	snprintf(c->name, sizeof(c->name), "%s", r->name);
	c->vrid = (uint8_t)r->vrid;
	c->version = (uint8_t)r->version;
	c->af = r->af;
	snprintf(c->ifname, sizeof(c->ifname), "%s", r->interface);
	c->priority = (uint8_t)(d->role == NODE_ROLE_BACKUP ?
	    r->priority_backup : r->priority_primary);
	c->advert_cs = (uint16_t)(r->advert_int / 10);
	c->preempt = r->preempt;
	c->preempt_delay_ms = r->preempt_delay;
	c->handoff_delay_ms = r->handoff_delay;
	if (r->auth_pass != NULL)
		snprintf(c->auth_pass, sizeof(c->auth_pass), "%s", r->auth_pass);
	if (r->unicast) {
		*peer = *other_director(d, false);
		c->peers = peer;
		c->npeers = 1;
	}
	struct vip_list l = { 0 };
	collect_vips(d->cfg, r, &l);
	c->vips = l.v;
	c->nvips = l.n;
	c->garp_count = r->garp_repeat;
	c->garp_delay_ms = r->garp_delay;
	c->links = collect_links(d->cfg, &l, r->interface, &c->nlinks);
}

/* Every instance of the running configuration, for start or reload. */
static struct vrrp_instance_config *
build_instances(const struct failover *f, struct lvs_addr **peers, size_t *n)
{
	const struct cfg *cfg = f->d->cfg;
	struct vrrp_instance_config *c = xcalloc(cfg->nvrrps, sizeof(*c));
	*peers = xcalloc(cfg->nvrrps, sizeof(**peers));
	*n = 0;
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		build_instance(f, r, &c[*n], &(*peers)[*n]);
		(*n)++;
	}
	return c;
}

static void
free_instances(struct vrrp_instance_config *c, struct lvs_addr *peers, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].vips);
		free(c[i].links);
	}
	free(c);
	free(peers);
}

static int
start_vrrp(struct failover *f)
{
	struct lvsd *d = f->d;
	f->vrrp = vrrp_new(d->event, on_role, f);
	if (f->vrrp == NULL)
		return -1;
	struct lvs_addr *peers;
	size_t n;
	struct vrrp_instance_config *c = build_instances(f, &peers, &n);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (vrrp_instance_config_check(&c[i]) < 0 ||
		    vrrp_instance_add(f->vrrp, &c[i]) < 0)
			rc = -1;
	free_instances(c, peers, n);
	snprintf(f->first, sizeof(f->first), "%s",
	    TAILQ_FIRST(&d->cfg->vrrps)->name);
	return rc == 0 ? vrrp_start(f->vrrp) : -1;
}

/* Pulse config of the running configuration; free c->vips, c->links. */
static void
build_pulse(const struct failover *f, struct pulse_config *c)
{
	const struct lvsd *d = f->d;
	const struct cfg_global *g = &d->cfg->global;
	pulse_config_init(c);
	c->primary = d->role != NODE_ROLE_BACKUP;
	c->partner = *other_director(d, false);
	c->partner_private = *other_director(d, true);
	c->port = (uint16_t)g->heartbeat_port;
	c->keepalive_ms = g->keepalive * 1000;
	c->deadtime_ms = g->deadtime * 1000;
	struct vip_list l = { 0 };
	collect_vips(d->cfg, NULL, &l);
	c->vips = l.v;
	c->nvips = l.n;
	if (l.n > 0)
		snprintf(c->ifname, sizeof(c->ifname), "%s", l.v[0].ifname);
	c->links = collect_links(d->cfg, &l, NULL, &c->nlinks);
}

static int
start_pulse(struct failover *f)
{
	struct pulse_config c;
	build_pulse(f, &c);
	snprintf(f->first, sizeof(f->first), "pulse");
	int rc = -1;
	if (pulse_config_check(&c) == 0 &&
	    (f->pulse = pulse_new(f->d->event, &c, on_role, f)) != NULL)
		rc = pulse_start(f->pulse);
	free(c.vips);
	free(c.links);
	return rc;
}

static int
start_lone(struct failover *f)
{
	struct lvsd *d = f->d;
	struct vip_list l = { 0 };
	collect_vips(d->cfg, NULL, &l);
	snprintf(f->first, sizeof(f->first), "director");
	f->hold = vrrp_hold_new(d->event, l.v, l.n,
	    l.n > 0 ? l.v[0].ifname : NULL, 5, 200);
	f->lone_vips = l;
	if (f->hold == NULL)
		return -1;
	/* A missing device must not stop the forwarding table from working. */
	if (vrrp_hold_take(f->hold) < 0)
		log_warnx("lone director: not every virtual address could be "
		    "added (see above)");
	if (!f->active)
		on_role(f, "director", VRRP_STATE_INIT, VRRP_STATE_MASTER,
		    VRRP_REASON_STARTUP);
	return 0;
}

static enum failover_mode
mode_of(const struct cfg *cfg)
{
	if (cfg->nvrrps > 0)
		return FO_VRRP;
	return cfg->global.backup_active ? FO_PULSE : FO_LONE;
}

static bool
same_vips(const struct vip_list *a, const struct vip_list *b)
{
	return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0;
}

/*
 * After a reload (d->cfg is the new generation): the same mechanism keeps
 * its state and takes the new settings; a different one restarts.
 */
int
failover_reconfigure(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (d->opts->dry_run)
		return 0;
	if (f == NULL || f->mode != mode_of(d->cfg)) {
		failover_stop(d);
		return failover_start(d);
	}
	int rc = 0;
	if (f->mode == FO_VRRP) {
		struct lvs_addr *peers;
		size_t n;
		struct vrrp_instance_config *c = build_instances(f, &peers, &n);
		rc = vrrp_reconfigure(f->vrrp, c, n);
		free_instances(c, peers, n);
		snprintf(f->first, sizeof(f->first), "%s",
		    TAILQ_FIRST(&d->cfg->vrrps)->name);
	} else if (f->mode == FO_PULSE) {
		struct pulse_config c;
		build_pulse(f, &c);
		rc = pulse_reconfigure(f->pulse, &c);
		free(c.vips);
		free(c.links);
	} else {
		struct vip_list l = { 0 };
		collect_vips(d->cfg, NULL, &l);
		bool same = same_vips(&l, &f->lone_vips);
		free(l.v);
		if (!same) {
			/* Released first: a shared address must not vanish after
			 * the new set took it. */
			vrrp_hold_free(f->hold);
			f->hold = NULL;
			free(f->lone_vips.v);
			rc = start_lone(f);
		}
	}
	connsync_reconfigure(&f->sync, d);
	if (rc < 0)
		log_warnx("failover: the new settings could not all be applied");
	return rc;
}

int
failover_start(struct lvsd *d)
{
	if (d->opts->dry_run) {
		log_info("dry run: failover (%s) not started: no adverts, no "
		    "addresses added", d->cfg->nvrrps > 0 ? "VRRP" :
		    d->cfg->global.backup_active ? "pulse heartbeat" :
		    "lone director");
		return 0;
	}
	struct failover *f = xcalloc(1, sizeof(*f));
	f->d = d;
	d->failover = f;
	f->mode = mode_of(d->cfg);
	connsync_start(&f->sync, d);
	static int (*const start[])(struct failover *) = {
		[FO_LONE] = start_lone, [FO_PULSE] = start_pulse,
		[FO_VRRP] = start_vrrp,
	};
	if (start[f->mode](f) < 0) {
		log_warnx("failover: cannot start (%s)", failover_mode_name(d));
		return -1;
	}
	return 0;
}

void
failover_stop(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	/* Release first: the peer takes over in skew time, not dead time,
	 * knowing every connection this director forwarded. */
	vrrp_free(f->vrrp);
	if (f->pulse != NULL) {
		pulse_stop(f->pulse);
		pulse_free(f->pulse);
	}
	vrrp_hold_free(f->hold);
	free(f->lone_vips.v);
	if (f->active) {
		connsync_handoff(&f->sync, "stopping");
		f->active = false;
		run_notify(d, "inactive_cmd", d->cfg->global.inactive_cmd,
		    f->first, VRRP_STATE_MASTER, VRRP_STATE_INIT,
		    VRRP_REASON_SHUTDOWN);
	}
	connsync_stop(&f->sync);	/* ends a handoff in progress first */
	free(f);
	d->failover = NULL;
}

const char *
failover_mode_name(const struct lvsd *d)
{
	static const char *const names[] = {
		[FO_LONE] = "lone director", [FO_PULSE] = "pulse heartbeat",
		[FO_VRRP] = "VRRP",
	};
	return d->failover != NULL ? names[d->failover->mode] : "none";
}

bool
failover_active(const struct lvsd *d)
{
	return d->failover != NULL && d->failover->active;
}

int
failover_drill(struct lvsd *d, unsigned hold_s, char *why, size_t whylen)
{
	struct failover *f = d->failover;
	if (f == NULL || f->mode == FO_LONE) {
		snprintf(why, whylen, "a lone director has no peer to fail over to");
		return -1;
	}
	if (!f->active) {
		snprintf(why, whylen, "this director is not the master: run the "
		    "drill on the master");
		return -1;
	}
	int n = f->mode == FO_VRRP ? vrrp_failover(f->vrrp, NULL, hold_s) :
	    pulse_failover(f->pulse, hold_s);
	if (n <= 0) {
		snprintf(why, whylen, "no instance was master");
		return -1;
	}
	log_info("failover drill: released mastership (hold %u s)", hold_s);
	return 0;
}

static struct json_object *
instance_json(const char *name, enum vrrp_state st, const struct vrrp_stats *vs)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "state",
	    json_object_new_string(vrrp_state_name(st)));
	json_object_object_add(o, "adverts_sent",
	    json_object_new_uint64(vs->adverts_sent));
	json_object_object_add(o, "adverts_received",
	    json_object_new_uint64(vs->adverts_received));
	json_object_object_add(o, "became_master",
	    json_object_new_uint64(vs->became_master));
	struct json_object *drops = json_object_new_object();
	uint64_t total = 0;
	for (int i = 1; i < VRRP_DROP_MAX; i++) {
		total += vs->dropped[i];
		if (vs->dropped[i] > 0)
			json_object_object_add(drops, vrrp_drop_name(i),
			    json_object_new_uint64(vs->dropped[i]));
	}
	json_object_object_add(o, "dropped", json_object_new_uint64(total));
	json_object_object_add(o, "dropped_by_reason", drops);
	return o;
}

struct json_object *
failover_status_json(const struct lvsd *d)
{
	const struct failover *f = d->failover;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "mode",
	    json_object_new_string(d->opts->dry_run ? "none (dry run)" :
	    failover_mode_name(d)));
	json_object_object_add(o, "active",
	    json_object_new_boolean(failover_active(d)));
	struct json_object *list = json_object_new_array();
	struct vrrp_stats vs;
	enum vrrp_state st;
	if (f != NULL && f->mode == FO_VRRP) {
		const struct cfg_vrrp *r;
		TAILQ_FOREACH(r, &d->cfg->vrrps, entry)
			if (vrrp_instance_stats(f->vrrp, r->name, &st, &vs) == 0)
				json_object_array_add(list,
				    instance_json(r->name, st, &vs));
	} else if (f != NULL && f->mode == FO_PULSE &&
	    pulse_stats(f->pulse, &st, &vs) == 0)
		json_object_array_add(list, instance_json("pulse", st, &vs));
	else if (f != NULL) {
		memset(&vs, 0, sizeof(vs));
		json_object_array_add(list, instance_json("director",
		    f->active ? VRRP_STATE_MASTER : VRRP_STATE_INIT, &vs));
	}
	json_object_object_add(o, "instances", list);
	return o;
}
