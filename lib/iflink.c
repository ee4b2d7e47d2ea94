/*
 * Interface lookups over rtnetlink (see iflink.h for why not ioctl).
 */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/iflink.h"

struct link_reply {
	unsigned index;
	uint8_t *hw;
	size_t hwmax, hwlen;
};

static int
on_attr(const struct nlattr *a, void *arg)
{
	struct link_reply *r = arg;
	if (mnl_attr_get_type(a) != IFLA_ADDRESS || r->hw == NULL)
		return MNL_CB_OK;
	size_t n = mnl_attr_get_payload_len(a);
	if (n <= r->hwmax) {
		memcpy(r->hw, mnl_attr_get_payload(a), n);
		r->hwlen = n;
	}
	return MNL_CB_OK;
}

static int
on_link(const struct nlmsghdr *nlh, void *arg)
{
	struct link_reply *r = arg;
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return MNL_CB_ERROR;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	r->index = (unsigned)ifi->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifi), on_attr, r);
}

int
iflink_lookup(const char *name, unsigned *index, uint8_t *hw, size_t hwmax,
    size_t *hwlen)
{
	size_t len = strlen(name);
	if (len == 0 || len >= IFNAMSIZ) {
		errno = ENODEV;
		return -1;
	}
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	/* Only what is asked for: no statistics, no VF list. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, 0);

	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl == NULL)
		return -1;
	struct link_reply r = { .hw = hw, .hwmax = hwmax };
	int rc = -1, err = EIO;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0 &&
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		rc = n > 0 ? mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq,
		    mnl_socket_get_portid(nl), on_link, &r) : -1;
		err = rc < 0 && errno == ENODEV ? ENODEV : errno;
	} else {
		err = errno;
	}
	mnl_socket_close(nl);
	if (rc < 0 || r.index == 0) {
		errno = err == 0 || err == EINVAL ? ENODEV : err;
		return -1;
	}
	*index = r.index;
	if (hwlen != NULL)
		*hwlen = r.hwlen;
	return 0;
}

unsigned
iflink_index(const char *name)
{
	unsigned index;
	return iflink_lookup(name, &index, NULL, 0, NULL) == 0 ? index : 0;
}
