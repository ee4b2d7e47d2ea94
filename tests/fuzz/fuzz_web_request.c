/* fuzz-sources: web/form.c lib/log.c lib/xalloc.c */
/*
 * What lvsd-web reads of a browser's request beyond libmicrohttpd: the
 * input is split at NUL bytes into a form body, an Origin, a Referer and
 * a Host.  The form is parsed, the action it asks for validated and
 * turned into lvsd's control request (which must be one JSON object
 * naming exactly that action), and the same-origin rule evaluated.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
part(const char **p, const char *end)
{
	if (*p >= end)
		return NULL;
	const char *s = *p;
	const char *nul = memchr(s, '\0', (size_t)(end - s));
	*p = nul != NULL ? nul + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *p = buf, *end = buf + size;
	const char *body = part(&p, end);
	size_t blen = strlen(body != NULL ? body : "");
	const char *origin = part(&p, end), *referer = part(&p, end);
	const char *host = part(&p, end);
	struct form f;
	char err[256];
	if (form_parse(&f, body != NULL ? body : "", blen, err, sizeof(err)) == 0) {
		struct web_action a;
		if (web_action_parse(&f, &a, err, sizeof(err)) == 0) {
			char *req = web_action_request(&a, "web:fuzz");
			struct json_object *o = json_tokener_parse(req);
			struct json_object *cmd;
			if (o == NULL || !json_object_object_get_ex(o, "command", &cmd) ||
			    strcmp(json_object_get_string(cmd),
			    web_action_name(a.kind)) != 0)
				abort();
			json_object_put(o);
			free(req);
		}
	}
	(void)web_same_origin(origin, referer, host, size % 2 == 0);
	(void)web_user_name_ok(body != NULL ? body : "");
	(void)web_accepts_gzip(host);
	free(buf);
	return 0;
}
