/*
 * Starting helper programs the way a daemon must: the child gets its own
 * process group (so a timeout can kill everything it started), default
 * signal handling, /dev/null for input, no inherited descriptors, the
 * given environment only, and optionally an unprivileged user.
 */
#ifndef LVSD_LIB_SPAWN_H
#define LVSD_LIB_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/privs.h"

struct spawn_opts {
	char *const *argv;		/* argv[0]: absolute path or name */
	char *const *envp;		/* the whole environment */
	int stdout_fd;			/* -1: /dev/null */
	int stderr_fd;			/* -1: /dev/null */
	/* Switch to this user (its groups, gid, uid) unless the caller
	 * already runs as it: NULL, as the caller. */
	const struct privs_user *user;
};

/* PATH given to children (and searched for a bare argv[0]). */
#define SPAWN_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Forks and execs.  Returns the child's pid (also its process group), or
 * -1 with errno set.  A child that cannot exec exits 127 (not found) or
 * 126 (setup failed).
 */
pid_t spawn_child(const struct spawn_opts *o);

/*
 * In a child about to exec: becomes u (groups, gid, uid) unless it already
 * is u, which needs no privilege (a process already running as the
 * unprivileged user, like lvsd's checks process, has none).  0 or -1.
 */
int spawn_switch_user(const struct privs_user *u);

#endif
