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
 * Driver life cycle and the single-request commands (timeouts, sync
 * daemon, info).  Dumps are in dump.c, the apply/resync state machine in
 * apply.c, the reconciler proper in reconcile.c.
 */

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
	struct ipvs_table *t = drv->tr != NULL ?
	    ipvs_dump_kernel(drv, opts->size_hint) : NULL;
	if (t == NULL) {
		int saved = errno;
		ipvs_driver_close(drv, true);
		errno = saved;
		return NULL;
	}
	ipvs_table_free(drv->mirror);
	drv->mirror = t;
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
	ipvs_dumper_abandon(&drv->redump);
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
simple_request(struct ipvs_driver *drv, size_t len, struct ipvs_xchg *x)
{
	int err = ipvs_exchange(drv, len, x);
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
	struct ipvs_xchg x = { .seq = drv->seq++ };
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
	struct ipvs_xchg x = { .seq = drv->seq++, .on_msg = timeouts_cb, .arg = t };
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
	struct ipvs_xchg x = { .seq = drv->seq++ };
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
	struct ipvs_xchg x = { .seq = drv->seq++ };
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
	struct ipvs_xchg x = { .seq = drv->seq++, .on_msg = daemon_cb, .arg = &d };
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
	struct ipvs_xchg x = { .seq = drv->seq++, .on_msg = info_cb, .arg = &i };
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
	struct ipvs_xchg x = { .seq = drv->seq++ };
	size_t len = ipvs_msg_simple(drv->buf, drv->tr->family, x.seq, NLM_F_ACK,
	    IPVS_CMD_ZERO);
	return simple_request(drv, len, &x);
}
