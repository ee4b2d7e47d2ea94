#include "config.h"

#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "vrrp/priv.h"

static void
link_changed(struct nl_cache *cache, struct nl_object *obj, int action,
    void *arg)
{
	struct linkmon *m = arg;

	(void)cache;
	(void)obj;
	(void)action;
	if (m->fn != NULL)
		m->fn(m->arg);
}

static int
on_readable(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct linkmon *m = arg;
	int err;

	(void)src;
	(void)fd;
	(void)revents;
	if ((err = nl_cache_mngr_data_ready(m->mngr)) < 0)
		log_warnx("vrrp: link monitor: %s", nl_geterror(err));
	return 0;
}

int
linkmon_init(struct linkmon *m, sd_event *ev, linkmon_fn *fn, void *arg)
{
	int err;

	m->fn = fn;
	m->arg = arg;
	m->io = NULL;
	m->cache = NULL;
	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE,
	    &m->mngr);
	if (err < 0) {
		log_warnx("vrrp: link monitor: %s", nl_geterror(err));
		m->mngr = NULL;
		return -1;
	}
	err = nl_cache_mngr_add(m->mngr, "route/link", link_changed, m,
	    &m->cache);
	if (err < 0) {
		log_warnx("vrrp: link cache: %s", nl_geterror(err));
		linkmon_fini(m);
		return -1;
	}
	if (sd_event_add_io(ev, &m->io, nl_cache_mngr_get_fd(m->mngr), EPOLLIN,
	    on_readable, m) < 0) {
		log_warnx("vrrp: cannot watch the link monitor socket");
		linkmon_fini(m);
		return -1;
	}
	sd_event_source_set_priority(m->io, LVSD_PRIO_VRRP);
	return 0;
}

bool
linkmon_up(const struct linkmon *m, const char *ifname)
{
	struct rtnl_link *l;
	unsigned flags;

	if (m->cache == NULL)
		return true;	/* no monitor: assume up */
	l = rtnl_link_get_by_name(m->cache, ifname);
	if (l == NULL)
		return false;
	flags = rtnl_link_get_flags(l);
	rtnl_link_put(l);
	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

bool
linkmon_eval(const struct linkmon *m, const char *own,
    const struct vrrp_link_watch *links, size_t n, int *prio_delta)
{
	bool fault = own != NULL && own[0] != '\0' && !linkmon_up(m, own);

	*prio_delta = 0;
	for (size_t i = 0; i < n; i++) {
		if (linkmon_up(m, links[i].ifname))
			continue;
		if (links[i].priority_delta == 0)
			fault = true;
		else
			*prio_delta += links[i].priority_delta;
	}
	return fault;
}

void
linkmon_fini(struct linkmon *m)
{
	m->io = sd_event_source_disable_unref(m->io);
	if (m->mngr != NULL)
		nl_cache_mngr_free(m->mngr);	/* frees the cache too */
	m->mngr = NULL;
	m->cache = NULL;
}

uint64_t
vrrp_now(sd_event *ev)
{
	uint64_t now;

	if (sd_event_now(ev, CLOCK_MONOTONIC, &now) < 0) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	}
	return now;
}
