/*
 * The ARP watch's packets: ARP requests and replies (RFC 826, probes as in
 * RFC 5227), neighbour solicitations and advertisements (RFC 4861).  The
 * parsers read what arrives from the wire: every length is checked
 * before it is used.
 */
#include "config.h"

#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>

#include "healthcheck/arpwatch.h"

#define ARP_HRD_ETHER	1
#define ARP_PRO_IP	0x0800
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

const char *
hc_mac_fmt(const uint8_t mac[HC_MAC_LEN], char *buf)
{
	snprintf(buf, HC_MACSTRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* A station's address: not zero, not a group (multicast or broadcast). */
static bool
unicast_mac(const uint8_t *mac)
{
	static const uint8_t zero[HC_MAC_LEN];

	return (mac[0] & 1) == 0 && memcmp(mac, zero, HC_MAC_LEN) != 0;
}

void
hc_arp_request(uint8_t out[HC_ARP_LEN], const uint8_t mac[HC_MAC_LEN],
    const struct in_addr *sender, const struct in_addr *target)
{
	put16(out, ARP_HRD_ETHER);
	put16(out + 2, ARP_PRO_IP);
	out[4] = HC_MAC_LEN;
	out[5] = 4;
	put16(out + 6, ARP_OP_REQUEST);
	memcpy(out + 8, mac, HC_MAC_LEN);
	memcpy(out + 14, sender, 4);
	memset(out + 18, 0, HC_MAC_LEN);	/* target hardware: unknown */
	memcpy(out + 24, target, 4);
}

int
hc_arp_parse_reply(const uint8_t *pkt, size_t len, struct hc_nd_answer *out,
    char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	if (len < HC_ARP_LEN) {
		snprintf(why, whylen, "ARP packet of %zu bytes, expected at "
		    "least %d", len, HC_ARP_LEN);
		return -1;
	}
	if (get16(pkt) != ARP_HRD_ETHER || get16(pkt + 2) != ARP_PRO_IP ||
	    pkt[4] != HC_MAC_LEN || pkt[5] != 4) {
		snprintf(why, whylen, "ARP for hardware %u, protocol 0x%04x "
		    "(address lengths %u/%u): not Ethernet/IPv4", get16(pkt),
		    get16(pkt + 2), pkt[4], pkt[5]);
		return -1;
	}
	if (get16(pkt + 6) != ARP_OP_REPLY) {
		snprintf(why, whylen, "ARP operation %u, not a reply",
		    get16(pkt + 6));
		return -1;
	}
	if (!unicast_mac(pkt + 8)) {
		snprintf(why, whylen, "ARP reply from a group or zero "
		    "hardware address");
		return -1;
	}
	out->addr.af = AF_INET;
	memcpy(&out->addr.u.v4, pkt + 14, 4);
	if (out->addr.u.v4.s_addr == 0) {
		snprintf(why, whylen, "ARP reply for 0.0.0.0");
		return -1;
	}
	memcpy(out->mac, pkt + 8, HC_MAC_LEN);
	out->has_mac = true;
	out->solicited = true;
	return 0;
}

void
hc_nd_solicited_node(const struct in6_addr *target, struct in6_addr *group)
{
	static const uint8_t prefix[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
	};

	memcpy(group->s6_addr, prefix, sizeof(prefix));
	memcpy(group->s6_addr + 13, target->s6_addr + 13, 3);
}

void
hc_nd_solicit(uint8_t out[HC_NS_LEN], const uint8_t mac[HC_MAC_LEN],
    const struct in6_addr *target)
{
	memset(out, 0, HC_NS_LEN);
	out[0] = ND_NEIGHBOR_SOLICIT;	/* code, checksum, reserved: 0 */
	memcpy(out + 8, target, 16);
	out[24] = ND_OPT_SOURCE_LINKADDR;
	out[25] = 1;			/* in units of 8 bytes */
	memcpy(out + 26, mac, HC_MAC_LEN);
}

/* Walks the options after the fixed part; finds the target link-layer one. */
static int
nd_options(const uint8_t *opt, size_t len, struct hc_nd_answer *out, char *why,
    size_t whylen)
{
	while (len > 0) {
		if (len < 2 || opt[1] == 0 || (size_t)opt[1] * 8 > len) {
			snprintf(why, whylen, "neighbour advertisement with a "
			    "malformed option (%zu bytes left)", len);
			return -1;
		}
		size_t olen = (size_t)opt[1] * 8;
		if (opt[0] == ND_OPT_TARGET_LINKADDR && !out->has_mac) {
			if (olen != 8 || !unicast_mac(opt + 2)) {
				snprintf(why, whylen, "neighbour advertisement "
				    "whose target link-layer option is not an "
				    "Ethernet station address");
				return -1;
			}
			memcpy(out->mac, opt + 2, HC_MAC_LEN);
			out->has_mac = true;
		}
		opt += olen;
		len -= olen;
	}
	return 0;
}

int
hc_nd_parse_advert(const uint8_t *pkt, size_t len, struct hc_nd_answer *out,
    char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	if (len < 24) {
		snprintf(why, whylen, "ICMPv6 message of %zu bytes: too short "
		    "for a neighbour advertisement", len);
		return -1;
	}
	if (pkt[0] != ND_NEIGHBOR_ADVERT || pkt[1] != 0) {
		snprintf(why, whylen, "ICMPv6 type %u code %u, not a neighbour "
		    "advertisement", pkt[0], pkt[1]);
		return -1;
	}
	out->addr.af = AF_INET6;
	memcpy(&out->addr.u.v6, pkt + 8, 16);
	if (IN6_IS_ADDR_MULTICAST(&out->addr.u.v6)) {
		snprintf(why, whylen, "neighbour advertisement for a multicast "
		    "address");
		return -1;
	}
	out->solicited = (pkt[4] & 0x40) != 0;
	return nd_options(pkt + 24, len - 24, out, why, whylen);
}
