/*
 * The kernel's IPVS connection table, read from /proc/net/ip_vs_conn, and
 * its encoding as IPVS sync protocol (version 1) messages.
 *
 * lvsd uses them for the connection handoff of a planned switchover: the
 * kernel's own sync daemon sends a connection to the backup only after a
 * few packets, and holds its buffer up to two seconds, so the newest
 * connections of a master that releases would be unknown to the new one
 * and reset.  Before it releases, lvsd reads the whole table and sends it,
 * in the kernel's own format, to the backup's sync daemon.
 */
#ifndef LVSD_IPVS_CONNS_H
#define LVSD_IPVS_CONNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* IP_VS_CONN_F_* bits a handed-over connection may carry. */
#define IPVS_CONN_F_FWD_MASK	0x0007	/* enum ipvs_fwd */
#define IPVS_CONN_F_INACTIVE	0x0100
#define IPVS_CONN_F_NO_CPORT	0x0800
#define IPVS_CONN_F_TEMPLATE	0x1000

/* One connection (or persistence template) of the kernel's table. */
struct ipvs_conn {
	uint8_t protocol;		/* IPPROTO_TCP/UDP/SCTP, 0 ("IP") */
	struct lvs_addr caddr, vaddr, daddr;
	uint16_t cport, vport, dport;	/* host order */
	uint16_t state;			/* the protocol's state number */
	bool template;			/* a persistence template */
	bool established;		/* counted as active by the kernel */
	bool closing;			/* TIME_WAIT, CLOSE, SCTP CLOSED/
					   REJECTED: nothing left to carry */
	uint32_t expires;		/* seconds left */
	/* Not in the file: filled from the service before encoding. */
	uint32_t flags;			/* IPVS_CONN_F_* */
	uint32_t fwmark;
	uint32_t timeout;		/* seconds; 0: the state's default */
};

/*
 * Parses one line of /proc/net/ip_vs_conn.  Returns 1 and fills *c for a
 * connection, 0 for the header line, -1 for anything malformed (why in
 * err, errlen bytes).
 */
int ipvs_conn_parse_line(const char *line, struct ipvs_conn *c, char *err,
    size_t errlen);

/* Size of an encoded message header and of one v4 / v6 connection. */
#define IPVS_SYNC_HDR_LEN	8
#define IPVS_SYNC_CONN4_LEN	36
#define IPVS_SYNC_CONN6_LEN	72

/*
 * Encodes conns[0..n) into one sync message of at most cap bytes (and at
 * most 255 connections) for sync id syncid.  Sets *used to how many
 * connections it holds (at least one when cap allows) and returns the
 * message length, or 0 when not even one fits.
 */
size_t ipvs_sync_encode(const struct ipvs_conn *conns, size_t n, uint8_t syncid,
    void *buf, size_t cap, size_t *used);

#endif
