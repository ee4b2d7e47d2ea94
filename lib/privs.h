/*
 * Capabilities, users and no_new_privs, without libcap: capget/capset
 * through syscall(2), prctl for the bounding and ambient sets
 * (capabilities(7)).  lvsd's processes each keep what they use
 * (daemon/sandbox.c says what and why); this module only knows how.
 *
 * A set is a bit mask, bit n for capability n of <linux/capability.h>
 * (PRIVS_CAP(CAP_NET_ADMIN)).  Each function returns 0, or -1 with errno
 * set; none logs.
 */
#ifndef LVSD_LIB_PRIVS_H
#define LVSD_LIB_PRIVS_H

#include <linux/capability.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint64_t privs_set;
#define PRIVS_CAP(n)	((privs_set)1 << (n))

struct privs_caps {
	privs_set effective, permitted, inheritable;
};

/* The calling thread's sets. */
int privs_get(struct privs_caps *out);
/* Whether cap is in the effective set now. */
bool privs_have(int cap);

/*
 * Keeps only `permitted` (what is not held stays out) and, of that,
 * `effective`; clears the inheritable and ambient sets, so nothing is
 * handed to a program across execve but what a root execve gives (see
 * privs_no_new_privs).
 */
int privs_limit(privs_set permitted, privs_set effective);

/*
 * Drops every capability but `keep` from the bounding set, the ceiling
 * of what any later execve can give.  Needs CAP_SETPCAP: without it
 * (under systemd, whose unit already bounds the set) nothing is done and
 * *skipped is set.
 */
int privs_bound(privs_set keep, bool *skipped);

/*
 * Makes `pass` (what of it is permitted) the inheritable and ambient sets,
 * so that a program the caller starts keeps it although the caller is not
 * root: without file capabilities, a non-root execve keeps the ambient
 * set alone (capabilities(7)).  0 empties both.  A root execve ignores
 * them.
 */
int privs_pass_on(privs_set pass);

/* PR_SET_NO_NEW_PRIVS: no execve (setuid, file capabilities) can add to
 * the permitted set from now on, in this process and its children. */
int privs_no_new_privs(void);

/* The user a process switches to: its ids and its groups. */
#define PRIVS_MAX_GROUPS 64
struct privs_user {
	uid_t uid;
	gid_t gid;
	int ngroups;			/* supplementary groups, gid among them */
	gid_t groups[PRIVS_MAX_GROUPS];
};

/*
 * Looks name up (getpwnam_r, getgrouplist): 0, or -1 with errno ENOENT if
 * there is no such user.  NSS may block: not on an event loop.
 */
int privs_lookup_user(const char *name, struct privs_user *out);

/* Whether the process already runs as u (real, effective, saved ids). */
bool privs_is_user(const struct privs_user *u);

/*
 * Becomes u (groups, then gid, then uid; real, effective and saved), and
 * keeps `keep` in the permitted and effective sets across the change
 * (PR_SET_KEEPCAPS).  Already u: only the capabilities change.  Checks
 * afterwards that root cannot be taken back.
 */
int privs_become(const struct privs_user *u, privs_set keep);

/* "cap_net_admin" (capabilities(7) names, lower case), or NULL. */
const char *privs_cap_name(int cap);
/* The set as "cap_a,cap_b" ("none" if empty), truncated to len. */
char *privs_format(privs_set set, char *buf, size_t len);

#endif
