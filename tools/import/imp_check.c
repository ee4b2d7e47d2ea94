#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_check.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum chk_type { CHK_TCP, CHK_HTTP, CHK_HTTPS, CHK_EXEC, CHK_ICMP, CHK_UDP };
static const char *const chk_words[] = {
	[CHK_TCP] = "tcp", [CHK_HTTP] = "http", [CHK_HTTPS] = "https",
	[CHK_EXEC] = "exec", [CHK_ICMP] = "icmp", [CHK_UDP] = "send_expect",
};

struct chk {
	enum chk_type type;
	const char *kind;		/* TCP_CHECK, ... for messages */
	struct kc_loc loc;
	struct imp_timing t;
	int64_t port;			/* connect_port, -1: none */
	struct out_block keys;		/* the type's own keys */
	uint32_t misc_timeout_ms;	/* 0: delay_loop, as keepalived */
	unsigned nurls;
	bool require_reply;
	bool misc_path;			/* seen (maybe not expressible) */
	const struct lvs_addr *rs_addr;
};

void
imp_timing_init(struct imp_timing *t)
{
	*t = (struct imp_timing){ .delay_loop_ms = 60000,
	    .connect_timeout_ms = 5000, .retry = -1 };
}

bool
imp_timing_keyword(struct imp_ctx *c, const struct kc_node *n,
    struct imp_timing *t)
{
	const char *k = kc_key(n);
	uint32_t v;
	bool b;
	if (strcmp(k, "delay_loop") == 0) {
		if (imp_timer_arg(c->d, n, 3600000, &v))
			t->delay_loop_ms = v < 10 ? 10 : v;
	} else if (strcmp(k, "connect_timeout") == 0) {
		if (imp_timer_arg(c->d, n, 3600000, &v))
			t->connect_timeout_ms = v < 10 ? 10 : v;
	} else if (strcmp(k, "retry") == 0 || strcmp(k, "nb_get_retry") == 0 ||
	    strcmp(k, "nb_sock_retry") == 0) {
		if (imp_uint_arg(c->d, n, 0, 999, &v))
			t->retry = v;
	} else if (strcmp(k, "delay_before_retry") == 0) {
		if (imp_timer_arg(c->d, n, 3600000, &v))
			t->dbr_ms = v;
	} else if (strcmp(k, "warmup") == 0) {
		if (imp_timer_arg(c->d, n, 3600000, &v))
			imp_note(c->d, &n->w[0].loc, "`warmup`: lvsd spreads its "
			    "first checks over one check interval by itself");
	} else if (strcmp(k, "alpha") == 0) {
		if (imp_bool_arg(c->d, n, &b))
			t->alpha = b;
	} else if (strcmp(k, "inhibit_on_failure") == 0) {
		if (imp_bool_arg(c->d, n, &b))
			t->inhibit = b;
	} else if (strcmp(k, "virtualhost") == 0) {
		if (imp_nargs(c->d, n, 1, 1) && imp_text_word(c->d, &n->w[1]))
			t->virtualhost = n->w[1].text;
	} else
		return false;
	return true;
}

/* ---- keywords every checker takes ------------------------------------ */

static void
k_timing(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	imp_timing_keyword(c, n, &k->t);
}

static void
k_connect_port(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	uint32_t p;
	if (imp_nargs(c->d, n, 1, 1) && imp_port_word(c->d, &n->w[1], &p))
		k->port = p;
}

static void
k_connect_ip(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	struct lvs_addr a;
	if (!imp_nargs(c->d, n, 1, 1) || !imp_addr_word(c->d, &n->w[1], &a))
		return;
	if (k->rs_addr == NULL || !addr_eq(&a, k->rs_addr))
		imp_loss(c->d, &n->w[0].loc, "lvsd checks each real server at "
		    "its own address: `connect_ip %s` cannot be expressed",
		    n->w[1].text);
}

#define BIND_LOSS "lvsd checks from the director's own address and port: " \
	"`%s` cannot be expressed"
#define COMMON_KEYS \
	{ "delay_loop", k_timing, 0, NULL }, \
	{ "connect_timeout", k_timing, 0, NULL }, \
	{ "retry", k_timing, 0, NULL }, \
	{ "nb_get_retry", k_timing, 0, NULL }, \
	{ "nb_sock_retry", k_timing, 0, NULL }, \
	{ "delay_before_retry", k_timing, 0, NULL }, \
	{ "warmup", k_timing, 0, NULL }, \
	{ "alpha", k_timing, 0, NULL }, \
	{ "connect_port", k_connect_port, 0, NULL }, \
	{ "connect_ip", k_connect_ip, 0, NULL }, \
	{ "bindto", NULL, IMP_LOSS, BIND_LOSS }, \
	{ "bind_if", NULL, IMP_LOSS, BIND_LOSS }, \
	{ "bind_port", NULL, IMP_LOSS, BIND_LOSS }, \
	{ "fwmark", NULL, IMP_LOSS, "lvsd does not mark its check packets: " \
	    "`%s` cannot be expressed" }, \
	{ "log_all_failures", NULL, IMP_NOTE, "`%s`: lvsd logs each " \
	    "transition of a real server with its reason" }

/* ---- HTTP_GET / SSL_GET ---------------------------------------------- */

static void
u_path(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 1) || !imp_text_word(c->d, &n->w[1]))
		return;
	if (n->w[1].text[0] != '/')
		imp_loss(c->d, &n->w[1].loc, "lvsd requests paths that start "
		    "with `/`: `%s` cannot be expressed", n->w[1].text);
	else
		out_set(obj, "http_path", "%s", n->w[1].text);
}

static void
u_digest(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	const char *h = n->w[1].text;
	size_t len = strlen(h), i = 0;
	while (i < len && isxdigit((unsigned char)h[i]))
		i++;
	if (len != 32 || i != len) {
		imp_invalid(c->d, &n->w[1].loc, "`digest`: expected the 32 hex "
		    "digits of an MD5 sum, found `%s`", h);
		return;
	}
	char low[33];
	for (i = 0; i <= len; i++)
		low[i] = (char)tolower((unsigned char)h[i]);
	out_set(obj, "http_digest", "md5:%s", low);
}

static bool
status_word(const char *s)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10);
	if (end == s || a < 100 || a > 599)
		return false;
	if (*end == '\0')
		return true;
	if (*end != '-')
		return false;
	const char *b = end + 1;
	unsigned long z = strtoul(b, &end, 10);
	return end != b && *end == '\0' && z >= a && z <= 599;
}

static void
u_status(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 64))
		return;
	char *list = NULL;
	for (size_t i = 1; i < n->nw; i++) {
		if (!status_word(n->w[i].text)) {
			imp_invalid(c->d, &n->w[i].loc, "`status_code`: expected "
			    "a status (100-599) or a range such as 200-299, "
			    "found `%s`", n->w[i].text);
			free(list);
			return;
		}
		char *l = xasprintf("%s%s%s", list ? list : "", list ? "," : "",
		    n->w[i].text);
		free(list);
		list = l;
	}
	out_set(obj, "http_status", "%s", list);
	free(list);
}

static void
u_virtualhost(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (imp_nargs(c->d, n, 1, 1) && imp_text_word(c->d, &n->w[1]))
		out_set(obj, "http_host", "%s", n->w[1].text);
}

static void
u_regex(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	if (!imp_nargs(c->d, n, 1, 1) || !imp_text_word(c->d, &n->w[1]))
		return;
	regex_t re;
	if (regcomp(&re, n->w[1].text, REG_EXTENDED | REG_NOSUB) != 0) {
		imp_loss(c->d, &n->w[1].loc, "lvsd matches the body with a POSIX "
		    "extended regular expression: `%s` is not one", n->w[1].text);
		return;
	}
	regfree(&re);
	imp_note(c->d, &n->w[1].loc, "`regex`: lvsd matches the body with a "
	    "POSIX extended regular expression, keepalived with PCRE: check "
	    "that `%s` means the same", n->w[1].text);
	out_set(obj, "http_body_regex", "%s", n->w[1].text);
}

static const struct imp_kw url_keys[] = {
	{ "path", u_path, 0, NULL },
	{ "digest", u_digest, 0, NULL },
	{ "status_code", u_status, 0, NULL },
	{ "virtualhost", u_virtualhost, 0, NULL },
	{ "regex", u_regex, 0, NULL },
	{ "regex_no_match", NULL, IMP_LOSS, "lvsd's body check passes when "
	    "the expression matches: `%s` cannot be expressed" },
	{ "regex_options", NULL, IMP_LOSS, "lvsd's body expressions are POSIX "
	    "extended ones without options: `%s` cannot be expressed" },
	{ "regex_stack", NULL, IMP_NOTE, "`%s`: PCRE tuning, not needed" },
	{ "regex_min_offset", NULL, IMP_LOSS, "lvsd matches the whole body: "
	    "`%s` cannot be expressed" },
	{ "regex_max_offset", NULL, IMP_LOSS, "lvsd matches the whole body: "
	    "`%s` cannot be expressed" },
};

static void
h_url(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	if (++k->nurls > 1) {
		imp_loss(c->d, &n->w[0].loc, "lvs.cf checks one URL per virtual "
		    "service: this second `url` cannot be expressed");
		return;
	}
	imp_dispatch(c, n, url_keys, NELEMS(url_keys), &k->keys, "in a url");
}

static void
h_enable_sni(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	bool on;
	if (imp_bool_arg(c->d, n, &on) && on)
		out_set(&k->keys, "tls_sni", "%s", "");	/* filled from the host */
}

static const struct imp_kw http_keys[] = {
	COMMON_KEYS,
	{ "url", h_url, 0, NULL },
	{ "virtualhost", k_timing, 0, NULL },
	{ "enable_sni", h_enable_sni, 0, NULL },
	{ "http_protocol", NULL, IMP_NOTE, "`%s`: lvsd sends HTTP/1.0 "
	    "requests with a Host header and reads until the server closes" },
	{ "fast_recovery", NULL, IMP_NOTE, "`%s`: lvsd checks one URL, so a "
	    "recovering server is back after one passed check" },
};

/* ---- MISC_CHECK --------------------------------------------------------- */

static void
m_path(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	if (!imp_nargs(c->d, n, 1, 3))
		return;
	k->misc_path = true;
	char **argv;
	if (imp_script_argv(c->d, &n->w[1], &argv) < 0)
		return;
	char *cmd = imp_argv_check(c->d, &n->w[1], argv);
	imp_argv_free(argv);
	if (cmd != NULL)
		out_set(&k->keys, "check_program", "%s", cmd);
	free(cmd);
	if (n->nw > 2)
		imp_script_user(c, &n->w[2]);
}

static void
m_timeout(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	uint32_t v;
	if (imp_timer_arg(c->d, n, 3600000, &v))
		k->misc_timeout_ms = v < 10 ? 10 : v;
}

static void
m_user(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	if (imp_nargs(c->d, n, 1, 2))
		imp_script_user(c, &n->w[1]);
}

static const struct imp_kw misc_keys[] = {
	{ "delay_loop", k_timing, 0, NULL },
	{ "connect_timeout", k_timing, 0, NULL },
	{ "retry", k_timing, 0, NULL },
	{ "delay_before_retry", k_timing, 0, NULL },
	{ "warmup", k_timing, 0, NULL },
	{ "alpha", k_timing, 0, NULL },
	{ "log_all_failures", NULL, IMP_NOTE, "`%s`: lvsd logs each "
	    "transition of a real server with its reason" },
	{ "misc_path", m_path, 0, NULL },
	{ "misc_timeout", m_timeout, 0, NULL },
	{ "misc_dynamic", NULL, IMP_LOSS, "lvsd reads a dynamic weight from "
	    "the program's output (`N` or `weight N`), not from its exit "
	    "status: `%s` cannot be expressed" },
	{ "user", m_user, 0, NULL },
};

/* ---- UDP_CHECK, TCP_CHECK, PING_CHECK ------------------------------------ */

static void
udp_payload(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	char *hex = NULL, *bytes;
	size_t hl = 0, nb = 0;
	FILE *f = open_memstream(&hex, &hl);
	for (size_t i = 1; i < n->nw; i++)
		fputs(n->w[i].text, f);
	fclose(f);
	bytes = xmalloc(hl / 2 + 2);
	bool ok = hl % 2 == 0 && hl > 0;
	for (size_t i = 0; ok && i < hl; i += 2) {
		ok = isxdigit((unsigned char)hex[i]) &&
		    isxdigit((unsigned char)hex[i + 1]);
		if (ok) {
			char two[3] = { hex[i], hex[i + 1], '\0' };
			bytes[nb++] = (char)strtoul(two, NULL, 16);
		}
		ok = ok && (isprint((unsigned char)bytes[nb - 1]) ||
		    bytes[nb - 1] == '\r' || bytes[nb - 1] == '\n');
	}
	bytes[nb] = '\0';
	if (ok)
		out_set(&k->keys, "send", "%s", bytes);
	else
		imp_loss(c->d, &n->w[0].loc, "lvs.cf's `send` holds printable "
		    "text only: this `payload` cannot be expressed");
	free(hex);
	free(bytes);
}

static void
udp_require(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct chk *k = obj;
	if (n->nw > 1)
		imp_loss(c->d, &n->w[1].loc, "lvsd's UDP check accepts any "
		    "answer: the expected reply cannot be expressed");
	k->require_reply = true;
}

static const struct imp_kw udp_keys[] = {
	COMMON_KEYS,
	{ "payload", udp_payload, 0, NULL },
	{ "require_reply", udp_require, 0, NULL },
	{ "min_reply_length", NULL, IMP_LOSS, "lvsd's UDP check accepts any "
	    "answer: `%s` cannot be expressed" },
	{ "max_reply_length", NULL, IMP_LOSS, "lvsd's UDP check accepts any "
	    "answer: `%s` cannot be expressed" },
};

static const struct imp_kw tcp_keys[] = { COMMON_KEYS };

/* ---- one checker -------------------------------------------------------- */

struct chk_kind {
	const char *name;
	enum chk_type type;
	const struct imp_kw *keys;
	size_t nkeys;
	uint32_t retry, dbr_ms;		/* keepalived's defaults (0 ms: 1 s) */
};

static const struct chk_kind kinds[] = {
	{ "TCP_CHECK", CHK_TCP, tcp_keys, NELEMS(tcp_keys), 1, 1000 },
	{ "HTTP_GET", CHK_HTTP, http_keys, NELEMS(http_keys), 1, 3000 },
	{ "SSL_GET", CHK_HTTPS, http_keys, NELEMS(http_keys), 1, 3000 },
	{ "MISC_CHECK", CHK_EXEC, misc_keys, NELEMS(misc_keys), 0, 1000 },
	{ "PING_CHECK", CHK_ICMP, tcp_keys, NELEMS(tcp_keys), 1, 1000 },
	{ "UDP_CHECK", CHK_UDP, udp_keys, NELEMS(udp_keys), 1, 1000 },
};

static const char *const lost_kinds[][2] = {
	{ "SMTP_CHECK", "lvs.cf has no SMTP dialogue check (HELO, QUIT)" },
	{ "DNS_CHECK", "lvs.cf has no DNS query check" },
	{ "BFD_CHECK", "lvsd does not speak BFD" },
	{ "FILE_CHECK", "lvsd does not watch files" },
};

static const struct chk_kind *
find_kind(const char *name)
{
	for (size_t i = 0; i < NELEMS(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

/* The time lvsd and keepalived take to take a failing server out. */
static void
note_retry(struct imp_ctx *c, const struct chk *k, uint32_t retry,
    uint32_t dbr)
{
	if (retry == 0 || dbr == k->t.delay_loop_ms)
		return;
	char *a = imp_fmt_ms(dbr), *b = imp_fmt_ms(k->t.delay_loop_ms);
	char *ka = imp_fmt_ms(retry * dbr), *lv = imp_fmt_ms(retry * k->t.delay_loop_ms);
	imp_note(c->d, &k->loc, "%s: keepalived retries a failed check %u "
	    "time%s %s apart; lvsd checks every %s (`delay_loop`) and takes "
	    "the server out after %u failures: %s after the first one instead "
	    "of %s", k->kind, retry, retry == 1 ? "" : "s", a, b, retry + 1,
	    lv, ka);
	free(a);
	free(b);
	free(ka);
	free(lv);
}

/* The checker's keys, as the virtual service's check keys. */
static void
finish_chk(struct imp_ctx *c, struct chk *k, const struct chk_kind *kind,
    struct out_block *o)
{
	uint32_t retry = k->t.retry >= 0 ? (uint32_t)k->t.retry : kind->retry;
	uint32_t dbr = k->t.dbr_ms ? k->t.dbr_ms : kind->dbr_ms;
	char *iv = imp_fmt_ms(k->t.delay_loop_ms);
	uint32_t to_ms = k->type == CHK_EXEC ? (k->misc_timeout_ms ?
	    k->misc_timeout_ms : k->t.delay_loop_ms) : k->t.connect_timeout_ms;
	char *to = imp_fmt_ms(to_ms);
	out_set(o, "check", "%s", chk_words[k->type]);
	out_set(o, "check_interval", "%s", iv);
	out_set(o, "check_timeout", "%s", to);
	out_set(o, "check_rise", "1");
	out_set(o, "check_fall", "%u", retry + 1);
	out_set(o, "check_initial", k->t.alpha ? "down" : "up");
	free(iv);
	free(to);
	note_retry(c, k, retry, dbr);
	const char *sni = out_get(&k->keys, "tls_sni");
	const char *host = out_get(&k->keys, "http_host");
	bool http = k->type == CHK_HTTP || k->type == CHK_HTTPS;
	if (host == NULL && k->t.virtualhost != NULL && http)
		out_set(&k->keys, "http_host", "%s", host = k->t.virtualhost);
	if (sni != NULL && k->type != CHK_HTTPS)
		out_unset(&k->keys, "tls_sni");
	else if (sni != NULL && host != NULL)
		out_set(&k->keys, "tls_sni", "%s", host);
	else if (sni != NULL) {
		imp_loss(c->d, &k->loc, "`enable_sni` sends the virtualhost, and "
		    "this check has none");
		out_unset(&k->keys, "tls_sni");
	}
	if (k->type == CHK_EXEC && !k->misc_path)
		imp_invalid(c->d, &k->loc, "MISC_CHECK without `misc_path`");
	else if (k->type == CHK_EXEC && out_get(&k->keys, "check_program") == NULL)
		out_set(&k->keys, "check_program", "/bin/false");	/* --force */
	if (k->type == CHK_UDP && !k->require_reply)
		imp_loss(c->d, &k->loc, "UDP_CHECK without `require_reply` "
		    "counts a silent server as up; lvsd's UDP check needs an "
		    "answer");
	if (k->type == CHK_UDP)
		out_set(&k->keys, "expect", "*");
	for (size_t i = 0; i < k->keys.nkv; i++)
		out_set(o, k->keys.kv[i].key, "%s", k->keys.kv[i].value);
}

/* Maps one checker block into o (what lvs.cf cannot express reported). */
static void
map_checker(struct imp_ctx *c, const struct kc_node *n,
    const struct imp_timing *t, const struct lvs_addr *rs_addr,
    struct out_block *o, int64_t *port)
{
	const struct chk_kind *kind = find_kind(kc_key(n));
	struct chk k = { .type = kind->type, .kind = kind->name,
	    .loc = n->w[0].loc, .t = *t, .port = -1, .rs_addr = rs_addr };
	imp_dispatch(c, n, kind->keys, kind->nkeys, &k, kind->name);
	finish_chk(c, &k, kind, o);
	*port = k.port;
	out_block_clear(&k.keys);
}

static bool
is_checker(const char *key)
{
	if (find_kind(key) != NULL)
		return true;
	for (size_t i = 0; i < NELEMS(lost_kinds); i++)
		if (strcmp(lost_kinds[i][0], key) == 0)
			return true;
	return false;
}

/* A second checker: lvs.cf has one check per service (and an ICMP one). */
static void
combine(struct imp_ctx *c, const struct kc_node *n, struct out_block *acc,
    struct out_block *add)
{
	bool acc_icmp = strcmp(out_get(acc, "check"), "icmp") == 0;
	bool add_icmp = strcmp(out_get(add, "check"), "icmp") == 0;
	if (acc_icmp == add_icmp) {
		imp_loss(c->d, &n->w[0].loc, "lvs.cf runs one check per real "
		    "server (and an ICMP one before it): this second checker "
		    "cannot be expressed");
		return;
	}
	if (acc_icmp) {
		struct out_block t = *acc;
		*acc = *add;
		*add = t;
	}
	out_set(acc, "check_icmp", "1");
}

void
imp_map_rs_checks(struct imp_ctx *c, const struct kc_node *rs,
    const struct imp_timing *t, const struct lvs_addr *rs_addr,
    struct imp_rs_check *out)
{
	memset(out, 0, sizeof(*out));
	out->port = -1;
	out->loc = rs->w[0].loc;
	for (size_t i = 0; i < rs->nkids; i++) {
		const struct kc_node *n = &rs->kids[i];
		if (!is_checker(kc_key(n)))
			continue;
		if (find_kind(kc_key(n)) == NULL) {
			for (size_t j = 0; j < NELEMS(lost_kinds); j++)
				if (strcmp(lost_kinds[j][0], kc_key(n)) == 0)
					imp_loss(c->d, &n->w[0].loc, "%s: %s",
					    kc_key(n), lost_kinds[j][1]);
			continue;
		}
		struct out_block o = { 0 };
		int64_t port;
		map_checker(c, n, t, rs_addr, &o, &port);
		if (!out->any) {
			out->keys = o;
			out->port = port;
			out->loc = n->w[0].loc;
			out->any = true;
			continue;
		}
		if (strcmp(out_get(&o, "check"), "icmp") != 0)
			out->port = port;
		combine(c, n, &out->keys, &o);
		out_block_clear(&o);
	}
	if (!out->any)
		out_set(&out->keys, "check", "none");
	out_set(&out->keys, "quiesce_server", t->inhibit ? "1" : "0");
}
