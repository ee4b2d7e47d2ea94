#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <syslog.h>
#include <time.h>

#include "healthcheck/hc_int.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define NOT_RUN_YET "not run yet"

uint32_t
hc_random(uint32_t n)
{
	static uint64_t state;

	if (state == 0) {
		if (getrandom(&state, sizeof(state), GRND_NONBLOCK) !=
		    (ssize_t)sizeof(state))
			state = (uint64_t)time(NULL) * 6364136223846793005ULL;
		state |= 1;
	}
	/* xorshift64*: spreading start times needs no cryptography. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	uint64_t r = state * 2685821657736338717ULL;
	return n == UINT32_MAX ? (uint32_t)(r >> 32) :
	    (uint32_t)((r >> 32) % ((uint64_t)n + 1));
}

const char *
hc_type_name(enum hc_type type)
{
	switch (type) {
	case HC_TYPE_TCP:
		return "TCP";
	case HC_TYPE_HTTP:
		return "HTTP";
	case HC_TYPE_HTTPS:
		return "HTTPS";
	case HC_TYPE_SEND_EXPECT:
		return "send/expect";
	case HC_TYPE_SEND_PROGRAM:
		return "send_program";
	case HC_TYPE_EXEC:
		return "program";
	case HC_TYPE_ICMP:
		return "ICMP";
	}
	return "?";
}

static const struct hc_ops *
ops_for(enum hc_type type)
{
	switch (type) {
	case HC_TYPE_TCP:
		return &hc_tcp_ops;
	case HC_TYPE_HTTP:
	case HC_TYPE_HTTPS:
		return &hc_http_ops;
	case HC_TYPE_SEND_EXPECT:
		return &hc_sendexpect_ops;
	case HC_TYPE_SEND_PROGRAM:
	case HC_TYPE_EXEC:
		return &hc_exec_ops;
	case HC_TYPE_ICMP:
		return &hc_icmp_ops;
	}
	return NULL;
}

struct hc_engine *
hc_engine_new(sd_event *ev, const struct hc_engine_params *params)
{
	struct hc_engine *eng = xcalloc(1, sizeof(*eng));
	sigset_t ss;

	eng->ev = sd_event_ref(ev);
	eng->event_cb = params ? params->event_cb : NULL;
	eng->start_cb = params ? params->start_cb : NULL;
	eng->quiet_transitions = params ? params->quiet_transitions : false;
	eng->max_children = params && params->max_children ?
	    params->max_children : 16;
	eng->kill_grace_ms = params && params->kill_grace_ms ?
	    params->kill_grace_ms : 2000;
	TAILQ_INIT(&eng->checkers);
	TAILQ_INIT(&eng->exec_queue);
	LIST_INIT(&eng->orphans);
	eng->share = hc_share_new();
	if (hc_sched_init(eng) < 0) {
		hc_share_free(eng->share);
		sd_event_unref(eng->ev);
		free(eng);
		return NULL;
	}
	/* sd_event_add_child() refuses to work unless SIGCHLD is blocked. */
	sigemptyset(&ss);
	sigaddset(&ss, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	return eng;
}

void
hc_engine_free(struct hc_engine *eng)
{
	struct hc_checker *ck;

	if (eng == NULL)
		return;
	while ((ck = TAILQ_FIRST(&eng->checkers)) != NULL)
		hc_checker_free(ck);
	hc_exec_engine_free(eng);
	hc_tls_cache_free(eng);
	hc_sched_fini(eng);
	hc_share_free(eng->share);
	sd_event_unref(eng->ev);
	free(eng);
}

unsigned
hc_engine_children(const struct hc_engine *eng)
{
	return eng->children;
}

uint64_t
hc_now(const struct hc_checker *ck)
{
	uint64_t now = 0;

	sd_event_now(ck->eng->ev, CLOCK_MONOTONIC, &now);
	return now;
}

uint32_t
hc_time_left_ms(const struct hc_checker *ck)
{
	uint64_t end = ck->start_usec + (uint64_t)ck->cfg->timeout_ms * 1000;
	uint64_t now = hc_now(ck);

	if (now >= end)
		return 1;
	uint64_t left = (end - now + 999) / 1000;
	return left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}

/* Made when asked (logs, lvsctl), not kept: 10,000 of them add up. */
const char *
hc_checker_name(const struct hc_checker *ck)
{
	char ap[LVS_ADDRPORTSTRLEN];
	const char *label = ck->label ? ck->label : "check";

	if (ck->cfg->type == HC_TYPE_ICMP || ck->port == 0)
		addr_fmt(&ck->addr, ap);
	else
		addr_port_fmt(&ck->addr, ck->port, ap);
	snprintf(ck->eng->name, sizeof(ck->eng->name), "%s %s", label, ap);
	return ck->eng->name;
}

/* The text of ck's last result is now s (shared; given once it differs). */
static void
set_result(struct hc_checker *ck, const char *s)
{
	if (ck->st.last_result != NULL && strcmp(ck->st.last_result, s) == 0)
		return;
	const char *t = hc_share_text(ck->eng->share, s);
	hc_share_text_put(ck->eng->share, ck->st.last_result);
	ck->st.last_result = t;
	ck->st.result_changes++;
}

struct hc_checker *
hc_checker_new(struct hc_engine *eng, const struct hc_check_config *cfg,
    void *userdata)
{
	char err[256];

	if (hc_check_config_validate(cfg, err, sizeof(err)) < 0) {
		log_warnx("%s: health check not started: %s",
		    cfg->label ? cfg->label : "check", err);
		return NULL;
	}
	struct hc_checker *ck = xcalloc(1, sizeof(*ck));
	ck->eng = eng;
	ck->cfg = hc_share_setting(eng->share, cfg);
	ck->label = cfg->label ? xstrdup(cfg->label) : NULL;
	ck->addr = cfg->addr;
	ck->port = cfg->port;
	ck->ops = ops_for(cfg->type);
	ck->userdata = userdata;
	hc_hyst_init(&ck->hyst, cfg->init_state, cfg->rise, cfg->fall);
	ck->st.state = ck->hyst.up ? HC_STATE_UP : HC_STATE_DOWN;
	ck->st.weight = -1;
	set_result(ck, NOT_RUN_YET);
	TAILQ_INSERT_TAIL(&eng->checkers, ck, entry);
	if (ck->ops->setup(ck) < 0) {
		log_warnx("%s: health check not started", hc_checker_name(ck));
		hc_checker_free(ck);
		return NULL;
	}
	ck->sched_usec = hc_now(ck) + (uint64_t)hc_random(cfg->jitter_ms) * 1000;
	hc_sched_at(ck, ck->sched_usec);
	return ck;
}

static void
stop_run(struct hc_checker *ck)
{
	if (ck->cur)
		ck->cur->cancel(ck);
	if (ck->exec_queued) {
		TAILQ_REMOVE(&ck->eng->exec_queue, ck, qentry);
		ck->exec_queued = false;
	}
}

void
hc_checker_free(struct hc_checker *ck)
{
	if (ck == NULL)
		return;
	if (ck->running)
		stop_run(ck);
	ck->running = false;
	if (ck->ops)
		ck->ops->free(ck);
	hc_sched_cancel(ck);
	TAILQ_REMOVE(&ck->eng->checkers, ck, entry);
	hc_share_text_put(ck->eng->share, ck->st.last_result);
	hc_share_setting_put(ck->eng->share, ck->cfg);
	free(ck->label);
	free(ck);
}

void
hc_log_health(const char *label, const char *address, bool up,
    const char *msg)
{
	const char *slash = strchr(label, '/');
	char virtual[256];
	snprintf(virtual, sizeof(virtual), "%.*s",
	    slash != NULL ? (int)(slash - label) : 0, label);
	log_struct(LOG_INFO, LOG_FIELDS({ "LVSD_VIRTUAL", virtual },
	    { "LVSD_SERVER", label }, { "LVSD_ADDRESS", address },
	    { "LVSD_HEALTH", up ? "UP" : "DOWN" }), "%s", msg);
}

void
hc_checker_seed(struct hc_checker *ck, bool up, int weight)
{
	ck->hyst.up = up;
	ck->hyst.known = true;
	ck->st.state = up ? HC_STATE_UP : HC_STATE_DOWN;
	ck->st.weight = weight;
}

void
hc_checker_inherit(struct hc_checker *ck, const struct hc_checker *old)
{
	ck->hyst.up = old->hyst.up;
	ck->hyst.known = old->hyst.known;
	ck->hyst.ok_run = old->hyst.ok_run;
	ck->hyst.fail_run = old->hyst.fail_run;
	ck->hyst.transitions = old->hyst.transitions;
	hc_share_text_put(ck->eng->share, ck->st.last_result);
	ck->st = old->st;
	hc_share_text_hold(ck->st.last_result);
}

const struct hc_status *
hc_checker_status(const struct hc_checker *ck)
{
	return &ck->st;
}

const struct hc_check_config *
hc_checker_config(const struct hc_checker *ck)
{
	return ck->cfg;
}

bool
hc_checker_runs(const struct hc_checker *ck, const struct hc_check_config *cfg)
{
	if ((ck->label == NULL) != (cfg->label == NULL) ||
	    (ck->label != NULL && strcmp(ck->label, cfg->label) != 0) ||
	    !addr_eq(&ck->addr, &cfg->addr) || ck->port != cfg->port)
		return false;
	struct hc_check_config key = *cfg;
	key.label = NULL;
	memset(&key.addr, 0, sizeof(key.addr));
	key.port = 0;
	return hc_check_config_equal(ck->cfg, &key);
}

void *
hc_checker_userdata(const struct hc_checker *ck)
{
	return ck->userdata;
}

static void
start_stage(struct hc_checker *ck)
{
	/* start() reports its own failures through hc_result(). */
	(void)ck->cur->start(ck);
}

static void
start_run(struct hc_checker *ck)
{
	uint64_t now = hc_now(ck);

	ck->st.last_lag_usec = now > ck->sched_usec ? now - ck->sched_usec : 0;
	ck->start_usec = now;
	ck->running = true;
	hc_sched_at(ck, now + (uint64_t)ck->cfg->timeout_ms * 1000);
	ck->cur = ck->cfg->icmp_precheck && ck->cfg->type != HC_TYPE_ICMP ?
	    &hc_icmp_ops : ck->ops;
	if (ck->eng->start_cb)
		ck->eng->start_cb(ck, ck->st.last_lag_usec, ck->userdata);
	start_stage(ck);
}

static void
deadline(struct hc_checker *ck)
{
	char phase[96] = "";

	if (ck->cur && ck->cur->describe)
		ck->cur->describe(ck, phase, sizeof(phase));
	hc_result(ck, false, -1, "%s timeout after %u ms%s%s%s",
	    ck->cur == ck->ops ? hc_type_name(ck->cfg->type) : "ICMP pre-check",
	    ck->cfg->timeout_ms,
	    phase[0] ? " (" : "", phase, phase[0] ? ")" : "");
}

void
hc_checker_due(struct hc_checker *ck)
{
	if (ck->running)
		deadline(ck);
	else
		start_run(ck);
}

static void
schedule_next(struct hc_checker *ck)
{
	uint64_t now = hc_now(ck);

	/* Fixed rate: start to start; a late run does not pile up. */
	ck->sched_usec += (uint64_t)ck->cfg->interval_ms * 1000;
	if (ck->sched_usec < now)
		ck->sched_usec = now;
	hc_sched_at(ck, ck->sched_usec);
}

static void
emit(struct hc_checker *ck, enum hc_event_kind kind, const char *line)
{
	struct hc_event ev = {
		.kind = kind,
		.reason = ck->st.last_result,
		.weight = ck->st.weight,
		.line = line,
	};

	if (ck->eng->event_cb)
		ck->eng->event_cb(ck, &ev, ck->userdata);
}

/* A transition's line, with journal fields to find it by. */
static void
log_health(const struct hc_checker *ck, bool up, const char *msg)
{
	const char *label = ck->label ? ck->label : "check";
	hc_log_health(label, hc_checker_name(ck) + strlen(label) + 1, up, msg);
}

/* The transition's line into line (HC_LINE_MAX); logged unless quiet. */
static void
log_transition(struct hc_checker *ck, enum hc_hyst_out out, char *line)
{
	unsigned n = out == HC_HYST_UP ? ck->hyst.ok_run : ck->hyst.fail_run;
	const char *what = out == HC_HYST_UP ? "success" : "failure";

	snprintf(line, HC_LINE_MAX, "%s %s: %s (%u consecutive %s%s)",
	    hc_checker_name(ck), out == HC_HYST_UP ? "UP" : "DOWN",
	    ck->st.last_result, n, what,
	    n == 1 ? "" : (out == HC_HYST_UP ? "es" : "s"));
	if (!ck->eng->quiet_transitions)
		log_health(ck, out == HC_HYST_UP, line);
}

static void
account(struct hc_checker *ck, bool ok, enum hc_hyst_out out, bool first,
    char *line)
{
	ck->st.checks++;
	if (ok)
		ck->st.successes++;
	else
		ck->st.failures++;
	ck->st.known = true;
	ck->st.ok_run = ck->hyst.ok_run;
	ck->st.fail_run = ck->hyst.fail_run;
	ck->st.transitions = ck->hyst.transitions;
	ck->st.last_check_usec = hc_now(ck);
	ck->st.state = ck->hyst.up ? HC_STATE_UP : HC_STATE_DOWN;
	if (out != HC_HYST_NONE) {
		ck->st.last_change_usec = ck->st.last_check_usec;
		log_transition(ck, out, line);
	} else if (first && !ok && !ck->hyst.up) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s DOWN: %s (first check)",
		    hc_checker_name(ck), ck->st.last_result);
		log_health(ck, false, msg);
	} else if (log_debug_enabled()) {
		log_debug("%s %s: %s", hc_checker_name(ck), ok ? "ok" : "failed",
		    ck->st.last_result);
	}
}

void
hc_result(struct hc_checker *ck, bool ok, int weight, const char *fmt, ...)
{
	va_list ap;

	if (!ck->running)
		return;
	va_start(ap, fmt);
	vsnprintf(ck->eng->text, HC_RESULT_MAX, fmt, ap);
	va_end(ap);
	set_result(ck, ck->eng->text);
	stop_run(ck);
	if (ok && ck->cur != ck->ops) {
		/* The ICMP pre-check passed: the real check follows within
		 * the same deadline (the timer still holds it). */
		ck->cur = ck->ops;
		start_stage(ck);
		return;
	}
	ck->running = false;
	ck->cur = NULL;
	bool first = !ck->hyst.known;
	enum hc_hyst_out out = hc_hyst_feed(&ck->hyst, ok);
	bool weight_changed = ok && weight >= 0 && weight != ck->st.weight;
	if (ok && weight >= 0)
		ck->st.weight = weight;
	char line[HC_LINE_MAX] = "";
	account(ck, ok, out, first, line);
	schedule_next(ck);
	if (out == HC_HYST_UP)
		emit(ck, HC_EV_UP, line);
	else if (out == HC_HYST_DOWN)
		emit(ck, HC_EV_DOWN, line);
	else if (weight_changed && ck->hyst.up) {
		log_info("%s weight %d: %s", hc_checker_name(ck), weight,
		    ck->st.last_result);
		emit(ck, HC_EV_WEIGHT, line);
	}
}
