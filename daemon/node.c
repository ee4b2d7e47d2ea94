#include "config.h"

#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/node.h"
#include "lib/xalloc.h"

const char *
node_role_name(enum node_role role)
{
	switch (role) {
	case NODE_ROLE_PRIMARY:
		return "primary";
	case NODE_ROLE_BACKUP:
		return "backup";
	default:
		return "unknown";
	}
}

int
node_role_parse(const char *text, enum node_role *role)
{
	if (strcmp(text, "primary") == 0)
		*role = NODE_ROLE_PRIMARY;
	else if (strcmp(text, "backup") == 0)
		*role = NODE_ROLE_BACKUP;
	else
		return -1;
	return 0;
}

static bool
is_local(const struct lvs_addr *a, const struct lvs_addr *local, size_t n)
{
	if (a->af == AF_UNSPEC)
		return false;
	for (size_t i = 0; i < n; i++)
		if (addr_eq(a, &local[i]))
			return true;
	return false;
}

int
node_role_decide(const struct cfg *cfg, const struct lvs_addr *local,
    size_t nlocal, enum node_role *role, char *why, size_t whylen)
{
	const struct cfg_global *g = &cfg->global;
	bool p = is_local(&g->primary, local, nlocal) ||
	    is_local(&g->primary_private, local, nlocal);
	bool b = g->backup_active && (is_local(&g->backup, local, nlocal) ||
	    is_local(&g->backup_private, local, nlocal));
	char pa[LVS_ADDRSTRLEN], ba[LVS_ADDRSTRLEN];
	if (p && b) {
		snprintf(why, whylen, "this node owns both the primary (%s) and "
		    "the backup (%s) address; choose one with --role",
		    addr_fmt(&g->primary, pa), addr_fmt(&g->backup, ba));
		return -1;
	}
	if (p || b) {
		*role = p ? NODE_ROLE_PRIMARY : NODE_ROLE_BACKUP;
		return 0;
	}
	if (!g->backup_active) {
		/* A lone director is the primary whatever its addresses. */
		*role = NODE_ROLE_PRIMARY;
		return 0;
	}
	snprintf(why, whylen, "this node owns neither the primary (%s) nor the "
	    "backup (%s) address of %s; start lvsd with --role primary or "
	    "--role backup", addr_fmt(&g->primary, pa), addr_fmt(&g->backup, ba),
	    cfg->path);
	return -1;
}

int
node_role_detect(const struct cfg *cfg, enum node_role *role, char *why,
    size_t whylen)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) < 0) {
		snprintf(why, whylen, "cannot list local addresses (getifaddrs): %m");
		return -1;
	}
	size_t n = 0, cap = 16;
	struct lvs_addr *local = xcalloc(cap, sizeof(*local));
	for (struct ifaddrs *i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		int af = i->ifa_addr->sa_family;
		if (af != AF_INET && af != AF_INET6)
			continue;
		if (n == cap)
			local = xrealloc(local, (cap *= 2) * sizeof(*local));
		memset(&local[n], 0, sizeof(local[n]));
		local[n].af = (sa_family_t)af;
		if (af == AF_INET)
			local[n].u.v4 = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		else
			local[n].u.v6 = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
		n++;
	}
	freeifaddrs(ifa);
	int r = node_role_decide(cfg, local, n, role, why, whylen);
	free(local);
	return r;
}
