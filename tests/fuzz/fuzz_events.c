/* fuzz-sources: daemon/events.c */
/*
 * The daemon's `events` command and the "actor" of operator commands:
 * the input is a JSON request (as the control socket gets it), after a
 * few events recorded with strings cut from the input.  The reply lists
 * events in order, each after `since`.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	events_reset();
	unsigned n = size > 0 ? data[0] % 8 : 0;
	n = n < 7 ? n * 3 : EVENTS_RING + 50;	/* sometimes past the ring */
	for (unsigned i = 0; i < n; i++)
		events_record((enum event_kind)(i % 4), text, "UP", "DOWN", text,
		    i % 2 ? text : NULL);
	struct json_object *req = json_tokener_parse(text);
	char actor[72], why[256];
	if (events_actor(req, "operator", actor, sizeof(actor), why, sizeof(why)) == 0 &&
	    strlen(actor) > 64)
		abort();
	struct json_object *r = control_events(NULL, req, NULL, why, sizeof(why));
	if (r != NULL) {
		struct json_object *list, *since = NULL, *seq;
		json_object_object_get_ex(r, "events", &list);
		json_object_object_get_ex(req, "since", &since);
		int64_t prev = json_object_get_int64(since);
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object_object_get_ex(json_object_array_get_idx(list, i),
			    "seq", &seq);
			if (json_object_get_int64(seq) <= prev)
				abort();
			prev = json_object_get_int64(seq);
		}
	}
	json_object_put(r);
	json_object_put(req);
	free(text);
	return 0;
}
