/* fuzz-sources: tests/fuzz/fuzz_ipvs_conns.c ipvs/conns.c lib/addr.c */
/*
 * The connection handoff's reader of /proc/net/ip_vs_conn and its sync
 * message encoder under libFuzzer: the input is a whole file.  Each line
 * parses, is the header, or is rejected with a reason; what parses
 * encodes into messages that never exceed their room, hold 1 to 255
 * connections, and carry their own length.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/conns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipvs_conn conns[512];
	size_t n = 0;
	char line[512], err[160];
	size_t pos = 0;
	while (pos < size && n < 512) {
		size_t len = 0;
		while (pos < size && data[pos] != '\n' && len < sizeof(line) - 1)
			line[len++] = (char)data[pos++];
		pos++;
		line[len] = '\0';
		err[0] = '\0';
		int r = ipvs_conn_parse_line(line, &conns[n], err, sizeof(err));
		if (r == 1) {
			if (conns[n].caddr.af != conns[n].vaddr.af)
				abort();
			conns[n].flags = (uint32_t)(n & 0x1fff);
			n++;
		} else if (r == -1 && err[0] == '\0')
			abort();	/* a rejection always says why */
	}
	static uint8_t msg[1200];
	size_t off = 0;
	while (off < n) {
		size_t used;
		size_t len = ipvs_sync_encode(conns + off, n - off, 7, msg,
		    sizeof(msg), &used);
		if (len == 0 || len > sizeof(msg) || used == 0 || used > 255 ||
		    msg[4] != used || (size_t)(msg[2] << 8 | msg[3]) != len)
			abort();
		off += used;
	}
	return 0;
}
