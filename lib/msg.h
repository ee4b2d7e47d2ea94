/*
 * Messages between lvsd's processes (the parent, the failover process and
 * the health-check process) over a socketpair.
 *
 * Framing: every message is an 8-byte header and a payload:
 *
 *	u8  version	MSG_VERSION; a process refuses any other
 *	u8  type	per channel (daemon/proto.h)
 *	u16 reserved	0
 *	u32 length	of the payload, at most MSG_MAX_PAYLOAD
 *
 * Payloads are sequences of fixed-size little-endian integers, strings
 * (u32 length then bytes, 0xffffffff for none; no NUL inside) and
 * addresses (u8 family then 16 bytes), in the order each message's
 * encoder writes them (daemon/proto_*.c).  A reader checks every length
 * against what is left: a short, long or malformed message is an error
 * that names the message, never a crash or a guessed value.  A process
 * trusts the other's messages no more than a packet from the network.
 */
#ifndef LVSD_LIB_MSG_H
#define LVSD_LIB_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

typedef struct sd_event sd_event;
typedef struct sd_event_source sd_event_source;

#define MSG_VERSION		1
#define MSG_HDR_LEN		8
#define MSG_MAX_PAYLOAD		(64u << 20)	/* a 10,000-service plan is ~3 MB */
#define MSG_MAX_STRING		(1u << 20)

/* ---- writing ---------------------------------------------------------- */

/* A growable buffer of whole messages. */
struct msg_out {
	uint8_t *buf;
	size_t len, cap;
	size_t start;			/* header of the message being built */
};

/* Starts a message of type; the payload follows with msg_put_*. */
void msg_begin(struct msg_out *o, uint8_t type);
void msg_put_u8(struct msg_out *o, uint8_t v);
void msg_put_u16(struct msg_out *o, uint16_t v);
void msg_put_u32(struct msg_out *o, uint32_t v);
void msg_put_u64(struct msg_out *o, uint64_t v);
void msg_put_i32(struct msg_out *o, int32_t v);
void msg_put_bool(struct msg_out *o, bool v);
/* s may be NULL (read back as NULL). */
void msg_put_str(struct msg_out *o, const char *s);
void msg_put_bytes(struct msg_out *o, const void *p, size_t n);
void msg_put_addr(struct msg_out *o, const struct lvs_addr *a);
/* Ends the message: fills its length. */
void msg_end(struct msg_out *o);
void msg_out_free(struct msg_out *o);

/* ---- reading ---------------------------------------------------------- */

struct msg_in {
	uint8_t type;
	const uint8_t *p;		/* the payload */
	size_t len, off;
	const char *err;		/* first problem, or NULL */
};

/*
 * Parses one message at the front of buf: 1 with *in set and *used its
 * whole length, 0 if buf holds only part of one, -1 if the header is bad
 * (*why says how: the stream cannot be trusted any further).
 */
int msg_parse(const uint8_t *buf, size_t len, struct msg_in *in, size_t *used,
    const char **why);

uint8_t msg_get_u8(struct msg_in *in);
uint16_t msg_get_u16(struct msg_in *in);
uint32_t msg_get_u32(struct msg_in *in);
uint64_t msg_get_u64(struct msg_in *in);
int32_t msg_get_i32(struct msg_in *in);
bool msg_get_bool(struct msg_in *in);
/* A new string (or NULL if none was sent); the caller frees it. */
char *msg_get_str(struct msg_in *in);
/* A string into buf of size len (it must fit, with its NUL). */
void msg_get_strbuf(struct msg_in *in, char *buf, size_t len);
void msg_get_bytes(struct msg_in *in, void *p, size_t n);
void msg_get_addr(struct msg_in *in, struct lvs_addr *a);
/* A count of items of at least min_size bytes each that fits in what is
 * left (an error otherwise). */
uint32_t msg_get_count(struct msg_in *in, size_t min_size);
/* Marks the message bad (the first reason is kept). */
void msg_fail(struct msg_in *in, const char *why);
/* True when everything read was there and nothing is left over. */
bool msg_done(struct msg_in *in);

/* ---- a connection on the event loop ----------------------------------- */

struct msg_conn;

/* Called with each whole message; in is valid during the call. */
typedef void msg_recv_fn(void *arg, struct msg_in *in);
/* Called once when the peer closes, or the stream is broken (why).  It
 * must not free the connection (do that after the handler returns). */
typedef void msg_close_fn(void *arg, const char *why);

/*
 * Serves fd (a connected stream socket, taken over) on ev at priority:
 * reads whole messages, writes queued ones without blocking.  out_limit
 * caps what may wait to be written; msg_conn_send refuses beyond it.
 */
struct msg_conn *msg_conn_new(sd_event *ev, int fd, int64_t priority,
    size_t out_limit, msg_recv_fn *recv, msg_close_fn *close_fn, void *arg);
/* Closes fd and frees c.  NULL is fine. */
void msg_conn_free(struct msg_conn *c);
/*
 * Queues the whole messages of o (and empties o).  -1 if that would pass
 * the limit (nothing queued) or the connection is closed.
 */
int msg_conn_send(struct msg_conn *c, struct msg_out *o);
/* Bytes waiting to be written. */
size_t msg_conn_pending(const struct msg_conn *c);
/* Writes what is queued, blocking up to timeout_ms (at stop). */
void msg_conn_flush(struct msg_conn *c, int timeout_ms);

#endif
