/*
 * lib/idmap.c: every key put is found with its last value, through the
 * table's growth; a missing key (also one that shares a prefix) is not;
 * the walk visits each value once; an empty map answers lookups.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/idmap.h"

#define N 20000

START_TEST(test_put_get_grow)
{
	static char keys[N][24];
	static int vals[N];
	struct idmap m;
	idmap_init(&m, 4);		/* grows many times */
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "vs%d/rs%d", i / 4, i % 4);
		vals[i] = i;
		idmap_put(&m, keys[i], &vals[i]);
	}
	ck_assert_uint_eq(m.n, N);
	ck_assert_uint_le(m.n * 2, m.mask + 1);
	for (int i = 0; i < N; i++) {
		int *v = idmap_get(&m, keys[i]);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(*v, i);
	}
	ck_assert_ptr_null(idmap_get(&m, "vs1/rs"));
	ck_assert_ptr_null(idmap_get(&m, "vs1/rs44"));
	ck_assert_ptr_null(idmap_get(&m, ""));
	/* a second put replaces the value, not the count */
	idmap_put(&m, keys[7], &vals[8]);
	ck_assert_uint_eq(m.n, N);
	ck_assert_ptr_eq(idmap_get(&m, keys[7]), &vals[8]);
	idmap_put(&m, keys[7], &vals[7]);
	/* the walk: each value once */
	static unsigned char seen[N];
	size_t walked = 0;
	int *v;
	for (size_t i = 0; (v = idmap_next(&m, &i)) != NULL; walked++) {
		ck_assert_int_eq(seen[*v], 0);
		seen[*v] = 1;
	}
	ck_assert_uint_eq(walked, N);
	idmap_free(&m);
}
END_TEST

START_TEST(test_empty)
{
	struct idmap m = { 0 };
	size_t i = 0;
	ck_assert_ptr_null(idmap_get(&m, "a"));
	ck_assert_ptr_null(idmap_next(&m, &i));
	int one = 1;
	idmap_put(&m, "a", &one);
	ck_assert_ptr_eq(idmap_get(&m, "a"), &one);
	idmap_free(&m);
	ck_assert_ptr_null(idmap_get(&m, "a"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("idmap");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_put_get_grow);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
