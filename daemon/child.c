/*
 * Starting lvsd's own processes and watching them (see daemon/child.h).
 *
 * posix_spawn, not fork: the parent may have a thread reading a
 * configuration, and a spawned child starts from a fresh image, small
 * enough for the failover process to lock in memory.  /proc/self/exe is
 * the running binary even if a package upgrade replaced the file.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "daemon/child.h"
#include "daemon/procs.h"
#include "daemon/sandbox.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

extern char **environ;

struct child {
	const struct child_ops *ops;
	void *arg;
	pid_t pid;
	bool running;
	struct msg_conn *conn;
	sd_event_source *exit_src;
};

static void
on_recv(void *arg, struct msg_in *in)
{
	struct child *c = arg;
	c->ops->recv(c->arg, in);
}

static void
on_closed(void *arg, const char *why)
{
	struct child *c = arg;
	c->ops->closed(c->arg, why);
}

static int
on_child_exit(sd_event_source *s, const siginfo_t *si, void *arg)
{
	(void)s;
	struct child *c = arg;
	c->running = false;
	c->ops->exited(c->arg, si);
	return 0;
}

/* The child's argv: its name for ps first (a spare's says so). */
static pid_t
spawn(const char *kind, bool spare, int fd)
{
	char name[32], flag[32];
	snprintf(name, sizeof(name), spare ? "lvsd: spare" : "lvsd: %s", kind);
	snprintf(flag, sizeof(flag), "--child=%s", kind);
	char *argv[] = { name, flag, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, CHILD_FD);
	posix_spawn_file_actions_addclosefrom_np(&fa, CHILD_FD + 1);
	posix_spawnattr_init(&at);
	/* The parent blocks the signals its loop takes through signalfd. */
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	sigset_t all;
	sigfillset(&all);
	posix_spawnattr_setsigdefault(&at, &all);
	pid_t pid;
	sandbox_pass_on(true);
	int r = posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv, environ);
	sandbox_pass_on(false);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (r != 0) {
		errno = r;
		return -1;
	}
	return pid;
}

static struct child *
start(sd_event *ev, const struct child_ops *ops, void *arg, int64_t priority,
    size_t out_limit, bool spare)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sv) < 0) {
		log_warn("cannot start the %s process: socketpair", ops->kind);
		return NULL;
	}
	/* The child's end must survive the exec (dup2 clears CLOEXEC). */
	pid_t pid = spawn(ops->kind, spare, sv[1]);
	close(sv[1]);
	if (pid < 0) {
		log_warn("cannot start the %s process", ops->kind);
		close(sv[0]);
		return NULL;
	}
	struct child *c = xcalloc(1, sizeof(*c));
	c->ops = ops;
	c->arg = arg;
	c->pid = pid;
	c->running = true;
	c->conn = msg_conn_new(ev, sv[0], priority, out_limit, on_recv,
	    on_closed, c);
	if (c->conn == NULL || sd_event_add_child(ev, &c->exit_src, pid,
	    WEXITED, on_child_exit, c) < 0) {
		log_warnx("cannot watch the %s process", ops->kind);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		msg_conn_free(c->conn);
		free(c);
		return NULL;
	}
	/* Reaped by sd-event, which also keeps the pid from being reused
	 * while it watches it (pidfd). */
	sd_event_source_set_priority(c->exit_src, priority);
	log_info("%s%s process started (pid %ld)", spare ? "spare " : "",
	    ops->kind, (long)pid);
	return c;
}

struct child *
child_start(sd_event *ev, const struct child_ops *ops, void *arg,
    int64_t priority, size_t out_limit)
{
	return start(ev, ops, arg, priority, out_limit, false);
}

struct child *
child_start_spare(sd_event *ev, const struct child_ops *ops, void *arg,
    int64_t priority, size_t out_limit)
{
	return start(ev, ops, arg, priority, out_limit, true);
}

void
child_adopt(struct child *c, const struct child_ops *ops, void *arg)
{
	c->ops = ops;
	c->arg = arg;
}

int
child_send(struct child *c, struct msg_out *o)
{
	return msg_conn_send(c != NULL ? c->conn : NULL, o);
}

void
child_flush(struct child *c, int timeout_ms)
{
	if (c != NULL)
		msg_conn_flush(c->conn, timeout_ms);
}

pid_t
child_pid(const struct child *c)
{
	return c != NULL ? c->pid : -1;
}

bool
child_running(const struct child *c)
{
	return c != NULL && c->running;
}

void
child_signal(struct child *c, int sig)
{
	if (child_running(c))
		kill(c->pid, sig);
}

int
child_wait(struct child *c, int timeout_ms)
{
	if (!child_running(c))
		return -1;
	/* sd-event would reap it on the loop; at stop we reap it here. */
	sd_event_source_set_enabled(c->exit_src, SD_EVENT_OFF);
	uint64_t end = mono_usec() + (uint64_t)timeout_ms * 1000;
	int st = -1;
	for (;;) {
		pid_t r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid || (r < 0 && errno != EINTR))
			break;
		if (mono_usec() >= end) {
			log_warnx("%s process (pid %ld) did not exit: killing it",
			    c->ops->kind, (long)c->pid);
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
			break;
		}
		poll(NULL, 0, 5);
	}
	c->running = false;
	return st;
}

void
child_free(struct child *c)
{
	if (c == NULL)
		return;
	sd_event_source_disable_unref(c->exit_src);
	msg_conn_free(c->conn);
	free(c);
}

/* The bytes of the child's argv, which ps shows: its title. */
static char *title;
static size_t title_len;

void
child_set_title(const char *t)
{
	if (title == NULL)
		return;
	memset(title, 0, title_len);
	memcpy(title, t, strnlen(t, title_len - 1));
}

bool
child_main(int argc, char **argv, int *rc)
{
	if (argc != 2 || strncmp(argv[1], "--child=", 8) != 0)
		return false;
	/* argv[0] and argv[1] lie end to end: a spare ("lvsd: spare") may
	 * take a longer title once it takes over. */
	title = argv[0];
	title_len = (size_t)(argv[1] + strlen(argv[1]) - argv[0]) + 1;
	const char *kind = argv[1] + 8;
	if (strcmp(kind, "failover") == 0)
		*rc = failover_process_main();
	else if (strcmp(kind, "checks") == 0)
		*rc = checks_process_main();
	else {
		fprintf(stderr, "lvsd: unknown process kind `%s`\n", kind);
		*rc = 2;
	}
	return true;
}
