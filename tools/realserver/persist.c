/*
 * persist: the settings survive a reboot.  The sysctls go to a sysctl.d
 * file (systemd-sysctl sets them early at boot, and udev again for each
 * interface as it appears), the rest to a oneshot unit that runs `apply`
 * with the same VIPs before the network comes up.  The unit names the
 * VIPs themselves, not lvs.cf: at that point of the boot this host's
 * addresses, by which the file is read, may not be configured yet.
 * undo removes both files, and only files persist wrote.
 */
#include "config.h"

#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

#define MARK "# Written by lvs-realserver persist"
#define SYSCTL_FILE "/etc/sysctl.d/60-lvs-realserver.conf"
#define UNIT_NAME "lvs-realserver.service"
#define UNIT_FILE "/etc/systemd/system/" UNIT_NAME

extern char **environ;

static char *
under_root(const struct rs_opts *o, const char *path)
{
	return xasprintf("%s%s", o->root != NULL ? o->root : "", path);
}

/* Runs a command, waits; its exit status, or -1 if it could not start. */
static int
run(char *const argv[])
{
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
write_file(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f;
	int rc = 0;

	for (char *p = tmp + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	if ((f = fopen(tmp, "we")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "lvs-realserver: cannot write %s: %s\n", path,
		    strerror(errno));
		unlink(tmp);
		rc = -1;
	} else {
		printf("wrote %s\n", path);
	}
	free(tmp);
	return rc;
}

static char *
sysctl_text(const struct rs_plan *p)
{
	char *t = xstrdup(MARK "; `lvs-realserver undo` removes it.\n"
	    "# A real server for direct routing or tunnelling (LVS): see "
	    "lvs-realserver(8).\n");
	char nb[160];

	for (size_t i = 0; i < p->nitems; i++) {
		const struct rs_item *it = &p->items[i];
		if (it->kind != RS_SYSCTL)
			continue;
		/* "-": an interface that is not there yet is no error. */
		bool dev = strncmp(it->key, "net/ipv4/conf/all/", 18) != 0;
		char *n = xasprintf("%s%s%s = %s\n", t, dev ? "-" : "",
		    rs_sysctl_name(it->key, nb, sizeof(nb)), it->value);
		free(t);
		t = n;
	}
	return t;
}

static char *appendf(char *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* t with the formatted text after it (t is freed). */
static char *
appendf(char *t, const char *fmt, ...)
{
	va_list ap;
	char *piece, *n;

	va_start(ap, fmt);
	if (vasprintf(&piece, fmt, ap) < 0)
		abort();
	va_end(ap);
	n = xasprintf("%s%s", t, piece);
	free(piece);
	free(t);
	return n;
}

/* One ExecStart= per way of forwarding: the VIPs that share it. */
static char *
exec_lines(const struct rs_plan *p, const struct rs_opts *o)
{
	char *t = xstrdup("");
	bool *done = xcalloc(p->nvips + 1, sizeof(*done));
	char ab[LVS_ADDRSTRLEN];

	for (size_t i = 0; i < p->nvips; i++) {
		const struct rs_vip *v = &p->vips[i];
		if (done[i])
			continue;
		t = appendf(t, "ExecStart=%s/lvs-realserver apply", SBINDIR);
		t = appendf(t, " --state %s", o->state_path);
		for (size_t k = 0; k < p->nifaces; k++)
			t = appendf(t, " --interface %s", p->ifaces[k]);
		if (v->mode == RS_DR) {
			t = appendf(t, " --mode dr");
		} else {
			t = appendf(t, " --mode tun --tunnel %s", rs_tun_name(v->tun));
			if (v->tun == RS_TUN_GUE)
				t = appendf(t, " --gue-port %u", v->gue_port);
			t = appendf(t, " --outer %s", v->outer == AF_INET ?
			    "inet" : "inet6");
		}
		for (size_t k = i; k < p->nvips; k++) {
			const struct rs_vip *w = &p->vips[k];
			if (done[k] || w->mode != v->mode || (v->mode == RS_TUN &&
			    (w->tun != v->tun || w->gue_port != v->gue_port ||
			    w->outer != v->outer)))
				continue;
			done[k] = true;
			t = appendf(t, " %s", addr_fmt(&w->vip, ab));
		}
		t = appendf(t, "\n");
	}
	free(done);
	return t;
}

static char *
unit_text(const struct rs_plan *p, const struct rs_opts *o)
{
	char *exec = exec_lines(p, o);
	char *t = xasprintf(MARK "; `lvs-realserver undo` removes it.\n"
	    "[Unit]\n"
	    "Description=LVS real server: VIPs on lo, ARP and tunnel settings\n"
	    "Documentation=man:lvs-realserver(8)\n"
	    "DefaultDependencies=no\n"
	    "After=systemd-sysctl.service systemd-modules-load.service "
	    "local-fs.target\n"
	    "Before=network-pre.target shutdown.target\n"
	    "Wants=network-pre.target\n"
	    "Conflicts=shutdown.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=oneshot\n"
	    "RemainAfterExit=yes\n"
	    "%s"
	    "\n"
	    "[Install]\n"
	    "WantedBy=multi-user.target\n", exec);
	free(exec);
	return t;
}

/* systemctl [--root=DIR] VERB the unit; a missing systemctl is no error. */
static void
systemctl(const struct rs_opts *o, char *verb)
{
	char *root = o->root != NULL ? xasprintf("--root=%s", o->root) : NULL;
	char *argv[6];
	size_t n = 0;
	int rc;

	argv[n++] = "systemctl";
	argv[n++] = "--quiet";
	if (root != NULL)
		argv[n++] = root;
	argv[n++] = verb;
	argv[n++] = UNIT_NAME;
	argv[n] = NULL;
	rc = run(argv);
	if (rc != 0)
		printf("(could not run `systemctl %s %s`%s: do it by hand)\n",
		    verb, UNIT_NAME, rc < 0 ? ": no systemctl" : "");
	else
		printf("systemctl %s %s\n", verb, UNIT_NAME);
	free(root);
}

int
rs_persist(const struct rs_plan *p, const struct rs_opts *o)
{
	char *sysctl_path = under_root(o, SYSCTL_FILE);
	char *unit_path = under_root(o, UNIT_FILE);
	char *st = sysctl_text(p), *ut = unit_text(p, o);
	int rc = 0;

	if (write_file(sysctl_path, st) < 0 || write_file(unit_path, ut) < 0)
		rc = -1;
	if (rc == 0) {
		if (o->root == NULL && access("/run/systemd/system", F_OK) == 0) {
			char *argv[] = { "systemctl", "daemon-reload", NULL };
			run(argv);
		}
		systemctl(o, "enable");
	}
	free(st);
	free(ut);
	free(sysctl_path);
	free(unit_path);
	return rc;
}

/* 1: persist wrote path; 0: no such file; -1: someone else's (said). */
static int
ours(const char *path)
{
	char first[sizeof(MARK)];
	FILE *f = fopen(path, "re");
	bool mine;

	if (f == NULL)
		return 0;
	mine = fgets(first, sizeof(first), f) != NULL &&
	    strncmp(first, MARK, sizeof(MARK) - 1) == 0;
	fclose(f);
	if (!mine)
		fprintf(stderr, "lvs-realserver: %s was not written by "
		    "lvs-realserver persist: left alone\n", path);
	return mine ? 1 : -1;
}

static int
remove_file(const char *path)
{
	if (unlink(path) < 0) {
		fprintf(stderr, "lvs-realserver: cannot remove %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	printf("removed %s\n", path);
	return 0;
}

int
rs_unpersist(const struct rs_opts *o)
{
	char *sysctl_path = under_root(o, SYSCTL_FILE);
	char *unit_path = under_root(o, UNIT_FILE);
	int rc = 0;

	if (ours(unit_path) == 1) {
		systemctl(o, "disable");
		rc |= remove_file(unit_path);
		if (o->root == NULL && access("/run/systemd/system", F_OK) == 0) {
			char *argv[] = { "systemctl", "daemon-reload", NULL };
			run(argv);
		}
	}
	if (ours(sysctl_path) == 1)
		rc |= remove_file(sysctl_path);
	free(sysctl_path);
	free(unit_path);
	return rc;
}
