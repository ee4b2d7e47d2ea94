/*
 * lvsd-web's side of lvsd's control socket: one JSON request line out,
 * one reply line back, with a deadline and a cap on the reply's size.
 * A connection is used by one thread at a time.
 */
#ifndef LVSD_WEB_CTLCLIENT_H
#define LVSD_WEB_CTLCLIENT_H

#include <stddef.h>

struct ctl_conn;

/* Connects to path; NULL with a sentence in err. */
struct ctl_conn *ctl_connect(const char *path, char *err, size_t errlen);
void ctl_close(struct ctl_conn *c);

/*
 * Sends request (one JSON object, without newline) and returns the reply
 * line (NUL-terminated, without newline; the caller frees it), or NULL
 * with a sentence in err: timeout, closed, or longer than max_reply
 * bytes.  After a failure the connection is unusable: close it.
 */
char *ctl_request(struct ctl_conn *c, const char *request, size_t max_reply,
    int timeout_ms, size_t *len, char *err, size_t errlen);

#endif
