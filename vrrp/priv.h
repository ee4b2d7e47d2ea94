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

/*
 * Rate-limited lines about dropped packets (droplog.c): the first drop of
 * a reason at once, with its sender; then one line per window with the
 * count since the last line, until a window passes without a drop.  With
 * sends, the same for failed sends (one reason, the error as detail).
 */
struct droplog_slot {
	uint64_t until;		/* end of the current window; 0: idle */
	uint64_t window;	/* its length, usec */
	uint64_t pending;	/* dropped since the last line */
	uint64_t burst;		/* dropped since the burst began */
	struct lvs_addr from;	/* sender of the first pending one */
	bool several;		/* pending ones came from several senders */
	char detail[64];	/* sends: the error of the first pending one */
};
struct droplog {
	sd_event *ev;
	sd_event_source *timer;
	char owner[VRRP_NAME_MAX + 8];	/* "vrrp NAME", "pulse" */
	bool sends;
	struct droplog_slot slot[VRRP_DROP_MAX];
};
void droplog_init(struct droplog *d, sd_event *ev, const char *owner,
    bool sends);
/* A drop for reason why (sends: any) from (to) peer; detail: what else
 * the line says ("vrid 7, priority 254"; sends: the error), or NULL. */
void droplog_note(struct droplog *d, enum vrrp_drop why,
    const struct lvs_addr *peer, const char *detail);
/* Logs the counts still pending and stops the timer. */
void droplog_fini(struct droplog *d);

/* Monotonic time of the loop's current iteration, in microseconds. */
uint64_t vrrp_now(sd_event *ev);

#endif
