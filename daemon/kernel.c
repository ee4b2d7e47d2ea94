/*
 * The daemon's side of the IPVS driver: open it (or explain why the kernel
 * cannot be used), apply the desired table on start and reload, re-check
 * the kernel periodically (someone may have run `ipvsadm -D`), and clean
 * up on stop.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon/drain.h"
#include "daemon/lvsd.h"
#include "daemon/stats.h"
#include "lib/log.h"
#include "lib/mkdirs.h"
#include "lib/prio.h"

int
lvsd_ipvs_open(struct lvsd *d)
{
	const struct lvsd_options *o = d->opts;
	char state[PATH_MAX];
	snprintf(state, sizeof(state), "%s/ipvs.state", o->state_dir);
	char failed[PATH_MAX];
	if (mkdir_parents(o->state_dir, 0755, failed, sizeof(failed)) < 0) {
		log_errorx("not starting: cannot create the state directory "
		    "%s: %s: %s; create it, or give lvsd another one with "
		    "--state-dir DIR", o->state_dir, failed, strerror(errno));
		return LVSD_EXIT_FAILURE;
	}
	struct ipvs_driver_opts io = {
		.dry_run = o->dry_run || o->ipvs_dry_run,
		.state_file = state,
		.size_hint = d->cfg->nvirtuals,
	};
	d->ipvs = ipvs_driver_open(&io);
	if (d->ipvs != NULL)
		return LVSD_EXIT_OK;
	if (errno == IPVS_ENOKERNEL) {
		log_errorx("this kernel has no IPVS support (CONFIG_IP_VS), even "
		    "after `modprobe ip_vs`: lvsd cannot program a forwarding "
		    "table here (lvsd --dry-run previews what it would do)");
		return LVSD_EXIT_NOTINSTALLED;
	}
	log_error("not starting: cannot open the kernel's IPVS interface");
	return LVSD_EXIT_FAILURE;
}

void
lvsd_ipvs_set_timeouts(struct lvsd *d)
{
	const struct cfg_global *g = &d->cfg->global;
	struct ipvs_timeouts t = {
		.tcp = g->tcp_timeout, .tcp_fin = g->tcpfin_timeout,
		.udp = g->udp_timeout,
	};
	if ((t.tcp | t.tcp_fin | t.udp) != 0 && ipvs_set_timeouts(d->ipvs, &t) < 0)
		log_warn("cannot set IPVS timeouts");
}

static int
on_resync(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	/* In slices (daemon/apply.c), which re-arms the timer when done. */
	lvsd_ipvs_resync(userdata);
	return 0;
}

void
lvsd_ipvs_schedule_resync(struct lvsd *d)
{
	uint32_t every = d->cfg->global.ipvs_resync_interval;
	d->resync_timer = sd_event_source_unref(d->resync_timer);
	if (every == 0 || d->opts->dry_run || d->opts->ipvs_dry_run)
		return;
	int r = sd_event_add_time_relative(d->event, &d->resync_timer,
	    CLOCK_MONOTONIC, (uint64_t)every * 1000000, 100000, on_resync, d);
	if (r < 0) {
		errno = -r;
		log_warn("cannot schedule the IPVS consistency check");
		return;
	}
	sd_event_source_set_priority(d->resync_timer, LVSD_PRIO_BULK);
}

void
lvsd_ipvs_close(struct lvsd *d)
{
	d->resync_timer = sd_event_source_unref(d->resync_timer);
	lvsd_stats_stop(d);
	lvsd_ipvs_apply_stop(d);
	d->drain_timer = sd_event_source_unref(d->drain_timer);
	drain_clear(&d->drains);
	if (d->ipvs == NULL)
		return;
	bool keep = d->cfg != NULL && d->cfg->global.ipvs_keep_on_stop;
	if (!keep)
		log_info("removing the IPVS services lvsd manages");
	ipvs_driver_close(d->ipvs, keep);
	d->ipvs = NULL;
}
