/*
 * What each of lvsd's processes keeps of root's privileges, and when it
 * lets the rest go (daemon/sandbox.c; the system calls each may make:
 * daemon/seccomp.c).  lvsd.8, PRIVILEGES, says the same for operators.
 *
 *   parent    its user (lvsd under the unit, or root); cap_net_admin
 *             (IPVS), cap_net_raw (ARP watch), and as root cap_kill,
 *             cap_setuid, cap_setgid (notify commands as script_user,
 *             their timeouts) in use; cap_ipc_lock, cap_net_bind_service
 *             (and as root cap_sys_nice) held only for the processes it
 *             starts; no seccomp filter (notify commands would inherit it)
 *   failover  its user; cap_net_admin, cap_net_raw, cap_net_bind_service,
 *             cap_ipc_lock; its own system-call allow-list
 *   checks    script_user (default lvsd), no capability (cap_net_raw
 *             when an ICMP check needs a raw socket); its allow-list
 *             unless check programs run (they would inherit it)
 *
 * Every process sets no_new_privs: with it no execve can raise the
 * permitted set, so what the parent keeps is the ceiling for the
 * processes and programs it starts.  Not root (the unit's User=lvsd with
 * ambient capabilities), a process keeps across execve only its ambient
 * set: the parent passes its processes theirs that way (sandbox_pass_on)
 * and the user never changes (script_user must be lvsd's own user:
 * host_check_privileges).
 */
#ifndef LVSD_DAEMON_SANDBOX_H
#define LVSD_DAEMON_SANDBOX_H

#include <stdbool.h>

/* Once the IPVS driver is open (ip_vs loaded): the parent's privileges. */
void sandbox_parent(void);

/*
 * Around the start of a failover or checks process: lvsd not started as
 * root passes them what they need through the ambient set (a non-root
 * execve keeps nothing else), and takes it back at once, so that no
 * notify command it starts later inherits it.  Nothing for root.
 */
void sandbox_pass_on(bool on);

/* Once the failover process has locked its memory and set its
 * scheduling: what it keeps, and its filter. */
void sandbox_failover(void);

/* What the checks process is to run (the parent decides from the plan;
 * a change restarts the process). */
struct sandbox_checks {
	const char *user;	/* script_user: NULL, stay as started */
	bool icmp;		/* an ICMP check or pre-check */
	bool programs;		/* send_program or exec checks */
};

/*
 * The checks process becomes its user, keeps cap_net_raw only if an ICMP
 * check cannot do without (net.ipv4.ping_group_range), and enters its
 * filter.  -1 (logged) if the user cannot be taken on: the process must
 * not run checks as root instead.
 */
int sandbox_checks(const struct sandbox_checks *c);

/*
 * The system-call allow-lists (daemon/seccomp.c).  Not entered in
 * sanitizer builds (LeakSanitizer stops the world with ptrace): 1, with
 * one log line.  0 once the filter is on; -1 (logged) if it cannot be.
 */
enum seccomp_profile { SECCOMP_FAILOVER, SECCOMP_CHECKS };
int seccomp_enter(enum seccomp_profile p);

#endif
