/*
** test_eum_lanes.c: tests of the lane engine of the expected utility model
** (src/eum_lanes.c), which runs the model for small actor counts, several
** runs at once.
**
** - Its pow agrees with libm's to a few units in the last place and is
**   exact where pow is (b = 0, b = 1).
** - A batch gives every run exactly (bit for bit) what pl_eum_run gives it:
**   every option combination the engine covers, 1 to 16 actors, ties,
**   clamped positions, zero weights, equal positions, runs that stop early
**   (so that lanes are refilled) and batches that do not fill every lane.
** - Every instruction set gives the same bits (generic, AVX2, AVX-512F:
**   those the CPU has).
** - Bad inputs get pl_eum_run's status, job by job.
** (tests/test_eum.c checks the model itself: the Scholz trajectory and a
** reference written from the spec, which pl_eum_run now runs on this
** engine for small n.)
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/eum_lanes.h"
#include "models/model_eum.h"
#include "core/rng.h"

#include "eum_option_bits.h"
#include "pl_test.h"

static void test_pow(void **state) {
    double worst = 0, worst_b = 0, worst_r = 0;
    (void)state;
    for (int i = 1; i <= 2000; i++) {
        for (int k = 0; k <= 60; k++) {
            double b = i / 2000.0, r = 0.5 + 1.5 * k / 60.0;
            double want = pow(b, r), got = eum_lanes_pow(b, r);
            double rel = fabs(got - want) / want;
            if (rel > worst) {
                worst = rel;
                worst_b = b;
                worst_r = r;
            }
        }
    }
    /* tiny and subnormal bases: results above 2^-1000 as libm's, below
    ** it 2^-1000 (or less) */
    for (int e = 1; e < 1074; e += 7) {
        double b = ldexp(1.0, -e) * 1.37, r = 0.5 + (e % 5) * 0.25;
        double want = pow(b, r), got = eum_lanes_pow(b, r);
        if (want > 1e-290 && b > 0x1p-1022) {
            double rel = fabs(got - want) / want;
            if (rel > 1e-12) fail_msg("pow(%g, %g): %.17g, libm %.17g", b, r, got, want);
        } else {
            assert_true(got <= ldexp(1.0, -511) && got >= 0);
        }
    }
    printf("  lane pow vs libm on (0, 1] x [0.5, 2]: largest relative difference %.2g "
           "(b %g, r %g)\n",
           worst, worst_b, worst_r);
    assert_true(worst < 4e-15);
    assert_true(eum_lanes_pow(0, 0.7) == 0);
    assert_true(eum_lanes_pow(1, 1.9) == 1);
    assert_true(eum_lanes_pow(0.25, 0.5) > 0.4999999999999 &&
                eum_lanes_pow(0.25, 0.5) < 0.5000000000001);
}

/* Random actors: positions on [0, 100] with some ties and some on the
** bounds, capability and salience on [0, 1) with some zeros. */
static void random_actors(rng *g, size_t n, double *x, double *c, double *s, int kind) {
    for (size_t k = 0; k < n; k++) {
        x[k] = 100 * rng_uniform(g);
        c[k] = rng_uniform(g);
        s[k] = rng_uniform(g);
        if (rng_uniform(g) < 0.15) x[k] = rng_uniform(g) < 0.5 ? 0 : 100;
    }
    if (n > 3) x[n - 1] = x[1];
    if (kind == 1) /* every weight 0 */
        for (size_t k = 0; k < n; k++) s[k] = 0;
    if (kind == 2) /* every position equal */
        for (size_t k = 0; k < n; k++) x[k] = 42;
    if (kind == 3 && n > 1) c[0] = 0;
}

enum { MAX_JOBS = 37 };

typedef struct batch {
    size_t n, count;
    double x[MAX_JOBS][EUM_LANES_MAX_N], c[MAX_JOBS][EUM_LANES_MAX_N], s[MAX_JOBS][EUM_LANES_MAX_N];
    eum_lanes_job jobs[MAX_JOBS];
} batch;

static void make_batch(batch *b, rng *g, size_t n, size_t count) {
    b->n = n;
    b->count = count;
    for (size_t j = 0; j < count; j++) {
        random_actors(g, n, b->x[j], b->c[j], b->s[j], (int)(j % 9));
        b->jobs[j].position = b->x[j];
        b->jobs[j].capability = b->c[j];
        b->jobs[j].salience = b->s[j];
    }
}

/* Each job's results equal pl_eum_run's, bit for bit. */
static void check_batch(batch *b, const pl_eum_options *opt) {
    assert_int_equal(eum_lanes_batch(b->n, opt, b->count, b->jobs), PL_OK);
    for (size_t j = 0; j < b->count; j++) {
        pl_eum_result *res = NULL;
        size_t t;
        assert_int_equal(pl_eum_run(b->n, b->x[j], b->c[j], b->s[j], opt, &res), PL_OK);
        assert_int_equal(b->jobs[j].status, PL_OK);
        t = pl_eum_result_n_rounds(res);
        if (b->jobs[j].rounds != t || b->jobs[j].stop != pl_eum_result_stop(res) ||
            memcmp(&b->jobs[j].median, &(double){pl_eum_result_median(res, t)}, sizeof(double)) ||
            memcmp(&b->jobs[j].mean, &(double){pl_eum_result_mean(res, t)}, sizeof(double)))
            fail_msg("n %zu job %zu: batch %zu rounds (stop %d) median %.17g mean %.17g; "
                     "pl_eum_run %zu rounds (stop %d) median %.17g mean %.17g",
                     b->n, j, b->jobs[j].rounds, (int)b->jobs[j].stop, b->jobs[j].median,
                     b->jobs[j].mean, t, (int)pl_eum_result_stop(res), pl_eum_result_median(res, t),
                     pl_eum_result_mean(res, t));
        pl_eum_result_free(res);
    }
}

static void test_batch_equals_run(void **state) {
    static const size_t sizes[] = {1, 2, 3, 5, 7, 12, 16};
    static batch b;
    rng g;
    size_t checked = 0;
    (void)state;
    rng_seed(&g, 7, 0);
    for (unsigned bits = 0; bits < 256; bits++) {
        pl_eum_options opt;
        size_t n = sizes[bits % 7];
        options_from_bits(&opt, bits);
        opt.record = PL_EUM_RECORD_NONE;
        opt.max_rounds = bits % 3 == 0 ? 25 : 10;
        make_batch(&b, &g, n, 5 + bits % (MAX_JOBS - 4));
        check_batch(&b, &opt);
        checked += b.count;
    }
    /* the forecasts' settings on many armistice-sized runs */
    for (size_t n = 2; n <= 8; n++) {
        pl_eum_options opt;
        pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
        opt.max_rounds = 10;
        for (int rep = 0; rep < 20; rep++) {
            make_batch(&b, &g, n, MAX_JOBS);
            check_batch(&b, &opt);
            checked += b.count;
        }
    }
    printf("  %zu runs: batch results equal pl_eum_run's bit for bit\n", checked);
}

/* The same batch on every instruction set the CPU has gives the same bits. */
static void test_isa_identical(void **state) {
    static batch b;
    static eum_lanes_job want[MAX_JOBS];
    int best = eum_lanes_isa_max();
    rng g;
    (void)state;
    rng_seed(&g, 11, 0);
    for (unsigned bits = 0; bits < 256; bits += 3) {
        pl_eum_options opt;
        options_from_bits(&opt, bits);
        opt.record = PL_EUM_RECORD_NONE;
        opt.max_rounds = 12;
        make_batch(&b, &g, 2 + bits % 15, MAX_JOBS);
        eum_lanes_isa(0);
        assert_int_equal(eum_lanes_batch(b.n, &opt, b.count, b.jobs), PL_OK);
        memcpy(want, b.jobs, sizeof want);
        for (int isa = 1; isa <= best; isa++) {
            eum_lanes_isa(isa);
            assert_int_equal(eum_lanes_batch(b.n, &opt, b.count, b.jobs), PL_OK);
            for (size_t j = 0; j < b.count; j++) {
                assert_memory_equal(&b.jobs[j].median, &want[j].median, sizeof(double));
                assert_memory_equal(&b.jobs[j].mean, &want[j].mean, sizeof(double));
                assert_int_equal(b.jobs[j].rounds, want[j].rounds);
            }
        }
    }
    eum_lanes_isa(-1);
    printf("  instruction sets compared: generic%s%s\n", best >= 1 ? ", AVX2" : "",
           best >= 2 ? ", AVX-512F" : "");
}

static void test_bad_jobs(void **state) {
    double x[3] = {0, 50, 100}, c[3] = {1, 1, 1}, s[3] = {0.5, 0.5, 0.5};
    double bad_c[3] = {1, -1, 1}, bad_s[3] = {0.5, 1.5, 0.5}, huge[3] = {-1e308, 0, 1e308};
    eum_lanes_job jobs[4] = {{x, c, s, 0, 0, 0, 0, 0},
                             {x, bad_c, s, 0, 0, 0, 0, 0},
                             {x, c, bad_s, 0, 0, 0, 0, 0},
                             {huge, c, s, 0, 0, 0, 0, 0}};
    pl_eum_options opt;
    pl_eum_result *res = NULL;
    (void)state;
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = 10;
    assert_int_equal(eum_lanes_batch(3, &opt, 4, jobs), PL_OK);
    assert_int_equal(jobs[0].status, PL_OK);
    assert_int_equal(jobs[1].status, PL_EINVAL);
    assert_int_equal(jobs[2].status, PL_EINVAL);
    assert_int_equal(jobs[3].status, PL_ERANGE);
    assert_int_equal(pl_eum_run(3, huge, c, s, &opt, &res), PL_ERANGE);
    /* what the engine does not cover, or no room */
    assert_int_equal(eum_lanes_batch(EUM_LANES_MAX_N + 1, &opt, 1, jobs), PL_EINVAL);
    opt.risk_norm = PL_EUM_RISK_ACROSS_POSITIONS;
    assert_false(eum_lanes_ok(&opt, 3));
    assert_int_equal(eum_lanes_batch(3, &opt, 1, jobs), PL_EINVAL);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    assert_int_equal(eum_lanes_batch(3, &opt, 0, jobs), PL_OK);
    /* no rounds: round 0's forecasts */
    opt.max_rounds = 0;
    assert_int_equal(eum_lanes_batch(3, &opt, 1, jobs), PL_OK);
    assert_int_equal(jobs[0].rounds, 0);
    assert_true(jobs[0].median == 50);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pow),
        cmocka_unit_test(test_batch_equals_run),
        cmocka_unit_test(test_isa_identical),
        cmocka_unit_test(test_bad_jobs),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
