#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/arena.h"
#include "cfg/lex.h"
#include "lib/xalloc.h"

/* One physical line being scanned. */
struct line {
	struct cfg_lexer *lx;
	struct cfg_diags *diags;
	const char *s;
	size_t len;
	size_t i;
	unsigned no;
};

void
cfg_lex_init(struct cfg_lexer *lx, const char *file, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->text = buf;
	lx->len = len;
	lx->line = 1;
	lx->fd = -1;
	lx->nul = buf != NULL && memchr(buf, '\0', len) != NULL;
}

void
cfg_lex_init_fd(struct cfg_lexer *lx, const char *file, int fd, size_t size)
{
	cfg_lex_init(lx, file, NULL, 0);
	lx->fd = fd;
	lx->left = size;
	lx->cap = size < CFG_LEX_CHUNK ? size + 1 : CFG_LEX_CHUNK;
	lx->buf = xmalloc(lx->cap);
	lx->text = lx->buf;
}

void
cfg_lex_fini(struct cfg_lexer *lx)
{
	free(lx->buf);
	free(lx->word);
	free(lx->arg);
	memset(lx, 0, sizeof(*lx));
}

/* Letters, digits and `_ - . :`, in the C locale. */
static const bool word_chars[256] = {
	['-'] = true, ['.'] = true, [':'] = true, ['_'] = true,
	['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true,
	['5'] = true, ['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true,
	['a'] = true, ['b'] = true, ['c'] = true, ['d'] = true, ['e'] = true,
	['f'] = true, ['g'] = true, ['h'] = true, ['i'] = true, ['j'] = true,
	['k'] = true, ['l'] = true, ['m'] = true, ['n'] = true, ['o'] = true,
	['p'] = true, ['q'] = true, ['r'] = true, ['s'] = true, ['t'] = true,
	['u'] = true, ['v'] = true, ['w'] = true, ['x'] = true, ['y'] = true,
	['z'] = true,
	['A'] = true, ['B'] = true, ['C'] = true, ['D'] = true, ['E'] = true,
	['F'] = true, ['G'] = true, ['H'] = true, ['I'] = true, ['J'] = true,
	['K'] = true, ['L'] = true, ['M'] = true, ['N'] = true, ['O'] = true,
	['P'] = true, ['Q'] = true, ['R'] = true, ['S'] = true, ['T'] = true,
	['U'] = true, ['V'] = true, ['W'] = true, ['X'] = true, ['Y'] = true,
	['Z'] = true,
};

bool
cfg_is_word_char(int c)
{
	return c >= 0 && c < 256 && word_chars[c];
}

/* s[0..n) into *buf (grown as needed), NUL-terminated. */
static const char *
keep(char **buf, size_t *cap, const char *s, size_t n)
{
	if (n + 1 > *cap) {
		*cap = n + 1 > 64 ? n + 1 : 64;
		free(*buf);
		*buf = xmalloc(*cap);
	}
	memcpy(*buf, s, n);
	(*buf)[n] = '\0';
	return *buf;
}

static struct cfg_loc
loc_at(const struct line *ln, size_t i)
{
	return (struct cfg_loc){ ln->lx->file, ln->no, (unsigned)i + 1 };
}

/* (Locals: the line's bytes may alias its fields, as far as C knows.) */
static inline void
skip_space(struct line *ln)
{
	static const char eight[8] = "        ";
	const char *s = ln->s;
	size_t i = ln->i, n = ln->len;
	while (i + 8 <= n && memcmp(s + i, eight, 8) == 0)
		i += 8;		/* indentation, eight at a time */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	ln->i = i;
}

static bool
at_end(const struct line *ln)
{
	return ln->i >= ln->len || ln->s[ln->i] == '#';
}

static int bad(struct line *ln, struct cfg_stmt *st, size_t at,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
bad(struct line *ln, struct cfg_stmt *st, size_t at, const char *fmt, ...)
{
	struct cfg_loc l = loc_at(ln, at);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_diag(ln->diags, CFG_ERROR, &l, "%s", msg);
	st->kind = CFG_STMT_BAD;
	/* A bad line that opens a block: the caller skips to its `}`. */
	size_t end = ln->len;
	const char *hash = memchr(ln->s, '#', ln->len);
	if (hash != NULL && memchr(ln->s, '"', ln->len) == NULL)
		end = (size_t)(hash - ln->s);
	while (end > 0 && isspace((unsigned char)ln->s[end - 1]))
		end--;
	st->opens_block = end > 0 && ln->s[end - 1] == '{';
	return -1;
}

/* Printable rendering of the character at i, for messages. */
static const char *
show_char(const struct line *ln, size_t i, char buf[8])
{
	unsigned char c = (unsigned char)ln->s[i];
	if (isprint(c))
		snprintf(buf, 8, "%c", c);
	else
		snprintf(buf, 8, "\\x%02x", c);
	return buf;
}

/*
 * The escapes of piranha's nanny: \\ \r \n \t \' \" stand for the
 * character; any other pair stays as written, so a regular expression
 * such as "HTTP/1\.[01]" means what it meant under piranha.
 */
static size_t
read_escape(const struct line *ln, size_t i, char *out)
{
	switch (ln->s[i + 1]) {
	case 'n': *out = '\n'; return 1;
	case 'r': *out = '\r'; return 1;
	case 't': *out = '\t'; return 1;
	case '\\': *out = '\\'; return 1;
	case '"': *out = '"'; return 1;
	case '\'': *out = '\''; return 1;
	default:
		out[0] = '\\';
		out[1] = ln->s[i + 1];
		return 2;
	}
}

/* A quoted string starting at ln->i; stores it unescaped in st->arg. */
static int
read_quoted(struct line *ln, struct cfg_stmt *st)
{
	struct cfg_lexer *lx = ln->lx;
	size_t open = ln->i++;
	if (ln->len - open + 1 > lx->acap) {
		free(lx->arg);
		lx->acap = ln->len - open + 1;
		lx->arg = xmalloc(lx->acap);
	}
	char *out = lx->arg;
	size_t n = 0;
	for (;;) {
		if (ln->i >= ln->len ||
		    (ln->s[ln->i] == '\\' && ln->i + 1 >= ln->len)) {
			return bad(ln, st, open, "unterminated quoted string: "
			    "expected a closing `\"` on the same line");
		}
		char c = ln->s[ln->i];
		if (c == '"')
			break;
		if (c == '\\') {
			n += read_escape(ln, ln->i, &out[n]);
			ln->i += 2;
			continue;
		}
		out[n++] = c;
		ln->i++;
	}
	ln->i++;
	out[n] = '\0';
	st->arg = out;
	st->alen = n;
	st->quoted = true;
	skip_space(ln);
	if (!at_end(ln)) {
		char b[8];
		return bad(ln, st, ln->i, "unexpected `%s` after the closing quote",
		    show_char(ln, ln->i, b));
	}
	return 0;
}

/* The rest of the line (value or pattern), quoted or bare. */
static int
read_rest(struct line *ln, struct cfg_stmt *st)
{
	skip_space(ln);
	st->arg_loc = loc_at(ln, ln->i);
	if (ln->i < ln->len && ln->s[ln->i] == '"')
		return read_quoted(ln, st);
	/*
	 * A bare value ends at a `#` that starts a word, so values such as
	 * `--color=#fff` keep their `#`.
	 */
	const char *s = ln->s;
	size_t start = ln->i, end = ln->len;
	const char *hash = memchr(s + start, '#', end - start);
	while (hash != NULL) {
		size_t h = (size_t)(hash - s);
		if (h == start || s[h - 1] == ' ' || s[h - 1] == '\t') {
			end = h;
			break;
		}
		hash = memchr(s + h + 1, '#', ln->len - h - 1);
	}
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	st->alen = end - start;
	st->arg = keep(&ln->lx->arg, &ln->lx->acap, ln->s + start, st->alen);
	return 0;
}

/* A key or keyword, and its hash (cfg_key_lookup_hash()). */
static const char *
read_word(struct line *ln, size_t *len, uint32_t *hash)
{
	const char *s = ln->s;
	size_t start = ln->i, i = start, n = ln->len;
	uint32_t h = CFG_HASH_SEED;
	while (i < n && word_chars[(unsigned char)s[i]])
		h = (h ^ (unsigned char)s[i++]) * 0x01000193u;
	ln->i = i;
	*len = i - start;
	*hash = h;
	return keep(&ln->lx->word, &ln->lx->wcap, s + start, *len);
}

/* w[0..n) is one of the constant word (memcmp of a constant: no call). */
#define IS_WORD(w, n, lit) ((n) == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)

static bool
is_block_keyword(const char *w, size_t n)
{
	return IS_WORD(w, n, "virtual") || IS_WORD(w, n, "server") ||
	    IS_WORD(w, n, "failover") || IS_WORD(w, n, "vrrp") ||
	    IS_WORD(w, n, "announce");
}

/* The block's name: in the value buffer (the word buffer holds the keyword). */
static const char *
read_name(struct line *ln, size_t *len)
{
	const char *s = ln->s;
	size_t start = ln->i, i = start, n = ln->len;
	while (i < n && word_chars[(unsigned char)s[i]])
		i++;
	ln->i = i;
	*len = i - start;
	return keep(&ln->lx->arg, &ln->lx->acap, s + start, *len);
}

static int
read_block_open(struct line *ln, struct cfg_stmt *st)
{
	skip_space(ln);
	st->arg_loc = loc_at(ln, ln->i);
	/* The one block without a name (there is one `announce` at most),
	 * and unknown keywords: the parser names them (`anounce {`). */
	bool nameless = (IS_WORD(st->word, st->wlen, "announce") ||
	    !is_block_keyword(st->word, st->wlen)) &&
	    !at_end(ln) && ln->s[ln->i] == '{';
	if (nameless) {
		st->arg = keep(&ln->lx->arg, &ln->lx->acap, "", 0);
		st->alen = 0;
	} else if (at_end(ln) || !cfg_is_word_char((unsigned char)ln->s[ln->i]))
		return bad(ln, st, ln->i, "expected a name after `%s` "
		    "(letters, digits, `_ - . :`)", st->word);
	else
		st->arg = read_name(ln, &st->alen);
	skip_space(ln);
	if (at_end(ln) || ln->s[ln->i] != '{') {
		char b[8];
		return bad(ln, st, ln->i, "expected `{` after the block name, "
		    "found %s%s%s", at_end(ln) ? "" : "`",
		    at_end(ln) ? "end of line" : show_char(ln, ln->i, b),
		    at_end(ln) ? "" : "`");
	}
	ln->i++;
	skip_space(ln);
	if (!at_end(ln)) {
		bad(ln, st, ln->i, "unexpected text after `{`: each key goes "
		    "on a line of its own");
		st->opens_block = true;	/* its `}` follows on a later line */
		return -1;
	}
	st->kind = CFG_STMT_OPEN;
	return 0;
}

static void
lex_line(struct line *ln, struct cfg_stmt *st)
{
	char b[8];
	skip_space(ln);
	st->loc = loc_at(ln, ln->i);
	char c = ln->s[ln->i];
	if (c == '}') {
		ln->i++;
		skip_space(ln);
		if (!at_end(ln)) {
			bad(ln, st, ln->i, "unexpected `%s` after `}`",
			    show_char(ln, ln->i, b));
			return;
		}
		st->kind = CFG_STMT_CLOSE;
		return;
	}
	if (!cfg_is_word_char((unsigned char)c)) {
		bad(ln, st, ln->i, "expected a key, found `%s`",
		    show_char(ln, ln->i, b));
		return;
	}
	st->word = read_word(ln, &st->wlen, &st->whash);
	skip_space(ln);
	if (ln->i < ln->len && ln->s[ln->i] == '=') {
		ln->i++;
		if (read_rest(ln, st) == 0)
			st->kind = CFG_STMT_ASSIGN;
		return;
	}
	if (IS_WORD(st->word, st->wlen, "include")) {
		if (read_rest(ln, st) < 0)
			return;
		if (st->arg[0] == '\0') {
			bad(ln, st, ln->i, "`include` needs a file name or glob "
			    "pattern");
			return;
		}
		st->kind = CFG_STMT_INCLUDE;
		return;
	}
	if (is_block_keyword(st->word, st->wlen)) {
		read_block_open(ln, st);
		return;
	}
	if (at_end(ln))
		bad(ln, st, ln->i, "expected `=` after `%s`", st->word);
	else if (memchr(ln->s + ln->i, '{', ln->len - ln->i) != NULL)
		read_block_open(ln, st);	/* unknown block keyword */
	else
		bad(ln, st, ln->i, "expected `=` after `%s`", st->word);
}

/*
 * More of the file into the window, after the part of a line still
 * unread (moved to the front); the window grows for a line longer than
 * it.  false at the end of the file or after a failed read (lx->err).
 */
static bool
refill(struct cfg_lexer *lx)
{
	if (lx->fd < 0 || lx->left == 0 || lx->err != 0)
		return false;
	size_t keep_n = lx->len - lx->pos;
	memmove(lx->buf, lx->buf + lx->pos, keep_n);
	lx->pos = 0;
	lx->len = keep_n;
	if (lx->len == lx->cap) {
		lx->cap *= 2;
		lx->buf = xrealloc(lx->buf, lx->cap);
	}
	lx->text = lx->buf;
	for (;;) {
		size_t want = lx->cap - lx->len < lx->left ? lx->cap - lx->len :
		    lx->left;
		ssize_t n = read(lx->fd, lx->buf + lx->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			lx->err = n < 0 ? errno : -1;
			return false;
		}
		if (memchr(lx->buf + lx->len, '\0', (size_t)n) != NULL)
			lx->nul = true;
		if (lx->watch != NULL)
			lx->watch->bytes(lx->watch->ctx, lx->buf + lx->len,
			    (size_t)n);
		lx->len += (size_t)n;
		lx->left -= (size_t)n;
		return true;
	}
}

/* The next physical line (without its newline); false at the end. */
static bool
next_line(struct cfg_lexer *lx, const char **s, size_t *n)
{
	for (;;) {
		const char *p = lx->text + lx->pos;
		size_t avail = lx->len - lx->pos;
		const char *nl = memchr(p, '\n', avail);
		if (nl != NULL) {
			*s = p;
			*n = (size_t)(nl - p);
			lx->pos += *n + 1;
			return true;
		}
		if (refill(lx))
			continue;
		if (avail == 0)
			return false;
		*s = p;
		*n = avail;
		lx->pos = lx->len;
		return true;
	}
}

/* Room for n bytes in *buf. */
static char *
room(char **buf, size_t *cap, size_t n)
{
	if (n > *cap) {
		*cap = n > 64 ? n : 64;
		free(*buf);
		*buf = xmalloc(*cap);
	}
	return *buf;
}

/*
 * The lines nearly every file is made of, `key = value` (a bare value
 * without `#`) and `}`, in one pass without a call; false for anything
 * else, which lex_line() reads (errors included).  ln->i is at the line's
 * first character, not a blank.
 */
static bool
lex_fast(struct line *ln, struct cfg_stmt *st)
{
	struct cfg_lexer *lx = ln->lx;
	const char *s = ln->s;
	size_t n = ln->len, i = ln->i, start = i;
	if (s[i] == '}') {
		for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i < n && s[i] != '#')
			return false;
		memset(st, 0, sizeof(*st));
		st->kind = CFG_STMT_CLOSE;
		st->loc = loc_at(ln, start);
		return true;
	}
	/* the key: hashed and copied as it is read */
	char *w = room(&lx->word, &lx->wcap, n + 1);
	uint32_t h = CFG_HASH_SEED;
	for (; i < n && word_chars[(unsigned char)s[i]]; i++) {
		*w++ = s[i];
		h = (h ^ (unsigned char)s[i]) * 0x01000193u;
	}
	size_t wlen = i - start;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (wlen == 0 || i >= n || s[i] != '=')
		return false;
	for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	size_t vstart = i, end = n;
	if ((i < n && s[i] == '"') || memchr(s + i, '#', n - i) != NULL)
		return false;
	while (end > vstart && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	*w = '\0';
	st->kind = CFG_STMT_ASSIGN;
	st->loc = loc_at(ln, start);
	st->word = lx->word;
	st->wlen = wlen;
	st->whash = h;
	st->arg = keep(&lx->arg, &lx->acap, s + vstart, end - vstart);
	st->alen = end - vstart;
	st->arg_loc = loc_at(ln, vstart);
	st->quoted = false;
	st->opens_block = false;
	return true;
}

void
cfg_lex_next(struct cfg_lexer *lx, struct cfg_stmt *st, struct cfg_diags *diags)
{
	struct line ln = { .lx = lx, .diags = diags };
	while (next_line(lx, &ln.s, &ln.len)) {
		ln.i = 0;
		ln.no = lx->line++;
		if (ln.len > 0 && ln.s[ln.len - 1] == '\r')
			ln.len--;	/* files edited on Windows */
		const char *nul = lx->nul ? memchr(ln.s, '\0', ln.len) : NULL;
		if (nul != NULL) {
			memset(st, 0, sizeof(*st));
			bad(&ln, st, (size_t)(nul - ln.s), "NUL byte in the file");
			return;
		}
		skip_space(&ln);
		if (at_end(&ln))
			continue;
		if (lex_fast(&ln, st))
			return;
		memset(st, 0, sizeof(*st));
		lex_line(&ln, st);
		return;
	}
	memset(st, 0, sizeof(*st));
	st->kind = CFG_STMT_EOF;
	st->loc = (struct cfg_loc){ lx->file, lx->line, 1 };
}
