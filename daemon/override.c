#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/override.h"
#include "lib/log.h"
#include "lib/xalloc.h"

struct overrides {
	char *path;
	struct json_object *map;	/* label -> "drain" | "disable" */
};

static const char *const kind_words[] = {
	[OVERRIDE_NONE] = "none",
	[OVERRIDE_DRAIN] = "drain",
	[OVERRIDE_DISABLE] = "disable",
};

const char *
override_name(enum override_kind k)
{
	static const char *const names[] = {
		[OVERRIDE_NONE] = "none",
		[OVERRIDE_DRAIN] = "drained by operator",
		[OVERRIDE_DISABLE] = "disabled by operator",
	};
	return names[k];
}

struct overrides *
overrides_load(const char *path)
{
	struct overrides *o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	if (access(path, F_OK) < 0) {
		o->map = json_object_new_object();
		return o;
	}
	o->map = json_object_from_file(path);
	if (o->map == NULL || !json_object_is_type(o->map, json_type_object)) {
		log_warnx("%s: not a JSON object (%s); ignoring the operator "
		    "overrides it held", path, json_util_get_last_err());
		json_object_put(o->map);
		o->map = json_object_new_object();
	}
	return o;
}

void
overrides_free(struct overrides *o)
{
	if (o == NULL)
		return;
	json_object_put(o->map);
	free(o->path);
	free(o);
}

enum override_kind
override_get(const struct overrides *o, const char *label)
{
	struct json_object *v;
	if (o == NULL || !json_object_object_get_ex(o->map, label, &v))
		return OVERRIDE_NONE;
	const char *s = json_object_get_string(v);
	for (int k = OVERRIDE_DRAIN; k <= OVERRIDE_DISABLE; k++)
		if (s != NULL && strcmp(s, kind_words[k]) == 0)
			return (enum override_kind)k;
	return OVERRIDE_NONE;
}

/* Written to a temporary file and renamed: never half a file. */
static int
save(const struct overrides *o)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->path);
	if (json_object_to_file_ext(tmp, o->map,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE) < 0 ||
	    rename(tmp, o->path) < 0) {
		log_warnx("cannot save operator overrides to %s: %s", o->path,
		    json_util_get_last_err() ? json_util_get_last_err() :
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
override_set(struct overrides *o, const char *label, enum override_kind k)
{
	if (k == OVERRIDE_NONE)
		json_object_object_del(o->map, label);
	else
		json_object_object_add(o->map, label,
		    json_object_new_string(kind_words[k]));
	return save(o);
}
