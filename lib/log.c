#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lib/log.h"

static enum log_target log_to = LOG_TO_STDERR;
static bool log_debugging;
static log_sink_fn *log_sink;		/* LOG_TO_SYSLOG: the journal's */

void
log_init(const char *ident, enum log_target target, bool debug)
{
	log_to = target;
	log_debugging = debug;
	if (target == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_sink(log_sink_fn *sink)
{
	log_sink = sink;
}

void
log_set_debug(bool debug)
{
	log_debugging = debug;
}

bool
log_debug_enabled(void)
{
	return log_debugging;
}

static const char *
prio_label(int priority)
{
	switch (priority) {
	case LOG_CRIT:
		return "fatal: ";
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	default:
		return "";
	}
}

/*
 * Every line ends here.  labelled: on stderr, prefix the severity word
 * (log_line's lines carry their own).  One write per line on stderr, so
 * lines from several processes never interleave.
 */
static void
emit(int priority, const struct log_field *fields, bool labelled,
    const char *msg)
{
	if (log_to == LOG_TO_SYSLOG) {
		if (log_sink == NULL || log_sink(priority, fields, msg) < 0)
			syslog(priority, "%s", msg);
		return;
	}
	char line[4096];
	int n = snprintf(line, sizeof(line) - 1, "%s%s\n",
	    labelled ? prio_label(priority) : "", msg);
	size_t len = n < 0 ? 0 : (size_t)n;
	if (len >= sizeof(line) - 1) {
		len = sizeof(line) - 1;
		line[len - 1] = '\n';
	}
	fwrite(line, 1, len, stderr);
	fflush(stderr);
}

static void
vemit(int priority, const struct log_field *fields, const char *fmt,
    va_list ap)
{
	if (priority == LOG_DEBUG && !log_debugging)
		return;
	char msg[4096];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	emit(priority, fields, true, msg);
}

void
log_vmsg(int priority, const char *fmt, va_list ap)
{
	vemit(priority, NULL, fmt, ap);
}

void
log_line(int priority, const char *line)
{
	if (priority == LOG_DEBUG && !log_debugging)
		return;
	emit(priority, NULL, false, line);
}

void
log_struct(int priority, const struct log_field *fields, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(priority, fields, fmt, ap);
	va_end(ap);
}

/* Logs "fmt: strerror(saved errno)" at priority. */
static void
vemit_errno(int priority, int saved, const char *fmt, va_list ap)
{
	char msg[3072];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	char line[4096];
	snprintf(line, sizeof(line), "%s: %s", msg, strerror(saved));
	emit(priority, NULL, true, line);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vemit_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vemit_errno(LOG_ERR, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_errorx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(LOG_ERR, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vemit_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}
