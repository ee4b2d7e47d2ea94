#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "healthcheck/conn.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/*
 * piranha's send/expect as nanny meant it: connect, send `send`, then the
 * response must start with `expect` (or match it as a POSIX ERE with
 * use_regex, or be anything at all for "*").  nanny read once and compared;
 * here bytes accumulate until the verdict is certain, so a response split
 * over several segments is not a spurious failure.
 */

#define SE_REGEX_WINDOW 4096	/* bytes a regex is matched against */

struct se_priv {
	regex_t re;
	bool has_re;
};

struct se_run {
	struct hc_conn conn;	/* TCP */
	int fd;			/* UDP */
	sd_event_source *io;	/* UDP */
	char buf[SE_REGEX_WINDOW + 1];
	size_t len;
};

static int
se_setup(struct hc_checker *ck)
{
	struct se_priv *pv = xcalloc(1, sizeof(*pv));

	ck->priv = pv;
	if (ck->cfg->se.use_regex && ck->cfg->se.expect) {
		if (regcomp(&pv->re, ck->cfg->se.expect,
		    REG_EXTENDED | REG_NOSUB) != 0)
			return -1;
		pv->has_re = true;
	}
	return 0;
}

static void
se_free(struct hc_checker *ck)
{
	struct se_priv *pv = ck->priv;

	if (pv == NULL)
		return;
	if (pv->has_re)
		regfree(&pv->re);
	free(pv);
	ck->priv = NULL;
}

/* Printable excerpt of a response for log lines. */
static const char *
excerpt(const char *b, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < outlen && i < 40; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c == '\r' || c == '\n')
			o += (size_t)snprintf(out + o, outlen - o, "\\%c",
			    c == '\r' ? 'r' : 'n');
		else if (isprint(c) && c != '"' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

enum verdict { V_MORE, V_OK, V_FAIL };

/* Judges the bytes received so far; final: nothing more will come. */
static enum verdict
judge(struct hc_checker *ck, const char *b, size_t n, bool final)
{
	struct se_priv *pv = ck->priv;
	const char *exp = ck->cfg->se.expect;

	if (exp == NULL || strcmp(exp, "*") == 0)
		return n > 0 ? V_OK : (final ? V_FAIL : V_MORE);
	if (pv->has_re) {
		if (n && regexec(&pv->re, b, 0, NULL, 0) == 0)
			return V_OK;
		return final || n >= SE_REGEX_WINDOW ? V_FAIL : V_MORE;
	}
	size_t want = strlen(exp);
	size_t cmp = n < want ? n : want;
	if (memcmp(b, exp, cmp) != 0)
		return V_FAIL;
	if (n >= want)
		return V_OK;
	return final ? V_FAIL : V_MORE;
}

static void
report(struct hc_checker *ck, enum verdict v, const char *b, size_t n)
{
	char got[200];
	const char *exp = ck->cfg->se.expect ? ck->cfg->se.expect : "*";

	if (v == V_OK) {
		hc_result(ck, true, -1, "expect \"%s\" matched", exp);
		return;
	}
	if (n == 0) {
		hc_result(ck, false, -1, "expect \"%s\": no response", exp);
		return;
	}
	hc_result(ck, false, -1, "expect %s\"%s\", got \"%s\"",
	    ck->priv && ((struct se_priv *)ck->priv)->has_re ? "regex " : "",
	    exp, excerpt(b, n, got, sizeof(got)));
}

/* Adds bytes to the window; 1 once a result was reported. */
static int
take(struct hc_checker *ck, const char *buf, size_t n, bool final)
{
	struct se_run *r = ck->run;
	size_t room = SE_REGEX_WINDOW - r->len;
	size_t add = n < room ? n : room;

	memcpy(r->buf + r->len, buf, add);
	r->len += add;
	r->buf[r->len] = '\0';
	enum verdict v = judge(ck, r->buf, r->len, final);
	if (v == V_MORE)
		return 0;
	report(ck, v, r->buf, r->len);
	return 1;
}

static int
tcp_ready(struct hc_checker *ck)
{
	if (ck->cfg->se.send == NULL && ck->cfg->se.expect == NULL) {
		hc_result(ck, true, -1, "connected (nothing to send/expect)");
		return 1;
	}
	return 0;
}

static int
tcp_sent(struct hc_checker *ck)
{
	if (ck->cfg->se.expect == NULL) {
		hc_result(ck, true, -1, "sent %zu bytes", strlen(ck->cfg->se.send));
		return 1;
	}
	return 0;
}

static int
tcp_data(struct hc_checker *ck, const char *buf, size_t n)
{
	return take(ck, buf, n, false);
}

static void
tcp_eof(struct hc_checker *ck)
{
	(void)take(ck, "", 0, true);
}

static const struct hc_conn_cbs se_tcp_cbs = {
	.on_ready = tcp_ready,
	.on_sent = tcp_sent,
	.on_data = tcp_data,
	.on_eof = tcp_eof,
};

static int
on_udp(sd_event_source *s, int fd, uint32_t revents, void *ud)
{
	struct hc_checker *ck = ud;
	char buf[SE_REGEX_WINDOW];

	(void)s;
	(void)revents;
	/* Edge-triggered: one datagram decides, EAGAIN waits for the next. */
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		hc_result(ck, false, -1, "UDP receive: %s%s", strerror(errno),
		    errno == ECONNREFUSED ? " (port unreachable)" : "");
		return 0;
	}
	/* One datagram is the whole answer. */
	(void)take(ck, buf, (size_t)n, true);
	return 0;
}

static int
udp_start(struct hc_checker *ck, struct se_run *r)
{
	const char *snd = ck->cfg->se.send ? ck->cfg->se.send : "";

	r->fd = hc_sock_connect(ck, SOCK_DGRAM, IPPROTO_UDP);
	if (r->fd < 0) {
		hc_result(ck, false, -1, "UDP socket: %s", strerror(errno));
		return -1;
	}
	/* An empty datagram when there is nothing to send still draws an
	 * ICMP port unreachable from a closed port. */
	if (send(r->fd, snd, strlen(snd), 0) < 0) {
		hc_result(ck, false, -1, "UDP send: %s", strerror(errno));
		return -1;
	}
	if (sd_event_add_io(ck->eng->ev, &r->io, r->fd, EPOLLIN | EPOLLET, on_udp,
	    ck) < 0) {
		hc_result(ck, false, -1, "event loop: cannot watch socket");
		return -1;
	}
	sd_event_source_set_priority(r->io, LVSD_PRIO_CHECK);
	return 0;
}

static int
se_start(struct hc_checker *ck)
{
	struct se_run *r = xcalloc(1, sizeof(*r));

	r->fd = -1;
	ck->run = r;
	if (ck->cfg->se.udp)
		return udp_start(ck, r);
	if (ck->cfg->se.send)
		hc_conn_set_output(&r->conn, ck->cfg->se.send,
		    strlen(ck->cfg->se.send));
	return hc_conn_start(&r->conn, ck, &se_tcp_cbs, false);
}

static void
se_cancel(struct hc_checker *ck)
{
	struct se_run *r = ck->run;

	if (r == NULL)
		return;
	hc_conn_close(&r->conn);
	free(r->conn.out);
	sd_event_source_disable_unref(r->io);
	if (r->fd >= 0)
		hc_sock_close_rst(r->fd);
	free(r);
	ck->run = NULL;
}

static void
se_describe(const struct hc_checker *ck, char *buf, size_t len)
{
	const struct se_run *r = ck->run;

	if (r == NULL)
		snprintf(buf, len, "idle");
	else if (ck->cfg->se.udp)
		snprintf(buf, len, "waiting for UDP response");
	else
		snprintf(buf, len, "%s", hc_conn_phase_name(&r->conn));
}

const struct hc_ops hc_sendexpect_ops = {
	.name = "send/expect",
	.setup = se_setup,
	.start = se_start,
	.cancel = se_cancel,
	.free = se_free,
	.describe = se_describe,
};
