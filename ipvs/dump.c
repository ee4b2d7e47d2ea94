#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/ip_vs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/*
 * Reading the kernel's table.  IPVS has no "every destination" dump: the
 * services come in one netlink dump, then each service's destinations in
 * a dump of their own (a netlink socket runs one dump at a time), about
 * 0.5 ms each under emulation.  A dumper does the service list when it
 * begins and then the destinations of a bounded number of services per
 * step, every exchange finished before the step returns, so the socket is
 * free for other requests between steps and the event loop can run.
 */

static int
xchg_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct ipvs_xchg *x = arg;
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
	struct ipvs_xchg *x = arg;

	if (seq == x->seq) {
		x->err = err;
		x->done = true;
	}
	return 0;
}

static int
xchg_done(uint32_t seq, void *arg)
{
	struct ipvs_xchg *x = arg;

	if (seq == x->seq)
		x->done = true;
	return 0;
}

int
ipvs_exchange(struct ipvs_driver *drv, size_t len, struct ipvs_xchg *x)
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

static int
dump_failed(struct ipvs_dumper *dd, int err)
{
	log_warnx("IPVS: dumping the kernel's table: %s", strerror(-err));
	ipvs_dumper_abandon(dd);
	errno = -err;
	return -1;
}

int
ipvs_dumper_begin(struct ipvs_driver *drv, struct ipvs_dumper *dd,
    size_t size_hint)
{
	dd->t = ipvs_table_new(size_hint);
	dd->next = NULL;
	struct ipvs_xchg x = { .seq = drv->seq++, .on_msg = dump_svc_cb,
	    .arg = dd->t };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq,
	    NLM_F_DUMP, IPVS_CMD_GET_SERVICE);
	int err = ipvs_exchange(drv, len, &x);

	if (err != 0)
		return dump_failed(dd, err);
	dd->next = TAILQ_FIRST(&dd->t->svcs);
	return 0;
}

/* The destinations of one service; it is dropped if it vanished. */
static int
dump_dests(struct ipvs_driver *drv, struct ipvs_dumper *dd, struct ipvs_svc *s)
{
	struct dest_dump arg = { dd->t, s };
	struct ipvs_xchg y = { .seq = drv->seq++, .on_msg = dump_dest_cb,
	    .arg = &arg };
	size_t len = ipvs_msg_service(drv->buf, drv->tr->family, y.seq,
	    NLM_F_DUMP, IPVS_CMD_GET_DEST, &s->conf, false);
	int err = ipvs_exchange(drv, len, &y);

	if (err == -ESRCH || err == -ENOENT) {
		/* Deleted since the service list was read. */
		ipvs_table_del_service(dd->t, s);
		return 0;
	}
	if (err == 0)
		reverse_dests(s);
	return err;
}

int
ipvs_dumper_step(struct ipvs_driver *drv, struct ipvs_dumper *dd, size_t budget)
{
	for (size_t n = 0; dd->next != NULL && n < budget; n++) {
		struct ipvs_svc *s = dd->next;
		dd->next = TAILQ_NEXT(s, entry);
		int err = dump_dests(drv, dd, s);
		if (err != 0)
			return dump_failed(dd, err);
	}
	return dd->next != NULL ? 1 : 0;
}

void
ipvs_dumper_abandon(struct ipvs_dumper *dd)
{
	ipvs_table_free(dd->t);
	dd->t = NULL;
	dd->next = NULL;
}

struct ipvs_table *
ipvs_dump_kernel(struct ipvs_driver *drv, size_t size_hint)
{
	struct ipvs_dumper dd;

	if (ipvs_dumper_begin(drv, &dd, size_hint) == -1 ||
	    ipvs_dumper_step(drv, &dd, SIZE_MAX) == -1)
		return NULL;
	return dd.t;
}

void
ipvs_carry_mirror(const struct ipvs_table *mirror, struct ipvs_table *t,
    bool dest_labels)
{
	struct ipvs_svc *s;
	struct ipvs_dst *d;

	TAILQ_FOREACH(s, &t->svcs, entry) {
		const struct ipvs_svc *m = ipvs_table_find_service(mirror, &s->conf);
		if (m == NULL)
			continue;
		s->managed = m->managed;
		ipvs_set_label(&s->label, m->label);
		if (!dest_labels)
			continue;
		TAILQ_FOREACH(d, &s->dests, entry) {
			const struct ipvs_dst *md = ipvs_table_find_dest(mirror, m,
			    &d->conf.addr, d->conf.port);
			if (md != NULL)
				ipvs_set_label(&d->label, md->label);
		}
	}
}

/* ---- the public sliced dump (statistics) ---- */

struct ipvs_dump {
	struct ipvs_driver *drv;
	struct ipvs_dumper d;
	int state;			/* 1 more to dump, 0 complete, -1 failed */
	int err;
};

struct ipvs_dump *
ipvs_dump_start(struct ipvs_driver *drv)
{
	struct ipvs_dump *dp = xcalloc(1, sizeof(*dp));

	dp->drv = drv;
	if (drv->opts.dry_run) {
		dp->d.t = ipvs_table_copy(drv->mirror);
		dp->state = 0;
		return dp;
	}
	if (ipvs_dumper_begin(drv, &dp->d, drv->mirror->nsvc) == -1) {
		int saved = errno;
		free(dp);
		errno = saved;
		return NULL;
	}
	dp->state = dp->d.next != NULL ? 1 : 0;
	return dp;
}

int
ipvs_dump_step(struct ipvs_dump *dp, size_t budget)
{
	if (dp->state != 1) {
		errno = dp->err;
		return dp->state;
	}
	dp->state = ipvs_dumper_step(dp->drv, &dp->d, budget == 0 ? 1 : budget);
	if (dp->state == -1)
		dp->err = errno;
	return dp->state;
}

bool
ipvs_dump_done(const struct ipvs_dump *dp)
{
	return dp->state != 1;
}

int
ipvs_dump_finish(struct ipvs_dump *dp, struct ipvs_table **out)
{
	int rc = -1;

	if (dp == NULL)
		return -1;
	if (out != NULL)
		*out = NULL;
	if (dp->state == 0 && out != NULL) {
		if (!dp->drv->opts.dry_run)
			ipvs_carry_mirror(dp->drv->mirror, dp->d.t, true);
		*out = dp->d.t;
		dp->d.t = NULL;
		rc = 0;
	} else if (dp->state == 1) {
		dp->err = EINPROGRESS;
	} else if (dp->state == 0) {
		rc = 0;
	}
	int err = dp->err;
	ipvs_dumper_abandon(&dp->d);
	free(dp);
	if (rc == -1)
		errno = err;
	return rc;
}

int
ipvs_dump_stats(struct ipvs_driver *drv, struct ipvs_table **out)
{
	struct ipvs_dump *dp = ipvs_dump_start(drv);

	*out = NULL;
	if (dp == NULL)
		return -1;
	(void)ipvs_dump_step(dp, SIZE_MAX);
	return ipvs_dump_finish(dp, out);
}
