#include "config.h"

#include <string.h>

#include "vrrp/fsm.h"

/*
 * piranha's pulse as a state machine.  Each side sends its heartbeat
 * (running or stopped) every keepalive; an inactive side takes over after
 * deadtime of silence or when the partner says it stopped.  The primary
 * activates at startup; when both are active the backup yields and the
 * primary re-announces, so a restarted primary reclaims the service.
 */

void
pulse_fsm_init(struct pulse_fsm *f, const struct pulse_config *cfg,
    const struct pulse_fsm_ops *ops, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	f->ops = ops;
	f->ctx = ctx;
	f->state = VRRP_STATE_INIT;
}

static void
set_state(struct pulse_fsm *f, enum vrrp_state s, enum vrrp_reason why)
{
	enum vrrp_state old = f->state;

	f->state = s;
	if (old != s)
		f->ops->state_change(f->ctx, old, s, why);
}

static void
heartbeat(struct pulse_fsm *f, uint64_t now)
{
	f->ops->send(f->ctx, f->state == VRRP_STATE_MASTER);
	f->next_hb = now + f->cfg->keepalive_ms * 1000ULL;
}

static void
activate(struct pulse_fsm *f, uint64_t now, enum vrrp_reason why)
{
	set_state(f, VRRP_STATE_MASTER, why);
	heartbeat(f, now);
	f->ops->announce(f->ctx);
}

static void
deactivate(struct pulse_fsm *f, uint64_t now, enum vrrp_state to,
    enum vrrp_reason why)
{
	set_state(f, to, why);
	heartbeat(f, now);
}

void
pulse_fsm_start_active(struct pulse_fsm *f, uint64_t now)
{
	f->dead_at = now + f->cfg->deadtime_ms * 1000ULL;
	f->hold_until = 0;
	if (f->fault)
		deactivate(f, now, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
	else
		activate(f, now, VRRP_REASON_RESUMED);
}

void
pulse_fsm_start(struct pulse_fsm *f, uint64_t now)
{
	f->dead_at = now + f->cfg->deadtime_ms * 1000ULL;
	f->hold_until = 0;
	if (f->fault)
		deactivate(f, now, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
	else if (f->cfg->primary)
		activate(f, now, VRRP_REASON_STARTUP);
	else
		deactivate(f, now, VRRP_STATE_BACKUP, VRRP_REASON_STARTUP);
}

static bool
from_partner(const struct pulse_config *c, const struct lvs_addr *src)
{
	return addr_eq(src, &c->partner) ||
	    (c->partner_private.af != AF_UNSPEC &&
	    addr_eq(src, &c->partner_private));
}

static bool
holding(const struct pulse_fsm *f, uint64_t now)
{
	return f->hold_until != 0 && now < f->hold_until;
}

enum vrrp_drop
pulse_fsm_recv(struct pulse_fsm *f, uint64_t now, const struct lvs_addr *src,
    bool running)
{
	if (!from_partner(f->cfg, src))
		return VRRP_DROP_SENDER;
	f->dead_at = now + f->cfg->deadtime_ms * 1000ULL;
	if (f->state == VRRP_STATE_MASTER && running) {
		if (f->cfg->primary) {
			/* Both active: tell the backup at once, refresh ARP. */
			heartbeat(f, now);
			f->ops->announce(f->ctx);
		} else {
			deactivate(f, now, VRRP_STATE_BACKUP,
			    VRRP_REASON_HIGHER_PRIO);
		}
	} else if (f->state == VRRP_STATE_BACKUP && !running &&
	    !holding(f, now)) {
		activate(f, now, VRRP_REASON_PEER_RELEASED);
	}
	return VRRP_DROP_NONE;
}

void
pulse_fsm_timeout(struct pulse_fsm *f, uint64_t now)
{
	if (f->state == VRRP_STATE_INIT)
		return;
	if (f->state == VRRP_STATE_BACKUP) {
		if (now >= f->dead_at) {
			activate(f, now, VRRP_REASON_MASTER_DOWN);
			return;
		}
		/* A primary that released reclaims when its hold ends. */
		if (f->cfg->primary && f->hold_until != 0 &&
		    now >= f->hold_until) {
			f->hold_until = 0;
			activate(f, now, VRRP_REASON_PREEMPT);
			return;
		}
	}
	if (now >= f->next_hb)
		heartbeat(f, now);
}

uint64_t
pulse_fsm_next(const struct pulse_fsm *f)
{
	uint64_t t;

	if (f->state == VRRP_STATE_INIT)
		return 0;
	t = f->next_hb;
	if (f->state == VRRP_STATE_BACKUP) {
		if (f->dead_at < t)
			t = f->dead_at;
		if (f->cfg->primary && f->hold_until != 0 &&
		    f->hold_until < t)
			t = f->hold_until;
	}
	return t;
}

void
pulse_fsm_shutdown(struct pulse_fsm *f, uint64_t now)
{
	if (f->state == VRRP_STATE_INIT)
		return;
	deactivate(f, now, VRRP_STATE_INIT, VRRP_REASON_SHUTDOWN);
	f->next_hb = 0;
}

int
pulse_fsm_release(struct pulse_fsm *f, uint64_t now, uint64_t hold_usec)
{
	if (f->state != VRRP_STATE_MASTER)
		return -1;
	/* Never 0: 0 means "no hold"; a drill always holds a little. */
	f->hold_until = hold_usec == UINT64_MAX ? UINT64_MAX :
	    now + (hold_usec ? hold_usec : 1);
	/* The partner must not count the silence before our stop. */
	f->dead_at = now + f->cfg->deadtime_ms * 1000ULL;
	deactivate(f, now, VRRP_STATE_BACKUP, VRRP_REASON_DRILL);
	return 0;
}

void
pulse_fsm_resume(struct pulse_fsm *f, uint64_t now)
{
	if (f->hold_until != 0)
		f->hold_until = now;	/* ends now; 0 would mean "none" */
}

void
pulse_fsm_set_fault(struct pulse_fsm *f, uint64_t now, bool fault)
{
	if (f->fault == fault)
		return;
	f->fault = fault;
	if (f->state == VRRP_STATE_INIT)
		return;
	if (fault) {
		deactivate(f, now, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
	} else {
		f->dead_at = now + f->cfg->deadtime_ms * 1000ULL;
		if (f->cfg->primary)
			activate(f, now, VRRP_REASON_FAULT_CLEARED);
		else
			deactivate(f, now, VRRP_STATE_BACKUP,
			    VRRP_REASON_FAULT_CLEARED);
	}
}
