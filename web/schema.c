/* Shapes of lvsd's `status`, `show` and `events` replies, and the checker. */
#include "config.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "web/schema.h"

#define END { NULL, SH_STR, 0, NULL }

static const struct shape instance[] = {
	{ "name", SH_STR, 0, NULL },
	{ "state", SH_STR, 0, NULL },
	{ "adverts_sent", SH_INT, 0, NULL },
	{ "adverts_received", SH_INT, 0, NULL },
	{ "dropped", SH_INT, 0, NULL },
	{ "became_master", SH_INT, 0, NULL },
	END
};

static const struct shape failover[] = {
	{ "mode", SH_STR, 0, NULL },
	{ "active", SH_BOOL, 0, NULL },
	{ "instances", SH_ARR, 0, instance },
	END
};

static const struct shape reload[] = {
	{ "file", SH_STR, 0, NULL },
	{ "time", SH_INT, 0, NULL },
	{ "result", SH_STR, 0, NULL },
	{ "errors", SH_STRS, SH_OPT, NULL },
	{ "warnings", SH_STRS, SH_OPT, NULL },
	END
};

static const struct shape process[] = {
	{ "rss_bytes", SH_INT, SH_OPT, NULL },
	{ "cpu_seconds", SH_NUM, SH_OPT, NULL },
	{ "open_fds", SH_INT, SH_OPT, NULL },
	END
};

const struct shape shape_status[] = {
	{ "ok", SH_BOOL, 0, NULL },
	{ "version", SH_STR, 0, NULL },
	{ "role", SH_STR, 0, NULL },
	{ "uptime_s", SH_INT, 0, NULL },
	{ "failover", SH_OBJ, 0, failover },
	{ "virtual_services", SH_INT, 0, NULL },
	{ "real_servers", SH_INT, 0, NULL },
	{ "real_servers_taking_traffic", SH_INT, 0, NULL },
	{ "reloads", SH_INT, 0, NULL },
	{ "reload_failures", SH_INT, 0, NULL },
	{ "last_reload", SH_OBJ, SH_NULL, reload },
	{ "process", SH_OBJ, SH_OPT, process },
	END
};

#define COUNTERS \
	{ "conns", SH_INT, SH_OPT, NULL }, \
	{ "inpkts", SH_INT, SH_OPT, NULL }, \
	{ "outpkts", SH_INT, SH_OPT, NULL }, \
	{ "inbytes", SH_INT, SH_OPT, NULL }, \
	{ "outbytes", SH_INT, SH_OPT, NULL }, \
	{ "cps", SH_INT, SH_OPT, NULL }, \
	{ "inbps", SH_INT, SH_OPT, NULL }, \
	{ "outbps", SH_INT, SH_OPT, NULL }

static const struct shape server[] = {
	{ "name", SH_STR, 0, NULL },
	{ "address", SH_STR, 0, NULL },
	{ "port", SH_INT, 0, NULL },
	{ "forward", SH_STR, 0, NULL },
	{ "weight", SH_INT, 0, NULL },
	{ "effective_weight", SH_INT, 0, NULL },
	{ "in_table", SH_BOOL, 0, NULL },
	{ "health", SH_STR, 0, NULL },
	{ "last_check", SH_STR, SH_OPT | SH_NULL, NULL },
	{ "checks", SH_INT, SH_OPT, NULL },
	{ "transitions", SH_INT, SH_OPT, NULL },
	{ "why", SH_STR, SH_NULL, NULL },
	{ "override", SH_STR, SH_NULL, NULL },
	{ "override_by", SH_STR, SH_OPT, NULL },
	{ "override_at", SH_INT, SH_OPT, NULL },
	{ "in_kernel", SH_BOOL, 0, NULL },
	{ "kernel_weight", SH_INT, SH_OPT, NULL },
	{ "active_conns", SH_INT, SH_OPT, NULL },
	{ "inactive_conns", SH_INT, SH_OPT, NULL },
	COUNTERS,
	END
};

static const struct shape service[] = {
	{ "name", SH_STR, 0, NULL },
	{ "active", SH_BOOL, 0, NULL },
	{ "scheduler", SH_STR, 0, NULL },
	{ "service", SH_STR, 0, NULL },
	{ "address", SH_STR, SH_OPT, NULL },
	{ "port", SH_INT, SH_OPT, NULL },
	{ "protocol", SH_STR, SH_OPT, NULL },
	{ "fwmark", SH_INT, SH_OPT, NULL },
	COUNTERS,
	{ "servers", SH_ARR, 0, server },
	END
};

const struct shape shape_show[] = {
	{ "ok", SH_BOOL, 0, NULL },
	{ "virtual_services", SH_ARR, 0, service },
	END
};

static const struct shape event[] = {
	{ "seq", SH_INT, 0, NULL },
	{ "time_ms", SH_INT, 0, NULL },
	{ "kind", SH_STR, 0, NULL },
	{ "subject", SH_STR, 0, NULL },
	{ "from", SH_STR, 0, NULL },
	{ "to", SH_STR, 0, NULL },
	{ "reason", SH_STR, 0, NULL },
	{ "actor", SH_STR, SH_NULL, NULL },
	END
};

const struct shape shape_events[] = {
	{ "ok", SH_BOOL, 0, NULL },
	{ "first_seq", SH_INT, 0, NULL },
	{ "last_seq", SH_INT, 0, NULL },
	{ "lost", SH_INT, 0, NULL },
	{ "now_ms", SH_INT, 0, NULL },
	{ "events", SH_ARR, 0, event },
	END
};

static const char *
type_word(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a number with a fraction";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "something else";
}

static bool
type_ok(struct json_object *v, enum shape_type t)
{
	switch (t) {
	case SH_STR: return json_object_is_type(v, json_type_string);
	case SH_INT: return json_object_is_type(v, json_type_int);
	case SH_NUM: return json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double);
	case SH_BOOL: return json_object_is_type(v, json_type_boolean);
	case SH_OBJ: return json_object_is_type(v, json_type_object);
	case SH_ARR:
	case SH_STRS: return json_object_is_type(v, json_type_array);
	}
	return false;
}

static const char *const expected_words[] = {
	[SH_STR] = "a string", [SH_INT] = "an integer", [SH_NUM] = "a number",
	[SH_BOOL] = "a boolean", [SH_OBJ] = "an object",
	[SH_ARR] = "an array of objects", [SH_STRS] = "an array of strings",
};

static int check_fields(struct json_object *o, const struct shape *fields,
    const char *path, char *err, size_t errlen);

static int
check_value(struct json_object *v, const struct shape *f, const char *path,
    char *err, size_t errlen)
{
	if (!type_ok(v, f->type)) {
		snprintf(err, errlen, "%s: expected %s, found %s", path,
		    expected_words[f->type], type_word(v));
		return -1;
	}
	if (f->type == SH_OBJ)
		return check_fields(v, f->sub, path, err, errlen);
	if (f->type != SH_ARR && f->type != SH_STRS)
		return 0;
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		char sub[512];
		snprintf(sub, sizeof(sub), "%.400s[%zu]", path, i);
		bool good = f->type == SH_STRS ?
		    json_object_is_type(e, json_type_string) :
		    json_object_is_type(e, json_type_object);
		if (!good) {
			snprintf(err, errlen, "%s: expected %s, found %s", sub,
			    f->type == SH_STRS ? "a string" : "an object",
			    type_word(e));
			return -1;
		}
		if (f->type == SH_ARR &&
		    check_fields(e, f->sub, sub, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int
check_fields(struct json_object *o, const struct shape *fields,
    const char *path, char *err, size_t errlen)
{
	for (const struct shape *f = fields; f->name != NULL; f++) {
		char sub[512];
		snprintf(sub, sizeof(sub), "%.400s%s%.64s", path, path[0] ? "." : "",
		    f->name);
		struct json_object *v;
		if (!json_object_object_get_ex(o, f->name, &v)) {
			if (f->flags & SH_OPT)
				continue;
			snprintf(err, errlen, "%s: missing", sub);
			return -1;
		}
		if (v == NULL && (f->flags & SH_NULL))
			continue;
		if (check_value(v, f, sub, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int
shape_check(struct json_object *o, const struct shape *fields, char *err,
    size_t errlen)
{
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "expected a JSON object, found %s",
		    type_word(o));
		return -1;
	}
	return check_fields(o, fields, "", err, errlen);
}
