#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xalloc.h"
#include "tools/import/imp_out.h"
#include "tools/import/imp_words.h"

bool
imp_nargs(struct imp_diags *d, const struct kc_node *n, size_t lo, size_t hi)
{
	size_t k = n->nw - 1;
	if (k >= lo && k <= hi)
		return true;
	const struct kc_loc *at = k > hi ? &n->w[hi + 1].loc : &n->w[0].loc;
	if (lo == hi)
		imp_invalid(d, at, "`%s` takes %zu value%s, found %zu",
		    kc_key(n), lo, lo == 1 ? "" : "s", k);
	else
		imp_invalid(d, at, "`%s` takes %zu to %zu values, found %zu",
		    kc_key(n), lo, hi, k);
	return false;
}

bool
imp_uint_word(struct imp_diags *d, const struct kc_word *w, uint32_t lo,
    uint32_t hi, uint32_t *out)
{
	const char *s = w->text;
	unsigned long long v = 0;
	size_t i = 0;
	for (; isdigit((unsigned char)s[i]) && i < 12; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (i == 0 || s[i] != '\0' || v < lo || v > hi) {
		imp_invalid(d, &w->loc, "expected an integer from %u to %u, "
		    "found `%s`", lo, hi, s);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool
imp_uint_arg(struct imp_diags *d, const struct kc_node *n, uint32_t lo,
    uint32_t hi, uint32_t *out)
{
	return imp_nargs(d, n, 1, 1) && imp_uint_word(d, &n->w[1], lo, hi, out);
}

bool
imp_timer_word(struct imp_diags *d, const struct kc_word *w, uint32_t hi_ms,
    uint32_t *ms)
{
	const char *s = w->text;
	unsigned long long us = 0;
	size_t i = 0, frac = 0;
	for (; isdigit((unsigned char)s[i]) && i < 10; i++)
		us = us * 10 + (unsigned)(s[i] - '0');
	bool ok = i > 0;
	us *= 1000000;
	if (s[i] == '.') {
		unsigned long long scale = 100000;
		for (i++; isdigit((unsigned char)s[i]); i++, frac++)
			if (frac < 6) {
				us += (unsigned)(s[i] - '0') * scale;
				scale /= 10;
			}
		ok = ok || frac > 0;
	}
	unsigned long long v = (us + 999) / 1000;
	if (!ok || s[i] != '\0' || v > hi_ms) {
		imp_invalid(d, &w->loc, "expected a time in seconds (e.g. `3` or "
		    "`0.5`) up to %u, found `%s`", hi_ms / 1000, s);
		return false;
	}
	if (us % 1000 != 0)
		imp_note(d, &w->loc, "lvs.cf times are whole milliseconds: `%s` "
		    "s becomes %llu ms", s, v);
	*ms = (uint32_t)v;
	return true;
}

bool
imp_timer_arg(struct imp_diags *d, const struct kc_node *n, uint32_t hi_ms,
    uint32_t *ms)
{
	return imp_nargs(d, n, 1, 1) && imp_timer_word(d, &n->w[1], hi_ms, ms);
}

bool
imp_bool_arg(struct imp_diags *d, const struct kc_node *n, bool *out)
{
	if (!imp_nargs(d, n, 0, 1))
		return false;
	if (n->nw == 1) {
		*out = true;
		return true;
	}
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(n->w[1].text, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(n->w[1].text, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	imp_invalid(d, &n->w[1].loc, "`%s`: expected on, off, true, false, yes "
	    "or no, found `%s`", kc_key(n), n->w[1].text);
	return false;
}

bool
imp_addr_word(struct imp_diags *d, const struct kc_word *w, struct lvs_addr *a)
{
	if (addr_parse(w->text, a) == 0)
		return true;
	imp_invalid(d, &w->loc, "expected an IPv4 or IPv6 address (host names "
	    "are not resolved), found `%s`", w->text);
	return false;
}

bool
imp_prefix_word(struct imp_diags *d, const struct kc_word *w,
    struct lvs_addr *a, int *plen)
{
	const char *slash = strchr(w->text, '/');
	*plen = -1;
	if (slash == NULL)
		return imp_addr_word(d, w, a);
	char *text = xstrndup(w->text, (size_t)(slash - w->text));
	struct kc_word aw = { text, w->loc, false };
	bool ok = imp_addr_word(d, &aw, a);
	free(text);
	if (!ok)
		return false;
	unsigned max = addr_max_prefix(a->af);
	char *end;
	unsigned long p = strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || *end != '\0' || p > max) {
		imp_invalid(d, &w->loc, "expected a prefix length from 0 to %u "
		    "after `/`, found `%s`", max, slash + 1);
		return false;
	}
	*plen = (int)p;
	return true;
}

bool
imp_port_word(struct imp_diags *d, const struct kc_word *w, uint32_t *port)
{
	return imp_uint_word(d, w, 0, 65535, port);
}

bool
imp_text_word(struct imp_diags *d, const struct kc_word *w)
{
	for (const char *p = w->text; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r' &&
		    *p != '\n') {
			imp_loss(d, &w->loc, "lvs.cf cannot hold the control "
			    "character \\x%02x of this value", (unsigned char)*p);
			return false;
		}
	return true;
}

bool
imp_ifname_word(struct imp_diags *d, const struct kc_word *w)
{
	size_t n = strlen(w->text);
	bool ok = n > 0 && n < 16;
	for (size_t i = 0; ok && i < n; i++)
		ok = isgraph((unsigned char)w->text[i]) &&
		    strchr("/#\"", w->text[i]) == NULL;
	if (!ok)
		imp_invalid(d, &w->loc, "expected a network device name (at "
		    "most 15 visible characters), found `%s`", w->text);
	return ok;
}

char *
imp_block_name(const char *name)
{
	size_t n = strlen(name);
	bool ok = n > 0 && n < 64;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)name[i]) || strchr("_-.:", name[i]);
	if (ok)
		return NULL;
	if (n == 0)
		return xstrdup("_");
	char *o = xstrndup(name, n < 63 ? n : 63);
	for (char *p = o; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("_-.:", *p) == NULL)
			*p = '_';
	return o;
}

char *
imp_fmt_ms(uint32_t ms)
{
	if (ms % 1000 == 0)
		return xasprintf("%us", ms / 1000);
	return xasprintf("%ums", ms);
}

int
imp_script_argv(struct imp_diags *d, const struct kc_word *w, char ***argv)
{
	const char *s = w->text;
	size_t cap = 4, n = 0;
	char **v = xcalloc(cap, sizeof(*v));
	for (size_t i = 0;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (s[i] == '\0')
			break;
		char *a = NULL;
		size_t alen = 0;
		FILE *f = open_memstream(&a, &alen);
		while (s[i] != '\0' && s[i] != ' ' && s[i] != '\t') {
			if (s[i] != '\'') {
				fputc(s[i++], f);
				continue;
			}
			const char *q = strchr(s + i + 1, '\'');
			if (q == NULL) {
				fclose(f);
				free(a);
				imp_argv_free(v);
				imp_invalid(d, &w->loc, "unbalanced `'` in the "
				    "command `%s`", s);
				return -1;
			}
			fwrite(s + i + 1, 1, (size_t)(q - s - i - 1), f);
			i = (size_t)(q - s) + 1;
		}
		fclose(f);
		if (n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = a;
		v[n] = NULL;
	}
	if (n == 0) {
		imp_argv_free(v);
		imp_invalid(d, &w->loc, "an empty command");
		return -1;
	}
	*argv = v;
	return (int)n;
}

void
imp_argv_free(char **argv)
{
	if (argv == NULL)
		return;
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

static bool
shell_safe(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("_./:=@%+,-", *s) == NULL)
			return false;
	return true;
}

char *
imp_argv_shell(char *const *argv)
{
	char *o = NULL;
	size_t on = 0;
	FILE *f = open_memstream(&o, &on);
	for (size_t i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			fputc(' ', f);
		if (shell_safe(argv[i])) {
			fputs(argv[i], f);
			continue;
		}
		fputc('\'', f);
		for (const char *p = argv[i]; *p; p++)
			if (*p == '\'')
				fputs("'\\''", f);
			else
				fputc(*p, f);
		fputc('\'', f);
	}
	fclose(f);
	return o;
}

char *
imp_argv_check(struct imp_diags *d, const struct kc_word *w, char *const *argv)
{
	char *o = NULL;
	size_t on = 0;
	FILE *f = open_memstream(&o, &on);
	for (size_t i = 0; argv[i] != NULL; i++) {
		if (argv[i][0] == '\0' || strpbrk(argv[i], " \t\n\r\v\f") != NULL ||
		    !out_value_ok(argv[i])) {
			fclose(f);
			free(o);
			imp_loss(d, &w->loc, "lvsd splits a check program's "
			    "command line on blanks: the argument `%s` cannot "
			    "hold one (wrap the command in a script)", argv[i]);
			return NULL;
		}
		if (i > 0)
			fputc(' ', f);
		for (const char *p = argv[i]; *p; p++)
			fputs(*p == '%' ? "%%" : (char[]){ *p, '\0' }, f);
	}
	fclose(f);
	return o;
}
