#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "vrrp/packet.h"

static const char *const drop_names[VRRP_DROP_MAX] = {
	[VRRP_DROP_NONE] = "none",
	[VRRP_DROP_SHORT] = "truncated",
	[VRRP_DROP_VERSION] = "bad-version",
	[VRRP_DROP_TYPE] = "bad-type",
	[VRRP_DROP_LENGTH] = "bad-length",
	[VRRP_DROP_CHECKSUM] = "bad-checksum",
	[VRRP_DROP_TTL] = "bad-ttl",
	[VRRP_DROP_VRID] = "other-vrid",
	[VRRP_DROP_AUTH] = "bad-auth",
	[VRRP_DROP_SOURCE] = "bad-source",
	[VRRP_DROP_INTERVAL] = "bad-interval",
	[VRRP_DROP_SENDER] = "unknown-sender",
};

static const char *const drop_texts[VRRP_DROP_MAX] = {
	[VRRP_DROP_NONE] = "not dropped",
	[VRRP_DROP_SHORT] = "shorter than its header or its address list",
	[VRRP_DROP_VERSION] = "another VRRP version or address family",
	[VRRP_DROP_TYPE] = "not an advertisement",
	[VRRP_DROP_LENGTH] = "its length does not match its address count",
	[VRRP_DROP_CHECKSUM] = "wrong checksum",
	[VRRP_DROP_TTL] = "TTL or hop limit not 255: not sent on this link",
	[VRRP_DROP_VRID] = "another virtual router's advert",
	[VRRP_DROP_AUTH] = "wrong authentication (auth_pass)",
	[VRRP_DROP_SOURCE] = "not the unicast peer, or this director's own "
	    "address",
	[VRRP_DROP_INTERVAL] = "its advert interval differs from this "
	    "instance's",
	[VRRP_DROP_SENDER] = "not a director lvs.cf names for this instance "
	    "(primary, backup, their private addresses, peers)",
};

const char *
vrrp_drop_text(enum vrrp_drop why)
{
	if ((unsigned)why >= VRRP_DROP_MAX)
		return "unknown reason";
	return drop_texts[why];
}

const char *
vrrp_drop_name(enum vrrp_drop why)
{
	if ((unsigned)why >= VRRP_DROP_MAX)
		return "unknown";
	return drop_names[why];
}

static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (n == 1)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t
vrrp_cksum(const void *pseudo, size_t plen, const void *data, size_t dlen)
{
	uint32_t sum = 0;

	/* Both parts have even length except possibly the last one. */
	sum = sum16(sum, pseudo, plen);
	sum = sum16(sum, data, dlen);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * v3 checksum: RFC 5798 §5.2.8 covers the pseudo-header of the IP family
 * (source, destination, upper-layer length, protocol 112) as for TCP/UDP
 * or ICMPv6.  v2 (RFC 3768 §5.3.8) covers the VRRP message only.
 */
static uint16_t
pkt_cksum(uint8_t version, const struct lvs_addr *src,
    const struct lvs_addr *dst, const uint8_t *buf, size_t len)
{
	uint8_t ph[40];
	size_t alen, plen;

	if (version == 2)
		return vrrp_cksum(NULL, 0, buf, len);
	alen = addr_len(src);
	memcpy(ph, &src->u, alen);
	memcpy(ph + alen, &dst->u, alen);
	if (src->af == AF_INET) {
		ph[8] = 0;
		ph[9] = VRRP_PROTO;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		plen = 12;
	} else {
		ph[32] = (uint8_t)(len >> 24);
		ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = VRRP_PROTO;
		plen = 40;
	}
	return vrrp_cksum(ph, plen, buf, len);
}

static size_t
pkt_len(uint8_t version, sa_family_t af, unsigned naddr)
{
	size_t alen = af == AF_INET ? 4 : 16;
	return VRRP_HDR_LEN + naddr * alen + (version == 2 ? VRRP_AUTH_LEN : 0);
}

ssize_t
vrrp_pkt_build(const struct vrrp_pkt *p, const struct lvs_addr *src,
    const struct lvs_addr *dst, uint8_t *buf, size_t len)
{
	size_t need, off = VRRP_HDR_LEN, alen;
	uint16_t ck;

	if ((p->version != 2 && p->version != 3) || p->naddr > VRRP_MAX_ADDRS ||
	    (p->af != AF_INET && p->af != AF_INET6) ||
	    (p->version == 2 && p->af != AF_INET))
		return -1;
	if (p->version == 3 && (p->interval > VRRP_V3_MAX_INTERVAL ||
	    src->af != p->af || dst->af != p->af))
		return -1;
	if (p->version == 2 && p->interval > 255)
		return -1;
	need = pkt_len(p->version, p->af, p->naddr);
	if (need > len)
		return -1;
	alen = p->af == AF_INET ? 4 : 16;

	buf[0] = (uint8_t)(p->version << 4 | p->type);
	buf[1] = p->vrid;
	buf[2] = p->priority;
	buf[3] = p->naddr;
	if (p->version == 2) {
		buf[4] = p->auth_type;
		buf[5] = (uint8_t)p->interval;
	} else {
		buf[4] = (uint8_t)(p->interval >> 8 & 0x0f);
		buf[5] = (uint8_t)p->interval;
	}
	buf[6] = buf[7] = 0;
	for (unsigned i = 0; i < p->naddr; i++, off += alen) {
		if (p->addrs[i].af != p->af)
			return -1;
		memcpy(buf + off, &p->addrs[i].u, alen);
	}
	if (p->version == 2) {
		if (p->auth_type == VRRP_AUTH_SIMPLE)
			memcpy(buf + off, p->auth, VRRP_AUTH_LEN);
		else
			memset(buf + off, 0, VRRP_AUTH_LEN);
	}
	ck = pkt_cksum(p->version, src, dst, buf, need);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return (ssize_t)need;
}

static void
parse_addrs(const uint8_t *buf, struct vrrp_pkt *out)
{
	size_t alen = out->af == AF_INET ? 4 : 16;
	unsigned n = out->naddr < VRRP_MAX_ADDRS ? out->naddr : VRRP_MAX_ADDRS;

	for (unsigned i = 0; i < n; i++) {
		out->addrs[i].af = out->af;
		memcpy(&out->addrs[i].u, buf + VRRP_HDR_LEN + i * alen, alen);
	}
}

int
vrrp_pkt_parse(const uint8_t *buf, size_t len, const struct lvs_addr *src,
    const struct lvs_addr *dst, struct vrrp_pkt *out, enum vrrp_drop *why)
{
	size_t need;

	memset(out, 0, sizeof(*out));
	if (len < VRRP_HDR_LEN) {
		*why = VRRP_DROP_SHORT;
		return -1;
	}
	out->version = buf[0] >> 4;
	out->type = buf[0] & 0x0f;
	out->af = src->af;
	if ((out->version != 2 && out->version != 3) ||
	    (out->version == 2 && out->af != AF_INET) ||
	    (out->af != AF_INET && out->af != AF_INET6) ||
	    (out->version == 3 && dst->af != src->af)) {
		*why = VRRP_DROP_VERSION;
		return -1;
	}
	if (out->type != VRRP_TYPE_ADVERT) {
		*why = VRRP_DROP_TYPE;
		return -1;
	}
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = buf[3];
	need = pkt_len(out->version, out->af, out->naddr);
	if (len < need) {
		*why = VRRP_DROP_SHORT;
		return -1;
	}
	/* RFC 5798 §7.1: the length must match the address count exactly. */
	if (len != need || out->naddr == 0) {
		*why = VRRP_DROP_LENGTH;
		return -1;
	}
	if (pkt_cksum(out->version, src, dst, buf, len) != 0) {
		*why = VRRP_DROP_CHECKSUM;
		return -1;
	}
	if (out->version == 2) {
		out->auth_type = buf[4];
		out->interval = buf[5];
		memcpy(out->auth, buf + len - VRRP_AUTH_LEN, VRRP_AUTH_LEN);
	} else {
		out->interval = (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
	}
	parse_addrs(buf, out);
	*why = VRRP_DROP_NONE;
	return 0;
}

void
pulse_pkt_build(bool running, uint8_t buf[PULSE_PKT_LEN])
{
	uint32_t magic = running ? PULSE_MAGIC_RUNNING : PULSE_MAGIC_STOPPED;

	/* piranha sends the int as it lies in memory: host byte order. */
	memcpy(buf, &magic, sizeof(magic));
}

int
pulse_pkt_parse(const uint8_t *buf, size_t len, bool *running)
{
	uint32_t magic;

	if (len != PULSE_PKT_LEN)
		return -1;
	memcpy(&magic, buf, sizeof(magic));
	if (magic == PULSE_MAGIC_RUNNING)
		*running = true;
	else if (magic == PULSE_MAGIC_STOPPED)
		*running = false;
	else
		return -1;
	return 0;
}
