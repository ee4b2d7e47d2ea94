/*
 * The journal as log_init's LOG_TO_SYSLOG sink: the same lines, sent in
 * journald's native protocol so that log_struct's fields become fields of
 * the entry (`journalctl LVSD_SERVER=web/Real1`).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION	/* it would always name this file */
#include <systemd/sd-journal.h>

#include "lib/log.h"

#define MAX_FIELDS 8

static char journal_ident[64] = "lvsd";

static int
journal_send(int priority, const struct log_field *fields, const char *msg)
{
	char text[4200], head[3][96], field[MAX_FIELDS][256];
	struct iovec iov[1 + 3 + MAX_FIELDS];
	int n = 0;
	snprintf(text, sizeof(text), "MESSAGE=%s", msg);
	snprintf(head[0], sizeof(head[0]), "PRIORITY=%d", priority);
	snprintf(head[1], sizeof(head[1]), "SYSLOG_IDENTIFIER=%s", journal_ident);
	snprintf(head[2], sizeof(head[2]), "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3);
	iov[n++] = (struct iovec){ text, strlen(text) };
	for (int i = 0; i < 3; i++)
		iov[n++] = (struct iovec){ head[i], strlen(head[i]) };
	for (int i = 0; fields != NULL && i < MAX_FIELDS &&
	    fields[i].name != NULL; i++) {
		snprintf(field[i], sizeof(field[i]), "%s=%s", fields[i].name,
		    fields[i].value != NULL ? fields[i].value : "");
		iov[n++] = (struct iovec){ field[i], strlen(field[i]) };
	}
	return sd_journal_sendv(iov, n);
}

void
log_use_journal(const char *ident)
{
	snprintf(journal_ident, sizeof(journal_ident), "%s", ident);
	/* journald listens here whenever it runs; else syslog(3) stays. */
	if (access("/run/systemd/journal/socket", W_OK) == 0)
		log_set_sink(journal_send);
}
