#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/kc_lex.h"

struct buf {
	char *s;
	size_t n, cap;
};

static void
put(struct buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static void
emit(struct kc_line *l, enum kc_tok_kind kind, char *text, unsigned col,
    bool quoted)
{
	l->t = xrealloc(l->t, (l->n + 1) * sizeof(*l->t));
	l->t[l->n++] = (struct kc_tok){ kind, text, col, quoted };
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/*
 * The escape at s[*i] (a backslash, with a character after it), as the
 * shell-like escapes of keepalived's quoted strings; returns the byte and
 * advances *i past it.
 */
static int
read_escape(const char *s, size_t len, size_t *i)
{
	size_t k = *i + 1;
	int c = (unsigned char)s[k++];
	int v;
	switch (c) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'E': v = 033; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case 'c':
		v = k < len ? (s[k++] & 0x1f) : 'c';
		break;
	case 'x':
		v = 0;
		for (int d = 0; d < 2 && k < len && isxdigit((unsigned char)s[k]); d++)
			v = v * 16 + hexval((unsigned char)s[k++]);
		if (k == *i + 2)
			v = 'x';
		break;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			for (int d = 1; d < 3 && k < len && s[k] >= '0' && s[k] <= '7'; d++)
				v = v * 8 + (s[k++] - '0');
			v &= 0xff;
		} else
			v = c;
	}
	*i = k;
	return v;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static bool
ends_word(char c)
{
	return blank(c) || c == '{' || c == '}' || c == '#' || c == '!';
}

/* A quoted part starting at s[*i]; -1 (reported) if it does not close. */
static int
read_quoted(const char *s, size_t len, size_t *i, struct buf *b,
    const struct kc_loc *at, unsigned col0, struct imp_diags *d)
{
	char q = s[*i];
	size_t open = (*i)++;
	while (*i < len && s[*i] != q) {
		if (s[*i] == '\\' && *i + 1 < len && q == '"') {
			size_t here = *i;
			int c = read_escape(s, len, i);
			if (c == 0) {
				struct kc_loc l = { at->file, at->line,
				    col0 + (unsigned)here };
				imp_invalid(d, &l, "a NUL character in a quoted string");
				return -1;
			}
			put(b, (char)c);
			continue;
		}
		put(b, s[(*i)++]);
	}
	if (*i >= len) {
		struct kc_loc l = { at->file, at->line, col0 + (unsigned)open };
		imp_invalid(d, &l, "unterminated quoted string: expected a "
		    "closing `%c` on the same line", q);
		return -1;
	}
	(*i)++;
	return 0;
}

void
kc_lex_line(const char *s, size_t len, const struct kc_loc *at, unsigned col0,
    struct kc_line *out, struct imp_diags *d)
{
	size_t i = 0;
	memset(out, 0, sizeof(*out));
	for (;;) {
		while (i < len && blank(s[i]))
			i++;
		if (i >= len || s[i] == '#' || s[i] == '!')
			return;
		unsigned col = col0 + (unsigned)i;
		if (s[i] == '{' || s[i] == '}') {
			emit(out, s[i] == '{' ? KC_OPEN : KC_CLOSE, NULL, col, false);
			i++;
			continue;
		}
		struct buf b = { NULL, 0, 0 };
		bool quoted = false;
		put(&b, '\0');
		b.n = 0;
		while (i < len && !ends_word(s[i])) {
			if (s[i] == '"' || s[i] == '\'') {
				quoted = true;
				if (read_quoted(s, len, &i, &b, at, col0, d) < 0) {
					free(b.s);
					return;
				}
				continue;
			}
			if (s[i] == '\0') {
				struct kc_loc l = { at->file, at->line,
				    col0 + (unsigned)i };
				imp_invalid(d, &l, "a NUL byte in the file");
				free(b.s);
				return;
			}
			put(&b, s[i++]);
		}
		emit(out, KC_WORD, b.s, col, quoted);
	}
}

void
kc_line_clear(struct kc_line *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->t[i].text);
	free(l->t);
	memset(l, 0, sizeof(*l));
}
