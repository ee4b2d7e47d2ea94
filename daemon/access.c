/*
 * Control-socket roles from the peer's credentials (see daemon/access.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/access.h"

#define MAX_GROUPS 256

const char *
access_role_name(enum access_role r)
{
	return r == ACCESS_ADMIN ? "admin" : r == ACCESS_READ ? "read-only" :
	    "none";
}

/* The peer's groups (SO_PEERGROUPS, Linux 4.13): its primary first. */
static int
peer_groups(int fd, gid_t primary, gid_t *out, int max)
{
	socklen_t len = (socklen_t)(sizeof(gid_t) * (size_t)(max - 1));
	out[0] = primary;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, out + 1, &len) < 0)
		return 1;
	return 1 + (int)(len / sizeof(gid_t));
}

static bool
member(const gid_t *groups, int n, gid_t gid)
{
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* "lvsctl drain web/a": the peer's command line, for logs. */
static void
command_line(pid_t pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	buf[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (ssize_t i = 0; i < n - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
		else if ((unsigned char)buf[i] < ' ')
			buf[i] = '?';
}

void
access_identify(int fd, const struct access_policy *p, struct access_peer *out)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	memset(out, 0, sizeof(*out));
	out->pid = -1;
	out->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
		snprintf(out->user, sizeof(out->user), "?");
		snprintf(out->who, sizeof(out->who), "an unknown peer");
		return;
	}
	out->pid = cr.pid;
	out->uid = cr.uid;
	gid_t groups[MAX_GROUPS];
	int n = peer_groups(fd, cr.gid, groups, MAX_GROUPS);
	if (cr.uid == 0 || (p->admin_set && member(groups, n, p->admin_gid)))
		out->role = ACCESS_ADMIN;
	else if (p->read_set && member(groups, n, p->read_gid))
		out->role = ACCESS_READ;
	snprintf(out->user, sizeof(out->user), "uid %u", (unsigned)cr.uid);
	snprintf(out->who, sizeof(out->who), "uid %u, pid %ld",
	    (unsigned)cr.uid, (long)cr.pid);
}

void
access_describe(struct access_peer *peer)
{
	if (peer->pid < 0)
		return;
	char buf[4096], cmd[96];
	struct passwd pw, *res = NULL;
	if (getpwuid_r(peer->uid, &pw, buf, sizeof(buf), &res) != 0)
		res = NULL;
	command_line(peer->pid, cmd, sizeof(cmd));
	if (res != NULL && strlen(res->pw_name) < sizeof(peer->user))
		snprintf(peer->user, sizeof(peer->user), "%s", res->pw_name);
	snprintf(peer->who, sizeof(peer->who), "%s (uid %u, pid %ld%s%s)",
	    peer->user, (unsigned)peer->uid, (long)peer->pid,
	    cmd[0] ? ": " : "", cmd);
}
