/*
** test_scenario.c: building scenarios in code, queries, copies.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

static pl_scenario *small(void) {
    pl_scenario *s = NULL;
    size_t a, b, i;
    assert_int_equal(pl_scenario_new("t", "Test", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "Alpha", 2, &a), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", NULL, 1, &b), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "Issue", 0, 10, &i), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, a, i, 2, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, b, i, 8, 100), PL_OK);
    return s;
}

static void test_build_and_query(void **state) {
    (void)state;
    pl_scenario *s = small();
    assert_string_equal(pl_scenario_id(s), "t");
    assert_int_equal(pl_scenario_n_actors(s), 2);
    assert_string_equal(pl_scenario_actor(s, 1)->name, "b"); /* name defaults to id */
    size_t k;
    assert_int_equal(pl_scenario_find_actor(s, "b", &k), PL_OK);
    assert_int_equal(k, 1);
    assert_int_equal(pl_scenario_find_actor(s, "zz", &k), PL_ENOTFOUND);
    assert_int_equal(pl_scenario_find_issue(s, "i", &k), PL_OK);
    const pl_position *p = pl_scenario_stake(s, 1, 0);
    assert_non_null(p);
    assert_near(p->position, 8, 0);
    /* replacing a position keeps one entry */
    assert_int_equal(pl_scenario_set_position(s, 1, 0, 9, 10), PL_OK);
    assert_int_equal(pl_scenario_n_positions(s), 2);
    assert_near(pl_scenario_stake(s, 1, 0)->position, 9, 0);
    double x[2], w[2];
    size_t who[2];
    assert_int_equal(pl_scenario_issue_stakes(s, 0, x, w, who), 2);
    assert_near(w[0], 2 * 50, 0);
    assert_near(w[1], 1 * 10, 0);
    assert_int_equal(pl_scenario_clear_position(s, 0, 0), PL_OK);
    assert_null(pl_scenario_stake(s, 0, 0));
    assert_int_equal(pl_scenario_clear_position(s, 0, 0), PL_ENOTFOUND);
    pl_scenario_free(s);
    pl_scenario_free(NULL);
}

static void test_builder_rejects(void **state) {
    (void)state;
    pl_scenario *s = small();
    assert_int_equal(pl_scenario_add_actor(s, "a", "dup", 1, NULL), PL_EINPUT);
    assert_int_equal(pl_scenario_add_actor(s, "bad.id", "x", 1, NULL), PL_EINVAL);
    assert_int_equal(pl_scenario_add_actor(s, "", "x", 1, NULL), PL_EINVAL);
    assert_int_equal(pl_scenario_add_actor(s, "c", "x", 0, NULL), PL_ERANGE);
    assert_int_equal(pl_scenario_add_actor(s, "c", "x", NAN, NULL), PL_EINVAL);
    assert_int_equal(pl_scenario_add_issue(s, "j", "x", 5, 5, NULL), PL_ERANGE);
    assert_int_equal(pl_scenario_add_issue(s, "j", "x", 0, INFINITY, NULL), PL_EINVAL);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 11, 50), PL_ERANGE);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 5, 101), PL_ERANGE);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 5, -1), PL_ERANGE);
    assert_int_equal(pl_scenario_set_position(s, 9, 0, 5, 1), PL_EINVAL);
    assert_int_equal(pl_scenario_set_status_quo(s, 0, -1), PL_ERANGE);
    assert_int_equal(pl_scenario_set_capability(s, 0, -3), PL_ERANGE);
    char longid[80];
    memset(longid, 'a', 65);
    longid[65] = 0;
    assert_int_equal(pl_scenario_add_actor(s, longid, "x", 1, NULL), PL_EINVAL);
    longid[64] = 0;
    assert_int_equal(pl_scenario_add_actor(s, longid, "x", 1, NULL), PL_OK);
    pl_scenario_free(s);
}

static void test_clone_is_deep(void **state) {
    (void)state;
    pl_scenario *s = NULL, *copy = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    assert_int_equal(pl_scenario_clone(s, &copy), PL_OK);
    assert_int_equal(pl_scenario_n_positions(copy), pl_scenario_n_positions(s));
    char *a = NULL, *b = NULL;
    assert_int_equal(pl_report_scenario(s, PL_FORMAT_JSON, &a), PL_OK);
    assert_int_equal(pl_report_scenario(copy, PL_FORMAT_JSON, &b), PL_OK);
    assert_string_equal(a, b);
    /* changing the copy leaves the original alone */
    assert_int_equal(pl_scenario_set_capability(copy, 0, 12345), PL_OK);
    assert_true(pl_scenario_actor(s, 0)->capability != 12345);
    pl_free(a);
    pl_free(b);
    pl_scenario_free(s);
    /* the copy outlives the original */
    assert_non_null(pl_scenario_actor(copy, 0)->name);
    pl_scenario_free(copy);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_query),
        cmocka_unit_test(test_builder_rejects),
        cmocka_unit_test(test_clone_is_deep),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
