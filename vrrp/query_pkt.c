#include "config.h"

#include <string.h>

#include "vrrp/packet.h"
#include "vrrp/vrrp.h"

/* The drill query's codec (packet.h): pure, so it can be fuzzed. */

static const uint8_t magic[4] = { 'L', 'V', 'S', 'Q' };

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
vrrp_query_build(const struct vrrp_query *q, uint8_t buf[VRRP_QUERY_LEN])
{
	memset(buf, 0, VRRP_QUERY_LEN);
	memcpy(buf, magic, sizeof(magic));
	buf[4] = VRRP_QUERY_VERSION;
	buf[5] = q->kind;
	buf[6] = q->vrid;
	put32(buf + 8, q->nonce);
	if (q->kind == VRRP_QUERY_ANSWER) {
		buf[7] = q->state;
		put32(buf + 12, q->heard_ms);
		buf[16] = q->priority;
	}
}

int
vrrp_query_parse(const uint8_t *buf, size_t len, struct vrrp_query *out,
    const char **why)
{
	static const uint8_t zero[4];
	memset(out, 0, sizeof(*out));
	if (len != VRRP_QUERY_LEN) {
		*why = "not a drill query (wrong length)";
		return -1;
	}
	if (memcmp(buf, magic, sizeof(magic)) != 0) {
		*why = "not a drill query (no LVSQ magic)";
		return -1;
	}
	if (buf[4] != VRRP_QUERY_VERSION) {
		*why = "a drill query of another version";
		return -1;
	}
	out->kind = buf[5];
	out->vrid = buf[6];
	out->nonce = get32(buf + 8);
	if (memcmp(buf + 17, zero, 3) != 0 || out->vrid == 0) {
		*why = "a drill query with reserved bits set or VRID 0";
		return -1;
	}
	if (out->kind == VRRP_QUERY_ASK) {
		if (buf[7] != 0 || memcmp(buf + 12, zero, 4) != 0 ||
		    buf[16] != 0) {
			*why = "a drill question with answer fields set";
			return -1;
		}
		return 0;
	}
	if (out->kind != VRRP_QUERY_ANSWER) {
		*why = "a drill query of an unknown kind";
		return -1;
	}
	if (buf[7] > VRRP_STATE_FAULT) {
		*why = "a drill answer with an unknown state";
		return -1;
	}
	out->state = buf[7];
	out->heard_ms = get32(buf + 12);
	out->priority = buf[16];
	return 0;
}
