/*
 * VRRP v2 (RFC 3768) and v3 (RFC 5798) advertisement codec, and piranha's
 * pulse heartbeat.  Pure functions over byte buffers: no sockets, no state,
 * so the parsers can be unit-tested with exact bytes and fuzzed.
 *
 * The IP header is not part of these buffers: the receiving code checks the
 * TTL / hop limit (must be 255) and hands over the VRRP payload together
 * with the source and destination addresses (the v3 checksum covers an IP
 * pseudo-header).
 */
#ifndef LVSD_VRRP_PACKET_H
#define LVSD_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

#define VRRP_PROTO		112	/* IPPROTO_VRRP */
#define VRRP_TYPE_ADVERT	1
#define VRRP_HDR_LEN		8
#define VRRP_AUTH_LEN		8	/* v2 authentication data */
#define VRRP_AUTH_NONE		0
#define VRRP_AUTH_SIMPLE	1	/* v2 simple text password */
#define VRRP_MAX_ADDRS		64	/* addresses kept by the parser */
#define VRRP_MAX_PKT		(VRRP_HDR_LEN + 255 * 16 + VRRP_AUTH_LEN)
#define VRRP_V3_MAX_INTERVAL	4095	/* centiseconds, 12-bit field */

/* Why a received packet was dropped; indexes the drop counters. */
enum vrrp_drop {
	VRRP_DROP_NONE = 0,
	VRRP_DROP_SHORT,	/* shorter than the header or its address list */
	VRRP_DROP_VERSION,	/* not 2 or 3, or v2 over IPv6 */
	VRRP_DROP_TYPE,		/* not an advertisement */
	VRRP_DROP_LENGTH,	/* length does not match the address count */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_TTL,		/* TTL / hop limit not 255 */
	VRRP_DROP_VRID,		/* another virtual router's */
	VRRP_DROP_AUTH,		/* v2 auth type or password mismatch */
	VRRP_DROP_SOURCE,	/* not a configured unicast peer, or ourselves */
	VRRP_DROP_INTERVAL,	/* v2 advert interval differs from ours */
	VRRP_DROP_SENDER,	/* multicast: not one of the instance's routers */
	VRRP_DROP_MAX
};

/* A decoded advertisement. */
struct vrrp_pkt {
	uint8_t version;	/* 2 or 3 */
	uint8_t type;		/* VRRP_TYPE_ADVERT */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;		/* count on the wire */
	uint8_t auth_type;	/* v2 only */
	uint16_t interval;	/* v2: seconds; v3: centiseconds */
	char auth[VRRP_AUTH_LEN]; /* v2 only, not NUL-terminated */
	sa_family_t af;
	struct lvs_addr addrs[VRRP_MAX_ADDRS]; /* first min(naddr, MAX) */
};

/* Short lowercase name of a drop reason, for logs and stats. */
const char *vrrp_drop_name(enum vrrp_drop why);
/* What it means, for the log ("TTL or hop limit not 255: ..."). */
const char *vrrp_drop_text(enum vrrp_drop why);

/*
 * Encodes p into buf (at most len bytes).  src and dst are the IP source
 * and destination the packet will carry (v3 checksum pseudo-header; unused
 * for v2).  All p->naddr addresses are taken from p->addrs, so naddr must
 * not exceed VRRP_MAX_ADDRS.  Returns the length written, or -1 if p is
 * inconsistent or buf too small.
 */
ssize_t vrrp_pkt_build(const struct vrrp_pkt *p, const struct lvs_addr *src,
    const struct lvs_addr *dst, uint8_t *buf, size_t len);

/*
 * Decodes the VRRP payload buf[0..len) received from src to dst (address
 * family af).  Checks version, type, length against the address count and
 * the checksum.  Returns 0 and fills *out, or -1 and sets *why.
 */
int vrrp_pkt_parse(const uint8_t *buf, size_t len, const struct lvs_addr *src,
    const struct lvs_addr *dst, struct vrrp_pkt *out, enum vrrp_drop *why);

/* Internet checksum (RFC 1071) of the concatenation hdr || data. */
uint16_t vrrp_cksum(const void *pseudo, size_t plen, const void *data,
    size_t dlen);

/*
 * Pulse heartbeat (piranha 0.8.6): exactly four bytes, a magic number in
 * the sender's host byte order.
 */
#define PULSE_MAGIC_RUNNING	0xbdaddbdaU	/* LVS running on the sender */
#define PULSE_MAGIC_STOPPED	0xadbddabdU	/* LVS stopped on the sender */
#define PULSE_PKT_LEN		4
#define PULSE_DEFAULT_PORT	539

/* Writes the heartbeat for running/stopped into buf (4 bytes). */
void pulse_pkt_build(bool running, uint8_t buf[PULSE_PKT_LEN]);
/*
 * Decodes a heartbeat: 0 and *running on success; -1 for anything that is
 * not exactly one of the two magics.
 */
int pulse_pkt_parse(const uint8_t *buf, size_t len, bool *running);

/*
 * lvsd's drill query (not VRRP: UDP to query_port, TTL 255): before a
 * planned switchover a master asks the other routers of an instance
 * whether one is ready to take over; each lvsd answers with its state.
 * VRRP backups are silent, so a master cannot know this otherwise.
 * Exactly VRRP_QUERY_LEN bytes, network byte order:
 *   0  "LVSQ"		magic
 *   4  1		version
 *   5  kind		1 ask, 2 answer
 *   6  vrid		the instance's (with the device and family: which)
 *   7  state		answer: enum vrrp_state; ask: 0
 *   8  nonce		ask: random; answer: the ask's
 *   12 heard_ms	answer: since the answerer last heard an advert from
 *			the asker (UINT32_MAX: never); ask: 0
 *   16 priority	answer: its effective priority; ask: 0
 *   17 0, 0, 0		reserved
 */
#define VRRP_QUERY_LEN		20
#define VRRP_QUERY_PORT		5399
#define VRRP_QUERY_VERSION	1
#define VRRP_QUERY_ASK		1
#define VRRP_QUERY_ANSWER	2
#define VRRP_QUERY_NEVER	UINT32_MAX

struct vrrp_query {
	uint8_t kind;
	uint8_t vrid;
	uint8_t state;		/* enum vrrp_state (answer) */
	uint8_t priority;	/* answer */
	uint32_t nonce;
	uint32_t heard_ms;	/* answer */
};

/* Writes q into buf. */
void vrrp_query_build(const struct vrrp_query *q, uint8_t buf[VRRP_QUERY_LEN]);
/*
 * Decodes buf[0..len): 0 and *out, or -1 with *why (a static sentence)
 * for anything but a well-formed ask or answer of this version.
 */
int vrrp_query_parse(const uint8_t *buf, size_t len, struct vrrp_query *out,
    const char **why);

#endif
