/*
 * vrrp_instance and vrrp_sync_group blocks of one director's file.  What
 * an instance becomes in lvs.cf depends on both directors' files, so this
 * only records it (struct imp_inst); imp_combine.c writes the `vrrp`
 * blocks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_site.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

const char *const imp_notify_keys[IMP_NOTIFY_N] = {
	"notify_master", "notify_backup", "notify_fault"
};

static struct imp_inst *
I(void *obj)
{
	return obj;
}

static void
i_state(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	if (strcmp(n->w[1].text, "MASTER") == 0)
		I(obj)->state_backup = false;
	else if (strcmp(n->w[1].text, "BACKUP") == 0)
		I(obj)->state_backup = true;
	else
		imp_invalid(c->d, &n->w[1].loc, "`state`: expected MASTER or "
		    "BACKUP, found `%s`", n->w[1].text);
}

static void
i_interface(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 1) || !imp_ifname_word(c->d, &n->w[1]))
		return;
	free(I(obj)->iface);
	I(obj)->iface = xstrdup(n->w[1].text);
}

static void
i_uint(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	const char *k = kc_key(n);
	if (strcmp(k, "virtual_router_id") == 0)
		imp_uint_arg(c->d, n, 1, 255, &r->vrid);
	else if (strcmp(k, "priority") == 0)
		imp_uint_arg(c->d, n, 1, 255, &r->prio);
	else if (strcmp(k, "version") == 0)
		imp_uint_arg(c->d, n, 2, 3, &r->version);
	else if (strcmp(k, "garp_master_repeat") == 0)
		imp_uint_arg(c->d, n, 1, 100, &r->garp_repeat);
}

static void
i_advert(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	uint32_t ms;
	if (!imp_timer_arg(c->d, n, 40950, &ms))
		return;
	if (ms < 10)
		imp_loss(c->d, &n->w[1].loc, "lvs.cf advertises at most every "
		    "10 ms");
	else
		I(obj)->advert_ms = ms;
}

static void
i_preempt(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	uint32_t ms;
	if (strcmp(kc_key(n), "nopreempt") == 0) {
		if (imp_nargs(c->d, n, 0, 0))
			r->nopreempt = true;
	} else if (strcmp(kc_key(n), "preempt") == 0) {
		if (imp_nargs(c->d, n, 0, 0))
			r->nopreempt = false;
	} else if (imp_timer_arg(c->d, n, 1000000, &ms))
		r->preempt_delay_ms = ms;
}

static void
i_auth(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *k = &n->kids[i];
		if (strcmp(kc_key(k), "auth_type") == 0 && imp_nargs(c->d, k, 1, 1)) {
			if (strcmp(k->w[1].text, "AH") == 0)
				imp_loss(c->d, &k->w[1].loc, "lvsd does not "
				    "speak VRRP's IPsec AH authentication");
			else if (strcmp(k->w[1].text, "PASS") != 0)
				imp_invalid(c->d, &k->w[1].loc, "`auth_type`: "
				    "expected PASS or AH, found `%s`", k->w[1].text);
		} else if (strcmp(kc_key(k), "auth_pass") == 0 &&
		    imp_nargs(c->d, k, 1, 1) && imp_text_word(c->d, &k->w[1])) {
			free(r->auth_pass);
			r->auth_pass = xstrndup(k->w[1].text, 8);
			if (strlen(k->w[1].text) > 8)
				imp_note(c->d, &k->w[1].loc, "keepalived uses "
				    "the first 8 characters of `auth_pass`: "
				    "so does lvs.cf");
		} else if (strcmp(kc_key(k), "auth_type") != 0 &&
		    strcmp(kc_key(k), "auth_pass") != 0)
			imp_invalid(c->d, &k->w[0].loc, "unknown keyword `%s` in "
			    "authentication (auth_type, auth_pass)", kc_key(k));
	}
}

/* Options of an address that lvs.cf has no place for. */
static bool
vip_option(struct imp_ctx *c, const struct kc_node *n, size_t *i,
    struct imp_vip *v)
{
	const char *w = n->w[*i].text;
	bool arg = *i + 1 < n->nw;
	if ((strcmp(w, "dev") == 0 || strcmp(w, "label") == 0) && arg) {
		const char *val = n->w[++*i].text;
		if (!imp_ifname_word(c->d, &n->w[*i]))
			return false;
		snprintf(w[0] == 'd' ? v->dev : v->label, IFNAMSIZ, "%s", val);
	} else if (strcmp(w, "scope") == 0 && arg) {
		if (strcmp(n->w[++*i].text, "global") != 0)
			imp_loss(c->d, &n->w[*i - 1].loc, "lvsd adds its addresses "
			    "with global scope: `scope %s` cannot be expressed",
			    n->w[*i].text);
	} else if ((strcmp(w, "brd") == 0 || strcmp(w, "preferred_lft") == 0) &&
	    arg) {
		imp_note(c->d, &n->w[*i].loc, "`%s %s`: lvsd adds the address "
		    "with the kernel's defaults", w, n->w[*i + 1].text);
		++*i;
	} else if (strcmp(w, "no_track") == 0 || strcmp(w, "-nodad") == 0 ||
	    strcmp(w, "noprefixroute") == 0 || strcmp(w, "mngtmpaddr") == 0 ||
	    strcmp(w, "autojoin") == 0 || strcmp(w, "home") == 0) {
		imp_note(c->d, &n->w[*i].loc, "`%s`: lvsd adds the address with "
		    "the kernel's defaults", w);
	} else {
		imp_loss(c->d, &n->w[*i].loc, "lvsd adds an address with its "
		    "prefix, device and label only: `%s` cannot be expressed", w);
		return false;
	}
	return true;
}

static void
i_vips(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	if (!n->block)
		imp_invalid(c->d, &n->w[0].loc, "`%s` needs a block `{ ... }`",
		    kc_key(n));
	for (size_t k = 0; k < n->nkids; k++) {
		const struct kc_node *e = &n->kids[k];
		struct imp_vip v = { .loc = e->w[0].loc };
		if (!imp_prefix_word(c->d, &e->w[0], &v.addr, &v.plen))
			continue;
		bool ok = true;
		for (size_t i = 1; ok && i < e->nw; i++)
			ok = vip_option(c, e, &i, &v);
		size_t dl = strlen(v.dev);
		if (v.label[0] != '\0' && v.dev[0] != '\0' &&
		    (strncmp(v.label, v.dev, dl) != 0 || v.label[dl] != ':'))
			imp_loss(c->d, &e->w[0].loc, "lvs.cf labels an address "
			    "`DEVICE:ALIAS` on its device: label `%s` on `%s` "
			    "cannot be expressed", v.label, v.dev);
		size_t dup = 0;
		while (dup < r->nvips && !addr_eq(&r->vips[dup].addr, &v.addr))
			dup++;
		if (dup < r->nvips) {
			imp_note(c->d, &e->w[0].loc, "%s is listed twice in this "
			    "instance (first at line %u): the first stands",
			    e->w[0].text, r->vips[dup].loc.line);
			continue;
		}
		r->vips = xrealloc(r->vips, (r->nvips + 1) * sizeof(v));
		r->vips[r->nvips++] = v;
	}
}

static void
i_vips_read(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)c, (void)n, (void)obj;	/* read before the other keywords */
}

static void
i_src(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	if (imp_nargs(c->d, n, 1, 1) && imp_addr_word(c->d, &n->w[1], &r->src))
		r->src_loc = n->w[1].loc;
}

static void
i_peers(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	r->unicast = true;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *p = &n->kids[i];
		struct lvs_addr a;
		if (!imp_addr_word(c->d, &p->w[0], &a))
			continue;
		if (p->nw > 1)
			imp_note(c->d, &p->w[1].loc, "lvsd accepts adverts with "
			    "TTL 255 only: `%s` is not needed", p->w[1].text);
		if (r->peer.af != AF_UNSPEC) {
			imp_loss(c->d, &p->w[0].loc, "lvs.cf has two directors: "
			    "a second unicast peer cannot be expressed");
			continue;
		}
		r->peer = a;
		r->peer_loc = p->w[0].loc;
	}
	if (r->peer.af == AF_UNSPEC)
		imp_invalid(c->d, &n->w[0].loc, "`unicast_peer` without an "
		    "address");
}

static void
i_notify(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	for (int i = 0; i < IMP_NOTIFY_N; i++)
		if (strcmp(kc_key(n), imp_notify_keys[i]) == 0)
			imp_map_notify(c, n, &r->notify[i]);
}

static void
i_garp_delay(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	uint32_t ms;
	if (!imp_timer_arg(c->d, n, 86400000, &ms) || ms == 0)
		return;
	(void)obj;
	imp_note(c->d, &n->w[0].loc, "lvsd sends its gratuitous ARPs "
	    "`garp_delay` apart and no second burst %u s after a takeover",
	    ms / 1000);
}

static void
i_track_primary(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (imp_nargs(c->d, n, 0, 0))
		I(obj)->track_primary = false;
}

static void
i_sync_daemon(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	if (!imp_nargs(c->d, n, 1, 1) || !imp_ifname_word(c->d, &n->w[1]))
		return;
	out_set(&c->site->global, "syncdaemon", "1");
	out_set(&c->site->global, "syncd_iface", "%s", n->w[1].text);
	r->sync_daemon = true;
	imp_note(c->d, &n->w[0].loc, "lvsd runs the master and the backup "
	    "sync daemon on both directors all the time");
}

static void i_track_interface(struct imp_ctx *c, const struct kc_node *n,
    void *obj);

#define U(k) { k, i_uint, 0, NULL }
#define NOTE(k, why) { k, NULL, IMP_NOTE, why }
#define LOSS(k, why) { k, NULL, IMP_LOSS, why }
#define PROTO_NOTE "`%s`: lvsd follows RFC 5798 here"
static const struct imp_kw inst_keys[] = {
	{ "state", i_state, 0, NULL },
	{ "interface", i_interface, 0, NULL },
	U("virtual_router_id"), U("priority"), U("version"),
	U("garp_master_repeat"),
	{ "advert_int", i_advert, 0, NULL },
	{ "nopreempt", i_preempt, 0, NULL },
	{ "preempt", i_preempt, 0, NULL },
	{ "preempt_delay", i_preempt, 0, NULL },
	{ "authentication", i_auth, 0, NULL },
	{ "virtual_ipaddress", i_vips_read, 0, NULL },
	{ "virtual_ipaddress_excluded", i_vips_read, 0, NULL },
	{ "unicast_src_ip", i_src, 0, NULL },
	{ "mcast_src_ip", i_src, 0, NULL },
	{ "unicast_peer", i_peers, 0, NULL },
	{ "notify_master", i_notify, 0, NULL },
	{ "notify_backup", i_notify, 0, NULL },
	{ "notify_fault", i_notify, 0, NULL },
	{ "garp_master_delay", i_garp_delay, 0, NULL },
	{ "dont_track_primary", i_track_primary, 0, NULL },
	{ "track_interface", i_track_interface, 0, NULL },
	{ "lvs_sync_daemon_interface", i_sync_daemon, 0, NULL },
	LOSS("notify_stop", "lvsd runs `inactive_cmd` when it stops, for the "
	    "whole director: a per-instance `%s` cannot be expressed"),
	LOSS("notify", IMP_WHY_NOTIFY),
	LOSS("notify_master_rx_lower_pri", "lvs.cf has no `%s` command"),
	LOSS("notify_deleted", "lvs.cf has no `%s` command"),
	LOSS("track_script", IMP_WHY_TRACK), LOSS("track_file", IMP_WHY_TRACK),
	LOSS("track_process", IMP_WHY_TRACK), LOSS("track_bfd", IMP_WHY_TRACK),
	LOSS("use_vmac", "lvsd has no virtual MAC interfaces: `%s` cannot be "
	    "expressed"),
	LOSS("vmac_xmit_base", "lvsd has no virtual MAC interfaces: `%s` "
	    "cannot be expressed"),
	LOSS("use_vmac_addr", "lvsd has no virtual MAC interfaces: `%s` "
	    "cannot be expressed"),
	LOSS("use_ipvlan", "lvsd has no ipvlan interfaces: `%s` cannot be "
	    "expressed"),
	LOSS("virtual_routes", "lvsd moves addresses, not routes: `%s` cannot "
	    "be expressed"),
	LOSS("virtual_rules", "lvsd moves addresses, not routing rules: `%s` "
	    "cannot be expressed"),
	LOSS("no_accept", "lvsd never drops traffic to the addresses it "
	    "holds: `%s` cannot be expressed"),
	LOSS("strict_mode", "lvsd never drops traffic to the addresses it "
	    "holds: `%s` cannot be expressed"),
	LOSS("mcast_dst_ip", "lvsd advertises to 224.0.0.18 / ff02::12: `%s` "
	    "cannot be expressed"),
	LOSS("down_timer_adverts", "lvsd's master-down interval is three "
	    "adverts, as RFC 5798's: `%s` cannot be expressed"),
	LOSS("vrf", "lvsd has no VRF support: `%s` cannot be expressed"),
	NOTE("accept", "`%s`: lvsd always accepts traffic to its addresses"),
	NOTE("native_ipv6", "`%s`: the family follows the addresses"),
	NOTE("smtp_alert", IMP_WHY_MAIL),
	NOTE("debug", "`%s`: lvsd's verbosity is `lvsd -d`"),
	NOTE("garp_lower_prio_delay", "`%s`: lvsd announces on takeover only"),
	NOTE("garp_lower_prio_repeat", "`%s`: lvsd announces on takeover only"),
	NOTE("garp_master_refresh", "`%s`: lvsd announces on takeover only"),
	NOTE("garp_master_refresh_repeat", "`%s`: lvsd announces on takeover "
	    "only"),
	NOTE("garp_extra_if", "`%s`: lvsd announces on takeover only"),
	NOTE("skip_check_adv_addr", PROTO_NOTE),
	NOTE("check_unicast_src", "`%s`: lvsd accepts unicast adverts from the "
	    "other director only"),
	NOTE("unicast_fault_no_peer", PROTO_NOTE),
	NOTE("unicast_ttl", "`%s`: lvsd sends with TTL 255, as RFC 5798"),
	NOTE("track_src_ip", PROTO_NOTE),
	NOTE("old_unicast_checksum", PROTO_NOTE),
	NOTE("lower_prio_no_advert", PROTO_NOTE),
	NOTE("higher_prio_send_advert", PROTO_NOTE),
	NOTE("kernel_rx_buf_size", "`%s`: lvsd sizes its own buffers"),
	NOTE("linkbeat_use_polling", "`%s`: lvsd hears link changes from "
	    "netlink"),
	NOTE("notify_priority_changes", "`%s`: lvsd has no notify FIFO"),
	NOTE("promote_secondaries", "`%s`: lvsd leaves the interface's "
	    "settings alone"),
};

/* Unweighted entries on the instance's own devices map to monitor_links. */
static void
i_track_interface(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_inst *r = obj;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *t = &n->kids[i];
		const char *dev = kc_key(t);
		bool own = r->iface != NULL && strcmp(dev, r->iface) == 0;
		for (size_t k = 0; k < r->nvips; k++)
			own |= strcmp(r->vips[k].dev, dev) == 0;
		if (t->nw > 1)
			imp_loss(c->d, &t->w[1].loc, "lvs.cf has no weighted "
			    "tracking: `%s` cannot be expressed", t->w[1].text);
		else if (!own)
			imp_loss(c->d, &t->w[0].loc, "lvsd watches the links of "
			    "the instance's interface and of its addresses' "
			    "devices only (monitor_links): `%s` is neither", dev);
	}
}

void
imp_map_vrrp_instance(struct imp_ctx *c, const struct kc_node *n)
{
	struct imp_site *s = c->site;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	for (size_t i = 0; i < s->ninsts; i++)
		if (strcmp(s->insts[i].name, n->w[1].text) == 0) {
			imp_invalid(c->d, &n->w[1].loc, "vrrp_instance %s is "
			    "already defined at line %u", n->w[1].text,
			    s->insts[i].loc.line);
			return;
		}
	struct imp_inst r = { .name = xstrdup(n->w[1].text), .loc = n->w[0].loc,
	    .version = s->def.vrrp_version, .prio = 100, .advert_ms = 1000,
	    .track_primary = true, .garp_repeat = s->def.garp_repeat,
	    .garp_delay_ms = s->def.garp_delay_ms };
	/* the addresses first: track_interface looks at their devices */
	for (size_t i = 0; i < n->nkids; i++)
		if (strncmp(kc_key(&n->kids[i]), "virtual_ipaddress", 17) == 0)
			i_vips(c, &n->kids[i], &r);
	imp_dispatch(c, n, inst_keys, NELEMS(inst_keys), &r, "a vrrp_instance");
	if (r.sync_daemon)	/* keepalived's sync id: the instance's vrid */
		out_set(&s->global, "syncd_id", "%u", r.vrid);
	if (r.vrid == 0)
		imp_invalid(c->d, &n->w[0].loc, "vrrp_instance %s has no "
		    "`virtual_router_id`", r.name);
	for (size_t i = 0; i < r.nvips; i++)
		if (r.vips[i].addr.af == AF_INET6 && r.version == 2)
			r.version = 3;	/* as keepalived: IPv6 is VRRPv3 */
	s->insts = xrealloc(s->insts, (s->ninsts + 1) * sizeof(r));
	s->insts[s->ninsts++] = r;
}
