/*
 * The health-check process: every real server's checker, on a loop of its
 * own; check programs are its children.
 *
 * The parent sends one message per checker to start or change (with the
 * health it already knows of the server, so a new process or a changed
 * check goes on from there instead of starting over) and one per checker
 * to stop: a reload costs what it changes.  This process sends each
 * transition at once and, every second, the status of the checkers that
 * ran since (what `lvsctl show` prints).  Answers from real servers (HTTP,
 * TLS, send/expect, program output) are parsed here, never in the parent.
 * When the parent goes away, it stops its checks and exits.
 */
#include "config.h"

#include <json-c/linkhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "daemon/proc_common.h"
#include "daemon/procs.h"
#include "daemon/proto.h"
#include "daemon/sandbox.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define STATUS_USEC	1000000
#define OUT_LIMIT	(64u << 20)

struct hcp;

/* One checker and what the parent last heard of it. */
struct entry {
	struct hcp *h;
	char *id;
	struct hc_checker *ck;		/* NULL: it could not start (logged) */
	uint64_t sent_checks;		/* st.checks at the last status sent */
	uint64_t sent_result;		/* st.result_changes then */
};

struct hcp {
	sd_event *ev;
	struct msg_conn *conn;
	struct msg_out out;
	bool hello;
	struct hc_engine *eng;
	struct lh_table *entries;	/* id -> struct entry */
	sd_event_source *status_timer;
};

static void
entry_free(struct entry *e)
{
	hc_checker_free(e->ck);
	free(e->id);
	free(e);
}

static void
free_entry(struct lh_entry *le)
{
	entry_free(lh_entry_v(le));
}

static void
send_out(struct hcp *h)
{
	if (msg_conn_send(h->conn, &h->out) < 0)
		log_warnx("health-check process: the parent reads nothing: a "
		    "message was dropped");
}

static void
on_event(struct hc_checker *ck, const struct hc_event *ev, void *userdata)
{
	(void)ck;
	struct entry *e = userdata;
	proto_event_put(&e->h->out, e->id, ev);
	send_out(e->h);
}

/* ---- status ------------------------------------------------------------- */

/* Changed since the last status: it ran. */
static bool
ran(const struct entry *e)
{
	return e->ck != NULL && hc_checker_status(e->ck)->checks != e->sent_checks;
}

/* Every second: the checkers that ran since, one at a time into the
 * message (their text only when it changed). */
static int
on_status(sd_event_source *s, uint64_t usec, void *arg)
{
	struct hcp *h = arg;
	size_t n = 0;
	struct lh_entry *le;
	lh_foreach(h->entries, le)
		n += ran(lh_entry_v(le));
	if (n > 0) {
		proto_status_begin(&h->out, n);
		lh_foreach(h->entries, le) {
			struct entry *e = lh_entry_v(le);
			if (!ran(e))
				continue;
			const struct hc_status *cs = hc_checker_status(e->ck);
			struct proto_check_status st = {
				.id = e->id, .checks = cs->checks,
				.transitions = cs->transitions,
			};
			if (cs->result_changes != e->sent_result)
				snprintf(st.last_result, sizeof(st.last_result),
				    "%s", cs->last_result);
			proto_status_add(&h->out, &st);
			e->sent_checks = cs->checks;
			e->sent_result = cs->result_changes;
		}
		msg_end(&h->out);
		/* Sent again next second if it could not be queued. */
		(void)msg_conn_send(h->conn, &h->out);
	}
	sd_event_source_set_time(s, usec + STATUS_USEC);
	return 0;
}

/* ---- messages from the parent --------------------------------------------- */

static void
on_hello(struct hcp *h, struct msg_in *in)
{
	struct proto_hello hello;
	if (proto_hello_get(in, &hello) < 0)
		return;
	proc_apply_hello(&hello, "checks");
	/* Before the first checker: nothing a real server sends reaches
	 * this process while it is still root. */
	struct sandbox_checks sb = {
		.user = hello.user[0] != '\0' ? hello.user : NULL,
		.icmp = hello.icmp, .programs = hello.programs,
	};
	if (sandbox_checks(&sb) < 0) {
		sd_event_exit(h->ev, 1);
		return;
	}
	struct hc_engine_params p = {
		.event_cb = on_event,
		.max_children = hello.max_children,
		.kill_grace_ms = hello.kill_grace_ms,
		.quiet_transitions = true,	/* the parent logs them */
	};
	h->eng = hc_engine_new(h->ev, &p);
	h->hello = h->eng != NULL;
}

/* Starts (or restarts with new settings) the checker of id. */
static void
on_check(struct hcp *h, struct msg_in *in)
{
	char *id;
	struct hc_check_config c;
	struct proto_rs_state rs;
	if (proto_check_get(in, &id, &c, &rs) < 0) {
		free(id);
		hc_check_config_clear(&c);
		return;
	}
	void *v = NULL;
	struct entry *old = lh_table_lookup_ex(h->entries, id, &v) ? v : NULL;
	if (old != NULL && old->ck != NULL && hc_checker_runs(old->ck, &c)) {
		free(id);		/* the same settings: keep it running */
		hc_check_config_clear(&c);
		return;
	}
	struct entry *e = xcalloc(1, sizeof(*e));
	e->h = h;
	e->id = id;
	e->ck = hc_checker_new(h->eng, &c, e);
	hc_check_config_clear(&c);
	if (e->ck != NULL && old != NULL && old->ck != NULL)
		hc_checker_inherit(e->ck, old->ck);
	else if (e->ck != NULL && rs.known)
		hc_checker_seed(e->ck, rs.up, rs.dyn_weight);
	/* The old entry goes (its checker stops) once its state passed on. */
	if (old != NULL)
		lh_table_delete(h->entries, id);
	if (lh_table_insert(h->entries, e->id, e) < 0)
		fatalx("out of memory");
}

static void
on_remove(struct hcp *h, struct msg_in *in)
{
	char *id = msg_get_str(in);
	if (msg_done(in) && id != NULL)
		lh_table_delete(h->entries, id);
	free(id);
}

static void
on_message(void *arg, struct msg_in *in)
{
	struct hcp *h = arg;
	if (!h->hello && in->type != PH_HELLO)
		msg_fail(in, "a message before the hello");
	else if (in->type == PH_HELLO)
		on_hello(h, in);
	else if (in->type == PH_CHECK)
		on_check(h, in);
	else if (in->type == PH_REMOVE)
		on_remove(h, in);
	else if (in->err == NULL)
		msg_fail(in, "an unknown message");
	if (in->err != NULL) {
		log_warnx("health-check process: bad message %u from the parent: "
		    "%s", in->type, in->err);
		sd_event_exit(h->ev, 1);
	}
}

static void
on_closed(void *arg, const char *why)
{
	struct hcp *h = arg;
	log_info("health-check process: stopping (%s)", why);
	sd_event_exit(h->ev, 0);
}

static void
on_signal(void *arg, const char *name)
{
	on_closed(arg, name);
}

int
checks_process_main(void)
{
	struct hcp h = { 0 };
	h.ev = proc_setup("lvsd-checks", on_signal, &h);
	if (h.ev == NULL)
		return 1;
	h.entries = lh_kchar_table_new(1024, free_entry);
	h.conn = proc_conn(h.ev, LVSD_PRIO_CTL, OUT_LIMIT, on_message, on_closed,
	    &h);
	if (h.entries == NULL || h.conn == NULL ||
	    sd_event_add_time_relative(h.ev, &h.status_timer, CLOCK_MONOTONIC,
	    STATUS_USEC, 100000, on_status, &h) < 0)
		return 1;
	sd_event_source_set_enabled(h.status_timer, SD_EVENT_ON);
	sd_event_source_set_priority(h.status_timer, LVSD_PRIO_BULK);
	int rc = proc_run(h.ev);
	lh_table_free(h.entries);	/* stops every checker */
	hc_engine_free(h.eng);
	sd_event_source_unref(h.status_timer);
	msg_conn_free(h.conn);
	msg_out_free(&h.out);
	proc_teardown(h.ev);
	return rc;
}
