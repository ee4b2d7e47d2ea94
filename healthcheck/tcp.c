#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "healthcheck/conn.h"
#include "lib/xalloc.h"

/* TCP connect: up when the handshake completes; closed with RST. */

static int
tcp_setup(struct hc_checker *ck)
{
	(void)ck;
	return 0;
}

static int
tcp_ready(struct hc_checker *ck)
{
	uint64_t ms = (hc_now(ck) - ck->start_usec) / 1000;

	hc_result(ck, true, -1, "TCP connect succeeded in %llu ms",
	    (unsigned long long)ms);
	return 1;
}

static void
tcp_eof(struct hc_checker *ck)
{
	hc_result(ck, false, -1, "connection closed");
}

static int
tcp_data(struct hc_checker *ck, const char *buf, size_t n)
{
	(void)ck;
	(void)buf;
	(void)n;
	return 0;
}

static const struct hc_conn_cbs tcp_cbs = {
	.on_ready = tcp_ready,
	.on_data = tcp_data,
	.on_eof = tcp_eof,
};

static int
tcp_start(struct hc_checker *ck)
{
	struct hc_conn *c = xcalloc(1, sizeof(*c));

	ck->run = c;
	return hc_conn_start(c, ck, &tcp_cbs, false);
}

static void
tcp_cancel(struct hc_checker *ck)
{
	struct hc_conn *c = ck->run;

	if (c == NULL)
		return;
	hc_conn_close(c);
	free(c);
	ck->run = NULL;
}

static void
tcp_free(struct hc_checker *ck)
{
	(void)ck;
}

static void
tcp_describe(const struct hc_checker *ck, char *buf, size_t len)
{
	const struct hc_conn *c = ck->run;

	snprintf(buf, len, "%s", c ? hc_conn_phase_name(c) : "idle");
}

const struct hc_ops hc_tcp_ops = {
	.name = "TCP",
	.setup = tcp_setup,
	.start = tcp_start,
	.cancel = tcp_cancel,
	.free = tcp_free,
	.describe = tcp_describe,
};
