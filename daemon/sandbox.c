/*
 * Each process's privileges (see daemon/sandbox.h).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/sandbox.h"
#include "lib/log.h"
#include "lib/privs.h"

#define C(n)	PRIVS_CAP(CAP_##n)

/* What the parent itself uses. */
#define PARENT_EFFECTIVE (C(NET_ADMIN) | C(NET_RAW) | C(KILL) | C(SETUID) | \
	C(SETGID))
/* ... and holds (not effective) for the failover process it (re)starts:
 * with no_new_privs a root execve gets no more than this. */
#define PARENT_PERMITTED (PARENT_EFFECTIVE | C(SYS_NICE) | C(IPC_LOCK) | \
	C(NET_BIND_SERVICE))
/* Addresses and routes (netlink), VRRP and GARP (raw and packet
 * sockets), pulse's port 539, memory locked as it grows (mlockall
 * MCL_FUTURE beyond RLIMIT_MEMLOCK). */
#define FAILOVER_KEEP (C(NET_ADMIN) | C(NET_RAW) | C(NET_BIND_SERVICE) | \
	C(IPC_LOCK))

/* What the failover and checks processes may need of the parent's set
 * when they start (each keeps less once it has used it). */
#define CHILD_CAPS (FAILOVER_KEEP | C(SYS_NICE))

static void
log_kept(const char *who, const char *as)
{
	struct privs_caps c;
	char eff[256], perm[256];
	if (privs_get(&c) < 0) {
		log_warn("%s: cannot read its capabilities", who);
		return;
	}
	privs_format(c.effective, eff, sizeof(eff));
	privs_format(c.permitted & ~c.effective, perm, sizeof(perm));
	log_info("%s: runs as %s with %s%s%s", who, as, eff,
	    c.permitted != c.effective ? "; held for the processes it starts: "
	    : "", c.permitted != c.effective ? perm : "");
}

static void
no_new_privs(const char *who)
{
	if (privs_no_new_privs() < 0)
		log_warn("%s: cannot set no_new_privs", who);
}

void
sandbox_parent(void)
{
	bool skipped;
	/* The bounding set first: it takes CAP_SETPCAP, dropped next. */
	if (privs_bound(PARENT_PERMITTED, &skipped) < 0)
		log_warn("cannot reduce the capability bounding set");
	if (privs_limit(PARENT_PERMITTED, PARENT_EFFECTIVE) < 0)
		log_warn("cannot drop capabilities");
	no_new_privs("lvsd");
	char as[32];
	snprintf(as, sizeof(as), "uid %ld", (long)geteuid());
	log_kept("lvsd", as);
}

void
sandbox_pass_on(bool on)
{
	/* Root's processes take what they keep from the permitted set. */
	if (geteuid() == 0)
		return;
	if (privs_pass_on(on ? CHILD_CAPS : 0) < 0)
		log_warn("cannot %s the capabilities of the process it starts",
		    on ? "pass on" : "take back");
}

void
sandbox_failover(void)
{
	/* Availability first: a failover process that could not drop a
	 * capability still advertises (logged, never fatal). */
	if (privs_limit(FAILOVER_KEEP, FAILOVER_KEEP) < 0)
		log_warn("failover process: cannot drop capabilities");
	no_new_privs("failover process");
	char as[32];
	snprintf(as, sizeof(as), "uid %ld", (long)geteuid());
	log_kept("failover process", as);
	(void)seccomp_enter(SECCOMP_FAILOVER);
}

/* Whether this user may open ICMP datagram ("ping") sockets:
 * net.ipv4.ping_group_range, for IPv4 and IPv6 alike. */
static bool
ping_sockets_allowed(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int
become(const struct sandbox_checks *c, privs_set keep)
{
	struct privs_user u;
	if (privs_lookup_user(c->user, &u) < 0) {
		log_warn("checks process: script_user `%s`", c->user);
		return -1;
	}
	if (privs_become(&u, keep) == 0)
		return 0;
	if (geteuid() != 0 && errno == EPERM) {
		/* lvsd was not started as root: there is nothing to drop. */
		log_warnx("checks process: cannot run as script_user `%s` "
		    "(lvsd runs as uid %ld): checks run as uid %ld", c->user,
		    (long)geteuid(), (long)geteuid());
		return privs_limit(keep, keep);
	}
	log_warn("checks process: cannot run as script_user `%s`", c->user);
	return -1;
}

/*
 * Under a unit that lets the failover process take real-time priority by
 * limits (LimitRTPRIO=, LimitNICE=) rather than CAP_SYS_NICE, every
 * process inherits them: the checks process, and the programs it starts,
 * gives them up (a hard limit lowered cannot be raised again).
 */
static void
no_priority_limits(void)
{
	static const int res[] = { RLIMIT_RTPRIO, RLIMIT_NICE };
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		struct rlimit rl;
		if (getrlimit(res[i], &rl) == 0 && rl.rlim_max != 0) {
			rl.rlim_cur = rl.rlim_max = 0;
			if (setrlimit(res[i], &rl) < 0)
				log_warn("checks process: cannot lower its "
				    "priority limits");
		}
	}
}

int
sandbox_checks(const struct sandbox_checks *c)
{
	privs_set keep = c->icmp ? C(NET_RAW) : 0;
	if ((c->user != NULL ? become(c, keep) : privs_limit(keep, keep)) < 0)
		return -1;
	no_priority_limits();
	/* A ping socket needs no capability where the user's group may open
	 * one: then a raw socket is never needed. */
	if (c->icmp && ping_sockets_allowed() && privs_limit(0, 0) < 0)
		return -1;
	no_new_privs("checks process");
	char as[96];
	snprintf(as, sizeof(as), "%s (uid %ld)", c->user != NULL ? c->user :
	    "its user", (long)geteuid());
	log_kept("checks process", as);
	/* Programs inherit a filter: an arbitrary program's system calls
	 * cannot be listed, so with programs the process has none. */
	if (c->programs)
		log_info("checks process: no system-call filter: check "
		    "programs run as its children");
	else
		(void)seccomp_enter(SECCOMP_CHECKS);	/* logged */
	return 0;
}
