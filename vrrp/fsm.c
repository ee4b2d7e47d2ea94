#include "config.h"

#include <string.h>

#include "lib/log.h"
#include "vrrp/fsm.h"

/*
 * The VRRP state machine of RFC 5798 §6.4 (RFC 3768 §6.4 for v2), plus
 * three extensions: a FAULT state driven by link monitoring, keepalived's
 * preempt_delay, and the drill (release with priority 0, then hold).
 */

void
vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_instance_config *cfg,
    const struct vrrp_fsm_ops *ops, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	f->ops = ops;
	f->ctx = ctx;
	f->self = cfg->src;
	f->prio = cfg->priority;
	f->master_adver_cs = cfg->advert_cs;
	f->state = VRRP_STATE_INIT;
}

uint64_t
vrrp_fsm_skew(const struct vrrp_fsm *f)
{
	uint64_t p = 256 - f->prio;

	/* v2: (256 - Priority) / 256 seconds; v3 scales with the interval. */
	if (f->cfg->version == 2)
		return p * VRRP_USEC_PER_S / 256;
	return p * f->master_adver_cs * VRRP_USEC_PER_CS / 256;
}

uint64_t
vrrp_fsm_master_down(const struct vrrp_fsm *f)
{
	return 3 * f->master_adver_cs * VRRP_USEC_PER_CS + vrrp_fsm_skew(f);
}

static void
set_state(struct vrrp_fsm *f, enum vrrp_state s, enum vrrp_reason why)
{
	enum vrrp_state old = f->state;

	f->state = s;
	if (old != s)
		f->ops->state_change(f->ctx, old, s, why);
}

static void
become_master(struct vrrp_fsm *f, uint64_t now, enum vrrp_reason why)
{
	f->down_at = 0;
	f->lower_since = 0;
	f->ops->send_advert(f->ctx, f->prio);
	f->adver_at = now + f->cfg->advert_cs * VRRP_USEC_PER_CS;
	set_state(f, VRRP_STATE_MASTER, why);
	f->ops->announce(f->ctx);
}

static void
become_backup(struct vrrp_fsm *f, uint64_t now, enum vrrp_reason why)
{
	f->adver_at = 0;
	f->down_at = now + vrrp_fsm_master_down(f);
	f->down_why = VRRP_REASON_MASTER_DOWN;
	set_state(f, VRRP_STATE_BACKUP, why);
}

static void
enter(struct vrrp_fsm *f, uint64_t now, enum vrrp_reason why)
{
	f->master_adver_cs = f->cfg->advert_cs;
	f->lower_since = 0;
	if (f->prio == 255)
		become_master(f, now, VRRP_REASON_OWNER);
	else
		become_backup(f, now, why);
}

void
vrrp_fsm_start_master(struct vrrp_fsm *f, uint64_t now)
{
	if (f->fault) {
		set_state(f, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
		return;
	}
	f->master_adver_cs = f->cfg->advert_cs;
	become_master(f, now, VRRP_REASON_RESUMED);
}

void
vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now)
{
	if (f->fault) {
		set_state(f, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
		return;
	}
	enter(f, now, VRRP_REASON_STARTUP);
}

static bool
listed(const struct lvs_addr *list, size_t n, const struct lvs_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (addr_eq(&list[i], a))
			return true;
	return false;
}

bool
vrrp_fsm_hears(const struct vrrp_instance_config *c,
    const struct lvs_addr *src)
{
	if (c->npeers > 0)
		return listed(c->peers, c->npeers, src);
	return c->any_sender || listed(c->senders, c->nsenders, src);
}

enum vrrp_drop
vrrp_fsm_check(const struct vrrp_fsm *f, const struct vrrp_pkt *p,
    const struct lvs_addr *src)
{
	const struct vrrp_instance_config *c = f->cfg;

	if (p->vrid != c->vrid)
		return VRRP_DROP_VRID;
	if (p->version != c->version || p->af != c->af)
		return VRRP_DROP_VERSION;
	if ((f->self.af != AF_UNSPEC && addr_eq(&f->self, src)) ||
	    (c->npeers > 0 && !listed(c->peers, c->npeers, src)))
		return VRRP_DROP_SOURCE;
	/* Multicast: one priority-254 advert from any host on the link
	 * would otherwise make the master step down. */
	if (!vrrp_fsm_hears(c, src))
		return VRRP_DROP_SENDER;
	if (c->version == 2) {
		bool want = c->auth_pass[0] != '\0';
		char pw[VRRP_AUTH_LEN] = { 0 };

		/* The password is zero-padded to 8 bytes on the wire. */
		memcpy(pw, c->auth_pass, strnlen(c->auth_pass, sizeof(pw)));
		if (p->auth_type != (want ? VRRP_AUTH_SIMPLE : VRRP_AUTH_NONE) ||
		    (want && memcmp(pw, p->auth, VRRP_AUTH_LEN) != 0))
			return VRRP_DROP_AUTH;
		/* RFC 3768 §7.1: a different interval is a misconfiguration. */
		if ((unsigned)p->interval * 100 != c->advert_cs)
			return VRRP_DROP_INTERVAL;
	} else if (p->interval == 0) {
		return VRRP_DROP_INTERVAL;
	}
	return VRRP_DROP_NONE;
}

static bool
may_preempt(const struct vrrp_fsm *f, uint64_t now)
{
	if (f->prio == 255)
		return true;
	return f->cfg->preempt && now >= f->hold_until;
}

static void
backup_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_pkt *p)
{
	if (p->priority == 0) {
		/* The master is leaving: take over after the skew time only. */
		f->down_at = now + vrrp_fsm_skew(f);
		f->down_why = VRRP_REASON_PEER_RELEASED;
		return;
	}
	if (p->priority < f->prio && may_preempt(f, now)) {
		uint64_t delay = f->cfg->preempt_delay_ms * 1000ULL;

		if (f->lower_since == 0)
			f->lower_since = now;
		if (now - f->lower_since >= delay) {
			/* Ignore it: the master-down timer runs out. */
			f->down_why = VRRP_REASON_PREEMPT;
			return;
		}
	} else if (p->priority >= f->prio) {
		f->lower_since = 0;
	}
	if (f->cfg->version == 3)
		f->master_adver_cs = p->interval;
	f->down_at = now + vrrp_fsm_master_down(f);
	f->down_why = VRRP_REASON_MASTER_DOWN;
}

static void
master_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_pkt *p,
    const struct lvs_addr *src)
{
	if (p->priority == 0) {
		/*
		 * Another master released (it yielded to us after a split
		 * brain): assert ourselves now and re-announce, since hosts
		 * may have followed its GARPs.
		 */
		f->ops->send_advert(f->ctx, f->prio);
		f->adver_at = now + f->cfg->advert_cs * VRRP_USEC_PER_CS;
		f->ops->announce(f->ctx);
		return;
	}
	if (p->priority > f->prio ||
	    (p->priority == f->prio && f->self.af != AF_UNSPEC &&
	    addr_cmp(src, &f->self) > 0)) {
		if (f->cfg->version == 3)
			f->master_adver_cs = p->interval;
		f->lower_since = 0;
		/*
		 * Two masters: leave with priority 0 like a shutdown, so
		 * the winner re-sends GARP/NA at once.
		 */
		f->ops->send_advert(f->ctx, 0);
		become_backup(f, now, VRRP_REASON_HIGHER_PRIO);
		return;
	}
	/*
	 * Another master with a lower priority: a split brain healing.  RFC
	 * 5798 only discards it; answering at once (as keepalived does) makes
	 * the other side yield within one packet instead of one interval, and
	 * re-announcing refreshes switches and neighbours that followed it.
	 */
	f->ops->send_advert(f->ctx, f->prio);
	f->adver_at = now + f->cfg->advert_cs * VRRP_USEC_PER_CS;
	f->ops->announce(f->ctx);
}

void
vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now, const struct vrrp_pkt *p,
    const struct lvs_addr *src)
{
	switch (f->state) {
	case VRRP_STATE_BACKUP:
		backup_advert(f, now, p);
		break;
	case VRRP_STATE_MASTER:
		master_advert(f, now, p, src);
		break;
	default:
		break;
	}
}

void
vrrp_fsm_timeout(struct vrrp_fsm *f, uint64_t now)
{
	if (f->state == VRRP_STATE_MASTER && f->adver_at && now >= f->adver_at) {
		f->ops->send_advert(f->ctx, f->prio);
		f->adver_at = now + f->cfg->advert_cs * VRRP_USEC_PER_CS;
	}
	if (f->state == VRRP_STATE_BACKUP && f->down_at && now >= f->down_at)
		become_master(f, now, f->down_why);
}

uint64_t
vrrp_fsm_next(const struct vrrp_fsm *f)
{
	if (f->state == VRRP_STATE_MASTER)
		return f->adver_at;
	if (f->state == VRRP_STATE_BACKUP)
		return f->down_at;
	return 0;
}

static void
leave(struct vrrp_fsm *f, enum vrrp_state to, enum vrrp_reason why)
{
	if (f->state == VRRP_STATE_MASTER)
		f->ops->send_advert(f->ctx, 0);
	f->adver_at = f->down_at = 0;
	set_state(f, to, why);
}

void
vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now)
{
	(void)now;
	leave(f, VRRP_STATE_INIT, VRRP_REASON_SHUTDOWN);
}

int
vrrp_fsm_release(struct vrrp_fsm *f, uint64_t now, uint64_t hold_usec)
{
	if (f->state != VRRP_STATE_MASTER)
		return -1;
	f->ops->send_advert(f->ctx, 0);
	f->hold_until = hold_usec == UINT64_MAX ? UINT64_MAX : now + hold_usec;
	f->lower_since = 0;
	become_backup(f, now, VRRP_REASON_DRILL);
	return 0;
}

void
vrrp_fsm_resume(struct vrrp_fsm *f)
{
	f->hold_until = 0;
}

void
vrrp_fsm_set_fault(struct vrrp_fsm *f, uint64_t now, bool fault)
{
	if (f->fault == fault)
		return;
	f->fault = fault;
	if (f->state == VRRP_STATE_INIT)
		return;		/* not started: vrrp_fsm_start decides */
	if (fault)
		leave(f, VRRP_STATE_FAULT, VRRP_REASON_FAULT);
	else
		enter(f, now, VRRP_REASON_FAULT_CLEARED);
}

void
vrrp_fsm_set_priority(struct vrrp_fsm *f, int prio)
{
	if (prio < 1)
		prio = 1;
	if (prio > 255)
		prio = 255;
	f->prio = (uint8_t)prio;
}
