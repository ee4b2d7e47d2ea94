/*
 * The running VRRP instances, internal to vrrp/: instance.c runs them,
 * query.c carries drill queries (asks and answers), drill.c decides a
 * drill from the answers.
 */
#ifndef LVSD_VRRP_INST_H
#define LVSD_VRRP_INST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "vrrp/fsm.h"
#include "vrrp/priv.h"
#include "vrrp/vip.h"

/* A router whose adverts this instance accepted lately, and when. */
struct vrrp_heard {
	struct lvs_addr src;
	uint64_t at;
	uint8_t priority;
};
#define VRRP_HEARD_MAX	4

struct vrrp_inst {
	TAILQ_ENTRY(vrrp_inst) entry;
	struct vrrp *v;
	struct vrrp_instance_config cfg;	/* owned deep copy */
	struct vrrp_fsm fsm;
	struct vip_set vips;
	struct lvs_addr self, group;
	struct lvs_addr ll;		/* IPv6: first address of our adverts */
	unsigned ifindex;
	int fd;
	sd_event_source *io, *timer;
	sd_event_source *take;		/* handoff_delay: addresses later */
	struct vrrp_stats stats;
	struct droplog droplog, sendlog;
	struct { uint64_t last; unsigned suppressed; } mismatchlog;
	struct vrrp_heard heard[VRRP_HEARD_MAX];
	bool resume;			/* start as the master it was */
};

/* A UDP socket of drill queries, one per family. */
struct vrrp_qsock {
	int fd;
	uint16_t port;
	sd_event_source *io;
};

struct vrrp_drill_op;

struct vrrp {
	sd_event *ev;
	vrrp_notify_fn *fn;
	void *arg;
	struct vip_ctx vctx;
	struct linkmon lm;
	bool started;
	TAILQ_HEAD(, vrrp_inst) insts;
	/* A reload prepared and not yet committed: the instances it starts
	 * (sockets open, not running) and every setting it applies. */
	TAILQ_HEAD(, vrrp_inst) pending;
	struct vrrp_instance_config *next;
	size_t nnext;
	struct vrrp_qsock q4, q6;
	struct droplog qlog;		/* queries no instance could take */
	struct vrrp_drill_op *drill;	/* a drill waiting for answers */
};

/* instance.c: an instance's life (reload.c drives it too). */
struct vrrp_inst *vrrp_inst_new(struct vrrp *v,
    const struct vrrp_instance_config *cfg);
void vrrp_inst_free(struct vrrp_inst *in);
/* Opens its socket; stale: first removes its addresses (a killed run's). */
int vrrp_inst_prepare(struct vrrp_inst *in, bool stale);
void vrrp_inst_start(struct vrrp_inst *in, uint64_t now);
void vrrp_inst_links(struct vrrp_inst *in, uint64_t now);
void vrrp_inst_stop(struct vrrp_inst *in);
void vrrp_inst_close(struct vrrp_inst *in);

/* instance.c: since an advert from src was last accepted (UINT64_MAX:
 * none lately); the master this instance heard last, if any. */
uint64_t vrrp_inst_heard_age(const struct vrrp_inst *in,
    const struct lvs_addr *src, uint64_t now);
const struct vrrp_heard *vrrp_inst_last_master(const struct vrrp_inst *in);
struct vrrp_inst *vrrp_inst_find(const struct vrrp *v, const char *name);

/* query.c: opens and closes the sockets the instances need (after start
 * and reloads); sends q for instance in to dst (0, or -1 with errno). */
void vrrp_query_sync(struct vrrp *v);
void vrrp_query_close(struct vrrp *v);
int vrrp_query_send(struct vrrp *v, const struct vrrp_inst *in,
    const struct lvs_addr *dst, const struct vrrp_query *q);

/* drill.c: an answer from `from` for instance in; a drill under way ends
 * (the instances are stopping: refused with why). */
void vrrp_drill_answer(struct vrrp *v, const struct vrrp_inst *in,
    const struct lvs_addr *from, const struct vrrp_query *q);
void vrrp_drill_cancel(struct vrrp *v, const char *why);

#endif
