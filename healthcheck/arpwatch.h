/*
 * ARP watch: does any host on a segment answer ARP (or IPv6 neighbour
 * solicitations) for a virtual IP?  With direct routing every real server
 * holds the VIP; one that answers ARP for it draws the clients' (or the
 * router's) traffic to itself, past the director.
 *
 * A watcher belongs to one interface.  Each round it asks for every VIP
 * (an ARP probe from 0.0.0.0, or a neighbour solicitation to the VIP's
 * solicited-node group), collects the answers for a short window, and,
 * when an answer comes from a link-layer address it cannot place yet,
 * asks for the real servers' (and the known hosts') own addresses too, to
 * learn who owns that MAC.  Then it reports the round's answers through
 * its callback: each with the VIP, the MAC and the real server it maps to.
 * Answers from this host's own interface and from the known hosts (the
 * other director, which holds the VIP when it is master) are left out.
 *
 * Everything runs on the caller's sd-event loop at LVSD_PRIO_BULK; sockets
 * are non-blocking.  Needs CAP_NET_RAW.  No dependency on daemon/.
 */
#ifndef LVSD_HEALTHCHECK_ARPWATCH_H
#define LVSD_HEALTHCHECK_ARPWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "lib/addr.h"

#define HC_MAC_LEN 6
/* "aa:bb:cc:dd:ee:ff" and its NUL. */
#define HC_MACSTRLEN 18

/* ---- the packet codec (healthcheck/arpwatch_pkt.c) ---- */

/* An ARP request for IPv4 over Ethernet: 28 bytes. */
#define HC_ARP_LEN 28
/* A neighbour solicitation with a source link-layer option: 32 bytes. */
#define HC_NS_LEN 32

/* One answer read from the wire: "addr is at mac". */
struct hc_nd_answer {
	struct lvs_addr addr;	/* ARP: sender IP; NA: the target address */
	uint8_t mac[HC_MAC_LEN];
	bool has_mac;		/* false: an NA without target link-layer option */
	bool solicited;		/* NA: the S flag (ARP: always true) */
};

/*
 * Writes an ARP request "who has target? tell sender" from mac into out.
 * A sender of 0.0.0.0 makes it a probe (RFC 5227): the answer comes back
 * unicast and nobody's ARP cache learns anything from it.
 */
void hc_arp_request(uint8_t out[HC_ARP_LEN], const uint8_t mac[HC_MAC_LEN],
    const struct in_addr *sender, const struct in_addr *target);
/*
 * Reads an ARP packet as a SOCK_DGRAM packet socket gives it (no link
 * header; Ethernet padding allowed).  0 and *out for an Ethernet/IPv4
 * reply; -1 with a sentence in why for anything else.
 */
int hc_arp_parse_reply(const uint8_t *pkt, size_t len,
    struct hc_nd_answer *out, char *why, size_t whylen);

/*
 * Writes a neighbour solicitation for target, with mac as its source
 * link-layer option, into out.  The checksum is left 0: the kernel fills
 * it in on a raw ICMPv6 socket.
 */
void hc_nd_solicit(uint8_t out[HC_NS_LEN], const uint8_t mac[HC_MAC_LEN],
    const struct in6_addr *target);
/* The solicited-node multicast group of target (ff02::1:ffXX:XXXX). */
void hc_nd_solicited_node(const struct in6_addr *target, struct in6_addr *group);
/*
 * Reads an ICMPv6 message (RFC 4861 §7.1.2 checks but the hop limit,
 * which the socket reports).  0 and *out for a neighbour advertisement;
 * -1 with a sentence in why for anything else.
 */
int hc_nd_parse_advert(const uint8_t *pkt, size_t len,
    struct hc_nd_answer *out, char *why, size_t whylen);

/* "aa:bb:cc:dd:ee:ff" into buf (HC_MACSTRLEN bytes); returns buf. */
const char *hc_mac_fmt(const uint8_t mac[HC_MAC_LEN], char *buf);

/* ---- the watcher (healthcheck/arpwatch.c) ---- */

/* One answer of a round, from another host. */
struct hc_arpwatch_answer {
	struct lvs_addr vip;
	uint8_t mac[HC_MAC_LEN];
	bool has_mac;
	/* Index into params.servers of the real server owning mac, or -1. */
	int server;
};

/* Called at the end of each round with its answers (none: n == 0). */
typedef void (*hc_arpwatch_fn)(void *arg, const char *ifname,
    const struct hc_arpwatch_answer *answers, size_t n);

struct hc_arpwatch_params {
	const char *ifname;
	const struct lvs_addr *vips;	/* IPv4 and/or IPv6 */
	size_t nvips;
	const struct lvs_addr *servers;	/* the direct-routing real servers */
	size_t nservers;
	const struct lvs_addr *known;	/* hosts allowed to answer (directors) */
	size_t nknown;
	unsigned first_ms;		/* first round after start */
	unsigned interval_ms;		/* start to start */
	unsigned window_ms;		/* how long answers are collected */
	hc_arpwatch_fn done;
	void *arg;
};

struct hc_arpwatch;

/*
 * Starts watching (the arrays are copied).  NULL with a sentence in why
 * when the interface is unknown or a socket cannot be opened.
 */
struct hc_arpwatch *hc_arpwatch_new(sd_event *ev,
    const struct hc_arpwatch_params *p, char *why, size_t whylen);
/* Stops and frees; NULL is fine.  No callback after this. */
void hc_arpwatch_free(struct hc_arpwatch *w);

#endif
