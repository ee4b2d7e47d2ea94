#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_out.h"

static struct out_kv *
find(const struct out_block *b, const char *key)
{
	for (size_t i = 0; i < b->nkv; i++)
		if (strcmp(b->kv[i].key, key) == 0)
			return &b->kv[i];
	return NULL;
}

static void
set(struct out_block *b, const char *key, char *value)
{
	struct out_kv *kv = find(b, key);
	if (kv != NULL) {
		free(kv->value);
		kv->value = value;
		return;
	}
	b->kv = xrealloc(b->kv, (b->nkv + 1) * sizeof(*b->kv));
	b->kv[b->nkv++] = (struct out_kv){ xstrdup(key), value };
}

void
out_set(struct out_block *b, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v;
	if (vasprintf(&v, fmt, ap) < 0)
		abort();
	va_end(ap);
	set(b, key, v);
}

void
out_set_first(struct out_block *b, const char *key, const char *value)
{
	out_unset(b, key);
	set(b, key, xstrdup(value));
	struct out_kv kv = b->kv[b->nkv - 1];
	memmove(&b->kv[1], &b->kv[0], (b->nkv - 1) * sizeof(*b->kv));
	b->kv[0] = kv;
}

const char *
out_get(const struct out_block *b, const char *key)
{
	const struct out_kv *kv = find(b, key);
	return kv ? kv->value : NULL;
}

void
out_unset(struct out_block *b, const char *key)
{
	struct out_kv *kv = find(b, key);
	if (kv == NULL)
		return;
	free(kv->key);
	free(kv->value);
	size_t i = (size_t)(kv - b->kv);
	memmove(kv, kv + 1, (b->nkv - i - 1) * sizeof(*kv));
	b->nkv--;
}

struct out_block *
out_add_kid(struct out_block *b, const char *kind, const char *name)
{
	b->kids = xrealloc(b->kids, (b->nkids + 1) * sizeof(*b->kids));
	struct out_block *k = &b->kids[b->nkids++];
	memset(k, 0, sizeof(*k));
	k->kind = xstrdup(kind);
	k->name = xstrdup(name);
	return k;
}

void
out_block_copy(struct out_block *dst, const struct out_block *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->kind = src->kind ? xstrdup(src->kind) : NULL;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->from = src->from;
	for (size_t i = 0; i < src->nkv; i++)
		set(dst, src->kv[i].key, xstrdup(src->kv[i].value));
	for (size_t i = 0; i < src->nkids; i++) {
		struct out_block *k = out_add_kid(dst, src->kids[i].kind,
		    src->kids[i].name);
		free(k->kind);
		free(k->name);
		out_block_copy(k, &src->kids[i]);
	}
}

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

const char *
out_block_diff(const struct out_block *a, const struct out_block *b)
{
	for (size_t i = 0; i < a->nkv; i++)
		if (!str_eq(a->kv[i].value, out_get(b, a->kv[i].key)))
			return a->kv[i].key;
	for (size_t i = 0; i < b->nkv; i++)
		if (find(a, b->kv[i].key) == NULL)
			return b->kv[i].key;
	return NULL;
}

bool
out_block_equal(const struct out_block *a, const struct out_block *b)
{
	if (!str_eq(a->kind, b->kind) || !str_eq(a->name, b->name) ||
	    out_block_diff(a, b) != NULL || a->nkids != b->nkids)
		return false;
	for (size_t i = 0; i < a->nkids; i++)
		if (!out_block_equal(&a->kids[i], &b->kids[i]))
			return false;
	return true;
}

void
out_block_clear(struct out_block *b)
{
	for (size_t i = 0; i < b->nkv; i++) {
		free(b->kv[i].key);
		free(b->kv[i].value);
	}
	free(b->kv);
	for (size_t i = 0; i < b->nkids; i++)
		out_block_clear(&b->kids[i]);
	free(b->kids);
	free(b->kind);
	free(b->name);
	memset(b, 0, sizeof(*b));
}

bool
out_value_ok(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 && *v != '\t' && *v != '\r' &&
		    *v != '\n')
			return false;
	return true;
}

/* Bare unless lvs.cf's reader would change it: blanks at either end, a
 * quote, a backslash, a `#` starting a word, a control character. */
static bool
needs_quotes(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' ||
	    v[n - 1] == '\t')
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == '"' || c == '\\' || c == '\'' ||
		    (c == '#' && (i == 0 || v[i - 1] == ' ' || v[i - 1] == '\t')))
			return true;
	}
	return false;
}

static void
write_value(FILE *f, const char *v)
{
	if (!needs_quotes(v)) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		switch (*v) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default: fputc(*v, f);
		}
	}
	fputc('"', f);
}

void
out_write_block(FILE *f, const struct out_block *b, int indent)
{
	int in = b->kind ? indent + 4 : indent;
	if (b->kind != NULL)
		fprintf(f, "%*s%s %s {\n", indent, "", b->kind, b->name);
	for (size_t i = 0; i < b->nkv; i++) {
		fprintf(f, "%*s%s = ", in, "", b->kv[i].key);
		write_value(f, b->kv[i].value);
		fputc('\n', f);
	}
	for (size_t i = 0; i < b->nkids; i++)
		out_write_block(f, &b->kids[i], in);
	if (b->kind != NULL)
		fprintf(f, "%*s}\n", indent, "");
}
