/*
 * Messages between lvsd's processes: encoding, decoding and a framed
 * connection on sd-event.  See lib/msg.h for the format.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/msg.h"
#include "lib/xalloc.h"

#define NO_STRING	0xffffffffu
#define ADDR_LEN	17		/* u8 family + 16 bytes */

/* ---- writing ---------------------------------------------------------- */

static uint8_t *
room(struct msg_out *o, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap < o->len + n)
			cap *= 2;
		o->buf = xrealloc(o->buf, cap);
		o->cap = cap;
	}
	uint8_t *p = o->buf + o->len;
	o->len += n;
	return p;
}

static void
put_le(struct msg_out *o, uint64_t v, size_t n)
{
	uint8_t *p = room(o, n);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
msg_begin(struct msg_out *o, uint8_t type)
{
	o->start = o->len;
	uint8_t *h = room(o, MSG_HDR_LEN);
	memset(h, 0, MSG_HDR_LEN);
	h[0] = MSG_VERSION;
	h[1] = type;
}

void msg_put_u8(struct msg_out *o, uint8_t v) { put_le(o, v, 1); }
void msg_put_u16(struct msg_out *o, uint16_t v) { put_le(o, v, 2); }
void msg_put_u32(struct msg_out *o, uint32_t v) { put_le(o, v, 4); }
void msg_put_u64(struct msg_out *o, uint64_t v) { put_le(o, v, 8); }
void msg_put_i32(struct msg_out *o, int32_t v) { put_le(o, (uint32_t)v, 4); }
void msg_put_bool(struct msg_out *o, bool v) { put_le(o, v ? 1 : 0, 1); }

void
msg_put_bytes(struct msg_out *o, const void *p, size_t n)
{
	if (n > 0)
		memcpy(room(o, n), p, n);
}

void
msg_put_str(struct msg_out *o, const char *s)
{
	if (s == NULL) {
		msg_put_u32(o, NO_STRING);
		return;
	}
	size_t n = strlen(s);
	msg_put_u32(o, (uint32_t)n);
	msg_put_bytes(o, s, n);
}

void
msg_put_addr(struct msg_out *o, const struct lvs_addr *a)
{
	uint8_t *p = room(o, ADDR_LEN);
	memset(p, 0, ADDR_LEN);
	p[0] = a->af == AF_INET ? 4 : a->af == AF_INET6 ? 6 : 0;
	if (a->af == AF_INET)
		memcpy(p + 1, &a->u.v4, 4);
	else if (a->af == AF_INET6)
		memcpy(p + 1, &a->u.v6, 16);
}

void
msg_end(struct msg_out *o)
{
	uint32_t n = (uint32_t)(o->len - o->start - MSG_HDR_LEN);
	uint8_t *h = o->buf + o->start;
	for (int i = 0; i < 4; i++)
		h[4 + i] = (uint8_t)(n >> (8 * i));
}

void
msg_out_free(struct msg_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

/* ---- reading ---------------------------------------------------------- */

int
msg_parse(const uint8_t *buf, size_t len, struct msg_in *in, size_t *used,
    const char **why)
{
	if (len < MSG_HDR_LEN)
		return 0;
	if (buf[0] != MSG_VERSION) {
		*why = "message of another protocol version";
		return -1;
	}
	if (buf[2] != 0 || buf[3] != 0) {
		*why = "message header with reserved bits set";
		return -1;
	}
	uint32_t n = (uint32_t)buf[4] | (uint32_t)buf[5] << 8 |
	    (uint32_t)buf[6] << 16 | (uint32_t)buf[7] << 24;
	if (n > MSG_MAX_PAYLOAD) {
		*why = "message longer than the protocol allows";
		return -1;
	}
	if (len - MSG_HDR_LEN < n)
		return 0;
	memset(in, 0, sizeof(*in));
	in->type = buf[1];
	in->p = buf + MSG_HDR_LEN;
	in->len = n;
	*used = MSG_HDR_LEN + (size_t)n;
	return 1;
}

void
msg_fail(struct msg_in *in, const char *why)
{
	if (in->err == NULL)
		in->err = why;
}

static const uint8_t *
take(struct msg_in *in, size_t n)
{
	if (in->err != NULL || in->len - in->off < n) {
		msg_fail(in, "message too short");
		return NULL;
	}
	const uint8_t *p = in->p + in->off;
	in->off += n;
	return p;
}

static uint64_t
get_le(struct msg_in *in, size_t n)
{
	const uint8_t *p = take(in, n);
	uint64_t v = 0;
	for (size_t i = 0; p != NULL && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint8_t msg_get_u8(struct msg_in *in) { return (uint8_t)get_le(in, 1); }
uint16_t msg_get_u16(struct msg_in *in) { return (uint16_t)get_le(in, 2); }
uint32_t msg_get_u32(struct msg_in *in) { return (uint32_t)get_le(in, 4); }
uint64_t msg_get_u64(struct msg_in *in) { return get_le(in, 8); }
int32_t msg_get_i32(struct msg_in *in) { return (int32_t)(uint32_t)get_le(in, 4); }

bool
msg_get_bool(struct msg_in *in)
{
	uint8_t v = msg_get_u8(in);
	if (v > 1)
		msg_fail(in, "a flag that is neither 0 nor 1");
	return v == 1;
}

void
msg_get_bytes(struct msg_in *in, void *p, size_t n)
{
	const uint8_t *s = take(in, n);
	if (s != NULL)
		memcpy(p, s, n);
	else
		memset(p, 0, n);
}

/* A string's bytes (and length) in the payload, or NULL. */
static const char *
get_str_span(struct msg_in *in, uint32_t *n)
{
	*n = msg_get_u32(in);
	if (*n == NO_STRING || in->err != NULL)
		return NULL;
	if (*n > MSG_MAX_STRING) {
		msg_fail(in, "string longer than the protocol allows");
		return NULL;
	}
	const char *s = (const char *)take(in, *n);
	if (s != NULL && memchr(s, '\0', *n) != NULL) {
		msg_fail(in, "string with a NUL byte");
		return NULL;
	}
	return s;
}

char *
msg_get_str(struct msg_in *in)
{
	uint32_t n;
	const char *s = get_str_span(in, &n);
	if (s == NULL)
		return NULL;
	char *r = xmalloc((size_t)n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

void
msg_get_strbuf(struct msg_in *in, char *buf, size_t len)
{
	uint32_t n;
	const char *s = get_str_span(in, &n);
	buf[0] = '\0';
	if (s == NULL)
		return;
	if ((size_t)n >= len) {
		msg_fail(in, "string too long for its field");
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

void
msg_get_addr(struct msg_in *in, struct lvs_addr *a)
{
	uint8_t b[ADDR_LEN];
	msg_get_bytes(in, b, sizeof(b));
	memset(a, 0, sizeof(*a));
	if (b[0] == 4) {
		a->af = AF_INET;
		memcpy(&a->u.v4, b + 1, 4);
	} else if (b[0] == 6) {
		a->af = AF_INET6;
		memcpy(&a->u.v6, b + 1, 16);
	} else if (b[0] != 0)
		msg_fail(in, "address of an unknown family");
}

uint32_t
msg_get_count(struct msg_in *in, size_t min_size)
{
	uint32_t n = msg_get_u32(in);
	if (in->err == NULL && min_size > 0 &&
	    (uint64_t)n * min_size > in->len - in->off) {
		msg_fail(in, "a count larger than the message");
		return 0;
	}
	return in->err == NULL ? n : 0;
}

bool
msg_done(struct msg_in *in)
{
	if (in->err == NULL && in->off != in->len)
		msg_fail(in, "message longer than its contents");
	return in->err == NULL;
}

/* ---- a connection on the event loop ----------------------------------- */

struct msg_conn {
	int fd;
	sd_event_source *io;
	msg_recv_fn *recv;
	msg_close_fn *close_fn;
	void *arg;
	uint8_t *in;			/* received, not yet a whole message */
	size_t inlen, incap;
	struct msg_out out;		/* to write; out.start = written */
	size_t written;
	size_t out_limit;
	bool closed;
};

static void
conn_close(struct msg_conn *c, const char *why)
{
	if (c->closed)
		return;
	c->closed = true;
	sd_event_source_set_enabled(c->io, SD_EVENT_OFF);
	c->close_fn(c->arg, why);	/* may free c */
}

static void
want(struct msg_conn *c)
{
	sd_event_source_set_io_events(c->io, EPOLLIN |
	    (c->written < c->out.len ? EPOLLOUT : 0));
}

static void
conn_write(struct msg_conn *c)
{
	while (c->written < c->out.len) {
		ssize_t n = write(c->fd, c->out.buf + c->written,
		    c->out.len - c->written);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN)
				conn_close(c, strerror(errno));
			break;
		}
		c->written += (size_t)n;
	}
	if (c->closed)
		return;
	if (c->written == c->out.len) {
		c->out.len = c->written = 0;
		if (c->out.cap > (1u << 20)) {	/* give back a big plan's room */
			msg_out_free(&c->out);
		}
	}
	want(c);
}

/* Hands over every whole message received; false if c was closed. */
static bool
deliver(struct msg_conn *c)
{
	size_t off = 0;
	while (!c->closed) {
		struct msg_in in;
		size_t used;
		const char *why = NULL;
		int r = msg_parse(c->in + off, c->inlen - off, &in, &used, &why);
		if (r < 0) {
			conn_close(c, why);
			return false;
		}
		if (r == 0)
			break;
		off += used;
		c->recv(c->arg, &in);
	}
	if (c->closed)
		return false;
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	return true;
}

static void
conn_read(struct msg_conn *c)
{
	/* Bounded per call: other sources run between big messages. */
	for (int rounds = 0; rounds < 16 && !c->closed; rounds++) {
		if (c->incap - c->inlen < 65536) {
			size_t cap = c->incap ? c->incap * 2 : 131072;
			if (cap > MSG_MAX_PAYLOAD + MSG_HDR_LEN + 65536)
				cap = MSG_MAX_PAYLOAD + MSG_HDR_LEN + 65536;
			if (cap - c->inlen < 4096) {
				conn_close(c, "message larger than the protocol "
				    "allows");
				return;
			}
			c->in = xrealloc(c->in, cap);
			c->incap = cap;
		}
		ssize_t n = read(c->fd, c->in + c->inlen, c->incap - c->inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			conn_close(c, n == 0 ? "closed by the peer" :
			    strerror(errno));
			return;
		}
		c->inlen += (size_t)n;
		if (!deliver(c))
			return;
	}
}

static int
on_io(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	(void)s;
	(void)fd;
	struct msg_conn *c = arg;
	if (revents & EPOLLOUT)
		conn_write(c);
	if (!c->closed && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		conn_read(c);
	return 0;
}

struct msg_conn *
msg_conn_new(sd_event *ev, int fd, int64_t priority, size_t out_limit,
    msg_recv_fn *recv, msg_close_fn *close_fn, void *arg)
{
	struct msg_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->recv = recv;
	c->close_fn = close_fn;
	c->arg = arg;
	c->out_limit = out_limit;
	if (sd_event_add_io(ev, &c->io, fd, EPOLLIN, on_io, c) < 0) {
		close(fd);
		free(c);
		return NULL;
	}
	sd_event_source_set_priority(c->io, priority);
	return c;
}

void
msg_conn_free(struct msg_conn *c)
{
	if (c == NULL)
		return;
	sd_event_source_disable_unref(c->io);
	close(c->fd);
	free(c->in);
	msg_out_free(&c->out);
	free(c);
}

int
msg_conn_send(struct msg_conn *c, struct msg_out *o)
{
	if (c == NULL || c->closed ||
	    c->out.len - c->written + o->len > c->out_limit) {
		o->len = 0;
		return -1;
	}
	if (c->written == c->out.len && c->out.len == 0 && c->out.buf == NULL) {
		/* Nothing queued: take o's buffer as it is. */
		c->out = *o;
		memset(o, 0, sizeof(*o));
	} else {
		msg_put_bytes(&c->out, o->buf, o->len);
		o->len = 0;
	}
	conn_write(c);
	return 0;
}

size_t
msg_conn_pending(const struct msg_conn *c)
{
	return c == NULL ? 0 : c->out.len - c->written;
}

void
msg_conn_flush(struct msg_conn *c, int timeout_ms)
{
	uint64_t end = mono_usec() + (uint64_t)timeout_ms * 1000;
	while (c != NULL && !c->closed && c->written < c->out.len) {
		uint64_t now = mono_usec();
		if (now >= end)
			return;
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };
		if (poll(&p, 1, (int)((end - now) / 1000) + 1) <= 0)
			return;
		conn_write(c);
	}
}
