/* fuzz-sources: vrrp/query_pkt.c */
/*
 * The drill query parser (vrrp/query_pkt.c): any datagram a host on the
 * link may send to drill_port.  An accepted one must encode back to the
 * same bytes (no field ignored, none invented).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_query q;
	const char *why = NULL;
	uint8_t out[VRRP_QUERY_LEN];

	if (vrrp_query_parse(data, size, &q, &why) != 0) {
		if (why == NULL || why[0] == '\0')
			abort();
		return 0;
	}
	vrrp_query_build(&q, out);
	if (size != VRRP_QUERY_LEN || memcmp(out, data, size) != 0)
		abort();
	return 0;
}
