/* fuzz-sources: vrrp/packet.c vrrp/pulse_fsm.c vrrp/config.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The pulse heartbeat parser and the state machine fed with its result:
 * byte 0 picks the source (partner or stranger) and the role, the rest is
 * the datagram.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vrrp/fsm.h"
#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nop_send(void *ctx, bool running)
{
	(void)ctx;
	(void)running;
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

static const struct pulse_fsm_ops ops = { nop_send, nop_announce, nop_state };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pulse_config c;
	struct pulse_fsm f;
	struct lvs_addr src;
	bool running;
	uint8_t again[PULSE_PKT_LEN];
	enum vrrp_drop d;

	if (size < 1)
		return 0;
	if (pulse_pkt_parse(data + 1, size - 1, &running) != 0)
		return 0;
	pulse_pkt_build(running, again);
	if (memcmp(again, data + 1, PULSE_PKT_LEN) != 0)
		abort();
	pulse_config_init(&c);
	c.primary = data[0] & 2;
	addr_parse("10.0.0.2", &c.partner);
	addr_parse(data[0] & 1 ? "10.0.0.9" : "10.0.0.2", &src);
	pulse_fsm_init(&f, &c, &ops, NULL);
	pulse_fsm_start(&f, 1);
	d = pulse_fsm_recv(&f, 2, &src, running);
	if ((d == VRRP_DROP_SENDER) != ((data[0] & 1) != 0))
		abort();
	return 0;
}
