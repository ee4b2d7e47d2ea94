#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/wait.h>

#include "daemon/lvsd.h"
#include "daemon/script.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/spawn.h"
#include "lib/xalloc.h"

#define KILL_GRACE_USEC 2000000ULL

struct script {
	LIST_ENTRY(script) entry;
	struct lvsd *d;
	char *what;
	pid_t pid;
	sd_event_source *child, *timer;
	bool terminated;		/* SIGTERM sent */
};

static void
script_free(struct script *s)
{
	LIST_REMOVE(s, entry);
	sd_event_source_unref(s->child);
	sd_event_source_unref(s->timer);
	free(s->what);
	free(s);
}

static int
on_exit_status(sd_event_source *src, const siginfo_t *si, void *userdata)
{
	(void)src;
	struct script *s = userdata;
	if (si->si_code == CLD_EXITED && si->si_status == 0)
		log_debug("%s (pid %d) finished", s->what, (int)s->pid);
	else if (si->si_code == CLD_EXITED)
		log_warnx("%s (pid %d) exited with status %d", s->what,
		    (int)s->pid, si->si_status);
	else
		log_warnx("%s (pid %d) killed by %s%s", s->what, (int)s->pid,
		    strsignal(si->si_status), s->terminated ?
		    " after its timeout" : "");
	/* Whatever it started in its process group goes with it. */
	kill(-s->pid, SIGKILL);
	script_free(s);
	return 0;
}

static int
on_timeout(sd_event_source *src, uint64_t usec, void *userdata)
{
	(void)src;
	(void)usec;
	struct script *s = userdata;
	if (!s->terminated) {
		log_warnx("%s (pid %d) still running after notify_timeout: "
		    "terminating it", s->what, (int)s->pid);
		kill(-s->pid, SIGTERM);
		s->terminated = true;
		sd_event_source_set_time_relative(s->timer, KILL_GRACE_USEC);
		sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
	} else
		kill(-s->pid, SIGKILL);
	return 0;
}

static char **
build_env(char *const *extra)
{
	size_t n = 0;
	while (extra != NULL && extra[n] != NULL)
		n++;
	char **env = xcalloc(n + 2, sizeof(char *));
	env[0] = xstrdup("PATH=" SPAWN_PATH);
	for (size_t i = 0; i < n; i++)
		env[i + 1] = xstrdup(extra[i]);
	return env;
}

static void
free_env(char **env)
{
	for (size_t i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

void
script_run(struct lvsd *d, const char *what, const char *command,
    char *const *env)
{
	const char *user = d->cfg->global.script_user;
	struct spawn_opts o = { .stdout_fd = -1, .stderr_fd = -1 };
	struct privs_user pu;
	if (user != NULL && privs_lookup_user(user, &pu) < 0) {
		log_warnx("%s not run: unknown script_user `%s`", what, user);
		return;
	}
	o.user = user != NULL ? &pu : NULL;
	char sh[] = "/bin/sh", dash_c[] = "-c";
	char *argv[] = { sh, dash_c, xstrdup(command), NULL };
	char **envp = build_env(env);
	o.argv = argv;
	o.envp = envp;
	pid_t pid = spawn_child(&o);
	int err = errno;
	free(argv[2]);
	free_env(envp);
	if (pid < 0) {
		errno = err;
		log_warn("%s: cannot start `%s`", what, command);
		return;
	}
	struct script *s = xcalloc(1, sizeof(*s));
	s->d = d;
	s->what = xstrdup(what);
	s->pid = pid;
	LIST_INSERT_HEAD(&d->scripts, s, entry);
	log_info("%s: started `%s` (pid %d)", what, command, (int)pid);
	if (sd_event_add_child(d->event, &s->child, pid, WEXITED, on_exit_status,
	    s) < 0 || sd_event_add_time_relative(d->event, &s->timer,
	    CLOCK_MONOTONIC, (uint64_t)d->cfg->global.notify_timeout * 1000,
	    10000, on_timeout, s) < 0) {
		log_warnx("%s: cannot watch pid %d: killing it", what, (int)pid);
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		script_free(s);
		return;
	}
	sd_event_source_set_priority(s->child, LVSD_PRIO_CTL);
	sd_event_source_set_priority(s->timer, LVSD_PRIO_CTL);
}

void
script_kill_all(struct lvsd *d)
{
	struct script *s;
	while ((s = LIST_FIRST(&d->scripts)) != NULL) {
		log_warnx("%s (pid %d) still running at stop: killing it",
		    s->what, (int)s->pid);
		kill(-s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		script_free(s);
	}
}

unsigned
script_running(const struct lvsd *d)
{
	unsigned n = 0;
	const struct script *s;
	LIST_FOREACH(s, &d->scripts, entry)
		n++;
	return n;
}
