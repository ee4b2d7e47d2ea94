/*
 * The ring of recent events behind `{"command":"events"}`: static storage
 * (no allocation, nothing to free), sequence numbers from 1, strings cut
 * to fixed sizes.  Readers are pollers such as lvsd-web; they keep their
 * own history and ask for the events after the last one they saw.
 */
#include "config.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon/events.h"
#include "healthcheck/hc.h"

struct event {
	uint64_t seq;
	int64_t time_ms;		/* CLOCK_REALTIME */
	enum event_kind kind;
	char subject[128];		/* "web/Real1", an instance, a file */
	char from[24], to[24];
	char reason[200];
	char actor[72];
};

static struct event ring[EVENTS_RING];
static uint64_t last_seq;		/* 0: none yet */

static const char *const kind_names[] = {
	[EVENT_HEALTH] = "health",
	[EVENT_VRRP] = "vrrp",
	[EVENT_RELOAD] = "reload",
	[EVENT_OPERATOR] = "operator",
};

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

void
events_record(enum event_kind kind, const char *subject, const char *from,
    const char *to, const char *reason, const char *actor)
{
	struct event *e = &ring[last_seq % EVENTS_RING];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	e->seq = ++last_seq;
	e->time_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	e->kind = kind;
	copy(e->subject, sizeof(e->subject), subject);
	copy(e->from, sizeof(e->from), from);
	copy(e->to, sizeof(e->to), to);
	copy(e->reason, sizeof(e->reason), reason);
	copy(e->actor, sizeof(e->actor), actor);
}

void
events_health(const char *label, bool was_up, int kind, const char *reason)
{
	if (kind != HC_EV_UP && kind != HC_EV_DOWN)
		return;			/* a dynamic weight is no transition */
	events_record(EVENT_HEALTH, label, was_up ? "UP" : "DOWN",
	    kind == HC_EV_UP ? "UP" : "DOWN", reason, NULL);
}

void
events_reload(struct json_object *outcome)
{
	struct json_object *file = NULL, *result = NULL, *errors = NULL;
	json_object_object_get_ex(outcome, "file", &file);
	json_object_object_get_ex(outcome, "result", &result);
	json_object_object_get_ex(outcome, "errors", &errors);
	size_t n = json_object_is_type(errors, json_type_array) ?
	    json_object_array_length(errors) : 0;
	char reason[200] = "";
	if (n > 0)	/* the first error says where; the count says how many */
		snprintf(reason, sizeof(reason), "%s%s", json_object_get_string(
		    json_object_array_get_idx(errors, 0)), n > 1 ?
		    " (and more)" : "");
	events_record(EVENT_RELOAD, json_object_get_string(file), NULL,
	    json_object_get_string(result), reason, NULL);
}

int
events_actor(struct json_object *req, const char *fallback, char *actor,
    size_t len, char *why, size_t whylen)
{
	struct json_object *a;
	if (req == NULL || !json_object_object_get_ex(req, "actor", &a)) {
		copy(actor, len, fallback);
		return 0;
	}
	const char *s = json_object_get_string(a);
	size_t n = s != NULL ? strlen(s) : 0;
	bool printable = json_object_is_type(a, json_type_string) && n > 0 &&
	    n < len && n <= 64;
	for (size_t i = 0; printable && i < n; i++)
		printable = isprint((unsigned char)s[i]) && s[i] != '"' &&
		    s[i] != '\\';
	if (!printable) {
		snprintf(why, whylen, "\"actor\": expected a name of 1 to 64 "
		    "printable characters (no quotes or backslashes)");
		return -1;
	}
	copy(actor, len, s);
	return 0;
}

static const struct event *
oldest_held(void)
{
	if (last_seq == 0)
		return NULL;
	uint64_t first = last_seq > EVENTS_RING ? last_seq - EVENTS_RING + 1 : 1;
	return &ring[(first - 1) % EVENTS_RING];
}

static struct json_object *
event_json(const struct event *e)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "seq", json_object_new_int64((int64_t)e->seq));
	json_object_object_add(o, "time_ms", json_object_new_int64(e->time_ms));
	json_object_object_add(o, "kind", json_object_new_string(kind_names[e->kind]));
	json_object_object_add(o, "subject", json_object_new_string(e->subject));
	json_object_object_add(o, "from", json_object_new_string(e->from));
	json_object_object_add(o, "to", json_object_new_string(e->to));
	json_object_object_add(o, "reason", json_object_new_string(e->reason));
	json_object_object_add(o, "actor", e->actor[0] ?
	    json_object_new_string(e->actor) : NULL);
	return o;
}

struct json_object *
control_events(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)d;
	(void)call;
	struct json_object *t;
	int64_t since = 0;
	if (req != NULL && json_object_object_get_ex(req, "since", &t)) {
		since = json_object_get_int64(t);
		if (!json_object_is_type(t, json_type_int) || since < 0) {
			snprintf(why, whylen, "\"since\": expected a sequence "
			    "number (0 or more)");
			return NULL;
		}
	}
	const struct event *first = oldest_held();
	uint64_t first_seq = first != NULL ? first->seq : last_seq + 1;
	struct json_object *list = json_object_new_array();
	uint64_t from = (uint64_t)since + 1 > first_seq ? (uint64_t)since + 1 :
	    first_seq;
	for (uint64_t seq = from; seq <= last_seq; seq++)
		json_object_array_add(list, event_json(&ring[(seq - 1) % EVENTS_RING]));
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "first_seq", json_object_new_int64((int64_t)first_seq));
	json_object_object_add(o, "last_seq", json_object_new_int64((int64_t)last_seq));
	/* Events the reader never saw and the ring no longer holds. */
	json_object_object_add(o, "lost", json_object_new_int64(
	    (uint64_t)since + 1 < first_seq && last_seq > 0 ?
	    (int64_t)(first_seq - (uint64_t)since - 1) : 0));
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	json_object_object_add(o, "now_ms", json_object_new_int64(
	    (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000));
	json_object_object_add(o, "events", list);
	return o;
}

void
events_reset(void)
{
	memset(ring, 0, sizeof(ring));
	last_seq = 0;
}
