/*
 * Operators' runtime overrides of real servers (`lvsctl drain`, `disable`,
 * `enable`), keyed by "VIRTUAL/SERVER", with who set each and when.  They
 * survive reloads and restarts: every change is written at once, durably
 * (a temporary file, fsync, rename, fsync of the directory), and the
 * previous good copy is kept beside it (`overrides.json.prev`).
 *
 * Nothing is lost silently: a file that cannot be read (corrupt, empty,
 * truncated, a symlink: never followed) falls back to the previous copy,
 * with a warning; when neither can be read the daemon starts without
 * overrides and says so (overrides_problem) in `lvsctl status`, in
 * systemd's STATUS= and in a metric, until an override is saved again.
 */
#ifndef LVSD_DAEMON_OVERRIDE_H
#define LVSD_DAEMON_OVERRIDE_H

#include <stdint.h>

enum override_kind {
	OVERRIDE_NONE,
	OVERRIDE_DRAIN,		/* weight 0: no new connections */
	OVERRIDE_DISABLE,	/* out of the table */
	OVERRIDE_WITHDRAW,	/* the director's routes (OVERRIDE_DIRECTOR) */
};

/* The label of the director's own override: no "VIRTUAL/SERVER" has it. */
#define OVERRIDE_DIRECTOR	"director"

struct overrides;

/* Reads path (missing file: no overrides).  Never NULL. */
struct overrides *overrides_load(const char *path);
void overrides_free(struct overrides *o);
enum override_kind override_get(const struct overrides *o, const char *label);
/* Who set the override of label and when (UNIX time); NULL if none. */
const char *override_by(const struct overrides *o, const char *label,
    int64_t *when);
/*
 * Sets (or with OVERRIDE_NONE clears) and saves, with who asked; 0, or -1
 * if it could not be saved (then nothing changed, and the reason is
 * logged).
 */
int override_set(struct overrides *o, const char *label, enum override_kind k,
    const char *by);
/* The same with the operator's reason (NULL: none), kept with it. */
int override_set_reason(struct overrides *o, const char *label,
    enum override_kind k, const char *by, const char *reason);
/* The reason given with the override of label, or NULL. */
const char *override_reason(const struct overrides *o, const char *label);
const char *override_name(enum override_kind k);	/* "drained", ... */
/* Why the saved overrides could not be read at start, or NULL. */
const char *overrides_problem(const struct overrides *o);

#endif
