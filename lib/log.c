#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lib/log.h"

static enum log_target log_to = LOG_TO_STDERR;
static bool log_debugging;

void
log_init(const char *ident, enum log_target target, bool debug)
{
	log_to = target;
	log_debugging = debug;
	if (target == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
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

void
log_vmsg(int priority, const char *fmt, va_list ap)
{
	if (priority == LOG_DEBUG && !log_debugging)
		return;
	if (log_to == LOG_TO_SYSLOG) {
		vsyslog(priority, fmt, ap);
		return;
	}
	/* One write per line, so lines from several processes never interleave. */
	char line[4096];
	int n = snprintf(line, sizeof(line), "%s", prio_label(priority));
	if (n < 0)
		n = 0;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
	if (len >= sizeof(line) - 1)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
	fflush(stderr);
}

void
log_line(int priority, const char *line)
{
	if (priority == LOG_DEBUG && !log_debugging)
		return;
	if (log_to == LOG_TO_SYSLOG)
		syslog(priority, "%s", line);
	else {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	}
}

/* Formats "fmt: strerror(saved errno)" and logs it at priority. */
static void
log_vmsg_errno(int priority, int saved, const char *fmt, va_list ap)
{
	char msg[3072];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_to == LOG_TO_SYSLOG)
		syslog(priority, "%s: %s", msg, strerror(saved));
	else {
		fprintf(stderr, "%s%s: %s\n", prio_label(priority), msg,
		    strerror(saved));
		fflush(stderr);
	}
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	log_vmsg_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	log_vmsg_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}
