/* Internal helpers shared by the files of vrrp/ (not for the daemon). */
#ifndef LVSD_VRRP_PRIV_H
#define LVSD_VRRP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp/vrrp.h"

struct nl_cache_mngr;
struct nl_cache;
typedef struct sd_event_source sd_event_source;

/* Deep copies (arrays duplicated); free with the matching _fini. */
void vrrp_config_copy(struct vrrp_instance_config *dst,
    const struct vrrp_instance_config *src);
void vrrp_config_fini(struct vrrp_instance_config *c);
void pulse_config_copy(struct pulse_config *dst, const struct pulse_config *src);
void pulse_config_fini(struct pulse_config *c);

/*
 * The line of a state change, "PREFIX: OLD -> NEW (WHY)", with the journal
 * fields LVSD_INSTANCE, LVSD_STATE, LVSD_OLD_STATE and LVSD_REASON (the
 * names the notify commands' environment uses).
 */
void vrrp_log_transition(const char *prefix, const char *instance,
    enum vrrp_state old, enum vrrp_state new, enum vrrp_reason why);

/* True if b can replace a on a running instance (reload.c). */
bool vrrp_config_same_wire(const struct vrrp_instance_config *a,
    const struct vrrp_instance_config *b);
/* Every config valid and names unique; logs each problem. */
int vrrp_configs_check(const struct vrrp_instance_config *cfgs, size_t n);

/* Link state through libnl-route's link cache, updated on the loop. */
typedef void linkmon_fn(void *arg);
struct linkmon {
	struct nl_cache_mngr *mngr;
	struct nl_cache *cache;
	sd_event_source *io;
	linkmon_fn *fn;		/* called after any link changed */
	void *arg;
};

int linkmon_init(struct linkmon *m, sd_event *ev, linkmon_fn *fn, void *arg);
/* Administratively up with carrier; false if unknown. */
bool linkmon_up(const struct linkmon *m, const char *ifname);
void linkmon_fini(struct linkmon *m);

/*
 * Fault and effective priority from the watched links (and the instance's
 * own device, which is always watched).
 */
bool linkmon_eval(const struct linkmon *m, const char *own,
    const struct vrrp_link_watch *links, size_t n, int *prio_delta);

/* Rate-limited drop logging: at most one line per second per owner. */
struct droplog {
	uint64_t last;
	unsigned suppressed;
};
void droplog_note(struct droplog *d, uint64_t now, const char *owner,
    const char *why, const struct lvs_addr *src);

/* Monotonic time of the loop's current iteration, in microseconds. */
uint64_t vrrp_now(sd_event *ev);

#endif
