/*
 * IPv4/IPv6 addresses as lvsd stores them: family plus raw bytes, no port.
 */
#ifndef LVSD_LIB_ADDR_H
#define LVSD_LIB_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct lvs_addr {
	sa_family_t af;			/* AF_INET, AF_INET6, or AF_UNSPEC: unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Longest text addr_fmt writes, NUL included. */
#define LVS_ADDRSTRLEN INET6_ADDRSTRLEN
/* Longest "[v6]:port" text addr_port_fmt writes, NUL included. */
#define LVS_ADDRPORTSTRLEN (INET6_ADDRSTRLEN + 8)

/* Parses a numeric IPv4 or IPv6 address; 0 on success, -1 if not one. */
int addr_parse(const char *text, struct lvs_addr *out);
/* Writes the canonical text of a into buf (LVS_ADDRSTRLEN bytes); returns buf. */
const char *addr_fmt(const struct lvs_addr *a, char *buf);
/* "1.2.3.4:80" or "[::1]:80" into buf (LVS_ADDRPORTSTRLEN bytes); returns buf. */
const char *addr_port_fmt(const struct lvs_addr *a, uint16_t port, char *buf);
bool addr_eq(const struct lvs_addr *a, const struct lvs_addr *b);
/* Total order (family, then bytes) for sorting and hashing. */
int addr_cmp(const struct lvs_addr *a, const struct lvs_addr *b);
/* Length in bytes of the address proper (4 or 16), 0 when unset. */
size_t addr_len(const struct lvs_addr *a);
/* Maximum prefix length of the family (32 or 128). */
unsigned addr_max_prefix(sa_family_t af);
/* True if a lies in the prefix net/plen. */
bool addr_in_prefix(const struct lvs_addr *a, const struct lvs_addr *net,
    unsigned plen);

/*
 * Parses an IPv4 netmask as a dotted quad ("255.255.255.0") or a prefix
 * length ("24" or "/24").  Sets *plen and *dotted (how it was written).
 * Returns 0, or -1 for anything else (including non-contiguous masks).
 */
int netmask_parse(const char *text, unsigned max_prefix, unsigned *plen,
    bool *dotted);
/* Dotted quad of an IPv4 prefix length into buf (16 bytes); returns buf. */
const char *netmask_fmt4(unsigned plen, char *buf);

#endif
