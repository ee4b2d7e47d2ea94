/*
 * A check's TCP stream: non-blocking connect with its own timeout, an
 * optional TLS handshake (OpenSSL's non-blocking API), one request written
 * out, then the response handed to the check type as it arrives.
 * TCP, HTTP(S) and send/expect are built on it.
 */
#ifndef LVSD_HEALTHCHECK_CONN_H
#define LVSD_HEALTHCHECK_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcheck/hc_int.h"

struct ssl_st;

/*
 * Callbacks return 0 to go on, or 1 once they reported a result with
 * hc_result(): the run (and the conn inside it) may be gone by then.
 */
struct hc_conn_cbs {
	int (*on_ready)(struct hc_checker *ck);	/* connected (+TLS) */
	int (*on_sent)(struct hc_checker *ck);	/* output written */
	int (*on_data)(struct hc_checker *ck, const char *buf, size_t n);
	void (*on_eof)(struct hc_checker *ck);	/* must report */
};

enum hc_conn_phase {
	HC_CONN_IDLE, HC_CONN_CONNECTING, HC_CONN_HANDSHAKE, HC_CONN_WRITING,
	HC_CONN_READING,
};

struct hc_conn {
	struct hc_checker *ck;
	const struct hc_conn_cbs *cbs;
	int fd;
	sd_event_source *io;
	uint32_t events;		/* EPOLLIN or EPOLLOUT, as armed */
	sd_event_source *ctimer;	/* connect + handshake timeout */
	struct ssl_ctx_st *ctx;		/* reference from the TLS cache */
	struct ssl_st *ssl;
	enum hc_conn_phase phase;
	bool tls;
	char *out;
	size_t outlen, outoff;
	size_t nread;			/* bytes received so far */
};

/*
 * Starts connecting; tls: handshake once connected.  -1 after reporting the
 * failure.  The conn must be zeroed before (part of the run's calloc).
 */
int hc_conn_start(struct hc_conn *c, struct hc_checker *ck,
    const struct hc_conn_cbs *cbs, bool tls);
/* Bytes to write once ready (copied); may be called before or in on_ready. */
void hc_conn_set_output(struct hc_conn *c, const char *buf, size_t len);
void hc_conn_close(struct hc_conn *c);
const char *hc_conn_phase_name(const struct hc_conn *c);

#endif
