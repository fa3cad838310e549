/*
** test_rng.c: tests of parley's random numbers (src/rng.c).
**
** - Streams: the same (seed, stream) gives the same numbers; neighbouring
**   streams differ.
** - Uniforms lie in [0, 1).
** - Normal draws (ziggurat): mean, variance, kurtosis, both tails and the
**   deciles of 2,000,000 draws agree with the standard normal (bounds of
**   about five standard errors, so the test fails only when something is
**   wrong).
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/rng.h"
#include "pl_test.h"

static void test_streams(void **state) {
    rng a, b, c;
    (void)state;
    rng_seed(&a, 7, 3);
    rng_seed(&b, 7, 3);
    rng_seed(&c, 7, 4);
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
        assert_true(x == y);
        assert_true(x != z);
    }
    for (int i = 0; i < 100000; i++) {
        double u = rng_uniform(&a);
        assert_true(u >= 0 && u < 1);
    }
}

static void test_normal(void **state) {
    enum { N = 2000000 };
    rng r;
    double s = 0, s2 = 0, s4 = 0, chi = 0;
    long over3 = 0, over4 = 0, dec[10] = {0};
    (void)state;
    rng_seed(&r, 12345, 0);
    for (long i = 0; i < N; i++) {
        double x = rng_normal(&r), c = 0.5 * erfc(-x / sqrt(2.0));
        int k = (int)(c * 10);
        s += x;
        s2 += x * x;
        s4 += x * x * x * x;
        over3 += fabs(x) > 3;
        over4 += fabs(x) > 4;
        dec[k > 9 ? 9 : k]++;
    }
    double nd = (double)N, m = s / nd, v = s2 / nd - m * m;
    for (int k = 0; k < 10; k++)
        chi += ((double)dec[k] - nd / 10) * ((double)dec[k] - nd / 10) / (nd / 10);
    assert_true(fabs(m) < 5 * sqrt(1.0 / N));                     /* se 0.0007 */
    assert_true(fabs(v - 1) < 5 * sqrt(2.0 / N));                 /* se 0.001 */
    assert_true(fabs(s4 / N / (v * v) - 3) < 5 * sqrt(96.0 / N)); /* se 0.007 */
    assert_true(fabs((double)over3 - nd * 0.0026997960632601866) < 5 * sqrt(nd * 0.0027));
    assert_true(fabs((double)over4 - nd * 6.334248366623996e-05) < 5 * sqrt(nd * 6.33e-5));
    assert_true(chi < 33.7); /* chi-squared, 9 df: p = 0.0001 */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_normal),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
