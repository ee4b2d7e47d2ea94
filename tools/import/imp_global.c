/*
 * global_defs: the settings that matter to lvs.cf (the IPVS sync daemon,
 * connection timeouts, the script user, VRRP defaults); e-mail, SNMP and
 * process tuning are noted as not used by lvsd.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_site.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void
g_version(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_uint_arg(c->d, n, 2, 3, &c->site->def.vrrp_version);
}

static void
g_garp_repeat(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_uint_arg(c->d, n, 1, 100, &c->site->def.garp_repeat);
}

static void
g_garp_interval(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	uint32_t ms;
	(void)obj;
	if (imp_timer_arg(c->d, n, 60000, &ms) && ms > 0)
		c->site->def.garp_delay_ms = ms;
}

static void
g_min_garp(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	bool on;
	(void)obj;
	if (imp_bool_arg(c->d, n, &on) && on)
		c->site->def.garp_repeat = 1;
}

static void
g_garp_delay(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	uint32_t ms;
	(void)obj;
	if (imp_timer_arg(c->d, n, 86400000, &ms) && ms > 0)
		imp_note(c->d, &n->w[0].loc, "lvsd sends its gratuitous ARPs "
		    "`garp_delay` apart and no second burst %u s after a "
		    "takeover", ms / 1000);
}

static void
g_mcast(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	const char *def = strchr(kc_key(n), '6') ? "ff02::12" : "224.0.0.18";
	struct lvs_addr a, b;
	if (imp_nargs(c->d, n, 1, 1) && imp_addr_word(c->d, &n->w[1], &a) &&
	    addr_parse(def, &b) == 0 && !addr_eq(&a, &b))
		imp_loss(c->d, &n->w[1].loc, "lvsd advertises to %s: `%s %s` "
		    "cannot be expressed", def, kc_key(n), n->w[1].text);
}

static void
g_default_if(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	if (!imp_nargs(c->d, n, 1, 1) || !imp_ifname_word(c->d, &n->w[1]))
		return;
	free(c->site->def.default_interface);
	c->site->def.default_interface = xstrdup(n->w[1].text);
}

static void
g_script_user(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	if (!imp_nargs(c->d, n, 1, 2))
		return;
	imp_script_user(c, &n->w[1]);
	if (n->nw > 2)
		imp_note(c->d, &n->w[2].loc, "lvsd runs commands with the "
		    "script_user's own group, not `%s`", n->w[2].text);
}

static void
g_timeouts(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	static const char *const kw[][2] = {
		{ "tcp", "tcp_timeout" }, { "tcpfin", "tcpfin_timeout" },
		{ "udp", "udp_timeout" },
	};
	for (size_t i = 1; i < n->nw; i++) {
		size_t k = 0;
		while (k < 3 && strcmp(n->w[i].text, kw[k][0]) != 0)
			k++;
		uint32_t v;
		if (k == 3 || i + 1 >= n->nw) {
			imp_invalid(c->d, &n->w[i].loc, "`lvs_timeouts`: expected "
			    "tcp, tcpfin or udp and a number of seconds, found "
			    "`%s`", n->w[i].text);
			return;
		}
		if (!imp_uint_word(c->d, &n->w[++i], 0, 86400 * 365, &v))
			return;
		out_set(&c->site->global, kw[k][1], "%u", v);
	}
}

/* lvs_sync_daemon IFACE [[inst] NAME] [id N] [maxlen N] [port N] ... */
static void
g_sync_daemon(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	if (!imp_nargs(c->d, n, 1, 16) || !imp_ifname_word(c->d, &n->w[1]))
		return;
	struct out_block *g = &c->site->global;
	out_set(g, "syncdaemon", "1");
	out_set(g, "syncd_iface", "%s", n->w[1].text);
	bool id = false;
	for (size_t i = 2; i < n->nw; i++) {
		const char *w = n->w[i].text;
		uint32_t v;
		if (strcmp(w, "id") == 0 && i + 1 < n->nw) {
			if (imp_uint_word(c->d, &n->w[++i], 0, 255, &v))
				out_set(g, "syncd_id", "%u", v);
			id = true;
		} else if ((strcmp(w, "maxlen") == 0 || strcmp(w, "port") == 0 ||
		    strcmp(w, "ttl") == 0 || strcmp(w, "group") == 0) &&
		    i + 1 < n->nw) {
			imp_loss(c->d, &n->w[i].loc, "lvsd runs the sync daemon "
			    "with the kernel's defaults: `%s %s` cannot be "
			    "expressed", w, n->w[i + 1].text);
			i++;
		} else if (strcmp(w, "inst") == 0 && i + 1 < n->nw) {
			i++;
		}
	}
	if (!id)
		imp_note(c->d, &n->w[0].loc, "keepalived's sync id is the VRRP "
		    "instance's vrid; lvs.cf's `syncd_id` defaults to 0: "
		    "give `id N` if the pair shares its network with another");
	imp_note(c->d, &n->w[0].loc, "lvsd runs the master and the backup sync "
	    "daemon on both directors all the time");
}

#define NOTE(k, why) { k, NULL, IMP_NOTE, why }
#define LOSS(k, why) { k, NULL, IMP_LOSS, why }
#define F(k, f) { k, f, 0, NULL }
#define MAIL IMP_WHY_MAIL
#define SNMP "`%s`: lvsd has no SNMP or D-Bus interface (see lvsctl status --json and metrics)"
#define PROC "`%s`: lvsd's process settings belong to its systemd unit"
#define KA "`%s`: a setting of keepalived itself, not needed by lvsd"
#define PROTO "`%s`: lvsd follows RFC 5798 here"
#define GARP "`%s`: lvsd announces on takeover only"
static const struct imp_kw global_keys[] = {
	F("vrrp_version", g_version),
	F("vrrp_garp_master_repeat", g_garp_repeat),
	F("vrrp_garp_interval", g_garp_interval),
	F("vrrp_gna_interval", g_garp_interval),
	F("vrrp_min_garp", g_min_garp),
	F("vrrp_garp_master_delay", g_garp_delay),
	F("vrrp_mcast_group4", g_mcast), F("vrrp_mcast_group6", g_mcast),
	F("default_interface", g_default_if),
	F("script_user", g_script_user),
	F("lvs_timeouts", g_timeouts),
	F("lvs_sync_daemon", g_sync_daemon),
	NOTE("notification_email", MAIL), NOTE("notification_email_from", MAIL),
	NOTE("smtp_server", MAIL), NOTE("smtp_helo_name", MAIL),
	NOTE("smtp_connect_timeout", MAIL), NOTE("smtp_alert", MAIL),
	NOTE("smtp_alert_vrrp", MAIL), NOTE("smtp_alert_checker", MAIL),
	NOTE("no_email_faults", MAIL), NOTE("no_checker_emails", MAIL),
	NOTE("router_id", "`%s`: lvsd names a director by its role (primary "
	    "or backup)"),
	NOTE("enable_traps", SNMP), NOTE("enable_snmp_vrrp", SNMP),
	NOTE("enable_snmp_checker", SNMP), NOTE("enable_snmp_rfc", SNMP),
	NOTE("enable_snmp_rfcv2", SNMP), NOTE("enable_snmp_rfcv3", SNMP),
	NOTE("enable_snmp_keepalived", SNMP), NOTE("snmp_socket", SNMP),
	NOTE("enable_dbus", SNMP), NOTE("dbus_service_name", SNMP),
	NOTE("enable_script_security", "`%s`: lvsd always refuses a command "
	    "another user may change, and runs commands as `script_user` with "
	    "a clean environment"),
	NOTE("lvs_flush", "`%s`: lvsd removes at start what an earlier run of "
	    "its own left, and never touches services it did not create"),
	NOTE("lvs_flush_on_stop", "`%s`: lvsd removes its services when it "
	    "stops (unless ipvs_keep_on_stop = 1)"),
	NOTE("vrrp_garp_lower_prio_delay", GARP),
	NOTE("vrrp_garp_lower_prio_repeat", GARP),
	NOTE("vrrp_garp_master_refresh", GARP),
	NOTE("vrrp_garp_master_refresh_repeat", GARP),
	NOTE("vrrp_garp_extra_if", GARP),
	NOTE("vrrp_check_unicast_src", PROTO),
	NOTE("vrrp_skip_check_adv_addr", PROTO),
	NOTE("vrrp_lower_prio_no_advert", PROTO),
	NOTE("vrrp_higher_prio_send_advert", PROTO),
	NOTE("vrrp_iptables", "`%s`: lvsd installs no firewall rules"),
	NOTE("vrrp_ipsets", "`%s`: lvsd installs no firewall rules"),
	NOTE("nftables", "`%s`: lvsd installs no firewall rules"),
	NOTE("nftables_priority", "`%s`: lvsd installs no firewall rules"),
	NOTE("nftables_counters", "`%s`: lvsd installs no firewall rules"),
	NOTE("nftables_ifindex", "`%s`: lvsd installs no firewall rules"),
	NOTE("nftables_ipvs", "`%s`: lvsd programs one IPVS service per "
	    "address (no fwmark groups)"),
	NOTE("vrrp_priority", PROC), NOTE("checker_priority", PROC),
	NOTE("bfd_priority", PROC), NOTE("vrrp_no_swap", PROC),
	NOTE("checker_no_swap", PROC), NOTE("bfd_no_swap", PROC),
	NOTE("vrrp_rt_priority", PROC), NOTE("checker_rt_priority", PROC),
	NOTE("bfd_rt_priority", PROC), NOTE("vrrp_rlimit_rttime", PROC),
	NOTE("checker_rlimit_rttime", PROC), NOTE("bfd_rlimit_rttime", PROC),
	NOTE("max_auto_priority", PROC), NOTE("min_auto_priority_delay", PROC),
	NOTE("vrrp_cpu_affinity", PROC), NOTE("checker_cpu_affinity", PROC),
	NOTE("bfd_cpu_affinity", PROC), NOTE("umask", PROC),
	NOTE("process_names", KA), NOTE("process_name", KA),
	NOTE("vrrp_process_name", KA), NOTE("checker_process_name", KA),
	NOTE("bfd_process_name", KA), NOTE("tmp_config_directory", KA),
	NOTE("config_save_dir", KA), NOTE("reload_check_config", KA),
	NOTE("include_check", KA), NOTE("reload_time_file", KA),
	NOTE("reload_repeat", KA), NOTE("reload_file", KA),
	NOTE("data_use_instance", KA), NOTE("random_seed", KA),
	NOTE("vmac_prefix", KA), NOTE("vmac_addr_prefix", KA),
	NOTE("dynamic_interfaces", KA), NOTE("checker_log_all_failures", KA),
	NOTE("log_unknown_vrids", KA), NOTE("rs_init_notifies", KA),
	NOTE("vrrp_netlink_cmd_rcv_bufs", KA),
	NOTE("vrrp_netlink_cmd_rcv_bufs_force", KA),
	NOTE("vrrp_netlink_monitor_rcv_bufs", KA),
	NOTE("vrrp_netlink_monitor_rcv_bufs_force", KA),
	NOTE("lvs_netlink_cmd_rcv_bufs", KA),
	NOTE("lvs_netlink_cmd_rcv_bufs_force", KA),
	NOTE("lvs_netlink_monitor_rcv_bufs", KA),
	NOTE("lvs_netlink_monitor_rcv_bufs_force", KA),
	NOTE("process_monitor_rcv_bufs", KA),
	NOTE("process_monitor_rcv_bufs_force", KA),
	NOTE("vrrp_rx_bufs_policy", KA), NOTE("vrrp_rx_bufs_multiplier", KA),
	NOTE("linkbeat_use_polling", KA),
	LOSS("vrrp_strict", "lvsd never drops traffic to the addresses it "
	    "holds: `%s` cannot be expressed"),
	LOSS("vrrp_startup_delay", "lvsd starts its instances at once: `%s` "
	    "cannot be expressed"),
	LOSS("vrrp_down_timer_adverts", "lvsd's master-down interval is three "
	    "adverts, as RFC 5798's: `%s` cannot be expressed"),
	LOSS("startup_script", "lvs.cf has no start command (use the unit's "
	    "ExecStartPre=): `%s` cannot be expressed"),
	LOSS("startup_script_timeout", "lvs.cf has no start command: `%s` "
	    "cannot be expressed"),
	LOSS("shutdown_script", "lvs.cf has no stop command (use the unit's "
	    "ExecStopPost=): `%s` cannot be expressed"),
	LOSS("shutdown_script_timeout", "lvs.cf has no stop command: `%s` "
	    "cannot be expressed"),
	LOSS("notify_fifo", "lvsd has no notify FIFO (its commands get the "
	    "state in the environment): `%s` cannot be expressed"),
	LOSS("vrrp_notify_fifo", "lvsd has no notify FIFO: `%s` cannot be "
	    "expressed"),
	LOSS("lvs_notify_fifo", "lvsd has no notify FIFO: `%s` cannot be "
	    "expressed"),
	LOSS("net_namespace", "lvs.cf names no namespace: run lvsd in it "
	    "(`ip netns exec NAME lvsd`); `%s` cannot be expressed"),
	LOSS("net_namespace_ipvs", "lvs.cf names no namespace: `%s` cannot be "
	    "expressed"),
};

void
imp_map_global_defs(struct imp_ctx *c, const struct kc_node *n)
{
	if (c->site->global.from.file == NULL)
		c->site->global.from = n->w[0].loc;
	imp_dispatch(c, n, global_keys, NELEMS(global_keys), NULL,
	    "global_defs");
}
