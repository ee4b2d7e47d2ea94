/*
 * The shape lvsd-web expects of lvsd's replies, checked before anything
 * uses them: each field the console or the metrics read has a type, and
 * a reply that differs is refused with the path of the first difference
 * ("virtual_services[3].servers[1].port: expected an integer, found a
 * string").  Fields nobody reads are ignored (newer daemons add some).
 */
#ifndef LVSD_WEB_SCHEMA_H
#define LVSD_WEB_SCHEMA_H

#include <stddef.h>

struct json_object;

enum shape_type {
	SH_STR, SH_INT, SH_NUM, SH_BOOL,
	SH_OBJ,			/* sub: its fields */
	SH_ARR,			/* of objects; sub: their fields */
	SH_STRS,		/* array of strings */
};
#define SH_OPT	1u		/* may be absent */
#define SH_NULL	2u		/* may be null */

struct shape {
	const char *name;	/* NULL ends a list */
	enum shape_type type;
	unsigned flags;
	const struct shape *sub;
};

/* 0, or -1 with "PATH: expected ..., found ..." in err. */
int shape_check(struct json_object *o, const struct shape *fields,
    char *err, size_t errlen);

/* The replies lvsd-web reads. */
extern const struct shape shape_status[], shape_show[], shape_events[];

#endif
