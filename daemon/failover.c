/*
 * Failover, the parent's side.  The failover process (daemon/fo_proc.c)
 * runs VRRP, pulse or a lone director's hold on the addresses; this file
 * starts and supervises it, hands it the failover part of the plan
 * (reloads in two steps), and acts on the role changes it reports: notify
 * commands, the connection handoff of daemon/connsync.c, the status.
 *
 * If the failover process dies, a new one starts at once and goes on as
 * the master of each instance the old one was master of (it advertises
 * again before the backup can time it out, and keeps the addresses); the
 * others start as backup.  If it keeps dying, the parent removes the
 * addresses itself and stops: a director must not hold addresses that
 * nobody advertises.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>

#include <json-c/json.h>

#include "daemon/announce.h"
#include "daemon/child.h"
#include "daemon/connsync.h"
#include "daemon/events.h"
#include "daemon/failover.h"
#include "daemon/lvsd.h"
#include "daemon/plan.h"
#include "daemon/proto.h"
#include "daemon/script.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define OUT_LIMIT	(64u << 20)
#define ANSWER_USEC	(5ULL * 1000000)	/* a prepare or drill answer */
#define QUICK_RESTARTS	5
#define RESTART_WINDOW_USEC	(60ULL * 1000000)

struct failover {
	struct lvsd *d;
	struct child *child;
	struct child *spare;		/* started ahead, to replace child */
	struct msg_out out;
	enum plan_mode mode;
	char active_instance[VRRP_NAME_MAX];	/* whose MASTER is "active" */
	bool active;
	bool started;			/* the first FP_STARTED came */
	struct connsync sync;		/* IPVS connection sync and handoff */
	struct proto_stats *stats;	/* as last reported */
	size_t nstats;
	/* A reload's prepare step, or a drill, waiting for its answer. */
	failover_prepared_fn *prepared;
	void *prepared_arg;
	failover_drilled_fn *drilled;
	void *drilled_arg;
	sd_event_source *answer_timer;
	unsigned deaths;
	uint64_t window_start;
	bool stopping;
	/* PLAN_ANNOUNCE: what the parent wants, again to a new process */
	struct lvs_addr *announce;
	size_t nannounce;
	bool withdrawn;
	struct proto_announced announced;	/* as last reported */
	bool have_announced;
};

static int spawn(struct failover *f, bool resume);
static void start_spare(struct failover *f);

/* ---- role changes ------------------------------------------------------ */

static const struct cfg_vrrp *
find_instance(const struct cfg *cfg, const char *name)
{
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

static void
run_notify(struct lvsd *d, const char *what, const char *cmd,
    const char *instance, enum vrrp_state old, enum vrrp_state new,
    enum vrrp_reason reason)
{
	if (cmd == NULL || cmd[0] == '\0')
		return;
	char e1[96], e2[48], e3[48], e4[64];
	snprintf(e1, sizeof(e1), "LVSD_INSTANCE=%s", instance);
	snprintf(e2, sizeof(e2), "LVSD_STATE=%s", vrrp_state_name(new));
	snprintf(e3, sizeof(e3), "LVSD_OLD_STATE=%s", vrrp_state_name(old));
	snprintf(e4, sizeof(e4), "LVSD_REASON=%s", vrrp_reason_name(reason));
	char *env[] = { e1, e2, e3, e4, NULL };
	char label[128];
	snprintf(label, sizeof(label), "%s (%s)", what, instance);
	script_run(d, label, cmd, env);
}

static void
set_stat_state(struct failover *f, const char *instance, enum vrrp_state st)
{
	for (size_t i = 0; i < f->nstats; i++)
		if (strcmp(f->stats[i].name, instance) == 0)
			f->stats[i].state = st;
}

static void
on_role(struct failover *f, const char *instance, enum vrrp_state old,
    enum vrrp_state new, enum vrrp_reason reason)
{
	struct lvsd *d = f->d;
	log_info("failover: %s %s -> %s (%s)", instance, vrrp_state_name(old),
	    vrrp_state_name(new), vrrp_reason_name(reason));
	set_stat_state(f, instance, new);
	events_record(EVENT_VRRP, instance, vrrp_state_name(old),
	    vrrp_state_name(new), vrrp_reason_name(reason), NULL);
	/* A new failover process went on as master: nothing changed for
	 * the site, so no notify command runs again. */
	if (reason == VRRP_REASON_RESUMED)
		return;
	const struct cfg_vrrp *r = find_instance(d->cfg, instance);
	if (r != NULL) {
		const char *cmd = new == VRRP_STATE_MASTER ? r->notify_master :
		    new == VRRP_STATE_BACKUP ? r->notify_backup :
		    new == VRRP_STATE_FAULT ? r->notify_fault : NULL;
		const char *what = new == VRRP_STATE_MASTER ? "notify_master" :
		    new == VRRP_STATE_BACKUP ? "notify_backup" : "notify_fault";
		run_notify(d, what, cmd, instance, old, new, reason);
	}
	if (strcmp(instance, f->active_instance) != 0)
		return;
	bool active = new == VRRP_STATE_MASTER;
	if (active == f->active)
		return;
	f->active = active;
	if (active)
		connsync_active(&f->sync);
	else
		connsync_handoff(&f->sync, "lost mastership");
	const struct cfg_global *g = &d->cfg->global;
	run_notify(d, active ? "active_cmd" : "inactive_cmd", active ?
	    g->active_cmd : g->inactive_cmd, instance, old, new, reason);
	lvsd_notify_status(d);
}

/* ---- answers ----------------------------------------------------------- */

static void
answer_prepared(struct failover *f, bool ok, const char *why)
{
	failover_prepared_fn *fn = f->prepared;
	if (fn == NULL)
		return;
	f->prepared = NULL;
	if (f->drilled == NULL)
		sd_event_source_set_enabled(f->answer_timer, SD_EVENT_OFF);
	fn(f->prepared_arg, ok, why);
}

static void
answer_drilled(struct failover *f, int n, const char *why)
{
	failover_drilled_fn *fn = f->drilled;
	if (fn == NULL)
		return;
	f->drilled = NULL;
	if (f->prepared == NULL)
		sd_event_source_set_enabled(f->answer_timer, SD_EVENT_OFF);
	fn(f->drilled_arg, n, why);
}

static int
on_answer_timeout(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	struct failover *f = arg;
	answer_prepared(f, false, "the failover process did not answer");
	answer_drilled(f, -1, "the failover process did not answer");
	return 0;
}

static void
await_answer(struct failover *f)
{
	sd_event_source_set_time_relative(f->answer_timer, ANSWER_USEC);
	sd_event_source_set_enabled(f->answer_timer, SD_EVENT_ONESHOT);
}

/* ---- from the failover process ------------------------------------------- */

static void
on_started(struct failover *f, struct msg_in *in)
{
	bool ok = msg_get_bool(in);
	char *why = msg_get_str(in);
	if (msg_done(in) && !f->started) {
		f->started = true;
		lvsd_failover_started(f->d, ok, why);
	} else if (msg_done(in) && !ok)
		log_warnx("failover process: could not start again: %s", why);
	free(why);
	if (ok)
		start_spare(f);
}

static void
on_prepared(struct failover *f, struct msg_in *in)
{
	bool ok = msg_get_bool(in);
	char *why = msg_get_str(in);
	if (msg_done(in))
		answer_prepared(f, ok, why != NULL ? why : "");
	free(why);
}

static void
on_drilled(struct failover *f, struct msg_in *in)
{
	int n = msg_get_i32(in);
	char *why = msg_get_str(in);
	if (msg_done(in))
		answer_drilled(f, n, why != NULL ? why : "");
	free(why);
}

static void
on_stats(struct failover *f, struct msg_in *in)
{
	struct proto_stats *s;
	size_t n;
	if (proto_stats_get(in, &s, &n) < 0)
		return;
	free(f->stats);
	f->stats = s;
	f->nstats = n;
}

static void
on_announced(struct failover *f, struct msg_in *in)
{
	struct proto_announced a;
	if (proto_announced_get(in, &a) < 0)
		return;
	proto_announced_clear(&f->announced);
	f->announced = a;
	f->have_announced = true;
}

static void
on_message(void *arg, struct msg_in *in)
{
	struct failover *f = arg;
	char instance[VRRP_NAME_MAX];
	enum vrrp_state old, new;
	enum vrrp_reason reason;
	switch (in->type) {
	case FP_STARTED:
		on_started(f, in);
		break;
	case FP_PREPARED:
		on_prepared(f, in);
		break;
	case FP_ROLE:
		if (proto_role_get(in, instance, sizeof(instance), &old, &new,
		    &reason) == 0)
			on_role(f, instance, old, new, reason);
		break;
	case FP_STATS:
		on_stats(f, in);
		break;
	case FP_DRILLED:
		on_drilled(f, in);
		break;
	case FP_ANNOUNCED:
		on_announced(f, in);
		break;
	default:
		msg_fail(in, "an unknown message");
	}
	if (in->err != NULL) {
		log_warnx("failover process: bad message %u: %s; restarting it",
		    in->type, in->err);
		child_signal(f->child, SIGKILL);
	}
}

static void
on_closed(void *arg, const char *why)
{
	(void)arg;
	(void)why;	/* its exit is what counts */
}

/* Gives up: nobody advertises, so nobody may hold the addresses. */
/* How many virtual addresses the plan holds, in every instance. */
static size_t
plan_nvips(const struct plan_failover *pf)
{
	size_t n = pf->mode == PLAN_PULSE ? pf->pulse.nvips : pf->nvips;
	for (size_t i = 0; i < pf->ninstances; i++)
		n += pf->instances[i].nvips;
	return n;
}

/* Removes every address the plan holds: no failover process does. */
static void
remove_addresses(struct failover *f)
{
	const struct plan_failover *pf = &f->d->plan->failover;
	for (size_t i = 0; i < pf->ninstances; i++)
		vrrp_hold_free(vrrp_hold_new(f->d->event, pf->instances[i].vips,
		    pf->instances[i].nvips, pf->instances[i].ifname, 0, 0));
	const struct vrrp_vip *v = pf->mode == PLAN_PULSE ? pf->pulse.vips :
	    pf->vips;
	size_t n = pf->mode == PLAN_PULSE ? pf->pulse.nvips : pf->nvips;
	if (n > 0)
		vrrp_hold_free(vrrp_hold_new(f->d->event, v, n, v[0].ifname, 0,
		    0));
}

/* The announcement's routes too, when no failover process holds them. */
static void
remove_routes(struct failover *f)
{
	const struct plan_failover *pf = &f->d->plan->failover;
	if (pf->mode != PLAN_ANNOUNCE)
		return;
	struct vrrp_announce *a = vrrp_announce_new(f->d->event, &pf->announce);
	if (a != NULL)
		(void)vrrp_announce_start(a);	/* an empty set: every route goes */
	vrrp_announce_free(a);
}

static void
give_up(struct failover *f)
{
	log_warnx("failover process: %u deaths within %llu s: removing the "
	    "virtual addresses and stopping lvsd", f->deaths,
	    (unsigned long long)(RESTART_WINDOW_USEC / 1000000));
	remove_routes(f);
	remove_addresses(f);
	sd_event_exit(f->d->event, LVSD_EXIT_FAILURE);
}

static void
on_exited(void *arg, const siginfo_t *si)
{
	struct failover *f = arg;
	if (f->stopping)
		return;
	log_warnx("failover process (pid %ld) %s %d: starting a new one, "
	    "master where it was master", (long)si->si_pid,
	    si->si_code == CLD_EXITED ? "exited with status" :
	    "was killed by signal", si->si_status);
	child_free(f->child);
	f->child = NULL;
	answer_prepared(f, false, "the failover process died");
	answer_drilled(f, -1, "the failover process died");
	uint64_t now = mono_usec();
	if (now - f->window_start > RESTART_WINDOW_USEC) {
		f->window_start = now;
		f->deaths = 0;
	}
	if (++f->deaths > QUICK_RESTARTS || spawn(f, true) < 0)
		give_up(f);
}

static const struct child_ops ops = {
	.kind = "failover", .recv = on_message, .closed = on_closed,
	.exited = on_exited,
};

/* ---- the spare --------------------------------------------------------- */

static void
spare_message(void *arg, struct msg_in *in)
{
	(void)arg;
	msg_fail(in, "a message from the spare");	/* it has had no hello */
}

static void
spare_exited(void *arg, const siginfo_t *si)
{
	struct failover *f = arg;
	if (!f->stopping)
		log_warnx("spare failover process (pid %ld) %s %d; the next "
		    "failover process will be started from scratch",
		    (long)si->si_pid, si->si_code == CLD_EXITED ?
		    "exited with status" : "was killed by signal", si->si_status);
	child_free(f->spare);
	f->spare = NULL;
}

static const struct child_ops spare_ops = {
	.kind = "failover", .recv = spare_message, .closed = on_closed,
	.exited = spare_exited,
};

/*
 * A failover process started ahead, its program loaded: when the one in
 * use dies, the spare takes over in milliseconds, where starting a new
 * process took a slow machine (an emulated one, loaded) 1.8 s, longer
 * than the backup waits before it takes over.  One more idle process is
 * the price.  Started once the process in use runs, never during its
 * start.
 */
static void
start_spare(struct failover *f)
{
	if (f->spare == NULL && !f->stopping)
		f->spare = child_start_spare(f->d->event, &spare_ops, f,
		    LVSD_PRIO_VRRP, OUT_LIMIT);
}

static void
stop_spare(struct failover *f)
{
	if (f->spare == NULL)
		return;
	child_signal(f->spare, SIGTERM);
	(void)child_wait(f->spare, 1000);
	child_free(f->spare);
	f->spare = NULL;
}

/* The spare if there is one (now the process in use), or a new process. */
static struct child *
next_child(struct failover *f)
{
	struct child *c = f->spare;
	if (c == NULL || !child_running(c))
		return child_start(f->d->event, &ops, f, LVSD_PRIO_VRRP,
		    OUT_LIMIT);
	f->spare = NULL;
	child_adopt(c, &ops, f);
	log_info("failover process: the spare (pid %ld) takes over",
	    (long)child_pid(c));
	return c;
}

/* ---- to the failover process ---------------------------------------------- */

static int
send_out(struct failover *f)
{
	return child_send(f->child, &f->out);
}

/*
 * A failover process running the plan; resume: the instances that are
 * master now go on as master.
 */
static int
spawn(struct failover *f, bool resume)
{
	struct lvsd *d = f->d;
	f->child = next_child(f);
	if (f->child == NULL)
		return -1;
	const struct cfg_global *g = &d->cfg->global;
	struct proto_hello hello = {
		.version = PROTO_VERSION,
		.syslog = !d->opts->foreground, .debug = d->opts->debug,
		.nice = g->failover_nice, .rt_priority = g->failover_rt_priority,
	};
	proto_hello_put(&f->out, PF_HELLO, &hello);
	if (d->plan->failover.mode == PLAN_ANNOUNCE) {
		/* before the start: it keeps every route still wanted */
		msg_begin(&f->out, PF_WITHDRAW);
		msg_put_bool(&f->out, f->withdrawn);
		msg_end(&f->out);
		proto_announce_put(&f->out, f->announce, f->nannounce);
	}
	msg_begin(&f->out, PF_START);
	proto_failover_put(&f->out, &d->plan->failover);
	size_t n = 0;
	for (size_t i = 0; resume && i < f->nstats; i++)
		n += f->stats[i].state == VRRP_STATE_MASTER;
	msg_put_u32(&f->out, (uint32_t)n);
	for (size_t i = 0; n > 0 && i < f->nstats; i++)
		if (f->stats[i].state == VRRP_STATE_MASTER)
			msg_put_str(&f->out, f->stats[i].name);
	msg_end(&f->out);
	return send_out(f);
}

int
failover_start(struct lvsd *d)
{
	if (d->opts->dry_run) {
		log_info("dry run: failover (%s) not started: no adverts, no "
		    "addresses added", d->plan->failover.mode == PLAN_VRRP ?
		    "VRRP" : d->plan->failover.mode == PLAN_PULSE ?
		    "pulse heartbeat" : "lone director");
		lvsd_failover_started(d, true, NULL);
		return 0;
	}
	struct failover *f = xcalloc(1, sizeof(*f));
	f->d = d;
	f->window_start = mono_usec();
	d->failover = f;
	f->mode = d->plan->failover.mode;
	snprintf(f->active_instance, sizeof(f->active_instance), "%s",
	    d->plan->failover.active);
	connsync_start(&f->sync, d);
	/* the first apply decided already (it runs before failover) */
	f->nannounce = announce_wanted(d, &f->announce);
	f->withdrawn = announce_withdrawn(d);
	if (sd_event_add_time_relative(d->event, &f->answer_timer,
	    CLOCK_MONOTONIC, ANSWER_USEC, 1000, on_answer_timeout, f) < 0)
		return -1;
	sd_event_source_set_enabled(f->answer_timer, SD_EVENT_OFF);
	if (spawn(f, false) < 0) {
		log_warnx("failover: cannot start (%s)", failover_mode_name(d));
		return -1;
	}
	return 0;
}

/* ---- reload ------------------------------------------------------------- */

void
failover_prepare(struct lvsd *d, const struct plan *next,
    failover_prepared_fn *fn, void *arg)
{
	struct failover *f = d->failover;
	if (f == NULL || f->child == NULL) {
		fn(arg, f == NULL, f == NULL ? "" : "no failover process runs");
		return;
	}
	answer_prepared(f, false, "another reload took its place");
	f->prepared = fn;
	f->prepared_arg = arg;
	msg_begin(&f->out, PF_PREPARE);
	proto_failover_put(&f->out, &next->failover);
	msg_end(&f->out);
	if (send_out(f) < 0) {
		answer_prepared(f, false, "cannot talk to the failover process");
		return;
	}
	await_answer(f);
}

static void
send_bare(struct failover *f, uint8_t type)
{
	msg_begin(&f->out, type);
	msg_end(&f->out);
	(void)send_out(f);
}

void
failover_abort(struct lvsd *d)
{
	if (d->failover != NULL)
		send_bare(d->failover, PF_ABORT);
}

void
failover_commit(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	send_bare(f, PF_COMMIT);
	f->mode = d->plan->failover.mode;
	snprintf(f->active_instance, sizeof(f->active_instance), "%s",
	    d->plan->failover.active);
	connsync_reconfigure(&f->sync, d);
}

void
failover_stop(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	f->stopping = true;
	stop_spare(f);
	/* Release first: the peer takes over in skew time, not dead time,
	 * knowing every connection this director forwarded. */
	if (f->child != NULL) {
		/* Removing thousands of addresses takes the kernel a while:
		 * half a millisecond each is generous natively. */
		size_t n = plan_nvips(&f->d->plan->failover);
		int wait_ms = 5000 + (int)(n < 100000 ? n / 2 : 50000);
		/* an announcement withdraws, then waits stop_delay */
		if (f->d->plan->failover.mode == PLAN_ANNOUNCE)
			wait_ms += (int)f->d->plan->failover.stop_delay_ms;
		send_bare(f, PF_STOP);
		child_flush(f->child, 1000);
		int status = child_wait(f->child, wait_ms);
		child_free(f->child);
		f->child = NULL;
		if (status < 0 || !WIFEXITED(status)) {
			log_warnx("failover process did not stop within %d ms: "
			    "removing what it held", wait_ms);
			remove_routes(f);
			remove_addresses(f);
		}
	}
	if (f->active) {
		connsync_handoff(&f->sync, "stopping");
		f->active = false;
		run_notify(d, "inactive_cmd", d->cfg->global.inactive_cmd,
		    f->active_instance, VRRP_STATE_MASTER, VRRP_STATE_INIT,
		    VRRP_REASON_SHUTDOWN);
	}
	connsync_stop(&f->sync);	/* ends a handoff in progress first */
	answer_prepared(f, false, "lvsd is stopping");
	answer_drilled(f, -1, "lvsd is stopping");
	sd_event_source_unref(f->answer_timer);
	msg_out_free(&f->out);
	free(f->announce);
	proto_announced_clear(&f->announced);
	free(f->stats);
	free(f);
	d->failover = NULL;
}

/* ---- what lvsctl asks ----------------------------------------------------- */

const char *
failover_mode_name(const struct lvsd *d)
{
	static const char *const names[] = {
		[PLAN_LONE] = "lone director", [PLAN_PULSE] = "pulse heartbeat",
		[PLAN_VRRP] = "VRRP", [PLAN_ANNOUNCE] = "announce (ECMP)",
	};
	return d->failover != NULL ? names[d->failover->mode] : "none";
}

bool
failover_active(const struct lvsd *d)
{
	return d->failover != NULL && d->failover->active;
}

long
failover_process_pid(const struct lvsd *d)
{
	return d->failover != NULL && child_running(d->failover->child) ?
	    (long)child_pid(d->failover->child) : 0;
}

void
failover_drill(struct lvsd *d, unsigned hold_s, bool force,
    failover_drilled_fn *fn, void *arg)
{
	struct failover *f = d->failover;
	if (f == NULL || f->mode == PLAN_LONE) {
		fn(arg, -1, "a lone director has no peer to fail over to");
		return;
	}
	/* A backup too asks the failover process: it says what it hears. */
	if (f->drilled != NULL || f->child == NULL) {
		fn(arg, -1, f->child == NULL ? "no failover process runs" :
		    "a drill is already under way");
		return;
	}
	f->drilled = fn;
	f->drilled_arg = arg;
	msg_begin(&f->out, PF_DRILL);
	msg_put_u32(&f->out, hold_s);
	msg_put_bool(&f->out, force);
	msg_end(&f->out);
	if (send_out(f) < 0) {
		answer_drilled(f, -1, "cannot talk to the failover process");
		return;
	}
	await_answer(f);
}

void
failover_announce(struct lvsd *d, const struct lvs_addr *v, size_t n)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;		/* a dry run: nothing is announced */
	free(f->announce);
	f->announce = n > 0 ? xmalloc(n * sizeof(*v)) : NULL;
	if (n > 0)
		memcpy(f->announce, v, n * sizeof(*v));
	f->nannounce = n;
	if (f->child != NULL) {
		proto_announce_put(&f->out, v, n);
		(void)send_out(f);
	}
}

void
failover_withdraw(struct lvsd *d, bool withdraw)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	f->withdrawn = withdraw;
	if (f->child != NULL) {
		msg_begin(&f->out, PF_WITHDRAW);
		msg_put_bool(&f->out, withdraw);
		msg_end(&f->out);
		(void)send_out(f);
	}
}

const struct proto_announced *
failover_announced(const struct lvsd *d)
{
	const struct failover *f = d->failover;
	return f != NULL && f->have_announced ? &f->announced : NULL;
}

static struct json_object *
instance_json(const struct proto_stats *p)
{
	const struct vrrp_stats *vs = &p->stats;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "state",
	    json_object_new_string(vrrp_state_name(p->state)));
	json_object_object_add(o, "adverts_sent",
	    json_object_new_uint64(vs->adverts_sent));
	json_object_object_add(o, "adverts_received",
	    json_object_new_uint64(vs->adverts_received));
	json_object_object_add(o, "became_master",
	    json_object_new_uint64(vs->became_master));
	struct json_object *drops = json_object_new_object();
	uint64_t total = 0;
	for (int i = 1; i < VRRP_DROP_MAX; i++) {
		total += vs->dropped[i];
		if (vs->dropped[i] > 0)
			json_object_object_add(drops, vrrp_drop_name(i),
			    json_object_new_uint64(vs->dropped[i]));
	}
	json_object_object_add(o, "dropped", json_object_new_uint64(total));
	json_object_object_add(o, "address_mismatch",
	    json_object_new_uint64(vs->address_mismatch));
	json_object_object_add(o, "dropped_by_reason", drops);
	return o;
}

struct json_object *
failover_status_json(const struct lvsd *d)
{
	const struct failover *f = d->failover;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "mode",
	    json_object_new_string(d->opts->dry_run ? "none (dry run)" :
	    failover_mode_name(d)));
	json_object_object_add(o, "active",
	    json_object_new_boolean(failover_active(d)));
	json_object_object_add(o, "process_pid",
	    json_object_new_int64(failover_process_pid(d)));
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; f != NULL && i < f->nstats; i++)
		json_object_array_add(list, instance_json(&f->stats[i]));
	json_object_object_add(o, "instances", list);
	return o;
}
