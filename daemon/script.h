/*
 * Notify commands (active_cmd, inactive_cmd, notify_master, ...) run as
 * children of the event loop: never waited for, killed (TERM, then KILL)
 * at notify_timeout, so a hanging command cannot delay failover.
 */
#ifndef LVSD_DAEMON_SCRIPT_H
#define LVSD_DAEMON_SCRIPT_H

struct lvsd;

/*
 * Runs `/bin/sh -c command` with a clean environment plus env (NULL-
 * terminated "NAME=value" strings, copied), as script_user if set.  what
 * names it in logs ("active_cmd").  Failures to start are logged.
 */
void script_run(struct lvsd *d, const char *what, const char *command,
    char *const *env);
/* Kills every command still running (at stop). */
void script_kill_all(struct lvsd *d);
/* How many commands are running. */
unsigned script_running(const struct lvsd *d);

#endif
