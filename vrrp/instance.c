#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/iflink.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"
#include "vrrp/inst.h"
#include "vrrp/sock.h"

/*
 * VRRP instances on sd-event: one raw socket and one timer per instance,
 * all at LVSD_PRIO_VRRP.  The state machine (fsm.c) decides; this file
 * moves packets, arms the timer at the machine's next deadline, and turns
 * role changes into VIP changes and the daemon's callback.
 */

static void
arm(struct vrrp_inst *in)
{
	uint64_t next = vrrp_fsm_next(&in->fsm);

	if (in->timer == NULL)
		return;
	if (next == 0) {
		sd_event_source_set_enabled(in->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(in->timer, next);
	sd_event_source_set_enabled(in->timer, SD_EVENT_ONESHOT);
}

/*
 * The addresses our adverts carry: IPv6 the link-local address first
 * (RFC 5798 §5.2.9), then the virtual addresses.  Returns how many.
 */
static size_t
our_addrs(const struct vrrp_inst *in, struct lvs_addr *out)
{
	const struct vrrp_instance_config *c = &in->cfg;
	size_t n = 0;
	if (c->af == AF_INET6)
		out[n++] = in->ll;
	for (size_t i = 0; i < c->nvips && n < VRRP_MAX_ADDRS; i++)
		if (c->af != AF_INET6 || !addr_eq(&c->vips[i].addr, &in->ll))
			out[n++] = c->vips[i].addr;
	return n;
}

static bool
listed(const struct lvs_addr *a, const struct lvs_addr *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (addr_eq(a, &list[i]))
			return true;
	return false;
}

/*
 * Whether an advert names the addresses we do (in any order).  Without a
 * configured link_local, each IPv6 router names its own link-local
 * address first: only that it is one is checked.
 */
static bool
same_addrs(const struct vrrp_inst *in, const struct vrrp_pkt *p)
{
	struct lvs_addr ours[VRRP_MAX_ADDRS];
	size_t n = our_addrs(in, ours), skip = 0;
	if (p->naddr != n || n > VRRP_MAX_ADDRS)
		return false;
	if (in->cfg.af == AF_INET6 && in->cfg.link_local.af == AF_UNSPEC) {
		if (!IN6_IS_ADDR_LINKLOCAL(&p->addrs[0].u.v6))
			return false;
		skip = 1;
	}
	for (size_t i = skip; i < n; i++)
		if (!listed(&p->addrs[i], ours + skip, n - skip))
			return false;
	return true;
}

/* Logged (at most once a second) and counted; the advert still counts
 * for the election: refusing it would make two masters of a link whose
 * directors are reloaded one after the other. */
static void
address_mismatch(struct vrrp_inst *in, uint64_t now, const struct lvs_addr *src,
    const struct vrrp_pkt *p)
{
	in->stats.address_mismatch++;
	if (in->mismatchlog.last != 0 && now - in->mismatchlog.last < 1000000) {
		in->mismatchlog.suppressed++;
		return;
	}
	char s[LVS_ADDRSTRLEN], first[LVS_ADDRSTRLEN];
	log_warnx("vrrp %s: advert from %s names %u address%s (the first %s), "
	    "not the ones this instance holds: check both directors' "
	    "configuration (%u more since the last message)", in->cfg.name,
	    addr_fmt(src, s), p->naddr, p->naddr == 1 ? "" : "es",
	    p->naddr > 0 ? addr_fmt(&p->addrs[0], first) : "none",
	    in->mismatchlog.suppressed);
	in->mismatchlog.last = now;
	in->mismatchlog.suppressed = 0;
}

static void
inst_send(void *ctx, uint8_t prio)
{
	struct vrrp_inst *in = ctx;
	const struct vrrp_instance_config *c = &in->cfg;
	struct vrrp_pkt p;
	uint8_t buf[VRRP_MAX_PKT];
	ssize_t n;

	if (in->fd < 0)
		return;
	memset(&p, 0, sizeof(p));
	p.version = c->version;
	p.type = VRRP_TYPE_ADVERT;
	p.vrid = c->vrid;
	p.priority = prio;
	p.af = c->af;
	p.interval = c->version == 2 ? c->advert_cs / 100 : c->advert_cs;
	p.naddr = (uint8_t)our_addrs(in, p.addrs);
	if (c->version == 2 && c->auth_pass[0] != '\0') {
		p.auth_type = VRRP_AUTH_SIMPLE;
		memcpy(p.auth, c->auth_pass, strnlen(c->auth_pass, VRRP_AUTH_LEN));
	}
	for (size_t i = 0; i < (c->npeers ? c->npeers : 1); i++) {
		const struct lvs_addr *dst = c->npeers ? &c->peers[i] : &in->group;

		n = vrrp_pkt_build(&p, &in->self, dst, buf, sizeof(buf));
		if (n < 0)
			continue;
		if (vrrp_sock_send(in->fd, in->ifindex, &in->self, dst, buf,
		    (size_t)n) < 0) {
			droplog_note(&in->sendlog, VRRP_DROP_NONE, dst,
			    strerror(errno));
			continue;
		}
		in->stats.adverts_sent++;
	}
}

static void
inst_announce(void *ctx)
{
	struct vrrp_inst *in = ctx;

	vip_set_announce(&in->vips);
}

static int
on_take(sd_event_source *s, uint64_t usec, void *ctx)
{
	struct vrrp_inst *in = ctx;

	(void)s;
	(void)usec;
	in->take = sd_event_source_disable_unref(in->take);
	if (in->fsm.state != VRRP_STATE_MASTER)
		return 0;
	log_info("vrrp %s: taking the addresses (after handoff_delay)",
	    in->cfg.name);
	vip_set_take(&in->vips);
	vip_set_announce(&in->vips);
	return 0;
}

/* Took over from a live master: addresses after handoff_delay_ms. */
static void
defer_take(struct vrrp_inst *in)
{
	in->take = sd_event_source_disable_unref(in->take);
	if (sd_event_add_time_relative(in->v->ev, &in->take, CLOCK_MONOTONIC,
	    in->cfg.handoff_delay_ms * 1000ULL, 1000, on_take, in) < 0) {
		log_warnx("vrrp %s: cannot delay the takeover: taking the "
		    "addresses now", in->cfg.name);
		vip_set_take(&in->vips);
		return;
	}
	sd_event_source_set_priority(in->take, LVSD_PRIO_VRRP);
	log_info("vrrp %s: the addresses follow in %u ms, once the old master "
	    "has handed its connections over", in->cfg.name,
	    in->cfg.handoff_delay_ms);
}

static void
inst_state(void *ctx, enum vrrp_state old, enum vrrp_state new,
    enum vrrp_reason why)
{
	struct vrrp_inst *in = ctx;

	if (new == VRRP_STATE_MASTER) {
		if ((why == VRRP_REASON_PREEMPT ||
		    why == VRRP_REASON_PEER_RELEASED) &&
		    in->cfg.handoff_delay_ms > 0)
			defer_take(in);
		else
			vip_set_take(&in->vips);
		in->stats.became_master++;
	} else if (old == VRRP_STATE_MASTER) {
		in->take = sd_event_source_disable_unref(in->take);
		vip_set_release(&in->vips);
	}
	char prefix[96];
	snprintf(prefix, sizeof(prefix), "vrrp %s", in->cfg.name);
	vrrp_log_transition(prefix, in->cfg.name, old, new, why);
	if (in->v->fn != NULL)
		in->v->fn(in->v->arg, in->cfg.name, old, new, why);
}

static const struct vrrp_fsm_ops inst_ops = {
	.send_advert = inst_send,
	.announce = inst_announce,
	.state_change = inst_state,
};

/* Whether another instance of ours runs VRRP for vrid on in's link:
 * its adverts reach every socket there and are no drop of ours. */
static bool
sibling_vrid(const struct vrrp_inst *in, uint8_t vrid)
{
	const struct vrrp_inst *o;
	TAILQ_FOREACH(o, &in->v->insts, entry)
		if (o != in && o->cfg.vrid == vrid && o->cfg.af == in->cfg.af &&
		    strcmp(o->cfg.ifname, in->cfg.ifname) == 0)
			return true;
	return false;
}

/* Counted, and logged (rate-limited) with the sender and what the raw
 * header says: "vrid 7, priority 254". */
static void
drop(struct vrrp_inst *in, enum vrrp_drop why, const struct lvs_addr *src,
    const uint8_t *b, size_t len)
{
	char detail[48] = "";
	if (why == VRRP_DROP_VRID && len >= 2 && sibling_vrid(in, b[1]))
		return;
	in->stats.dropped[why]++;
	if (len >= 3)
		snprintf(detail, sizeof(detail), "vrid %u, priority %u", b[1],
		    b[2]);
	else if (len == 2)
		snprintf(detail, sizeof(detail), "vrid %u", b[1]);
	droplog_note(&in->droplog, why, src, detail);
}

/* Remembers when src was last heard (drill queries ask for it). */
static void
heard(struct vrrp_inst *in, uint64_t now, const struct lvs_addr *src,
    uint8_t priority)
{
	struct vrrp_heard *h = &in->heard[0];
	for (size_t i = 0; i < VRRP_HEARD_MAX; i++) {
		if (addr_eq(&in->heard[i].src, src)) {
			h = &in->heard[i];
			break;
		}
		if (in->heard[i].at < h->at)
			h = &in->heard[i];	/* the oldest goes */
	}
	h->src = *src;
	h->at = now;
	h->priority = priority;
}

uint64_t
vrrp_inst_heard_age(const struct vrrp_inst *in, const struct lvs_addr *src,
    uint64_t now)
{
	for (size_t i = 0; i < VRRP_HEARD_MAX; i++)
		if (in->heard[i].at != 0 && addr_eq(&in->heard[i].src, src))
			return now - in->heard[i].at;
	return UINT64_MAX;
}

const struct vrrp_heard *
vrrp_inst_last_master(const struct vrrp_inst *in)
{
	const struct vrrp_heard *best = NULL;
	for (size_t i = 0; i < VRRP_HEARD_MAX; i++)
		if (in->heard[i].at != 0 && in->heard[i].priority > 0 &&
		    (best == NULL || in->heard[i].at > best->at))
			best = &in->heard[i];
	return best;
}

static void
handle(struct vrrp_inst *in, const uint8_t *b, size_t len,
    const struct lvs_addr *src, const struct lvs_addr *dst, int ttl)
{
	uint64_t now = vrrp_now(in->v->ev);
	struct vrrp_pkt p;
	enum vrrp_drop why;

	if (len >= 2 && b[1] != in->cfg.vrid) {
		drop(in, VRRP_DROP_VRID, src, b, len);
		return;
	}
	/* RFC 5798 §7.1: anything not sent on-link could be forged. */
	if (ttl != 255) {
		drop(in, VRRP_DROP_TTL, src, b, len);
		return;
	}
	if (vrrp_pkt_parse(b, len, src, dst, &p, &why) < 0 ||
	    (why = vrrp_fsm_check(&in->fsm, &p, src)) != VRRP_DROP_NONE) {
		drop(in, why, src, b, len);
		return;
	}
	in->stats.adverts_received++;
	heard(in, now, src, p.priority);
	if (!same_addrs(in, &p))
		address_mismatch(in, now, src, &p);
	vrrp_fsm_advert(&in->fsm, now, &p, src);
	arm(in);
}

static int
on_packet(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct vrrp_inst *in = arg;
	uint8_t buf[VRRP_MAX_PKT + 64];

	(void)s;
	(void)revents;
	for (int i = 0; i < 64; i++) {	/* bounded: let timers run too */
		const uint8_t *payload;
		size_t plen;
		struct lvs_addr src, dst;
		int ttl, rc;

		rc = vrrp_sock_recv(fd, in->cfg.af, buf, sizeof(buf), &payload,
		    &plen, &src, &dst, &ttl);
		if (rc == 1)
			break;
		if (rc == -1) {
			log_warn("vrrp %s: receive", in->cfg.name);
			break;
		}
		if (rc == -2) {
			drop(in, VRRP_DROP_SHORT, &src, NULL, 0);
			continue;
		}
		handle(in, payload, plen, &src, &dst, ttl);
	}
	return 0;
}

static int
on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vrrp_inst *in = arg;

	(void)s;
	(void)usec;
	/*
	 * Adverts that arrived while the loop was held up by other work are
	 * heard first: a late timer must not declare the master down (and
	 * start a flapping exchange) when its adverts wait in the socket.
	 */
	if (in->fd >= 0)
		on_packet(NULL, in->fd, 0, in);
	vrrp_fsm_timeout(&in->fsm, vrrp_now(in->v->ev));
	arm(in);
	return 0;
}

struct vrrp *
vrrp_new(sd_event *ev, vrrp_notify_fn *fn, void *arg)
{
	struct vrrp *v = xcalloc(1, sizeof(*v));

	v->ev = sd_event_ref(ev);
	v->fn = fn;
	v->arg = arg;
	v->vctx.arp_fd = v->vctx.na_fd = -1;
	v->q4.fd = v->q6.fd = -1;
	droplog_init(&v->qlog, ev, "vrrp drill queries", false);
	TAILQ_INIT(&v->insts);
	TAILQ_INIT(&v->pending);
	return v;
}

struct vrrp_inst *
vrrp_inst_find(const struct vrrp *v, const char *name)
{
	struct vrrp_inst *in;

	TAILQ_FOREACH(in, &v->insts, entry)
		if (strcmp(in->cfg.name, name) == 0)
			return in;
	return NULL;
}

struct vrrp_inst *
vrrp_inst_new(struct vrrp *v, const struct vrrp_instance_config *cfg)
{
	struct vrrp_inst *in = xcalloc(1, sizeof(*in));

	in->v = v;
	in->fd = -1;
	vrrp_config_copy(&in->cfg, cfg);
	vrrp_sock_group(cfg->af, &in->group);
	vrrp_fsm_init(&in->fsm, &in->cfg, &inst_ops, in);
	char owner[VRRP_NAME_MAX + 8];
	snprintf(owner, sizeof(owner), "vrrp %s", cfg->name);
	droplog_init(&in->droplog, v->ev, owner, false);
	droplog_init(&in->sendlog, v->ev, owner, true);
	return in;
}

void
vrrp_inst_free(struct vrrp_inst *in)
{
	in->take = sd_event_source_disable_unref(in->take);
	droplog_fini(&in->droplog);
	droplog_fini(&in->sendlog);
	vrrp_config_fini(&in->cfg);
	free(in);
}

int
vrrp_instance_add(struct vrrp *v, const struct vrrp_instance_config *cfg)
{
	struct vrrp_inst *in;

	if (v->started || vrrp_instance_config_check(cfg, NULL, NULL) < 0)
		return -1;
	if (vrrp_inst_find(v, cfg->name) != NULL) {
		log_warnx("vrrp %s: duplicate instance name", cfg->name);
		return -1;
	}
	in = vrrp_inst_new(v, cfg);
	TAILQ_INSERT_TAIL(&v->insts, in, entry);
	return 0;
}

/* Applies link state to one instance: fault and effective priority. */
void
vrrp_inst_links(struct vrrp_inst *in, uint64_t now)
{
	int delta;
	bool fault = linkmon_eval(&in->v->lm, in->cfg.ifname, in->cfg.links,
	    in->cfg.nlinks, &delta);

	vrrp_fsm_set_priority(&in->fsm, in->cfg.priority + delta);
	vrrp_fsm_set_fault(&in->fsm, now, fault);
	arm(in);
}

static void
links_changed(void *arg)
{
	struct vrrp *v = arg;
	struct vrrp_inst *in;
	uint64_t now = vrrp_now(v->ev);

	TAILQ_FOREACH(in, &v->insts, entry)
		if (in->timer != NULL)
			vrrp_inst_links(in, now);
}

/*
 * Our source address (sock.c prefers one of the instance's routers) and,
 * unless any sender is heard, the proof that it is one of them: the other
 * directors drop adverts from anything else.  0, or -1 with why.
 */
static int
resolve_self(const struct vrrp_instance_config *c, struct lvs_addr *self,
    char *why, size_t whylen)
{
	char a[LVS_ADDRSTRLEN];
	if (vrrp_sock_self(c, self) < 0) {
		snprintf(why, whylen, "vrrp %s: no usable %s address on %s",
		    c->name, c->af == AF_INET ? "IPv4" : "IPv6 link-local",
		    c->ifname);
		return -1;
	}
	if (c->npeers > 0 || vrrp_fsm_hears(c, self))
		return 0;
	snprintf(why, whylen, "vrrp %s: its adverts would come from %s (%s), "
	    "which lvs.cf does not name (primary, backup, *_private, peers): "
	    "the other directors would drop them; name it, or set "
	    "accept_any_sender = 1", c->name, addr_fmt(self, a), c->ifname);
	return -1;
}

static int
inst_open(struct vrrp_inst *in)
{
	sd_event *ev = in->v->ev;
	const char *n = in->cfg.name;

	in->ifindex = iflink_index(in->cfg.ifname);
	if (in->ifindex == 0) {
		log_warn("vrrp %s: interface %s", n, in->cfg.ifname);
		return -1;
	}
	char why[512];
	if (resolve_self(&in->cfg, &in->self, why, sizeof(why)) < 0) {
		log_warnx("%s", why);
		return -1;
	}
	in->fsm.self = in->self;
	if (in->cfg.af == AF_INET6 && vrrp_sock_link_local(&in->cfg,
	    &in->ll) < 0) {
		log_warnx("vrrp %s: no link-local address on %s to name first "
		    "in adverts", n, in->cfg.ifname);
		return -1;
	}
	if ((in->fd = vrrp_sock_open(&in->cfg, in->ifindex)) < 0)
		return -1;
	if (sd_event_add_io(ev, &in->io, in->fd, EPOLLIN, on_packet, in) < 0 ||
	    sd_event_add_time(ev, &in->timer, CLOCK_MONOTONIC, 0, 1, on_timer,
	    in) < 0) {
		log_warnx("vrrp %s: cannot add event sources", n);
		return -1;
	}
	sd_event_source_set_priority(in->io, LVSD_PRIO_VRRP);
	sd_event_source_set_priority(in->timer, LVSD_PRIO_VRRP);
	sd_event_source_set_enabled(in->timer, SD_EVENT_OFF);
	return 0;
}

int
vrrp_probe(const struct vrrp_instance_config *c, char *why, size_t whylen)
{
	unsigned ifindex = iflink_index(c->ifname);
	struct lvs_addr self;

	if (ifindex == 0) {
		snprintf(why, whylen, "vrrp %s: no interface %s", c->name,
		    c->ifname);
		return -1;
	}
	if (resolve_self(c, &self, why, whylen) < 0)
		return -1;
	if (c->af == AF_INET6 && vrrp_sock_link_local(c, &self) < 0) {
		snprintf(why, whylen, "vrrp %s: no usable %s address on %s",
		    c->name, c->af == AF_INET ? "IPv4" : "IPv6 link-local",
		    c->ifname);
		return -1;
	}
	int fd = vrrp_sock_open(c, ifindex);
	if (fd < 0) {
		snprintf(why, whylen, "vrrp %s: cannot open a VRRP socket on %s "
		    "(see the log)", c->name, c->ifname);
		return -1;
	}
	close(fd);
	return 0;
}

/* Opens an instance; stale: first remove its VIPs (a killed run's). */
int
vrrp_inst_prepare(struct vrrp_inst *in, bool stale)
{
	vip_set_init(&in->vips, &in->v->vctx, in->cfg.name, in->cfg.vips,
	    in->cfg.nvips, in->cfg.ifname, in->cfg.garp_count,
	    in->cfg.garp_delay_ms);
	if (stale)
		vip_set_release(&in->vips);
	return inst_open(in);
}

void
vrrp_inst_start(struct vrrp_inst *in, uint64_t now)
{
	int delta;

	in->fsm.fault = linkmon_eval(&in->v->lm, in->cfg.ifname, in->cfg.links,
	    in->cfg.nlinks, &delta);
	vrrp_fsm_set_priority(&in->fsm, in->cfg.priority + delta);
	if (in->resume)
		vrrp_fsm_start_master(&in->fsm, now);
	else
		vrrp_fsm_start(&in->fsm, now);
	in->resume = false;
	arm(in);
}

int
vrrp_resume_master(struct vrrp *v, const char *name)
{
	struct vrrp_inst *in = vrrp_inst_find(v, name);

	if (in == NULL || v->started)
		return -1;
	in->resume = true;
	return 0;
}

int
vrrp_start(struct vrrp *v)
{
	struct vrrp_inst *in;
	uint64_t now;

	if (v->started)
		return 0;
	if (vip_ctx_init(&v->vctx, v->ev) < 0)
		return -1;
	if (linkmon_init(&v->lm, v->ev, links_changed, v) < 0)
		log_warnx("vrrp: link monitoring unavailable");
	v->started = true;
	/* All stale VIPs go before any instance can take one. */
	TAILQ_FOREACH(in, &v->insts, entry)
		if (vrrp_inst_prepare(in, !in->resume) < 0)
			return -1;
	now = vrrp_now(v->ev);
	TAILQ_FOREACH(in, &v->insts, entry)
		vrrp_inst_start(in, now);
	vrrp_query_sync(v);
	return 0;
}

void
vrrp_inst_close(struct vrrp_inst *in)
{
	in->io = sd_event_source_disable_unref(in->io);
	in->timer = sd_event_source_disable_unref(in->timer);
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

void
vrrp_inst_stop(struct vrrp_inst *in)
{
	vrrp_fsm_shutdown(&in->fsm, vrrp_now(in->v->ev));
	if (in->vips.held)
		vip_set_release(&in->vips);
	vip_set_fini(&in->vips);
	vrrp_inst_close(in);
}

void
vrrp_stop(struct vrrp *v)
{
	struct vrrp_inst *in;

	if (!v->started)
		return;
	vrrp_drill_cancel(v, "the VRRP instances are stopping");
	vrrp_query_close(v);
	TAILQ_FOREACH(in, &v->insts, entry)
		vrrp_inst_stop(in);
	linkmon_fini(&v->lm);
	vip_ctx_fini(&v->vctx);
	v->started = false;
}

void
vrrp_free(struct vrrp *v)
{
	struct vrrp_inst *in;

	if (v == NULL)
		return;
	vrrp_reconfigure_abort(v);
	vrrp_stop(v);
	while ((in = TAILQ_FIRST(&v->insts)) != NULL) {
		TAILQ_REMOVE(&v->insts, in, entry);
		vrrp_inst_free(in);
	}
	droplog_fini(&v->qlog);
	sd_event_unref(v->ev);
	free(v);
}

int
vrrp_failover(struct vrrp *v, const char *name, unsigned hold_s)
{
	struct vrrp_inst *in;
	uint64_t now = vrrp_now(v->ev);
	uint64_t hold = hold_s == VRRP_HOLD_FOREVER ? UINT64_MAX :
	    hold_s * VRRP_USEC_PER_S;
	int n = 0;

	if (name != NULL && vrrp_inst_find(v, name) == NULL)
		return -1;
	TAILQ_FOREACH(in, &v->insts, entry) {
		if (name != NULL && strcmp(in->cfg.name, name) != 0)
			continue;
		if (vrrp_fsm_release(&in->fsm, now, hold) == 0)
			n++;
		arm(in);
	}
	return n;
}

void
vrrp_resume(struct vrrp *v, const char *name)
{
	struct vrrp_inst *in;

	TAILQ_FOREACH(in, &v->insts, entry)
		if (name == NULL || strcmp(in->cfg.name, name) == 0)
			vrrp_fsm_resume(&in->fsm);
}

int
vrrp_instance_stats(const struct vrrp *v, const char *name,
    enum vrrp_state *state, struct vrrp_stats *stats)
{
	const struct vrrp_inst *in = vrrp_inst_find(v, name);

	if (in == NULL)
		return -1;
	if (state != NULL)
		*state = in->fsm.state;
	if (stats != NULL)
		*stats = in->stats;
	return 0;
}
