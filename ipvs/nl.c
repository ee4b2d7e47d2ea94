#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipvs/priv.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/*
 * The kernel transport: one NETLINK_GENERIC socket for the life of the
 * driver.  Buffers are large because the reconciler sends up to
 * IPVS_BATCH bytes of requests per sendmsg and error replies for a whole
 * batch may queue up before it reads them.
 */

#define NL_SNDBUF	(4u << 20)
#define NL_RCVBUF	(16u << 20)

struct nl_ctx {
	struct ipvs_transport tr;
	struct mnl_socket *nl;
};

static int
nl_send(void *ctx, const void *buf, size_t len)
{
	struct nl_ctx *c = ctx;
	if (mnl_socket_sendto(c->nl, buf, len) < 0)
		return -errno;
	return 0;
}

static ssize_t
nl_recv(void *ctx, void *buf, size_t len)
{
	struct nl_ctx *c = ctx;
	ssize_t n;

	do
		n = mnl_socket_recvfrom(c->nl, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static void
nl_close(void *ctx)
{
	struct nl_ctx *c = ctx;
	mnl_socket_close(c->nl);
	free(c);
}

static void
set_buf(int fd, int force_opt, int opt, unsigned size)
{
	int v = (int)size;
	/* FORCE needs CAP_NET_ADMIN, which lvsd has; fall back for tests. */
	if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

/* 0 with *family set, -ENOENT when there is no such family, or -errno. */
static int
resolve_family(struct mnl_socket *nl, uint16_t *family)
{
	char buf[8192];
	size_t len = ipvs_msg_getfamily(buf, 1);

	if (mnl_socket_sendto(nl, buf, len) < 0)
		return -errno;
	int err = -EBADMSG;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
				if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
					return -EBADMSG;
				return e->error != 0 ? e->error : err;
			}
			if (nlh->nlmsg_type == GENL_ID_CTRL &&
			    ipvs_parse_family(nlh, family) == 0)
				err = 0;
		}
	}
}

/* `modprobe ip_vs`, waited for: startup only, where blocking is fine. */
static void
run_modprobe(void)
{
	char *argv[] = { (char *)"modprobe", (char *)"ip_vs", NULL };
	extern char **environ;
	pid_t pid;
	int st;

	log_info("IPVS: generic netlink family missing, running modprobe ip_vs");
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ) != 0) {
		log_warnx("IPVS: cannot run modprobe");
		return;
	}
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
}

struct ipvs_transport *
ipvs_nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	uint16_t family = 0;
	int one = 1, err;

	if (nl == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		err = errno;
		goto fail;
	}
	/* Errors echo only the header of the request, not all of it. */
	(void)mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	set_buf(mnl_socket_get_fd(nl), SO_SNDBUFFORCE, SO_SNDBUF, NL_SNDBUF);
	set_buf(mnl_socket_get_fd(nl), SO_RCVBUFFORCE, SO_RCVBUF, NL_RCVBUF);
	err = -resolve_family(nl, &family);
	if (err == ENOENT) {
		run_modprobe();
		err = -resolve_family(nl, &family);
		if (err == ENOENT)
			err = IPVS_ENOKERNEL;
	}
	if (err != 0)
		goto fail;
	struct nl_ctx *c = xcalloc(1, sizeof(*c));
	c->nl = nl;
	c->tr.ctx = c;
	c->tr.send = nl_send;
	c->tr.recv = nl_recv;
	c->tr.close = nl_close;
	c->tr.family = family;
	return &c->tr;
fail:
	mnl_socket_close(nl);
	errno = err;
	return NULL;
}
