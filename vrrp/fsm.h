/*
 * The VRRP and pulse state machines as pure logic: time comes in as an
 * argument (microseconds, CLOCK_MONOTONIC in the daemon, a fake clock in
 * tests) and every effect goes out through an ops table.  The I/O layer
 * arms one timer at *_next() and calls *_timeout() when it fires.
 */
#ifndef LVSD_VRRP_FSM_H
#define LVSD_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp/packet.h"
#include "vrrp/vrrp.h"

#define VRRP_USEC_PER_CS	10000ULL
#define VRRP_USEC_PER_S		1000000ULL

struct vrrp_fsm_ops {
	/* Send one advertisement carrying this priority. */
	void (*send_advert)(void *ctx, uint8_t priority);
	/* Became master, or healed a split brain: (re)send GARP/NA. */
	void (*announce)(void *ctx);
	/* Role change (VIPs follow MASTER). */
	void (*state_change)(void *ctx, enum vrrp_state old_state,
	    enum vrrp_state new_state, enum vrrp_reason why);
};

struct vrrp_fsm {
	const struct vrrp_instance_config *cfg;
	const struct vrrp_fsm_ops *ops;
	void *ctx;
	struct lvs_addr self;		/* our primary address (tie-break) */
	enum vrrp_state state;
	uint8_t prio;			/* effective priority */
	bool fault;
	uint16_t master_adver_cs;	/* learned from the master (v3) */
	uint64_t adver_at;		/* master: next advert; 0 = off */
	uint64_t down_at;		/* backup: master-down; 0 = off */
	enum vrrp_reason down_why;	/* reason reported if down_at fires */
	uint64_t lower_since;		/* first lower-priority advert seen */
	uint64_t hold_until;		/* drill: no preemption before */
};

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_instance_config *cfg,
    const struct vrrp_fsm_ops *ops, void *ctx);
void vrrp_fsm_start(struct vrrp_fsm *f, uint64_t now);
/* Starts as master at once (VRRP_REASON_RESUMED): a restarted failover
 * process that held the addresses advertises again before any peer can
 * time it out; an elected master then settles it by the protocol. */
void vrrp_fsm_start_master(struct vrrp_fsm *f, uint64_t now);
/*
 * Checks a parsed advertisement against the instance (VRID, version, auth,
 * v2 interval, source = self or not a configured unicast peer, multicast
 * source not one of the senders).
 */
enum vrrp_drop vrrp_fsm_check(const struct vrrp_fsm *f,
    const struct vrrp_pkt *p, const struct lvs_addr *src);
/* Whether adverts (and drill queries) from src count for c: its unicast
 * peer, or multicast one of its senders (any with any_sender). */
bool vrrp_fsm_hears(const struct vrrp_instance_config *c,
    const struct lvs_addr *src);
/* A checked advertisement from src. */
void vrrp_fsm_advert(struct vrrp_fsm *f, uint64_t now,
    const struct vrrp_pkt *p, const struct lvs_addr *src);
void vrrp_fsm_timeout(struct vrrp_fsm *f, uint64_t now);
/* Earliest pending deadline, 0 if none. */
uint64_t vrrp_fsm_next(const struct vrrp_fsm *f);
void vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now);
/* Drill: master sends priority 0 and becomes backup; -1 if not master. */
int vrrp_fsm_release(struct vrrp_fsm *f, uint64_t now, uint64_t hold_usec);
void vrrp_fsm_resume(struct vrrp_fsm *f);
void vrrp_fsm_set_fault(struct vrrp_fsm *f, uint64_t now, bool fault);
/* Effective priority (link weights); clamped to 1..255. */
void vrrp_fsm_set_priority(struct vrrp_fsm *f, int prio);
/* Master_Down_Interval and Skew_Time for the current master interval. */
uint64_t vrrp_fsm_skew(const struct vrrp_fsm *f);
uint64_t vrrp_fsm_master_down(const struct vrrp_fsm *f);

struct pulse_fsm_ops {
	void (*send)(void *ctx, bool running);
	void (*announce)(void *ctx);
	void (*state_change)(void *ctx, enum vrrp_state old_state,
	    enum vrrp_state new_state, enum vrrp_reason why);
};

struct pulse_fsm {
	const struct pulse_config *cfg;
	const struct pulse_fsm_ops *ops;
	void *ctx;
	enum vrrp_state state;
	bool fault;
	uint64_t next_hb;		/* next heartbeat; 0 = stopped */
	uint64_t dead_at;		/* partner silent until then => dead */
	uint64_t hold_until;		/* drill: stay inactive until */
};

void pulse_fsm_init(struct pulse_fsm *f, const struct pulse_config *cfg,
    const struct pulse_fsm_ops *ops, void *ctx);
void pulse_fsm_start(struct pulse_fsm *f, uint64_t now);
/* Starts active at once (a restarted failover process that was). */
void pulse_fsm_start_active(struct pulse_fsm *f, uint64_t now);
/* A heartbeat from src; VRRP_DROP_SENDER if src is not the partner. */
enum vrrp_drop pulse_fsm_recv(struct pulse_fsm *f, uint64_t now,
    const struct lvs_addr *src, bool running);
void pulse_fsm_timeout(struct pulse_fsm *f, uint64_t now);
uint64_t pulse_fsm_next(const struct pulse_fsm *f);
void pulse_fsm_shutdown(struct pulse_fsm *f, uint64_t now);
int pulse_fsm_release(struct pulse_fsm *f, uint64_t now, uint64_t hold_usec);
void pulse_fsm_resume(struct pulse_fsm *f, uint64_t now);
void pulse_fsm_set_fault(struct pulse_fsm *f, uint64_t now, bool fault);

#endif
