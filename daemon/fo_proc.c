/*
 * The failover process: VRRP instances, piranha's pulse, or a lone
 * director's hold on the virtual addresses, on a loop of its own.
 *
 * Its only input is the parent's messages (daemon/proto.h): the failover
 * part of the plan, reloads in two steps, drills, stop.  It reports every
 * role change (after the addresses moved) and its counters every second.
 * It reads no file and no control request and never talks to IPVS, so
 * nothing a client, a file or a big table does can delay an advert; it
 * locks its memory and may run at a higher scheduling priority.
 *
 * If the parent goes away (its end of the socket closes), it releases the
 * addresses at once (a VRRP master sends priority 0) and exits: the backup
 * takes over in skew time instead of facing a master that advertises for
 * a director that no longer forwards.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <systemd/sd-event.h>

#include "daemon/child.h"
#include "daemon/fo_announce.h"
#include "daemon/proc_common.h"
#include "daemon/procs.h"
#include "daemon/proto.h"
#include "daemon/sandbox.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define STATS_USEC	1000000		/* counters to the parent */
#define OUT_LIMIT	(4u << 20)	/* a stopped parent: stats wait here */
/* CPU time in a row, without sleeping, that real-time scheduling allows. */
#define RT_SOFT_USEC	500000
#define RT_HARD_USEC	1000000

struct fo {
	sd_event *ev;
	struct msg_conn *conn;
	struct msg_out out;
	bool hello, started, dry_run;
	bool parent_gone;		/* nothing more can be told */
	struct plan_failover plan;	/* what runs */
	struct plan_failover next;	/* a prepared reload */
	bool prepared, restart_on_commit;
	enum plan_mode mode;
	struct vrrp *vrrp;
	struct pulse *pulse;
	struct vrrp_hold *hold;
	struct fo_announce ann;		/* PLAN_ANNOUNCE */
	sd_event_source *stats_timer;
	sd_event_source *stop_timer;	/* announce: the stop's delay */
	int stop_rc;
	bool drilling;			/* a drill waits for the backups */
	unsigned drill_hold;
	bool drill_force;
};

static void
send_out(struct fo *f)
{
	if (msg_conn_send(f->conn, &f->out) < 0 && !f->parent_gone)
		log_warnx("failover process: the parent reads nothing: a message "
		    "was dropped");
}

static void
reply(struct fo *f, uint8_t type, bool ok, const char *why)
{
	msg_begin(&f->out, type);
	msg_put_bool(&f->out, ok);
	msg_put_str(&f->out, why);
	msg_end(&f->out);
	send_out(f);
}

static void
on_role(void *arg, const char *instance, enum vrrp_state old,
    enum vrrp_state new, enum vrrp_reason reason)
{
	struct fo *f = arg;
	proto_role_put(&f->out, instance, old, new, reason);
	send_out(f);
}

/* ---- the mechanism ------------------------------------------------------ */

static int
start_vrrp(struct fo *f, const struct plan_failover *pf, char **resume,
    size_t nresume)
{
	f->vrrp = vrrp_new(f->ev, on_role, f);
	if (f->vrrp == NULL)
		return -1;
	for (size_t i = 0; i < pf->ninstances; i++)
		if (vrrp_instance_add(f->vrrp, &pf->instances[i]) < 0)
			return -1;
	for (size_t i = 0; i < nresume; i++)
		(void)vrrp_resume_master(f->vrrp, resume[i]);
	return vrrp_start(f->vrrp);
}

static int
start_pulse(struct fo *f, const struct plan_failover *pf, bool resume)
{
	f->pulse = pulse_new(f->ev, &pf->pulse, on_role, f);
	if (f->pulse == NULL)
		return -1;
	if (resume)
		pulse_resume_active(f->pulse);
	return pulse_start(f->pulse);
}

static int
start_lone(struct fo *f, const struct plan_failover *pf)
{
	f->hold = vrrp_hold_new(f->ev, pf->vips, pf->nvips,
	    pf->nvips > 0 ? pf->vips[0].ifname : NULL, 5, 200);
	if (f->hold == NULL)
		return -1;
	/* A missing device must not stop the forwarding table from working. */
	if (vrrp_hold_take(f->hold) < 0)
		log_warnx("lone director: not every virtual address could be "
		    "added (see above)");
	on_role(f, pf->active, VRRP_STATE_INIT, VRRP_STATE_MASTER,
	    VRRP_REASON_STARTUP);
	return 0;
}

static int
start_announce(struct fo *f, const struct plan_failover *pf)
{
	if (fo_announce_start(&f->ann, f->ev, pf) < 0)
		return -1;
	on_role(f, pf->active, VRRP_STATE_INIT, VRRP_STATE_MASTER,
	    VRRP_REASON_STARTUP);
	return 0;
}

static bool
listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int
start_mechanism(struct fo *f, const struct plan_failover *pf, char **resume,
    size_t nresume)
{
	f->mode = pf->mode;
	switch (pf->mode) {
	case PLAN_VRRP:
		return start_vrrp(f, pf, resume, nresume);
	case PLAN_PULSE:
		return start_pulse(f, pf, listed(resume, nresume, pf->active));
	case PLAN_LONE:
		return start_lone(f, pf);
	case PLAN_ANNOUNCE:
		return start_announce(f, pf);
	}
	return -1;
}

/* Releases the addresses (a VRRP master sends priority 0) and frees. */
static void
stop_mechanism(struct fo *f)
{
	vrrp_free(f->vrrp);
	f->vrrp = NULL;
	if (f->pulse != NULL) {
		pulse_stop(f->pulse);
		pulse_free(f->pulse);
		f->pulse = NULL;
	}
	if (f->hold != NULL) {
		vrrp_hold_free(f->hold);
		f->hold = NULL;
		on_role(f, f->plan.active, VRRP_STATE_MASTER, VRRP_STATE_INIT,
		    VRRP_REASON_SHUTDOWN);
	}
	if (fo_announce_running(&f->ann)) {
		fo_announce_release(&f->ann);
		fo_announce_report(&f->ann, &f->plan, &f->out, false);
		send_out(f);
		fo_announce_free(&f->ann);
		on_role(f, f->plan.active, VRRP_STATE_MASTER, VRRP_STATE_INIT,
		    VRRP_REASON_SHUTDOWN);
	}
}

/* ---- reload ------------------------------------------------------------- */

/* Whether the mechanism of pf could start here now. */
static int
probe(const struct plan_failover *pf, char *why, size_t whylen)
{
	if (pf->mode == PLAN_PULSE)
		return pulse_probe(&pf->pulse, why, whylen);
	for (size_t i = 0; i < pf->ninstances; i++)
		if (vrrp_probe(&pf->instances[i], why, whylen) < 0)
			return -1;
	return 0;
}

static int
prepare(struct fo *f, char *why, size_t whylen)
{
	const struct plan_failover *pf = &f->next;
	f->restart_on_commit = f->mode != pf->mode;
	if (f->restart_on_commit)
		return probe(pf, why, whylen);
	if (f->mode == PLAN_VRRP)
		return vrrp_reconfigure_prepare(f->vrrp, pf->instances,
		    pf->ninstances, why, whylen);
	if (f->mode == PLAN_PULSE && (pf->pulse.port != f->plan.pulse.port ||
	    pf->pulse.partner.af != f->plan.pulse.partner.af))
		return pulse_probe(&pf->pulse, why, whylen);
	return 0;
}

static void
commit(struct fo *f)
{
	const struct plan_failover *pf = &f->next;
	if (f->restart_on_commit) {
		/* e.g. pulse to VRRP: probed by the prepare step */
		stop_mechanism(f);
		if (start_mechanism(f, pf, NULL, 0) < 0)
			log_warnx("failover: the new mechanism did not start "
			    "although its prepare step passed (see above)");
	} else if (f->mode == PLAN_VRRP)
		vrrp_reconfigure_commit(f->vrrp);
	else if (f->mode == PLAN_PULSE) {
		if (pulse_reconfigure(f->pulse, &pf->pulse) < 0)
			log_warnx("pulse: the new settings were not applied "
			    "although the prepare step passed (see above)");
	} else if (f->mode == PLAN_ANNOUNCE) {
		if (fo_announce_reconfigure(&f->ann, f->ev, pf) < 0)
			log_warnx("announcement: the new settings were not "
			    "applied (see above)");
	} else if (!plan_same_vips(pf, &f->plan)) {
		/* Only what changed: a kept address never blinks. */
		if (f->hold != NULL)
			vrrp_hold_update(f->hold, pf->vips, pf->nvips,
			    pf->nvips ? pf->vips[0].ifname : NULL);
		else if (start_lone(f, pf) < 0)
			log_warnx("lone director: cannot hold the new addresses");
	}
	plan_failover_clear(&f->plan);
	f->plan = f->next;
	memset(&f->next, 0, sizeof(f->next));
	f->prepared = false;
}

static void
abort_prepared(struct fo *f)
{
	if (f->vrrp != NULL)
		vrrp_reconfigure_abort(f->vrrp);
	plan_failover_clear(&f->next);
	f->prepared = false;
}

/* ---- counters ------------------------------------------------------------ */

static void
send_stats(struct fo *f)
{
	size_t n = f->mode == PLAN_VRRP ? f->plan.ninstances : 1;
	struct proto_stats *s = xcalloc(n, sizeof(*s));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct proto_stats *p = &s[k];
		if (f->mode == PLAN_VRRP) {
			snprintf(p->name, sizeof(p->name), "%s",
			    f->plan.instances[i].name);
			if (f->vrrp == NULL || vrrp_instance_stats(f->vrrp,
			    p->name, &p->state, &p->stats) < 0)
				continue;
		} else {
			snprintf(p->name, sizeof(p->name), "%s", f->plan.active);
			if (f->mode == PLAN_PULSE && f->pulse != NULL)
				(void)pulse_stats(f->pulse, &p->state, &p->stats);
			else if (f->mode == PLAN_ANNOUNCE)
				p->state = fo_announce_running(&f->ann) ?
				    VRRP_STATE_MASTER : VRRP_STATE_INIT;
			else
				p->state = f->hold != NULL ? VRRP_STATE_MASTER :
				    VRRP_STATE_INIT;
		}
		k++;
	}
	proto_stats_put(&f->out, s, k);
	free(s);
	if (f->mode == PLAN_ANNOUNCE)
		fo_announce_report(&f->ann, &f->plan, &f->out, false);
	/* Counters are sent again in a second: never worth a warning. */
	(void)msg_conn_send(f->conn, &f->out);
}

static int
on_stats(sd_event_source *s, uint64_t usec, void *arg)
{
	struct fo *f = arg;
	if (f->started)
		send_stats(f);
	sd_event_source_set_time(s, usec + STATS_USEC);
	return 0;
}

/* ---- messages from the parent --------------------------------------------- */

static void stop_now(struct fo *f, const char *why, int rc);

static int
on_stop_delay(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	struct fo *f = arg;
	stop_now(f, NULL, f->stop_rc);
	return 0;
}

/*
 * With an announcement, the routes go first and the rest stop_delay
 * later: the routers move the traffic while this director still holds
 * the addresses and (the parent waits) still forwards.
 */
static void
stop(struct fo *f, const char *why, int rc)
{
	if (f->stop_timer != NULL)
		return;		/* the delay runs: its end stops */
	if (!fo_announce_running(&f->ann) || f->plan.stop_delay_ms == 0) {
		stop_now(f, why, rc);
		return;
	}
	log_info("failover process: %s: withdrawing the routes, the addresses "
	    "stay %u ms", why != NULL ? why : "stopping",
	    f->plan.stop_delay_ms);
	fo_announce_withdraw_for_stop(&f->ann);
	fo_announce_report(&f->ann, &f->plan, &f->out, false);
	send_out(f);
	f->stop_rc = rc;
	if (sd_event_add_time_relative(f->ev, &f->stop_timer, CLOCK_MONOTONIC,
	    (uint64_t)f->plan.stop_delay_ms * 1000, 1000, on_stop_delay,
	    f) < 0) {
		stop_now(f, NULL, rc);
		return;
	}
	sd_event_source_set_priority(f->stop_timer, LVSD_PRIO_VRRP);
}

static void
stop_now(struct fo *f, const char *why, int rc)
{
	if (why != NULL)
		log_info("failover process: %s: releasing the virtual addresses",
		    why);
	if (f->vrrp != NULL || f->pulse != NULL || f->hold != NULL ||
	    fo_announce_running(&f->ann))
		stop_mechanism(f);
	if (f->started)
		send_stats(f);
	msg_conn_flush(f->conn, 1000);
	f->started = false;
	sd_event_exit(f->ev, rc);
}

/*
 * Real-time by default: a failover process that waits behind a loaded
 * director's other work misses adverts, and the backup takes over from a
 * master that still holds the addresses.  It needs little CPU; should a
 * bug ever make it spin, RLIMIT_RTTIME ends it (SIGXCPU, then SIGKILL)
 * and the parent starts a new one.
 */
static void
set_scheduling(const struct proto_hello *h)
{
	if (h->rt_priority > 0) {
		struct rlimit rl = { RT_SOFT_USEC, RT_HARD_USEC };
		struct sched_param sp = { .sched_priority = (int)h->rt_priority };
		if (setrlimit(RLIMIT_RTTIME, &rl) == 0 &&
		    sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK,
		    &sp) == 0)
			return;
		log_warn("failover process: cannot run at SCHED_RR priority %u "
		    "(needs CAP_SYS_NICE or RLIMIT_RTPRIO, systemd's "
		    "LimitRTPRIO=): at nice %d instead", h->rt_priority,
		    h->nice);
	}
	if (h->nice != 0 && setpriority(PRIO_PROCESS, 0, h->nice) < 0)
		log_warn("failover process: cannot run at nice %d", h->nice);
}

static void
on_hello(struct fo *f, struct msg_in *in)
{
	struct proto_hello h;
	if (proto_hello_get(in, &h) < 0)
		return;
	proc_apply_hello(&h, "failover");
	child_set_title("lvsd: failover");	/* a spare no more */
	f->dry_run = h.dry_run;
	f->hello = true;
	/* An advert must never wait for a page to come back from swap.  Each
	 * page is locked once touched (MCL_ONFAULT), not every page mapped at
	 * once: faulting in all of the libraries' pages made a restarted
	 * failover process miss its first adverts on a slow machine (0.5 s
	 * and more under emulation), and the backup took over. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0 &&
	    (errno != EINVAL || mlockall(MCL_CURRENT | MCL_FUTURE) < 0))
		log_warn("failover process: cannot lock its memory (mlockall)");
	set_scheduling(&h);
	/* Then what it keeps: no more cap_sys_nice, no file, no program. */
	sandbox_failover();
}

static void
on_start(struct fo *f, struct msg_in *in)
{
	struct plan_failover pf;
	if (proto_failover_get(in, &pf) < 0) {
		plan_failover_clear(&pf);
		return;
	}
	size_t n = msg_get_count(in, 4);
	char **resume = n > 0 ? xcalloc(n, sizeof(*resume)) : NULL;
	size_t k;
	for (k = 0; k < n && in->err == NULL; k++)
		resume[k] = msg_get_str(in);
	if (msg_done(in) && !f->started) {
		f->plan = pf;
		memset(&pf, 0, sizeof(pf));
		bool ok = f->dry_run || start_mechanism(f, &f->plan, resume,
		    k) == 0;
		f->started = ok;
		reply(f, FP_STARTED, ok, ok ? NULL : "cannot start (see the "
		    "log)");
		if (ok)
			send_stats(f);
	}
	for (size_t i = 0; i < k; i++)
		free(resume[i]);
	free(resume);
	plan_failover_clear(&pf);
}

static void
on_prepare(struct fo *f, struct msg_in *in)
{
	abort_prepared(f);
	if (proto_failover_get(in, &f->next) < 0 || !msg_done(in)) {
		plan_failover_clear(&f->next);
		return;
	}
	char why[256] = "";
	bool ok = f->dry_run || prepare(f, why, sizeof(why)) == 0;
	f->prepared = ok;
	if (!ok)
		plan_failover_clear(&f->next);
	reply(f, FP_PREPARED, ok, ok ? NULL : why);
}

static void
drilled(void *arg, int n, const char *why)
{
	struct fo *f = arg;
	f->drilling = false;
	msg_begin(&f->out, FP_DRILLED);
	msg_put_i32(&f->out, n);
	msg_put_str(&f->out, n > 0 ? NULL : why);
	msg_end(&f->out);
	send_out(f);
	if (n > 0)
		log_info("failover drill: released mastership (hold %u s%s)",
		    f->drill_hold, f->drill_force ? ", forced" : "");
	else
		log_info("failover drill refused: %s", why);
	send_stats(f);
}

/* A drill: VRRP asks the backups first (an answer comes later), pulse
 * looks at the partner's heartbeats. */
static void
on_drill(struct fo *f, struct msg_in *in)
{
	uint32_t hold = msg_get_u32(in);
	bool force = msg_get_bool(in);
	if (!msg_done(in))
		return;
	if (f->drilling) {
		msg_begin(&f->out, FP_DRILLED);
		msg_put_i32(&f->out, -1);
		msg_put_str(&f->out, "a drill is already under way");
		msg_end(&f->out);
		send_out(f);
		return;
	}
	f->drilling = true;
	f->drill_hold = hold;
	f->drill_force = force;
	char why[512] = "no instance was master";
	if (f->mode == PLAN_VRRP && f->vrrp != NULL) {
		vrrp_drill(f->vrrp, hold, force, drilled, f);
		return;
	}
	int n = -1;
	if (f->mode == PLAN_PULSE && f->pulse != NULL)
		n = pulse_drill(f->pulse, hold, force, why, sizeof(why));
	else if (f->mode == PLAN_LONE)
		snprintf(why, sizeof(why), "a lone director has no peer to "
		    "fail over to");
	else if (f->mode == PLAN_ANNOUNCE)
		snprintf(why, sizeof(why), "with `announce` every director is "
		    "active: `lvsctl withdraw` takes this one out of the "
		    "routers' ECMP");
	drilled(f, n, why);
}

/* The parent's word on what is announced; kept for a start to come. */
static void
on_announce(struct fo *f, struct msg_in *in)
{
	struct lvs_addr *v;
	size_t n;
	if (proto_announce_get(in, &v, &n) < 0)
		return;
	fo_announce_want(&f->ann, v, n, &f->plan);
	if (f->started)
		fo_announce_report(&f->ann, &f->plan, &f->out, false);
	send_out(f);
}

static void
on_withdraw(struct fo *f, struct msg_in *in)
{
	bool withdraw = msg_get_bool(in);
	if (!msg_done(in))
		return;
	fo_announce_withdraw(&f->ann, withdraw);
	if (f->started) {
		fo_announce_report(&f->ann, &f->plan, &f->out, false);
		send_out(f);
	}
}

static void
on_message(void *arg, struct msg_in *in)
{
	struct fo *f = arg;
	if (!f->hello && in->type != PF_HELLO)
		msg_fail(in, "a message before the hello");
	else if (in->type == PF_HELLO)
		on_hello(f, in);
	else if (in->type == PF_START)
		on_start(f, in);
	else if (in->type == PF_PREPARE)
		on_prepare(f, in);
	else if (in->type == PF_COMMIT && msg_done(in)) {
		if (f->prepared)
			commit(f);
		send_stats(f);
	} else if (in->type == PF_ABORT && msg_done(in))
		abort_prepared(f);
	else if (in->type == PF_DRILL)
		on_drill(f, in);
	else if (in->type == PF_STOP && msg_done(in))
		stop(f, NULL, 0);
	else if (in->type == PF_ANNOUNCE)
		on_announce(f, in);
	else if (in->type == PF_WITHDRAW)
		on_withdraw(f, in);
	else if (in->err == NULL)
		msg_fail(in, "an unknown message");
	if (in->err != NULL) {
		log_warnx("failover process: bad message %u from the parent: %s",
		    in->type, in->err);
		stop(f, "the parent's messages cannot be trusted", 1);
	}
}

static void
on_closed(void *arg, const char *why)
{
	struct fo *f = arg;
	/* The parent is gone (or broke the stream): nobody forwards. */
	f->parent_gone = true;
	stop(f, why, 0);
}

static void
on_signal(void *arg, const char *name)
{
	stop(arg, name, 0);
}

int
failover_process_main(void)
{
	struct fo f = { 0 };
	f.ev = proc_setup("lvsd-failover", on_signal, &f);
	if (f.ev == NULL)
		return 1;
	f.conn = proc_conn(f.ev, LVSD_PRIO_CTL, OUT_LIMIT, on_message, on_closed,
	    &f);
	if (f.conn == NULL ||
	    sd_event_add_time_relative(f.ev, &f.stats_timer, CLOCK_MONOTONIC,
	    STATS_USEC, 100000, on_stats, &f) < 0)
		return 1;
	sd_event_source_set_enabled(f.stats_timer, SD_EVENT_ON);
	sd_event_source_set_priority(f.stats_timer, LVSD_PRIO_CTL);
	int rc = proc_run(f.ev);
	stop_mechanism(&f);
	fo_announce_free(&f.ann);
	sd_event_source_unref(f.stop_timer);
	abort_prepared(&f);
	plan_failover_clear(&f.plan);
	sd_event_source_unref(f.stats_timer);
	msg_conn_free(f.conn);
	msg_out_free(&f.out);
	proc_teardown(f.ev);
	return rc;
}
