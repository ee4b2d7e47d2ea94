#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/ip_vs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvs/priv.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/*
 * Driver life cycle, kernel dumps and the single-request commands
 * (timeouts, sync daemon).  The reconciler proper is in reconcile.c.
 */

/* One request/reply exchange (a dump or a single request). */
struct xchg {
	uint32_t seq;
	bool done;
	int err;
	int (*on_msg)(const struct ipvs_msg *m, void *arg);
	void *arg;
};

static int
xchg_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct xchg *x = arg;
	struct ipvs_msg m;

	if (nlh->nlmsg_seq != x->seq)
		return 0;
	if (ipvs_msg_parse(nlh, &m) != 0)
		return -EBADMSG;
	return x->on_msg != NULL ? x->on_msg(&m, x->arg) : 0;
}

static int
xchg_ack(uint32_t seq, int err, void *arg)
{
	struct xchg *x = arg;

	if (seq == x->seq) {
		x->err = err;
		x->done = true;
	}
	return 0;
}

static int
xchg_done(uint32_t seq, void *arg)
{
	struct xchg *x = arg;

	if (seq == x->seq)
		x->done = true;
	return 0;
}

/* Sends the request in drv->buf[0..len) and reads until it is answered. */
static int
exchange(struct ipvs_driver *drv, size_t len, struct xchg *x)
{
	static const struct ipvs_stream_ops ops = {
		.msg = xchg_msg, .ack = xchg_ack, .done = xchg_done };
	int err = drv->tr->send(drv->tr->ctx, drv->buf, len);

	if (err < 0)
		return err;
	while (!x->done) {
		ssize_t n = drv->tr->recv(drv->tr->ctx, drv->rbuf, IPVS_RBUF);
		if (n < 0)
			return (int)n;
		err = ipvs_stream_parse(drv->rbuf, (size_t)n, &ops, x);
		if (err != 0)
			return err;
	}
	return x->err;
}

static int
dump_svc_cb(const struct ipvs_msg *m, void *arg)
{
	struct ipvs_table *t = arg;
	const unsigned need = IPVS_HAS_SVC_KEY | IPVS_HAS_SVC_FULL;

	if ((m->has & need) != need)
		return -EBADMSG;
	if (ipvs_table_add_service(t, &m->svc, NULL) == NULL)
		return -EBADMSG;	/* a duplicate or invalid entry */
	return 0;
}

struct dest_dump {
	struct ipvs_table *t;
	struct ipvs_svc *s;
};

static int
dump_dest_cb(const struct ipvs_msg *m, void *arg)
{
	struct dest_dump *dd = arg;
	const unsigned need = IPVS_HAS_DEST_KEY | IPVS_HAS_DEST_FULL;

	if ((m->has & need) != need)
		return -EBADMSG;
	if (ipvs_table_add_dest(dd->t, dd->s, &m->dest, NULL) == NULL)
		return -EBADMSG;
	return 0;
}

/*
 * The kernel lists a service's destinations newest first; put them back
 * in the order they were added, which is the desired table's order for
 * what lvsd created, so the reconciler's in-order fast path applies after
 * a restart or a resync too (and dumps read naturally).
 */
static void
reverse_dests(struct ipvs_svc *s)
{
	struct ipvs_dst_list rev = TAILQ_HEAD_INITIALIZER(rev);
	struct ipvs_dst *d;

	while ((d = TAILQ_FIRST(&s->dests)) != NULL) {
		TAILQ_REMOVE(&s->dests, d, entry);
		TAILQ_INSERT_HEAD(&rev, d, entry);
	}
	while ((d = TAILQ_FIRST(&rev)) != NULL) {
		TAILQ_REMOVE(&rev, d, entry);
		TAILQ_INSERT_TAIL(&s->dests, d, entry);
	}
}

int
ipvs_dump_kernel(struct ipvs_driver *drv, struct ipvs_table *out)
{
	struct xchg x = { .seq = drv->seq++, .on_msg = dump_svc_cb, .arg = out };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_DUMP,
	    IPVS_CMD_GET_SERVICE);
	int err = exchange(drv, len, &x);
	struct ipvs_svc *s;

	if (err != 0)
		goto fail;
	/* One dump per service: a netlink socket runs one dump at a time. */
	TAILQ_FOREACH(s, &out->svcs, entry) {
		struct dest_dump dd = { out, s };
		struct xchg y = { .seq = drv->seq++, .on_msg = dump_dest_cb, .arg = &dd };
		len = ipvs_msg_service(drv->buf, drv->tr->family, y.seq, NLM_F_DUMP,
		    IPVS_CMD_GET_DEST, &s->conf, false);
		if ((err = exchange(drv, len, &y)) != 0)
			goto fail;
		reverse_dests(s);
	}
	return 0;
fail:
	log_warnx("IPVS: dumping the kernel's table: %s", strerror(-err));
	errno = -err;
	return -1;
}

/* Replaces the mirror by a fresh dump, keeping what lvsd manages. */
static int
redump(struct ipvs_driver *drv)
{
	struct ipvs_table *fresh = ipvs_table_new(drv->mirror->nsvc);
	struct ipvs_svc *s;

	if (ipvs_dump_kernel(drv, fresh) == -1) {
		ipvs_table_free(fresh);
		return -1;
	}
	TAILQ_FOREACH(s, &fresh->svcs, entry) {
		struct ipvs_svc *old = ipvs_table_find_service(drv->mirror, &s->conf);
		if (old == NULL)
			continue;
		s->managed = old->managed;
		ipvs_set_label(&s->label, old->label);
	}
	/* Managed services the kernel lost must stay managed: a later
	 * apply without them must not treat them as foreign. */
	TAILQ_FOREACH(s, &drv->mirror->svcs, entry) {
		if (!s->managed || s->broken ||
		    ipvs_table_find_service(fresh, &s->conf) != NULL)
			continue;
		log_info("IPVS: a service lvsd manages vanished from the kernel: "
		    "%s", s->label != NULL ? s->label : "(unnamed)");
	}
	ipvs_table_free(drv->mirror);
	drv->mirror = fresh;
	return 0;
}

static void
mark_state_managed(struct ipvs_driver *drv)
{
	struct ipvs_table *keys = ipvs_table_new(16);
	struct ipvs_svc *k;
	unsigned n = 0;

	if (ipvs_state_read(drv->state_file, keys) == -1)
		log_warn("IPVS: cannot read state file %s", drv->state_file);
	TAILQ_FOREACH(k, &keys->svcs, entry) {
		struct ipvs_svc *s = ipvs_table_find_service(drv->mirror, &k->conf);
		if (s != NULL && !s->managed) {
			s->managed = true;
			n++;
		}
	}
	if (n > 0)
		log_info("IPVS: %u service(s) from an earlier run (%s)", n,
		    drv->state_file);
	ipvs_table_free(keys);
}

struct ipvs_driver *
ipvs_driver_open(const struct ipvs_driver_opts *opts)
{
	struct ipvs_driver *drv = xcalloc(1, sizeof(*drv));

	drv->opts = *opts;
	drv->opts.state_file = NULL;
	if (opts->state_file != NULL)
		drv->state_file = xstrdup(opts->state_file);
	drv->seq = 1000;
	drv->buf = xmalloc(IPVS_BATCH);
	drv->rbuf = xmalloc(IPVS_RBUF);
	TAILQ_INIT(&drv->dead_svcs);
	TAILQ_INIT(&drv->dead_dsts);
	drv->mirror = ipvs_table_new(opts->size_hint);
	if (opts->dry_run) {
		log_info("IPVS: dry run: no change is sent to the kernel");
		return drv;
	}
	if (opts->transport != NULL) {
		drv->tr = opts->transport;
	} else {
		drv->own_tr = ipvs_nl_open();
		drv->tr = drv->own_tr;
	}
	if (drv->tr == NULL || ipvs_dump_kernel(drv, drv->mirror) == -1) {
		int saved = errno;
		ipvs_driver_close(drv, true);
		errno = saved;
		return NULL;
	}
	if (drv->state_file != NULL)
		mark_state_managed(drv);
	return drv;
}

static void
stats_begin(struct ipvs_driver *drv, struct ipvs_apply_stats *user,
    struct ipvs_apply_stats *local)
{
	memset(local, 0, sizeof(*local));
	drv->st = user != NULL ? user : local;
	memset(drv->st, 0, sizeof(*drv->st));
	drv->need_resync = false;
	drv->io_failed = false;
}

/* Starts a reconcile pass, re-dumping the kernel first if asked. */
static int
pass_begin(struct ipvs_driver *drv, bool dump)
{
	if (dump && !drv->opts.dry_run) {
		if (!drv->force)
			log_warnx("IPVS: table out of sync: re-dumping the kernel");
		drv->st->resyncs++;
		/* Until a dump succeeds the mirror cannot be trusted. */
		drv->mirror_stale = true;
		if (redump(drv) == -1)
			return -1;
		drv->mirror_stale = false;
	}
	drv->need_resync = false;
	drv->io_failed = false;
	ipvs_reconcile_begin(drv, drv->desired);
	return 0;
}

static int
apply_end(struct ipvs_driver *drv, int rc, struct ipvs_apply_stats *stats)
{
	if (rc == 0 && drv->state_file != NULL && !drv->opts.dry_run)
		(void)ipvs_state_write(drv->state_file, drv->mirror);
	if (rc == 0 && drv->io_failed) {
		drv->mirror_stale = true;
		rc = -1;
	}
	drv->in_apply = false;
	if (stats != NULL)
		*stats = drv->run_st;
	drv->st = NULL;
	return rc;
}

static int
run_start(struct ipvs_driver *drv, bool force)
{
	memset(&drv->run_st, 0, sizeof(drv->run_st));
	drv->st = &drv->run_st;
	drv->force = force;
	drv->pass = force ? 1 : 0;	/* a resync is the one re-dump */
	drv->in_apply = true;
	return pass_begin(drv, force || drv->mirror_stale);
}

int
ipvs_apply_start(struct ipvs_driver *drv, struct ipvs_table *desired)
{
	ipvs_table_free(drv->desired);
	drv->desired = desired;
	if (run_start(drv, false) == -1) {
		apply_end(drv, -1, NULL);
		return -1;
	}
	return 0;
}

int
ipvs_apply_continue(struct ipvs_driver *drv, size_t budget,
    struct ipvs_apply_stats *stats)
{
	if (!drv->in_apply) {
		if (stats != NULL)
			*stats = drv->run_st;
		return 0;
	}
	drv->st = &drv->run_st;
	if (!ipvs_reconcile_step(drv, budget == 0 ? 1 : budget)) {
		if (stats != NULL)
			*stats = drv->run_st;
		return 1;
	}
	/* After errors that mean the mirror may be wrong: re-dump and
	 * reconcile once more, never more (a kernel that keeps refusing
	 * must not turn an apply into a loop). */
	if (drv->need_resync && drv->pass == 0) {
		drv->pass = 1;
		if (pass_begin(drv, true) == -1)
			return apply_end(drv, -1, stats);
		if (stats != NULL)
			*stats = drv->run_st;
		return 1;
	}
	return apply_end(drv, 0, stats);
}

static int
run_all(struct ipvs_driver *drv, struct ipvs_apply_stats *stats)
{
	int rc;

	while ((rc = ipvs_apply_continue(drv, SIZE_MAX, stats)) == 1)
		;
	return rc;
}

int
ipvs_apply(struct ipvs_driver *drv, struct ipvs_table *desired,
    struct ipvs_apply_stats *stats)
{
	if (ipvs_apply_start(drv, desired) == -1) {
		if (stats != NULL)
			*stats = drv->run_st;
		return -1;
	}
	return run_all(drv, stats);
}

int
ipvs_resync(struct ipvs_driver *drv, struct ipvs_apply_stats *stats)
{
	/* Takes over an apply in progress: nothing of it is in flight. */
	if (run_start(drv, true) == -1)
		return apply_end(drv, -1, stats);
	return run_all(drv, stats);
}

bool
ipvs_apply_busy(const struct ipvs_driver *drv)
{
	return drv->in_apply;
}

void
ipvs_driver_close(struct ipvs_driver *drv, bool keep_table)
{
	struct ipvs_apply_stats st;

	if (drv == NULL)
		return;
	if (!keep_table && drv->mirror != NULL && (drv->tr != NULL || drv->opts.dry_run)) {
		struct ipvs_table *none = ipvs_table_new(0);
		stats_begin(drv, NULL, &st);
		ipvs_reconcile(drv, none);
		ipvs_table_free(none);
		if (st.svc_removed > 0)
			log_info("IPVS: removed the %u service(s) lvsd managed",
			    st.svc_removed);
		if (drv->state_file != NULL && !drv->opts.dry_run)
			(void)unlink(drv->state_file);
	}
	if (drv->own_tr != NULL)
		drv->own_tr->close(drv->own_tr->ctx);
	ipvs_table_free(drv->mirror);
	ipvs_table_free(drv->desired);
	free(drv->state_file);
	free(drv->buf);
	free(drv->rbuf);
	free(drv->ops);
	free(drv);
}

bool
ipvs_driver_manages(const struct ipvs_driver *drv, const struct ipvs_service *svc)
{
	const struct ipvs_svc *s = ipvs_table_find_service(drv->mirror, svc);
	return s != NULL && s->managed;
}

/* ---- single requests ---- */

static int
simple_request(struct ipvs_driver *drv, size_t len, struct xchg *x)
{
	int err = exchange(drv, len, x);
	if (err != 0) {
		errno = -err;
		return -1;
	}
	return 0;
}

int
ipvs_set_timeouts(struct ipvs_driver *drv, const struct ipvs_timeouts *t)
{
	if (drv->opts.dry_run) {
		log_info("dry-run: ipvsadm --set %u %u %u", t->tcp, t->tcp_fin, t->udp);
		return 0;
	}
	struct xchg x = { .seq = drv->seq++ };
	size_t len = ipvs_msg_timeouts(drv->buf, drv->tr->family, x.seq, NLM_F_ACK, t);
	if (simple_request(drv, len, &x) == -1) {
		log_warn("IPVS: setting timeouts");
		return -1;
	}
	return 0;
}

static int
timeouts_cb(const struct ipvs_msg *m, void *arg)
{
	*(struct ipvs_timeouts *)arg = m->to;
	return 0;
}

int
ipvs_get_timeouts(struct ipvs_driver *drv, struct ipvs_timeouts *t)
{
	memset(t, 0, sizeof(*t));
	if (drv->opts.dry_run)
		return 0;
	struct xchg x = { .seq = drv->seq++, .on_msg = timeouts_cb, .arg = t };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_GET_CONFIG);
	return simple_request(drv, len, &x);
}

int
ipvs_sync_start(struct ipvs_driver *drv, const struct ipvs_sync_conf *c)
{
	if (drv->opts.dry_run) {
		log_info("dry-run: ipvsadm --start-daemon %s --mcast-interface %s "
		    "--syncid %u", c->state == IPVS_SYNC_MASTER ? "master" : "backup",
		    c->ifname, c->syncid);
		return 0;
	}
	struct xchg x = { .seq = drv->seq++ };
	size_t len = ipvs_msg_daemon(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_NEW_DAEMON, c);
	if (simple_request(drv, len, &x) == -1) {
		log_warn("IPVS: starting the sync daemon on %s", c->ifname);
		return -1;
	}
	return 0;
}

int
ipvs_sync_stop(struct ipvs_driver *drv, enum ipvs_sync_state state)
{
	struct ipvs_sync_conf c = { .state = state };

	if (drv->opts.dry_run) {
		log_info("dry-run: ipvsadm --stop-daemon %s",
		    state == IPVS_SYNC_MASTER ? "master" : "backup");
		return 0;
	}
	struct xchg x = { .seq = drv->seq++ };
	size_t len = ipvs_msg_daemon(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_DEL_DAEMON, &c);
	return simple_request(drv, len, &x);
}

struct daemons {
	struct ipvs_sync_conf *out;
	int n;
};

static int
daemon_cb(const struct ipvs_msg *m, void *arg)
{
	struct daemons *d = arg;

	if ((m->has & IPVS_HAS_DAEMON) && d->n < 2)
		d->out[d->n++] = m->daemon;
	return 0;
}

int
ipvs_sync_get(struct ipvs_driver *drv, struct ipvs_sync_conf out[2])
{
	struct daemons d = { out, 0 };

	if (drv->opts.dry_run)
		return 0;
	struct xchg x = { .seq = drv->seq++, .on_msg = daemon_cb, .arg = &d };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_DUMP,
	    IPVS_CMD_GET_DAEMON);
	if (simple_request(drv, len, &x) == -1)
		return -1;
	return d.n;
}

struct info {
	uint32_t *version, *size;
};

static int
info_cb(const struct ipvs_msg *m, void *arg)
{
	struct info *i = arg;

	if (!(m->has & IPVS_HAS_INFO))
		return -EBADMSG;
	*i->version = m->version;
	*i->size = m->conn_tab_size;
	return 0;
}

int
ipvs_get_info(struct ipvs_driver *drv, uint32_t *version, uint32_t *conn_tab_size)
{
	struct info i = { version, conn_tab_size };

	*version = *conn_tab_size = 0;
	if (drv->opts.dry_run)
		return 0;
	struct xchg x = { .seq = drv->seq++, .on_msg = info_cb, .arg = &i };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_GET_INFO);
	return simple_request(drv, len, &x);
}

int
ipvs_zero_counters(struct ipvs_driver *drv)
{
	if (drv->opts.dry_run) {
		log_info("dry-run: ipvsadm -Z");
		return 0;
	}
	struct xchg x = { .seq = drv->seq++ };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_ZERO);
	return simple_request(drv, len, &x);
}

/* A copy of src's services and dests (labels included) into a new table. */
static struct ipvs_table *
table_copy(const struct ipvs_table *src)
{
	struct ipvs_table *t = ipvs_table_new(src->nsvc);
	const struct ipvs_svc *s;
	const struct ipvs_dst *d;

	TAILQ_FOREACH(s, &src->svcs, entry) {
		struct ipvs_svc *c = ipvs_table_add_service(t, &s->conf, s->label);
		if (c == NULL)
			continue;
		c->managed = s->managed;
		TAILQ_FOREACH(d, &s->dests, entry)
			(void)ipvs_table_add_dest(t, c, &d->conf, d->label);
	}
	return t;
}

int
ipvs_dump_stats(struct ipvs_driver *drv, struct ipvs_table **out)
{
	if (drv->opts.dry_run) {
		*out = table_copy(drv->mirror);
		return 0;
	}
	struct ipvs_table *t = ipvs_table_new(drv->mirror->nsvc);
	if (ipvs_dump_kernel(drv, t) == -1) {
		ipvs_table_free(t);
		return -1;
	}
	struct ipvs_svc *s;
	TAILQ_FOREACH(s, &t->svcs, entry) {
		const struct ipvs_svc *m = ipvs_table_find_service(drv->mirror, &s->conf);
		if (m == NULL)
			continue;
		s->managed = m->managed;
		ipvs_set_label(&s->label, m->label);
		struct ipvs_dst *d;
		TAILQ_FOREACH(d, &s->dests, entry) {
			const struct ipvs_dst *md = ipvs_table_find_dest(drv->mirror, m,
			    &d->conf.addr, d->conf.port);
			if (md != NULL)
				ipvs_set_label(&d->label, md->label);
		}
	}
	*out = t;
	return 0;
}
