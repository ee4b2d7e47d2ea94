/*
 * What lvsd's child processes share (daemon/proc_common.c): their name in
 * ps and top, their signals, their loop, their connection to the parent,
 * and the settings its hello message carries.
 */
#ifndef LVSD_DAEMON_PROC_COMMON_H
#define LVSD_DAEMON_PROC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/proto.h"
#include "lib/msg.h"

typedef struct sd_event sd_event;

/* Called on SIGTERM or SIGINT with the signal's name. */
typedef void proc_signal_fn(void *arg, const char *name);

/*
 * Names the process (comm, at most 15 characters), ignores SIGHUP and
 * SIGPIPE, and returns a new loop on which SIGTERM/SIGINT call fn.
 * NULL if that fails (logged).
 */
sd_event *proc_setup(const char *comm, proc_signal_fn *fn, void *arg);
/* The connection to the parent, on CHILD_FD. */
struct msg_conn *proc_conn(sd_event *ev, int64_t priority, size_t out_limit,
    msg_recv_fn *recv, msg_close_fn *closed, void *arg);
/* Logging as the parent's hello says. */
void proc_apply_hello(const struct proto_hello *h, const char *what);
/* Runs the loop; its exit code. */
int proc_run(sd_event *ev);
void proc_teardown(sd_event *ev);

#endif
