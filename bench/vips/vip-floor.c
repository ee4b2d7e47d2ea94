/*
 * vip-floor: the VIP benchmark's floor.  It adds, then removes, a list of
 * addresses the plainest fast way: one NETLINK_ROUTE socket, BATCH bytes
 * of RTM_NEWADDR (then RTM_DELADDR) requests per sendmsg, every request
 * asking for an ack, all the acks of a batch read before the next batch.
 * It shares no code with lvsd.
 *
 *   vip-floor [-b BATCH_BYTES] [-a | -r] LIST
 *
 * LIST: one address per line, "ADDR/PLEN DEVICE [LABEL]" (IPv4 or IPv6).
 * Adds, then removes, every address; -a only adds, -r only removes.
 * Prints "add: n=N errors=E time=Ts" and/or "del: ..." (each from the
 * first request to the last ack); exits 0 when the kernel accepted every
 * request.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct vip {
	int af, ifindex;
	unsigned char plen;
	unsigned char addr[16];
	char label[IFNAMSIZ];
};

static int fd;
static uint32_t seq = 1;
static unsigned errors;

static void
die(const char *what)
{
	fprintf(stderr, "vip-floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static size_t
request(char *buf, const struct vip *v, bool add)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	size_t alen = v->af == AF_INET ? 4 : 16;

	memset(buf, 0, NLMSG_SPACE(sizeof(*ifa)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	h->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE : 0);
	h->nlmsg_seq = seq++;
	ifa->ifa_family = (unsigned char)v->af;
	ifa->ifa_prefixlen = v->plen;
	ifa->ifa_index = (unsigned)v->ifindex;
	if (v->af == AF_INET6 && add)
		ifa->ifa_flags = IFA_F_NODAD;
	attr(h, IFA_LOCAL, v->addr, alen);
	attr(h, IFA_ADDRESS, v->addr, alen);
	if (v->label[0] != '\0')
		attr(h, IFA_LABEL, v->label, strlen(v->label) + 1);
	return NLMSG_ALIGN(h->nlmsg_len);
}

/* Reads acks until the one of seq `last`. */
static void
acks(uint32_t last)
{
	static char buf[1 << 16];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		int left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		    h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (e->error != 0 && errors++ < 5)
				fprintf(stderr, "vip-floor: request %u: %s\n",
				    h->nlmsg_seq, strerror(-e->error));
			if (h->nlmsg_seq == last)
				return;
		}
	}
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every vip added (or removed) in batches; returns the seconds it took. */
static double
run(const struct vip *v, size_t n, bool add, size_t batch)
{
	static char *buf;
	size_t len = 0;
	double t0 = now();

	if (buf == NULL && (buf = malloc(batch + 256)) == NULL)
		die("malloc");
	for (size_t i = 0; i <= n; i++) {
		if (len > 0 && (i == n || len + 256 > batch)) {
			if (send(fd, buf, len, 0) < 0)
				die("send");
			acks(seq - 1);
			len = 0;
		}
		if (i < n)
			len += request(buf + len, &v[i], add);
	}
	return now() - t0;
}

static struct vip *
read_list(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[256], a[64], dev[IFNAMSIZ], label[IFNAMSIZ];
	struct vip *v = NULL;
	size_t cap = 0;
	unsigned plen;

	if (f == NULL)
		die(path);
	*n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		label[0] = '\0';
		if (sscanf(line, "%63[^/]/%u %15s %15s", a, &plen, dev, label) < 3) {
			fprintf(stderr, "vip-floor: %s: bad line: %s", path, line);
			exit(2);
		}
		if (*n == cap && (v = realloc(v, (cap = cap ? cap * 2 : 1024) *
		    sizeof(*v))) == NULL)
			die("realloc");
		struct vip *x = &v[(*n)++];
		memset(x, 0, sizeof(*x));
		x->af = strchr(a, ':') ? AF_INET6 : AF_INET;
		x->plen = (unsigned char)plen;
		if (inet_pton(x->af, a, x->addr) != 1 ||
		    (x->ifindex = (int)if_nametoindex(dev)) == 0) {
			fprintf(stderr, "vip-floor: %s: bad address or device: %s",
			    path, line);
			exit(2);
		}
		snprintf(x->label, sizeof(x->label), "%s", x->af == AF_INET ? label : "");
	}
	fclose(f);
	return v;
}

int
main(int argc, char **argv)
{
	size_t batch = 64 * 1024, n;
	bool add = true, del = true;
	int c, big = 16 << 20, one = 1;

	while ((c = getopt(argc, argv, "b:ar")) != -1) {
		if (c == 'a')
			del = false;
		else if (c == 'r')
			add = false;
		else if (c != 'b' || (batch = strtoul(optarg, NULL, 10)) < 1024)
			optind = argc;		/* usage */
	}
	if (optind + 1 != argc || (!add && !del)) {
		fprintf(stderr, "usage: vip-floor [-b BATCH] [-a | -r] LIST\n");
		return 2;
	}
	struct vip *v = read_list(argv[optind], &n);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("netlink socket");
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* every request's ack of a batch must fit */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		die("SO_RCVBUFFORCE");
	if (add)
		printf("add: n=%zu errors=%u time=%.3fs\n", n, errors,
		    run(v, n, true, batch));
	unsigned add_errors = errors;
	errors = 0;
	if (del)
		printf("del: n=%zu errors=%u time=%.3fs\n", n, errors,
		    run(v, n, false, batch));
	fflush(stdout);
	return add_errors == 0 && errors == 0 ? 0 : 1;
}
