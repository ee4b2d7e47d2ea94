#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/kc_pre.h"

/* A substituted line longer than this is refused (a definition loop). */
#define KC_PRE_MAX_LINE 65536
#define KC_PRE_MAX_PASSES 32

static bool
name_char(int c, bool first)
{
	return isalpha(c) || c == '_' || (!first && isdigit(c));
}

static const char *
param_get(const struct kc_params *p, const char *name, size_t len)
{
	for (size_t i = p->n; i-- > 0;)
		if (strlen(p->name[i]) == len && memcmp(p->name[i], name, len) == 0)
			return p->value[i];
	return NULL;
}

static void
param_set(struct kc_params *p, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	for (size_t i = 0; i < p->n; i++)
		if (strlen(p->name[i]) == nlen && memcmp(p->name[i], name, nlen) == 0) {
			free(p->value[i]);
			p->value[i] = xstrndup(value, vlen);
			return;
		}
	p->name = xrealloc(p->name, (p->n + 1) * sizeof(char *));
	p->value = xrealloc(p->value, (p->n + 1) * sizeof(char *));
	p->name[p->n] = xstrndup(name, nlen);
	p->value[p->n++] = xstrndup(value, vlen);
}

void
kc_params_clear(struct kc_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->name[i]);
		free(p->value[i]);
	}
	free(p->name);
	free(p->value);
	memset(p, 0, sizeof(*p));
}

/* One pass of substitution; NULL when nothing was replaced. */
static char *
substitute_once(const struct kc_params *p, const char *s, size_t len,
    size_t *outlen)
{
	char *o = NULL;
	size_t on = 0;
	bool changed = false;
	FILE *f = open_memstream(&o, &on);
	for (size_t i = 0; i < len;) {
		if (s[i] != '$') {
			fputc(s[i++], f);
			continue;
		}
		size_t a = i + 1, e;
		bool braced = a < len && s[a] == '{';
		if (braced)
			a++;
		for (e = a; e < len && name_char((unsigned char)s[e], e == a); e++)
			;
		const char *v = e > a ? param_get(p, s + a, e - a) : NULL;
		bool ends = braced ? e < len && s[e] == '}' :
		    e >= len || s[e] == ' ' || s[e] == '\t';
		if (v == NULL || !ends) {
			fputc(s[i++], f);
			continue;
		}
		fputs(v, f);
		changed = true;
		i = braced ? e + 1 : e;
	}
	fclose(f);
	if (!changed) {
		free(o);
		return NULL;
	}
	*outlen = on;
	return o;
}

/* `$NAME=value`: defines; true when the line was a definition. */
static bool
define(struct kc_params *p, const char *s, size_t len, const struct kc_loc *at,
    unsigned col0, struct imp_diags *d)
{
	if (len < 3 || s[0] != '$' || !name_char((unsigned char)s[1], true))
		return false;
	size_t e = 2;
	while (e < len && name_char((unsigned char)s[e], false))
		e++;
	if (e >= len || s[e] != '=')
		return false;
	const char *v = s + e + 1;
	size_t vlen = len - e - 1;
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (vlen > 0 && v[vlen - 1] == '\\') {
		struct kc_loc l = { at->file, at->line, col0 };
		imp_loss(d, &l, "multi-line parameter definitions are not "
		    "supported: write the lines out");
		return true;
	}
	param_set(p, s + 1, e - 1, v, vlen);
	return true;
}

/* `@id` / `@^id`: true when the rest of the line is kept (*skip: its start). */
static bool
conditional(struct kc_params *p, const char *config_id, const char *s,
    size_t len, size_t *skip, const struct kc_loc *at, unsigned col0,
    struct imp_diags *d)
{
	bool negate = len > 1 && s[1] == '^';
	size_t a = negate ? 2 : 1, e = a;
	while (e < len && s[e] != ' ' && s[e] != '\t')
		e++;
	*skip = e;
	if (config_id == NULL) {
		if (!p->warned_cond) {
			struct kc_loc l = { at->file, at->line, col0 };
			imp_loss(d, &l, "conditional configuration (`%.*s`): "
			    "which lines apply depends on keepalived's config id; "
			    "give it with --primary-id (and --backup-id)",
			    (int)(e > 64 ? 64 : e), s);
			p->warned_cond = true;
		}
		return negate;	/* as for an id that matches nothing */
	}
	bool match = strlen(config_id) == e - a &&
	    memcmp(config_id, s + a, e - a) == 0;
	return match != negate;
}

enum kc_pre_result
kc_pre_line(struct kc_params *p, const char *config_id, const char *line,
    size_t len, const struct kc_loc *at, char **out, size_t *outlen,
    bool *owned, unsigned *col0, struct imp_diags *d)
{
	const char *s = line;
	*owned = false;
	*col0 = 1;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++, len--;
		(*col0)++;
	}
	if (len > 0 && s[0] == '@') {
		size_t skip;
		if (!conditional(p, config_id, s, len, &skip, at, *col0, d))
			return KC_PRE_DROP;
		s += skip, len -= skip, *col0 += (unsigned)skip;
		while (len > 0 && (*s == ' ' || *s == '\t')) {
			s++, len--;
			(*col0)++;
		}
	}
	if (define(p, s, len, at, *col0, d))
		return KC_PRE_DROP;
	if (len >= 4 && (strncmp(s, "~SEQ", 4) == 0 || strncmp(s, "~LST", 4) == 0)) {
		struct kc_loc l = { at->file, at->line, *col0 };
		imp_loss(d, &l, "sequence and list blocks (`~SEQ`, `~LST`) are "
		    "not supported: write the lines out");
		return KC_PRE_DROP;
	}
	*out = (char *)(uintptr_t)s;
	*outlen = len;
	if (p->n == 0 || memchr(s, '$', len) == NULL)
		return KC_PRE_KEEP;
	for (int pass = 0; pass < KC_PRE_MAX_PASSES; pass++) {
		size_t nlen;
		char *n = substitute_once(p, *out, *outlen, &nlen);
		if (n == NULL)
			return KC_PRE_KEEP;
		if (*owned)
			free(*out);
		*out = n, *outlen = nlen, *owned = true;
		if (nlen > KC_PRE_MAX_LINE)
			break;
	}
	struct kc_loc l = { at->file, at->line, *col0 };
	imp_invalid(d, &l, "parameter substitution does not end (a parameter "
	    "that refers to itself?)");
	free(*out);
	*owned = false;
	return KC_PRE_DROP;
}
