#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "cfg/types.h"
#include "healthcheck/hc.h"
#include "lib/xalloc.h"

#define FIELD(type, p) (*(type *)(p))
#define CFIELD(type, p) (*(const type *)(p))

static int
fail(const struct cfg_value *v, unsigned offset, const struct cfg_key *k,
    const char *expected, const char *found)
{
	struct cfg_loc at = v->loc;
	at.col += offset + (v->quoted ? 1 : 0);
	if (*found == '\0')
		cfg_diag(v->diags, CFG_ERROR, &at, "`%s`: expected %s, found nothing",
		    k->name, expected);
	else
		cfg_diag(v->diags, CFG_ERROR, &at, "`%s`: expected %s, found `%s`",
		    k->name, expected, found);
	return -1;
}

/* ---- unsigned integers ------------------------------------------------ */

/* Decimal digits only (no sign, no blanks), within [min, max]. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
			return -1;
	if (*s != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
uint_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	if (parse_u32(v->text, k->min, k->max, field) == 0)
		return 0;
	char expected[80];
	snprintf(expected, sizeof(expected), "an integer from %u to %u",
	    k->min, k->max);
	return fail(v, 0, k, expected, v->text);
}

static void
uint_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	fprintf(out, "%u", CFIELD(uint32_t, field));
}

static bool
uint_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return CFIELD(uint32_t, a) == CFIELD(uint32_t, b);
}

const struct cfg_type cfg_type_uint = { uint_parse, uint_print, uint_equal };

/* ---- signed integers: k->min and k->max hold int32_t bounds ------------- */

static int
int_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	int32_t lo = (int32_t)k->min, hi = (int32_t)k->max;
	const char *s = v->text + (v->text[0] == '-');
	uint32_t mag;
	if (parse_u32(s, 0, (uint32_t)INT32_MAX, &mag) == 0) {
		int32_t n = v->text[0] == '-' ? -(int32_t)mag : (int32_t)mag;
		if (n >= lo && n <= hi) {
			FIELD(int32_t, field) = n;
			return 0;
		}
	}
	char expected[80];
	snprintf(expected, sizeof(expected), "an integer from %d to %d", lo, hi);
	return fail(v, 0, k, expected, v->text);
}

static void
int_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	fprintf(out, "%d", CFIELD(int32_t, field));
}

static bool
int_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return CFIELD(int32_t, a) == CFIELD(int32_t, b);
}

const struct cfg_type cfg_type_int = { int_parse, int_print, int_equal };

/* ---- booleans ----------------------------------------------------------- */

static int
bool_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	if (strcmp(v->text, "1") == 0)
		FIELD(bool, field) = true;
	else if (strcmp(v->text, "0") == 0)
		FIELD(bool, field) = false;
	else
		return fail(v, 0, k, "0 or 1", v->text);
	return 0;
}

static void
bool_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	fputc(CFIELD(bool, field) ? '1' : '0', out);
}

static bool
bool_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return CFIELD(bool, a) == CFIELD(bool, b);
}

const struct cfg_type cfg_type_bool = { bool_parse, bool_print, bool_equal };

/* ---- addresses ---------------------------------------------------------- */

static const char addr_expected[] =
    "an IPv4 or IPv6 address (host names are not resolved)";

/*
 * The common case without the library call: a dotted quad as inet_pton
 * reads it (four decimal numbers up to 255, no leading zero).  Anything
 * else goes to addr_parse, which decides.
 */
static int
parse_addr(const char *text, struct lvs_addr *out)
{
	const char *p = text;
	uint32_t v = 0;
	for (int octet = 0; octet < 4; octet++) {
		if (octet > 0 && *p++ != '.')
			return addr_parse(text, out);
		if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' &&
		    p[1] <= '9'))
			return addr_parse(text, out);
		unsigned n = 0;
		for (int d = 0; d < 3 && *p >= '0' && *p <= '9'; d++)
			n = n * 10 + (unsigned)(*p++ - '0');
		if (n > 255)
			return addr_parse(text, out);
		v = v << 8 | n;
	}
	if (*p != '\0')
		return addr_parse(text, out);
	memset(out, 0, sizeof(*out));
	out->af = AF_INET;
	out->u.v4.s_addr = htonl(v);
	return 0;
}

static int
addr_parse_field(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	if (parse_addr(v->text, field) == 0)
		return 0;
	return fail(v, 0, k, addr_expected, v->text);
}

static void
addr_print_field(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	char buf[LVS_ADDRSTRLEN];
	fputs(addr_fmt(field, buf), out);
}

static bool
addr_equal_field(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return addr_eq(a, b);
}

const struct cfg_type cfg_type_addr = {
	addr_parse_field, addr_print_field, addr_equal_field
};

/* ---- lists of addresses (`peers = fe80::1 fe80::2`) ------------------- */

static int
addrs_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	struct cfg_addrs *l = field;
	struct lvs_addr got[CFG_ADDRS_MAX];
	size_t n = 0;
	const char *s = v->text;
	size_t i = strspn(s, " \t");
	if (s[i] == '\0')
		return fail(v, (unsigned)i, k, "one or more addresses separated "
		    "by spaces", s + i);
	while (s[i] != '\0') {
		size_t len = strcspn(s + i, " \t");
		char one[INET6_ADDRSTRLEN + IFNAMSIZ + 2];
		snprintf(one, sizeof(one), "%.*s", (int)len, s + i);
		int r = n >= CFG_ADDRS_MAX ? -2 : len >= sizeof(one) ? -1 :
		    addr_parse(one, &got[n]);
		if (r < 0) {
			char expected[80];
			snprintf(expected, sizeof(expected), "at most %u addresses",
			    CFG_ADDRS_MAX);
			return fail(v, (unsigned)i, k, r == -2 ? expected :
			    addr_expected, one);
		}
		n++;
		i += len + strspn(s + i + len, " \t");
	}
	/* In the generation's arena, as every other value. */
	l->v = cfg_arena_alloc(v->arena, n * sizeof(*l->v));
	memcpy(l->v, got, n * sizeof(*l->v));
	l->n = n;
	return 0;
}

static void
addrs_print(FILE *out, const struct cfg_key *k, const void *field)
{
	const struct cfg_addrs *l = field;
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			fputc(' ', out);
		addr_print_field(out, k, &l->v[i]);
	}
}

static bool
addrs_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	const struct cfg_addrs *x = a, *y = b;
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (!addr_eq(&x->v[i], &y->v[i]))
			return false;
	return true;
}

const struct cfg_type cfg_type_addrs = {
	addrs_parse, addrs_print, addrs_equal
};

/* ---- `IP [dev[:alias]]` ----------------------------------------------- */

static bool
valid_ifname(const char *s, size_t len)
{
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isgraph(c) || c == '/' || c == '#' || c == '"')
			return false;
	}
	return true;
}

static int
ifaddr_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	struct cfg_ifaddr *ia = field;
	memset(ia, 0, sizeof(*ia));
	const char *s = v->text;
	size_t alen = strcspn(s, " \t");
	char buf[64];
	char *addr = alen < sizeof(buf) ? buf : xmalloc(alen + 1);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	int r = parse_addr(addr, &ia->addr);
	if (r < 0)
		fail(v, 0, k, addr_expected, addr);
	if (addr != buf)
		free(addr);
	if (r < 0)
		return -1;
	size_t i = alen + strspn(s + alen, " \t");
	if (s[i] == '\0')
		return 0;
	size_t dlen = strcspn(s + i, " \t");
	if (s[i + dlen] != '\0')
		return fail(v, (unsigned)(i + dlen + strspn(s + i + dlen, " \t")),
		    k, "end of value after the device", s + i + dlen +
		    strspn(s + i + dlen, " \t"));
	if (!valid_ifname(s + i, dlen))
		return fail(v, (unsigned)i, k,
		    "a network device such as `eth0` or `eth0:1` (at most 15 "
		    "characters)", s + i);
	memcpy(ia->label, s + i, dlen);
	return 0;
}

static void
ifaddr_print(FILE *out, const struct cfg_key *k, const void *field)
{
	const struct cfg_ifaddr *ia = field;
	addr_print_field(out, k, &ia->addr);
	if (ia->label[0] != '\0')
		fprintf(out, " %s", ia->label);
}

static bool
ifaddr_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	const struct cfg_ifaddr *x = a, *y = b;
	return addr_eq(&x->addr, &y->addr) && strcmp(x->label, y->label) == 0;
}

const struct cfg_type cfg_type_ifaddr = { ifaddr_parse, ifaddr_print, ifaddr_equal };

/* ---- netmasks ----------------------------------------------------------- */

/* netmask_parse, with a dotted mask read by parse_addr(). */
static int
parse_netmask(const char *text, unsigned *plen, bool *dotted)
{
	struct lvs_addr a;
	if (text[0] == '/' || strchr(text, '.') == NULL ||
	    parse_addr(text, &a) < 0 || a.af != AF_INET)
		return netmask_parse(text, 128, plen, dotted);
	uint32_t inv = ~ntohl(a.u.v4.s_addr);
	if ((inv & (inv + 1)) != 0)
		return -1;	/* not contiguous */
	*plen = 32 - (unsigned)__builtin_popcount(inv);
	*dotted = true;
	return 0;
}

static int
mask_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	struct cfg_mask *m = field;
	unsigned plen;
	bool dotted;
	/* The family is checked against the related address by the validator. */
	if (parse_netmask(v->text, &plen, &dotted) < 0)
		return fail(v, 0, k, "a netmask such as `255.255.255.0` or a "
		    "prefix length such as `24`", v->text);
	m->prefix = (uint8_t)plen;
	m->dotted = dotted;
	return 0;
}

static void
mask_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	const struct cfg_mask *m = field;
	char buf[16];
	if (m->dotted && m->prefix <= 32)
		fputs(netmask_fmt4(m->prefix, buf), out);
	else
		fprintf(out, "%u", m->prefix);
}

static bool
mask_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return ((const struct cfg_mask *)a)->prefix ==
	    ((const struct cfg_mask *)b)->prefix;
}

const struct cfg_type cfg_type_mask = { mask_parse, mask_print, mask_equal };

/* ---- ports and service names ------------------------------------------ */

/*
 * Common names first, so a configuration means the same on a minimal
 * system whose /etc/services lacks them.
 */
static const struct { const char *name; int port; } known_ports[] = {
	{ "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "dns", 53 }, { "http", 80 }, { "www", 80 },
	{ "pop3", 110 }, { "ntp", 123 }, { "imap", 143 }, { "imap2", 143 },
	{ "snmp", 161 }, { "ldap", 389 }, { "https", 443 },
	{ "submissions", 465 }, { "smtps", 465 }, { "submission", 587 },
	{ "ldaps", 636 }, { "imaps", 993 }, { "pop3s", 995 },
	{ "mysql", 3306 }, { "sip", 5060 }, { "postgresql", 5432 },
	{ "http-alt", 8080 },
};

int
cfg_port_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(known_ports) / sizeof(known_ports[0]); i++)
		if (strcmp(known_ports[i].name, name) == 0)
			return known_ports[i].port;
	struct servent *se = getservbyname(name, NULL);
	return se != NULL ? ntohs((uint16_t)se->s_port) : -1;
}

static int
port_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	if (isdigit((unsigned char)v->text[0])) {
		if (parse_u32(v->text, k->min, k->max, field) == 0)
			return 0;
	} else {
		int p = cfg_port_by_name(v->text);
		if (p >= 0 && (uint32_t)p >= k->min && (uint32_t)p <= k->max) {
			FIELD(uint32_t, field) = (uint32_t)p;
			return 0;
		}
	}
	char expected[96];
	snprintf(expected, sizeof(expected), "a port number from %u to %u or "
	    "a service name such as `http`", k->min, k->max);
	return fail(v, 0, k, expected, v->text);
}

const struct cfg_type cfg_type_port = { port_parse, uint_print, uint_equal };

/* ---- `IP[:port]` ---------------------------------------------------------- */

static int
hostport_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	static const char expected[] =
	    "an address with an optional port: `IP`, `IP:port`, `[IPv6]:port`";
	struct cfg_hostport *hp = field;
	memset(hp, 0, sizeof(*hp));
	const char *s = v->text, *port = NULL;
	const char *host = s;
	size_t hlen = v->len;	/* IPv4, or bare IPv6 without a port */
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return fail(v, 0, k, expected, s);
		host = s + 1;
		hlen = (size_t)(close - s - 1);
		port = close[1] == ':' ? close + 2 : NULL;
	} else if (strchr(s, ':') != NULL && strchr(s, ':') == strrchr(s, ':')) {
		const char *colon = strchr(s, ':');
		hlen = (size_t)(colon - s);
		port = colon + 1;
	}
	char *h = xstrndup(host, hlen);
	int r = addr_parse(h, &hp->addr);
	free(h);
	if (r < 0)
		return fail(v, 0, k, expected, s);
	if (port == NULL)
		return 0;
	uint32_t p;
	if (parse_u32(port, 1, 65535, &p) < 0)
		return fail(v, (unsigned)(port - s), k, "a port number from 1 "
		    "to 65535", port);
	hp->port = (uint16_t)p;
	return 0;
}

static void
hostport_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	const struct cfg_hostport *hp = field;
	char buf[LVS_ADDRPORTSTRLEN];
	if (hp->port == 0)
		fputs(addr_fmt(&hp->addr, buf), out);
	else
		fputs(addr_port_fmt(&hp->addr, hp->port, buf), out);
}

static bool
hostport_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	const struct cfg_hostport *x = a, *y = b;
	return addr_eq(&x->addr, &y->addr) && x->port == y->port;
}

const struct cfg_type cfg_type_hostport = {
	hostport_parse, hostport_print, hostport_equal
};

/* ---- enumerations ------------------------------------------------------- */

static int
enum_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	int first = tolower((unsigned char)v->text[0]);
	for (int i = 0; k->names[i] != NULL; i++) {
		if (tolower((unsigned char)k->names[i][0]) == first &&
		    strcasecmp(k->names[i], v->text) == 0) {
			FIELD(int, field) = i;
			return 0;
		}
	}
	char expected[256] = "one of";
	size_t n = strlen(expected);
	for (int i = 0; k->names[i] != NULL && n < sizeof(expected); i++)
		n += (size_t)snprintf(expected + n, sizeof(expected) - n, " %s",
		    k->names[i]);
	return fail(v, 0, k, expected, v->text);
}

static void
enum_print(FILE *out, const struct cfg_key *k, const void *field)
{
	fputs(k->names[CFIELD(int, field)], out);
}

static bool
enum_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	return CFIELD(int, a) == CFIELD(int, b);
}

const struct cfg_type cfg_type_enum = { enum_parse, enum_print, enum_equal };

/* ---- strings ------------------------------------------------------------ */

static int
string_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	(void)k;
	FIELD(char *, field) = cfg_arena_intern(v->arena, v->text, v->len);
	return 0;
}

/* Quoted when a bare value would not read back the same. */
static void
string_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	const char *s = FIELD(char *const, field);
	bool quote = s[0] == '\0' || s[0] == '"' || s[0] == ' ' ||
	    s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t';
	for (const char *c = s; *c != '\0' && !quote; c++)
		quote = !isprint((unsigned char)*c) || *c == '#' || *c == '\\';
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			fputc(*c, out);	/* lvs.cf has no escape for other bytes */
		}
	}
	fputc('"', out);
}

static bool
string_equal(const struct cfg_key *k, const void *a, const void *b)
{
	(void)k;
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	return (x == NULL && y == NULL) ||
	    (x != NULL && y != NULL && strcmp(x, y) == 0);
}

const struct cfg_type cfg_type_string = {
	string_parse, string_print, string_equal
};

/*
 * piranha's send/expect strings: nanny applied its escapes whether the
 * value was quoted or not, so a bare `send = GET / HTTP/1.0\r\n\r\n`
 * sends CR LF.  (Quoted values were already unescaped by the lexer.)
 */
static int
nanny_string_parse(const struct cfg_key *k, const struct cfg_value *v,
    void *field)
{
	if (v->quoted || strchr(v->text, '\\') == NULL)
		return string_parse(k, v, field);
	char *s = hc_piranha_unescape(v->text);
	FIELD(char *, field) = cfg_arena_intern(v->arena, s, strlen(s));
	free(s);
	return 0;
}

const struct cfg_type cfg_type_nanny_string = {
	nanny_string_parse, string_print, string_equal
};

static int
ifname_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	if (!valid_ifname(v->text, v->len))
		return fail(v, 0, k, "a network device name such as `eth0` "
		    "(at most 15 characters)", v->text);
	return string_parse(k, v, field);
}

const struct cfg_type cfg_type_ifname = {
	ifname_parse, string_print, string_equal
};

/* ---- durations ---------------------------------------------------------- */

/*
 * "2" and "1.5" are seconds (as piranha's timing keys are), "200ms" and
 * "3s" say their unit.  Stored in milliseconds; a value that is not a
 * whole number of milliseconds is refused, never rounded.
 */
static int
duration_ms(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, scale = 1000;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if ((whole = whole * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
			return -1;
	unsigned decimals = 0;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, decimals++) {
			if (decimals == 3)
				return -1;	/* finer than a millisecond */
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (decimals == 0)
			return -1;
	}
	if (strcmp(p, "ms") == 0) {
		if (decimals > 0)
			return -1;
		scale = 1;
	} else if (*p != '\0' && strcmp(p, "s") != 0)
		return -1;
	for (unsigned d = decimals; d < 3; d++)
		frac *= 10;
	*out = scale == 1 ? whole : whole * 1000 + frac;
	return 0;
}

static int
duration_parse(const struct cfg_key *k, const struct cfg_value *v, void *field)
{
	uint64_t ms;
	if (duration_ms(v->text, &ms) == 0 && ms >= k->min && ms <= k->max) {
		FIELD(uint32_t, field) = (uint32_t)ms;
		return 0;
	}
	char expected[128];
	snprintf(expected, sizeof(expected), "a duration from %ums to %ums "
	    "(seconds, or with a unit: `1.5`, `200ms`, `2s`)", k->min, k->max);
	return fail(v, 0, k, expected, v->text);
}

static void
duration_print(FILE *out, const struct cfg_key *k, const void *field)
{
	(void)k;
	uint32_t ms = CFIELD(uint32_t, field);
	if (ms % 1000 == 0)
		fprintf(out, "%us", ms / 1000);
	else
		fprintf(out, "%ums", ms);
}

const struct cfg_type cfg_type_duration = {
	duration_parse, duration_print, uint_equal
};
