/*
 * ipvs-floor: the benchmark's floor for loading an IPVS table.  It reads
 * the ipvsadm-restore rules gen.py writes (IPv4 TCP services, NAT real
 * servers: "-A -t VIP:PORT -s SCHED" and "-a -t VIP:PORT -r RIP:PORT -m
 * -w W"), and sends them to the kernel the plainest fast way: one generic
 * netlink socket, BATCH bytes of requests per sendmsg, every request
 * asking for an ack, all the acks of a batch read before the next batch.
 * It shares no code with lvsd, so lvsd's start can be measured against it
 * honestly, in the same VM run.
 *
 *   ipvs-floor [-b BATCH_BYTES] RULES_FILE
 *
 * Prints "floor: services=S dests=D requests=R batches=B errors=E
 * time=T" (T from the first request to the last ack) and exits 0 when
 * the kernel accepted every request.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct floor {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq, batch_first;
	char *out;			/* the batch being filled */
	size_t len, cap;
	unsigned requests, batches, errors, acked;
	char rbuf[1 << 16];
};

static void
die(const char *what)
{
	fprintf(stderr, "ipvs-floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct nlmsghdr *
request(struct floor *f, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->out + f->len);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = f->seq++;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : IPVS_GENL_VERSION;
	return nlh;
}

/* Reads replies until seq `last` is acked; counts kernel errors. */
static void
read_acks(struct floor *f, uint32_t last)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(f->nl, f->rbuf, sizeof(f->rbuf));
		if (n < 0)
			die("recv");
		const struct nlmsghdr *nlh = (const void *)f->rbuf;
		int left = (int)n;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == GENL_ID_CTRL && f->family == 0) {
				struct nlattr *a;
				mnl_attr_for_each(a, nlh, GENL_HDRLEN)
					if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
						f->family = mnl_attr_get_u16(a);
				continue;
			}
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			f->acked++;
			if (e->error != 0 && f->errors++ < 5)
				fprintf(stderr, "ipvs-floor: request %u: %s\n",
				    nlh->nlmsg_seq, strerror(-e->error));
			if (nlh->nlmsg_seq == last)
				return;
		}
	}
}

static void
flush(struct floor *f)
{
	if (f->len == 0)
		return;
	if (mnl_socket_sendto(f->nl, f->out, f->len) < 0)
		die("send");
	f->batches++;
	read_acks(f, f->seq - 1);
	f->len = 0;
}

/* The service key (IPv4 TCP) inside a nest, and the rest when full. */
static void
put_service(struct nlmsghdr *nlh, struct in_addr vip, uint16_t port,
    const char *sched)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	uint8_t a[16] = { 0 };		/* union nf_inet_addr */

	memcpy(a, &vip, sizeof(vip));
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVS_SVC_ATTR_ADDR, sizeof(a), a);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(port));
	if (sched != NULL) {
		struct ip_vs_flags fl = { 0, 0 };
		mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, sched);
		mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, 0);
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, 0xffffffff);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void
put_dest(struct nlmsghdr *nlh, struct in_addr rip, uint16_t port, int weight)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	uint8_t a[16] = { 0 };

	memcpy(a, &rip, sizeof(rip));
	mnl_attr_put(nlh, IPVS_DEST_ATTR_ADDR, sizeof(a), a);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(port));
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, (uint32_t)weight);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, 0);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, 0);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, nest);
}

/* "A.B.C.D:PORT" */
static int
addr_port(const char *s, struct in_addr *a, uint16_t *port)
{
	char host[32];
	unsigned p;

	if (sscanf(s, "%31[0-9.]:%u", host, &p) != 2 || p > 65535 ||
	    inet_pton(AF_INET, host, a) != 1)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

/* One rule into the batch; -1 if the line is not one this program reads. */
static int
rule(struct floor *f, const char *line)
{
	char op[4], vs[64], rs[64], sched[16];
	struct in_addr vip, rip;
	uint16_t vport, rport;
	int weight;

	if (sscanf(line, "%3s -t %63s", op, vs) != 2 ||
	    addr_port(vs, &vip, &vport) == -1)
		return -1;
	if (f->len + 512 > f->cap)
		flush(f);
	if (strcmp(op, "-A") == 0 &&
	    sscanf(line, "-A -t %*s -s %15s", sched) == 1) {
		struct nlmsghdr *nlh = request(f, f->family, IPVS_CMD_NEW_SERVICE, 0);
		put_service(nlh, vip, vport, sched);
		f->len += nlh->nlmsg_len;
	} else if (strcmp(op, "-a") == 0 &&
	    sscanf(line, "-a -t %*s -r %63s -m -w %d", rs, &weight) == 2 &&
	    addr_port(rs, &rip, &rport) == 0) {
		struct nlmsghdr *nlh = request(f, f->family, IPVS_CMD_NEW_DEST, 0);
		put_service(nlh, vip, vport, NULL);
		put_dest(nlh, rip, rport, weight);
		f->len += nlh->nlmsg_len;
	} else {
		return -1;
	}
	f->requests++;
	return 0;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
open_socket(struct floor *f)
{
	int one = 1, big = 16 << 20;

	f->nl = mnl_socket_open(NETLINK_GENERIC);
	if (f->nl == NULL || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket");
	(void)mnl_socket_setsockopt(f->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/* a batch's acks must fit: 16 MB as lvsd, or fail loudly */
	if (setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVBUFFORCE,
	    &big, sizeof(big)) < 0)
		die("SO_RCVBUFFORCE");
	struct nlmsghdr *nlh = request(f, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
	f->len = nlh->nlmsg_len;
	flush(f);
	if (f->family == 0 || f->errors > 0) {
		fprintf(stderr, "ipvs-floor: no IPVS generic netlink family\n");
		exit(1);
	}
	f->batches = 0;
	f->acked = 0;
}

int
main(int argc, char **argv)
{
	static struct floor f;
	char line[256];
	unsigned nsvc = 0, ndst = 0, lineno = 0;
	int c;

	f.cap = 128 * 1024;
	while ((c = getopt(argc, argv, "b:")) != -1) {
		if (c != 'b' || (f.cap = strtoul(optarg, NULL, 10)) < 1024) {
			fprintf(stderr, "usage: ipvs-floor [-b BATCH_BYTES] RULES\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: ipvs-floor [-b BATCH_BYTES] RULES\n");
		return 2;
	}
	FILE *in = fopen(argv[optind], "r");
	if (in == NULL)
		die(argv[optind]);
	f.out = malloc(f.cap);
	if (f.out == NULL)
		die("malloc");
	f.seq = 1;
	open_socket(&f);
	double t0 = now();
	while (fgets(line, sizeof(line), in) != NULL) {
		lineno++;
		if (rule(&f, line) == -1) {
			fprintf(stderr, "ipvs-floor: %s:%u: not a rule this program "
			    "reads\n", argv[optind], lineno);
			return 2;
		}
		if (line[1] == 'A')
			nsvc++;
		else
			ndst++;
	}
	flush(&f);
	double t = now() - t0;
	printf("floor: services=%u dests=%u requests=%u batches=%u errors=%u "
	    "acked=%u time=%.3fs\n", nsvc, ndst, f.requests, f.batches, f.errors,
	    f.acked, t);
	return f.errors == 0 && f.acked == f.requests ? 0 : 1;
}
