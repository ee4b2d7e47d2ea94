/*
 * lvsd-web's configuration (/etc/lvsd/lvsd-web.conf): `key = value`
 * lines, `#` comments, documented in lvsd-web(8).  Errors name
 * file:line:column; every error of a file is reported at once.
 */
#ifndef LVSD_WEB_CONFIG_H
#define LVSD_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"

#define WEB_DEFAULT_PORT	3636	/* piranha's web tool had it */

enum web_admin { WEB_ADMIN_OFF, WEB_ADMIN_PASSWORD };

struct web_config {
	struct lvs_addr listen_addr;
	uint16_t listen_port;
	char *socket;			/* lvsd's control socket */
	unsigned poll_ms;		/* how often to ask lvsd */
	unsigned refresh_ms;		/* how often the page asks us */
	unsigned history_servers;	/* real servers with plotted history */
	char *assets;			/* the page's files */
	char *charts;			/* dygraphs (Debian's libjs-dygraphs) */
	char *tls_certificate, *tls_key;	/* PEM; both or neither */
	enum web_admin admin;
	char *password_file;
	unsigned session_s;		/* a login lasts this long idle */
	unsigned max_reply_mb;		/* MiB of one reply from lvsd */
};

/* Defaults (listen 127.0.0.1:3636, no TLS, admin off). */
void web_config_init(struct web_config *c);
void web_config_clear(struct web_config *c);

/*
 * Parses text (len bytes, the contents of file name) into c, over what c
 * holds.  Every error goes to err as "name:line:column: error: ..."
 * lines; returns the number of errors (0: c is complete and valid).
 */
unsigned web_config_parse(struct web_config *c, const char *name,
    const char *text, size_t len, FILE *err);
/* Reads and parses path; as web_config_parse, or 1 if unreadable. */
unsigned web_config_load(struct web_config *c, const char *path, FILE *err);
/* Cross-key rules (TLS key and certificate together, admin needs a
 * password file); the number of errors, each on err. */
unsigned web_config_check(const struct web_config *c, const char *name,
    FILE *err);

/* "127.0.0.1:3636", "[::1]:3636"; 0 or -1. */
int web_parse_listen(const char *s, struct lvs_addr *a, uint16_t *port);
/* "2s", "500ms", "1m", "8h" or plain seconds; 0 or -1. */
int web_parse_duration_ms(const char *s, uint64_t *ms);

#endif
