/*
 * GUE listeners (`ip fou add port P gue`) over generic netlink, family
 * "fou", with libmnl.  Resolving the family loads the fou module when
 * needed, so only apply and undo resolve it; listing does nothing when
 * the module is not loaded (then nothing listens).
 */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fou.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

struct genl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq, portid;
};

static struct nlmsghdr *
genl_msg(struct genl *g, char *buf, uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = FOU_GENL_VERSION;
	return nlh;
}

/* Runs one request; cb sees each answer (may be NULL).  0, or -errno. */
static int
genl_talk(struct genl *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r;

	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((r = (int)mnl_socket_recvfrom(g->nl, buf, sizeof(buf))) > 0) {
		r = mnl_cb_run(buf, (size_t)r, nlh->nlmsg_seq, g->portid, cb, data);
		if (r <= MNL_CB_STOP)
			break;
	}
	return r < 0 ? -errno : 0;
}

static int
family_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int
family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
	return MNL_CB_OK;
}

static int
genl_open(struct genl *g, char *why, size_t whylen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int r;

	memset(g, 0, sizeof(*g));
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (g->nl == NULL || mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(why, whylen, "generic netlink: %s", strerror(errno));
		if (g->nl != NULL)
			mnl_socket_close(g->nl);
		return -1;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	nlh = genl_msg(g, buf, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, FOU_GENL_NAME);
	r = genl_talk(g, nlh, family_cb, &g->family);
	if (r < 0 || g->family == 0) {
		snprintf(why, whylen, "this kernel has no GUE receive side "
		    "(generic netlink family fou, module fou): %s",
		    strerror(r < 0 ? -r : ENOENT));
		mnl_socket_close(g->nl);
		return -1;
	}
	return 0;
}

struct fou_entry {
	struct rs_fou f;
	bool port, af;
};

static int
fou_attr(const struct nlattr *a, void *data)
{
	struct fou_entry *e = data;

	switch (mnl_attr_get_type(a)) {
	case FOU_ATTR_PORT:
		if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0) {
			e->f.port = ntohs(mnl_attr_get_u16(a));
			e->port = true;
		}
		break;
	case FOU_ATTR_AF:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0) {
			e->f.af = mnl_attr_get_u8(a);
			e->af = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static int
fou_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rs_host *h = data;
	struct fou_entry e = { { 0, 0 }, false, false };

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), fou_attr, &e);
	if (e.port && e.af) {
		h->fous = xrealloc(h->fous, (h->nfous + 1) * sizeof(*h->fous));
		h->fous[h->nfous++] = e.f;
	}
	return MNL_CB_OK;
}

int
rs_fou_list(struct rs_host *h, char *why, size_t whylen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genl g;
	int r;

	if (access("/sys/module/fou", F_OK) < 0)
		return 0;	/* not loaded: nothing listens */
	if (genl_open(&g, why, whylen) < 0)
		return -1;
	r = genl_talk(&g, genl_msg(&g, buf, g.family, NLM_F_DUMP, FOU_CMD_GET),
	    fou_cb, h);
	mnl_socket_close(g.nl);
	if (r < 0) {
		snprintf(why, whylen, "cannot list the GUE listeners: %s",
		    strerror(-r));
		return -1;
	}
	return 0;
}

int
rs_fou_change(uint16_t port, sa_family_t af, bool add, char *why, size_t whylen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genl g;
	int r;

	if (genl_open(&g, why, whylen) < 0)
		return -1;
	nlh = genl_msg(&g, buf, g.family, NLM_F_ACK,
	    add ? FOU_CMD_ADD : FOU_CMD_DEL);
	mnl_attr_put_u16(nlh, FOU_ATTR_PORT, htons(port));
	mnl_attr_put_u8(nlh, FOU_ATTR_AF, (uint8_t)af);
	if (add)
		mnl_attr_put_u8(nlh, FOU_ATTR_TYPE, FOU_ENCAP_GUE);
	r = genl_talk(&g, nlh, NULL, NULL);
	mnl_socket_close(g.nl);
	/* The kernel says EALREADY for a port taken, EINVAL for one unknown. */
	if ((r == -EALREADY || r == -EEXIST) && add)
		return 1;
	if ((r == -EINVAL || r == -ENOENT) && !add)
		return 1;
	if (r < 0) {
		snprintf(why, whylen, "cannot %s the GUE listener on UDP port "
		    "%u: %s", add ? "open" : "close", port, strerror(-r));
		return -1;
	}
	return 0;
}
