/*
 * Internals of the IPVS driver shared by its files (and its tests):
 * table entries and hash maps, the generic-netlink codec, the transport
 * interface between the driver and "a kernel", and the in-memory kernel
 * model used by the tests.  Nothing here is for the daemon.
 */
#ifndef LVSD_IPVS_PRIV_H
#define LVSD_IPVS_PRIV_H

#include <linux/netlink.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "ipvs/ipvs.h"

/* glibc's <sys/queue.h> lacks the BSD _SAFE iterators. */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

/* ---- tables (ipvs/table.c) ---- */

struct ipvs_dst {
	TAILQ_ENTRY(ipvs_dst) entry;	/* in its service, insertion order */
	struct ipvs_dst *hnext;		/* hash chain in the table's dest map */
	uint32_t hash;
	struct ipvs_svc *svc;
	struct ipvs_dest conf;
	char *label;			/* NULL: none */
	bool broken;			/* mirror: the kernel refused its NEW */
	bool seen;			/* scratch flag of the reconciler */
};
TAILQ_HEAD(ipvs_dst_list, ipvs_dst);

struct ipvs_svc {
	TAILQ_ENTRY(ipvs_svc) entry;
	struct ipvs_svc *hnext;
	uint32_t hash;
	struct ipvs_service conf;
	char *label;
	struct ipvs_dst_list dests;
	size_t ndests;
	bool managed;			/* mirror: lvsd owns this service */
	bool broken;			/* mirror: the kernel refused its NEW */
	bool seen;			/* scratch flag of the reconciler */
};
TAILQ_HEAD(ipvs_svc_list, ipvs_svc);

struct ipvs_table {
	struct ipvs_svc_list svcs;
	struct ipvs_svc **sb;		/* service buckets, power of two */
	size_t nsb, nsvc;
	struct ipvs_dst **db;		/* (service, dest) buckets */
	size_t ndb, ndst;
};

bool ipvs_service_key_eq(const struct ipvs_service *a,
    const struct ipvs_service *b);
bool ipvs_service_attrs_eq(const struct ipvs_service *a,
    const struct ipvs_service *b);
bool ipvs_dest_attrs_eq(const struct ipvs_dest *a, const struct ipvs_dest *b);
int ipvs_service_check(const struct ipvs_service *svc);
struct ipvs_dst *ipvs_table_find_dest(const struct ipvs_table *t,
    const struct ipvs_svc *s, const struct lvs_addr *addr, uint16_t port);
/* Unlinks s (and its dests) from t and frees them. */
void ipvs_table_del_service(struct ipvs_table *t, struct ipvs_svc *s);
/* Unlinks d from t without freeing it (the caller owns it now). */
void ipvs_table_unlink_dest(struct ipvs_table *t, struct ipvs_dst *d);
void ipvs_table_unlink_service(struct ipvs_table *t, struct ipvs_svc *s);
void ipvs_svc_free(struct ipvs_svc *s);
void ipvs_dst_free(struct ipvs_dst *d);
void ipvs_set_label(char **slot, const char *label);

/* ---- codec (ipvs/codec.c) ---- */

/* Room any single request needs; callers keep this much free. */
#define IPVS_MSG_MAX 512

size_t ipvs_msg_simple(void *buf, uint16_t family, uint32_t seq,
    uint16_t nlflags, uint8_t cmd);
/* Service message; full: all attributes (NEW/SET), else the key only. */
size_t ipvs_msg_service(void *buf, uint16_t family, uint32_t seq,
    uint16_t nlflags, uint8_t cmd, const struct ipvs_service *svc, bool full);
size_t ipvs_msg_dest(void *buf, uint16_t family, uint32_t seq,
    uint16_t nlflags, uint8_t cmd, const struct ipvs_service *svc,
    const struct ipvs_dest *d, bool full);
size_t ipvs_msg_timeouts(void *buf, uint16_t family, uint32_t seq,
    uint16_t nlflags, const struct ipvs_timeouts *t);
size_t ipvs_msg_daemon(void *buf, uint16_t family, uint32_t seq,
    uint16_t nlflags, uint8_t cmd, const struct ipvs_sync_conf *c);
/* CTRL_CMD_GETFAMILY for "IPVS". */
size_t ipvs_msg_getfamily(void *buf, uint32_t seq);

/* Which attributes a parsed service/dest carried. */
#define IPVS_HAS_SVC_KEY	0x0001
#define IPVS_HAS_SVC_FULL	0x0002	/* sched, flags, timeout, netmask */
#define IPVS_HAS_DEST_KEY	0x0004
#define IPVS_HAS_DEST_FULL	0x0008	/* fwd, weight, thresholds */
#define IPVS_HAS_DAEMON		0x0010
#define IPVS_HAS_TIMEOUTS	0x0020
#define IPVS_HAS_INFO		0x0040

/* One decoded IPVS generic-netlink message (request or reply). */
struct ipvs_msg {
	uint8_t cmd;
	unsigned has;			/* IPVS_HAS_* */
	struct ipvs_service svc;
	struct ipvs_dest dest;
	struct ipvs_sync_conf daemon;
	struct ipvs_timeouts to;
	uint32_t version, conn_tab_size;
};
/* Decodes an IPVS message; 0, or -EBADMSG if it is malformed. */
int ipvs_msg_parse(const struct nlmsghdr *nlh, struct ipvs_msg *out);
/* Family id from a CTRL_CMD_NEWFAMILY reply; 0 or -EBADMSG. */
int ipvs_parse_family(const struct nlmsghdr *nlh, uint16_t *family);

/* Callbacks of ipvs_stream_parse; any non-zero return stops the walk. */
struct ipvs_stream_ops {
	int (*msg)(const struct nlmsghdr *nlh, void *arg);
	/* err: 0 for an ack, else the negative errno the kernel reported. */
	int (*ack)(uint32_t seq, int err, void *arg);
	int (*done)(uint32_t seq, void *arg);
};
/*
 * Walks one datagram of netlink messages.  Returns 0, -EBADMSG when the
 * framing is malformed (nothing after the bad message is trusted), or the
 * first non-zero callback return.
 */
int ipvs_stream_parse(const void *buf, size_t len,
    const struct ipvs_stream_ops *ops, void *arg);
/* Human words for a kernel error about an IPVS request. */
const char *ipvs_cmd_name(uint8_t cmd);

/* ---- transport ---- */

/* How the driver talks to "a kernel": netlink, or the model in tests. */
struct ipvs_transport {
	void *ctx;
	/* Sends len bytes of requests in one go; 0 or -errno. */
	int (*send)(void *ctx, const void *buf, size_t len);
	/* Receives one datagram of replies; its length or -errno. */
	ssize_t (*recv)(void *ctx, void *buf, size_t len);
	void (*close)(void *ctx);
	uint16_t family;		/* resolved IPVS family id */
};

/* Netlink transport (ipvs/nl.c): NULL with errno (IPVS_ENOKERNEL). */
struct ipvs_transport *ipvs_nl_open(void);

/* ---- in-memory kernel model (ipvs/model.c) ---- */

struct ipvs_model;
struct ipvs_model *ipvs_model_new(void);
void ipvs_model_free(struct ipvs_model *m);
/* The transport for ipvs_driver_opts.transport; owned by the model. */
const struct ipvs_transport *ipvs_model_transport(struct ipvs_model *m);
/* The model's table (read or edit it directly: "ipvsadm by hand"). */
struct ipvs_table *ipvs_model_table(struct ipvs_model *m);
/* Space-separated scheduler names the model knows (NULL: all). */
void ipvs_model_set_schedulers(struct ipvs_model *m, const char *names);
/* Requests received and sendmsg calls so far. */
unsigned ipvs_model_requests(const struct ipvs_model *m);
unsigned ipvs_model_sends(const struct ipvs_model *m);
/* Next recv fails once with ENOBUFS and the pending replies are lost. */
void ipvs_model_inject_enobufs(struct ipvs_model *m);
/* The next n sends fail with EPERM (nothing processed). */
void ipvs_model_fail_sends(struct ipvs_model *m, unsigned n);
const struct ipvs_timeouts *ipvs_model_timeouts(const struct ipvs_model *m);

/* ---- driver internals shared by driver.c, reconcile.c, cmdline.c ---- */

/*
 * A dump of the kernel's table in steps (dump.c): _begin reads the
 * service list (one netlink dump), each _step the destinations of up to
 * budget services (1 while more remain, 0 when t is complete, -1 with
 * errno: t freed, logged).  Services that vanish meanwhile are dropped.
 */
struct ipvs_dumper {
	struct ipvs_table *t;		/* what has been read so far */
	struct ipvs_svc *next;		/* next service whose dests to read */
};

/* What the driver is doing between ipvs_apply_start and its end. */
enum ipvs_phase {
	IPVS_PHASE_IDLE = 0,
	IPVS_PHASE_DUMP,		/* reading the kernel (redump) */
	IPVS_PHASE_RECONCILE,		/* sending the difference */
};

/* One request in flight, to match the kernel's reply by sequence number. */
struct ipvs_op {
	uint8_t cmd;
	struct ipvs_svc *svc;		/* mirror entry (or graveyard) */
	struct ipvs_dst *dst;		/* NULL for service requests */
};

struct ipvs_driver {
	struct ipvs_driver_opts opts;
	char *state_file;
	bool state_current;		/* it lists the mirror's managed services */
	const struct ipvs_transport *tr;
	struct ipvs_transport *own_tr;	/* ours to close (netlink) */
	struct ipvs_table *mirror;	/* what the kernel has, as we believe */
	struct ipvs_table *desired;	/* last table given to ipvs_apply */
	struct ipvs_svc_list dead_svcs;	/* deleted, freed after their acks */
	struct ipvs_dst_list dead_dsts;
	uint32_t seq;
	char *buf;			/* batch of requests being built */
	size_t len, last;
	struct ipvs_op *ops;		/* ops[i] has sequence first_seq + i */
	size_t nops, capops;
	uint32_t first_seq;
	char *rbuf;			/* receive buffer */
	struct ipvs_apply_stats *st;
	bool need_resync;
	bool io_failed;			/* a batch could not be sent/read */
	bool mirror_stale;		/* last apply failed: re-dump first */
	/* The apply or resync in progress (ipvs_apply_continue). */
	enum ipvs_phase phase;
	bool force, pass_open;
	int pass;			/* 1 after the re-dump */
	struct ipvs_dumper redump;	/* IPVS_PHASE_DUMP: the fresh mirror */
	const struct ipvs_svc *cursor;	/* next desired service */
	struct ipvs_apply_stats run_st;
};

/* Batch size: requests per sendmsg are bounded by this many bytes. */
#define IPVS_BATCH	(128u * 1024)
#define IPVS_RBUF	(64u * 1024)

/* reconcile.c */
void ipvs_reconcile(struct ipvs_driver *drv, const struct ipvs_table *desired);
/* A reconcile in slices: begin, then step until it returns true. */
void ipvs_reconcile_begin(struct ipvs_driver *drv, const struct ipvs_table *desired);
bool ipvs_reconcile_step(struct ipvs_driver *drv, size_t budget);
/* One desired service against the mirror: its requests queued. */
void ipvs_reconcile_service(struct ipvs_driver *drv, const struct ipvs_svc *ds);
/* Sends what is queued, reads the replies, frees what they released. */
void ipvs_reconcile_settle(struct ipvs_driver *drv);
/* apply.c: an apply or resync is over (rc 0 or -1): the state file, the
 * stats, the driver idle again. */
int ipvs_apply_end(struct ipvs_driver *drv, int rc,
    struct ipvs_apply_stats *stats);
int ipvs_flush_batch(struct ipvs_driver *drv);
/* dump.c */
/* One request (or dump) and its replies, matched by sequence number. */
struct ipvs_xchg {
	uint32_t seq;
	bool done;
	int err;
	int (*on_msg)(const struct ipvs_msg *m, void *arg);
	void *arg;
};
/* Sends drv->buf[0..len) and reads until x is answered: 0 or -errno. */
int ipvs_exchange(struct ipvs_driver *drv, size_t len, struct ipvs_xchg *x);
int ipvs_dumper_begin(struct ipvs_driver *drv, struct ipvs_dumper *dd,
    size_t size_hint);
int ipvs_dumper_step(struct ipvs_driver *drv, struct ipvs_dumper *dd,
    size_t budget);
void ipvs_dumper_abandon(struct ipvs_dumper *dd);
/* The whole table in one go (start-up); NULL with errno. */
struct ipvs_table *ipvs_dump_kernel(struct ipvs_driver *drv, size_t size_hint);
/* Labels and managed flags of mirror's services (and dests) onto t's. */
void ipvs_carry_mirror(const struct ipvs_table *mirror, struct ipvs_table *t,
    bool dest_labels);

/* ipvsadm command line equivalent to a request, for dry-run logs. */
void ipvs_cmdline(char *buf, size_t len, uint8_t cmd,
    const struct ipvs_service *svc, const struct ipvs_dest *d);

/* State file: services lvsd manages (ipvs/state.c). */
int ipvs_state_write(const char *path, const struct ipvs_table *mirror);
/* Adds the services listed in path to keys; missing file is not an error. */
int ipvs_state_read(const char *path, struct ipvs_table *keys);
int ipvs_state_parse_line(const char *line, struct ipvs_service *svc);

#endif
