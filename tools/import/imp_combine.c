#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_combine.h"
#include "tools/import/imp_eff.h"
#include "tools/import/imp_words.h"

/* The two directors' versions of one lvs.cf instance (b NULL: one file). */
struct pair {
	const struct imp_eff *p, *b;
	const char *iface;		/* where it advertises */
	uint32_t prio_p, prio_b;
	bool preempt;
};

static const struct imp_eff *
find_eff(const struct imp_eff *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static bool
same_vips(const struct imp_eff *a, const struct imp_eff *b)
{
	if (a->nvips != b->nvips)
		return false;
	for (size_t i = 0; i < a->nvips; i++) {
		bool found = false;
		for (size_t k = 0; k < b->nvips && !found; k++)
			found = addr_eq(&a->vips[i]->addr, &b->vips[k]->addr);
		if (!found)
			return false;
	}
	return true;
}

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* What lvs.cf gives both directors alike must agree between the files. */
static void
compare_pair(struct imp_diags *d, const struct pair *pr)
{
	const struct imp_inst *p = pr->p->first, *b = pr->b->first;
	const char *what = NULL;
	if (p->vrid != b->vrid)
		what = "virtual_router_id";
	else if (!str_eq(p->iface, b->iface))
		what = "interface";
	else if (p->version != b->version)
		what = "version";
	else if (p->advert_ms != b->advert_ms)
		what = "advert_int";
	else if (!str_eq(p->auth_pass, b->auth_pass))
		what = "auth_pass";
	else if (p->unicast != b->unicast)
		what = "unicast_peer";
	else if (!same_vips(pr->p, pr->b))
		what = "virtual_ipaddress";
	if (what != NULL)
		imp_loss(d, &b->loc, "vrrp_instance %s: lvs.cf gives both "
		    "directors one `%s`, and the two files differ", b->name, what);
	for (int k = 0; k < IMP_NOTIFY_N; k++) {
		const struct imp_script *x = pr->p->notify[k], *y = pr->b->notify[k];
		if (!str_eq(x ? x->cmd : NULL, y ? y->cmd : NULL))
			imp_loss(d, y ? &y->loc : &b->loc, "vrrp_instance %s: "
			    "lvs.cf runs one `%s` on both directors, and the two "
			    "files differ", b->name, imp_notify_keys[k]);
	}
}

/* The backup's priority, said when assumed; false if none fits. */
static bool
priorities(struct imp_diags *d, struct pair *pr, bool swapped_everywhere)
{
	const struct imp_inst *p = pr->p->first;
	pr->prio_p = p->prio;
	pr->preempt = !p->nopreempt;
	if (pr->b == NULL) {
		if (p->prio == 1) {
			imp_loss(d, &p->loc, "vrrp_instance %s has priority 1: no "
			    "lower priority is left for the backup director",
			    p->name);
			return false;
		}
		pr->prio_b = p->prio > 50 ? p->prio - 50 : p->prio - 1;
		imp_note(d, &p->loc, "vrrp_instance %s: this file is taken as "
		    "the primary director's (priority %u)%s; the backup's "
		    "priority is assumed to be %u: give the backup's file to use "
		    "its own", p->name, p->prio, p->state_backup ?
		    " although it says `state BACKUP`" : "", pr->prio_b);
		return true;
	}
	const struct imp_inst *b = pr->b->first;
	pr->prio_b = b->prio;
	if (b->prio < p->prio)
		return true;
	if (b->prio == p->prio && p->prio > 1) {
		pr->prio_b = p->prio - 1;
		pr->preempt = false;
		imp_note(d, &b->loc, "vrrp_instance %s: both directors have "
		    "priority %u, so keepalived never preempts and elects the "
		    "higher address at a simultaneous start; lvs.cf gives the "
		    "backup %u with `preempt = 0` (the primary wins a "
		    "simultaneous start)", b->name, p->prio, pr->prio_b);
		return true;
	}
	imp_loss(d, &b->loc, "vrrp_instance %s: the backup's priority (%u) is "
	    "not below the primary's (%u); lvs.cf's primary director has the "
	    "higher priority in every instance%s", b->name, b->prio, p->prio,
	    swapped_everywhere ? " (give the files in the other order)" : "");
	return false;
}

static void
write_vrrp(const struct pair *pr, bool unicast_ok, struct out_block *o)
{
	const struct imp_inst *r = pr->p->first;
	memset(o, 0, sizeof(*o));
	o->kind = xstrdup("vrrp");
	o->name = xstrdup(pr->p->name);
	o->from = pr->p->loc;
	out_set(o, "vrid", "%u", r->vrid);
	out_set(o, "interface", "%s", pr->iface);
	out_set(o, "version", "%u", r->version);
	out_set(o, "priority_primary", "%u", pr->prio_p);
	out_set(o, "priority_backup", "%u", pr->prio_b);
	char *t = imp_fmt_ms(r->advert_ms);
	out_set(o, "advert_int", "%s", t);
	free(t);
	if (!pr->preempt)
		out_set(o, "preempt", "0");
	if (pr->preempt && r->preempt_delay_ms != 0) {
		t = imp_fmt_ms(r->preempt_delay_ms);
		out_set(o, "preempt_delay", "%s", t);
		free(t);
	}
	if (r->auth_pass != NULL && r->version == 2)
		out_set(o, "auth_pass", "%s", r->auth_pass);
	if (r->unicast && unicast_ok)
		out_set(o, "unicast", "1");
	if (r->garp_repeat != 0)
		out_set(o, "garp_repeat", "%u", r->garp_repeat);
	if (r->garp_delay_ms != 0) {
		t = imp_fmt_ms(r->garp_delay_ms);
		out_set(o, "garp_delay", "%s", t);
		free(t);
	}
	for (int k = 0; k < IMP_NOTIFY_N; k++)
		if (pr->p->notify[k] != NULL)
			out_set(o, imp_notify_keys[k], "%s", pr->p->notify[k]->cmd);
}

/*
 * keepalived hears any sender; lvs.cf only the directors it names, and for
 * IPv6 those are link-local addresses no keepalived.conf gives: keep
 * keepalived's behaviour, and say how to close it.
 */
static void
ipv6_senders(struct imp_diags *d, const struct pair *pr, bool unicast_ok,
    struct out_block *o)
{
	const struct imp_eff *e = pr->p;
	const struct imp_inst *r = e->first;
	if ((r->unicast && unicast_ok) || e->nvips == 0 ||
	    e->vips[0]->addr.af != AF_INET6)
		return;
	out_set(o, "accept_any_sender", "1");
	imp_note(d, &r->loc, "vrrp_instance %s: IPv6 adverts come from "
	    "link-local addresses, which keepalived.conf does not give; "
	    "`accept_any_sender = 1` hears any sender, as keepalived does: "
	    "list the directors' link-local addresses in `peers` instead",
	    r->name);
}

/* An instance without `interface` (unicast): its first address's device. */
static const char *
advert_iface(struct imp_diags *d, const struct imp_site *s,
    const struct imp_eff *e)
{
	const struct imp_inst *r = e->first;
	if (r->iface != NULL)
		return r->iface;
	static char dev[IFNAMSIZ];
	const char *why = "keepalived's default_interface";
	if (e->nvips > 0 && (e->vips[0]->dev[0] || e->vips[0]->label[0])) {
		const char *l = e->vips[0]->dev[0] ? e->vips[0]->dev :
		    e->vips[0]->label;
		snprintf(dev, sizeof(dev), "%.*s", (int)strcspn(l, ":"), l);
		why = "the device of its first address";
	} else
		snprintf(dev, sizeof(dev), "%s", s->def.default_interface ?
		    s->def.default_interface : "eth0");
	imp_note(d, &r->loc, "vrrp_instance %s names no `interface`; lvsd "
	    "advertises on one: %s, %s", r->name, dev, why);
	return dev;
}

/* Checks of one instance that need no peer. */
static bool
check_instance(struct imp_diags *d, const struct imp_eff *e)
{
	const struct imp_inst *r = e->first;
	bool ok = true;
	if (r->auth_pass != NULL && r->version == 3)
		imp_note(d, &r->loc, "vrrp_instance %s: VRRP version 3 has no "
		    "authentication; keepalived ignores `auth_pass`, so does "
		    "lvs.cf", r->name);
	if (r->version == 2 && r->advert_ms % 1000 != 0) {
		imp_loss(d, &r->loc, "vrrp_instance %s: VRRP version 2 advertises "
		    "in whole seconds (`version 3` takes fractions)", r->name);
		ok = false;
	}
	for (size_t i = 1; i < e->nvips; i++)
		if (e->vips[i]->addr.af != e->vips[0]->addr.af) {
			imp_loss(d, &e->vips[i]->loc, "an lvs.cf VRRP instance "
			    "holds addresses of one family: this one cannot join "
			    "%s", e->name);
			ok = false;
			break;
		}
	return ok;
}

/* ---- the directors' addresses ---------------------------------------- */

struct directors {
	struct lvs_addr p, b;
};

static void
check_peers(struct imp_diags *d, const struct imp_site *s,
    const struct lvs_addr *self, const struct lvs_addr *other, const char *who)
{
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < s->ninsts; i++) {
		const struct imp_inst *r = &s->insts[i];
		if (r->src.af != AF_UNSPEC && self->af != AF_UNSPEC &&
		    !addr_eq(&r->src, self))
			imp_loss(d, &r->src_loc, "lvs.cf has one address per "
			    "director: the %s is %s here", who, addr_fmt(self, a));
		if (r->peer.af != AF_UNSPEC && other->af != AF_UNSPEC &&
		    !addr_eq(&r->peer, other))
			imp_loss(d, &r->peer_loc, "lvs.cf's unicast adverts go to "
			    "the other director's address, %s", addr_fmt(other, a));
	}
}

static void
first_addr(const struct imp_site *s, bool src, struct lvs_addr *out)
{
	for (size_t i = 0; s != NULL && i < s->ninsts && out->af == AF_UNSPEC; i++)
		*out = src ? s->insts[i].src : s->insts[i].peer;
}

/* primary, backup and backup_active; false when they are unknown. */
static bool
directors(struct imp_diags *d, const struct imp_site *p,
    const struct imp_site *b, const struct imp_opts *o, struct out_block *g)
{
	struct directors x = { { 0 }, { 0 } };
	if (o->primary != NULL)
		addr_parse(o->primary, &x.p);
	if (o->backup != NULL)
		addr_parse(o->backup, &x.b);
	first_addr(p, true, &x.p);
	first_addr(b, false, &x.p);
	first_addr(b, true, &x.b);
	first_addr(p, false, &x.b);
	check_peers(d, p, &x.p, &x.b, "primary");
	if (b != NULL)
		check_peers(d, b, &x.b, &x.p, "backup");
	if (x.p.af == AF_UNSPEC || x.b.af == AF_UNSPEC) {
		imp_loss(d, &p->insts[0].loc, "lvs.cf names both directors' "
		    "addresses (each finds its role by the one it owns), and "
		    "keepalived.conf has %s: give --primary ADDRESS and --backup "
		    "ADDRESS", x.p.af == AF_UNSPEC && x.b.af == AF_UNSPEC ?
		    "neither (no unicast_src_ip or unicast_peer)" :
		    x.p.af == AF_UNSPEC ? "no primary's" : "no backup's");
		return false;
	}
	if (addr_eq(&x.p, &x.b)) {
		imp_loss(d, &p->insts[0].loc, "the primary's and the backup's "
		    "address are the same");
		return false;
	}
	char a[LVS_ADDRSTRLEN];
	out_set(g, "primary", "%s", addr_fmt(&x.p, a));
	out_set(g, "backup", "%s", addr_fmt(&x.b, a));
	out_set(g, "backup_active", "1");
	return true;
}

/* keepalived watches each instance's interface unless told not to. */
static void
monitor_links(struct imp_diags *d, const struct imp_site *p,
    struct out_block *g)
{
	if (p->ninsts == 0)
		return;
	bool t = p->insts[0].track_primary;
	for (size_t i = 1; i < p->ninsts; i++)
		if (p->insts[i].track_primary != t)
			imp_loss(d, &p->insts[i].loc, "lvs.cf watches the links of "
			    "every instance or of none (monitor_links): "
			    "`dont_track_primary` on some instances only cannot "
			    "be expressed");
	out_set(g, "monitor_links", "%d", t ? 1 : 0);
}

/* ---- both files describe one site ------------------------------------ */

static const struct kc_loc *
site_loc(const struct imp_site *s)
{
	return s->global.from.file ? &s->global.from : NULL;
}

static void
compare_sites(struct imp_diags *d, const struct imp_site *p,
    const struct imp_site *b)
{
	const char *k = out_block_diff(&p->global, &b->global);
	if (k != NULL)
		imp_loss(d, site_loc(b), "lvs.cf gives both directors one `%s`, "
		    "and the two files differ", k);
	for (size_t i = 0; i < b->nvirts; i++) {
		const struct imp_virtual *v = &b->virts[i];
		size_t j = 0;
		while (j < p->nvirts && strcmp(p->virts[j].blk.name, v->blk.name))
			j++;
		if (j == p->nvirts)
			imp_loss(d, &v->blk.from, "lvs.cf gives both directors one "
			    "table: this service is not in the primary's file");
		else if (!out_block_equal(&p->virts[j].blk, &v->blk)) {
			const char *key = out_block_diff(&p->virts[j].blk, &v->blk);
			imp_loss(d, &v->blk.from, "lvs.cf gives both directors one "
			    "table: this service differs from the primary's (line "
			    "%u)%s%s%s", p->virts[j].blk.from.line, key ? " in `" :
			    " in its real servers", key ? key : "", key ? "`" : "");
		}
	}
	for (size_t j = 0; j < p->nvirts; j++) {
		size_t i = 0;
		while (i < b->nvirts && strcmp(p->virts[j].blk.name, b->virts[i].blk.name))
			i++;
		if (i == b->nvirts)
			imp_loss(d, &p->virts[j].blk.from, "lvs.cf gives both "
			    "directors one table: this service is not in the "
			    "backup's file");
	}
}

static sa_family_t
eff_family(const struct imp_eff *e)
{
	return e->nvips > 0 ? e->vips[0]->addr.af : AF_INET;
}

/* VRRP's key is (vrid, family, interface): one lvs.cf instance each. */
static bool
same_vrid(struct imp_diags *d, const struct pair *done, size_t n,
    const struct pair *x)
{
	for (size_t i = 0; i < n; i++)
		if (done[i].p->first->vrid == x->p->first->vrid &&
		    eff_family(done[i].p) == eff_family(x->p) &&
		    strcmp(done[i].iface, x->iface) == 0) {
			imp_loss(d, &x->p->first->loc, "vrrp_instance %s: vrid %u "
			    "on %s is already %s's; lvs.cf runs one instance per "
			    "vrid, family and interface", x->p->first->name,
			    x->p->first->vrid, x->iface, done[i].p->name);
			return true;
		}
	return false;
}

static size_t
make_pairs(struct imp_diags *d, const struct imp_site *s, struct imp_eff *pe, size_t np,
    struct imp_eff *be, size_t nb, struct pair *pairs)
{
	size_t n = 0, higher = 0;
	for (size_t i = 0; i < np; i++) {
		const struct imp_eff *b = be ? find_eff(be, nb, pe[i].name) : NULL;
		if (be != NULL && b == NULL) {
			imp_loss(d, &pe[i].loc, "vrrp instance %s is not in the "
			    "backup's file", pe[i].name);
			continue;
		}
		if (b != NULL && b->first->prio > pe[i].first->prio)
			higher++;
		pairs[n++] = (struct pair){ .p = &pe[i], .b = b, .preempt = true };
	}
	for (size_t i = 0; be != NULL && i < nb; i++)
		if (find_eff(pe, np, be[i].name) == NULL)
			imp_loss(d, &be[i].loc, "vrrp instance %s is not in the "
			    "primary's file", be[i].name);
	size_t ok = 0;
	for (size_t i = 0; i < n; i++) {
		if (pairs[i].b != NULL)
			compare_pair(d, &pairs[i]);
		if (!check_instance(d, pairs[i].p) ||
		    !priorities(d, &pairs[i], higher == n))
			continue;
		pairs[i].iface = xstrdup(advert_iface(d, s, pairs[i].p));
		if (same_vrid(d, pairs, ok, &pairs[i])) {
			free((char *)(uintptr_t)pairs[i].iface);
			continue;
		}
		pairs[ok++] = pairs[i];
	}
	return ok;
}

/* keepalived runs commands as keepalived_script (or root) by default. */
static void
note_script_user(struct imp_diags *d, const struct imp_result *r)
{
	if (out_get(&r->global, "script_user") != NULL)
		return;
	const struct out_block *b = NULL;
	for (size_t i = 0; b == NULL && i < r->nvrrps; i++)
		for (int k = 0; k < IMP_NOTIFY_N; k++)
			if (out_get(&r->vrrps[i], imp_notify_keys[k]) != NULL)
				b = &r->vrrps[i];
	for (size_t i = 0; b == NULL && i < r->nvirts; i++)
		if (out_get(&r->virts[i], "check_program") != NULL)
			b = &r->virts[i];
	if (b != NULL)
		imp_note(d, &b->from, "keepalived runs its scripts as the user "
		    "keepalived_script (or root when there is none), lvsd as "
		    "`script_user` (default: the unprivileged user lvsd): set it "
		    "in lvs.cf if that matters");
}

/* True when a virtual's `address` names a device: lvsd moves it. */
static bool
moved(const struct out_block *v)
{
	const char *a = out_get(v, "address");
	return a != NULL && strchr(a, ' ') != NULL;
}

/* True when instance i of out holds an address lvs.cf can move. */
static bool
holds_address(const struct imp_result *out, size_t i)
{
	const char *name = out->vrrps[i].name;
	if (i == 0 && out_get(&out->global, "nat_router") != NULL &&
	    strchr(out_get(&out->global, "nat_router"), ' ') != NULL)
		return true;
	for (size_t k = 0; k < out->nvirts; k++) {
		const char *r = out_get(&out->virts[k], "vrrp");
		if (moved(&out->virts[k]) && ((r == NULL && i == 0) ||
		    (r != NULL && strcmp(r, name) == 0)))
			return true;
	}
	return false;
}

/*
 * An instance none of whose addresses lvs.cf can hold is not written:
 * lvsd refuses a `vrrp` block that moves no address (each of its
 * addresses was reported already).
 */
static void
drop_empty_instances(struct imp_diags *d, const struct imp_eff *effs,
    struct imp_result *out)
{
	size_t k = 0;
	for (size_t i = 0; i < out->nvrrps; i++) {
		if (holds_address(out, i)) {
			out->vrrps[k++] = out->vrrps[i];
			continue;
		}
		imp_loss(d, &effs[i].loc, "vrrp_instance %s moves no address lvs.cf "
		    "can hold: it is not converted", effs[i].name);
		for (size_t v = 0; v < out->nvirts; v++) {
			const char *r = out_get(&out->virts[v], "vrrp");
			if (r != NULL && strcmp(r, out->vrrps[i].name) == 0)
				out_unset(&out->virts[v], "vrrp");
		}
		out_block_clear(&out->vrrps[i]);
	}
	out->nvrrps = k;
}

void
imp_combine(struct imp_diags *d, struct imp_site *p, struct imp_site *b,
    const struct imp_opts *o, struct imp_result *out)
{
	memset(out, 0, sizeof(*out));
	struct imp_eff *pe, *be = NULL;
	size_t np = imp_eff_build(d, p, &pe), nb = 0;
	if (b != NULL) {
		nb = imp_eff_build(d, b, &be);
		compare_sites(d, p, b);
	}
	struct pair *pairs = xcalloc(np + 1, sizeof(*pairs));
	size_t n = make_pairs(d, p, pe, np, be, nb, pairs);
	bool known = false;
	if (np > 0) {
		known = directors(d, p, b, o, &out->global);
		monitor_links(d, p, &out->global);
	}
	for (size_t i = 0; i < p->global.nkv; i++)
		out_set(&out->global, p->global.kv[i].key, "%s",
		    p->global.kv[i].value);
	/* only the instances written can hold addresses */
	struct imp_eff *held = xcalloc(n + 1, sizeof(*held));
	out->vrrps = xcalloc(n + 1, sizeof(*out->vrrps));
	for (size_t i = 0; i < n; i++) {
		write_vrrp(&pairs[i], known, &out->vrrps[out->nvrrps]);
		ipv6_senders(d, &pairs[i], known, &out->vrrps[out->nvrrps++]);
		held[i] = *pairs[i].p;
	}
	imp_place_addresses(d, p, held, n, out);
	drop_empty_instances(d, held, out);
	note_script_user(d, out);
	free(held);
	for (size_t i = 0; i < n; i++)
		free((char *)(uintptr_t)pairs[i].iface);
	free(pairs);
	imp_eff_free(pe, np);
	if (be != NULL)
		imp_eff_free(be, nb);
}

void
imp_result_clear(struct imp_result *r)
{
	out_block_clear(&r->global);
	for (size_t i = 0; i < r->nvrrps; i++)
		out_block_clear(&r->vrrps[i]);
	free(r->vrrps);
	for (size_t i = 0; i < r->nvirts; i++)
		out_block_clear(&r->virts[i]);
	free(r->virts);
	memset(r, 0, sizeof(*r));
}
