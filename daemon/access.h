/*
 * Who may use the control socket, and for what (daemon/access.c).  The
 * kernel says who connected (SO_PEERCRED, SO_PEERGROUPS): root and the
 * members of lvs.cf's `control_group` get the admin role (every command),
 * the members of `monitor_group` the read-only role (status, show, dump,
 * metrics, events); anyone else is refused at once.  The socket itself is
 * open to every local user, so the groups work whatever its owner.
 */
#ifndef LVSD_DAEMON_ACCESS_H
#define LVSD_DAEMON_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum access_role { ACCESS_NONE, ACCESS_READ, ACCESS_ADMIN };

/* lvs.cf's groups, resolved (daemon/host_check.c). */
struct access_policy {
	bool admin_set, read_set;
	gid_t admin_gid, read_gid;
	char admin_name[64], read_name[64];
};

/* "web:alice via lvsd-web": whom a change is recorded under. */
#define ACCESS_ACTOR_MAX 112

/* Who is on the other end of a control connection. */
struct access_peer {
	pid_t pid;
	uid_t uid;
	enum access_role role;
	char user[33];			/* "alice", or "uid 1000" */
	/* "alice (uid 1000, pid 4242: lvsctl drain web/a)", for logs */
	char who[200];
};

/*
 * Identifies the peer of fd and its role under p, from the kernel's word
 * alone (who is "uid U, pid P"): cheap enough to refuse a flood of
 * strangers.  access_describe adds the user name and command line.
 */
void access_identify(int fd, const struct access_policy *p,
    struct access_peer *out);
void access_describe(struct access_peer *peer);
const char *access_role_name(enum access_role r);	/* "admin", ... */

#endif
