/*
 * Failover for lvsd: VRRP v2/v3 instances and piranha's pulse heartbeat.
 *
 * The daemon fills plain-data configs (struct vrrp_instance_config,
 * struct pulse_config), hands them over (they are copied: the caller keeps
 * ownership of its own structs and arrays) and passes its sd_event loop.
 * The module owns the VIPs of its instances: it adds them (with prefix and
 * "eth0:1" label) through libnl-route when an instance becomes master,
 * sends gratuitous ARP / unsolicited NA, and removes them when it leaves
 * master.  Everything else a role change should drive (notify commands,
 * the IPVS sync daemon, nat_router) is the daemon's: the module only calls
 * the vrrp_notify_fn it was given, never forks and never blocks.
 *
 * All sources run at LVSD_PRIO_VRRP.
 */
#ifndef LVSD_VRRP_VRRP_H
#define LVSD_VRRP_VRRP_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "vrrp/packet.h"

typedef struct sd_event sd_event;

enum vrrp_state {
	VRRP_STATE_INIT = 0,	/* not started or stopped */
	VRRP_STATE_BACKUP,	/* pulse: LVS inactive */
	VRRP_STATE_MASTER,	/* pulse: LVS active, VIPs held */
	VRRP_STATE_FAULT,	/* a monitored link is down */
};

enum vrrp_reason {
	VRRP_REASON_STARTUP = 0,	/* started (backup, or pulse primary) */
	VRRP_REASON_OWNER,		/* priority 255: master at once */
	VRRP_REASON_MASTER_DOWN,	/* master-down timer / deadtime expired */
	VRRP_REASON_PEER_RELEASED,	/* peer sent priority 0 / stopped */
	VRRP_REASON_PREEMPT,		/* took over from a lower priority */
	VRRP_REASON_HIGHER_PRIO,	/* yielded to a better master */
	VRRP_REASON_SHUTDOWN,		/* vrrp_stop / pulse_stop */
	VRRP_REASON_DRILL,		/* planned switchover (failover API) */
	VRRP_REASON_FAULT,		/* monitored link went down */
	VRRP_REASON_FAULT_CLEARED,	/* monitored links back up */
	VRRP_REASON_RESUMED,		/* a restarted failover process went on
					   as the master it was */
	VRRP_REASON_MAX
};

const char *vrrp_state_name(enum vrrp_state s);	/* "MASTER", ... */
const char *vrrp_reason_name(enum vrrp_reason r);	/* "master-down", ... */

/* hold_s for vrrp_failover/pulse_failover: stay backup until resumed. */
#define VRRP_HOLD_FOREVER	UINT_MAX

/* One virtual address the master holds. */
struct vrrp_vip {
	struct lvs_addr addr;
	uint8_t plen;			/* prefix length (vip_nmask) */
	char ifname[IFNAMSIZ];		/* device; "" = the instance's */
	char label[IFNAMSIZ];		/* "eth0:1" (IPv4 only); "" = none */
};

/* A link whose carrier/admin state the instance depends on. */
struct vrrp_link_watch {
	char ifname[IFNAMSIZ];
	int priority_delta;		/* 0: down => FAULT; else add (<0) */
};

/* Longest instance name, with its NUL (lvs.cf names: CFG_NAME_MAX). */
#define VRRP_NAME_MAX 64

struct vrrp_instance_config {
	char name[VRRP_NAME_MAX];	/* for logs and callbacks; unique */
	uint8_t vrid;			/* 1..255 */
	uint8_t version;		/* 2 or 3 (default 3) */
	sa_family_t af;			/* AF_INET / AF_INET6 (v3 only) */
	char ifname[IFNAMSIZ];		/* where adverts go and VIPs live */
	uint8_t priority;		/* 1..255, 255 = address owner */
	uint16_t advert_cs;		/* centiseconds; v2: multiple of 100 */
	bool preempt;			/* default true (owner always preempts) */
	unsigned preempt_delay_ms;	/* wait before preempting a lower master */
	/* Taking over from a live master (it released with priority 0, or
	 * we preempted it), add the addresses only this much later, so it
	 * can hand its connections over first (0: at once, as RFC 5798).
	 * Not after a master-down: a dead master hands nothing over. */
	unsigned handoff_delay_ms;
	char auth_pass[VRRP_AUTH_LEN + 1]; /* v2 simple password, "" = none */
	struct lvs_addr src;		/* our source/tie-break; unset = iface's */
	/* IPv6: the instance's link-local address, first in every advert
	 * (RFC 5798 §5.2.9); unset: the interface's own.  When set it is a
	 * virtual address too, one of vips, held by the master. */
	struct lvs_addr link_local;
	struct lvs_addr *peers;		/* unicast peers; none = multicast */
	size_t npeers;
	/*
	 * Multicast: the routers of this virtual router (lvs.cf's directors
	 * and peers).  Only their adverts count (others: VRRP_DROP_SENDER)
	 * unless any_sender; ours go out from one of them when the device
	 * has one (and must, unless any_sender); a drill asks them whether
	 * one is ready to take over.  None and !any_sender: nobody is heard.
	 */
	struct lvs_addr *senders;
	size_t nsenders;
	bool any_sender;
	/* UDP port of drill queries, asked and answered (0: neither). */
	uint16_t query_port;
	struct vrrp_vip *vips;
	size_t nvips;
	unsigned garp_count;		/* GARP/NA per VIP on takeover (>= 1) */
	unsigned garp_delay_ms;		/* between repeats */
	struct vrrp_link_watch *links;
	size_t nlinks;
};

/* Fills c with the defaults (v3, IPv4, priority 100, 1 s, preempt, 5 GARPs
 * 200 ms apart, queries on VRRP_QUERY_PORT, no sender). */
void vrrp_instance_config_init(struct vrrp_instance_config *c);
/*
 * Which setting a configuration problem is about, so a caller can point
 * at the line of its own file that set it.
 */
enum vrrp_field {
	VRRP_F_NAME, VRRP_F_VRID, VRRP_F_VERSION, VRRP_F_FAMILY,
	VRRP_F_INTERFACE, VRRP_F_PRIORITY, VRRP_F_ADVERT, VRRP_F_HANDOFF,
	VRRP_F_AUTH, VRRP_F_VIPS, VRRP_F_PEERS, VRRP_F_LINK_LOCAL,
	VRRP_F_SENDERS,
	/* pulse */
	VRRP_F_PARTNER, VRRP_F_KEEPALIVE, VRRP_F_DEADTIME, VRRP_F_PORT,
};
/* Receives each problem found; NULL: each is logged instead. */
typedef void vrrp_problem_fn(void *arg, enum vrrp_field field,
    const char *msg);

/* Checks ranges and combinations; reports each problem; 0 if usable. */
int vrrp_instance_config_check(const struct vrrp_instance_config *c,
    vrrp_problem_fn *fn, void *arg);

/*
 * Called on every role change, after the VIPs were added (becoming master;
 * with handoff_delay_ms they may follow later) or removed (leaving
 * master).  instance is the config name (pulse: "pulse").
 */
typedef void vrrp_notify_fn(void *arg, const char *instance,
    enum vrrp_state old_state, enum vrrp_state new_state,
    enum vrrp_reason reason);

/* Counters per instance (vrrp_instance_stats). */
struct vrrp_stats {
	uint64_t adverts_sent;
	uint64_t adverts_received;	/* accepted */
	uint64_t became_master;
	uint64_t dropped[VRRP_DROP_MAX];
	/* Accepted adverts whose address list differs from ours (a peer
	 * configured otherwise, or a reload on one director only). */
	uint64_t address_mismatch;
};

struct vrrp;

/* A set of instances driven on ev.  fn is called on role changes. */
struct vrrp *vrrp_new(sd_event *ev, vrrp_notify_fn *fn, void *arg);
/* Copies cfg (and its arrays) into a new instance; before vrrp_start. */
int vrrp_instance_add(struct vrrp *v, const struct vrrp_instance_config *cfg);
/*
 * Removes VIPs this node is configured to own (a killed earlier run may
 * have left them), opens sockets, starts every instance.  0 or -1.
 */
int vrrp_start(struct vrrp *v);
/*
 * Before vrrp_start: instance name starts as master at once, keeping the
 * addresses it finds (a failover process restarted while master goes on
 * advertising before the backup can time it out).  -1 if unknown.
 */
int vrrp_resume_master(struct vrrp *v, const char *name);
/* Masters send priority 0, VIPs are removed; instances go to INIT. */
void vrrp_stop(struct vrrp *v);
/* Stops if needed and frees everything.  NULL is fine. */
void vrrp_free(struct vrrp *v);
/*
 * Planned switchover: each named master (NULL = every master) sends
 * priority 0 and becomes backup; the peer takes over in its skew time.
 * For hold_s seconds (VRRP_HOLD_FOREVER: until vrrp_resume) it does not
 * preempt back; it still takes over if no master is heard for a
 * master-down interval.  Returns how many instances were released, -1 if
 * name is unknown.
 */
int vrrp_failover(struct vrrp *v, const char *name, unsigned hold_s);
/*
 * A drill that looks first (lvsctl failover): every master asks the
 * routers it knows (its senders or unicast peer) whether one is BACKUP
 * and has heard it within three advert intervals (a drill query, UDP to
 * query_port, TTL 255); when each master has such an answer, each
 * releases as vrrp_failover does.  Otherwise nothing changes and fn gets
 * -1 with the reason (who was asked, who answered what).  force: release
 * at once.  Not a master: refused, with what this node hears.  fn is
 * called once, possibly before this returns.
 */
typedef void vrrp_drill_fn(void *arg, int released, const char *why);
void vrrp_drill(struct vrrp *v, unsigned hold_s, bool force,
    vrrp_drill_fn *fn, void *arg);
/*
 * Reload, in two steps so that a reload either applies whole or changes
 * nothing.  _prepare checks cfgs[0..n) (copied) and opens what it needs
 * (sockets of new instances) without touching what runs; -1 with a
 * sentence in why leaves everything as it was.  _commit then makes the
 * set match: instances are matched by name; one whose VRID, version,
 * family, device, peers and source are unchanged keeps its state and
 * socket and takes the new settings (a master drops VIPs no longer
 * listed, adds and announces new ones); other changed or removed
 * instances stop as in vrrp_stop (priority 0, VIPs removed); new ones
 * start as backup.  _abort drops a prepared reload.  Works before and
 * after vrrp_start.  vrrp_reconfigure does both steps (-1: nothing done).
 */
int vrrp_reconfigure_prepare(struct vrrp *v,
    const struct vrrp_instance_config *cfgs, size_t n, char *why,
    size_t whylen);
void vrrp_reconfigure_commit(struct vrrp *v);
void vrrp_reconfigure_abort(struct vrrp *v);
int vrrp_reconfigure(struct vrrp *v, const struct vrrp_instance_config *cfgs,
    size_t n);
/*
 * Whether c could start here now (its interface, an address of its family
 * on it, a VRRP socket): 0, or -1 with a sentence in why.  For a reload
 * that changes the mechanism, before the running one is stopped.
 */
int vrrp_probe(const struct vrrp_instance_config *c, char *why,
    size_t whylen);
/* Ends a hold early (NULL = all). */
void vrrp_resume(struct vrrp *v, const char *name);
/* State and counters of instance name; -1 if unknown. */
int vrrp_instance_stats(const struct vrrp *v, const char *name,
    enum vrrp_state *state, struct vrrp_stats *stats);

/*
 * Pulse (piranha heartbeat).  One pair of directors, selected in lvs.cf by
 * heartbeat = 1 without VRRP settings.
 */
struct pulse_config {
	bool primary;			/* this node is lvs.cf's "primary" */
	struct lvs_addr partner;	/* the other director's address */
	struct lvs_addr partner_private; /* its *_private address, or unset */
	uint16_t port;			/* heartbeat_port, default 539 */
	unsigned keepalive_ms;		/* keepalive (s in lvs.cf), default 6 s */
	unsigned deadtime_ms;		/* deadtime (s in lvs.cf), default 18 s */
	char ifname[IFNAMSIZ];		/* default device of the VIPs */
	struct vrrp_vip *vips;
	size_t nvips;
	unsigned garp_count;
	unsigned garp_delay_ms;
	struct vrrp_link_watch *links;	/* monitor_links: delta ignored, fault */
	size_t nlinks;
};

void pulse_config_init(struct pulse_config *c);
/* The same for pulse settings. */
int pulse_config_check(const struct pulse_config *c, vrrp_problem_fn *fn,
    void *arg);

struct pulse;

/* Copies cfg.  fn reports BACKUP (inactive) / MASTER (active). */
struct pulse *pulse_new(sd_event *ev, const struct pulse_config *cfg,
    vrrp_notify_fn *fn, void *arg);
/* Before pulse_start: start active, keeping the addresses (a failover
 * process restarted while active). */
void pulse_resume_active(struct pulse *p);
int pulse_start(struct pulse *p);
/* Sends a stopped heartbeat, removes the VIPs. */
void pulse_stop(struct pulse *p);
void pulse_free(struct pulse *p);
/* Drill: go inactive, send "stopped"; the partner takes over at once. */
int pulse_failover(struct pulse *p, unsigned hold_s);
/*
 * The same, only if the partner's heartbeat was heard within three
 * keepalive intervals and says it is inactive (ready to take over), or
 * force.  1, or -1 with the reason in why (nothing changed).
 */
int pulse_drill(struct pulse *p, unsigned hold_s, bool force, char *why,
    size_t whylen);
void pulse_resume(struct pulse *p);
/*
 * Reload: takes the new settings (copied) keeping the role; an active
 * node swaps its VIPs as vrrp_reconfigure does.  -1 if cfg is invalid
 * (nothing changed) or the socket could not be reopened for a new port.
 */
int pulse_reconfigure(struct pulse *p, const struct pulse_config *cfg);
/* Whether cfg's heartbeat port can be bound now; 0, or -1 with why. */
int pulse_probe(const struct pulse_config *cfg, char *why, size_t whylen);
int pulse_stats(const struct pulse *p, enum vrrp_state *state,
    struct vrrp_stats *stats);

/*
 * A lone director's addresses (no peer, no protocol): held from
 * vrrp_hold_take until vrrp_hold_free, announced like a new master's.
 */
struct vrrp_hold;
struct vrrp_hold *vrrp_hold_new(sd_event *ev, const struct vrrp_vip *vips,
    size_t nvips, const char *ifname, unsigned garp_count,
    unsigned garp_delay_ms);
/* Adds and announces them; 0, or -1 if one could not be added (logged). */
int vrrp_hold_take(struct vrrp_hold *h);
/*
 * Reload: holds vips (copied) from now on.  Held addresses no longer
 * listed are removed, new ones added and announced; the ones in both
 * lists stay in place throughout (never removed and re-added).
 */
void vrrp_hold_update(struct vrrp_hold *h, const struct vrrp_vip *vips,
    size_t nvips, const char *ifname);
/* Removes them and frees h.  NULL is fine. */
void vrrp_hold_free(struct vrrp_hold *h);

#endif
