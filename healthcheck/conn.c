#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "healthcheck/conn.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/*
 * Edge-triggered: sd-event dispatches one source per loop iteration, so a
 * level-triggered socket that stays ready while thousands of others wait
 * their turn is reported again by every epoll_wait() of every iteration,
 * which made a burst of 3000 completed connects quadratic.  With EPOLLET a
 * readiness is reported once; every reader drains until EAGAIN.
 */
#define CONN_EPOLL_FLAGS EPOLLET

static void conn_ready(struct hc_conn *c);
static void conn_write(struct hc_conn *c);
static void conn_read(struct hc_conn *c);

const char *
hc_conn_phase_name(const struct hc_conn *c)
{
	switch (c->phase) {
	case HC_CONN_CONNECTING:
		return "connecting";
	case HC_CONN_HANDSHAKE:
		return "TLS handshake";
	case HC_CONN_WRITING:
		return "sending request";
	case HC_CONN_READING:
		return c->nread ? "reading response" : "waiting for response";
	case HC_CONN_IDLE:
		break;
	}
	return "idle";
}

void
hc_conn_close(struct hc_conn *c)
{
	if (c->ck == NULL)
		return;		/* never started */
	c->io = sd_event_source_disable_unref(c->io);
	c->ctimer = sd_event_source_disable_unref(c->ctimer);
	if (c->ssl) {
		/* No close_notify: the socket is reset right after. */
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->ctx) {
		hc_tls_ctx_put(c->ck->eng, c->ctx);
		c->ctx = NULL;
	}
	if (c->fd >= 0)
		hc_sock_close_rst(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
	c->outlen = c->outoff = 0;
	c->phase = HC_CONN_IDLE;
	c->ck = NULL;
}

void
hc_conn_set_output(struct hc_conn *c, const char *buf, size_t len)
{
	free(c->out);
	c->out = xmalloc(len ? len : 1);
	memcpy(c->out, buf, len);
	c->outlen = len;
	c->outoff = 0;
}

static void
set_events(struct hc_conn *c, uint32_t events)
{
	/* Changing the mask re-arms the edge: a ready socket reports again. */
	if (events != c->events) {
		c->events = events;
		sd_event_source_set_io_events(c->io, events | CONN_EPOLL_FLAGS);
	}
}

static void
tls_fail(struct hc_conn *c, const char *what, int ret)
{
	char buf[160];
	int e = SSL_get_error(c->ssl, ret);
	long vr = SSL_get_verify_result(c->ssl);

	if (c->phase == HC_CONN_HANDSHAKE && vr != X509_V_OK) {
		ERR_clear_error();
		hc_result(c->ck, false, -1, "TLS certificate verify failed: %s",
		    X509_verify_cert_error_string(vr));
		return;
	}
	hc_result(c->ck, false, -1, "%s: %s", what,
	    hc_tls_errstr(buf, sizeof(buf), ret, e));
}

/* Returns 0 when the TLS call must wait for the socket, -1 on failure. */
static int
tls_wait(struct hc_conn *c, int ret, const char *what)
{
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		set_events(c, EPOLLIN);
		return 0;
	case SSL_ERROR_WANT_WRITE:
		set_events(c, EPOLLOUT);
		return 0;
	default:
		tls_fail(c, what, ret);
		return -1;
	}
}

static void
conn_handshake(struct hc_conn *c)
{
	int ret;

	/* SSL_get_error() reads the thread's error queue: a stale entry
	 * from another check would turn WANT_READ into a failure. */
	ERR_clear_error();
	ret = SSL_connect(c->ssl);

	if (ret == 1) {
		conn_ready(c);
		return;
	}
	(void)tls_wait(c, ret, "TLS handshake");
}

/*
 * The TLS server name: tls.sni, else the HTTP Host header when it is a name
 * (not an address), without its port.  NULL: no SNI, no name check.
 */
static const char *
tls_name(const struct hc_check_config *cfg, char *buf, size_t len)
{
	struct lvs_addr a;

	if (cfg->tls.sni)
		return cfg->tls.sni;
	if (cfg->http.host == NULL || cfg->http.host[0] == '[')
		return NULL;
	snprintf(buf, len, "%s", cfg->http.host);
	buf[strcspn(buf, ":")] = '\0';
	return buf[0] && addr_parse(buf, &a) < 0 ? buf : NULL;
}

static int
tls_begin(struct hc_conn *c)
{
	const struct hc_check_config *cfg = c->ck->cfg;
	char err[160], namebuf[256];
	const char *name = tls_name(cfg, namebuf, sizeof(namebuf));

	c->ctx = hc_tls_ctx_get(c->ck->eng, cfg, err, sizeof(err));
	if (c->ctx == NULL) {
		hc_result(c->ck, false, -1, "TLS setup: %s", err);
		return -1;
	}
	c->ssl = SSL_new(c->ctx);
	if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
		hc_result(c->ck, false, -1, "TLS setup: %s",
		    hc_tls_errstr(err, sizeof(err), 0, SSL_ERROR_SSL));
		return -1;
	}
	if (name) {
		SSL_set_tlsext_host_name(c->ssl, name);
		if (cfg->tls.verify)
			SSL_set1_host(c->ssl, name);
	}
	c->phase = HC_CONN_HANDSHAKE;
	return 0;
}

static void
conn_connected(struct hc_conn *c, uint32_t revents)
{
	/* Writable without error: connected, no SO_ERROR syscall needed. */
	int err = revents & (EPOLLERR | EPOLLHUP) ? hc_sock_error(c->fd) : 0;

	if (err == 0 && (revents & EPOLLHUP))
		err = ECONNRESET;
	if (err) {
		hc_result(c->ck, false, -1, "connect: %s", strerror(err));
		return;
	}
	if (c->tls) {
		if (tls_begin(c) < 0)
			return;
		conn_handshake(c);
		return;
	}
	conn_ready(c);
}

static void
conn_ready(struct hc_conn *c)
{
	c->ctimer = sd_event_source_disable_unref(c->ctimer);
	c->phase = HC_CONN_WRITING;
	if (c->cbs->on_ready && c->cbs->on_ready(c->ck))
		return;
	if (c->outlen > c->outoff) {
		conn_write(c);
		return;
	}
	c->phase = HC_CONN_READING;
	set_events(c, EPOLLIN);
}

static void
conn_write(struct hc_conn *c)
{
	while (c->outoff < c->outlen) {
		size_t want = c->outlen - c->outoff;
		ssize_t n;
		if (c->ssl) {
			ERR_clear_error();
			int r = SSL_write(c->ssl, c->out + c->outoff,
			    want > INT32_MAX ? INT32_MAX : (int)want);
			if (r <= 0) {
				(void)tls_wait(c, r, "TLS write");
				return;
			}
			n = r;
		} else {
			n = send(c->fd, c->out + c->outoff, want, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				set_events(c, EPOLLOUT);
				return;
			}
			if (n < 0) {
				hc_result(c->ck, false, -1, "send: %s",
				    strerror(errno));
				return;
			}
		}
		c->outoff += (size_t)n;
	}
	if (c->cbs->on_sent && c->cbs->on_sent(c->ck))
		return;
	c->phase = HC_CONN_READING;
	set_events(c, EPOLLIN);
}

/* One read; >0 bytes, 0 EOF, -1 wait (events set), -2 failed (reported). */
static ssize_t
conn_read_once(struct hc_conn *c, char *buf, size_t len)
{
	if (c->ssl) {
		ERR_clear_error();
		int r = SSL_read(c->ssl, buf, (int)len);
		if (r > 0)
			return r;
		if (SSL_get_error(c->ssl, r) == SSL_ERROR_ZERO_RETURN)
			return 0;
		return tls_wait(c, r, "TLS read") == 0 ? -1 : -2;
	}
	ssize_t n = recv(c->fd, buf, len, 0);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return -1;
	hc_result(c->ck, false, -1, "receive: %s", strerror(errno));
	return -2;
}

static void
conn_read(struct hc_conn *c)
{
	char buf[16384];

	/* Until EAGAIN (edge-triggered); max_response bounds the work. */
	for (;;) {
		ssize_t n = conn_read_once(c, buf, sizeof(buf));
		if (n == -2)
			return;
		if (n == -1) {
			if (c->ssl == NULL)
				set_events(c, EPOLLIN);
			return;
		}
		if (n == 0) {
			c->cbs->on_eof(c->ck);
			return;
		}
		c->nread += (size_t)n;
		if (c->cbs->on_data(c->ck, buf, (size_t)n))
			return;
	}
}

static int
on_io(sd_event_source *s, int fd, uint32_t revents, void *ud)
{
	struct hc_conn *c = ud;

	(void)s;
	(void)fd;
	switch (c->phase) {
	case HC_CONN_CONNECTING:
		conn_connected(c, revents);
		break;
	case HC_CONN_HANDSHAKE:
		conn_handshake(c);
		break;
	case HC_CONN_WRITING:
		conn_write(c);
		break;
	case HC_CONN_READING:
		conn_read(c);
		break;
	case HC_CONN_IDLE:
		break;
	}
	return 0;
}

static int
on_connect_timeout(sd_event_source *s, uint64_t usec, void *ud)
{
	struct hc_conn *c = ud;

	(void)s;
	(void)usec;
	hc_result(c->ck, false, -1, "%s timeout after %u ms",
	    c->phase == HC_CONN_HANDSHAKE ? "TLS handshake" : "connect",
	    c->ck->cfg->connect_timeout_ms);
	return 0;
}

int
hc_conn_start(struct hc_conn *c, struct hc_checker *ck,
    const struct hc_conn_cbs *cbs, bool tls)
{
	sd_event *ev = ck->eng->ev;

	c->tls = tls;
	c->fd = -1;
	c->ck = ck;
	c->cbs = cbs;
	c->fd = hc_sock_connect(ck, SOCK_STREAM, IPPROTO_TCP);
	if (c->fd < 0) {
		hc_result(ck, false, -1, "connect: %s", strerror(errno));
		return -1;
	}
	c->phase = HC_CONN_CONNECTING;
	c->events = EPOLLOUT;
	if (sd_event_add_io(ev, &c->io, c->fd, EPOLLOUT | CONN_EPOLL_FLAGS,
	    on_io, c) < 0) {
		hc_result(ck, false, -1, "event loop: cannot watch socket");
		return -1;
	}
	sd_event_source_set_priority(c->io, LVSD_PRIO_CHECK);
	uint32_t ct = ck->cfg->connect_timeout_ms;
	if (ct && ct < ck->cfg->timeout_ms) {
		if (sd_event_add_time_relative(ev, &c->ctimer, CLOCK_MONOTONIC,
		    (uint64_t)ct * 1000, 1000, on_connect_timeout, c) < 0) {
			hc_result(ck, false, -1, "event loop: no timer");
			return -1;
		}
		sd_event_source_set_priority(c->ctimer, LVSD_PRIO_CHECK);
	}
	return 0;
}
