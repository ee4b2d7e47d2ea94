/*
 * Logging for lvsd and its tools.
 *
 * Severities mean something: log_warn/log_warnx for conditions an operator
 * should look at, log_info for state changes, log_debug for detail that
 * helps diagnosing.  log_warn appends strerror(errno); the x variants do not.
 * fatal/fatalx exit the process and are used only at startup or on broken
 * invariants.
 */
#ifndef LVSD_LIB_LOG_H
#define LVSD_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_target {
	LOG_TO_STDERR,		/* foreground: plain lines on stderr */
	LOG_TO_SYSLOG,		/* daemon: syslog(3), which the journal collects */
};

void log_init(const char *ident, enum log_target target, bool debug);
void log_set_debug(bool debug);
bool log_debug_enabled(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
