/* fuzz-sources: tests/fuzz/fuzz_proto_health.c daemon/proto.c daemon/proto_health.c healthcheck/config.c lib/msg.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The messages between the parent and the health-check process, both
 * ways, under libFuzzer: a stream of framed messages, each decoded as the
 * receiving side does; a decoded check setting encodes to a message that
 * decodes to equal settings.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "daemon/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_message(struct msg_in *in)
{
	char *id;
	struct hc_check_config c;
	struct proto_rs_state st;
	if (proto_check_get(in, &id, &c, &st) == 0) {
		struct msg_out o = { 0 };
		proto_check_put(&o, id, &c, &st);
		struct msg_in again;
		size_t used;
		const char *why;
		char *id2;
		struct hc_check_config c2;
		struct proto_rs_state st2;
		if (msg_parse(o.buf, o.len, &again, &used, &why) != 1 ||
		    proto_check_get(&again, &id2, &c2, &st2) < 0 ||
		    !hc_check_config_equal(&c, &c2))
			abort();
		free(id2);
		hc_check_config_clear(&c2);
		msg_out_free(&o);
	}
	free(id);
	hc_check_config_clear(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		struct msg_in in;
		size_t used;
		const char *why;
		if (msg_parse(data + off, size - off, &in, &used, &why) != 1)
			break;
		off += used;
		char *id, *reason, *line;
		enum hc_event_kind kind;
		int weight;
		struct proto_check_status *s;
		size_t n;
		struct proto_hello h;
		switch (in.type) {
		case PH_HELLO:
			(void)proto_hello_get(&in, &h);
			break;
		case PH_CHECK:
			check_message(&in);
			break;
		case PH_REMOVE:
			free(msg_get_str(&in));
			(void)msg_done(&in);
			break;
		case HP_EVENT:
			if (proto_event_get(&in, &id, &kind, &weight,
			    &reason, &line) == 0) {
				free(id);
				free(reason);
				free(line);
			}
			break;
		case HP_STATUS:
			if (proto_status_get(&in, &s, &n) == 0)
				proto_status_free(s, n);
			break;
		default:
			(void)msg_done(&in);
		}
	}
	return 0;
}
