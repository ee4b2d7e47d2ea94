#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/ip_vs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/*
 * Reconciler: desired table vs mirror.  The mirror is updated as each
 * request is queued (optimistically) and corrected when the kernel's
 * error reply for that request's sequence number comes back.  Requests
 * go out IPVS_BATCH bytes per sendmsg; only the last request of a batch
 * asks for an ack, because the kernel processes a sendmsg's requests in
 * order and reports failures anyway: that ack proves the batch is done.
 */

static const char *
proto_suffix(const struct ipvs_service *s)
{
	return s->protocol == IPPROTO_UDP ? "/udp" :
	    s->protocol == IPPROTO_SCTP ? "/sctp" : "";
}

/* "virtual web1 10.0.0.1:80" (label, then the key as ipvsadm shows it). */
static void
svc_name(const struct ipvs_svc *s, char *buf, size_t len)
{
	char ap[LVS_ADDRPORTSTRLEN];
	const char *label = s->label != NULL ? s->label : "service";

	if (s->conf.fwmark != 0)
		snprintf(buf, len, "%s fwmark %u%s", label, s->conf.fwmark,
		    s->conf.af == AF_INET6 ? " (inet6)" : "");
	else
		snprintf(buf, len, "%s %s%s", label,
		    addr_port_fmt(&s->conf.addr, s->conf.port, ap),
		    proto_suffix(&s->conf));
}

static void
queue(struct ipvs_driver *drv, uint8_t cmd, struct ipvs_svc *s, struct ipvs_dst *d)
{
	drv->st->msgs++;
	if (drv->opts.dry_run) {
		char line[512];
		ipvs_cmdline(line, sizeof(line), cmd, &s->conf, d ? &d->conf : NULL);
		log_info("dry-run: %s", line);
		return;
	}
	if (drv->len + IPVS_MSG_MAX > IPVS_BATCH)
		(void)ipvs_flush_batch(drv);
	if (drv->nops == drv->capops) {
		drv->capops = drv->capops ? drv->capops * 2 : 1024;
		drv->ops = xrealloc(drv->ops, drv->capops * sizeof(*drv->ops));
	}
	uint32_t seq = drv->seq++;
	if (drv->nops == 0)
		drv->first_seq = seq;
	bool full = cmd != IPVS_CMD_DEL_SERVICE && cmd != IPVS_CMD_DEL_DEST;
	char *p = drv->buf + drv->len;
	size_t n = d == NULL ?
	    ipvs_msg_service(p, drv->tr->family, seq, 0, cmd, &s->conf, full) :
	    ipvs_msg_dest(p, drv->tr->family, seq, 0, cmd, &s->conf, &d->conf, full);
	drv->last = drv->len;
	drv->len += n;
	drv->ops[drv->nops++] = (struct ipvs_op){ cmd, s, d };
}

static const char *
reason(const struct ipvs_op *op, int err, char *buf, size_t len)
{
	const struct ipvs_service *c = &op->svc->conf;

	if (op->dst == NULL && err == -ENOENT &&
	    (op->cmd == IPVS_CMD_NEW_SERVICE || op->cmd == IPVS_CMD_SET_SERVICE)) {
		if (c->pe_name[0] != '\0')
			snprintf(buf, len, "scheduler \"%s\" or persistence engine "
			    "\"%s\" not available in kernel", c->sched, c->pe_name);
		else
			snprintf(buf, len, "scheduler \"%s\" not available in kernel",
			    c->sched);
		return buf;
	}
	snprintf(buf, len, "%s: %s", ipvs_cmd_name(op->cmd), strerror(-err));
	return buf;
}

static void
log_op_error(struct ipvs_driver *drv, const struct ipvs_op *op, int err)
{
	char sn[160], why[160], ap[LVS_ADDRPORTSTRLEN];

	drv->st->errors++;
	svc_name(op->svc, sn, sizeof(sn));
	reason(op, err, why, sizeof(why));
	if (op->dst == NULL)
		log_warnx("%s: %s", sn, why);
	else
		log_warnx("%s %s in %s: %s",
		    op->dst->label ? op->dst->label : "real server",
		    addr_port_fmt(&op->dst->conf.addr, op->dst->conf.port, ap), sn, why);
}

/* The kernel refused one request: fix the mirror, log with the label. */
static void
op_failed(struct ipvs_driver *drv, const struct ipvs_op *op, int err)
{
	switch (op->cmd) {
	case IPVS_CMD_NEW_SERVICE:
	case IPVS_CMD_NEW_DEST:
		if (op->dst != NULL && op->svc->broken) {
			op->dst->broken = true;	/* follows from its service */
			return;
		}
		log_op_error(drv, op, err);
		if (err == -EEXIST) {
			/* Created behind our back: not ours until the resync
			 * adopts it (and says so). */
			if (op->dst == NULL)
				op->svc->managed = false;
			drv->need_resync = true;
			return;
		}
		/* Kept as "broken" so an unchanged table does not retry (and
		 * log) every time; a resync or a changed entry retries. */
		if (op->dst != NULL)
			op->dst->broken = true;
		else
			op->svc->broken = true;
		return;
	case IPVS_CMD_DEL_SERVICE:
	case IPVS_CMD_DEL_DEST:
		if (err == -ESRCH || err == -ENOENT) {
			log_debug("IPVS: %s: already gone", ipvs_cmd_name(op->cmd));
			return;
		}
		/* FALLTHROUGH */
	default:
		log_op_error(drv, op, err);
		drv->need_resync = true;
		return;
	}
}

struct ack_state {
	struct ipvs_driver *drv;
	uint32_t last_seq;
	bool done;
};

static int
batch_ack(uint32_t seq, int err, void *arg)
{
	struct ack_state *as = arg;
	struct ipvs_driver *drv = as->drv;
	uint32_t i = seq - drv->first_seq;

	if (i >= drv->nops)
		return 0;		/* a stale reply from an earlier exchange */
	if (err != 0)
		op_failed(drv, &drv->ops[i], err);
	if (seq == as->last_seq)
		as->done = true;
	return 0;
}

static void
collect_acks(struct ipvs_driver *drv)
{
	struct ack_state as = { drv, drv->first_seq + (uint32_t)drv->nops - 1, false };
	static const struct ipvs_stream_ops ops = { .ack = batch_ack };

	while (!as.done) {
		ssize_t n = drv->tr->recv(drv->tr->ctx, drv->rbuf, IPVS_RBUF);
		if (n < 0) {
			/* ENOBUFS: replies were dropped, so errors may be lost. */
			log_warnx("IPVS: reading replies: %s; will re-dump the kernel",
			    strerror((int)-n));
			drv->need_resync = true;
			return;
		}
		if (ipvs_stream_parse(drv->rbuf, (size_t)n, &ops, &as) != 0) {
			log_warnx("IPVS: malformed reply from the kernel; will re-dump");
			drv->need_resync = true;
			return;
		}
	}
}

int
ipvs_flush_batch(struct ipvs_driver *drv)
{
	int rc = 0;

	if (drv->len == 0)
		return 0;
	struct nlmsghdr *last = (struct nlmsghdr *)(drv->buf + drv->last);
	last->nlmsg_flags |= NLM_F_ACK;
	drv->st->batches++;
	int err = drv->tr->send(drv->tr->ctx, drv->buf, drv->len);
	if (err < 0) {
		log_warnx("IPVS: sending %zu requests: %s; will re-dump the kernel",
		    drv->nops, strerror(-err));
		drv->need_resync = true;
		drv->io_failed = true;
		rc = -1;
	} else {
		collect_acks(drv);
	}
	drv->len = 0;
	drv->nops = 0;
	return rc;
}

static void
bury_dst(struct ipvs_driver *drv, struct ipvs_dst *d)
{
	ipvs_table_unlink_dest(drv->mirror, d);
	TAILQ_INSERT_TAIL(&drv->dead_dsts, d, entry);
}

static void
add_dests(struct ipvs_driver *drv, struct ipvs_svc *m, const struct ipvs_svc *ds,
    bool send)
{
	const struct ipvs_dst *dd;

	TAILQ_FOREACH(dd, &ds->dests, entry) {
		struct ipvs_dst *md = ipvs_table_add_dest(drv->mirror, m, &dd->conf,
		    dd->label);
		if (md == NULL)
			continue;
		md->seen = true;
		md->broken = !send;
		if (send) {
			drv->st->dst_added++;
			queue(drv, IPVS_CMD_NEW_DEST, m, md);
		}
	}
}

/* Brings mirror dest md (same key as dd) to dd's attributes. */
static void
update_dest(struct ipvs_driver *drv, struct ipvs_svc *m, struct ipvs_dst *md,
    const struct ipvs_dst *dd)
{
	md->seen = true;
	ipvs_set_label(&md->label, dd->label);
	if (ipvs_dest_attrs_eq(&md->conf, &dd->conf))
		return;		/* unchanged (or refused and unchanged) */
	uint8_t cmd = md->broken ? IPVS_CMD_NEW_DEST : IPVS_CMD_SET_DEST;
	md->conf = dd->conf;
	md->broken = false;
	if (cmd == IPVS_CMD_NEW_DEST)
		drv->st->dst_added++;
	else
		drv->st->dst_edited++;
	queue(drv, cmd, m, md);
}

/*
 * Fast path: the same destinations in the same order, which is what a
 * reload or a health change usually leaves; no hashing, no removal pass.
 * Returns false at the first difference (what was done stays done).
 */
static bool
sync_dests_in_step(struct ipvs_driver *drv, struct ipvs_svc *m,
    const struct ipvs_svc *ds)
{
	struct ipvs_dst *md = TAILQ_FIRST(&m->dests);
	const struct ipvs_dst *dd;

	if (m->ndests != ds->ndests)
		return false;
	TAILQ_FOREACH(dd, &ds->dests, entry) {
		if (md->conf.port != dd->conf.port ||
		    !addr_eq(&md->conf.addr, &dd->conf.addr))
			return false;
		update_dest(drv, m, md, dd);
		md = TAILQ_NEXT(md, entry);
	}
	return true;
}

/* Destinations of a service that exists on both sides. */
static void
sync_dests(struct ipvs_driver *drv, struct ipvs_svc *m, const struct ipvs_svc *ds)
{
	const struct ipvs_dst *dd;
	struct ipvs_dst *md, *tmp;

	if (sync_dests_in_step(drv, m, ds))
		return;
	TAILQ_FOREACH(md, &m->dests, entry)
		md->seen = false;
	TAILQ_FOREACH(dd, &ds->dests, entry) {
		md = ipvs_table_find_dest(drv->mirror, m, &dd->conf.addr, dd->conf.port);
		if (md != NULL) {
			update_dest(drv, m, md, dd);
			continue;
		}
		md = ipvs_table_add_dest(drv->mirror, m, &dd->conf, dd->label);
		md->seen = true;
		drv->st->dst_added++;
		queue(drv, IPVS_CMD_NEW_DEST, m, md);
	}
	TAILQ_FOREACH_SAFE(md, &m->dests, entry, tmp) {
		if (md->seen)
			continue;
		if (!md->broken) {
			drv->st->dst_removed++;
			queue(drv, IPVS_CMD_DEL_DEST, m, md);
		}
		bury_dst(drv, md);
	}
}

/* A desired service that the mirror already has (maybe as foreign). */
static void
sync_service(struct ipvs_driver *drv, struct ipvs_svc *m, const struct ipvs_svc *ds)
{
	char sn[160];

	if (!m->managed) {
		m->managed = true;
		ipvs_set_label(&m->label, ds->label);
		svc_name(m, sn, sizeof(sn));
		log_info("IPVS: %s: adopting the service that already exists "
		    "in the kernel", sn);
		drv->st->svc_adopted++;
	}
	ipvs_set_label(&m->label, ds->label);
	if (m->broken) {
		/* Not in the kernel; keep its dests as they are desired. */
		struct ipvs_dst *md;
		while ((md = TAILQ_FIRST(&m->dests)) != NULL)
			bury_dst(drv, md);
		add_dests(drv, m, ds, false);
		return;
	}
	if (!ipvs_service_attrs_eq(&m->conf, &ds->conf)) {
		struct ipvs_counters keep = m->conf.stats;
		m->conf = ds->conf;
		m->conf.stats = keep;
		drv->st->svc_edited++;
		queue(drv, IPVS_CMD_SET_SERVICE, m, NULL);
	}
	sync_dests(drv, m, ds);
}

static void
new_service(struct ipvs_driver *drv, const struct ipvs_svc *ds)
{
	struct ipvs_svc *m = ipvs_table_add_service(drv->mirror, &ds->conf, ds->label);

	m->managed = true;
	m->seen = true;
	drv->st->svc_added++;
	queue(drv, IPVS_CMD_NEW_SERVICE, m, NULL);
	add_dests(drv, m, ds, true);
}

void
ipvs_reconcile_service(struct ipvs_driver *drv, const struct ipvs_svc *ds)
{
	struct ipvs_svc *m = ipvs_table_find_service(drv->mirror, &ds->conf);

	if (m != NULL && m->broken && !ipvs_service_attrs_eq(&m->conf, &ds->conf)) {
		/* Changed since the kernel refused it: try again. */
		ipvs_table_del_service(drv->mirror, m);
		m = NULL;
	}
	if (m == NULL) {
		new_service(drv, ds);
		return;
	}
	m->seen = true;
	sync_service(drv, m, ds);
}

/* Managed services the desired table no longer has. */
static void
remove_unseen(struct ipvs_driver *drv)
{
	struct ipvs_svc *m, *tmp;

	TAILQ_FOREACH_SAFE(m, &drv->mirror->svcs, entry, tmp) {
		if (m->seen || !m->managed)
			continue;	/* desired, or not ours: leave it alone */
		ipvs_table_unlink_service(drv->mirror, m);
		if (m->broken) {
			ipvs_svc_free(m);
			continue;
		}
		drv->st->svc_removed++;
		queue(drv, IPVS_CMD_DEL_SERVICE, m, NULL);
		TAILQ_INSERT_TAIL(&drv->dead_svcs, m, entry);
	}
}

void
ipvs_reconcile_begin(struct ipvs_driver *drv, const struct ipvs_table *desired)
{
	struct ipvs_svc *m;

	TAILQ_FOREACH(m, &drv->mirror->svcs, entry)
		m->seen = false;
	drv->cursor = desired != NULL ? TAILQ_FIRST(&desired->svcs) : NULL;
	drv->pass_open = desired != NULL;
}

bool
ipvs_reconcile_step(struct ipvs_driver *drv, size_t budget)
{
	for (size_t n = 0; drv->cursor != NULL && n < budget; n++) {
		ipvs_reconcile_service(drv, drv->cursor);
		drv->cursor = TAILQ_NEXT(drv->cursor, entry);
	}
	if (drv->cursor == NULL && drv->pass_open) {
		remove_unseen(drv);
		drv->pass_open = false;
	}
	ipvs_reconcile_settle(drv);
	return drv->cursor == NULL;
}

void
ipvs_reconcile_settle(struct ipvs_driver *drv)
{
	struct ipvs_svc *m;
	struct ipvs_dst *d;

	/* Every slice ends with its replies read: nothing in flight
	 * references the objects freed here, and the loop may run. */
	(void)ipvs_flush_batch(drv);
	while ((m = TAILQ_FIRST(&drv->dead_svcs)) != NULL) {
		TAILQ_REMOVE(&drv->dead_svcs, m, entry);
		ipvs_svc_free(m);
	}
	while ((d = TAILQ_FIRST(&drv->dead_dsts)) != NULL) {
		TAILQ_REMOVE(&drv->dead_dsts, d, entry);
		ipvs_dst_free(d);
	}
}

void
ipvs_reconcile(struct ipvs_driver *drv, const struct ipvs_table *desired)
{
	ipvs_reconcile_begin(drv, desired);
	while (!ipvs_reconcile_step(drv, SIZE_MAX))
		;
}
