/* fuzz-sources: tests/fuzz/fuzz_announce_msg.c vrrp/announce_msg.c lib/addr.c */
/*
 * The route announcement's reading of rtnetlink answers under libFuzzer:
 * the input is one datagram as recv() would return it (a dump's routes,
 * or an error with an extended ack), walked message by message as libnl
 * does.  Nothing may be read past a message's end; a route accepted as
 * the module's has a family and a prefix length that fit.
 */
#include "config.h"

#include <linux/netlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/announce_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(const void *msg, size_t len)
{
	struct ann_route r;
	char text[96];
	int rc;

	/* Table and protocol as the seeds use them (200 and 201). */
	rc = ann_route_parse(msg, len, 200, 201, &r);
	if (rc == 1 && ((r.dst.af != AF_INET && r.dst.af != AF_INET6) ||
	    r.plen > addr_max_prefix(r.dst.af)))
		abort();
	ann_extack_text(msg, len, text, sizeof(text));
	if (strlen(text) >= sizeof(text))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact copy: the sanitizer sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	size_t off = 0;

	memcpy(buf, data, size);
	while (size - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const void *)(buf + off);

		size_t step = ((size_t)h->nlmsg_len + NLMSG_ALIGNTO - 1) &
		    ~(size_t)(NLMSG_ALIGNTO - 1);

		one(h, size - off);
		if (h->nlmsg_len < NLMSG_HDRLEN || step >= size - off)
			break;
		off += step;
	}
	free(buf);
	return 0;
}
