/*
 * Logging for lvsd and its tools.
 *
 * Severities mean something: log_warn/log_warnx for conditions an operator
 * should look at, log_info for state changes, log_debug for detail that
 * helps diagnosing.  log_warn appends strerror(errno); the x variants do not.
 * log_error/log_errorx say why the daemon cannot start (or go on), and
 * what to do about it.  fatal/fatalx exit the process and are used only at
 * startup or on broken invariants.
 *
 * LOG_TO_SYSLOG goes to syslog(3), or after log_use_journal() to the
 * systemd journal when one runs (its native protocol, so that log_struct's
 * fields reach it).
 */
#ifndef LVSD_LIB_LOG_H
#define LVSD_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_target {
	LOG_TO_STDERR,		/* foreground: plain lines on stderr */
	LOG_TO_SYSLOG,		/* daemon: the journal, or syslog(3) */
};

/*
 * One field of a structured log line: NAME (upper case letters, digits and
 * `_`, not starting with `_`) and its value.  A list ends with { NULL, NULL }.
 */
struct log_field {
	const char *name;
	const char *value;
};
#define LOG_FIELDS(...) ((const struct log_field[]){ __VA_ARGS__, { NULL, NULL } })

void log_init(const char *ident, enum log_target target, bool debug);
/*
 * LOG_TO_SYSLOG lines go to the journal, with their fields, when journald
 * runs (else still to syslog), under SYSLOG_IDENTIFIER=ident.  In
 * lib/log_journal.c, apart, so that only the programs that call it link
 * libsystemd.  Call after log_init().
 */
void log_use_journal(const char *ident);
/* Where LOG_TO_SYSLOG lines go instead of syslog(3): 0, or -1 to fall back. */
typedef int log_sink_fn(int priority, const struct log_field *fields,
    const char *msg);
void log_set_sink(log_sink_fn *sink);
void log_set_debug(bool debug);
bool log_debug_enabled(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A line at priority that carries fields: in the journal they are fields of
 * the entry (`journalctl LVSD_SERVER=web/Real1` finds it); on stderr and in
 * syslog the line is the same text, without them.
 *	log_struct(LOG_INFO, LOG_FIELDS({ "LVSD_SERVER", "web/Real1" }),
 *	    "web/Real1 DOWN: %s", why);
 */
void log_struct(int priority, const struct log_field *fields,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Logs a line that carries its own severity word (compiler-style
 * `file:line:col: error: …` diagnostics) at a syslog priority, without
 * adding a label on stderr.
 */
void log_line(int priority, const char *line);
void log_vmsg(int priority, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
