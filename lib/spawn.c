#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"

static _Noreturn void
child(const struct spawn_opts *o)
{
	setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0 ||
	    dup2(o->stdout_fd >= 0 ? o->stdout_fd : null, 1) < 0 ||
	    dup2(o->stderr_fd >= 0 ? o->stderr_fd : null, 2) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	if (o->user != NULL && spawn_switch_user(o->user) < 0)
		_exit(126);
	if (chdir("/") < 0)
		_exit(126);
	const char *name = o->argv[0];
	if (strchr(name, '/') != NULL) {
		execve(name, o->argv, o->envp);
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* The environment is the caller's choice: search a fixed PATH. */
	char path[4096];
	const char *dirs = SPAWN_PATH;
	while (*dirs != '\0') {
		size_t n = strcspn(dirs, ":");
		snprintf(path, sizeof(path), "%.*s/%s", (int)n, dirs, name);
		execve(path, o->argv, o->envp);
		dirs += n + (dirs[n] == ':');
	}
	_exit(127);
}

/*
 * posix_spawn: glibc clones with CLONE_VM|CLONE_VFORK, so no page tables
 * are copied and the event loop (VRRP adverts) is not held up by a large
 * daemon's fork.  It cannot change the user; those children are forked.
 */
static pid_t
spawn_posix(const struct spawn_opts *o)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	if (o->stdout_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stdout_fd, 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_RDWR, 0);
	if (o->stderr_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stderr_fd, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawn_file_actions_addchdir_np(&fa, "/");
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	pid_t pid;
	int r = strchr(o->argv[0], '/') != NULL ?
	    posix_spawn(&pid, o->argv[0], &fa, &at, o->argv, o->envp) :
	    posix_spawnp(&pid, o->argv[0], &fa, &at, o->argv, o->envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		errno = r;
		return -1;
	}
	return pid;
}

pid_t
spawn_child(const struct spawn_opts *o)
{
	if ((o->user == NULL || privs_is_user(o->user)) &&
	    strchr(o->argv[0], '/') != NULL)
		return spawn_posix(o);
	pid_t pid = fork();
	if (pid == 0)
		child(o);
	if (pid > 0)
		setpgid(pid, pid);	/* both sides: no window for kill(-pid) */
	return pid;
}

int
spawn_switch_user(const struct privs_user *u)
{
	if (privs_is_user(u))
		return 0;
	if (setgroups((size_t)u->ngroups, u->groups) < 0 ||
	    setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0)
		return -1;
	return 0;
}
