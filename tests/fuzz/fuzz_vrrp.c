/* fuzz-sources: vrrp/packet.c vrrp/fsm.c vrrp/config.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The VRRP parser and the checks behind it.  Input: byte 0 selects the
 * family (bit 0), the instance version (bit 1) and who it hears (bit 2:
 * any sender, else bit 3: the source is one of its routers, else a
 * stranger); the rest is the VRRP payload.  Accepted packets must
 * re-encode to the same bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vrrp/fsm.h"
#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nop_send(void *ctx, uint8_t prio)
{
	(void)ctx;
	(void)prio;
}

static void
nop_announce(void *ctx)
{
	(void)ctx;
}

static void
nop_state(void *ctx, enum vrrp_state o, enum vrrp_state n, enum vrrp_reason w)
{
	(void)ctx;
	(void)o;
	(void)n;
	(void)w;
}

static const struct vrrp_fsm_ops ops = { nop_send, nop_announce, nop_state };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvs_addr src, dst;
	struct vrrp_pkt p;
	struct vrrp_instance_config c;
	struct vrrp_fsm f;
	enum vrrp_drop why;
	uint8_t out[VRRP_MAX_PKT];
	ssize_t n;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		addr_parse("fe80::1", &src);
		addr_parse("ff02::12", &dst);
	} else {
		addr_parse("10.0.0.1", &src);
		addr_parse("224.0.0.18", &dst);
	}
	if (vrrp_pkt_parse(data + 1, size - 1, &src, &dst, &p, &why) != 0)
		return 0;
	vrrp_instance_config_init(&c);
	c.version = data[0] & 2 ? 2 : 3;
	c.af = src.af;
	c.vrid = p.vrid;
	memcpy(c.auth_pass, "pw", 3);
	c.any_sender = (data[0] & 4) != 0;
	c.senders = &src;
	c.nsenders = (data[0] & 8) != 0;
	vrrp_fsm_init(&f, &c, &ops, NULL);
	vrrp_fsm_start(&f, 1);
	why = vrrp_fsm_check(&f, &p, &src);
	if (why == VRRP_DROP_NONE)
		vrrp_fsm_advert(&f, 2, &p, &src);
	else if (why == VRRP_DROP_SENDER && (data[0] & 12) != 0)
		abort();	/* a router it hears was refused */
	if (p.naddr <= VRRP_MAX_ADDRS) {
		n = vrrp_pkt_build(&p, &src, &dst, out, sizeof(out));
		/* Not the checksum: v3 ignores 4 reserved bits, v2 auth data. */
		if (n != (ssize_t)(size - 1))
			abort();
		if (memcmp(out, data + 1, 4) != 0 ||
		    (p.version == 3 && memcmp(out + 8, data + 9, n - 8) != 0))
			abort();
	}
	return 0;
}
