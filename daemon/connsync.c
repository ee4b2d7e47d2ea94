/*
 * The IPVS connection-sync daemons run in both directions on every
 * director, whatever its role: the master's master daemon feeds the
 * backup, and the backup's master daemon (idle while it forwards nothing)
 * feeds the old master once roles swap.  Nothing to switch on a role
 * change, and a release can hand its connections to a peer whose backup
 * daemon is always listening.
 *
 * The handoff exists because the kernel sends a connection only after its
 * third packet and holds its buffer up to two seconds: a director that
 * stops forwarding (a drill, a clean stop, a peer that preempted it)
 * would leave the peer ignorant of its newest connections, which the peer
 * would then reset.  It runs once the virtual addresses are gone, when
 * the table can no longer grow, and while a peer released by a drill or a
 * stop still waits out its skew time; in steps, so adverts are never
 * held up behind a table of millions.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "daemon/connsync.h"
#include "daemon/lvsd.h"
#include "lib/log.h"
#include "lib/prio.h"

/* Lines of the kernel's connection table read per step: about a
 * millisecond natively. */
#define HANDOFF_LINES 2000

/*
 * syncd_threshold / syncd_period: the kernel's sysctl sync_threshold of
 * this network namespace, written only when lvs.cf sets either (else an
 * administrator's sysctl.conf stays in force).
 */
static void
set_threshold(struct lvsd *d)
{
	const struct cfg_global *g = &d->cfg->global;
	static const char path[] = "/proc/sys/net/ipv4/vs/sync_threshold";
	if (!CFG_ISSET(g, CFG_G_SYNCD_THRESHOLD) &&
	    !CFG_ISSET(g, CFG_G_SYNCD_PERIOD))
		return;
	if (d->opts->dry_run || d->opts->ipvs_dry_run) {
		log_info("dry-run: sysctl -w net.ipv4.vs.sync_threshold=\"%u %u\"",
		    g->syncd_threshold, g->syncd_period);
		return;
	}
	FILE *f = fopen(path, "we");
	if (f == NULL || fprintf(f, "%u %u\n", g->syncd_threshold,
	    g->syncd_period) < 0 || fflush(f) != 0)
		log_warn("cannot set %s to %u %u", path, g->syncd_threshold,
		    g->syncd_period);
	if (f != NULL)
		fclose(f);
}

/*
 * ipvs_sloppy_tcp and its kin: net.ipv4.vs.* of this network namespace,
 * each written only when lvs.cf sets it (as above).
 */
static void
set_ipvs_sysctls(struct lvsd *d)
{
	const struct cfg_global *g = &d->cfg->global;
	const struct { int key; const char *name; uint32_t value; } v[] = {
		{ CFG_G_IPVS_SLOPPY_TCP, "sloppy_tcp", g->ipvs_sloppy_tcp },
		{ CFG_G_IPVS_SLOPPY_SCTP, "sloppy_sctp", g->ipvs_sloppy_sctp },
		{ CFG_G_IPVS_EXPIRE_NODEST_CONN, "expire_nodest_conn",
		    g->ipvs_expire_nodest_conn },
		{ CFG_G_IPVS_CONN_REUSE_MODE, "conn_reuse_mode",
		    g->ipvs_conn_reuse_mode },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!CFG_ISSET(g, v[i].key))
			continue;
		if (d->opts->dry_run || d->opts->ipvs_dry_run) {
			log_info("dry-run: sysctl -w net.ipv4.vs.%s=%u", v[i].name,
			    v[i].value);
			continue;
		}
		char path[96];
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/vs/%s", v[i].name);
		FILE *f = fopen(path, "we");
		if (f == NULL || fprintf(f, "%u\n", v[i].value) < 0 ||
		    fflush(f) != 0)
			log_warn("cannot set %s to %u", path, v[i].value);
		if (f != NULL)
			fclose(f);
	}
}

void
connsync_start(struct connsync *cs, struct lvsd *d)
{
	const struct cfg_global *g = &d->cfg->global;
	cs->d = d;
	set_ipvs_sysctls(d);
	if (!g->syncdaemon || d->ipvs == NULL)
		return;
	set_threshold(d);
	struct ipvs_sync_conf c = { .syncid = g->syncd_id };
	snprintf(c.ifname, sizeof(c.ifname), "%s", g->syncd_iface);
	int ok = 0;
	for (int st = IPVS_SYNC_MASTER; st <= IPVS_SYNC_BACKUP; st++) {
		c.state = (enum ipvs_sync_state)st;
		/* the master's datagrams only: a handoff (cs->conf) keeps
		 * full-size ones */
		c.maxlen = st == IPVS_SYNC_MASTER ? (uint16_t)g->syncd_maxlen : 0;
		/* a daemon of an earlier run (or of another config) goes first */
		ipvs_sync_stop(d->ipvs, c.state);
		if (ipvs_sync_start(d->ipvs, &c) < 0)
			log_warn("cannot start the IPVS sync daemon as %s on %s",
			    st == IPVS_SYNC_MASTER ? "master" : "backup", c.ifname);
		else
			ok++;
	}
	if (ok == 2 && g->syncd_maxlen != 0)
		log_info("IPVS sync daemons: master and backup on %s, id %u, "
		    "master datagrams of at most %u bytes", c.ifname,
		    g->syncd_id, g->syncd_maxlen);
	else if (ok == 2)
		log_info("IPVS sync daemons: master and backup on %s, id %u",
		    c.ifname, g->syncd_id);
	c.maxlen = 0;
	cs->conf = c;
	cs->maxlen = g->syncd_maxlen;
}

static void
handoff_end(struct connsync *cs)
{
	(void)ipvs_handoff_finish(cs->handoff);
	cs->handoff = NULL;
	cs->step = sd_event_source_disable_unref(cs->step);
}

static int
on_step(sd_event_source *s, void *userdata)
{
	(void)s;
	struct connsync *cs = userdata;
	if (ipvs_handoff_step(cs->handoff, HANDOFF_LINES) == 0)
		handoff_end(cs);
	return 0;
}

/* The rest of a handoff in progress, at once. */
static void
handoff_complete(struct connsync *cs)
{
	if (cs->handoff == NULL)
		return;
	while (ipvs_handoff_step(cs->handoff, SIZE_MAX) > 0)
		;
	handoff_end(cs);
}

void
connsync_stop(struct connsync *cs)
{
	handoff_complete(cs);	/* the loop will not run its steps any more */
	if (cs->conf.ifname[0] == '\0' || cs->d == NULL || cs->d->ipvs == NULL)
		return;
	ipvs_sync_stop(cs->d->ipvs, IPVS_SYNC_MASTER);
	ipvs_sync_stop(cs->d->ipvs, IPVS_SYNC_BACKUP);
	cs->conf.ifname[0] = '\0';
}

void
connsync_reconfigure(struct connsync *cs, struct lvsd *d)
{
	const struct cfg_global *g = &d->cfg->global;
	bool want = g->syncdaemon && d->ipvs != NULL;
	bool have = cs->conf.ifname[0] != '\0';
	set_ipvs_sysctls(d);
	if (want)
		set_threshold(d);
	if (want == have && (!want || (strcmp(cs->conf.ifname,
	    g->syncd_iface) == 0 && cs->conf.syncid == g->syncd_id &&
	    cs->maxlen == g->syncd_maxlen)))
		return;
	connsync_stop(cs);
	connsync_start(cs, d);
}

void
connsync_active(struct connsync *cs)
{
	cs->handed_off = false;
}

void
connsync_handoff(struct connsync *cs, const char *why)
{
	if (cs->handed_off || cs->handoff != NULL || cs->conf.ifname[0] == '\0')
		return;
	cs->handed_off = true;
	log_info("%s: handing this director's connections over", why);
	cs->handoff = ipvs_handoff_start(cs->d->ipvs, &cs->conf);
	if (cs->handoff == NULL)
		return;
	if (sd_event_add_defer(cs->d->event, &cs->step, on_step, cs) < 0) {
		handoff_complete(cs);
		return;
	}
	/* with the health checks: below VRRP, and never starved by bulk work */
	sd_event_source_set_priority(cs->step, LVSD_PRIO_CHECK);
	sd_event_source_set_enabled(cs->step, SD_EVENT_ON);
}
