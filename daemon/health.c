/*
 * Real-server health, the parent's side (see daemon/health.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "daemon/child.h"
#include "daemon/events.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "daemon/proto.h"
#include "lib/clock.h"
#include "lib/idmap.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/* What may wait to be written to the health process: a whole plan. */
#define OUT_LIMIT	(256u << 20)
/* More deaths than this in the window: restart it less eagerly. */
#define QUICK_RESTARTS	5
#define RESTART_WINDOW_USEC	(60ULL * 1000000)
#define SLOW_RESTART_USEC	(10ULL * 1000000)

struct health {
	struct lvsd *d;
	struct child *child;
	struct msg_out out;
	struct idmap servers;		/* id -> struct rs_health */
	unsigned deaths;		/* in the current window */
	uint64_t window_start;
	sd_event_source *restart_timer;
	bool stopping;
	/* What the running process was started for (daemon/sandbox.h): a
	 * reload that changes it restarts the process. */
	struct proto_hello running;
	bool restarting;		/* stopped for that: not a death */
};

static void
rs_free(struct rs_health *r)
{
	free(r->id);
	free(r->last_result);
	free(r);
}

/* A copy of s, only as long as it is: 10,000 servers' texts add up. */
static void
set_last_result(struct rs_health *r, const char *s)
{
	if (r->last_result != NULL && strcmp(r->last_result, s) == 0)
		return;
	free(r->last_result);
	r->last_result = xstrdup(s);
}

/* Frees t and the entries not kept; *gone counts them. */
static void
table_free(struct idmap *t, unsigned *gone)
{
	struct rs_health *r;
	for (size_t i = 0; (r = idmap_next(t, &i)) != NULL;) {
		if (r->kept) {
			r->kept = false;
			continue;
		}
		if (gone != NULL)
			(*gone)++;
		rs_free(r);
	}
	idmap_free(t);
}

const struct rs_health *
health_get(const struct lvsd *d, const char *id)
{
	return d->health != NULL ? idmap_get(&d->health->servers, id) : NULL;
}

const struct rs_state *
health_state_of(const void *ctx, const struct cfg_server *s)
{
	const struct rs_health *r = health_get(ctx, s->id);
	return r != NULL ? &r->state : NULL;
}

long
health_process_pid(const struct lvsd *d)
{
	return d->health != NULL && child_running(d->health->child) ?
	    (long)child_pid(d->health->child) : 0;
}

/* ---- to the health process ---------------------------------------------- */

static void
send_check(struct health *h, const struct rs_health *r)
{
	struct proto_rs_state st = {
		.known = r->known, .up = r->state.up,
		.dyn_weight = r->state.dyn_weight,
	};
	struct hc_check_config c;
	plan_check_config(r->check, &c);
	proto_check_put(&h->out, r->id, &c, &st);
	h->d->checkers_started++;
}

static void
send_remove(struct health *h, const char *id)
{
	msg_begin(&h->out, PH_REMOVE);
	msg_put_str(&h->out, id);
	msg_end(&h->out);
}

static void
flush(struct health *h)
{
	if (h->out.len > 0 && child_send(h->child, &h->out) < 0)
		h->out.len = 0;	/* it is gone; a new one gets everything */
}

/* ---- from the health process -------------------------------------------- */

/* A transition's line, logged once the kernel's table follows it: a
 * packet sent to a server after its DOWN line is lvsd's fault, one sent
 * before is not (the lab's flap check relies on that). */
struct transition {
	char *id, *address, *line;
	bool up;
};

static void
transition_applied(void *arg, int rc, const struct ipvs_apply_stats *st)
{
	(void)rc;
	(void)st;
	struct transition *t = arg;
	hc_log_health(t->id, t->address, t->up, t->line);
	free(t->id);
	free(t->address);
	free(t->line);
	free(t);
}

static void
on_event(struct health *h, struct msg_in *in)
{
	char *id, *reason, *line;
	enum hc_event_kind kind;
	int weight;
	if (proto_event_get(in, &id, &kind, &weight, &reason, &line) < 0)
		return;
	struct rs_health *r = idmap_get(&h->servers, id);
	if (r != NULL) {
		events_health(r->id, r->state.up, kind, reason);
		if (kind != HC_EV_WEIGHT)
			r->state.up = kind == HC_EV_UP;
		r->state.dyn_weight = weight;
		r->known = true;
		if (reason != NULL)
			set_last_result(r, reason);
		struct transition *t = NULL;
		if (line != NULL && line[0] != '\0' && r->check != NULL) {
			char a[LVS_ADDRPORTSTRLEN];
			t = xcalloc(1, sizeof(*t));
			t->id = xstrdup(r->id);
			t->address = xstrdup(addr_port_fmt(&r->check->s->address,
			    r->check->port, a));
			t->line = line;
			t->up = kind == HC_EV_UP;
			line = NULL;
		}
		if (r->check != NULL)
			lvsd_ipvs_apply_virtual(h->d, r->check->v, "health",
			    t != NULL ? transition_applied : NULL, t);
		else
			lvsd_ipvs_apply(h->d, "health", t != NULL ?
			    transition_applied : NULL, t);
	}
	free(id);
	free(reason);
	free(line);
}

static void
status_one(void *arg, const struct proto_check_status *st)
{
	struct health *h = arg;
	struct rs_health *r = idmap_get(&h->servers, st->id);
	if (r == NULL)
		return;		/* removed by a reload since */
	r->checks = st->checks;
	r->transitions = st->transitions;
	if (st->last_result[0] != '\0')	/* "": unchanged */
		set_last_result(r, st->last_result);
	r->known = r->known || r->checks > 0;
}

static void
on_status(struct health *h, struct msg_in *in)
{
	(void)proto_status_each(in, status_one, h);
}

static void
on_message(void *arg, struct msg_in *in)
{
	struct health *h = arg;
	if (in->type == HP_EVENT)
		on_event(h, in);
	else if (in->type == HP_STATUS)
		on_status(h, in);
	else
		msg_fail(in, "an unknown message");
	if (in->err != NULL) {
		log_warnx("health-check process: bad message %u: %s; restarting "
		    "it", in->type, in->err);
		child_signal(h->child, SIGKILL);
	}
}

/* ---- supervision ---------------------------------------------------------- */

static int spawn(struct health *h);

static void
on_closed(void *arg, const char *why)
{
	(void)arg;
	(void)why;	/* its exit is what counts */
}

static int
on_restart(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	struct health *h = arg;
	if (spawn(h) < 0) {
		sd_event_source_set_time_relative(h->restart_timer,
		    SLOW_RESTART_USEC);
		sd_event_source_set_enabled(h->restart_timer, SD_EVENT_ONESHOT);
	}
	return 0;
}

static void
on_exited(void *arg, const siginfo_t *si)
{
	struct health *h = arg;
	if (h->stopping)
		return;
	if (h->restarting) {
		h->restarting = false;
		child_free(h->child);
		h->child = NULL;
		sd_event_source_set_time_relative(h->restart_timer, 1);
		sd_event_source_set_enabled(h->restart_timer, SD_EVENT_ONESHOT);
		return;
	}
	log_warnx("health-check process (pid %ld) %s %d: starting a new one; "
	    "weights stay as they are until it reports", (long)si->si_pid,
	    si->si_code == CLD_EXITED ? "exited with status" :
	    "was killed by signal", si->si_status);
	child_free(h->child);
	h->child = NULL;
	uint64_t now = mono_usec();
	if (now - h->window_start > RESTART_WINDOW_USEC) {
		h->window_start = now;
		h->deaths = 0;
	}
	uint64_t delay = ++h->deaths > QUICK_RESTARTS ? SLOW_RESTART_USEC : 1;
	if (h->deaths == QUICK_RESTARTS + 1)
		log_warnx("health-check process: %u deaths within %llu s: "
		    "restarting it every %llu s from now on", h->deaths,
		    (unsigned long long)(RESTART_WINDOW_USEC / 1000000),
		    (unsigned long long)(SLOW_RESTART_USEC / 1000000));
	sd_event_source_set_time_relative(h->restart_timer, delay);
	sd_event_source_set_enabled(h->restart_timer, SD_EVENT_ONESHOT);
}

static const struct child_ops ops = {
	.kind = "checks", .recv = on_message, .closed = on_closed,
	.exited = on_exited,
};

/* The hello of a process for d's plan: its user and what it runs. */
static void
hello_for(const struct lvsd *d, struct proto_hello *hello)
{
	memset(hello, 0, sizeof(*hello));
	hello->version = PROTO_VERSION;
	hello->syslog = !d->opts->foreground;
	hello->debug = d->opts->debug;
	hello->max_children = d->cfg->global.check_max_children;
	hello->kill_grace_ms = 2000;
	if (d->cfg->global.script_user != NULL)
		snprintf(hello->user, sizeof(hello->user), "%s",
		    d->cfg->global.script_user);
	for (size_t i = 0; i < d->plan->nchecks; i++) {
		const struct plan_check *pc = &d->plan->checks[i];
		if (!pc->checked)
			continue;
		hello->icmp |= pc->set->type == HC_TYPE_ICMP ||
		    pc->set->icmp_precheck;
		hello->programs |= pc->set->type == HC_TYPE_SEND_PROGRAM ||
		    pc->set->type == HC_TYPE_EXEC;
	}
}

/* A new health process with every checker, from what is known now. */
static int
spawn(struct health *h)
{
	const struct lvsd *d = h->d;
	h->child = child_start(d->event, &ops, h, LVSD_PRIO_CHECK, OUT_LIMIT);
	if (h->child == NULL)
		return -1;
	hello_for(d, &h->running);
	proto_hello_put(&h->out, PH_HELLO, &h->running);
	const struct rs_health *r;
	for (size_t i = 0; (r = idmap_next(&h->servers, &i)) != NULL;)
		if (r->check != NULL)
			send_check(h, r);
	flush(h);
	return 0;
}

/* ---- the plan's checks ---------------------------------------------------- */

static struct rs_health *
entry_new(const struct plan_check *pc, const struct rs_health *old)
{
	struct rs_health *r = xcalloc(1, sizeof(*r));
	r->id = xstrdup(pc->s->id);
	r->check = pc->checked ? pc : NULL;
	r->state.dyn_weight = -1;
	/* `check = none`: always up; checked: as lvs.cf says until known. */
	r->state.up = !pc->checked || pc->set->init_state == HC_INIT_UP;
	if (old != NULL && pc->checked && old->check != NULL && old->known) {
		r->state = old->state;
		r->known = true;
		r->checks = old->checks;
		r->transitions = old->transitions;
		if (old->last_result != NULL)
			r->last_result = xstrdup(old->last_result);
	}
	return r;
}

int
health_start(struct lvsd *d)
{
	struct health *h = xcalloc(1, sizeof(*h));
	h->d = d;
	h->window_start = mono_usec();
	d->health = h;
	idmap_init(&h->servers, d->plan->nchecks);
	for (size_t i = 0; i < d->plan->nchecks; i++) {
		struct rs_health *r = entry_new(&d->plan->checks[i], NULL);
		idmap_put(&h->servers, r->id, r);
	}
	if (sd_event_add_time_relative(d->event, &h->restart_timer,
	    CLOCK_MONOTONIC, 1, 1000, on_restart, h) < 0)
		return -1;
	sd_event_source_set_enabled(h->restart_timer, SD_EVENT_OFF);
	return spawn(h);
}

/*
 * A reload that changes the process's user or what it must be allowed
 * (the first ICMP check, the first program) restarts it: it dropped what
 * it did not need.  The new one gets every checker and the health known
 * now, like after a death.
 */
static void
restart_if_needed(struct health *h)
{
	struct proto_hello want;
	hello_for(h->d, &want);
	if (h->child == NULL || h->restarting ||
	    (strcmp(want.user, h->running.user) == 0 &&
	    want.icmp == h->running.icmp &&
	    want.programs == h->running.programs))
		return;
	log_info("health-check process: restarting it: %s", strcmp(want.user,
	    h->running.user) != 0 ? "script_user changed" : want.icmp !=
	    h->running.icmp ? (want.icmp ? "the first ICMP check" :
	    "no ICMP check left") : want.programs ? "the first check program" :
	    "no check program left");
	h->out.len = 0;		/* the new process gets everything */
	h->restarting = true;
	child_signal(h->child, SIGTERM);
}

void
health_reconfigure(struct lvsd *d, const struct plan *old,
    struct health_changes *out)
{
	(void)old;		/* its settings are what entries point to */
	struct health *h = d->health;
	struct health_changes ch = { 0 };
	struct idmap prev = h->servers;
	const struct plan *p = d->plan;
	idmap_init(&h->servers, p->nchecks);
	for (size_t i = 0; i < p->nchecks; i++) {
		const struct plan_check *pc = &p->checks[i];
		struct rs_health *o = idmap_get(&prev, pc->s->id), *r;
		/* Same settings (or still unchecked): left as it is. */
		bool same = o != NULL && (pc->checked ? o->check != NULL &&
		    plan_check_same(o->check, pc) : o->check == NULL);
		if (same) {
			o->kept = true;
			o->check = pc->checked ? pc : NULL;
			r = o;
			ch.kept++;
		} else {
			r = entry_new(pc, o);
			if (r->check != NULL)
				send_check(h, r);
			else if (o != NULL && o->check != NULL)
				send_remove(h, o->id);
			if (o != NULL)
				ch.restarted++;
			else
				ch.added++;
		}
		idmap_put(&h->servers, r->id, r);
	}
	/* The servers no longer configured: their checkers stop. */
	const struct rs_health *o;
	for (size_t i = 0; (o = idmap_next(&prev, &i)) != NULL;)
		if (o->check != NULL && !o->kept &&
		    idmap_get(&h->servers, o->id) == NULL)
			send_remove(h, o->id);
	table_free(&prev, &ch.removed);
	ch.removed -= ch.restarted;	/* a restarted one's old entry went */
	restart_if_needed(h);
	flush(h);
	if (out != NULL)
		*out = ch;
}

void
health_stop(struct lvsd *d)
{
	struct health *h = d->health;
	if (h == NULL)
		return;
	h->stopping = true;
	/* Closing its socket tells it to stop; it kills its programs. */
	if (h->child != NULL) {
		child_signal(h->child, SIGTERM);
		child_wait(h->child, 3000);
		child_free(h->child);
	}
	sd_event_source_unref(h->restart_timer);
	table_free(&h->servers, NULL);
	msg_out_free(&h->out);
	free(h);
	d->health = NULL;
}
