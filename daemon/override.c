/*
 * Operators' overrides, durable (see daemon/override.h).  The file is a
 * JSON object: "VIRTUAL/SERVER" -> {"override": "drain"|"disable",
 * "by": WHO, "at": UNIX-TIME}, and "director" -> {"override": "withdraw",
 * "by", "at", "reason"} for the announcement's withdrawal.  The format of earlier versions (the kind
 * as a plain string) is still read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/override.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define MAX_FILE	(16u << 20)

struct overrides {
	char *path;
	struct json_object *map;	/* label -> {override, by, at} */
	char *problem;			/* why nothing could be read */
};

static const char *const kind_words[] = {
	[OVERRIDE_NONE] = "none",
	[OVERRIDE_DRAIN] = "drain",
	[OVERRIDE_DISABLE] = "disable",
	[OVERRIDE_WITHDRAW] = "withdraw",
};

const char *
override_name(enum override_kind k)
{
	static const char *const names[] = {
		[OVERRIDE_NONE] = "none",
		[OVERRIDE_DRAIN] = "drained by operator",
		[OVERRIDE_DISABLE] = "disabled by operator",
		[OVERRIDE_WITHDRAW] = "withdrawn by operator",
	};
	return names[k];
}

static enum override_kind
kind_of(const char *s)
{
	for (int k = OVERRIDE_DRAIN; k <= OVERRIDE_WITHDRAW; k++)
		if (s != NULL && strcmp(s, kind_words[k]) == 0)
			return (enum override_kind)k;
	return OVERRIDE_NONE;
}

/*
 * The object in path, or NULL with why ("missing" when there is no file).
 * A symlink is refused (O_NOFOLLOW): the file is lvsd's own.
 */
static struct json_object *
read_map(const char *path, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat sb;
	if (fd < 0) {
		snprintf(why, whylen, "%s", errno == ENOENT ? "missing" :
		    errno == ELOOP ? "a symbolic link (not followed)" :
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
	    sb.st_size > (off_t)MAX_FILE) {
		snprintf(why, whylen, "%s", !S_ISREG(sb.st_mode) ?
		    "not a regular file" : sb.st_size == 0 ? "empty" : "too big");
		close(fd);
		return NULL;
	}
	char *buf = xmalloc((size_t)sb.st_size + 1);
	ssize_t n = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	struct json_object *m = NULL;
	if (n == sb.st_size) {
		buf[n] = '\0';
		enum json_tokener_error err;
		m = json_tokener_parse_verbose(buf, &err);
		if (m == NULL)
			snprintf(why, whylen, "not JSON (%s)",
			    json_tokener_error_desc(err));
		else if (!json_object_is_type(m, json_type_object)) {
			snprintf(why, whylen, "not a JSON object");
			json_object_put(m);
			m = NULL;
		}
	} else
		snprintf(why, whylen, "cannot be read whole");
	free(buf);
	return m;
}

struct overrides *
overrides_load(const char *path)
{
	struct overrides *o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	char why[160], pwhy[160];
	o->map = read_map(path, why, sizeof(why));
	if (o->map != NULL || strcmp(why, "missing") == 0) {
		if (o->map == NULL)
			o->map = json_object_new_object();
		return o;
	}
	char *prev = xasprintf("%s.prev", path);
	o->map = read_map(prev, pwhy, sizeof(pwhy));
	if (o->map != NULL)
		log_warnx("%s is %s: the previous copy %s is used instead (the "
		    "last change may be missing)", path, why, prev);
	else {
		o->problem = xasprintf("%s is %s and its previous copy %s: "
		    "operator overrides (drain, disable) are lost until set "
		    "again", path, why, pwhy);
		log_warnx("%s", o->problem);
		o->map = json_object_new_object();
	}
	free(prev);
	return o;
}

void
overrides_free(struct overrides *o)
{
	if (o == NULL)
		return;
	json_object_put(o->map);
	free(o->path);
	free(o->problem);
	free(o);
}

const char *
overrides_problem(const struct overrides *o)
{
	return o != NULL ? o->problem : NULL;
}

static struct json_object *
entry(const struct overrides *o, const char *label)
{
	struct json_object *v;
	return o != NULL && json_object_object_get_ex(o->map, label, &v) ? v :
	    NULL;
}

enum override_kind
override_get(const struct overrides *o, const char *label)
{
	struct json_object *v = entry(o, label), *k;
	if (v == NULL)
		return OVERRIDE_NONE;
	if (json_object_is_type(v, json_type_string))	/* earlier format */
		return kind_of(json_object_get_string(v));
	return json_object_object_get_ex(v, "override", &k) ?
	    kind_of(json_object_get_string(k)) : OVERRIDE_NONE;
}

const char *
override_by(const struct overrides *o, const char *label, int64_t *when)
{
	struct json_object *v = entry(o, label), *by, *at;
	if (v == NULL || !json_object_is_type(v, json_type_object) ||
	    !json_object_object_get_ex(v, "by", &by))
		return NULL;
	*when = json_object_object_get_ex(v, "at", &at) ?
	    json_object_get_int64(at) : 0;
	return json_object_get_string(by);
}

/* fsync of the directory holding path: the rename is durable. */
static int
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Writes the map durably; the old file becomes the previous copy. */
static int
save(struct overrides *o)
{
	const char *text = json_object_to_json_string_ext(o->map,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *tmp = xasprintf("%s.tmp", o->path);
	char *prev = xasprintf("%s.prev", o->path);
	size_t len = strlen(text);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	int rc = -1;
	if (fd >= 0 && write(fd, text, len) == (ssize_t)len &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0) {
		close(fd);
		fd = -1;
		/* The current good copy becomes the previous one: a hard link,
		 * so the current name never vanishes. */
		unlink(prev);
		if ((link(o->path, prev) == 0 || errno == ENOENT) &&
		    rename(tmp, o->path) == 0 && sync_dir(o->path) == 0)
			rc = 0;
	}
	if (rc < 0) {
		log_warn("cannot save operator overrides to %s", o->path);
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(prev);
	return rc;
}

const char *
override_reason(const struct overrides *o, const char *label)
{
	struct json_object *v = entry(o, label), *r;
	return v != NULL && json_object_is_type(v, json_type_object) &&
	    json_object_object_get_ex(v, "reason", &r) ?
	    json_object_get_string(r) : NULL;
}

int
override_set(struct overrides *o, const char *label, enum override_kind k,
    const char *by)
{
	return override_set_reason(o, label, k, by, NULL);
}

int
override_set_reason(struct overrides *o, const char *label,
    enum override_kind k, const char *by, const char *reason)
{
	struct json_object *was = json_object_get(entry(o, label));
	if (k == OVERRIDE_NONE)
		json_object_object_del(o->map, label);
	else {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "override",
		    json_object_new_string(kind_words[k]));
		json_object_object_add(v, "by", json_object_new_string(by));
		json_object_object_add(v, "at", json_object_new_int64(time(NULL)));
		if (reason != NULL)
			json_object_object_add(v, "reason",
			    json_object_new_string(reason));
		json_object_object_add(o->map, label, v);
	}
	if (save(o) < 0) {	/* nothing changed */
		if (was != NULL)
			json_object_object_add(o->map, label, was);
		else
			json_object_object_del(o->map, label);
		return -1;
	}
	json_object_put(was);
	/* Saved again: what was lost at start is behind us. */
	free(o->problem);
	o->problem = NULL;
	return 0;
}
