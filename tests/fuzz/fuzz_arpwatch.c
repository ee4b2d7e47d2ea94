/* fuzz-sources: healthcheck/arpwatch_pkt.c lib/addr.c */
/*
 * The ARP watch reads ARP replies and neighbour advertisements from the
 * wire.  Byte 0 picks the parser (bit 0: NA); the rest is the packet.  An
 * accepted answer names a unicast address and, with a MAC, a station.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "healthcheck/arpwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_nd_answer a;
	char why[160], mb[HC_MACSTRLEN], ab[LVS_ADDRSTRLEN];
	int r;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		r = hc_nd_parse_advert(data + 1, size - 1, &a, why, sizeof(why));
	else
		r = hc_arp_parse_reply(data + 1, size - 1, &a, why, sizeof(why));
	if (r < 0) {
		if (why[0] == '\0')
			abort();	/* every rejection says why */
		return 0;
	}
	if (a.addr.af != (data[0] & 1 ? AF_INET6 : AF_INET))
		abort();
	if (a.has_mac && ((a.mac[0] & 1) || strlen(hc_mac_fmt(a.mac, mb)) != 17))
		abort();
	addr_fmt(&a.addr, ab);
	return 0;
}
