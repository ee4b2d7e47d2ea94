/*
 * /proc/net/ip_vs_conn lines in, IPVS sync protocol version 1 messages out
 * (the format of the kernel's net/netfilter/ipvs/ip_vs_sync.c, which the
 * backup's sync daemon parses).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/conns.h"

/* State names as the kernel prints them, indexed by state number. */
static const char *const tcp_states[] = {
	"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
};
static const char *const udp_states[] = { "UDP" };
static const char *const sctp_states[] = {
	"NONE", "INIT1", "INIT", "COOKIE_SENT", "COOKIE_REPLIED",
	"COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_SENT",
	"SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT", "REJECTED", "CLOSED",
};
static const char *const template_states[] = { "NONE", "ASSURED" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct proto_desc {
	const char *name;
	uint8_t number;
	const char *const *states;
	size_t nstates;
	int established;		/* the state counted as active */
	unsigned closing;		/* bit mask of the closing states */
};

static const struct proto_desc protos[] = {
	{ "TCP", IPPROTO_TCP, tcp_states, NELEM(tcp_states), 1,
	  1u << 5 | 1u << 6 },		/* TIME_WAIT, CLOSE */
	{ "UDP", IPPROTO_UDP, udp_states, NELEM(udp_states), -1, 0 },
	{ "SCTP", IPPROTO_SCTP, sctp_states, NELEM(sctp_states), 7,
	  1u << 11 | 1u << 12 },	/* REJECTED, CLOSED */
	/* templates of fwmark services carry protocol 0 */
	{ "IP", 0, template_states, NELEM(template_states), -1, 0 },
};

static int
state_number(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* "0A000001" (IPv4, host order hex) or a full IPv6 text. */
static int
parse_addr(const char *s, struct lvs_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':') != NULL) {
		a->af = AF_INET6;
		return inet_pton(AF_INET6, s, &a->u.v6) == 1 ? 0 : -1;
	}
	char *end;
	if (strlen(s) != 8)
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 16);
	if (*end != '\0' || errno != 0)
		return -1;
	a->af = AF_INET;
	a->u.v4.s_addr = htonl((uint32_t)v);
	return 0;
}

static int
parse_port(const char *s, uint16_t *port)
{
	char *end;
	if (strlen(s) != 4)
		return -1;
	unsigned long v = strtoul(s, &end, 16);
	if (*end != '\0')
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
bad(char *err, size_t errlen, const char *what, const char *found)
{
	int n = (int)strcspn(found, "\r\n");
	snprintf(err, errlen, "%s, found `%.*s`", what, n < 60 ? n : 60, found);
	return -1;
}

int
ipvs_conn_parse_line(const char *line, struct ipvs_conn *c, char *err,
    size_t errlen)
{
	char f[9][48];
	int n = sscanf(line, "%47s %47s %47s %47s %47s %47s %47s %47s %47s",
	    f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]);
	if (n >= 1 && strcmp(f[0], "Pro") == 0)
		return 0;
	if (n < 9)
		return bad(err, errlen, "expected 9 fields", line);
	memset(c, 0, sizeof(*c));
	const struct proto_desc *p = NULL;
	for (size_t i = 0; i < NELEM(protos); i++)
		if (strcmp(protos[i].name, f[0]) == 0)
			p = &protos[i];
	if (p == NULL)
		return bad(err, errlen, "expected a protocol TCP, UDP, SCTP or IP", f[0]);
	c->protocol = p->number;
	if (parse_addr(f[1], &c->caddr) < 0 || parse_addr(f[3], &c->vaddr) < 0 ||
	    parse_addr(f[5], &c->daddr) < 0)
		return bad(err, errlen, "expected addresses", line);
	if (c->caddr.af != c->vaddr.af)
		return bad(err, errlen, "expected one family for client and virtual "
		    "address", line);
	if (parse_port(f[2], &c->cport) < 0 || parse_port(f[4], &c->vport) < 0 ||
	    parse_port(f[6], &c->dport) < 0)
		return bad(err, errlen, "expected 4-digit hex ports", line);
	/* Templates: no client port, a template state (or protocol 0). */
	int st = state_number(template_states, NELEM(template_states), f[7]);
	c->template = p->number == 0 || (c->cport == 0 && st >= 0);
	if (!c->template)
		st = state_number(p->states, p->nstates, f[7]);
	if (st < 0)
		return bad(err, errlen, "expected a state of the protocol", f[7]);
	c->state = (uint16_t)st;
	c->established = !c->template && st == p->established;
	c->closing = !c->template && (p->closing >> st & 1u);
	char *end;
	errno = 0;
	unsigned long e = strtoul(f[8], &end, 10);
	if (*end != '\0' || errno != 0 || e > UINT32_MAX || f[8][0] == '-')
		return bad(err, errlen, "expected the seconds left", f[8]);
	c->expires = (uint32_t)e;
	return 1;
}

static uint8_t *
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p = put16(p, (uint16_t)(v >> 16));
	return put16(p, (uint16_t)v);
}

static uint8_t *
put_addr(uint8_t *p, const struct lvs_addr *a, bool v6)
{
	if (!v6) {
		memcpy(p, &a->u.v4, 4);
		return p + 4;
	}
	if (a->af == AF_INET6)
		memcpy(p, &a->u.v6, 16);
	else
		memset(p, 0, 16);
	return p + 16;
}

/* One connection entry; the caller checked the room. */
static uint8_t *
put_conn(uint8_t *p, const struct ipvs_conn *c)
{
	bool v6 = c->vaddr.af == AF_INET6;
	*p++ = v6 ? 1 : 0;			/* type: STYPE_F_INET6 */
	*p++ = c->protocol;
	p = put16(p, v6 ? IPVS_SYNC_CONN6_LEN : IPVS_SYNC_CONN4_LEN);
	p = put32(p, c->flags);
	p = put16(p, c->state);
	p = put16(p, c->cport);
	p = put16(p, c->vport);
	p = put16(p, c->dport);
	p = put32(p, c->fwmark);
	p = put32(p, c->timeout);
	p = put_addr(p, &c->caddr, v6);
	p = put_addr(p, &c->vaddr, v6);
	return put_addr(p, &c->daddr, v6);
}

size_t
ipvs_sync_encode(const struct ipvs_conn *conns, size_t n, uint8_t syncid,
    void *buf, size_t cap, size_t *used)
{
	uint8_t *start = buf, *p = start + IPVS_SYNC_HDR_LEN;
	size_t k = 0;
	*used = 0;
	if (cap < IPVS_SYNC_HDR_LEN || cap > UINT16_MAX)
		return 0;
	for (; k < n && k < 255; k++) {
		size_t len = conns[k].vaddr.af == AF_INET6 ? IPVS_SYNC_CONN6_LEN :
		    IPVS_SYNC_CONN4_LEN;
		if ((size_t)(p - start) + len > cap)
			break;
		p = put_conn(p, &conns[k]);
	}
	if (k == 0)
		return 0;
	size_t total = (size_t)(p - start);
	start[0] = 0;				/* reserved: not a v0 message */
	start[1] = syncid;
	put16(start + 2, (uint16_t)total);
	start[4] = (uint8_t)k;
	start[5] = 1;				/* SYNC_PROTO_VER */
	put16(start + 6, 0);
	*used = k;
	return total;
}
