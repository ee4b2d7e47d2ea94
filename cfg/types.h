/*
 * Value types of lvs.cf keys.  A key table entry names its type; the type
 * parses the text of a value into the block's field, prints it back in
 * canonical form, compares two fields and frees what a field owns.  Adding
 * a key is a table entry (cfg/keys.c), not new parsing code.
 */
#ifndef LVSD_CFG_TYPES_H
#define LVSD_CFG_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

struct cfg_key;

struct cfg_arena;

/* A value as written: its text (unescaped), place and spelling. */
struct cfg_value {
	const char *text;		/* NUL-terminated */
	size_t len;			/* strlen(text) */
	struct cfg_loc loc;
	bool quoted;
	struct cfg_diags *diags;	/* where parse errors go (may be NULL) */
	struct cfg_arena *arena;	/* where string values are stored */
};

/* Strings are stored in the generation's arena: a field owns nothing. */
struct cfg_type {
	/* Parses v into field; on error reports to v->diags, returns -1. */
	int (*parse)(const struct cfg_key *k, const struct cfg_value *v,
	    void *field);
	void (*print)(FILE *out, const struct cfg_key *k, const void *field);
	bool (*equal)(const struct cfg_key *k, const void *a, const void *b);
};

struct cfg_key {
	const char *name;
	const struct cfg_type *type;
	size_t off;			/* of the field in the block struct, */
	const char *def;		/* default, as text; NULL: none */
	uint32_t min, max;		/* integer and port ranges */
	const char *const *names;	/* enum spellings, NULL-terminated */
	bool shared;			/* or in its shared part (desc->ext_off) */
};

extern const struct cfg_type cfg_type_uint;	/* uint32_t, [min, max] */
extern const struct cfg_type cfg_type_int;	/* int32_t, [(int32_t)min, max] */
extern const struct cfg_type cfg_type_bool;	/* bool: 0 or 1 */
extern const struct cfg_type cfg_type_addr;	/* struct lvs_addr */
extern const struct cfg_type cfg_type_addrs;	/* struct cfg_addrs, owned */
extern const struct cfg_type cfg_type_ifaddr;	/* struct cfg_ifaddr */
extern const struct cfg_type cfg_type_mask;	/* struct cfg_mask */
extern const struct cfg_type cfg_type_hostport;	/* struct cfg_hostport */
extern const struct cfg_type cfg_type_port;	/* uint32_t, number or service name */
extern const struct cfg_type cfg_type_enum;	/* int, index into names */
extern const struct cfg_type cfg_type_string;	/* char *, interned */
extern const struct cfg_type cfg_type_nanny_string; /* char *, nanny's escapes */
extern const struct cfg_type cfg_type_ifname;	/* char *, an interface name */
extern const struct cfg_type cfg_type_duration;	/* uint32_t ms, [min, max] ms */

/* Port number of a service name (built-in table, then /etc/services). */
int cfg_port_by_name(const char *name);

#endif
