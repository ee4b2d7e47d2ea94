/* fuzz-sources: web/snapshot.c web/schema.c web/history.c web/gzip.c lib/metrics_text.c lib/log.c lib/xalloc.c */
/*
 * lvsd's replies as lvsd-web reads them: the input is split at newlines
 * into the replies to `status`, `show` and `events` of one poll, twice
 * (a second poll over the first's state).  Each is validated; good ones
 * are rendered into /metrics text and the page's JSON, which must then
 * be one valid JSON document.  Bad ones are refused with a reason.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/history.h"
#include "web/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
line(const char **p, const char *end, size_t *len)
{
	const char *s = *p;
	const char *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
	*len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
	*p = nl != NULL ? nl + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_history *h = history_new(16);
	struct web_data wd;
	web_data_init(&wd, h);
	const char *p = (const char *)data, *end = p + size;
	for (int poll = 0; poll < 2; poll++) {
		size_t l1, l2, l3;
		const char *st = line(&p, end, &l1), *sh = line(&p, end, &l2);
		const char *ev = line(&p, end, &l3);
		int64_t now = 1800000000000LL + poll * 10000;
		if (web_ingest(&wd, st, l1, sh, l2, ev, l3, now) < 0 &&
		    wd.error[0] == '\0')
			abort();	/* refused without a reason */
		web_publish(&wd, now);
		struct snapshot *s = web_current(&wd);
		struct json_object *o = json_tokener_parse(s->doc[DOC_STATE].text);
		if (o == NULL)
			abort();	/* the page's JSON must parse */
		json_object_put(o);
		struct json_object *hj = history_service_json(h, "web", now);
		json_object_put(hj);
		snapshot_unref(s);
	}
	web_data_clear(&wd);
	history_free(h);
	return 0;
}
