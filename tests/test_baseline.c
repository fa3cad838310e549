/*
** test_baseline.c: the baseline models against values computed by hand
** (the derivation of each is in the comment beside it).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

static void test_mean(void **state) {
    (void)state;
    double out;
    /* (1*0 + 2*50 + 1*100) / 4 = 50 */
    assert_int_equal(pl_weighted_mean((double[]){0, 50, 100}, (double[]){1, 2, 1}, 3, &out), PL_OK);
    assert_near(out, 50, 1e-12);
    /* (3*10 + 1*20) / 4 = 12.5 */
    assert_int_equal(pl_weighted_mean((double[]){10, 20}, (double[]){3, 1}, 2, &out), PL_OK);
    assert_near(out, 12.5, 1e-12);
    /* all weights zero: unweighted mean (10 + 20 + 60) / 3 = 30 */
    assert_int_equal(pl_weighted_mean((double[]){10, 20, 60}, (double[]){0, 0, 0}, 3, &out), PL_OK);
    assert_near(out, 30, 1e-12);
    /* all at one position: that position exactly */
    assert_int_equal(pl_weighted_mean((double[]){0.1, 0.1, 0.1}, (double[]){1, 3, 7}, 3, &out),
                     PL_OK);
    assert_true(out == 0.1);
}

static void test_mean_rejects(void **state) {
    (void)state;
    double out;
    assert_int_equal(pl_weighted_mean((double[]){1}, (double[]){1}, 0, &out), PL_EINVAL);
    assert_int_equal(pl_weighted_mean((double[]){NAN}, (double[]){1}, 1, &out), PL_EINVAL);
    assert_int_equal(pl_weighted_mean((double[]){1}, (double[]){-1}, 1, &out), PL_EINVAL);
    assert_int_equal(pl_weighted_mean((double[]){1}, (double[]){INFINITY}, 1, &out), PL_EINVAL);
    assert_int_equal(pl_weighted_mean(NULL, (double[]){1}, 1, &out), PL_EINVAL);
}

static void test_median(void **state) {
    (void)state;
    double out;
    /* cumulative 1, 2, 5 of W = 5: first 2 cum >= 5 at 100 */
    assert_int_equal(pl_weighted_median((double[]){0, 50, 100}, (double[]){1, 1, 3}, 3, &out),
                     PL_OK);
    assert_near(out, 100, 0);
    /* exact half at 0 (2 of 4): the lower position is the median */
    assert_int_equal(pl_weighted_median((double[]){100, 50, 0}, (double[]){1, 1, 2}, 3, &out),
                     PL_OK);
    assert_near(out, 0, 0);
    /* ties at one position pool their weight: 30 holds 2 of 5 with 10 (1)
    ** below, so cum at 30 = 3 >= 2.5 */
    assert_int_equal(
        pl_weighted_median((double[]){30, 10, 30, 90}, (double[]){1, 1, 1, 2}, 4, &out), PL_OK);
    assert_near(out, 30, 0);
    /* zero weights: equal weights, median of {5, 1, 9} = 5 */
    assert_int_equal(pl_weighted_median((double[]){5, 1, 9}, (double[]){0, 0, 0}, 3, &out), PL_OK);
    assert_near(out, 5, 0);
}

/* EC emission case (Bueno de Mesquita 1994), round 0 of the published
** replication: weighted mean 7.389955686853766 and median 7.0 with weights
** capability x salience (../shared/data/emission). */
static void test_emission_round0(void **state) {
    (void)state;
    double cap[] = {0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08};
    double x[] = {4, 7, 4, 4, 10, 10, 10, 7, 4, 7};
    double sal[] = {0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7};
    double w[10], out;
    for (int i = 0; i < 10; i++) w[i] = cap[i] * sal[i];
    assert_int_equal(pl_weighted_mean(x, w, 10, &out), PL_OK);
    assert_near(out, 7.389955686853766, 1e-12);
    assert_int_equal(pl_weighted_median(x, w, 10, &out), PL_OK);
    assert_near(out, 7.0, 0);
}

static void test_median_large(void **state) {
    (void)state;
    /* 1000 actors at 0..999 with equal weight: cum reaches 500 at 499 */
    static double x[1000], w[1000];
    for (int i = 0; i < 1000; i++) {
        x[i] = 999 - i;
        w[i] = 1;
    }
    double out;
    assert_int_equal(pl_weighted_median(x, w, 1000, &out), PL_OK);
    assert_near(out, 499, 0);
}

static void test_nash(void **state) {
    (void)state;
    double out;
    int blocked;
    /* One actor: its own position. */
    assert_int_equal(
        pl_nash_bargaining((double[]){30}, (double[]){1}, 1, 0, 100, NULL, &out, &blocked), PL_OK);
    assert_near(out, 30, 1e-9);
    assert_int_equal(blocked, 0);
    /* Symmetric: 20 and 80 on [0, 100], equal weights -> 50. */
    assert_int_equal(
        pl_nash_bargaining((double[]){20, 80}, (double[]){1, 1}, 2, 0, 100, NULL, &out, &blocked),
        PL_OK);
    assert_near(out, 50, 1e-9);
    /* Weights 3 and 1 at 0 and 100, no status quo: gains 10000 - x^2 and
    ** 10000 - (x - 100)^2 = x (200 - x); the first-order condition
    ** 6 x^2 (200 - x) = (200 - 2x)(10000 - x^2) has its root at 34.18309... */
    assert_int_equal(
        pl_nash_bargaining((double[]){0, 100}, (double[]){3, 1}, 2, 0, 100, NULL, &out, &blocked),
        PL_OK);
    assert_near(out, 34.183091747966756, 1e-9);
    /* Status quo 0, actors at 60 and 80 (equal weights): feasible (0, 120)
    ** capped at 100; root of (x-60)/(3600-(x-60)^2) + (x-80)/(6400-(x-80)^2)
    ** = 0 is 67.25082782... */
    double sq = 0;
    assert_int_equal(
        pl_nash_bargaining((double[]){60, 80}, (double[]){1, 1}, 2, 0, 100, &sq, &out, &blocked),
        PL_OK);
    assert_near(out, 67.25082782364625, 1e-9);
    assert_int_equal(blocked, 0);
    /* Actors on both sides of the status quo: nothing suits both -> sq. */
    sq = 50;
    assert_int_equal(
        pl_nash_bargaining((double[]){20, 80}, (double[]){1, 1}, 2, 0, 100, &sq, &out, &blocked),
        PL_OK);
    assert_near(out, 50, 0);
    assert_int_equal(blocked, 1);
    /* An actor at the status quo blocks every move. */
    assert_int_equal(
        pl_nash_bargaining((double[]){50, 80}, (double[]){1, 1}, 2, 0, 100, &sq, &out, &blocked),
        PL_OK);
    assert_int_equal(blocked, 1);
    /* ... unless it has no weight. With only the actor at 80 weighted, the
    ** solution is 80. */
    assert_int_equal(
        pl_nash_bargaining((double[]){50, 80}, (double[]){0, 1}, 2, 0, 100, &sq, &out, &blocked),
        PL_OK);
    assert_int_equal(blocked, 0);
    assert_near(out, 80, 1e-9);
    /* Scale end as optimum: sq 0, one actor at 100 -> 100 exactly. */
    sq = 0;
    assert_int_equal(
        pl_nash_bargaining((double[]){100, 100}, (double[]){1, 2}, 2, 0, 100, &sq, &out, &blocked),
        PL_OK);
    assert_near(out, 100, 1e-9);
}

static void test_nash_rejects(void **state) {
    (void)state;
    double out, sq = 200;
    assert_int_equal(pl_nash_bargaining((double[]){1}, (double[]){1}, 1, 10, 0, NULL, &out, NULL),
                     PL_EINVAL);
    assert_int_equal(pl_nash_bargaining((double[]){1}, (double[]){1}, 1, 0, 10, &sq, &out, NULL),
                     PL_EINVAL);
    assert_int_equal(pl_nash_bargaining((double[]){11}, (double[]){1}, 1, 0, 10, NULL, &out, NULL),
                     PL_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean),         cmocka_unit_test(test_mean_rejects),
        cmocka_unit_test(test_median),       cmocka_unit_test(test_emission_round0),
        cmocka_unit_test(test_median_large), cmocka_unit_test(test_nash),
        cmocka_unit_test(test_nash_rejects),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
