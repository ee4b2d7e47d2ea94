/*
 * IPVS driver: the only part of lvsd that writes the kernel's LVS table.
 *
 * The daemon describes the table it wants as plain data (an ipvs_table of
 * services, each with its destinations and a human label used in logs),
 * and hands it to ipvs_apply().  The driver keeps a mirror of the kernel's
 * table, computes the difference and sends only the generic-netlink
 * NEW/SET/DEL messages needed, batched many per sendmsg.
 *
 * Ownership rules (see ipvs_driver_open): lvsd only touches services it
 * manages.  Services somebody else created survive start, apply and close;
 * services lvsd created in an earlier run (recorded in the state file) and
 * no longer desired are removed by the first apply.
 *
 * Functions return 0 on success and -1 with errno set on failure, unless
 * stated otherwise.
 */
#ifndef LVSD_IPVS_IPVS_H
#define LVSD_IPVS_IPVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* ipvs_driver_open() fails with this errno when the kernel has no IPVS. */
#define IPVS_ENOKERNEL	EPROTONOSUPPORT

/* Service flags (IP_VS_SVC_F_*, same bit values). */
#define IPVS_SVC_PERSISTENT	0x0001
#define IPVS_SVC_ONEPACKET	0x0004
#define IPVS_SVC_SCHED1		0x0008	/* sh/mh: fallback */
#define IPVS_SVC_SCHED2		0x0010	/* sh/mh: hash the port */
#define IPVS_SVC_SCHED3		0x0020
#define IPVS_SVC_SH_FALLBACK	IPVS_SVC_SCHED1
#define IPVS_SVC_SH_PORT	IPVS_SVC_SCHED2
#define IPVS_SVC_MH_FALLBACK	IPVS_SVC_SCHED1
#define IPVS_SVC_MH_PORT	IPVS_SVC_SCHED2

/* Forwarding methods (IP_VS_CONN_F_*, same values). */
enum ipvs_fwd {
	IPVS_FWD_MASQ = 0,	/* NAT, ipvsadm -m */
	IPVS_FWD_LOCAL = 1,
	IPVS_FWD_TUNNEL = 2,	/* ipvsadm -i */
	IPVS_FWD_ROUTE = 3,	/* direct routing, ipvsadm -g */
};

/* Tunnel types and flags (IP_VS_CONN_F_TUNNEL_TYPE_*, IP_VS_TUNNEL_ENCAP_*). */
enum ipvs_tun_type { IPVS_TUN_IPIP = 0, IPVS_TUN_GUE = 1, IPVS_TUN_GRE = 2 };
#define IPVS_TUN_F_CSUM		0x0001
#define IPVS_TUN_F_REMCSUM	0x0002

/* 64-bit counters and rates, as the kernel's STATS64 reports them. */
struct ipvs_counters {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

/*
 * A virtual service.  Identified by (af, protocol, addr, port) or, when
 * fwmark != 0, by (af, fwmark) alone.  ipvs_service_init() fills sane
 * defaults (wlc, netmask = host prefix); set the key and what you need.
 */
struct ipvs_service {
	sa_family_t af;			/* AF_INET or AF_INET6 */
	uint16_t protocol;		/* IPPROTO_TCP/UDP/SCTP; ignored w/ fwmark */
	struct lvs_addr addr;		/* ignored with fwmark */
	uint16_t port;			/* host order; ignored with fwmark */
	uint32_t fwmark;		/* 0: not a fwmark service */
	char sched[16];			/* "wlc", "rr", ... */
	char pe_name[16];		/* persistence engine ("sip") or "" */
	uint32_t flags;			/* IPVS_SVC_* */
	uint32_t timeout;		/* persistence timeout, s (PERSISTENT) */
	unsigned netmask_plen;		/* persistence netmask as prefix length */
	/* Filled by dumps only (ipvs_dump_stats); ignored by apply. */
	struct ipvs_counters stats;
};

/* A real server (destination) of a service. */
struct ipvs_dest {
	struct lvs_addr addr;		/* may be of the other family than svc */
	uint16_t port;			/* host order; with route/tunnel the
					   service's port is used (as ipvsadm) */
	enum ipvs_fwd fwd;
	int weight;			/* 0 = quiesced */
	uint32_t u_thresh, l_thresh;	/* connection thresholds, 0 = none */
	uint8_t tun_type;		/* IPVS_TUN_*, only with IPVS_FWD_TUNNEL */
	uint16_t tun_port;		/* host order; GUE port */
	uint16_t tun_flags;		/* IPVS_TUN_F_* */
	/* Filled by dumps only; ignored by apply. */
	uint32_t active_conns, inact_conns, persist_conns;
	struct ipvs_counters stats;
};

/* Defaults: wlc, no persistence, netmask_plen = max prefix of af. */
void ipvs_service_init(struct ipvs_service *svc, sa_family_t af);
/* Defaults: masquerading, weight 1. */
void ipvs_dest_init(struct ipvs_dest *d);

/*
 * A table of services and their destinations (desired table, or the
 * result of a dump).  The table owns copies of everything added to it.
 */
struct ipvs_table;
struct ipvs_svc;	/* one service entry inside a table */
struct ipvs_dst;	/* one destination entry inside a table */

/* size_hint: expected number of services (pre-sizes the hash maps). */
struct ipvs_table *ipvs_table_new(size_t size_hint);
void ipvs_table_free(struct ipvs_table *t);
/*
 * Adds a copy of svc with a label for logs (e.g. "virtual web1"; copied,
 * may be NULL).  Returns the entry, or NULL with errno EEXIST when a
 * service with the same key is already in the table, EINVAL when svc is
 * not valid (family, protocol, scheduler name).
 */
struct ipvs_svc *ipvs_table_add_service(struct ipvs_table *t,
    const struct ipvs_service *svc, const char *label);
/*
 * Adds a copy of d to service s with a label (e.g. "web1/Real2"; copied,
 * may be NULL).  Returns the entry, or NULL with errno EEXIST (same
 * address and port twice) or EINVAL.
 */
struct ipvs_dst *ipvs_table_add_dest(struct ipvs_table *t, struct ipvs_svc *s,
    const struct ipvs_dest *d, const char *label);
/* Adds a copy of service s of another table, its destinations and labels
 * with it (not its managed flag).  Returns it, or NULL as
 * ipvs_table_add_service. */
struct ipvs_svc *ipvs_table_add_copy(struct ipvs_table *t,
    const struct ipvs_svc *s);
/* A new table with a copy of every service of src, in src's order:
 * destinations, labels and managed flags (a mirror's snapshot, the last
 * desired table kept for draining). */
struct ipvs_table *ipvs_table_copy(const struct ipvs_table *src);
struct ipvs_svc *ipvs_table_find_service(const struct ipvs_table *t,
    const struct ipvs_service *key);
/* The destination addr:port of service s in t, or NULL. */
struct ipvs_dst *ipvs_table_find_dest(const struct ipvs_table *t,
    const struct ipvs_svc *s, const struct lvs_addr *addr, uint16_t port);
/* Same service key: (af, fwmark) or (af, protocol, addr, port). */
bool ipvs_service_key_eq(const struct ipvs_service *a,
    const struct ipvs_service *b);
size_t ipvs_table_nservices(const struct ipvs_table *t);
size_t ipvs_table_ndests(const struct ipvs_table *t);

/* Iteration, in insertion order: pass NULL for the first element. */
struct ipvs_svc *ipvs_table_next(const struct ipvs_table *t,
    const struct ipvs_svc *prev);
struct ipvs_dst *ipvs_svc_next_dest(const struct ipvs_svc *s,
    const struct ipvs_dst *prev);
const struct ipvs_service *ipvs_svc_conf(const struct ipvs_svc *s);
const char *ipvs_svc_label(const struct ipvs_svc *s);	/* never NULL */
const struct ipvs_dest *ipvs_dst_conf(const struct ipvs_dst *d);
const char *ipvs_dst_label(const struct ipvs_dst *d);	/* never NULL */

/* "tcp 10.0.0.1:80", "fwmark 5 (inet6)" into buf of IPVS_SVCSTRLEN. */
#define IPVS_SVCSTRLEN 80
const char *ipvs_service_fmt(const struct ipvs_service *svc, char *buf);

/* ---- driver ---- */

struct ipvs_driver;

struct ipvs_driver_opts {
	bool dry_run;		/* log ipvsadm commands, never touch the kernel */
	const char *state_file;	/* e.g. "/run/lvsd/ipvs.state"; NULL: none */
	size_t size_hint;	/* expected number of services, 0 = small */
	/* Set only by tests: a transport other than the kernel's netlink. */
	const struct ipvs_transport *transport;
};

/* What one apply (or resync) did; msgs counts netlink requests sent. */
struct ipvs_apply_stats {
	unsigned msgs;
	unsigned svc_added, svc_edited, svc_removed, svc_adopted;
	unsigned dst_added, dst_edited, dst_removed;
	unsigned errors;	/* kernel rejected a request (each logged) */
	unsigned batches;	/* sendmsg calls */
	unsigned resyncs;	/* full re-dumps of the kernel (after errors,
				   and the one of ipvs_resync itself) */
};

/*
 * Opens the driver: one generic-netlink socket, family id resolved once
 * (running `modprobe ip_vs` once if the family is missing), a dump of the
 * kernel's table into the mirror, and the state file read.  Returns NULL
 * with errno set; errno == IPVS_ENOKERNEL means the kernel has no IPVS
 * (the caller should exit without restart).  In dry-run mode nothing of
 * the kernel is needed and the mirror starts empty.  opts is copied.
 * Blocks (startup only).
 */
struct ipvs_driver *ipvs_driver_open(const struct ipvs_driver_opts *opts);
/*
 * Makes the kernel match desired for the services lvsd manages.  Takes
 * ownership of desired (freed by the driver later, even on failure).
 * Errors about single objects are logged with their label and counted in
 * stats->errors; the rest of the table is still applied.  Returns 0, or
 * -1 if the kernel could not be talked to at all.  stats may be NULL.
 */
int ipvs_apply(struct ipvs_driver *drv, struct ipvs_table *desired,
    struct ipvs_apply_stats *stats);
/*
 * The same in slices, for the event loop.  ipvs_apply_start takes desired
 * (as ipvs_apply) and changes nothing yet; it returns 0, or -1 if a re-read
 * of the kernel it had to begin failed (nothing is in progress then).
 * Each ipvs_apply_continue does one slice of bounded work (budget 0 counts
 * as 1) and returns 1 while more remains, 0 when done, -1 on failure;
 * stats then hold the whole operation.  Call it from a low-priority
 * (LVSD_PRIO_BULK) defer source while ipvs_apply_busy().
 * A slice is one of:
 *   - reconciling up to budget desired services: their messages sent and
 *     acknowledged before it returns (a slice may end with the removal
 *     of every managed service no longer desired);
 *   - reading the destinations of up to budget services from the kernel,
 *     when the apply must re-read the kernel first (the mirror was left
 *     untrusted by a failed apply; once after errors that mean it may be
 *     wrong: EEXIST, ENOBUFS, a failed send).  The service list itself
 *     is read in one go when that re-read starts (in ipvs_apply_start or
 *     in the slice that decides it).
 * The driver does one apply or resync at a time; how a new one combines
 * with one in progress:
 *   - an apply started while the kernel is being read (a resync, or a
 *     re-read after a failure) replaces the desired table and joins that
 *     read: nothing lvsd does changes the kernel while it is read, so the
 *     read stays valid and is never restarted; the reconcile that follows
 *     applies the newest table.  The apply completes after the rest of
 *     the read; stats keep what the operation did so far.
 *   - an apply started while reconciling restarts the reconcile with its
 *     table (what was sent is sent, and in the mirror); stats restart.
 *   - a resync (ipvs_resync_start / ipvs_resync) started while the kernel
 *     is being read joins that read (the resync's one re-read); started
 *     while reconciling, it re-reads the kernel first, then re-applies
 *     the last desired table, which the apply in progress had given.
 * So the newest desired table always wins, and a resync always finishes
 * however often applies arrive.
 */
int ipvs_apply_start(struct ipvs_driver *drv, struct ipvs_table *desired);
int ipvs_apply_continue(struct ipvs_driver *drv, size_t budget,
    struct ipvs_apply_stats *stats);
/* True between a start and the continue that returns 0/-1. */
bool ipvs_apply_busy(const struct ipvs_driver *drv);
/*
 * Applies part of the desired table at once: part's services (each in the
 * last desired table already) replace theirs there, and only they are
 * brought in line, each request acked.  Takes ownership of part.  Returns
 * 0 when done; 1, doing nothing, when the whole table must be applied
 * instead (an apply or resync in progress, none given yet, the mirror
 * untrusted, a service not desired before); -1 when the kernel refused
 * something that leaves the mirror untrusted (the next whole apply reads
 * the kernel first).  stats may be NULL.
 */
int ipvs_apply_part(struct ipvs_driver *drv, struct ipvs_table *part,
    struct ipvs_apply_stats *stats);
/*
 * Re-reads the kernel's table and re-applies the last desired table
 * (periodic consistency check: repairs e.g. an `ipvsadm -D` done behind
 * lvsd's back; stats->resyncs counts the read, one at most).  Blocks for
 * the whole read: one netlink dump per service, ~0.5 ms each under
 * emulation (10 000 services: ~5 s in the test VM), far less on real
 * hardware.  stats may be NULL.  For the event loop use the sliced form.
 */
int ipvs_resync(struct ipvs_driver *drv, struct ipvs_apply_stats *stats);
/*
 * The sliced resync: ipvs_resync_start reads the kernel's service list
 * (one netlink dump: the longest single step of a resync) and returns;
 * then ipvs_apply_continue, as for an apply: slices that read the
 * destinations of up to budget services each, then slices that reconcile
 * up to budget desired services each.  Without a desired table yet (no
 * apply so far) it only refreshes the mirror.  0, or -1 if the service
 * list could not be read (nothing in progress then; the mirror is
 * untrusted, so the next apply re-reads the kernel).
 */
int ipvs_resync_start(struct ipvs_driver *drv);
/*
 * Closes the driver.  Unless keep_table, removes the services it manages
 * (and the state file); foreign services are left alone.  NULL is a no-op.
 */
void ipvs_driver_close(struct ipvs_driver *drv, bool keep_table);

/* Connection timeouts in seconds; 0 = leave unchanged (when setting). */
struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;
};
int ipvs_set_timeouts(struct ipvs_driver *drv, const struct ipvs_timeouts *t);
int ipvs_get_timeouts(struct ipvs_driver *drv, struct ipvs_timeouts *t);

/* Connection synchronisation daemon. */
enum ipvs_sync_state { IPVS_SYNC_MASTER = 1, IPVS_SYNC_BACKUP = 2 };
struct ipvs_sync_conf {
	enum ipvs_sync_state state;
	char ifname[16];		/* multicast interface */
	uint32_t syncid;
	uint16_t maxlen;		/* 0: kernel default */
	struct lvs_addr group;		/* AF_UNSPEC: kernel default group */
	uint16_t port;			/* 0: kernel default (8848) */
	uint8_t ttl;			/* 0: kernel default */
};
int ipvs_sync_start(struct ipvs_driver *drv, const struct ipvs_sync_conf *c);
int ipvs_sync_stop(struct ipvs_driver *drv, enum ipvs_sync_state state);
/* Fills up to 2 running daemons into out; returns how many, or -1. */
int ipvs_sync_get(struct ipvs_driver *drv, struct ipvs_sync_conf out[2]);
/*
 * Connection handoff before a planned release: reads the kernel's
 * connection table (/proc/net/ip_vs_conn of this network namespace) and
 * sends every live connection and persistence template of a service lvsd
 * manages to the sync group of c (ifname, syncid; group, port, ttl or the
 * kernel's defaults), in the kernel's sync protocol, so the peer's backup
 * sync daemon knows them all before it takes over, not only those its
 * master daemon has sent so far.  Blocks while it reads the table.
 * Returns the number of connections sent, or -1.  Dry run: 0.
 */
int ipvs_conn_handoff(struct ipvs_driver *drv, const struct ipvs_sync_conf *c);
/*
 * The same in steps, for the event loop: _start opens the table and the
 * socket (NULL on failure, logged, and in dry-run mode); each _step reads
 * up to budget lines and sends what they hold, returning 1 while lines
 * remain, 0 at the end; _finish logs the count, frees h and returns how
 * many connections were sent.  Connections that are closing (TIME_WAIT,
 * CLOSE) are left out.
 */
struct ipvs_handoff;
struct ipvs_handoff *ipvs_handoff_start(struct ipvs_driver *drv,
    const struct ipvs_sync_conf *c);
int ipvs_handoff_step(struct ipvs_handoff *h, size_t budget);
unsigned ipvs_handoff_finish(struct ipvs_handoff *h);

/* IPVS version (e.g. 0x010201 = 1.2.1) and connection hash table size. */
int ipvs_get_info(struct ipvs_driver *drv, uint32_t *version,
    uint32_t *conn_tab_size);
/* Zeroes the kernel's counters of every service (ipvsadm -Z). */
int ipvs_zero_counters(struct ipvs_driver *drv);

/*
 * Dumps the kernel's table with 64-bit stats into a new table: services
 * and destinations in the kernel's order (a service's destinations in the
 * order they were added), the labels and the managed flag of what lvsd
 * manages carried from the mirror.  The caller frees it with
 * ipvs_table_free.  In dry-run mode: a copy of the mirror, zero stats.
 * Blocks for the whole dump (see ipvs_resync); for the event loop:
 */
int ipvs_dump_stats(struct ipvs_driver *drv, struct ipvs_table **out);
/*
 * The same in slices.  ipvs_dump_start reads the service list (one
 * netlink dump) and returns a handle, or NULL with errno.  Each
 * ipvs_dump_step reads the destinations of up to budget more services
 * and returns 1 while more remain, 0 when the dump is complete, -1 on
 * failure (errno; logged).  ipvs_dump_finish frees the handle; when the
 * dump is complete and out is not NULL, *out is the table (as
 * ipvs_dump_stats, labels carried at finish time) and it returns 0;
 * otherwise *out = NULL and it returns -1 (errno EINPROGRESS when
 * abandoned before the end).  Finish every dump before closing drv.
 * Dumps do not change the kernel or the mirror; any number may be in
 * progress beside an apply or resync (each step's exchanges are over
 * when it returns).  The table is not a snapshot: a service deleted after
 * the service list was read is left out, one added later is missing,
 * and destinations are as the kernel had them at their service's step.
 */
struct ipvs_dump;
struct ipvs_dump *ipvs_dump_start(struct ipvs_driver *drv);
int ipvs_dump_step(struct ipvs_dump *dp, size_t budget);
/* True once step has returned 0 or -1 (or at once for an empty table). */
bool ipvs_dump_done(const struct ipvs_dump *dp);
int ipvs_dump_finish(struct ipvs_dump *dp, struct ipvs_table **out);
/* True if the service (key of svc) is one lvsd manages. */
bool ipvs_driver_manages(const struct ipvs_driver *drv,
    const struct ipvs_service *svc);

#endif
