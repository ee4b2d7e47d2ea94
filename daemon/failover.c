/*
 * Which director holds the virtual addresses: VRRP instances, piranha's
 * pulse, or (a lone director) this one for as long as it runs.  The vrrp/
 * module moves the addresses; this file turns lvs.cf into its
 * configuration and acts on role changes: notify commands, and the
 * connection handoff of daemon/connsync.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include <json-c/json.h>

#include "daemon/connsync.h"
#include "daemon/failover.h"
#include "daemon/lvsd.h"
#include "daemon/plan.h"
#include "daemon/script.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/vrrp.h"

struct failover {
	struct lvsd *d;
	enum plan_mode mode;
	struct vrrp *vrrp;
	struct pulse *pulse;
	struct vrrp_hold *hold;
	char active_instance[VRRP_NAME_MAX];	/* whose MASTER is "active" */
	bool active;
	struct connsync sync;	/* IPVS connection sync and handoff */
	/* A prepared reload that changes the mechanism: the old one keeps
	 * running until the commit. */
	bool restart_on_commit;
};

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
	char e1[64], e2[48], e3[48], e4[64];
	snprintf(e1, sizeof(e1), "LVSD_INSTANCE=%s", instance);
	snprintf(e2, sizeof(e2), "LVSD_STATE=%s", vrrp_state_name(new));
	snprintf(e3, sizeof(e3), "LVSD_OLD_STATE=%s", vrrp_state_name(old));
	snprintf(e4, sizeof(e4), "LVSD_REASON=%s", vrrp_reason_name(reason));
	char *env[] = { e1, e2, e3, e4, NULL };
	char label[96];
	snprintf(label, sizeof(label), "%s (%s)", what, instance);
	script_run(d, label, cmd, env);
}

static void
on_role(void *arg, const char *instance, enum vrrp_state old,
    enum vrrp_state new, enum vrrp_reason reason)
{
	struct failover *f = arg;
	struct lvsd *d = f->d;
	log_info("failover: %s %s -> %s (%s)", instance, vrrp_state_name(old),
	    vrrp_state_name(new), vrrp_reason_name(reason));
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

/* ---- starting each mode -------------------------------------------------- */

static int
start_vrrp(struct failover *f, const struct plan_failover *pf)
{
	f->vrrp = vrrp_new(f->d->event, on_role, f);
	if (f->vrrp == NULL)
		return -1;
	for (size_t i = 0; i < pf->ninstances; i++)
		if (vrrp_instance_add(f->vrrp, &pf->instances[i]) < 0)
			return -1;
	return vrrp_start(f->vrrp);
}

static int
start_pulse(struct failover *f, const struct plan_failover *pf)
{
	f->pulse = pulse_new(f->d->event, &pf->pulse, on_role, f);
	return f->pulse != NULL ? pulse_start(f->pulse) : -1;
}

static int
start_lone(struct failover *f, const struct plan_failover *pf)
{
	f->hold = vrrp_hold_new(f->d->event, pf->vips, pf->nvips,
	    pf->nvips > 0 ? pf->vips[0].ifname : NULL, 5, 200);
	if (f->hold == NULL)
		return -1;
	/* A missing device must not stop the forwarding table from working. */
	if (vrrp_hold_take(f->hold) < 0)
		log_warnx("lone director: not every virtual address could be "
		    "added (see above)");
	if (!f->active)
		on_role(f, "director", VRRP_STATE_INIT, VRRP_STATE_MASTER,
		    VRRP_REASON_STARTUP);
	return 0;
}

/* Starts the mechanism pf describes on f (whose mode it sets). */
static int
start_mechanism(struct failover *f, const struct plan_failover *pf)
{
	static int (*const start[])(struct failover *,
	    const struct plan_failover *) = {
		[PLAN_LONE] = start_lone, [PLAN_PULSE] = start_pulse,
		[PLAN_VRRP] = start_vrrp,
	};
	f->mode = pf->mode;
	snprintf(f->active_instance, sizeof(f->active_instance), "%s",
	    pf->active);
	return start[f->mode](f, pf);
}

/* Releases the addresses (a VRRP master sends priority 0) and frees. */
static void
stop_mechanism(struct failover *f)
{
	vrrp_free(f->vrrp);
	f->vrrp = NULL;
	if (f->pulse != NULL) {
		pulse_stop(f->pulse);
		pulse_free(f->pulse);
		f->pulse = NULL;
	}
	vrrp_hold_free(f->hold);
	f->hold = NULL;
}

int
failover_start(struct lvsd *d)
{
	if (d->opts->dry_run) {
		log_info("dry run: failover (%s) not started: no adverts, no "
		    "addresses added", d->plan->failover.mode == PLAN_VRRP ?
		    "VRRP" : d->plan->failover.mode == PLAN_PULSE ?
		    "pulse heartbeat" : "lone director");
		return 0;
	}
	struct failover *f = xcalloc(1, sizeof(*f));
	f->d = d;
	d->failover = f;
	connsync_start(&f->sync, d);
	if (start_mechanism(f, &d->plan->failover) < 0) {
		log_warnx("failover: cannot start (%s)", failover_mode_name(d));
		return -1;
	}
	return 0;
}

/* ---- reload ------------------------------------------------------------- */

/* Whether the mechanism of pf could start here now (a reload to it). */
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

int
failover_prepare(struct lvsd *d, const struct plan *next, char *why,
    size_t whylen)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return 0;
	const struct plan_failover *pf = &next->failover;
	f->restart_on_commit = f->mode != pf->mode;
	if (f->restart_on_commit)
		return probe(pf, why, whylen);
	if (f->mode == PLAN_VRRP)
		return vrrp_reconfigure_prepare(f->vrrp, pf->instances,
		    pf->ninstances, why, whylen);
	if (f->mode == PLAN_PULSE && (pf->pulse.port !=
	    d->plan->failover.pulse.port || pf->pulse.partner.af !=
	    d->plan->failover.pulse.partner.af))
		return pulse_probe(&pf->pulse, why, whylen);
	return 0;
}

void
failover_abort(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (f != NULL && f->vrrp != NULL)
		vrrp_reconfigure_abort(f->vrrp);
}

void
failover_commit(struct lvsd *d, const struct plan *old)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	const struct plan_failover *pf = &d->plan->failover;
	if (f->restart_on_commit) {
		/* e.g. pulse to VRRP: probed by the prepare step. */
		stop_mechanism(f);
		if (start_mechanism(f, pf) < 0)
			log_warnx("failover: %s did not start although its "
			    "prepare step passed (see above)",
			    failover_mode_name(d));
	} else if (f->mode == PLAN_VRRP)
		vrrp_reconfigure_commit(f->vrrp);
	else if (f->mode == PLAN_PULSE) {
		if (pulse_reconfigure(f->pulse, &pf->pulse) < 0)
			log_warnx("pulse: the new settings were not applied "
			    "although its prepare step passed (see above)");
	} else if (!plan_same_vips(pf, &old->failover)) {
		/* Released first: a shared address must not vanish after the
		 * new set took it. */
		vrrp_hold_free(f->hold);
		f->hold = NULL;
		start_lone(f, pf);
	}
	snprintf(f->active_instance, sizeof(f->active_instance), "%s",
	    pf->active);
	connsync_reconfigure(&f->sync, d);
}

void
failover_stop(struct lvsd *d)
{
	struct failover *f = d->failover;
	if (f == NULL)
		return;
	/* Release first: the peer takes over in skew time, not dead time,
	 * knowing every connection this director forwarded. */
	stop_mechanism(f);
	if (f->active) {
		connsync_handoff(&f->sync, "stopping");
		f->active = false;
		run_notify(d, "inactive_cmd", d->cfg->global.inactive_cmd,
		    f->active_instance, VRRP_STATE_MASTER, VRRP_STATE_INIT,
		    VRRP_REASON_SHUTDOWN);
	}
	connsync_stop(&f->sync);	/* ends a handoff in progress first */
	free(f);
	d->failover = NULL;
}

const char *
failover_mode_name(const struct lvsd *d)
{
	static const char *const names[] = {
		[PLAN_LONE] = "lone director", [PLAN_PULSE] = "pulse heartbeat",
		[PLAN_VRRP] = "VRRP",
	};
	return d->failover != NULL ? names[d->failover->mode] : "none";
}

bool
failover_active(const struct lvsd *d)
{
	return d->failover != NULL && d->failover->active;
}

int
failover_drill(struct lvsd *d, unsigned hold_s, char *why, size_t whylen)
{
	struct failover *f = d->failover;
	if (f == NULL || f->mode == PLAN_LONE) {
		snprintf(why, whylen, "a lone director has no peer to fail over to");
		return -1;
	}
	if (!f->active) {
		snprintf(why, whylen, "this director is not the master: run the "
		    "drill on the master");
		return -1;
	}
	int n = f->mode == PLAN_VRRP ? vrrp_failover(f->vrrp, NULL, hold_s) :
	    pulse_failover(f->pulse, hold_s);
	if (n <= 0) {
		snprintf(why, whylen, "no instance was master");
		return -1;
	}
	log_info("failover drill: released mastership (hold %u s)", hold_s);
	return 0;
}

static struct json_object *
instance_json(const char *name, enum vrrp_state st, const struct vrrp_stats *vs)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "state",
	    json_object_new_string(vrrp_state_name(st)));
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
	struct json_object *list = json_object_new_array();
	struct vrrp_stats vs;
	enum vrrp_state st;
	if (f != NULL && f->mode == PLAN_VRRP) {
		const struct cfg_vrrp *r;
		TAILQ_FOREACH(r, &d->cfg->vrrps, entry)
			if (vrrp_instance_stats(f->vrrp, r->name, &st, &vs) == 0)
				json_object_array_add(list,
				    instance_json(r->name, st, &vs));
	} else if (f != NULL && f->mode == PLAN_PULSE &&
	    pulse_stats(f->pulse, &st, &vs) == 0)
		json_object_array_add(list, instance_json("pulse", st, &vs));
	else if (f != NULL) {
		memset(&vs, 0, sizeof(vs));
		json_object_array_add(list, instance_json("director",
		    f->active ? VRRP_STATE_MASTER : VRRP_STATE_INIT, &vs));
	}
	json_object_object_add(o, "instances", list);
	return o;
}
