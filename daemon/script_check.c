/*
 * Who could change a command lvsd runs (see daemon/script_check.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon/script_check.h"
#include "lib/spawn.h"
#include "lib/xalloc.h"

/* The shell's own commands: nothing to check when no file by that name
 * is in PATH. */
static const char *const builtins[] = {
	":", "[", "alias", "bg", "break", "cd", "command", "continue", "echo",
	"eval", "exit", "export", "false", "fg", "getopts", "hash", "jobs",
	"kill", "local", "printf", "pwd", "read", "readonly", "return", "set",
	"shift", "test", "times", "trap", "true", "type", "ulimit", "umask",
	"unalias", "unset", "wait", NULL,
};

static bool
is_builtin(const char *w)
{
	for (size_t i = 0; builtins[i] != NULL; i++)
		if (strcmp(builtins[i], w) == 0)
			return true;
	return false;
}

/* The next word of *p (quotes removed, backslash escapes kept simple);
 * NULL at the end. */
static char *
next_word(const char **p)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	char *w = xmalloc(strlen(s) + 1);
	size_t n = 0;
	char quote = 0;
	for (; *s != '\0'; s++) {
		if (quote != 0 && *s == quote)
			quote = 0;
		else if (quote == 0 && (*s == '\'' || *s == '"'))
			quote = *s;
		else if (quote == 0 && (*s == ' ' || *s == '\t'))
			break;
		else if (quote != '\'' && *s == '\\' && s[1] != '\0')
			w[n++] = *++s;
		else
			w[n++] = *s;
	}
	w[n] = '\0';
	*p = s;
	return w;
}

static bool
is_assignment(const char *w)
{
	if (!isalpha((unsigned char)w[0]) && w[0] != '_')
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

/* The program word of command; NULL if it has none. */
static char *
program_word(const char *command, bool shell)
{
	const char *p = command;
	char *w;
	while ((w = next_word(&p)) != NULL) {
		/* The shell runs the word after these. */
		if (shell && (is_assignment(w) || strcmp(w, "exec") == 0 ||
		    strcmp(w, ".") == 0)) {
			free(w);
			continue;
		}
		return w;
	}
	return NULL;
}

static bool
owner_ok(uid_t owner, uid_t uid)
{
	return owner == 0 || owner == uid;
}

static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	char pwbuf[4096];
	struct passwd pw, *res = NULL;
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 &&
	    res != NULL)
		snprintf(buf, len, "%s", pw.pw_name);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
	return buf;
}

/* Strips the last component of p in place ("/a/b" -> "/a", "/a" -> "/"). */
static void
up(char *p)
{
	char *slash = strrchr(p, '/');
	if (slash == p)
		p[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
}

/*
 * path and every directory above it, as lstat sees them.  *missing:
 * path does not exist (then the first directory that does must not let
 * anyone else create it).
 */
static enum script_verdict
check_chain(const char *path, uid_t uid, bool *missing, char *why,
    size_t whylen)
{
	char p[PATH_MAX], name[64];
	snprintf(p, sizeof(p), "%s", path);
	struct stat st, below = { 0 };
	bool have_below = false;
	*missing = false;
	for (;;) {
		if (lstat(p, &st) < 0) {
			if (errno != ENOENT && errno != ENOTDIR) {
				snprintf(why, whylen, "cannot check %s: %s", p,
				    strerror(errno));
				return SCRIPT_WARN;
			}
			*missing = true;
			up(p);
			continue;
		}
		if (!owner_ok(st.st_uid, uid)) {
			snprintf(why, whylen, "%s belongs to %s", p,
			    user_name(st.st_uid, name, sizeof(name)));
			return SCRIPT_UNSAFE;
		}
		/* In a sticky directory only an entry's owner (or the
		 * directory's, or root) may replace it. */
		bool sticky_ok = S_ISDIR(st.st_mode) &&
		    (st.st_mode & S_ISVTX) && have_below &&
		    owner_ok(below.st_uid, uid);
		if (!S_ISLNK(st.st_mode) && (st.st_mode & 022) && !sticky_ok) {
			snprintf(why, whylen, "%s is writable by %s (mode %04o)",
			    p, (st.st_mode & 022) == 022 ? "its group and "
			    "others" : (st.st_mode & 020) ? "its group" :
			    "others", (unsigned)(st.st_mode & 07777));
			return SCRIPT_UNSAFE;
		}
		if (strcmp(p, "/") == 0)
			return SCRIPT_OK;
		/* (A missing file's first existing directory had none below:
		 * whoever may write there may create the file, sticky or
		 * not.) */
		have_below = true;
		below = st;
		up(p);
	}
}

/* A bare name: the file the fixed PATH finds, or NULL. */
static char *
search_path(const char *name)
{
	const char *dirs = SPAWN_PATH;
	while (*dirs != '\0') {
		size_t n = strcspn(dirs, ":");
		char *p;
		if (asprintf(&p, "%.*s/%s", (int)n, dirs, name) < 0)
			return NULL;
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
		dirs += n + (dirs[n] == ':');
	}
	return NULL;
}

/* The path as written, then the real one. */
static enum script_verdict
check_file(const char *path, uid_t uid, char *why, size_t whylen)
{
	bool missing;
	enum script_verdict v = check_chain(path, uid, &missing, why, whylen);
	if (v != SCRIPT_OK)
		return v;
	if (missing) {
		snprintf(why, whylen, "%s does not exist", path);
		return SCRIPT_WARN;
	}
	char real[PATH_MAX];
	if (realpath(path, real) == NULL) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return SCRIPT_WARN;
	}
	if (strcmp(real, path) == 0)
		return SCRIPT_OK;
	v = check_chain(real, uid, &missing, why, whylen);
	if (v == SCRIPT_UNSAFE) {
		size_t n = strlen(why);
		snprintf(why + n, whylen - n, " (%s leads there)", path);
	}
	return v;
}

enum script_verdict
script_check_command(const char *command, bool shell, uid_t uid, char *why,
    size_t whylen)
{
	char *w = program_word(command, shell);
	enum script_verdict v = SCRIPT_OK;
	why[0] = '\0';
	if (w == NULL)
		return SCRIPT_OK;
	if (strpbrk(w, "$`*?[(){};|&<>") != NULL) {
		snprintf(why, whylen, "lvsd cannot tell which program `%s` "
		    "runs: it is not checked", w);
		v = SCRIPT_WARN;
	} else if (strchr(w, '/') != NULL) {
		/* Commands run from / (lib/spawn.c). */
		char abs[PATH_MAX];
		snprintf(abs, sizeof(abs), "%s%s", w[0] == '/' ? "" : "/", w);
		v = check_file(abs, uid, why, whylen);
	} else {
		char *found = search_path(w);
		if (found != NULL)
			v = check_file(found, uid, why, whylen);
		else if (!shell || !is_builtin(w)) {
			snprintf(why, whylen, "`%s` is not in PATH (%s)", w,
			    SPAWN_PATH);
			v = SCRIPT_WARN;
		}
		free(found);
	}
	free(w);
	return v;
}

static unsigned
one(const char *key, const char *command, bool shell, const struct cfg_loc *loc,
    const struct cfg *cfg, uid_t uid, struct cfg_diags *diags)
{
	char why[PATH_MAX + 256];
	if (command == NULL)
		return 0;
	switch (script_check_command(command, shell, uid, why, sizeof(why))) {
	case SCRIPT_OK:
		return 0;
	case SCRIPT_WARN:
		cfg_diag(diags, CFG_WARNING, loc, "`%s`: %s", key, why);
		return 0;
	case SCRIPT_UNSAFE:
		break;
	}
	cfg_diag(diags, CFG_ERROR, loc, "`%s`: %s: only root and script_user "
	    "`%s` may be able to change a program lvsd runs", key, why,
	    cfg->global.script_user);
	return 1;
}

unsigned
script_check_cfg(const struct cfg *cfg, uid_t uid, struct cfg_diags *diags)
{
	const struct cfg_global *g = &cfg->global;
	unsigned nerr = one("active_cmd", g->active_cmd, true,
	    CFG_LOC(g, CFG_G_ACTIVE_CMD), cfg, uid, diags);
	nerr += one("inactive_cmd", g->inactive_cmd, true,
	    CFG_LOC(g, CFG_G_INACTIVE_CMD), cfg, uid, diags);
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		nerr += one("notify_master", r->notify_master, true,
		    CFG_LOC(r, CFG_R_NOTIFY_MASTER), cfg, uid, diags);
		nerr += one("notify_backup", r->notify_backup, true,
		    CFG_LOC(r, CFG_R_NOTIFY_BACKUP), cfg, uid, diags);
		nerr += one("notify_fault", r->notify_fault, true,
		    CFG_LOC(r, CFG_R_NOTIFY_FAULT), cfg, uid, diags);
	}
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		nerr += one("send_program", v->send_program, false,
		    CFG_LOC(v, CFG_V_SEND_PROGRAM), cfg, uid, diags);
		nerr += one("check_program", v->hc->check_program, false,
		    CFG_LOC(v, CFG_V_CHECK_PROGRAM), cfg, uid, diags);
	}
	return nerr;
}
