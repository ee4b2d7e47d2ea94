#include "config.h"

#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ipvs/priv.h"

/*
 * The ipvsadm command line equivalent to a request, so a dry run shows an
 * operator exactly what lvsd would do in a language they already know,
 * and can be replayed by hand.
 */

struct out {
	char *buf;
	size_t len, pos;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void
put_service_key(struct out *o, const struct ipvs_service *svc)
{
	char ap[LVS_ADDRPORTSTRLEN];

	if (svc->fwmark != 0) {
		put(o, " -f %u%s", svc->fwmark, svc->af == AF_INET6 ? " -6" : "");
		return;
	}
	const char *opt = svc->protocol == IPPROTO_UDP ? "-u" :
	    svc->protocol == IPPROTO_SCTP ? "--sctp-service" : "-t";
	put(o, " %s %s", opt, addr_port_fmt(&svc->addr, svc->port, ap));
}

static void
put_sched_flags(struct out *o, const struct ipvs_service *svc)
{
	const char *kind = strcmp(svc->sched, "mh") == 0 ? "mh" : "sh";
	const char *sep = " -b ";

	if (svc->flags & IPVS_SVC_SCHED1) {
		put(o, "%s%s-fallback", sep, kind);
		sep = ",";
	}
	if (svc->flags & IPVS_SVC_SCHED2) {
		put(o, "%s%s-port", sep, kind);
		sep = ",";
	}
	if (svc->flags & IPVS_SVC_SCHED3)
		put(o, "%sflag-3", sep);
}

static void
put_service_opts(struct out *o, const struct ipvs_service *svc)
{
	char mask[16];

	put(o, " -s %s", svc->sched);
	if (svc->flags & IPVS_SVC_PERSISTENT) {
		put(o, " -p %u", svc->timeout);
		if (svc->af == AF_INET && svc->netmask_plen != 32)
			put(o, " -M %s", netmask_fmt4(svc->netmask_plen, mask));
		else if (svc->af == AF_INET6 && svc->netmask_plen != 128)
			put(o, " -M %u", svc->netmask_plen);
	}
	if (svc->pe_name[0] != '\0')
		put(o, " --pe %s", svc->pe_name);
	if (svc->flags & IPVS_SVC_ONEPACKET)
		put(o, " -o");
	put_sched_flags(o, svc);
}

static void
put_dest_opts(struct out *o, const struct ipvs_dest *d)
{
	static const char *const tun[] = { "ipip", "gue", "gre" };

	switch (d->fwd) {
	case IPVS_FWD_ROUTE:
		put(o, " -g");
		break;
	case IPVS_FWD_TUNNEL:
		put(o, " -i");
		break;
	default:
		put(o, " -m");
		break;
	}
	put(o, " -w %d", d->weight);
	if (d->u_thresh != 0)
		put(o, " -x %u", d->u_thresh);
	if (d->l_thresh != 0)
		put(o, " -y %u", d->l_thresh);
	if (d->fwd != IPVS_FWD_TUNNEL || d->tun_type == IPVS_TUN_IPIP)
		return;
	put(o, " --tun-type %s", tun[d->tun_type % 3]);
	if (d->tun_port != 0)
		put(o, " --tun-port %u", d->tun_port);
	if (d->tun_flags & IPVS_TUN_F_REMCSUM)
		put(o, " --tun-remcsum");
	else if (d->tun_flags & IPVS_TUN_F_CSUM)
		put(o, " --tun-csum");
	else
		put(o, " --tun-nocsum");
}

void
ipvs_cmdline(char *buf, size_t len, uint8_t cmd, const struct ipvs_service *svc,
    const struct ipvs_dest *d)
{
	struct out o = { buf, len, 0 };
	char ap[LVS_ADDRPORTSTRLEN];
	static const char *const opt[] = {
		[IPVS_CMD_NEW_SERVICE] = "-A", [IPVS_CMD_SET_SERVICE] = "-E",
		[IPVS_CMD_DEL_SERVICE] = "-D", [IPVS_CMD_NEW_DEST] = "-a",
		[IPVS_CMD_SET_DEST] = "-e", [IPVS_CMD_DEL_DEST] = "-d",
	};

	buf[0] = '\0';
	if (cmd >= sizeof(opt) / sizeof(opt[0]) || opt[cmd] == NULL) {
		put(&o, "ipvsadm # %s", ipvs_cmd_name(cmd));
		return;
	}
	put(&o, "ipvsadm %s", opt[cmd]);
	put_service_key(&o, svc);
	if (cmd == IPVS_CMD_NEW_SERVICE || cmd == IPVS_CMD_SET_SERVICE)
		put_service_opts(&o, svc);
	if (d == NULL)
		return;
	put(&o, " -r %s", addr_port_fmt(&d->addr, d->port, ap));
	if (cmd != IPVS_CMD_DEL_DEST)
		put_dest_opts(&o, d);
}
