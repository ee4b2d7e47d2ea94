/*
 * lib/privs.c: capability sets shrink as asked and never grow back,
 * no_new_privs sticks, the bounding set is cut (when CAP_SETPCAP allows),
 * a user switch keeps only the capabilities named and cannot be undone,
 * and a switch to the user a process already is needs no privilege.
 * Each case runs in a child process of its own: what it drops stays
 * dropped there.  Run as root (make check under CI) every case tests the
 * privileged path; as another user, the refusals.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/privs.h"
#include "lib/spawn.h"

/* Runs fn in a child; its exit status (0: every check held). */
static int
in_child(int (*fn)(void))
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn());
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(test_names)
{
	char buf[128];
	ck_assert_str_eq(privs_format(0, buf, sizeof(buf)), "none");
	ck_assert_str_eq(privs_format(PRIVS_CAP(CAP_NET_ADMIN) |
	    PRIVS_CAP(CAP_NET_RAW), buf, sizeof(buf)),
	    "cap_net_admin,cap_net_raw");
	ck_assert_str_eq(privs_format(PRIVS_CAP(CAP_CHOWN) | PRIVS_CAP(63),
	    buf, sizeof(buf)), "cap_chown,cap_63");
	ck_assert_str_eq(privs_cap_name(CAP_SYS_NICE), "cap_sys_nice");
	ck_assert_str_eq(privs_cap_name(CAP_IPC_LOCK), "cap_ipc_lock");
	ck_assert_ptr_null(privs_cap_name(-1));
	ck_assert_ptr_null(privs_cap_name(64));
	/* Truncated, never overrun. */
	char small[8];
	privs_format(PRIVS_CAP(CAP_NET_ADMIN), small, sizeof(small));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

static int
limit_child(void)
{
	struct privs_caps before, after;
	if (privs_get(&before) < 0)
		return 1;
	privs_set keep = PRIVS_CAP(CAP_NET_RAW) | PRIVS_CAP(CAP_NET_ADMIN);
	if (privs_limit(keep, PRIVS_CAP(CAP_NET_RAW)) < 0)
		return 2;
	if (privs_get(&after) < 0)
		return 3;
	if (after.permitted != (before.permitted & keep) ||
	    after.effective != (before.permitted & PRIVS_CAP(CAP_NET_RAW)) ||
	    after.inheritable != 0)
		return 4;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0) == 1)
		return 5;
	/* Asking for more gives nothing back. */
	if (privs_limit(~(privs_set)0, ~(privs_set)0) < 0 ||
	    privs_get(&after) < 0 || after.permitted != (before.permitted & keep))
		return 6;
	return 0;
}

START_TEST(test_limit)
{
	ck_assert_int_eq(in_child(limit_child), 0);
}
END_TEST

static int
nnp_child(void)
{
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
		return 1;		/* the test runner set it? */
	if (privs_no_new_privs() < 0)
		return 2;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 3;
}

START_TEST(test_no_new_privs)
{
	ck_assert_int_eq(in_child(nnp_child), 0);
}
END_TEST

static int
bound_child(void)
{
	bool had = privs_have(CAP_SETPCAP), skipped;
	if (privs_bound(PRIVS_CAP(CAP_NET_RAW), &skipped) < 0)
		return 1;
	if (skipped != !had)
		return 2;
	if (skipped)		/* nothing may have changed */
		return prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) < 0 ? 3 : 0;
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_SETPCAP, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) != 1)
		return 4;
	/* Without CAP_SETPCAP now: a second call is skipped. */
	if (privs_limit(PRIVS_CAP(CAP_NET_RAW), PRIVS_CAP(CAP_NET_RAW)) < 0 ||
	    privs_bound(0, &skipped) < 0 || !skipped)
		return 5;
	return 0;
}

START_TEST(test_bound)
{
	ck_assert_int_eq(in_child(bound_child), 0);
}
END_TEST

START_TEST(test_lookup)
{
	struct privs_user u;
	ck_assert_int_eq(privs_lookup_user("root", &u), 0);
	ck_assert_uint_eq(u.uid, 0);
	ck_assert_uint_eq(u.gid, 0);
	ck_assert_int_ge(u.ngroups, 1);
	errno = 0;
	ck_assert_int_eq(privs_lookup_user("no-such-user-lvsd-test", &u), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* nobody (65534 on Debian), or a made-up user with the same ids. */
static struct privs_user
nobody(void)
{
	struct privs_user u = { .uid = 65534, .gid = 65534, .ngroups = 1 };
	u.groups[0] = 65534;
	return u;
}

static int
become_child(void)
{
	struct privs_user u = nobody();
	bool root = getuid() == 0;
	if (!root && privs_is_user(&u))
		u.uid = u.gid = u.groups[0] = 65533;	/* someone else */
	int r = privs_become(&u, PRIVS_CAP(CAP_NET_RAW));
	if (!root)		/* the switch must have been refused */
		return r < 0 && errno == EPERM ? 0 : 10;
	if (r < 0)
		return 1;
	uid_t a, b, c;
	gid_t x, y, z;
	if (getresuid(&a, &b, &c) < 0 || a != 65534 || b != 65534 ||
	    c != 65534 || getresgid(&x, &y, &z) < 0 || x != 65534 ||
	    y != 65534 || z != 65534)
		return 2;
	gid_t groups[4];
	if (getgroups(4, groups) != 1 || groups[0] != 65534)
		return 3;
	struct privs_caps now;
	if (privs_get(&now) < 0 || now.permitted != PRIVS_CAP(CAP_NET_RAW) ||
	    now.effective != PRIVS_CAP(CAP_NET_RAW))
		return 4;
	if (setuid(0) == 0 || seteuid(0) == 0)
		return 5;
	return 0;
}

START_TEST(test_become)
{
	ck_assert_int_eq(in_child(become_child), 0);
}
END_TEST

/* A process that already is the user needs no privilege to "become" it
 * (setgroups would need CAP_SETGID): lvsd's checks process starting a
 * program as the user it runs as. */
static int
already_child(void)
{
	struct privs_user self = { .uid = getuid(), .gid = getgid(),
	    .ngroups = 1 };
	self.groups[0] = getgid();
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    r != e || e != s || rg != eg || eg != sg)
		return 0;	/* a setuid test runner: nothing to test */
	if (privs_limit(0, 0) < 0)
		return 1;
	if (!privs_is_user(&self))
		return 2;
	if (spawn_switch_user(&self) < 0)
		return 3;
	if (privs_become(&self, 0) < 0)
		return 4;
	struct privs_user other = nobody();
	if (getuid() != 65534 && spawn_switch_user(&other) == 0)
		return 5;	/* without CAP_SETUID that cannot work */
	return 0;
}

START_TEST(test_already)
{
	ck_assert_int_eq(in_child(already_child), 0);
}
END_TEST

/* The ambient set, as /proc says. */
static privs_set
ambient(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = ~0ULL;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapAmb: %llx", &v) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return (privs_set)v;
}

/* What lvsd not started as root hands its processes: the ambient set
 * takes what is permitted of it, and is emptied again. */
static int
pass_on_child(void)
{
	privs_set want = PRIVS_CAP(CAP_NET_RAW) | PRIVS_CAP(CAP_NET_ADMIN);
	struct privs_caps c;
	if (privs_get(&c) < 0 || privs_pass_on(want) < 0)
		return 1;
	if (ambient() != (want & c.permitted))
		return 2;
	if (privs_get(&c) < 0 || c.inheritable != (want & c.permitted))
		return 3;
	if (privs_pass_on(0) < 0 || ambient() != 0)
		return 4;
	if (privs_get(&c) < 0 || c.inheritable != 0)
		return 5;
	/* Never what is not permitted. */
	if (privs_limit(PRIVS_CAP(CAP_NET_RAW), PRIVS_CAP(CAP_NET_RAW)) < 0 ||
	    privs_get(&c) < 0 || privs_pass_on(want) < 0)
		return 6;
	if (ambient() != (PRIVS_CAP(CAP_NET_RAW) & c.permitted))
		return 7;
	return 0;
}

START_TEST(test_pass_on)
{
	ck_assert_int_eq(in_child(pass_on_child), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("privs");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_no_new_privs);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_become);
	tcase_add_test(tc, test_already);
	tcase_add_test(tc, test_pass_on);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
