/*
 * The plan: everything the daemon runs for one configuration generation
 * and one role (primary or backup), derived once from lvs.cf and checked
 * before anything is committed: the failover settings (VRRP instances,
 * pulse, or a lone director's addresses), one health-check setting per
 * real server, and the inputs of the desired IPVS table.
 *
 * Every rule that lvs.cf alone decides is checked here (or by the reader
 * before it) and reported as a located diagnostic, never as a log line:
 * `lvsd -t` builds the plan for both roles, start and reload build it for
 * this node's role, so a file `lvsd -t` accepts starts, and one it refuses
 * never runs.  What is left to fail at run time is I/O: a missing
 * interface, a socket that cannot be opened, a kernel that refuses.
 *
 * Building a plan does no I/O and allocates; plan_free releases it.  The
 * plan points into its configuration (names, identities): the
 * configuration must outlive it.
 */
#ifndef LVSD_DAEMON_PLAN_H
#define LVSD_DAEMON_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/node.h"
#include "healthcheck/hc.h"
#include "vrrp/announce.h"
#include "vrrp/vrrp.h"

/* Which mechanism moves the virtual addresses. */
enum plan_mode {
	PLAN_LONE,		/* no peer: this director holds them */
	PLAN_PULSE,		/* piranha's heartbeat */
	PLAN_VRRP,		/* VRRP instances (`vrrp` blocks) */
	PLAN_ANNOUNCE,		/* every director active, routes for ECMP */
};

struct plan_failover {
	enum plan_mode mode;
	/* The instance whose MASTER state means "this director forwards"
	 * (the first vrrp block; "pulse"; "director"). */
	char active[VRRP_NAME_MAX];
	/* PLAN_VRRP: one config per vrrp block, in file order; a unicast
	 * instance's peer points into peers[i]. */
	struct vrrp_instance_config *instances;
	struct lvs_addr *peers;
	size_t ninstances;
	/* PLAN_PULSE */
	struct pulse_config pulse;
	/* PLAN_LONE: the addresses it holds, and where it announces them.
	 * PLAN_ANNOUNCE: every active virtual address, on announce.ifname. */
	struct vrrp_vip *vips;
	size_t nvips;
	/* PLAN_ANNOUNCE (lvs.cf's `announce` block) */
	struct vrrp_announce_config announce;
	uint32_t stop_delay_ms;		/* withdrawn, still forwarding, at stop */
};

/*
 * One real server of an active virtual service that is itself active.
 * Its checker's settings are those of its virtual service, shared by
 * every server of every virtual service that sets the same:
 * plan_check_config() puts the whole of them together.
 */
struct plan_check {
	const struct cfg_virtual *v;
	const struct cfg_server *s;	/* s->id is its identity */
	bool checked;			/* false: `check = none`, always up */
	uint16_t port;			/* the port it checks */
	/* When checked: the shared settings (label, addr, port unset). */
	const struct hc_check_config *set;
};

struct plan {
	const struct cfg *cfg;
	enum node_role role;
	struct plan_failover failover;
	struct plan_check *checks;	/* in file order */
	size_t nchecks;
	struct hc_check_config **settings;	/* each distinct one, owned */
	size_t nsettings;
};

/*
 * Derives the plan of cfg (a valid configuration) for role.  Every problem
 * goes to diags with its place; returns NULL if any is an error.
 */
struct plan *plan_build(const struct cfg *cfg, enum node_role role,
    struct cfg_diags *diags);
void plan_free(struct plan *p);

/*
 * What `lvsd -t` checks: the plan for role, or for both roles when role is
 * NODE_ROLE_UNKNOWN (a problem both share is reported once).  Returns the
 * number of errors added to diags.
 */
unsigned plan_check_roles(const struct cfg *cfg, enum node_role role,
    struct cfg_diags *diags);

/* The failover part (daemon/plan_failover.c); 0, or -1 after reporting. */
int plan_failover_build(struct plan_failover *f, const struct cfg *cfg,
    enum node_role role, struct cfg_diags *diags);
void plan_failover_clear(struct plan_failover *f);
/* True when a and b hold the same addresses (lone director). */
bool plan_same_vips(const struct plan_failover *a,
    const struct plan_failover *b);

/* The health-check part (daemon/plan_checks.c); 0, or -1 after reporting. */
int plan_checks_build(struct plan *p, struct cfg_diags *diags);
void plan_checks_clear(struct plan *p);
/* The same problems, building nothing (lvsd -t); the number of errors. */
unsigned plan_checks_verify(const struct cfg *cfg, struct cfg_diags *diags);
/* The failover part's problems for role, building nothing that stays. */
int plan_failover_verify(const struct cfg *cfg, enum node_role role,
    struct cfg_diags *diags);
/*
 * The whole settings of pc's checker (pc->checked): its label s->id, its
 * address and port; the strings are the plan's (out must not be cleared).
 */
void plan_check_config(const struct plan_check *pc,
    struct hc_check_config *out);
/* Both checked with the same settings: a running checker may stay. */
bool plan_check_same(const struct plan_check *a, const struct plan_check *b);

#endif
