/*
 * Validating lvsd's replies and rendering the snapshot.  The JSON
 * documents embed lvsd's replies verbatim (they were parsed whole and
 * checked, so they are one valid JSON value each): a 10,000-service
 * table is not serialized twice per poll.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/metrics_text.h"
#include "lib/xalloc.h"
#include "web/gzip.h"
#include "web/history.h"
#include "web/schema.h"
#include "web/snapshot.h"

struct snapshot *
snapshot_ref(struct snapshot *s)
{
	if (s != NULL)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void
snapshot_unref(struct snapshot *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (size_t i = 0; i < DOC_MAX; i++) {
		free(s->doc[i].text);
		free(s->doc[i].gz);
	}
	free(s);
}

void
web_data_init(struct web_data *wd, struct web_history *h)
{
	memset(wd, 0, sizeof(*wd));
	wd->history = h;
	wd->peers = json_object_new_object();
	pthread_mutex_init(&wd->lock, NULL);
	snprintf(wd->error, sizeof(wd->error), "no answer from lvsd yet");
}

void
web_data_clear(struct web_data *wd)
{
	json_object_put(wd->status);
	json_object_put(wd->show);
	json_object_put(wd->peers);
	free(wd->status_raw);
	free(wd->show_raw);
	snapshot_unref(wd->current);
	pthread_mutex_destroy(&wd->lock);
	memset(wd, 0, sizeof(*wd));
}

/* Parses one reply and checks its shape; NULL with err. */
static struct json_object *
parse_reply(const char *what, const char *text, size_t len,
    const struct shape *shape, char *err, size_t errlen)
{
	char why[400];
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "lvsd's reply to `%s`: NUL byte", what);
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(64);
	if (tok == NULL)
		abort();
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o == NULL || e != json_tokener_success || end != len) {
		snprintf(err, errlen, "lvsd's reply to `%s` is not one JSON value "
		    "(byte %zu: %s)", what, end, o == NULL || e !=
		    json_tokener_success ? json_tokener_error_desc(e) :
		    "trailing bytes");
		json_object_put(o);
		return NULL;
	}
	struct json_object *ok = NULL, *error = NULL;
	json_object_object_get_ex(o, "ok", &ok);
	json_object_object_get_ex(o, "error", &error);
	if (json_object_is_type(ok, json_type_boolean) &&
	    !json_object_get_boolean(ok)) {
		snprintf(err, errlen, "lvsd refused `%s`: %.300s", what,
		    json_object_is_type(error, json_type_string) ?
		    json_object_get_string(error) : "(no reason given)");
		json_object_put(o);
		return NULL;
	}
	if (shape_check(o, shape, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "lvsd's reply to `%s`: %s", what, why);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* When each instance last heard its peer: its received count moved. */
static void
track_peers(struct web_data *wd, struct json_object *status, int64_t now_ms)
{
	struct json_object *fo, *inst;
	json_object_object_get_ex(status, "failover", &fo);
	json_object_object_get_ex(fo, "instances", &inst);
	for (size_t i = 0; i < json_object_array_length(inst); i++) {
		struct json_object *o = json_object_array_get_idx(inst, i), *v,
		    *name, *prev;
		json_object_object_get_ex(o, "name", &name);
		json_object_object_get_ex(o, "adverts_received", &v);
		int64_t n = json_object_get_int64(v);
		const char *key = json_object_get_string(name);
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "adverts", json_object_new_int64(n));
		struct json_object *heard = NULL, *count = NULL;
		if (json_object_object_get_ex(wd->peers, key, &prev)) {
			json_object_object_get_ex(prev, "adverts", &count);
			json_object_object_get_ex(prev, "heard_ms", &heard);
		}
		bool moved = count != NULL && json_object_get_int64(count) != n;
		json_object_object_add(p, "heard_ms", moved ?
		    json_object_new_int64(now_ms) : json_object_get(heard));
		json_object_object_add(wd->peers, key, p);
	}
}

static void
keep_raw(char **dst, size_t *dstlen, const char *src, size_t len)
{
	free(*dst);
	*dst = xstrndup(src, len);
	*dstlen = len;
}

int
web_ingest(struct web_data *wd, const char *status, size_t status_len,
    const char *show, size_t show_len, const char *events, size_t events_len,
    int64_t now_ms)
{
	char err[sizeof(wd->error)];
	struct json_object *st = parse_reply("status", status, status_len,
	    shape_status, err, sizeof(err));
	struct json_object *sh = st == NULL ? NULL : parse_reply("show", show,
	    show_len, shape_show, err, sizeof(err));
	struct json_object *ev = sh == NULL ? NULL : parse_reply("events",
	    events, events_len, shape_events, err, sizeof(err));
	if (ev == NULL) {
		json_object_put(st);
		json_object_put(sh);
		web_poll_failed(wd, err, now_ms);
		return -1;
	}
	wd->polls++;
	json_object_put(wd->status);
	json_object_put(wd->show);
	wd->status = st;
	wd->show = sh;
	keep_raw(&wd->status_raw, &wd->status_raw_len, status, status_len);
	keep_raw(&wd->show_raw, &wd->show_raw_len, show, show_len);
	track_peers(wd, st, now_ms);
	history_add_events(wd->history, ev, now_ms);
	history_add_samples(wd->history, sh, now_ms);
	json_object_put(ev);
	wd->error[0] = '\0';
	wd->error_since_ms = 0;
	wd->last_ok_ms = now_ms;
	return 0;
}

void
web_poll_failed(struct web_data *wd, const char *reason, int64_t now_ms)
{
	wd->polls++;
	wd->poll_errors++;
	if (wd->error[0] == '\0' || wd->error_since_ms == 0)
		wd->error_since_ms = now_ms;
	snprintf(wd->error, sizeof(wd->error), "%s", reason);
}

/* ---- rendering ------------------------------------------------------ */

static void
web_metrics(FILE *f, const struct web_data *wd, bool up)
{
	fprintf(f, "# HELP lvsd_web_up 1 if lvsd answered lvsd-web's last poll\n"
	    "# TYPE lvsd_web_up gauge\nlvsd_web_up %d\n", up);
	fprintf(f, "# HELP lvsd_web_polls_total polls of lvsd's control socket\n"
	    "# TYPE lvsd_web_polls_total counter\nlvsd_web_polls_total %llu\n",
	    (unsigned long long)wd->polls);
	fprintf(f, "# HELP lvsd_web_poll_errors_total polls that failed\n"
	    "# TYPE lvsd_web_poll_errors_total counter\n"
	    "lvsd_web_poll_errors_total %llu\n",
	    (unsigned long long)wd->poll_errors);
	fprintf(f, "# HELP lvsd_web_poll_duration_seconds how long the last poll "
	    "took\n# TYPE lvsd_web_poll_duration_seconds gauge\n"
	    "lvsd_web_poll_duration_seconds %.6f\n", wd->poll_seconds);
	if (wd->last_ok_ms > 0)
		fprintf(f, "# HELP lvsd_web_last_success_timestamp_seconds when "
		    "lvsd last answered (Unix time)\n# TYPE "
		    "lvsd_web_last_success_timestamp_seconds gauge\n"
		    "lvsd_web_last_success_timestamp_seconds %.3f\n",
		    (double)wd->last_ok_ms / 1000);
	fprintf(f, "# HELP lvsd_web_events_lost_total events lvsd's ring dropped "
	    "before lvsd-web read them\n# TYPE lvsd_web_events_lost_total counter\n"
	    "lvsd_web_events_lost_total %llu\n",
	    (unsigned long long)history_lost(wd->history));
}

/* The metrics: lvsd's (only while it answers: never stale) and ours. */
static char *
render_metrics(const struct web_data *wd, size_t *len)
{
	char *buf;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		abort();
	bool up = wd->error[0] == '\0' && wd->status != NULL;
	if (up)
		lvs_metrics_render(f, wd->status, wd->show);
	web_metrics(f, wd, up);
	fclose(f);
	return buf;
}

static struct json_object *
web_json(const struct web_data *wd, int64_t now_ms)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "now_ms", json_object_new_int64(now_ms));
	json_object_object_add(o, "last_ok_ms", wd->last_ok_ms > 0 ?
	    json_object_new_int64(wd->last_ok_ms) : NULL);
	json_object_object_add(o, "error", wd->error[0] ?
	    json_object_new_string(wd->error) : NULL);
	json_object_object_add(o, "error_since_ms", wd->error[0] ?
	    json_object_new_int64(wd->error_since_ms) : NULL);
	json_object_object_add(o, "refresh_ms", json_object_new_int64(wd->refresh_ms));
	json_object_object_add(o, "poll_ms", json_object_new_int64(wd->poll_ms));
	json_object_object_add(o, "admin", json_object_new_boolean(wd->admin));
	json_object_object_add(o, "history_step_ms",
	    json_object_new_int64(HIST_STEP_MS));
	json_object_object_add(o, "events_lost",
	    json_object_new_int64((int64_t)history_lost(wd->history)));
	json_object_object_add(o, "peers", json_object_get(wd->peers));
	return o;
}

/* {"web":..., "status":RAW, "show":RAW, "events":[...]} */
static char *
render_state(const struct web_data *wd, int64_t now_ms, size_t *len)
{
	char *buf;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		abort();
	struct json_object *web = web_json(wd, now_ms);
	struct json_object *events = history_events_json(wd->history, 0, now_ms);
	fprintf(f, "{\"web\":%s,\"status\":", json_object_to_json_string_ext(web,
	    JSON_C_TO_STRING_PLAIN));
	fwrite(wd->status_raw ? wd->status_raw : "null", 1,
	    wd->status_raw ? wd->status_raw_len : 4, f);
	fputs(",\"show\":", f);
	fwrite(wd->show_raw ? wd->show_raw : "null", 1,
	    wd->show_raw ? wd->show_raw_len : 4, f);
	fprintf(f, ",\"events\":%s}", json_object_to_json_string_ext(events,
	    JSON_C_TO_STRING_PLAIN));
	fclose(f);
	json_object_put(web);
	json_object_put(events);
	return buf;
}

static void
doc_set(struct doc *d, char *text, size_t len)
{
	d->text = text;
	d->len = len;
	d->gz = web_gzip(text, len, &d->gzlen);
}

static char *
copy_raw(const char *raw, size_t len, size_t *outlen)
{
	*outlen = raw != NULL ? len : 4;
	return xstrndup(raw != NULL ? raw : "null", *outlen);
}

/*
 * Renders what the last poll brought.  The parsed replies are dropped
 * then: a 10,000-service table as JSON objects is hundreds of MB, and
 * the documents (and lvsd's raw replies) are all anyone asks for.
 */
void
web_publish(struct web_data *wd, int64_t now_ms)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	s->refs = 1;
	s->built_ms = now_ms;
	size_t len;
	char *text = render_metrics(wd, &len);
	doc_set(&s->doc[DOC_METRICS], text, len);
	text = render_state(wd, now_ms, &len);
	doc_set(&s->doc[DOC_STATE], text, len);
	text = copy_raw(wd->status_raw, wd->status_raw_len, &len);
	doc_set(&s->doc[DOC_STATUS], text, len);
	text = copy_raw(wd->show_raw, wd->show_raw_len, &len);
	doc_set(&s->doc[DOC_SHOW], text, len);
	json_object_put(wd->status);
	json_object_put(wd->show);
	wd->status = wd->show = NULL;
	pthread_mutex_lock(&wd->lock);
	struct snapshot *old = wd->current;
	wd->current = s;
	pthread_mutex_unlock(&wd->lock);
	snapshot_unref(old);
}

struct snapshot *
web_current(struct web_data *wd)
{
	pthread_mutex_lock(&wd->lock);
	struct snapshot *s = snapshot_ref(wd->current);
	pthread_mutex_unlock(&wd->lock);
	return s;
}
