/*
 * Messages between the parent and the failover process: the failover
 * plan (VRRP instances, pulse settings or a lone director's addresses),
 * role changes and counters.  Decoders check every field's range: the
 * failover process acts only on a plan that could have come from the
 * parent's own plan stage.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/proto.h"
#include "lib/xalloc.h"

#define VIP_MIN_LEN	(17 + 1 + 4 + 4)	/* addr, plen, two strings */
#define LINK_MIN_LEN	(4 + 4)
#define ADDR_MIN_LEN	17
#define MAX_SENDERS	64	/* lvs.cf gives at most 4 + CFG_ADDRS_MAX */

/* ---- the pieces of a plan ------------------------------------------------ */

static void
put_vips(struct msg_out *o, const struct vrrp_vip *v, size_t n)
{
	msg_put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		msg_put_addr(o, &v[i].addr);
		msg_put_u8(o, v[i].plen);
		msg_put_str(o, v[i].ifname);
		msg_put_str(o, v[i].label);
	}
}

static struct vrrp_vip *
get_vips(struct msg_in *in, size_t *n)
{
	*n = msg_get_count(in, VIP_MIN_LEN);
	struct vrrp_vip *v = *n > 0 ? xcalloc(*n, sizeof(*v)) : NULL;
	for (size_t i = 0; i < *n && in->err == NULL; i++) {
		msg_get_addr(in, &v[i].addr);
		v[i].plen = msg_get_u8(in);
		msg_get_strbuf(in, v[i].ifname, sizeof(v[i].ifname));
		msg_get_strbuf(in, v[i].label, sizeof(v[i].label));
		if (in->err == NULL && (v[i].addr.af == AF_UNSPEC ||
		    v[i].plen > addr_max_prefix(v[i].addr.af)))
			msg_fail(in, "a virtual address without family or with "
			    "too long a prefix");
	}
	return v;
}

static void
put_links(struct msg_out *o, const struct vrrp_link_watch *l, size_t n)
{
	msg_put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		msg_put_str(o, l[i].ifname);
		msg_put_i32(o, l[i].priority_delta);
	}
}

static struct vrrp_link_watch *
get_links(struct msg_in *in, size_t *n)
{
	*n = msg_get_count(in, LINK_MIN_LEN);
	struct vrrp_link_watch *l = *n > 0 ? xcalloc(*n, sizeof(*l)) : NULL;
	for (size_t i = 0; i < *n && in->err == NULL; i++) {
		msg_get_strbuf(in, l[i].ifname, sizeof(l[i].ifname));
		l[i].priority_delta = msg_get_i32(in);
	}
	return l;
}

static void
put_instance(struct msg_out *o, const struct vrrp_instance_config *c)
{
	msg_put_str(o, c->name);
	msg_put_u8(o, c->vrid);
	msg_put_u8(o, c->version);
	msg_put_u8(o, c->af == AF_INET6 ? 6 : 4);
	msg_put_str(o, c->ifname);
	msg_put_u8(o, c->priority);
	msg_put_u16(o, c->advert_cs);
	msg_put_bool(o, c->preempt);
	msg_put_u32(o, c->preempt_delay_ms);
	msg_put_u32(o, c->handoff_delay_ms);
	msg_put_str(o, c->auth_pass);
	msg_put_addr(o, &c->src);
	msg_put_addr(o, &c->link_local);
	msg_put_u32(o, (uint32_t)c->npeers);
	for (size_t i = 0; i < c->npeers; i++)
		msg_put_addr(o, &c->peers[i]);
	msg_put_u32(o, (uint32_t)c->nsenders);
	for (size_t i = 0; i < c->nsenders; i++)
		msg_put_addr(o, &c->senders[i]);
	msg_put_bool(o, c->any_sender);
	msg_put_u16(o, c->query_port);
	put_vips(o, c->vips, c->nvips);
	msg_put_u32(o, c->garp_count);
	msg_put_u32(o, c->garp_delay_ms);
	put_links(o, c->links, c->nlinks);
}

/* Fills c; its one unicast peer goes to *peer (a plan's layout). */
static void
get_instance(struct msg_in *in, struct vrrp_instance_config *c,
    struct lvs_addr *peer)
{
	vrrp_instance_config_init(c);
	msg_get_strbuf(in, c->name, sizeof(c->name));
	c->vrid = msg_get_u8(in);
	c->version = msg_get_u8(in);
	uint8_t fam = msg_get_u8(in);
	c->af = fam == 6 ? AF_INET6 : AF_INET;
	if (fam != 4 && fam != 6)
		msg_fail(in, "an instance of an unknown family");
	msg_get_strbuf(in, c->ifname, sizeof(c->ifname));
	c->priority = msg_get_u8(in);
	c->advert_cs = msg_get_u16(in);
	c->preempt = msg_get_bool(in);
	c->preempt_delay_ms = msg_get_u32(in);
	c->handoff_delay_ms = msg_get_u32(in);
	msg_get_strbuf(in, c->auth_pass, sizeof(c->auth_pass));
	msg_get_addr(in, &c->src);
	msg_get_addr(in, &c->link_local);
	uint32_t npeers = msg_get_count(in, ADDR_MIN_LEN);
	if (npeers > 1)
		msg_fail(in, "an instance with more than one unicast peer");
	else if (npeers == 1) {
		msg_get_addr(in, peer);
		c->peers = peer;
		c->npeers = 1;
	}
	size_t ns = msg_get_count(in, ADDR_MIN_LEN);
	if (ns > MAX_SENDERS)
		msg_fail(in, "an instance with too many routers");
	c->senders = ns > 0 && in->err == NULL ?
	    xcalloc(ns, sizeof(*c->senders)) : NULL;
	for (; c->senders != NULL && c->nsenders < ns && in->err == NULL;
	    c->nsenders++)
		msg_get_addr(in, &c->senders[c->nsenders]);
	c->any_sender = msg_get_bool(in);
	c->query_port = msg_get_u16(in);
	c->vips = get_vips(in, &c->nvips);
	c->garp_count = msg_get_u32(in);
	c->garp_delay_ms = msg_get_u32(in);
	c->links = get_links(in, &c->nlinks);
	/* The module's own rules: nothing the plan stage would not pass. */
	if (in->err == NULL && vrrp_instance_config_check(c, NULL, NULL) < 0)
		msg_fail(in, "an instance the vrrp module refuses (logged)");
}

static void
put_pulse(struct msg_out *o, const struct pulse_config *c)
{
	msg_put_bool(o, c->primary);
	msg_put_addr(o, &c->partner);
	msg_put_addr(o, &c->partner_private);
	msg_put_u16(o, c->port);
	msg_put_u32(o, c->keepalive_ms);
	msg_put_u32(o, c->deadtime_ms);
	msg_put_str(o, c->ifname);
	put_vips(o, c->vips, c->nvips);
	msg_put_u32(o, c->garp_count);
	msg_put_u32(o, c->garp_delay_ms);
	put_links(o, c->links, c->nlinks);
}

static void
get_pulse(struct msg_in *in, struct pulse_config *c)
{
	pulse_config_init(c);
	c->primary = msg_get_bool(in);
	msg_get_addr(in, &c->partner);
	msg_get_addr(in, &c->partner_private);
	c->port = msg_get_u16(in);
	c->keepalive_ms = msg_get_u32(in);
	c->deadtime_ms = msg_get_u32(in);
	msg_get_strbuf(in, c->ifname, sizeof(c->ifname));
	c->vips = get_vips(in, &c->nvips);
	c->garp_count = msg_get_u32(in);
	c->garp_delay_ms = msg_get_u32(in);
	c->links = get_links(in, &c->nlinks);
	if (in->err == NULL && pulse_config_check(c, NULL, NULL) < 0)
		msg_fail(in, "pulse settings the vrrp module refuses (logged)");
}

/* ---- the plan ------------------------------------------------------------- */

void
proto_failover_put(struct msg_out *o, const struct plan_failover *f)
{
	msg_put_u8(o, (uint8_t)f->mode);
	msg_put_str(o, f->active);
	switch (f->mode) {
	case PLAN_VRRP:
		msg_put_u32(o, (uint32_t)f->ninstances);
		for (size_t i = 0; i < f->ninstances; i++)
			put_instance(o, &f->instances[i]);
		break;
	case PLAN_PULSE:
		put_pulse(o, &f->pulse);
		break;
	case PLAN_LONE:
		put_vips(o, f->vips, f->nvips);
		break;
	case PLAN_ANNOUNCE:
		put_vips(o, f->vips, f->nvips);
		msg_put_u32(o, f->announce.table);
		msg_put_u8(o, f->announce.protocol);
		msg_put_str(o, f->announce.ifname);
		msg_put_u8(o, (uint8_t)f->announce.hold);
		msg_put_u32(o, f->stop_delay_ms);
		break;
	}
}

/* The ranges lvs.cf allows (cfg/keys.c, cfg/failover.c). */
static void
get_announce(struct msg_in *in, struct plan_failover *f)
{
	f->vips = get_vips(in, &f->nvips);
	struct vrrp_announce_config *c = &f->announce;
	c->table = msg_get_u32(in);
	c->protocol = msg_get_u8(in);
	msg_get_strbuf(in, c->ifname, sizeof(c->ifname));
	uint8_t hold = msg_get_u8(in);
	c->hold = hold == 1 ? VRRP_ANNOUNCE_HOLD_ROUTE : VRRP_ANNOUNCE_HOLD_ADDRESS;
	f->stop_delay_ms = msg_get_u32(in);
	if (in->err == NULL && (c->table == 0 || (c->table >= 253 &&
	    c->table <= 255) || c->protocol < 5 || c->ifname[0] == '\0' ||
	    hold > 1 || f->stop_delay_ms > 600000))
		msg_fail(in, "announcement settings lvs.cf does not allow");
}

int
proto_failover_get(struct msg_in *in, struct plan_failover *f)
{
	memset(f, 0, sizeof(*f));
	uint8_t mode = msg_get_u8(in);
	msg_get_strbuf(in, f->active, sizeof(f->active));
	if (in->err != NULL || mode > PLAN_ANNOUNCE) {
		msg_fail(in, "an unknown failover mode");
		return -1;
	}
	f->mode = (enum plan_mode)mode;
	if (f->mode == PLAN_VRRP) {
		/* an instance takes at least ~60 bytes */
		size_t n = msg_get_count(in, 60);
		f->instances = xcalloc(n > 0 ? n : 1, sizeof(*f->instances));
		f->peers = xcalloc(n > 0 ? n : 1, sizeof(*f->peers));
		for (; f->ninstances < n && in->err == NULL; f->ninstances++)
			get_instance(in, &f->instances[f->ninstances],
			    &f->peers[f->ninstances]);
		for (size_t i = 0; in->err == NULL && i < f->ninstances; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(f->instances[i].name,
				    f->instances[j].name) == 0)
					msg_fail(in, "two instances of one name");
		if (in->err == NULL && f->ninstances == 0)
			msg_fail(in, "VRRP without an instance");
	} else if (f->mode == PLAN_PULSE)
		get_pulse(in, &f->pulse);
	else if (f->mode == PLAN_ANNOUNCE)
		get_announce(in, f);
	else
		f->vips = get_vips(in, &f->nvips);
	return in->err == NULL ? 0 : -1;
}

/* ---- role changes and counters -------------------------------------------- */

void
proto_role_put(struct msg_out *o, const char *instance, enum vrrp_state old,
    enum vrrp_state new, enum vrrp_reason reason)
{
	msg_begin(o, FP_ROLE);
	msg_put_str(o, instance);
	msg_put_u8(o, (uint8_t)old);
	msg_put_u8(o, (uint8_t)new);
	msg_put_u8(o, (uint8_t)reason);
	msg_end(o);
}

static enum vrrp_state
get_state(struct msg_in *in)
{
	uint8_t s = msg_get_u8(in);
	if (s > VRRP_STATE_FAULT)
		msg_fail(in, "an unknown VRRP state");
	return (enum vrrp_state)s;
}

int
proto_role_get(struct msg_in *in, char *instance, size_t len,
    enum vrrp_state *old, enum vrrp_state *new, enum vrrp_reason *reason)
{
	msg_get_strbuf(in, instance, len);
	*old = get_state(in);
	*new = get_state(in);
	uint8_t r = msg_get_u8(in);
	if (r >= VRRP_REASON_MAX)
		msg_fail(in, "an unknown reason of a role change");
	*reason = (enum vrrp_reason)r;
	return msg_done(in) ? 0 : -1;
}

void
proto_stats_put(struct msg_out *o, const struct proto_stats *s, size_t n)
{
	msg_begin(o, FP_STATS);
	msg_put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		msg_put_str(o, s[i].name);
		msg_put_u8(o, (uint8_t)s[i].state);
		msg_put_u64(o, s[i].stats.adverts_sent);
		msg_put_u64(o, s[i].stats.adverts_received);
		msg_put_u64(o, s[i].stats.became_master);
		msg_put_u64(o, s[i].stats.address_mismatch);
		msg_put_u32(o, VRRP_DROP_MAX);
		for (int k = 0; k < VRRP_DROP_MAX; k++)
			msg_put_u64(o, s[i].stats.dropped[k]);
	}
	msg_end(o);
}

int
proto_stats_get(struct msg_in *in, struct proto_stats **s, size_t *n)
{
	*n = msg_get_count(in, 4 + 1 + 32 + 4);
	*s = *n > 0 ? xcalloc(*n, sizeof(**s)) : NULL;
	for (size_t i = 0; i < *n && in->err == NULL; i++) {
		struct proto_stats *p = &(*s)[i];
		msg_get_strbuf(in, p->name, sizeof(p->name));
		p->state = get_state(in);
		p->stats.adverts_sent = msg_get_u64(in);
		p->stats.adverts_received = msg_get_u64(in);
		p->stats.became_master = msg_get_u64(in);
		p->stats.address_mismatch = msg_get_u64(in);
		uint32_t nd = msg_get_count(in, 8);
		for (uint32_t k = 0; k < nd; k++) {
			uint64_t v = msg_get_u64(in);
			if (k < VRRP_DROP_MAX)	/* a newer peer's extra reasons */
				p->stats.dropped[k] = v;
		}
	}
	if (msg_done(in))
		return 0;
	free(*s);
	*s = NULL;
	*n = 0;
	return -1;
}

/* ---- the announcement ---------------------------------------------------- */

void
proto_announce_put(struct msg_out *o, const struct lvs_addr *v, size_t n)
{
	msg_begin(o, PF_ANNOUNCE);
	msg_put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msg_put_addr(o, &v[i]);
	msg_end(o);
}

int
proto_announce_get(struct msg_in *in, struct lvs_addr **v, size_t *n)
{
	*n = msg_get_count(in, ADDR_MIN_LEN);
	*v = *n > 0 ? xcalloc(*n, sizeof(**v)) : NULL;
	for (size_t i = 0; i < *n && in->err == NULL; i++) {
		msg_get_addr(in, &(*v)[i]);
		if (in->err == NULL && (*v)[i].af == AF_UNSPEC)
			msg_fail(in, "an address to announce without family");
	}
	if (msg_done(in))
		return 0;
	free(*v);
	*v = NULL;
	*n = 0;
	return -1;
}

void
proto_announced_put(struct msg_out *o, const struct proto_announced *a)
{
	msg_begin(o, FP_ANNOUNCED);
	msg_put_bool(o, a->withdrawn);
	msg_put_bool(o, a->failing);
	msg_put_u64(o, a->failures);
	msg_put_u64(o, a->routes_added);
	msg_put_u64(o, a->routes_removed);
	msg_put_str(o, a->last_error);
	msg_put_u32(o, (uint32_t)a->nvips);
	for (size_t i = 0; i < a->nvips; i++) {
		msg_put_addr(o, &a->vips[i].addr);
		msg_put_u8(o, (uint8_t)(a->vips[i].held |
		    a->vips[i].announced << 1));
	}
	msg_end(o);
}

int
proto_announced_get(struct msg_in *in, struct proto_announced *a)
{
	memset(a, 0, sizeof(*a));
	a->withdrawn = msg_get_bool(in);
	a->failing = msg_get_bool(in);
	a->failures = msg_get_u64(in);
	a->routes_added = msg_get_u64(in);
	a->routes_removed = msg_get_u64(in);
	msg_get_strbuf(in, a->last_error, sizeof(a->last_error));
	a->nvips = msg_get_count(in, ADDR_MIN_LEN + 1);
	a->vips = a->nvips > 0 ? xcalloc(a->nvips, sizeof(*a->vips)) : NULL;
	for (size_t i = 0; i < a->nvips && in->err == NULL; i++) {
		msg_get_addr(in, &a->vips[i].addr);
		uint8_t fl = msg_get_u8(in);
		if (in->err == NULL && (fl > 3 || a->vips[i].addr.af == AF_UNSPEC))
			msg_fail(in, "a bad announced address");
		a->vips[i].held = fl & 1;
		a->vips[i].announced = fl & 2;
	}
	if (msg_done(in))
		return 0;
	proto_announced_clear(a);
	return -1;
}

void
proto_announced_clear(struct proto_announced *a)
{
	free(a->vips);
	a->vips = NULL;
	a->nvips = 0;
}
