/* fuzz-sources: tests/fuzz/fuzz_proto_failover.c daemon/proto.c daemon/proto_failover.c daemon/plan_failover.c daemon/node.c cfg/diag.c vrrp/config.c lib/msg.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The messages between the parent and the failover process, both ways,
 * under libFuzzer: the input is a stream of framed messages, each decoded
 * as the receiving side does.  A decoded plan must encode to a message
 * that decodes to the same plan again.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_plan(const struct plan_failover *a, const struct plan_failover *b)
{
	if (a->mode != b->mode || a->ninstances != b->ninstances ||
	    a->nvips != b->nvips || a->pulse.nvips != b->pulse.nvips ||
	    strcmp(a->active, b->active) != 0 ||
	    a->announce.table != b->announce.table ||
	    a->announce.protocol != b->announce.protocol ||
	    a->announce.hold != b->announce.hold ||
	    strcmp(a->announce.ifname, b->announce.ifname) != 0 ||
	    a->stop_delay_ms != b->stop_delay_ms)
		abort();
	for (size_t i = 0; i < a->ninstances; i++)
		if (strcmp(a->instances[i].name, b->instances[i].name) != 0 ||
		    a->instances[i].nvips != b->instances[i].nvips ||
		    a->instances[i].npeers != b->instances[i].npeers)
			abort();
}

static void
plan_message(struct msg_in *in)
{
	struct plan_failover pf;
	if (proto_failover_get(in, &pf) == 0) {
		struct msg_out o = { 0 };
		msg_begin(&o, PF_PREPARE);
		proto_failover_put(&o, &pf);
		msg_end(&o);
		struct msg_in again;
		size_t used;
		const char *why;
		struct plan_failover back;
		if (msg_parse(o.buf, o.len, &again, &used, &why) != 1 ||
		    proto_failover_get(&again, &back) < 0 || !msg_done(&again))
			abort();
		same_plan(&pf, &back);
		plan_failover_clear(&back);
		msg_out_free(&o);
		if (in->type == PF_START) {
			uint32_t n = msg_get_count(in, 4);
			for (uint32_t i = 0; i < n && in->err == NULL; i++)
				free(msg_get_str(in));
		}
		(void)msg_done(in);
	}
	plan_failover_clear(&pf);
}

/* PF_ANNOUNCE and FP_ANNOUNCED: decoded, encoded, decoded alike. */
static void
announce_messages(struct msg_in *in)
{
	struct msg_out o = { 0 };
	struct msg_in again;
	size_t used;
	const char *why;
	if (in->type == PF_ANNOUNCE) {
		struct lvs_addr *v, *w;
		size_t n, m;
		if (proto_announce_get(in, &v, &n) < 0)
			return;
		proto_announce_put(&o, v, n);
		if (msg_parse(o.buf, o.len, &again, &used, &why) != 1 ||
		    proto_announce_get(&again, &w, &m) < 0 || m != n)
			abort();
		free(v);
		free(w);
	} else {
		struct proto_announced a, b;
		if (proto_announced_get(in, &a) < 0)
			return;
		proto_announced_put(&o, &a);
		if (msg_parse(o.buf, o.len, &again, &used, &why) != 1 ||
		    proto_announced_get(&again, &b) < 0 || b.nvips != a.nvips ||
		    b.withdrawn != a.withdrawn || b.failures != a.failures ||
		    strcmp(b.last_error, a.last_error) != 0)
			abort();
		proto_announced_clear(&a);
		proto_announced_clear(&b);
	}
	msg_out_free(&o);
}

static void
one(struct msg_in *in)
{
	struct proto_hello h;
	char name[VRRP_NAME_MAX];
	enum vrrp_state old, new;
	enum vrrp_reason why;
	struct proto_stats *s;
	size_t n;
	switch (in->type) {
	case PF_HELLO:
		(void)proto_hello_get(in, &h);
		break;
	case PF_START:
	case PF_PREPARE:
		plan_message(in);
		break;
	case PF_ANNOUNCE:
	case FP_ANNOUNCED:
		announce_messages(in);
		break;
	case PF_WITHDRAW:
		(void)msg_get_bool(in);
		(void)msg_done(in);
		break;
	case PF_DRILL:
		(void)msg_get_u32(in);
		(void)msg_get_bool(in);
		(void)msg_done(in);
		break;
	case FP_ROLE:
		(void)proto_role_get(in, name, sizeof(name), &old, &new, &why);
		break;
	case FP_STATS:
		if (proto_stats_get(in, &s, &n) == 0)
			free(s);
		break;
	case FP_STARTED:
	case FP_PREPARED:
		(void)msg_get_bool(in);
		free(msg_get_str(in));
		(void)msg_done(in);
		break;
	default:
		(void)msg_done(in);
	}
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
		one(&in);
		off += used;
	}
	return 0;
}
