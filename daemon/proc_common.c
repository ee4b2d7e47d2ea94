/*
 * The frame of lvsd's child processes (see daemon/proc_common.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <systemd/sd-event.h>

#include "daemon/child.h"
#include "daemon/proc_common.h"
#include "lib/log.h"
#include "lib/prio.h"

struct proc_sig {
	proc_signal_fn *fn;
	void *arg;
};

static struct proc_sig handler;

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *arg)
{
	(void)s;
	(void)arg;
	handler.fn(handler.arg, strsignal((int)si->ssi_signo));
	return 0;
}

sd_event *
proc_setup(const char *comm, proc_signal_fn *fn, void *arg)
{
	/* Until the parent's hello says where, log to stderr. */
	log_init("lvsd", LOG_TO_STDERR, false);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);	/* children are reaped by sd-event */
	sigprocmask(SIG_BLOCK, &mask, NULL);
	handler.fn = fn;
	handler.arg = arg;
	sd_event *ev = NULL;
	int r = sd_event_new(&ev);
	if (r < 0 || sd_event_add_signal(ev, NULL, SIGTERM, on_signal, NULL) < 0 ||
	    sd_event_add_signal(ev, NULL, SIGINT, on_signal, NULL) < 0) {
		log_warnx("%s: cannot set up its event loop", comm);
		sd_event_unref(ev);
		return NULL;
	}
	return ev;
}

struct msg_conn *
proc_conn(sd_event *ev, int64_t priority, size_t out_limit, msg_recv_fn *recv,
    msg_close_fn *closed, void *arg)
{
	struct msg_conn *c = msg_conn_new(ev, CHILD_FD, priority, out_limit,
	    recv, closed, arg);
	if (c == NULL)
		log_warnx("no connection to the parent on descriptor %d",
		    CHILD_FD);
	return c;
}

void
proc_apply_hello(const struct proto_hello *h, const char *what)
{
	(void)what;
	log_init("lvsd", h->syslog ? LOG_TO_SYSLOG : LOG_TO_STDERR, h->debug);
	if (h->syslog)
		log_use_journal("lvsd");
}

int
proc_run(sd_event *ev)
{
	int r = sd_event_loop(ev);
	if (r < 0) {
		errno = -r;
		log_warn("event loop");
		return 1;
	}
	return r;
}

void
proc_teardown(sd_event *ev)
{
	sd_event_unref(ev);
}
