/*
 * What a load of lvs.cf read (daemon/sources.c): every file with the
 * SHA-256 of the bytes parsed, every `include` pattern with the files it
 * matched, and /etc/services (port names).  A reload whose read would be
 * the same, byte for byte, gives the same configuration: it is not parsed
 * and planned again (the host checks still run).  A file whose inode,
 * size and times have not changed since a read that began well after it
 * was last written is not even read again (sources.c says why).
 */
#ifndef LVSD_DAEMON_SOURCES_H
#define LVSD_DAEMON_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg/cfg.h"

struct cfg_sources;

/* An empty record; /etc/services' digest is taken now, before the load
 * looks a port name up in it. */
struct cfg_sources *sources_new(void);
void sources_free(struct cfg_sources *s);
/* What cfg_load_watched tells, recorded into s. */
const struct cfg_read_watch *sources_watch(struct cfg_sources *s);
/* Files read (for the log). */
size_t sources_nfiles(const struct cfg_sources *s);
/* True when every file has the same content and every pattern the same
 * matches as recorded; otherwise false with what changed in why.
 * *reread: how many files it had to read to tell (a file read again is
 * recorded anew). */
bool sources_unchanged(struct cfg_sources *s, size_t *reread, char *why,
    size_t whylen);

#endif
