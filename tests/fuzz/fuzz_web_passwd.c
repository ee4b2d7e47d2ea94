/* fuzz-sources: web/auth.c web/form.c lib/log.c lib/xalloc.c */
/*
 * lvsd-web's password file under libFuzzer: users are parsed or each bad
 * line reported with its place; a parsed user has a valid name and
 * scrypt cost (so no login can ask for more memory than the cap).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/auth.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct auth_users users;
	FILE *err = fopen("/dev/null", "w");
	(void)auth_users_parse(&users, "fuzz.passwd", (const char *)data, size,
	    err);
	fclose(err);
	for (size_t i = 0; i < users.n; i++) {
		const struct auth_user *u = &users.u[i];
		if (!web_user_name_ok(u->name) || u->log2n < 10 || u->log2n > 22 ||
		    128ULL * u->r * (1ULL << u->log2n) * u->p > 256ULL << 20 ||
		    u->saltlen < 8 || u->hashlen < 16)
			abort();
	}
	return 0;
}
