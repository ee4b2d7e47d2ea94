/*
 * Operators' runtime overrides of real servers (`lvsctl drain`, `disable`,
 * `enable`), keyed by "VIRTUAL/SERVER".  They survive reloads and
 * restarts: every change is written to a state file (JSON) at once, and
 * read back at start.
 */
#ifndef LVSD_DAEMON_OVERRIDE_H
#define LVSD_DAEMON_OVERRIDE_H

enum override_kind {
	OVERRIDE_NONE,
	OVERRIDE_DRAIN,		/* weight 0: no new connections */
	OVERRIDE_DISABLE,	/* out of the table */
};

struct overrides;

/* Reads path (missing file: no overrides); NULL if it cannot be used. */
struct overrides *overrides_load(const char *path);
void overrides_free(struct overrides *o);
enum override_kind override_get(const struct overrides *o, const char *label);
/* Sets (or with OVERRIDE_NONE clears) and saves; 0, or -1 if not saved. */
int override_set(struct overrides *o, const char *label, enum override_kind k);
const char *override_name(enum override_kind k);	/* "drained", ... */

#endif
