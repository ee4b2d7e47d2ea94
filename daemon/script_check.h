/*
 * Commands lvsd runs (notify commands, send_program, check_program) must
 * be beyond the reach of every user but root and script_user: whoever can
 * change the program can run code as script_user (as root with
 * `script_user = root`), and when a director fails over.
 *
 * The program is the command's first word (for a notify command, run by
 * /bin/sh -c, after VAR=value words and `exec`); a bare name is looked
 * up in lvsd's fixed PATH (lib/spawn.h).  The file and every directory
 * above it must belong to root or script_user and be writable by neither
 * group nor others, except a sticky directory (like /tmp), whose entry
 * then must belong to root or script_user.  Both the path as written and
 * its real path (symbolic links resolved) are checked.  A program that
 * does not exist is a warning if nobody else could create it, an error
 * otherwise.
 *
 * host_check calls this at `lvsd -t`, start and reload (in the reload
 * thread: only reentrant lookups).
 */
#ifndef LVSD_DAEMON_SCRIPT_CHECK_H
#define LVSD_DAEMON_SCRIPT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

enum script_verdict { SCRIPT_OK, SCRIPT_WARN, SCRIPT_UNSAFE };

/*
 * One command: shell (run by /bin/sh -c) or split on blanks; uid is
 * script_user's.  SCRIPT_WARN and SCRIPT_UNSAFE say why in why.
 */
enum script_verdict script_check_command(const char *command, bool shell,
    uid_t uid, char *why, size_t whylen);

/* Every command cfg names; the number of errors added to diags. */
unsigned script_check_cfg(const struct cfg *cfg, uid_t uid,
    struct cfg_diags *diags);

#endif
