/*
 * What lvs.cf asks of this machine rather than of the kernel: the users
 * and groups it names exist (script_user, control_group, monitor_group),
 * and the commands it runs are safe from other users (script_check.h).
 * `lvsd -t`, start and reload check it after the plan, with the same
 * located errors, so a file naming a group the machine lacks is refused
 * before it runs.  The result is the control socket's access policy.
 *
 * This reads the user and group databases (NSS: perhaps the network), so
 * reload runs it in its thread, never on the loop.
 */
#ifndef LVSD_DAEMON_HOST_CHECK_H
#define LVSD_DAEMON_HOST_CHECK_H

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/access.h"

/* Returns the number of errors added to diags; fills policy. */
unsigned host_check(const struct cfg *cfg, struct access_policy *policy,
    struct cfg_diags *diags);

/*
 * What only the running daemon can answer, checked at start and reload
 * but not by `lvsd -t` (root runs that, not the daemon's user), with the
 * same located errors:
 *  - host_check_readable: whether this process may read path, lvs.cf
 *    itself (false, with an error naming the file and the user, if not);
 *  - host_check_privileges: whether it can run commands and checks as
 *    script_user (already that user, or CAP_SETUID and CAP_SETGID); the
 *    number of errors added.
 */
bool host_check_readable(const char *path, struct cfg_diags *diags);
unsigned host_check_privileges(const struct cfg *cfg, struct cfg_diags *diags);

#endif
