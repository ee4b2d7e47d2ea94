#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"
#include "vrrp/fsm.h"
#include "vrrp/priv.h"
#include "vrrp/vip.h"

/*
 * Pulse mode on sd-event: one UDP socket bound to heartbeat_port (piranha
 * sends from and to that port), one timer, the VIP set, link monitoring.
 */

struct pulse {
	sd_event *ev;
	vrrp_notify_fn *fn;
	void *arg;
	struct pulse_config cfg;	/* owned deep copy */
	struct pulse_fsm fsm;
	struct vip_ctx vctx;
	struct vip_set vips;
	struct linkmon lm;
	int fd;
	sd_event_source *io, *timer;
	struct vrrp_stats stats;
	struct droplog droplog, sendlog;
	/* The partner's last heartbeat: when, whether it said "running". */
	uint64_t heard_at;
	bool heard_running;
	struct lvs_addr heard_from;
	bool started;
	bool resume;			/* start active, as it was */
};

static void
arm(struct pulse *p)
{
	uint64_t next = pulse_fsm_next(&p->fsm);

	if (p->timer == NULL)
		return;
	if (next == 0) {
		sd_event_source_set_enabled(p->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(p->timer, next);
	sd_event_source_set_enabled(p->timer, SD_EVENT_ONESHOT);
}

static void
to_sockaddr(const struct lvs_addr *a, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		*len = sizeof(*sin6);
	}
}

static void
send_to(struct pulse *p, const struct lvs_addr *a, const uint8_t *b)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (a->af != p->cfg.partner.af)
		return;
	to_sockaddr(a, p->cfg.port, &ss, &len);
	if (sendto(p->fd, b, PULSE_PKT_LEN, 0, (struct sockaddr *)&ss, len) < 0) {
		droplog_note(&p->sendlog, VRRP_DROP_NONE, a, strerror(errno));
		return;
	}
	p->stats.adverts_sent++;
}

static void
pulse_send(void *ctx, bool running)
{
	struct pulse *p = ctx;
	uint8_t b[PULSE_PKT_LEN];

	if (p->fd < 0)
		return;
	pulse_pkt_build(running, b);
	send_to(p, &p->cfg.partner, b);
	if (p->cfg.partner_private.af != AF_UNSPEC)
		send_to(p, &p->cfg.partner_private, b);
}

static void
pulse_announce(void *ctx)
{
	vip_set_announce(&((struct pulse *)ctx)->vips);
}

static void
pulse_state(void *ctx, enum vrrp_state old, enum vrrp_state new,
    enum vrrp_reason why)
{
	struct pulse *p = ctx;

	if (new == VRRP_STATE_MASTER) {
		vip_set_take(&p->vips);
		p->stats.became_master++;
	} else if (old == VRRP_STATE_MASTER) {
		vip_set_release(&p->vips);
	}
	vrrp_log_transition("pulse", "pulse", old, new, why);
	if (p->fn != NULL)
		p->fn(p->arg, "pulse", old, new, why);
}

static const struct pulse_fsm_ops pulse_ops = {
	.send = pulse_send,
	.announce = pulse_announce,
	.state_change = pulse_state,
};

static void
from_sockaddr(const struct sockaddr_storage *ss, struct lvs_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->af = AF_INET;
		a->u.v4 = ((const struct sockaddr_in *)ss)->sin_addr;
	} else if (ss->ss_family == AF_INET6) {
		const struct in6_addr *v6 =
		    &((const struct sockaddr_in6 *)ss)->sin6_addr;
		/* A v4-mapped sender on a v6 socket is the v4 partner. */
		if (IN6_IS_ADDR_V4MAPPED(v6)) {
			a->af = AF_INET;
			memcpy(&a->u.v4, &v6->s6_addr[12], 4);
		} else {
			a->af = AF_INET6;
			a->u.v6 = *v6;
		}
	}
}

static int
on_packet(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct pulse *p = arg;

	(void)s;
	(void)revents;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		uint8_t b[64];
		struct lvs_addr src;
		uint64_t now;
		bool running;
		ssize_t n = recvfrom(fd, b, sizeof(b), 0, (struct sockaddr *)&ss,
		    &sl);
		enum vrrp_drop why;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("pulse: receive");
			break;
		}
		from_sockaddr(&ss, &src);
		now = vrrp_now(p->ev);
		if (pulse_pkt_parse(b, (size_t)n, &running) < 0)
			why = n == PULSE_PKT_LEN ? VRRP_DROP_TYPE : VRRP_DROP_LENGTH;
		else
			why = pulse_fsm_recv(&p->fsm, now, &src, running);
		if (why != VRRP_DROP_NONE) {
			p->stats.dropped[why]++;
			droplog_note(&p->droplog, why, &src, "heartbeat");
			continue;
		}
		p->stats.adverts_received++;
		p->heard_at = now;
		p->heard_running = running;
		p->heard_from = src;
		arm(p);
	}
	return 0;
}

static int
on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct pulse *p = arg;

	(void)s;
	(void)usec;
	/* Heartbeats that arrived while the loop was busy count first. */
	if (p->fd >= 0)
		on_packet(NULL, p->fd, 0, p);
	pulse_fsm_timeout(&p->fsm, vrrp_now(p->ev));
	arm(p);
	return 0;
}

struct pulse *
pulse_new(sd_event *ev, const struct pulse_config *cfg, vrrp_notify_fn *fn,
    void *arg)
{
	struct pulse *p;

	if (pulse_config_check(cfg, NULL, NULL) < 0)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->ev = sd_event_ref(ev);
	p->fn = fn;
	p->arg = arg;
	p->fd = -1;
	p->vctx.arp_fd = p->vctx.na_fd = -1;
	pulse_config_copy(&p->cfg, cfg);
	pulse_fsm_init(&p->fsm, &p->cfg, &pulse_ops, p);
	droplog_init(&p->droplog, ev, "pulse", false);
	droplog_init(&p->sendlog, ev, "pulse", true);
	return p;
}

/* The heartbeat socket for cfg: a bound descriptor, or -1 (logged). */
static int
open_socket(const struct pulse_config *cfg)
{
	struct sockaddr_storage ss;
	struct lvs_addr any;
	socklen_t len;
	int one = 1;

	memset(&any, 0, sizeof(any));
	any.af = cfg->partner.af;
	int fd = socket(any.af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("pulse: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	to_sockaddr(&any, cfg->port, &ss, &len);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		log_warn("pulse: bind to port %u", cfg->port);
		close(fd);
		return -1;
	}
	return fd;
}

void
pulse_resume_active(struct pulse *p)
{
	if (!p->started)
		p->resume = true;
}

int
pulse_probe(const struct pulse_config *cfg, char *why, size_t whylen)
{
	int fd = open_socket(cfg);

	if (fd < 0) {
		snprintf(why, whylen, "pulse: cannot bind the heartbeat port %u "
		    "(see the log)", cfg->port);
		return -1;
	}
	close(fd);
	return 0;
}

static void
links_changed(void *arg)
{
	struct pulse *p = arg;
	int delta;
	bool fault = linkmon_eval(&p->lm, NULL, p->cfg.links, p->cfg.nlinks,
	    &delta);

	/* piranha's monitor_links: any watched link down is a fault. */
	fault = fault || delta != 0;
	pulse_fsm_set_fault(&p->fsm, vrrp_now(p->ev), fault);
	arm(p);
}

int
pulse_start(struct pulse *p)
{
	int delta;

	if (p->started)
		return 0;
	if (vip_ctx_init(&p->vctx, p->ev) < 0)
		return -1;
	p->started = true;
	vip_set_init(&p->vips, &p->vctx, "pulse", p->cfg.vips, p->cfg.nvips,
	    p->cfg.ifname, p->cfg.garp_count, p->cfg.garp_delay_ms);
	if (!p->resume)
		vip_set_release(&p->vips);	/* stale from a killed run */
	if (p->cfg.nlinks > 0 &&
	    linkmon_init(&p->lm, p->ev, links_changed, p) < 0)
		log_warnx("pulse: link monitoring unavailable");
	if ((p->fd = open_socket(&p->cfg)) < 0)
		return -1;
	if (sd_event_add_io(p->ev, &p->io, p->fd, EPOLLIN, on_packet, p) < 0 ||
	    sd_event_add_time(p->ev, &p->timer, CLOCK_MONOTONIC, 0, 1,
	    on_timer, p) < 0) {
		log_warnx("pulse: cannot add event sources");
		return -1;
	}
	sd_event_source_set_priority(p->io, LVSD_PRIO_VRRP);
	sd_event_source_set_priority(p->timer, LVSD_PRIO_VRRP);
	p->fsm.fault = linkmon_eval(&p->lm, NULL, p->cfg.links, p->cfg.nlinks,
	    &delta) || delta != 0;
	if (p->resume)
		pulse_fsm_start_active(&p->fsm, vrrp_now(p->ev));
	else
		pulse_fsm_start(&p->fsm, vrrp_now(p->ev));
	p->resume = false;
	arm(p);
	return 0;
}

void
pulse_stop(struct pulse *p)
{
	if (!p->started)
		return;
	pulse_fsm_shutdown(&p->fsm, vrrp_now(p->ev));
	if (p->vips.held)
		vip_set_release(&p->vips);
	vip_set_fini(&p->vips);
	p->io = sd_event_source_disable_unref(p->io);
	p->timer = sd_event_source_disable_unref(p->timer);
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	linkmon_fini(&p->lm);
	vip_ctx_fini(&p->vctx);
	p->started = false;
}

void
pulse_free(struct pulse *p)
{
	if (p == NULL)
		return;
	pulse_stop(p);
	droplog_fini(&p->droplog);
	droplog_fini(&p->sendlog);
	pulse_config_fini(&p->cfg);
	sd_event_unref(p->ev);
	free(p);
}

int
pulse_failover(struct pulse *p, unsigned hold_s)
{
	uint64_t hold = hold_s == VRRP_HOLD_FOREVER ? UINT64_MAX :
	    hold_s * VRRP_USEC_PER_S;
	int rc = pulse_fsm_release(&p->fsm, vrrp_now(p->ev), hold);

	arm(p);
	return rc;
}

int
pulse_drill(struct pulse *p, unsigned hold_s, bool force, char *why,
    size_t whylen)
{
	uint64_t now = vrrp_now(p->ev);
	uint64_t age = p->heard_at != 0 ? now - p->heard_at : UINT64_MAX;
	uint64_t limit = 3ULL * p->cfg.keepalive_ms * 1000;
	char a[LVS_ADDRSTRLEN], heard[96] = "has not been heard";
	addr_fmt(p->heard_at != 0 ? &p->heard_from : &p->cfg.partner, a);
	if (age != UINT64_MAX)
		snprintf(heard, sizeof(heard), "was heard %.1f s ago (%s)",
		    age / 1e6, p->heard_running ? "active" : "inactive");
	if (p->fsm.state != VRRP_STATE_MASTER) {
		snprintf(why, whylen, "this director is not the master: pulse "
		    "is %s, its partner %s %s%s", vrrp_state_name(p->fsm.state),
		    a, heard, p->heard_running && age <= limit ?
		    ": run the drill there" : "");
		return -1;
	}
	if (!force && (age > limit || p->heard_running)) {
		snprintf(why, whylen, "no backup is ready to take over, nothing "
		    "changed: the partner %s %s%s (lvsctl failover --force "
		    "releases anyway)", a, heard, age > limit ? ", not within three "
		    "keepalive intervals" : ": it says it is active too");
		return -1;
	}
	if (pulse_failover(p, hold_s) < 0) {
		snprintf(why, whylen, "pulse is not active");
		return -1;
	}
	return 1;
}

void
pulse_resume(struct pulse *p)
{
	pulse_fsm_resume(&p->fsm, vrrp_now(p->ev));
	arm(p);
}

int
pulse_stats(const struct pulse *p, enum vrrp_state *state,
    struct vrrp_stats *stats)
{
	if (state != NULL)
		*state = p->fsm.state;
	if (stats != NULL)
		*stats = p->stats;
	return 0;
}

int
pulse_reconfigure(struct pulse *p, const struct pulse_config *cfg)
{
	struct pulse_config nc, old;
	bool reopen;

	int fd = -1;

	if (pulse_config_check(cfg, NULL, NULL) < 0)
		return -1;
	reopen = p->started && (cfg->port != p->cfg.port ||
	    cfg->partner.af != p->cfg.partner.af);
	/* The new socket first: if it cannot be had, nothing changes. */
	if (reopen && (fd = open_socket(cfg)) < 0)
		return -1;
	pulse_config_copy(&nc, cfg);
	if (p->started)
		vip_set_update(&p->vips, nc.vips, nc.nvips, p->cfg.ifname,
		    nc.garp_count, nc.garp_delay_ms);
	old = p->cfg;
	p->cfg = nc;		/* same storage: fsm and vip_set point here */
	pulse_config_fini(&old);
	if (reopen) {
		p->io = sd_event_source_disable_unref(p->io);
		close(p->fd);
		p->fd = fd;
		if (sd_event_add_io(p->ev, &p->io, p->fd, EPOLLIN, on_packet,
		    p) < 0)
			log_warnx("pulse: cannot watch the heartbeat socket");
		else
			sd_event_source_set_priority(p->io, LVSD_PRIO_VRRP);
	}
	if (p->started && p->cfg.nlinks > 0 && p->lm.mngr == NULL)
		linkmon_init(&p->lm, p->ev, links_changed, p);
	if (p->started)
		links_changed(p);
	log_info("pulse: reconfigured, still %s", vrrp_state_name(p->fsm.state));
	return 0;
}
