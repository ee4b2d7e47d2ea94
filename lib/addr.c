#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

int
addr_parse(const char *text, struct lvs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(text, ':') != NULL) {
		if (inet_pton(AF_INET6, text, &out->u.v6) != 1)
			return -1;
		out->af = AF_INET6;
		return 0;
	}
	/*
	 * inet_pton accepts only the strict dotted quad, unlike inet_aton
	 * which would read "10.1" or octal "010.0.0.1": an address in a load
	 * balancer's configuration must mean exactly what it says.
	 */
	if (inet_pton(AF_INET, text, &out->u.v4) != 1)
		return -1;
	out->af = AF_INET;
	return 0;
}

const char *
addr_fmt(const struct lvs_addr *a, char *buf)
{
	if (a->af == AF_UNSPEC || inet_ntop(a->af, &a->u, buf, LVS_ADDRSTRLEN) == NULL)
		strcpy(buf, "(none)");
	return buf;
}

const char *
addr_port_fmt(const struct lvs_addr *a, uint16_t port, char *buf)
{
	char tmp[LVS_ADDRSTRLEN];
	addr_fmt(a, tmp);
	if (a->af == AF_INET6)
		snprintf(buf, LVS_ADDRPORTSTRLEN, "[%s]:%u", tmp, port);
	else
		snprintf(buf, LVS_ADDRPORTSTRLEN, "%s:%u", tmp, port);
	return buf;
}

size_t
addr_len(const struct lvs_addr *a)
{
	switch (a->af) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

bool
addr_eq(const struct lvs_addr *a, const struct lvs_addr *b)
{
	return addr_cmp(a, b) == 0;
}

int
addr_cmp(const struct lvs_addr *a, const struct lvs_addr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(&a->u, &b->u, addr_len(a));
}

unsigned
addr_max_prefix(sa_family_t af)
{
	return af == AF_INET6 ? 128 : 32;
}

bool
addr_in_prefix(const struct lvs_addr *a, const struct lvs_addr *net,
    unsigned plen)
{
	if (a->af != net->af)
		return false;
	const uint8_t *x = (const uint8_t *)&a->u, *y = (const uint8_t *)&net->u;
	unsigned full = plen / 8, rest = plen % 8;
	if (memcmp(x, y, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (x[full] & mask) == (y[full] & mask);
}

static int
parse_prefix_len(const char *text, unsigned max_prefix, unsigned *plen)
{
	if (!isdigit((unsigned char)*text) || strlen(text) > 3)
		return -1;
	char *end;
	unsigned long v = strtoul(text, &end, 10);
	if (*end != '\0' || v > max_prefix)
		return -1;
	*plen = (unsigned)v;
	return 0;
}

int
netmask_parse(const char *text, unsigned max_prefix, unsigned *plen, bool *dotted)
{
	if (*text == '/')
		text++;
	if (strchr(text, '.') == NULL) {
		*dotted = false;
		return parse_prefix_len(text, max_prefix, plen);
	}
	struct in_addr m;
	if (max_prefix < 32 || inet_pton(AF_INET, text, &m) != 1)
		return -1;
	uint32_t v = ntohl(m.s_addr);
	/* Contiguous: the inverted mask plus one is a power of two. */
	uint32_t inv = ~v;
	if ((inv & (inv + 1)) != 0)
		return -1;
	*plen = (unsigned)__builtin_popcount(v);
	*dotted = true;
	return 0;
}

const char *
netmask_fmt4(unsigned plen, char *buf)
{
	uint32_t v = plen == 0 ? 0 : 0xffffffffu << (32 - plen);
	snprintf(buf, 16, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff,
	    (v >> 8) & 0xff, v & 0xff);
	return buf;
}
