/*
 * What both channels share: the hello each child gets first.
 */
#include "config.h"

#include "daemon/proto.h"

void
proto_hello_put(struct msg_out *o, uint8_t type, const struct proto_hello *h)
{
	msg_begin(o, type);
	msg_put_u32(o, h->version);
	msg_put_bool(o, h->syslog);
	msg_put_bool(o, h->debug);
	msg_put_bool(o, h->dry_run);
	msg_put_i32(o, h->nice);
	msg_put_u32(o, h->rt_priority);
	msg_put_u32(o, h->max_children);
	msg_put_u32(o, h->kill_grace_ms);
	msg_put_str(o, h->user[0] != '\0' ? h->user : NULL);
	msg_put_bool(o, h->icmp);
	msg_put_bool(o, h->programs);
	msg_end(o);
}

int
proto_hello_get(struct msg_in *in, struct proto_hello *h)
{
	h->version = msg_get_u32(in);
	h->syslog = msg_get_bool(in);
	h->debug = msg_get_bool(in);
	h->dry_run = msg_get_bool(in);
	h->nice = msg_get_i32(in);
	h->rt_priority = msg_get_u32(in);
	h->max_children = msg_get_u32(in);
	h->kill_grace_ms = msg_get_u32(in);
	msg_get_strbuf(in, h->user, sizeof(h->user));
	h->icmp = msg_get_bool(in);
	h->programs = msg_get_bool(in);
	if (in->err == NULL && h->version != PROTO_VERSION)
		msg_fail(in, "another protocol version");
	if (in->err == NULL && (h->nice < -20 || h->nice > 19 ||
	    h->rt_priority > 99))
		msg_fail(in, "scheduling settings out of range");
	return msg_done(in) ? 0 : -1;
}

