/*
 * Passwords are checked with scrypt (OpenSSL's EVP_PBE_scrypt), tokens
 * come from RAND_bytes and are compared in constant time.  Sessions live
 * in memory only: a restart logs everyone out.
 */
#include "config.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "web/auth.h"
#include "web/form.h"

#define DEFAULT_LOG2N	15
#define DEFAULT_R	8
#define DEFAULT_P	1
#define MAX_MEM		(256ULL * 1024 * 1024)
#define MAX_FILE	(256 * 1024)

/* ---- the password file ---------------------------------------------- */

static void __attribute__((format(printf, 5, 6)))
error_at(FILE *err, const char *name, unsigned line, size_t col,
    const char *fmt, ...)
{
	va_list ap;
	fprintf(err, "%s:%u:%zu: error: ", name, line, col);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

static int
unhex(const char *s, size_t n, unsigned char *out, size_t cap)
{
	if (n == 0 || n % 2 != 0 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int v = 0;
		for (size_t k = 0; k < 2; k++) {
			char c = s[i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' &&
			    c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i / 2] = (unsigned char)v;
	}
	return (int)(n / 2);
}

static bool
cost_ok(unsigned log2n, unsigned r, unsigned p)
{
	return log2n >= 10 && log2n <= 22 && r >= 1 && r <= 32 && p >= 1 &&
	    p <= 16 && 128ULL * r * (1ULL << log2n) * p <= MAX_MEM;
}

/* Fields of one line, split at ':'; the error's column, or 0. */
static size_t
parse_user(struct auth_user *u, const char *line, size_t len,
    const char **what)
{
	const char *f[7];
	size_t flen[7], n = 0, start = 0;
	for (size_t i = 0; i <= len && n < 7; i++)
		if (i == len || line[i] == ':') {
			f[n] = line + start;
			flen[n++] = i - start;
			start = i + 1;
		}
	if (n != 7 || start <= len) {
		*what = "expected USER:scrypt:LOG2N:R:P:SALT:HASH (make it with "
		    "`lvsd-web --hash-password USER`)";
		return 1;
	}
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%.*s", (int)(flen[0] < 33 ? flen[0] :
	    33), f[0]);
	if (flen[0] > 32 || !web_user_name_ok(u->name)) {
		*what = "user: expected 1 to 32 of A-Z a-z 0-9 . _ -";
		return 1;
	}
	if (flen[1] != 6 || memcmp(f[1], "scrypt", 6) != 0) {
		*what = "expected the scheme `scrypt`";
		return (size_t)(f[1] - line) + 1;
	}
	unsigned v[3];
	for (size_t k = 0; k < 3; k++) {
		char num[8];
		char *end;
		snprintf(num, sizeof(num), "%.*s", (int)(flen[2 + k] < 7 ?
		    flen[2 + k] : 7), f[2 + k]);
		unsigned long x = strtoul(num, &end, 10);
		if (flen[2 + k] == 0 || flen[2 + k] > 6 || *end != '\0' ||
		    num[0] < '0' || num[0] > '9') {
			*what = "expected an integer (scrypt's cost)";
			return (size_t)(f[2 + k] - line) + 1;
		}
		v[k] = (unsigned)x;
	}
	if (!cost_ok(v[0], v[1], v[2])) {
		*what = "scrypt cost out of bounds (LOG2N 10-22, R 1-32, P 1-16, "
		    "at most 256 MiB)";
		return (size_t)(f[2] - line) + 1;
	}
	u->log2n = v[0];
	u->r = v[1];
	u->p = v[2];
	int s = unhex(f[5], flen[5], u->salt, sizeof(u->salt));
	int h = unhex(f[6], flen[6], u->hash, sizeof(u->hash));
	if (s < 8) {
		*what = "salt: expected 16 to 64 lower-case hex digits";
		return (size_t)(f[5] - line) + 1;
	}
	if (h < 16) {
		*what = "hash: expected 32 to 128 lower-case hex digits";
		return (size_t)(f[6] - line) + 1;
	}
	u->saltlen = (size_t)s;
	u->hashlen = (size_t)h;
	return 0;
}

unsigned
auth_users_parse(struct auth_users *users, const char *name, const char *text,
    size_t len, FILE *err)
{
	unsigned errors = 0, lineno = 0;
	size_t start = 0;
	memset(users, 0, sizeof(*users));
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		const char *line = text + start;
		size_t n = end - start;
		lineno++;
		start = end + 1;
		if (n == 0 || line[0] == '#')
			continue;
		const char *what;
		struct auth_user u;
		size_t col = memchr(line, '\0', n) != NULL ? 1 :
		    parse_user(&u, line, n, &what);
		if (memchr(line, '\0', n) != NULL)
			what = "NUL byte";
		if (col == 0) {
			for (size_t i = 0; i < users->n && col == 0; i++)
				if (strcmp(users->u[i].name, u.name) == 0) {
					what = "user listed twice";
					col = 1;
				}
			if (col == 0 && users->n == AUTH_MAX_USERS) {
				what = "more than 64 users";
				col = 1;
			}
		}
		if (col != 0) {
			error_at(err, name, lineno, col, "%s", what);
			errors++;
			continue;
		}
		users->u[users->n++] = u;
	}
	OPENSSL_cleanse(&users->u[users->n], sizeof(struct auth_user) *
	    (AUTH_MAX_USERS - users->n));
	return errors;
}

unsigned
auth_users_load(struct auth_users *users, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	char *buf = xmalloc(MAX_FILE + 1);
	size_t n = fread(buf, 1, MAX_FILE + 1, f);
	fclose(f);
	unsigned errors;
	if (n > MAX_FILE) {
		fprintf(err, "%s: larger than 256 KiB\n", path);
		errors = 1;
	} else
		errors = auth_users_parse(users, path, buf, n, err);
	OPENSSL_cleanse(buf, n < MAX_FILE ? n : MAX_FILE);
	free(buf);
	return errors;
}

/* ---- hashing ---------------------------------------------------------- */

static int
scrypt(const char *password, const unsigned char *salt, size_t saltlen,
    unsigned log2n, unsigned r, unsigned p, unsigned char *out, size_t outlen)
{
	return EVP_PBE_scrypt(password, strlen(password), salt, saltlen,
	    1ULL << log2n, r, p, MAX_MEM + 1024 * 1024, out, outlen) == 1 ? 0 : -1;
}

static void
hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

char *
auth_hash_line(const char *user, const char *password)
{
	unsigned char salt[16], hash[32];
	char salthex[33], hashhex[65];
	if (!web_user_name_ok(user) || RAND_bytes(salt, sizeof(salt)) != 1 ||
	    scrypt(password, salt, sizeof(salt), DEFAULT_LOG2N, DEFAULT_R,
	    DEFAULT_P, hash, sizeof(hash)) < 0)
		return NULL;
	hex(salt, sizeof(salt), salthex);
	hex(hash, sizeof(hash), hashhex);
	OPENSSL_cleanse(hash, sizeof(hash));
	return xasprintf("%s:scrypt:%u:%u:%u:%s:%s", user, DEFAULT_LOG2N,
	    DEFAULT_R, DEFAULT_P, salthex, hashhex);
}

bool
auth_verify(const struct auth_users *users, const char *user,
    const char *password)
{
	static const struct auth_user nobody = {
		.log2n = DEFAULT_LOG2N, .r = DEFAULT_R, .p = DEFAULT_P,
		.saltlen = 16, .hashlen = 32,
	};
	const struct auth_user *u = NULL;
	for (size_t i = 0; i < users->n; i++)
		if (strcmp(users->u[i].name, user) == 0)
			u = &users->u[i];
	/* An unknown user costs a hash too: timing does not tell who exists. */
	const struct auth_user *h = u != NULL ? u : &nobody;
	unsigned char got[64];
	bool ok = scrypt(password, h->salt, h->saltlen, h->log2n, h->r, h->p,
	    got, h->hashlen) == 0 && CRYPTO_memcmp(got, h->hash, h->hashlen) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok && u != NULL;
}

/* ---- sessions --------------------------------------------------------- */

struct session {
	char id[AUTH_TOKEN_HEX + 1], csrf[AUTH_TOKEN_HEX + 1];
	char user[33];
	int64_t last_ms;		/* 0: free */
};

struct auth_sessions {
	pthread_mutex_t lock;
	unsigned idle_s;
	struct session s[AUTH_MAX_SESSIONS];
	int64_t fail_ms[5];		/* the last failed logins */
	size_t nfail;
	int64_t throttled_until;
};

struct auth_sessions *
auth_sessions_new(unsigned idle_s)
{
	struct auth_sessions *s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->idle_s = idle_s;
	return s;
}

void
auth_sessions_free(struct auth_sessions *s)
{
	if (s == NULL)
		return;
	pthread_mutex_destroy(&s->lock);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

static int
random_token(char out[AUTH_TOKEN_HEX + 1])
{
	unsigned char b[AUTH_TOKEN_HEX / 2];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return -1;
	hex(b, sizeof(b), out);
	return 0;
}

bool
auth_token_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) != AUTH_TOKEN_HEX ||
	    strlen(b) != AUTH_TOKEN_HEX)
		return false;
	return CRYPTO_memcmp(a, b, AUTH_TOKEN_HEX) == 0;
}

int
auth_session_open(struct auth_sessions *s, const char *user,
    char id[AUTH_TOKEN_HEX + 1], char csrf[AUTH_TOKEN_HEX + 1], int64_t now_ms)
{
	if (random_token(id) < 0 || random_token(csrf) < 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	struct session *slot = &s->s[0];
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++)
		if (s->s[i].last_ms < slot->last_ms)
			slot = &s->s[i];	/* free (0) or the oldest */
	memcpy(slot->id, id, AUTH_TOKEN_HEX + 1);
	memcpy(slot->csrf, csrf, AUTH_TOKEN_HEX + 1);
	snprintf(slot->user, sizeof(slot->user), "%s", user);
	slot->last_ms = now_ms;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

bool
auth_session_find(struct auth_sessions *s, const char *id, char user[33],
    char csrf[AUTH_TOKEN_HEX + 1], int64_t now_ms)
{
	bool found = false;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++) {
		struct session *e = &s->s[i];
		if (e->last_ms == 0 || !auth_token_eq(e->id, id))
			continue;
		if (now_ms - e->last_ms > (int64_t)s->idle_s * 1000) {
			memset(e, 0, sizeof(*e));	/* expired */
			break;
		}
		e->last_ms = now_ms;
		memcpy(user, e->user, sizeof(e->user));
		memcpy(csrf, e->csrf, AUTH_TOKEN_HEX + 1);
		found = true;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

void
auth_session_close(struct auth_sessions *s, const char *id)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++)
		if (s->s[i].last_ms != 0 && auth_token_eq(s->s[i].id, id))
			OPENSSL_cleanse(&s->s[i], sizeof(s->s[i]));
	pthread_mutex_unlock(&s->lock);
}

bool
auth_throttled(struct auth_sessions *s, int64_t now_ms)
{
	pthread_mutex_lock(&s->lock);
	bool t = now_ms < s->throttled_until;
	pthread_mutex_unlock(&s->lock);
	return t;
}

void
auth_login_failed(struct auth_sessions *s, int64_t now_ms)
{
	pthread_mutex_lock(&s->lock);
	size_t n = sizeof(s->fail_ms) / sizeof(s->fail_ms[0]);
	s->fail_ms[s->nfail++ % n] = now_ms;
	/* The oldest of the last five within a minute: wait 30 s. */
	if (s->nfail >= n && now_ms - s->fail_ms[s->nfail % n] < 60000)
		s->throttled_until = now_ms + 30000;
	pthread_mutex_unlock(&s->lock);
}
