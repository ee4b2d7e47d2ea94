/*
 * Operators who may act from the console (admin = password): a password
 * file of `USER:scrypt:LOG2N:R:P:SALT:HASH` lines (hex salt and hash,
 * made by `lvsd-web --hash-password USER`), and the sessions of those
 * logged in, each with its own CSRF token.
 */
#ifndef LVSD_WEB_AUTH_H
#define LVSD_WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AUTH_MAX_USERS		64
#define AUTH_MAX_SESSIONS	64
#define AUTH_TOKEN_HEX		64	/* 32 random bytes */

struct auth_user {
	char name[33];
	unsigned log2n, r, p;
	unsigned char salt[32], hash[64];
	size_t saltlen, hashlen;
};

struct auth_users {
	struct auth_user u[AUTH_MAX_USERS];
	size_t n;
};

/* Parses a password file's text; the number of errors, each on err as
 * "name:line:column: error: ..." (0: users is complete). */
unsigned auth_users_parse(struct auth_users *users, const char *name,
    const char *text, size_t len, FILE *err);
unsigned auth_users_load(struct auth_users *users, const char *path, FILE *err);

/* One line for the password file, for password; NULL on failure. */
char *auth_hash_line(const char *user, const char *password);
/* Whether password is user's; takes the same time for unknown users. */
bool auth_verify(const struct auth_users *users, const char *user,
    const char *password);

struct auth_sessions;
struct auth_sessions *auth_sessions_new(unsigned idle_s);
void auth_sessions_free(struct auth_sessions *s);
/* A new session for user: its id and CSRF token (hex, NUL-terminated);
 * the oldest session gives way when all are taken.  0 or -1. */
int auth_session_open(struct auth_sessions *s, const char *user,
    char id[AUTH_TOKEN_HEX + 1], char csrf[AUTH_TOKEN_HEX + 1], int64_t now_ms);
/* The session's user and CSRF token for a cookie value; false if none
 * (unknown, malformed or expired).  Refreshes its idle time. */
bool auth_session_find(struct auth_sessions *s, const char *id,
    char user[33], char csrf[AUTH_TOKEN_HEX + 1], int64_t now_ms);
void auth_session_close(struct auth_sessions *s, const char *id);
/* Constant-time comparison of two tokens (false if either is NULL). */
bool auth_token_eq(const char *a, const char *b);

/* Failed logins: true while they are throttled (5 in a minute: 30 s). */
bool auth_throttled(struct auth_sessions *s, int64_t now_ms);
void auth_login_failed(struct auth_sessions *s, int64_t now_ms);

#endif
