/*
 * Messages between the parent and the health-check process: one check's
 * settings (with the health the parent knows of its server), transitions,
 * and what `lvsctl show` prints of each checker.  A decoded check setting
 * passes the healthcheck module's own validation or the message is bad.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/proto.h"
#include "lib/xalloc.h"

#define RANGE_LEN	4

static void
put_timing(struct msg_out *o, const struct hc_check_config *c)
{
	msg_put_u32(o, c->interval_ms);
	msg_put_u32(o, c->connect_timeout_ms);
	msg_put_u32(o, c->timeout_ms);
	msg_put_u32(o, c->jitter_ms);
	msg_put_u32(o, c->rise);
	msg_put_u32(o, c->fall);
	msg_put_u8(o, (uint8_t)c->init_state);
	msg_put_bool(o, c->icmp_precheck);
	msg_put_u32(o, c->max_response);
}

static void
get_timing(struct msg_in *in, struct hc_check_config *c)
{
	c->interval_ms = msg_get_u32(in);
	c->connect_timeout_ms = msg_get_u32(in);
	c->timeout_ms = msg_get_u32(in);
	c->jitter_ms = msg_get_u32(in);
	c->rise = msg_get_u32(in);
	c->fall = msg_get_u32(in);
	uint8_t init = msg_get_u8(in);
	if (init > HC_INIT_UP)
		msg_fail(in, "an unknown initial state");
	c->init_state = (enum hc_init_state)init;
	c->icmp_precheck = msg_get_bool(in);
	c->max_response = msg_get_u32(in);
}

static void
put_http(struct msg_out *o, const struct hc_check_config *c)
{
	msg_put_u8(o, (uint8_t)c->http.method);
	msg_put_str(o, c->http.path);
	msg_put_str(o, c->http.host);
	msg_put_u32(o, (uint32_t)c->http.n_status);
	for (size_t i = 0; i < c->http.n_status; i++) {
		msg_put_u16(o, c->http.status[i].lo);
		msg_put_u16(o, c->http.status[i].hi);
	}
	msg_put_str(o, c->http.body_regex);
	msg_put_u8(o, (uint8_t)c->http.digest_alg);
	msg_put_bytes(o, c->http.digest, sizeof(c->http.digest));
	msg_put_str(o, c->tls.sni);
	msg_put_bool(o, c->tls.verify);
	msg_put_str(o, c->tls.ca_file);
	msg_put_str(o, c->tls.cert_file);
	msg_put_str(o, c->tls.key_file);
}

static void
get_http(struct msg_in *in, struct hc_check_config *c)
{
	uint8_t m = msg_get_u8(in);
	if (m > HC_HTTP_HEAD)
		msg_fail(in, "an unknown HTTP method");
	c->http.method = (enum hc_http_method)m;
	c->http.path = msg_get_str(in);
	c->http.host = msg_get_str(in);
	c->http.n_status = msg_get_count(in, RANGE_LEN);
	if (c->http.n_status > 0)
		c->http.status = xcalloc(c->http.n_status, sizeof(*c->http.status));
	for (size_t i = 0; i < c->http.n_status; i++) {
		c->http.status[i].lo = msg_get_u16(in);
		c->http.status[i].hi = msg_get_u16(in);
	}
	c->http.body_regex = msg_get_str(in);
	uint8_t alg = msg_get_u8(in);
	if (alg > HC_DIGEST_SHA256)
		msg_fail(in, "an unknown digest");
	c->http.digest_alg = (enum hc_digest_alg)alg;
	msg_get_bytes(in, c->http.digest, sizeof(c->http.digest));
	c->tls.sni = msg_get_str(in);
	c->tls.verify = msg_get_bool(in);
	c->tls.ca_file = msg_get_str(in);
	c->tls.cert_file = msg_get_str(in);
	c->tls.key_file = msg_get_str(in);
}

void
proto_check_put(struct msg_out *o, const char *id,
    const struct hc_check_config *c, const struct proto_rs_state *st)
{
	msg_begin(o, PH_CHECK);
	msg_put_str(o, id);
	msg_put_str(o, c->label);
	msg_put_u8(o, (uint8_t)c->type);
	msg_put_addr(o, &c->addr);
	msg_put_u16(o, c->port);
	put_timing(o, c);
	put_http(o, c);
	msg_put_bool(o, c->se.udp);
	msg_put_str(o, c->se.send);
	msg_put_str(o, c->se.expect);
	msg_put_bool(o, c->se.use_regex);
	msg_put_str(o, c->exec.command);
	msg_put_str(o, c->exec.user);
	msg_put_bool(o, c->exec.dynamic_weight);
	msg_put_bool(o, st->known);
	msg_put_bool(o, st->up);
	msg_put_i32(o, st->dyn_weight);
	msg_end(o);
}

int
proto_check_get(struct msg_in *in, char **id, struct hc_check_config *c,
    struct proto_rs_state *st)
{
	hc_check_config_init(c);
	*id = msg_get_str(in);
	c->label = msg_get_str(in);
	uint8_t type = msg_get_u8(in);
	if (type > HC_TYPE_ICMP)
		msg_fail(in, "an unknown check type");
	c->type = (enum hc_type)type;
	msg_get_addr(in, &c->addr);
	c->port = msg_get_u16(in);
	get_timing(in, c);
	get_http(in, c);
	c->se.udp = msg_get_bool(in);
	c->se.send = msg_get_str(in);
	c->se.expect = msg_get_str(in);
	c->se.use_regex = msg_get_bool(in);
	c->exec.command = msg_get_str(in);
	c->exec.user = msg_get_str(in);
	c->exec.dynamic_weight = msg_get_bool(in);
	st->known = msg_get_bool(in);
	st->up = msg_get_bool(in);
	st->dyn_weight = msg_get_i32(in);
	if (in->err == NULL && *id == NULL)
		msg_fail(in, "a check without an identity");
	char why[200];
	if (msg_done(in) && hc_check_config_validate(c, why, sizeof(why)) < 0)
		msg_fail(in, "a check the healthcheck module refuses");
	return in->err == NULL ? 0 : -1;
}

void
proto_event_put(struct msg_out *o, const char *id, const struct hc_event *ev)
{
	msg_begin(o, HP_EVENT);
	msg_put_str(o, id);
	msg_put_u8(o, (uint8_t)ev->kind);
	msg_put_i32(o, ev->weight);
	msg_put_str(o, ev->reason);
	msg_put_str(o, ev->line);
	msg_end(o);
}

int
proto_event_get(struct msg_in *in, char **id, enum hc_event_kind *kind,
    int *weight, char **reason, char **line)
{
	*id = msg_get_str(in);
	uint8_t k = msg_get_u8(in);
	if (k > HC_EV_WEIGHT)
		msg_fail(in, "an unknown kind of health event");
	*kind = (enum hc_event_kind)k;
	*weight = msg_get_i32(in);
	if (*weight < -1 || *weight > 65535)
		msg_fail(in, "a weight out of range");
	*reason = msg_get_str(in);
	*line = msg_get_str(in);
	if (in->err == NULL && *id == NULL)
		msg_fail(in, "an event without an identity");
	if (msg_done(in))
		return 0;
	free(*id);
	free(*reason);
	free(*line);
	*id = *reason = *line = NULL;
	return -1;
}

void
proto_status_begin(struct msg_out *o, size_t n)
{
	msg_begin(o, HP_STATUS);
	msg_put_u32(o, (uint32_t)n);
}

void
proto_status_add(struct msg_out *o, const struct proto_check_status *s)
{
	msg_put_str(o, s->id);
	msg_put_u64(o, s->checks);
	msg_put_u64(o, s->transitions);
	msg_put_str(o, s->last_result);
}

void
proto_status_put(struct msg_out *o, const struct proto_check_status *s,
    size_t n)
{
	proto_status_begin(o, n);
	for (size_t i = 0; i < n; i++)
		proto_status_add(o, &s[i]);
	msg_end(o);
}

/* One entry; s->id points into idbuf. */
static bool
status_entry(struct msg_in *in, struct proto_check_status *s, char *idbuf,
    size_t idlen)
{
	msg_get_strbuf(in, idbuf, idlen);
	s->id = idbuf;
	s->checks = msg_get_u64(in);
	s->transitions = msg_get_u64(in);
	msg_get_strbuf(in, s->last_result, sizeof(s->last_result));
	if (in->err == NULL && idbuf[0] == '\0')
		msg_fail(in, "a status without an identity");
	return in->err == NULL;
}

int
proto_status_each(struct msg_in *in, proto_status_fn *fn, void *arg)
{
	size_t n = msg_get_count(in, 4 + 16 + 4);
	struct proto_check_status s;
	char id[PROTO_ID_MAX];
	for (size_t i = 0; i < n && status_entry(in, &s, id, sizeof(id)); i++)
		fn(arg, &s);
	return msg_done(in) ? 0 : -1;
}

int
proto_status_get(struct msg_in *in, struct proto_check_status **s, size_t *n)
{
	*n = msg_get_count(in, 4 + 16 + 4);
	*s = *n > 0 ? xcalloc(*n, sizeof(**s)) : NULL;
	size_t i;
	char id[PROTO_ID_MAX];
	for (i = 0; i < *n && status_entry(in, &(*s)[i], id, sizeof(id)); i++)
		(*s)[i].id = xstrdup(id);
	if (msg_done(in))
		return 0;
	proto_status_free(*s, i);
	*s = NULL;
	*n = 0;
	return -1;
}

void
proto_status_free(struct proto_check_status *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].id);
	free(s);
}
