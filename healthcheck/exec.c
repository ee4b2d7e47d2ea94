#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "healthcheck/hc_int.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/spawn.h"
#include "lib/xalloc.h"

/*
 * External programs: piranha's send_program (its output compared with
 * expect) and a plain program whose exit status decides.  Children get a
 * clean environment, /dev/null for stdin/stderr, no inherited fds, their own
 * process group and, when configured, an unprivileged user.  At most
 * max_children run at once; the check's deadline kills the whole group with
 * TERM, then KILL after the grace period.
 */

#define EXEC_OUT_MAX 4096

struct hc_orphan {			/* a running child */
	LIST_ENTRY(hc_orphan) entry;
	struct hc_engine *eng;
	struct exec_run *run;		/* NULL once the run gave it up */
	pid_t pid;
	sd_event_source *src;		/* child source */
	sd_event_source *kill_timer;
};

struct exec_priv {
	regex_t re;
	bool has_re;
	bool as_user;
	struct privs_user user;
};

struct exec_run {
	struct hc_checker *ck;
	struct hc_orphan *child;
	int outfd;
	sd_event_source *io;
	char out[EXEC_OUT_MAX + 1];
	size_t outlen;
};

static void exec_spawn(struct hc_checker *ck);

/* Signals a check's process group; never ours, whatever went wrong. */
static void
kill_group(pid_t pid, int sig)
{
	if (pid > 1 && pid != getpid() && pid != getpgrp())
		(void)kill(-pid, sig);
}

static int
exec_setup(struct hc_checker *ck)
{
	struct exec_priv *pv = xcalloc(1, sizeof(*pv));

	ck->priv = pv;
	if (ck->cfg->type == HC_TYPE_SEND_PROGRAM && ck->cfg->se.use_regex &&
	    ck->cfg->se.expect) {
		if (regcomp(&pv->re, ck->cfg->se.expect,
		    REG_EXTENDED | REG_NOSUB) != 0)
			return -1;
		pv->has_re = true;
	}
	if (ck->cfg->exec.user) {
		/* Resolved once here: NSS lookups may block. */
		if (privs_lookup_user(ck->cfg->exec.user, &pv->user) < 0) {
			log_warnx("%s: unknown user %s", hc_checker_name(ck),
			    ck->cfg->exec.user);
			return -1;
		}
		pv->as_user = true;
	}
	return 0;
}

static void
exec_free(struct hc_checker *ck)
{
	struct exec_priv *pv = ck->priv;

	if (pv == NULL)
		return;
	if (pv->has_re)
		regfree(&pv->re);
	free(pv);
	ck->priv = NULL;
}

/* Appends word w to argv, replacing %h, %p and %%. */
static char *
expand_word(const struct hc_checker *ck, const char *w, size_t n)
{
	char a[LVS_ADDRSTRLEN], port[8];
	size_t cap = n * 8 + 64, o = 0;
	char *out = xmalloc(cap);

	addr_fmt(&ck->addr, a);
	snprintf(port, sizeof(port), "%u", ck->port);
	for (size_t i = 0; i < n; i++) {
		const char *sub = NULL;
		if (w[i] == '%' && i + 1 < n) {
			sub = w[i + 1] == 'h' ? a : w[i + 1] == 'p' ? port :
			    w[i + 1] == '%' ? "%" : NULL;
		}
		if (sub) {
			size_t sl = strlen(sub);
			memcpy(out + o, sub, sl);
			o += sl;
			i++;
		} else {
			out[o++] = w[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Splits the command on blanks, as nanny did; NULL-terminated. */
static char **
build_argv(const struct hc_checker *ck)
{
	const char *p = ck->cfg->exec.command;
	size_t n = 0;
	char **argv = xcalloc(strlen(p) / 2 + 2, sizeof(*argv));

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		size_t len = strcspn(p, " \t");
		argv[n++] = expand_word(ck, p, len);
		p += len;
	}
	argv[n] = NULL;
	return argv;
}

static void
free_argv(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* In the child: never returns. */
static _Noreturn void
child_exec(const struct hc_checker *ck, char **argv, int outfd)
{
	const struct exec_priv *pv = ck->priv;
	char a[LVS_ADDRSTRLEN], envaddr[64], envport[32];
	sigset_t all;

	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	/* Out of the way of 0-2 first, should lvsd run with them closed. */
	outfd = fcntl(outfd, F_DUPFD, 10);
	int null = open("/dev/null", O_RDWR);
	if (outfd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(outfd, 1) < 0 ||
	    dup2(null, 2) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	/* lvsd's checks process already runs as the user: nothing to do. */
	if (pv->as_user && spawn_switch_user(&pv->user) < 0)
		_exit(126);
	if (chdir("/") < 0)
		_exit(126);
	snprintf(envaddr, sizeof(envaddr), "LVSD_CHECK_ADDRESS=%s",
	    addr_fmt(&ck->addr, a));
	snprintf(envport, sizeof(envport), "LVSD_CHECK_PORT=%u", ck->port);
	char *envp[] = {
		(char *)"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		    "/usr/bin:/sbin:/bin",
		envaddr, envport, NULL,
	};
	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	static const char *const dirs[] = { "/usr/local/sbin",
	    "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dirs[i], argv[0]);
		execve(path, argv, envp);
	}
	_exit(127);
}

static void
orphan_free(struct hc_orphan *o)
{
	struct hc_engine *eng = o->eng;

	LIST_REMOVE(o, entry);
	sd_event_source_disable_unref(o->src);
	sd_event_source_disable_unref(o->kill_timer);
	free(o);
	eng->children--;
	/* A slot is free: the longest-waiting program check runs now. */
	struct hc_checker *next = TAILQ_FIRST(&eng->exec_queue);
	if (next) {
		TAILQ_REMOVE(&eng->exec_queue, next, qentry);
		next->exec_queued = false;
		exec_spawn(next);
	}
}

static void
drain(struct exec_run *r)
{
	for (;;) {
		char tmp[1024];
		ssize_t n = read(r->outfd, tmp, sizeof(tmp));
		if (n <= 0)
			return;
		size_t add = (size_t)n;
		if (add > EXEC_OUT_MAX - r->outlen)
			add = EXEC_OUT_MAX - r->outlen;
		memcpy(r->out + r->outlen, tmp, add);
		r->outlen += add;
		r->out[r->outlen] = '\0';
	}
}

static int
on_output(sd_event_source *s, int fd, uint32_t revents, void *ud)
{
	struct exec_run *r = ud;

	(void)fd;
	(void)revents;
	drain(r);
	if (revents & (EPOLLHUP | EPOLLERR))
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

/* Weight from "N" or "weight N" / "weight=N" on the first line; -1. */
static int
parse_weight(const char *out)
{
	const char *p = out;
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "weight", 6) == 0) {
		p += 6;
		while (*p == ' ' || *p == '\t' || *p == '=' || *p == ':')
			p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	long w = strtol(p, &end, 10);
	if (w < 0 || w > 65535 || (*end && !isspace((unsigned char)*end)))
		return -1;
	return (int)w;
}

static void
describe_status(int code, int status, char *buf, size_t len)
{
	if (code == CLD_EXITED)
		snprintf(buf, len, "exited with status %d", status);
	else
		snprintf(buf, len, "killed by signal %s",
		    sigabbrev_np(status) ? sigabbrev_np(status) : "?");
}

static void
verdict_send_program(struct hc_checker *ck, struct exec_run *r, int code,
    int status)
{
	const struct exec_priv *pv = ck->priv;
	const char *exp = ck->cfg->se.expect;
	char how[64];

	if (code != CLD_EXITED || status != 0) {
		describe_status(code, status, how, sizeof(how));
		hc_result(ck, false, -1, "send_program %s", how);
		return;
	}
	/* nanny chopped the trailing newline before comparing. */
	if (r->outlen && r->out[r->outlen - 1] == '\n')
		r->out[--r->outlen] = '\0';
	bool ok = exp == NULL || strcmp(exp, "*") == 0 ? true :
	    pv->has_re ? regexec(&pv->re, r->out, 0, NULL, 0) == 0 :
	    strcmp(exp, r->out) == 0;
	if (ok)
		hc_result(ck, true, -1, "send_program output \"%.60s\"%s",
		    r->out, exp ? " as expected" : "");
	else
		hc_result(ck, false, -1, "send_program output \"%.60s\", "
		    "expected %s\"%s\"", r->out, pv->has_re ? "regex " : "",
		    exp);
}

static void
verdict_exec(struct hc_checker *ck, struct exec_run *r, int code, int status)
{
	char how[64];

	describe_status(code, status, how, sizeof(how));
	if (code != CLD_EXITED || status != 0) {
		hc_result(ck, false, -1, "program %s", how);
		return;
	}
	if (!ck->cfg->exec.dynamic_weight) {
		hc_result(ck, true, -1, "program %s", how);
		return;
	}
	int w = parse_weight(r->out);
	if (w < 0)
		hc_result(ck, true, w, "program %s, no weight in its output",
		    how);
	else
		hc_result(ck, true, w, "program %s, weight %d", how, w);
}

static int
on_child(sd_event_source *s, const siginfo_t *si, void *ud)
{
	struct hc_orphan *o = ud;
	struct exec_run *r = o->run;

	(void)s;
	/* Still a zombie here: the group id cannot have been reused, so
	 * stray background processes of the check go too. */
	kill_group(o->pid, SIGKILL);
	/* Reap it here, whatever sd-event does with a source freed inside
	 * its own callback. */
	siginfo_t dummy;
	(void)waitid(P_PID, (id_t)o->pid, &dummy, WEXITED | WNOHANG);
	if (r == NULL) {
		orphan_free(o);
		return 0;
	}
	struct hc_checker *ck = r->ck;

	r->child = NULL;
	drain(r);
	int code = si->si_code, status = si->si_status;
	orphan_free(o);
	if (ck->cfg->type == HC_TYPE_SEND_PROGRAM)
		verdict_send_program(ck, r, code, status);
	else
		verdict_exec(ck, r, code, status);
	return 0;
}

static int
on_kill_timer(sd_event_source *s, uint64_t usec, void *ud)
{
	struct hc_orphan *o = ud;

	(void)s;
	(void)usec;
	log_warnx("program check pid %d ignored SIGTERM, sending SIGKILL",
	    (int)o->pid);
	kill_group(o->pid, SIGKILL);
	return 0;
}

static int
start_program(struct hc_checker *ck, struct exec_run *r, int *err)
{
	int p[2];
	char **argv = build_argv(ck);

	if (pipe2(p, O_CLOEXEC) < 0) {
		*err = errno;
		free_argv(argv);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		child_exec(ck, argv, p[1]);
	*err = errno;
	free_argv(argv);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	/* Both sides call setpgid so kill(-pid) works from the start. */
	setpgid(pid, pid);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	r->outfd = p[0];
	struct hc_orphan *o = xcalloc(1, sizeof(*o));
	o->eng = ck->eng;
	o->pid = pid;
	o->run = r;
	r->child = o;
	LIST_INSERT_HEAD(&ck->eng->orphans, o, entry);
	ck->eng->children++;
	if (sd_event_add_child(ck->eng->ev, &o->src, pid, WEXITED, on_child,
	    o) < 0) {
		/* Cannot watch it: kill it; the reap happens at teardown. */
		kill_group(pid, SIGKILL);
		*err = EINVAL;
		return -1;
	}
	sd_event_source_set_priority(o->src, LVSD_PRIO_CHECK);
	/* Edge-triggered (see conn.c); drain() reads until EAGAIN or EOF. */
	if (sd_event_add_io(ck->eng->ev, &r->io, r->outfd, EPOLLIN | EPOLLET,
	    on_output,
	    r) >= 0)
		sd_event_source_set_priority(r->io, LVSD_PRIO_CHECK);
	return 0;
}

static void
exec_spawn(struct hc_checker *ck)
{
	struct exec_run *r = ck->run;
	int err = 0;

	if (start_program(ck, r, &err) < 0)
		hc_result(ck, false, -1, "cannot start program: %s",
		    strerror(err));
}

static int
exec_start(struct hc_checker *ck)
{
	struct exec_run *r = xcalloc(1, sizeof(*r));

	r->ck = ck;
	r->outfd = -1;
	ck->run = r;
	if (ck->eng->children >= ck->eng->max_children) {
		TAILQ_INSERT_TAIL(&ck->eng->exec_queue, ck, qentry);
		ck->exec_queued = true;
		return 0;
	}
	exec_spawn(ck);
	return 0;
}

/* The run ends before its child: TERM the group now, KILL it later. */
static void
abandon(struct hc_orphan *o)
{
	struct hc_engine *eng = o->eng;

	o->run = NULL;
	kill_group(o->pid, SIGTERM);
	if (sd_event_add_time_relative(eng->ev, &o->kill_timer,
	    CLOCK_MONOTONIC, (uint64_t)eng->kill_grace_ms * 1000, 10000,
	    on_kill_timer, o) >= 0)
		sd_event_source_set_priority(o->kill_timer, LVSD_PRIO_CHECK);
	else
		kill_group(o->pid, SIGKILL);
}

static void
exec_cancel(struct hc_checker *ck)
{
	struct exec_run *r = ck->run;

	if (r == NULL)
		return;
	if (r->child)
		abandon(r->child);
	sd_event_source_disable_unref(r->io);
	if (r->outfd >= 0)
		close(r->outfd);
	free(r);
	ck->run = NULL;
}

static void
exec_describe(const struct hc_checker *ck, char *buf, size_t len)
{
	const struct exec_run *r = ck->run;

	if (ck->exec_queued)
		snprintf(buf, len, "waiting for a program slot, %u running",
		    ck->eng->children);
	else if (r && r->child)
		snprintf(buf, len, "program pid %d still running",
		    (int)r->child->pid);
	else
		snprintf(buf, len, "idle");
}

void
hc_exec_engine_free(struct hc_engine *eng)
{
	struct hc_orphan *o;

	/* Teardown: nothing may outlive the engine. */
	while ((o = LIST_FIRST(&eng->orphans)) != NULL) {
		kill_group(o->pid, SIGKILL);
		(void)waitpid(o->pid, NULL, 0);
		LIST_REMOVE(o, entry);
		sd_event_source_disable_unref(o->src);
		sd_event_source_disable_unref(o->kill_timer);
		free(o);
		eng->children--;
	}
}

const struct hc_ops hc_exec_ops = {
	.name = "program",
	.setup = exec_setup,
	.start = exec_start,
	.cancel = exec_cancel,
	.free = exec_free,
	.describe = exec_describe,
};
