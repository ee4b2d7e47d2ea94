/*
 * lvsd's own processes, seen from the parent (daemon/child.c): each is
 * this binary started again (`lvsd: failover`, `lvsd: checks` in ps) with
 * one end of a socketpair on descriptor 3, a clean signal mask and no
 * other descriptor, and is watched on the parent's loop.  What a process
 * does, and what its death means, is its owner's business (failover.c,
 * health.c); this file only starts, talks to and reaps it.
 */
#ifndef LVSD_DAEMON_CHILD_H
#define LVSD_DAEMON_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/msg.h"

typedef struct sd_event sd_event;

/* The descriptor a child finds its parent on. */
#define CHILD_FD	3

struct child;

struct child_ops {
	const char *kind;		/* "failover", "checks" */
	msg_recv_fn *recv;		/* each message from it */
	/* The connection closed (it died, or sent something malformed). */
	void (*closed)(void *arg, const char *why);
	/* The process is gone (reaped); si->si_code/si_status say how. */
	void (*exited)(void *arg, const siginfo_t *si);
};

/*
 * Starts a child of ops->kind: NULL (logged) if it cannot.  Its messages
 * are read at priority; out_limit caps what may wait to go to it.
 */
struct child *child_start(sd_event *ev, const struct child_ops *ops,
    void *arg, int64_t priority, size_t out_limit);
/*
 * The same, started ahead as a spare ("lvsd: spare" in ps): it waits,
 * its program loaded, for the hello that makes it the one in use, which
 * child_adopt then gives its owner's ops.  Starting a process costs a
 * slow machine a second or more; a spare takes over in milliseconds.
 */
struct child *child_start_spare(sd_event *ev, const struct child_ops *ops,
    void *arg, int64_t priority, size_t out_limit);
void child_adopt(struct child *c, const struct child_ops *ops, void *arg);
/* In a child: the title ps shows (a spare's, once it takes over). */
void child_set_title(const char *title);
/* Queues o's messages (emptying o); -1 if the connection is gone. */
int child_send(struct child *c, struct msg_out *o);
/* Writes what is queued, waiting up to timeout_ms (at stop). */
void child_flush(struct child *c, int timeout_ms);
pid_t child_pid(const struct child *c);
bool child_running(const struct child *c);
void child_signal(struct child *c, int sig);
/*
 * Waits up to timeout_ms for the child to exit (at stop), then kills it
 * with SIGKILL; reaps it.  Returns its wait status, or -1.
 */
int child_wait(struct child *c, int timeout_ms);
/* Closes the connection and forgets the child (kill/wait first). */
void child_free(struct child *c);

/*
 * In main(): if argv names a child kind (`--child=KIND`), runs that
 * process and returns its exit code through *rc (true); false otherwise.
 */
bool child_main(int argc, char **argv, int *rc);

#endif
