/* fuzz-sources: tests/fuzz/fuzz_ipvs_reply.c ipvs/codec.c ipvs/table.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The IPVS generic-netlink reply parser under libFuzzer: the input is one
 * datagram as recv() would return it.  Every message the parser accepts
 * as a full service or destination must survive re-encoding with the
 * same meaning, and must be storable in a table (the mirror).
 */
#include "config.h"

#include <linux/ip_vs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"

static struct ipvs_table *mirror;

static void
check_service(const struct ipvs_msg *m)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_msg again;

	if (ipvs_service_check(&m->svc) == -1)
		return;
	ipvs_msg_service(buf, 0x2a, 1, 0, IPVS_CMD_NEW_SERVICE, &m->svc, true);
	if (ipvs_msg_parse((struct nlmsghdr *)buf, &again) != 0 ||
	    !ipvs_service_key_eq(&again.svc, &m->svc) ||
	    !ipvs_service_attrs_eq(&again.svc, &m->svc))
		abort();
	struct ipvs_svc *s = ipvs_table_add_service(mirror, &m->svc, "fuzz");
	if (s == NULL)
		s = ipvs_table_find_service(mirror, &m->svc);
	if (s == NULL)
		abort();
	if ((m->has & IPVS_HAS_DEST_FULL) && m->dest.fwd <= IPVS_FWD_ROUTE) {
		ipvs_msg_dest(buf, 0x2a, 1, 0, IPVS_CMD_NEW_DEST, &m->svc, &m->dest, true);
		if (ipvs_msg_parse((struct nlmsghdr *)buf, &again) != 0 ||
		    !addr_eq(&again.dest.addr, &m->dest.addr) ||
		    !ipvs_dest_attrs_eq(&again.dest, &m->dest))
			abort();
		(void)ipvs_table_add_dest(mirror, s, &m->dest, "fuzz/d");
	}
}

static int
on_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct ipvs_msg m;
	uint16_t fam;

	(void)arg;
	(void)ipvs_parse_family(nlh, &fam);
	if (ipvs_msg_parse(nlh, &m) != 0)
		return 0;
	if ((m.has & IPVS_HAS_SVC_FULL) != 0)
		check_service(&m);
	return 0;
}

static int
on_ack(uint32_t seq, int err, void *arg)
{
	(void)seq;
	(void)arg;
	if (err > 0 || err < -4095)
		abort();	/* the parser promised to reject these */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ipvs_stream_ops ops = { .msg = on_msg, .ack = on_ack };
	/* Netlink buffers are 4-byte aligned; so is this copy. */
	uint32_t *buf = malloc(size + 4);

	memcpy(buf, data, size);
	mirror = ipvs_table_new(4);
	(void)ipvs_stream_parse(buf, size, &ops, NULL);
	ipvs_table_free(mirror);
	free(buf);
	return 0;
}
