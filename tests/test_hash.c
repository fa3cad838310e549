/*
** test_hash.c: the string -> index table the readers look names up in
** (src/hash.c), and the scenario's indexes built on it: lookups stay right
** through growth, removals and copies, and a failed allocation leaves a
** table unchanged and reported.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "parley.h"

static void test_add_find(void **state) {
    (void)state;
    hash h;
    hash_init(&h);
    size_t v = 99;
    assert_int_equal(hash_find_str(&h, "a", &v), 0); /* empty table */
    assert_int_equal(hash_add_str(&h, "a", 1, NULL), 1);
    assert_int_equal(hash_add_str(&h, "", 2, NULL), 1);    /* the empty key */
    assert_int_equal(hash_add(&h, "a\0b", 3, 3, NULL), 1); /* bytes, NUL inside */
    assert_int_equal(hash_add_str(&h, "a", 7, &v), 0);     /* already there */
    assert_int_equal(v, 1);
    assert_int_equal(hash_find_str(&h, "a", &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(hash_find_str(&h, "", &v), 1);
    assert_int_equal(v, 2);
    assert_int_equal(hash_find(&h, "a\0b", 3, &v), 1);
    assert_int_equal(v, 3);
    assert_int_equal(hash_find(&h, "a\0c", 3, &v), 0);
    assert_int_equal(hash_find_str(&h, "b", &v), 0);
    assert_int_equal(h.count, 3);
    hash_clear(&h);
    assert_int_equal(hash_find_str(&h, "a", &v), 0);
    assert_int_equal(hash_add_str(&h, "a", 5, NULL), 1);
    assert_int_equal(hash_find_str(&h, "a", &v), 1);
    assert_int_equal(v, 5);
    hash_free(&h);
    hash_free(&h); /* twice is harmless */
}

static void test_many_keys(void **state) {
    (void)state;
    hash h;
    hash_init(&h);
    char key[32];
    size_t n = 200000, v;
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "key %zu", i);
        assert_int_equal(hash_add_str(&h, key, i, NULL), 1);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "key %zu", i);
        assert_int_equal(hash_find_str(&h, key, &v), 1);
        assert_int_equal(v, i);
        snprintf(key, sizeof key, "yek %zu", i);
        assert_int_equal(hash_find_str(&h, key, &v), 0);
    }
    assert_int_equal(h.count, n);
    assert_true(h.n_slots >= 2 * n);
    hash_free(&h);
}

/* Fail the k-th allocation for k = 0, 1, ...: each failed add reports -1,
** leaves every earlier key findable and the failed one absent. */
static void test_allocation_failures(void **state) {
    (void)state;
    char key[32];
    int succeeded = 0;
    for (long k = 0; k < 200 && !succeeded; k++) {
        hash h;
        hash_init(&h);
        pl__alloc_fail_after(k);
        size_t i, v;
        int rc = 1;
        for (i = 0; i < 1000 && rc == 1; i++) {
            snprintf(key, sizeof key, "name-%zu", i);
            rc = hash_add_str(&h, key, i, NULL);
        }
        pl__alloc_fail_reset();
        if (rc == 1) succeeded = 1;
        else assert_int_equal(rc, -1);
        size_t added = rc == 1 ? i : i - 1;
        assert_int_equal(h.count, added);
        for (size_t j = 0; j < added; j++) {
            snprintf(key, sizeof key, "name-%zu", j);
            assert_int_equal(hash_find_str(&h, key, &v), 1);
            assert_int_equal(v, j);
        }
        if (rc != 1) {
            snprintf(key, sizeof key, "name-%zu", added);
            assert_int_equal(hash_find_str(&h, key, &v), 0);
        }
        hash_free(&h);
    }
    assert_true(succeeded);
}

/* The scenario's indexes follow removals and copies. */
static void test_scenario_indexes(void **state) {
    (void)state;
    pl_scenario *s = NULL, *c = NULL;
    char id[32];
    size_t n = 3000, at, issue;
    assert_int_equal(pl_scenario_new("t", "T", &s), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 100, &issue), PL_OK);
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "a%zu", a);
        assert_int_equal(pl_scenario_add_actor(s, id, NULL, 1, &at), PL_OK);
        assert_int_equal(at, a);
        assert_int_equal(pl_scenario_set_position(s, a, issue, (double)(a % 100), 50), PL_OK);
    }
    assert_int_equal(pl_scenario_add_actor(s, "a7", NULL, 1, &at), PL_EINPUT);
    assert_int_equal(pl_scenario_add_issue(s, "i", NULL, 0, 1, &at), PL_EINPUT);
    /* setting a stake again changes it, adds none */
    assert_int_equal(pl_scenario_set_position(s, 5, issue, 42, 10), PL_OK);
    assert_int_equal(pl_scenario_n_positions(s), n);
    assert_true(pl_scenario_stake(s, 5, issue)->position == 42);
    /* remove actor a0: every other moves down one */
    assert_int_equal(pl_scenario_remove_actor(s, 0), PL_OK);
    assert_int_equal(pl_scenario_find_actor(s, "a0", &at), PL_ENOTFOUND);
    assert_int_equal(pl_scenario_find_actor(s, "a10", &at), PL_OK);
    assert_int_equal(at, 9);
    assert_true(pl_scenario_stake(s, 4, issue)->position == 42);
    assert_int_equal(pl_scenario_add_actor(s, "a0", NULL, 1, &at), PL_OK);
    assert_int_equal(at, n - 1);
    assert_int_equal(pl_scenario_find_actor(s, "a0", &at), PL_OK);
    assert_int_equal(at, n - 1);
    assert_int_equal(pl_scenario_find_actor(s, "a2999", &at), PL_OK);
    assert_int_equal(at, n - 2);
    /* clear a stake: the others keep theirs */
    assert_int_equal(pl_scenario_clear_position(s, 4, issue), PL_OK);
    assert_null(pl_scenario_stake(s, 4, issue));
    assert_true(pl_scenario_stake(s, 5, issue)->position == 6);
    assert_int_equal(pl_scenario_set_position(s, 4, issue, 1, 1), PL_OK);
    assert_true(pl_scenario_stake(s, 4, issue)->position == 1);
    assert_int_equal(pl_scenario_clone(s, &c), PL_OK);
    assert_int_equal(pl_scenario_find_actor(c, "a1", &at), PL_OK);
    assert_int_equal(at, 0);
    assert_true(pl_scenario_stake(c, 5, issue)->position == 6);
    assert_int_equal(pl_scenario_add_actor(c, "a1", NULL, 1, &at), PL_EINPUT);
    pl_scenario_free(s);
    pl_scenario_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_scenario_indexes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
