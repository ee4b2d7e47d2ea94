/*
 * The host as lvs-realserver sees and changes it: links and addresses
 * over rtnetlink (libnl-route, as vrrp/vip.c), sysctls through /proc/sys.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

struct rs_nl {
	struct nl_sock *sk;
};

struct rs_nl *
rs_nl_open(char *why, size_t whylen)
{
	struct rs_nl *nl = xcalloc(1, sizeof(*nl));
	int err;

	nl->sk = nl_socket_alloc();
	if (nl->sk == NULL) {
		snprintf(why, whylen, "cannot allocate a netlink socket");
		free(nl);
		return NULL;
	}
	if ((err = nl_connect(nl->sk, NETLINK_ROUTE)) < 0) {
		snprintf(why, whylen, "rtnetlink: %s", nl_geterror(err));
		nl_socket_free(nl->sk);
		free(nl);
		return NULL;
	}
	return nl;
}

void
rs_nl_close(struct rs_nl *nl)
{
	if (nl == NULL)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

int
rs_sysctl_read(const char *key, char *val, size_t len)
{
	char path[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, val, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	val[n] = '\0';
	val[strcspn(val, "\n")] = '\0';
	return 0;
}

static int
sysctl_get(void *ctx, const char *key, char *val, size_t len)
{
	(void)ctx;
	return rs_sysctl_read(key, val, len);
}

int
rs_sysctl_write(const char *key, const char *value, char *why, size_t whylen)
{
	char path[256], nb[160], line[40];
	int fd, len;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	len = snprintf(line, sizeof(line), "%s\n", value);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, line, (size_t)len) != len) {
		snprintf(why, whylen, "cannot set %s: %s",
		    rs_sysctl_name(key, nb, sizeof(nb)), errno == ENOENT ?
		    "no such setting (is the interface there?)" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void
read_links(struct nl_cache *links, struct rs_host *h)
{
	for (struct nl_object *o = nl_cache_get_first(links); o != NULL;
	    o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		struct rs_link *x;

		h->links = xrealloc(h->links, (h->nlinks + 1) * sizeof(*h->links));
		x = &h->links[h->nlinks++];
		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "%s", rtnl_link_get_name(l));
		x->up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
		x->loopback = (rtnl_link_get_flags(l) & IFF_LOOPBACK) != 0;
	}
}

static void
read_addrs(struct nl_cache *addrs, struct nl_cache *links, struct rs_host *h)
{
	for (struct nl_object *o = nl_cache_get_first(addrs); o != NULL;
	    o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(a);
		struct rs_hostaddr *x;
		int af = local != NULL ? nl_addr_get_family(local) : AF_UNSPEC;

		if (af != AF_INET && af != AF_INET6)
			continue;
		h->addrs = xrealloc(h->addrs, (h->naddrs + 1) * sizeof(*h->addrs));
		x = &h->addrs[h->naddrs++];
		memset(x, 0, sizeof(*x));
		x->addr.af = (sa_family_t)af;
		memcpy(&x->addr.u, nl_addr_get_binary_addr(local),
		    addr_len(&x->addr));
		x->plen = (unsigned)rtnl_addr_get_prefixlen(a);
		if (rtnl_link_i2name(links, rtnl_addr_get_ifindex(a), x->ifname,
		    sizeof(x->ifname)) == NULL)
			snprintf(x->ifname, sizeof(x->ifname), "if%d",
			    rtnl_addr_get_ifindex(a));
	}
}

int
rs_host_read(struct rs_nl *nl, struct rs_host *h, char *why, size_t whylen)
{
	struct nl_cache *links = NULL, *addrs = NULL;
	int err;

	memset(h, 0, sizeof(*h));
	h->sysctl_get = sysctl_get;
	if ((err = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &links)) < 0 ||
	    (err = rtnl_addr_alloc_cache(nl->sk, &addrs)) < 0) {
		snprintf(why, whylen, "cannot list the links and addresses: %s",
		    nl_geterror(err));
		nl_cache_free(links);
		return -1;
	}
	read_links(links, h);
	read_addrs(addrs, links, h);
	nl_cache_free(addrs);
	nl_cache_free(links);
	return rs_fou_list(h, why, whylen);
}

void
rs_host_free(struct rs_host *h)
{
	free(h->addrs);
	free(h->links);
	free(h->fous);
	memset(h, 0, sizeof(*h));
}

int
rs_link_create(struct rs_nl *nl, const char *name, const char *kind, char *why,
    size_t whylen)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int err;

	if (l == NULL)
		abort();
	rtnl_link_set_name(l, name);
	/*
	 * Asking for a link of the kind loads its module, which creates
	 * the catch-all device itself; the request then finds it there.
	 */
	rtnl_link_set_type(l, kind);
	err = rtnl_link_add(nl->sk, l, NLM_F_CREATE);
	rtnl_link_put(l);
	if (err < 0 && err != -NLE_EXIST) {
		snprintf(why, whylen, "cannot create %s (%s): %s%s", name, kind,
		    nl_geterror(err), err == -NLE_OPNOTSUPP ?
		    " (this kernel lacks the module)" : "");
		return -1;
	}
	return 0;
}

int
rs_link_set_up(struct rs_nl *nl, const char *name, bool up, char *why,
    size_t whylen)
{
	struct rtnl_link *l = NULL, *change;
	int err = rtnl_link_get_kernel(nl->sk, 0, name, &l);

	if (err < 0) {
		snprintf(why, whylen, "%s: %s", name, nl_geterror(err));
		return -1;
	}
	change = rtnl_link_alloc();
	if (change == NULL)
		abort();
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	err = rtnl_link_change(nl->sk, l, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(l);
	if (err < 0) {
		snprintf(why, whylen, "cannot set %s %s: %s", name,
		    up ? "up" : "down", nl_geterror(err));
		return -1;
	}
	return 0;
}

int
rs_addr_change(struct rs_nl *nl, const char *ifname, const struct lvs_addr *a,
    unsigned plen, bool add, char *why, size_t whylen)
{
	char ab[LVS_ADDRSTRLEN];
	unsigned idx = if_nametoindex(ifname);
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err;

	if (idx == 0) {
		snprintf(why, whylen, "%s: no such interface", ifname);
		return -1;
	}
	ra = rtnl_addr_alloc();
	local = nl_addr_build(a->af, &a->u, addr_len(a));
	if (ra == NULL || local == NULL)
		abort();
	nl_addr_set_prefixlen(local, (int)plen);
	rtnl_addr_set_ifindex(ra, (int)idx);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, (int)plen);
	nl_addr_put(local);
	if (a->af == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = add ? rtnl_addr_add(nl->sk, ra, NLM_F_EXCL) :
	    rtnl_addr_delete(nl->sk, ra, 0);
	rtnl_addr_put(ra);
	if (add && err == -NLE_EXIST)
		return 1;
	if (!add && (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND ||
	    err == -NLE_NODEV))
		return 1;
	if (err < 0) {
		snprintf(why, whylen, "cannot %s %s/%u %s %s: %s",
		    add ? "add" : "remove", addr_fmt(a, ab), plen,
		    add ? "to" : "from", ifname, nl_geterror(err));
		return -1;
	}
	return 0;
}

void
rs_boot_id(char *buf, size_t len)
{
	if (rs_sysctl_read("kernel/random/boot_id", buf, len) < 0)
		snprintf(buf, len, "-");
}
