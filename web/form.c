/* Form bodies, admin actions and the same-origin rule. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xalloc.h"
#include "web/form.h"

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes s[0..n) into out (size cap); the length, or -1 with err. */
static int
decode(const char *s, size_t n, char *out, size_t cap, size_t at, char *err,
    size_t errlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				snprintf(err, errlen, "form: byte %zu: `%%` must be "
				    "followed by two hex digits", at + i + 1);
				return -1;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if ((unsigned char)c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, "form: byte %zu: control character",
			    at + i + 1);
			return -1;
		}
		if (o + 1 >= cap) {
			snprintf(err, errlen, "form: byte %zu: field longer than "
			    "%zu bytes", at + 1, cap - 1);
			return -1;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return (int)o;
}

int
form_parse(struct form *form, const char *body, size_t len, char *err,
    size_t errlen)
{
	memset(form, 0, sizeof(*form));
	if (len > FORM_MAX_BODY) {
		snprintf(err, errlen, "form: larger than %d bytes", FORM_MAX_BODY);
		return -1;
	}
	size_t start = 0;
	while (start < len) {
		const char *amp = memchr(body + start, '&', len - start);
		size_t end = amp != NULL ? (size_t)(amp - body) : len;
		const char *eq = memchr(body + start, '=', end - start);
		if (end == start) {
			start = end + 1;
			continue;
		}
		if (eq == NULL) {
			snprintf(err, errlen, "form: byte %zu: expected name=value",
			    start + 1);
			return -1;
		}
		if (form->n == FORM_MAX_FIELDS) {
			snprintf(err, errlen, "form: more than %d fields",
			    FORM_MAX_FIELDS);
			return -1;
		}
		size_t nlen = (size_t)(eq - body) - start;
		size_t vstart = (size_t)(eq - body) + 1;
		if (decode(body + start, nlen, form->f[form->n].name,
		    sizeof(form->f[0].name), start, err, errlen) < 0 ||
		    decode(body + vstart, end - vstart, form->f[form->n].value,
		    sizeof(form->f[0].value), vstart, err, errlen) < 0)
			return -1;
		for (size_t i = 0; i < form->n; i++)
			if (strcmp(form->f[i].name, form->f[form->n].name) == 0) {
				snprintf(err, errlen, "form: field `%s` given twice",
				    form->f[i].name);
				return -1;
			}
		form->n++;
		start = end + 1;
	}
	return 0;
}

const char *
form_get(const struct form *form, const char *name)
{
	for (size_t i = 0; i < form->n; i++)
		if (strcmp(form->f[i].name, name) == 0)
			return form->f[i].value;
	return NULL;
}

static const char *const action_names[] = {
	[ACT_DRAIN] = "drain", [ACT_DISABLE] = "disable",
	[ACT_ENABLE] = "enable", [ACT_FAILOVER] = "failover",
};

const char *
web_action_name(enum web_action_kind k)
{
	return action_names[k];
}

/* VIRTUAL/SERVER as lvs.cf names them: printable, no blank, one slash. */
static bool
server_label_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	if (slash == NULL || slash == s || slash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL || strlen(s) >= 256)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    *s == '"' || *s == '\\')
			return false;
	return true;
}

int
web_action_parse(const struct form *form, struct web_action *a, char *err,
    size_t errlen)
{
	memset(a, 0, sizeof(*a));
	const char *act = form_get(form, "action");
	size_t k;
	for (k = 0; act != NULL && k < sizeof(action_names) /
	    sizeof(action_names[0]); k++)
		if (strcmp(act, action_names[k]) == 0)
			break;
	if (act == NULL || k == sizeof(action_names) / sizeof(action_names[0])) {
		snprintf(err, errlen, "`action`: expected drain, disable, enable "
		    "or failover");
		return -1;
	}
	a->kind = (enum web_action_kind)k;
	if (a->kind == ACT_FAILOVER) {
		const char *hold = form_get(form, "hold");
		char *end;
		unsigned long h = hold != NULL && hold[0] >= '0' && hold[0] <= '9' ?
		    strtoul(hold, &end, 10) : 0;
		if (hold != NULL && (hold[0] < '0' || hold[0] > '9' ||
		    *end != '\0' || strlen(hold) > 5 || h > 86400)) {
			snprintf(err, errlen, "`hold`: expected seconds from 0 to "
			    "86400");
			return -1;
		}
		a->hold_s = (unsigned)h;
		return 0;
	}
	const char *server = form_get(form, "server");
	if (server == NULL || !server_label_ok(server)) {
		snprintf(err, errlen, "`server`: expected VIRTUAL/SERVER as named "
		    "in lvs.cf");
		return -1;
	}
	snprintf(a->server, sizeof(a->server), "%s", server);
	return 0;
}

char *
web_action_request(const struct web_action *a, const char *actor)
{
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "command",
	    json_object_new_string(action_names[a->kind]));
	if (a->kind == ACT_FAILOVER)
		json_object_object_add(r, "hold", json_object_new_int((int)a->hold_s));
	else
		json_object_object_add(r, "server", json_object_new_string(a->server));
	json_object_object_add(r, "actor", json_object_new_string(actor));
	char *s = xstrdup(json_object_to_json_string_ext(r,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(r);
	return s;
}

/* "scheme://host[:port]" of a URL (the Referer's start); false if none. */
static bool
url_origin(const char *url, char *out, size_t len)
{
	const char *p = strstr(url, "://");
	if (p == NULL || p == url)
		return false;
	const char *end = p + 3 + strcspn(p + 3, "/?#");
	if ((size_t)(end - url) >= len)
		return false;
	snprintf(out, len, "%.*s", (int)(end - url), url);
	return true;
}

bool
web_same_origin(const char *origin, const char *referer, const char *host,
    bool tls)
{
	char want[300], got[300];
	if (host == NULL || strlen(host) > 255)
		return false;
	snprintf(want, sizeof(want), "%s://%s", tls ? "https" : "http", host);
	if (origin != NULL)
		return strcmp(origin, want) == 0;
	if (referer != NULL)
		return url_origin(referer, got, sizeof(got)) &&
		    strcmp(got, want) == 0;
	return true;
}

bool
web_user_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

bool
web_accepts_gzip(const char *h)
{
	while (h != NULL && *h != '\0') {
		while (*h == ' ' || *h == ',' || *h == '\t')
			h++;
		size_t n = strcspn(h, ",");
		size_t name = strcspn(h, " \t;,");
		if ((name == 4 && strncasecmp(h, "gzip", 4) == 0) ||
		    (name == 1 && h[0] == '*')) {
			const char *q = memchr(h, ';', n);
			/* q=0, 0.0, 0.00...: refused; any other weight: accepted. */
			if (q == NULL)
				return true;
			q++;
			while (*q == ' ')
				q++;
			if (strncmp(q, "q=", 2) != 0)
				return true;
			q += 2;
			bool zero = *q == '0';
			for (q++; zero && q < h + n && *q != ' '; q++)
				zero = *q == '0' || *q == '.';
			return !zero;
		}
		h += n;
	}
	return false;
}
