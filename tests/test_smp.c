/*
** test_smp.c: the spatial model of politics.
**
** Reference: KTAB's smpc with default options on every file of
** ../shared/data/ktab that has a reference output (reference/NAME.txt):
** the same number of turns, every actor's position at every turn within
** 0.01 on the 0-100 scale (KTAB's output has 2 decimals), and the final
** winning probabilities within 1e-4 (KTAB prints 4 decimals).
**
** Also: a case computed by hand, bit-identical results for 1, 2 and 3
** threads, seeded stochastic runs, every option, the degenerate inputs
** KTAB cannot run, the reports, and allocation failures.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "models/model_smp_int.h"
#include "parley.h"
#include "pl_test.h"

/* An example file of ../shared/data/ktab: missing is a skip (or a failure
** under PL_REQUIRE_SHARED=1), unreadable a failure. */
static pl_smp_data *read_example(const char *name) {
    char rel[256];
    snprintf(rel, sizeof rel, "data/ktab/%.200s.csv", name);
    pl_test_need_shared(rel);
    pl_smp_data *d = NULL;
    if (pl_smp_read_ktab_file(pl_test_shared(rel), NULL, &d) != PL_OK)
        fail_msg("%s: cannot read it", pl_test_shared(rel));
    return d;
}

static pl_smp_result *run(const pl_smp_data *d, const pl_smp_options *o) {
    pl_smp_result *r = NULL;
    pl_diags *dg = NULL;
    assert_int_equal(pl_diags_new(&dg), PL_OK);
    pl_status rc = pl_smp_run(d, o, dg, &r);
    if (rc != PL_OK) {
        for (size_t i = 0; i < pl_diags_count(dg); i++)
            print_message("  %s\n", pl_diags_get(dg, i)->message);
        fail_msg("pl_smp_run: status %d", rc);
    }
    pl_diags_free(dg);
    return r;
}

static size_t actor_index(const pl_smp_data *d, const char *name) {
    for (size_t i = 0; i < pl_smp_data_n_actors(d); i++)
        if (strcmp(pl_smp_data_actor_name(d, i), name) == 0) return i;
    fail_msg("no actor %s", name);
    return 0;
}

/* ------------------------------------------------------------------------
** KTAB's reference outputs
*/
static void check_reference(const char *name, int *n_checked) {
    char path[512];
    snprintf(path, sizeof path, "%s/%.200s.txt", pl_test_shared("data/ktab/reference"), name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    pl_smp_data *d = read_example(name);
    pl_smp_result *r = run(d, NULL);
    size_t n = pl_smp_data_n_actors(d), nd = pl_smp_data_n_dims(d);
    size_t T = pl_smp_result_n_turns(r), ref_turns = 0, n_pos = 0, n_prob = 0;
    double max_dev = 0, max_pdev = 0;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char who[64];
        int used = 0;
        if (strncmp(line, "prob ", 5) == 0) {
            double p;
            assert_int_equal(sscanf(line + 5, "%63s %lf", who, &p), 2);
            double dev = fabs(pl_smp_result_prob(r, T, actor_index(d, who)) - p);
            if (dev > max_pdev) max_pdev = dev;
            n_prob++;
            continue;
        }
        unsigned long t;
        assert_int_equal(sscanf(line, "%lu %63s%n", &t, who, &used), 2);
        if (t > ref_turns) ref_turns = t;
        size_t i = actor_index(d, who);
        char *s = line + used;
        for (size_t k = 0; k < nd; k++) {
            char *end;
            double x = strtod(s, &end);
            assert_true(end != s);
            s = end;
            if (t <= T) {
                double dev = fabs(pl_smp_result_position(r, t, i)[k] - x);
                if (dev > max_dev) max_dev = dev;
                if (dev > 0.01)
                    fail_msg("%s: turn %lu, %s, dimension %zu: %.4f, KTAB %.2f", name, t, who,
                             k + 1, pl_smp_result_position(r, t, i)[k], x);
            }
        }
        n_pos++;
    }
    fclose(f);
    print_message("  %-16s %3zu actors x %zu dims: %2zu turns (KTAB %2zu), max position "
                  "deviation %.2g, max probability deviation %.2g\n",
                  name, n, nd, T, ref_turns, max_dev, max_pdev);
    assert_int_equal(T, ref_turns);
    assert_int_equal(n_pos, (ref_turns + 1) * n);
    assert_int_equal(n_prob, n);
    assert_true(max_dev <= 0.01);
    assert_true(max_pdev <= 1e-4);
    pl_smp_result_free(r);
    pl_smp_data_free(d);
    (*n_checked)++;
}

static void test_ktab_references(void **state) {
    (void)state;
    pl_test_need_shared("data/ktab/reference");
    DIR *dir = opendir(pl_test_shared("data/ktab/reference"));
    assert_non_null(dir);
    char names[64][128];
    int n_names = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n_names < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && len < 128 && strcmp(e->d_name + len - 4, ".txt") == 0) {
            memcpy(names[n_names], e->d_name, len - 4);
            names[n_names++][len - 4] = 0;
        }
    }
    closedir(dir);
    qsort(names, (size_t)n_names, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    int n_checked = 0;
    for (int i = 0; i < n_names; i++) check_reference(names[i], &n_checked);
    assert_true(n_checked >= 5);
}

/* The example files without a reference: KTAB's turn counts from the
** shared README's table. */
static void test_ktab_turn_counts(void **state) {
    (void)state;
    static const struct {
        const char *name;
        size_t turns;
    } files[] = {{"SOE-Competitive", 35}, {"dummyData-a080", 17}, {"dummyData-a160", 13}};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        pl_smp_data *d = read_example(files[f].name);
        pl_smp_result *r = run(d, NULL);
        assert_int_equal(pl_smp_result_n_turns(r), files[f].turns);
        assert_int_equal(pl_smp_result_stop(r), PL_SMP_STOP_CONVERGED);
        pl_smp_result_free(r);
        pl_smp_data_free(d);
    }
}

/* ------------------------------------------------------------------------
** By hand: actors at 0, 50 and 100 on one dimension, capabilities 1,
** saliences 100, so d_ij = |x_i - x_j|/100 and u0 = 1 - d.
** Coalitions (Prop): C(50:0) = 1 + 1e-8 (0.5 from each of the others),
** C(0:50) = 0.5 + 1e-8, C(0:100) = C(100:0) = 1 + 1e-8.  V(50>0) ~ 2/3,
** V(0>100) = 1/2.  Conditional PCE: P ~ (1/2 1/3 1/2, 2/3 1/2 2/3, ...)
** = (1/12, 2/9, 1/12) -> (3/14, 8/14, 3/14).  Mid range: r = (3p -
** (pmax + 2 pmin)) / (2 (pmax - pmin)) = (-1/2, 1, -1/2).
** Reported probabilities use each actor's own utilities: actor 0 values
** 50 at (1 - 1/2)(1 - 1/4) = 0.375, actor 1 values 0 and 100 at
** (1/2)(3/2) = 0.75.  C(50:0) = 0.25 + 0.375 = C(0:50) = 0.625, and
** C(100:0) = C(0:100) = 1: every V = 1/2, so every P = 1/3.
*/
static void test_by_hand(void **state) {
    (void)state;
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_data_new(3, 1, &d), PL_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(pl_smp_data_set_stake(d, i, 0, 50.0 * (double)i, 100), PL_OK);
    pl_smp_result *r = run(d, NULL);
    assert_near(pl_smp_result_risk(r, 0, 0), -0.5, 1e-7);
    assert_near(pl_smp_result_risk(r, 0, 1), 1.0, 1e-7);
    assert_near(pl_smp_result_risk(r, 0, 2), -0.5, 1e-7);
    for (size_t i = 0; i < 3; i++) assert_near(pl_smp_result_prob(r, 0, i), 1.0 / 3, 1e-7);
    assert_int_equal(pl_smp_result_n_outcomes(r, 0), 3);
    /* the mean of 0, 50, 100 at 1/3 each */
    assert_near(pl_smp_result_mean(r, 0)[0], 50, 1e-6);
    /* By symmetry the two outer actors do the same. */
    size_t T = pl_smp_result_n_turns(r);
    assert_near(pl_smp_result_position(r, T, 0)[0], 100 - pl_smp_result_position(r, T, 2)[0], 1e-9);
    pl_smp_result_free(r);
    pl_smp_data_free(d);
}

/* The victory-probability models by hand: one actor at 0 and two at 100,
** capabilities 1, so each values its own position 1 and the other 0,
** C(0:100) = 1 + 1e-8 and C(100:0) = 2 + 1e-8, and the first actor's
** position wins (Conditional PCE) with V(0>100) = x1 / (x1 + x2): x = C
** (Linear), C^2 (Square), C^4 (Quartic), C^8 (Octic), or Binary's (1e-6, 1)
** when one coalition is 1.1 times the other. */
static void test_vpm_by_hand(void **state) {
    (void)state;
    static const struct {
        pl_smp_vpm vpm;
        double p0;
    } cases[] = {
        {PL_SMP_VPM_LINEAR, 1.0 / 3},           {PL_SMP_VPM_SQUARE, 1.0 / 5},
        {PL_SMP_VPM_QUARTIC, 1.0 / 17},         {PL_SMP_VPM_OCTIC, 1.0 / 257},
        {PL_SMP_VPM_BINARY, 1e-6 / (1 + 1e-6)},
    };
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_data_new(3, 1, &d), PL_OK);
    assert_int_equal(pl_smp_data_set_stake(d, 0, 0, 0, 100), PL_OK);
    assert_int_equal(pl_smp_data_set_stake(d, 1, 0, 100, 100), PL_OK);
    assert_int_equal(pl_smp_data_set_stake(d, 2, 0, 100, 100), PL_OK);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        pl_smp_options o;
        pl_smp_options_init(&o);
        o.vpm = cases[c].vpm;
        pl_smp_result *r = run(d, &o);
        assert_near(pl_smp_result_prob(r, 0, 0), cases[c].p0, 1e-7);
        pl_smp_result_free(r);
    }
    pl_smp_data_free(d);
}

/* ------------------------------------------------------------------------
** Threads and seeds
*/
static void expect_identical(const pl_smp_result *a, const pl_smp_result *b) {
    size_t n = pl_smp_result_n_actors(a), nd = pl_smp_result_n_dims(a);
    size_t T = pl_smp_result_n_turns(a);
    assert_int_equal(T, pl_smp_result_n_turns(b));
    for (size_t t = 0; t <= T; t++) {
        assert_memory_equal(pl_smp_result_position(a, t, 0), pl_smp_result_position(b, t, 0),
                            n * nd * sizeof(double));
        assert_memory_equal(pl_smp_result_ideal(a, t, 0), pl_smp_result_ideal(b, t, 0),
                            n * nd * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            double x = pl_smp_result_prob(a, t, i), y = pl_smp_result_prob(b, t, i);
            double ra = pl_smp_result_risk(a, t, i), rb = pl_smp_result_risk(b, t, i);
            assert_memory_equal(&x, &y, sizeof x);
            assert_memory_equal(&ra, &rb, sizeof ra);
            if (t == 0) continue;
            const pl_smp_challenge *ca = pl_smp_result_challenge(a, t, i);
            const pl_smp_challenge *cb = pl_smp_result_challenge(b, t, i);
            assert_int_equal(ca->target, cb->target);
            assert_memory_equal(&ca->gain, &cb->gain, sizeof ca->gain);
            assert_memory_equal(&ca->prob, &cb->prob, sizeof ca->prob);
            const pl_smp_choice *ha = pl_smp_result_choice(a, t, i);
            const pl_smp_choice *hb = pl_smp_result_choice(b, t, i);
            assert_int_equal(ha->chosen, hb->chosen);
            assert_memory_equal(&ha->prob, &hb->prob, sizeof ha->prob);
        }
    }
}

static void test_threads_identical(void **state) {
    (void)state;
    const char *files[] = {"dummyData-a040", "dummyData_6Dim"};
    for (size_t f = 0; f < 2; f++) {
        pl_smp_data *d = read_example(files[f]);
        for (int stochastic = 0; stochastic < 2; stochastic++) {
            pl_smp_options o;
            pl_smp_options_init(&o);
            o.transition = stochastic ? PL_SMP_STOCHASTIC : PL_SMP_DETERMINISTIC;
            o.seed = 12345;
            o.max_turns = stochastic ? 15 : 100;
            o.n_threads = 1;
            pl_smp_result *one = run(d, &o);
            for (unsigned nt = 2; nt <= 3; nt++) {
                o.n_threads = nt;
                pl_smp_result *many;
                size_t helpers;
                PL_TEST_HELPERS(many = run(d, &o), helpers);
                assert_int_equal(helpers, nt - 1); /* the caller is a worker too */
                expect_identical(one, many);
                pl_smp_result_free(many);
            }
            pl_smp_result_free(one);
        }
        pl_smp_data_free(d);
    }
}

/* A generated input of n actors on one dimension, dummyData's shape. */
static pl_smp_data *generated(size_t n, uint64_t x) {
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_data_new(n, 1, &d), PL_OK);
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "A%zu", i);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = (double)(x >> 11) * 0x1.0p-53;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = (double)(x >> 11) * 0x1.0p-53;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u3 = (double)(x >> 11) * 0x1.0p-53;
        assert_int_equal(pl_smp_data_set_actor(d, i, name, NULL, 0.1 + 5 * u1), PL_OK);
        assert_int_equal(pl_smp_data_set_stake(d, i, 0, round(3000 + 6900 * u2) / 100,
                                               round(500 + 9400 * u3) / 100),
                         PL_OK);
    }
    return d;
}

/* Beyond KTAB's 250 actors: a 300-actor input of dummyData's shape runs,
** the same bits on 1 and 2 threads; 2001 actors are refused. */
static void test_beyond_ktab_cap(void **state) {
    (void)state;
    pl_smp_data *d = generated(300, 2024);
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.max_turns = 4;
    o.n_threads = 1;
    pl_smp_result *one = run(d, &o);
    o.n_threads = 2;
    pl_smp_result *two = run(d, &o);
    assert_true(pl_smp_result_n_turns(one) >= 2);
    expect_identical(one, two);
    pl_smp_result_free(one);
    pl_smp_result_free(two);
    pl_smp_data_free(d);
    pl_diags *dg = NULL;
    assert_int_equal(pl_diags_new(&dg), PL_OK);
    assert_int_equal(pl_smp_data_new(PL_SMP_MAX_ACTORS + 1, 1, &d), PL_OK);
    assert_int_equal(pl_smp_data_check(d, dg), PL_EINPUT);
    assert_non_null(strstr(pl_diags_get(dg, 0)->message, "expected 3 to 2000 actors, found 2001"));
    pl_smp_data_free(d);
    pl_diags_free(dg);
}

/* a and b: the same turns, and every position, ideal, risk attitude and
** winning probability within tol (positions on the 0-100 scale). */
static void expect_close(const pl_smp_result *a, const pl_smp_result *b, double tol,
                         double *worst) {
    size_t n = pl_smp_result_n_actors(a), nd = pl_smp_result_n_dims(a);
    size_t T = pl_smp_result_n_turns(a);
    assert_int_equal(T, pl_smp_result_n_turns(b));
    for (size_t t = 0; t <= T; t++)
        for (size_t i = 0; i < n; i++) {
            double gaps[] = {pl_smp_result_risk(a, t, i) - pl_smp_result_risk(b, t, i),
                             pl_smp_result_prob(a, t, i) - pl_smp_result_prob(b, t, i)};
            for (size_t k = 0; k < 2; k++)
                if (fabs(gaps[k]) > *worst) *worst = fabs(gaps[k]);
            for (size_t k = 0; k < nd; k++) {
                double g = pl_smp_result_position(a, t, i)[k] - pl_smp_result_position(b, t, i)[k];
                double h = pl_smp_result_ideal(a, t, i)[k] - pl_smp_result_ideal(b, t, i)[k];
                if (fabs(g) > *worst) *worst = fabs(g);
                if (fabs(h) > *worst) *worst = fabs(h);
            }
        }
    if (*worst > tol)
        fail_msg("fast sums differ from KTAB's order by %g (tolerance %g)", *worst, tol);
}

/* Fast sums (pl_smp_sums): the default takes KTAB's order up to 250 actors
** (the same bits as asking for it) and fast sums above (the same bits as
** asking for them); fast sums agree with KTAB's order to 1e-9 on every
** shared KTAB file (one and several dimensions) and on generated inputs
** of 120 and 300 actors, and give the same bits on 1 and 2 threads. */
static void test_fast_sums(void **state) {
    (void)state;
    pl_smp_options o, k, f;
    pl_smp_options_init(&o);
    o.max_turns = 3;
    k = f = o;
    k.sums = PL_SMP_SUMS_KTAB;
    f.sums = PL_SMP_SUMS_FAST;
    const size_t sizes[] = {250, 300};
    for (size_t s = 0; s < 2; s++) {
        pl_smp_data *d = generated(sizes[s], 77 + s);
        pl_smp_result *dflt = run(d, &o), *chosen = run(d, s == 0 ? &k : &f);
        expect_identical(dflt, chosen);
        pl_smp_result_free(dflt);
        pl_smp_result_free(chosen);
        pl_smp_data_free(d);
    }
    const char *files[] = {"dummyData_3Dim", "SOE-Pol-Comp",    "SOE-Policy",     "dummyData_6Dim",
                           "dummyData-a040", "SOE-Competitive", "dummyData-a080", "dummyData-a160"};
    double worst = 0;
    k.max_turns = f.max_turns = 100;
    for (size_t i = 0; i < sizeof files / sizeof files[0] + 2; i++) {
        pl_smp_data *d = i < 8 ? read_example(files[i]) : generated(i == 8 ? 120 : 300, 5 + i);
        pl_smp_result *a = run(d, &k), *b = run(d, &f);
        expect_close(a, b, 1e-9, &worst);
        if (i == 9) {
            f.n_threads = 2;
            pl_smp_result *two = run(d, &f);
            expect_identical(b, two);
            pl_smp_result_free(two);
        }
        pl_smp_result_free(a);
        pl_smp_result_free(b);
        pl_smp_data_free(d);
    }
    print_message("fast sums vs KTAB's order: largest difference %.3g\n", worst);
    pl_smp_options x;
    pl_smp_options_init(&x);
    char *text = NULL;
    assert_int_equal(pl_smp_options_describe(&x, &text), PL_OK);
    assert_null(strstr(text, "sums=")); /* the default is not said: KTAB's line */
    pl_free(text);
    assert_int_equal(pl_smp_options_set(&x, "sums", "fast"), PL_OK);
    assert_int_equal(x.sums, PL_SMP_SUMS_FAST);
    assert_int_equal(pl_smp_options_set(&x, "Sums", "KTAB"), PL_OK);
    assert_int_equal(x.sums, PL_SMP_SUMS_KTAB);
    assert_int_equal(pl_smp_options_describe(&x, &text), PL_OK);
    assert_non_null(strstr(text, " sums=ktab"));
    pl_free(text);
    assert_int_equal(pl_smp_options_set(&x, "sums", "quick"), PL_EINVAL);
}

/* A long queue's election shared among the threads gives the same bits
** as one task's (every queue of two or more bargains taken as long; the
** 300-actor input has queues of dozens, so whole blocks of eight too). */
static void test_long_queues(void **state) {
    (void)state;
    const char *files[] = {"dummyData-a040", "dummyData_6Dim"};
    for (size_t i = 0; i < 3; i++) { /* and 300 actors: queues of dozens */
        pl_smp_data *d = i < 2 ? read_example(files[i]) : generated(300, 99);
        pl_smp_options o;
        pl_smp_options_init(&o);
        o.n_threads = 2;
        o.max_turns = i < 2 ? 100 : 3;
        pl_smp_result *usual = run(d, &o);
        size_t saved = smp_long_queue_min;
        smp_long_queue_min = 2;
        pl_smp_result *shared = run(d, &o);
        smp_long_queue_min = saved;
        expect_identical(usual, shared);
        pl_smp_result_free(usual);
        pl_smp_result_free(shared);
        pl_smp_data_free(d);
    }
}

static void test_stochastic_seeds(void **state) {
    (void)state;
    pl_smp_data *d = read_example("SOE-Pol-Comp");
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.transition = PL_SMP_STOCHASTIC;
    o.seed = 7;
    pl_smp_result *a = run(d, &o), *b = run(d, &o);
    expect_identical(a, b);
    /* Other seeds give other runs (at least one of five differs). */
    int differ = 0;
    for (uint64_t seed = 100; seed < 105 && !differ; seed++) {
        o.seed = seed;
        pl_smp_result *c = run(d, &o);
        size_t T = pl_smp_result_n_turns(a);
        if (pl_smp_result_n_turns(c) != T ||
            memcmp(pl_smp_result_position(a, T, 0), pl_smp_result_position(c, T, 0),
                   pl_smp_data_n_actors(d) * pl_smp_data_n_dims(d) * sizeof(double)) != 0)
            differ = 1;
        pl_smp_result_free(c);
    }
    assert_true(differ);
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_data_free(d);
}

/* ------------------------------------------------------------------------
** Every option runs and gives finite, consistent results.
*/
static void check_sane(const pl_smp_data *d, const pl_smp_result *r, int bounded) {
    size_t n = pl_smp_data_n_actors(d), nd = pl_smp_data_n_dims(d);
    for (size_t t = 0; t <= pl_smp_result_n_turns(r); t++) {
        double sum = 0;
        size_t holders = 0;
        for (size_t m = 0; m < pl_smp_result_n_outcomes(r, t); m++) {
            const pl_smp_outcome *o = pl_smp_result_outcome(r, t, m);
            assert_true(o->prob >= 0 && o->prob <= 1);
            sum += o->prob;
            holders += o->n_holders;
        }
        assert_near(sum, 1, 1e-9);
        assert_int_equal(holders, n);
        for (size_t i = 0; i < n; i++) {
            const double *x = pl_smp_result_position(r, t, i);
            for (size_t k = 0; k < nd; k++) {
                assert_true(isfinite(x[k]));
                if (bounded) assert_true(x[k] >= -1e-9 && x[k] <= 100 + 1e-9);
            }
            assert_true(isfinite(pl_smp_result_risk(r, t, i)));
            assert_true(pl_smp_result_prob(r, t, i) >= 0 && pl_smp_result_prob(r, t, i) <= 1);
        }
        for (size_t k = 0; k < nd; k++) assert_true(isfinite(pl_smp_result_mean(r, t)[k]));
    }
}

static void test_every_option(void **state) {
    (void)state;
    const char *files[] = {"dummyData_3Dim", "SOE-Pol-Comp"};
    static const struct {
        const char *key;
        const char *values[6];
    } opts[] = {
        {"vpm", {"Linear", "Square", "Quartic", "Octic", "Binary", NULL}},
        {"pce", {"Conditional", "MarkovIncentive", "MarkovUniform", NULL}},
        {"transitions", {"Deterministic", "Stochastic", NULL}},
        {"voting", {"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"}},
        {"radjust", {"None", "OneThird", "Half", "TwoThirds", "Full", NULL}},
        {"rrange", {"Min", "Mid", "Max", NULL}},
        {"commit", {"NoCommit", "SemiCommit", "FullCommit", NULL}},
        {"interp", {"S1P1", "S2P2", "S2PMax", NULL}},
        {"bargain", {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp", NULL}},
    };
    for (size_t f = 0; f < 2; f++) {
        pl_smp_data *d = read_example(files[f]);
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
            for (size_t v = 0; v < 6 && opts[k].values[v]; v++) {
                pl_smp_options o;
                pl_smp_options_init(&o);
                o.max_turns = 30;
                assert_int_equal(pl_smp_options_set(&o, opts[k].key, opts[k].values[v]), PL_OK);
                pl_smp_result *r = run(d, &o);
                check_sane(d, r, 1);
                pl_smp_result_free(r);
            }
        /* The quirks off, one at a time and together, with the bargain
        ** models they touch. */
        for (int bm = 1; bm <= 2; bm++)
            for (int q = 0; q < 4; q++) {
                pl_smp_options o;
                pl_smp_options_init(&o);
                o.max_turns = 30;
                o.bargain = (pl_smp_bargain_model)bm;
                o.quirk_receiver_gain = q != 0 && q != 3;
                o.quirk_pwcomp_weight = q != 1 && q != 3;
                o.quirk_linear_challenge = q != 2 && q != 3;
                o.vpm = PL_SMP_VPM_SQUARE;
                pl_smp_result *r = run(d, &o);
                /* with the receiver-gain quirk the target's "probability"
                ** is a utility gain: positions may leave the scale */
                check_sane(d, r, !o.quirk_receiver_gain);
                pl_smp_result_free(r);
            }
        /* The quirk at its worst: S1P1 and S2PMax with gains for
        ** probabilities; finite all the same. */
        for (int iv = 0; iv <= 2; iv += 2) {
            pl_smp_options o;
            pl_smp_options_init(&o);
            o.max_turns = 30;
            o.bargain = PL_SMP_BARGAIN_INIT_RCVR;
            o.interp = (pl_smp_interp)iv;
            pl_smp_result *r = run(d, &o);
            check_sane(d, r, 0);
            pl_smp_result_free(r);
        }
        pl_smp_data_free(d);
    }
}

/* Options turn the model: the receiver-gain quirk changes the trajectory
** of InitRcvrInterp (spec Q1). */
static void test_quirks_matter(void **state) {
    (void)state;
    pl_smp_data *d = read_example("SOE-Pol-Comp");
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.bargain = PL_SMP_BARGAIN_INIT_RCVR;
    pl_smp_result *a = run(d, &o);
    o.quirk_receiver_gain = 0;
    pl_smp_result *b = run(d, &o);
    size_t n = pl_smp_data_n_actors(d) * pl_smp_data_n_dims(d);
    assert_true(pl_smp_result_n_turns(a) != pl_smp_result_n_turns(b) ||
                memcmp(pl_smp_result_position(a, 1, 0), pl_smp_result_position(b, 1, 0),
                       n * sizeof(double)) != 0);
    /* InitRcvrInterp queues two bargains per challenge. */
    const pl_smp_challenge *c = NULL;
    for (size_t i = 0; i < pl_smp_data_n_actors(d) && !c; i++) {
        c = pl_smp_result_challenge(a, 1, i);
        if (c->target == i) c = NULL;
    }
    assert_non_null(c);
    assert_int_equal(c->n_bargains, 2);
    assert_non_null(c->pos_target[1]);
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_data_free(d);
}

/* ------------------------------------------------------------------------
** Degenerate inputs: defined here, errors in KTAB.
*/
static void test_degenerate(void **state) {
    (void)state;
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_data_new(4, 2, &d), PL_OK);
    for (size_t i = 0; i < 4; i++) {
        pl_smp_data_set_actor(d, i, i % 2 ? "odd" : "even", NULL, 1 + (double)i);
        pl_smp_data_set_stake(d, i, 0, 40, 30);
        pl_smp_data_set_stake(d, i, 1, 60, 30);
    }
    /* Unanimity: nobody moves, risk neutral, one outcome of probability 1. */
    pl_smp_result *r = run(d, NULL);
    assert_int_equal(pl_smp_result_n_turns(r), 2);
    assert_int_equal(pl_smp_result_stop(r), PL_SMP_STOP_CONVERGED);
    assert_int_equal(pl_smp_result_n_outcomes(r, 2), 1);
    assert_near(pl_smp_result_outcome(r, 2, 0)->prob, 1, 1e-12);
    assert_int_equal(pl_smp_result_outcome(r, 2, 0)->n_holders, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_true(pl_smp_result_risk(r, 0, i) == 0);
        assert_int_equal(pl_smp_result_challenge(r, 1, i)->target, i);
        assert_int_equal(pl_smp_result_choice(r, 1, i)->n_options, 1);
    }
    check_sane(d, r, 1);
    pl_smp_result_free(r);
    /* ... which KTAB refuses. */
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.ktab_errors = 1;
    pl_diags *dg = NULL;
    assert_int_equal(pl_diags_new(&dg), PL_OK);
    assert_int_equal(pl_smp_run(d, &o, dg, &r), PL_ERANGE);
    assert_null(r);
    assert_int_equal(pl_diags_errors(dg), 1);
    /* BigRAdjust Full: computed here, refused by KTAB. */
    pl_smp_data_set_stake(d, 0, 0, 0, 30);
    pl_smp_data_set_stake(d, 3, 1, 100, 70);
    o.radjust = PL_SMP_RADJ_FULL;
    pl_diags_clear(dg);
    assert_int_equal(pl_smp_run(d, &o, dg, &r), PL_ERANGE);
    assert_non_null(strstr(pl_diags_get(dg, 0)->message, "Full"));
    o.ktab_errors = 0;
    r = run(d, &o);
    check_sane(d, r, 1);
    pl_smp_result_free(r);
    /* Without ktab_errors the default run goes through. */
    o.radjust = PL_SMP_RADJ_ONE_THIRD;
    o.ktab_errors = 1;
    r = run(d, &o);
    pl_smp_result_free(r);
    /* Salience only on one dimension, zero on the other. */
    pl_smp_data_set_stake(d, 1, 1, 10, 0);
    r = run(d, NULL);
    check_sane(d, r, 1);
    pl_smp_result_free(r);
    /* Invalid input and options. */
    pl_smp_data_set_stake(d, 1, 0, 10, 0);
    pl_diags_clear(dg);
    assert_int_equal(pl_smp_run(d, NULL, dg, &r), PL_EINPUT);
    assert_non_null(
        strstr(pl_diags_get(dg, 0)->message, "actor odd: expected a positive salience"));
    pl_smp_data_set_stake(d, 1, 0, 10, 10);
    pl_smp_options_init(&o);
    o.vpm = (pl_smp_vpm)9;
    assert_int_equal(pl_smp_run(d, &o, dg, &r), PL_EINVAL);
    assert_int_equal(pl_smp_run(NULL, NULL, dg, &r), PL_EINVAL);
    /* max_turns 0: only the starting state. */
    pl_smp_options_init(&o);
    o.max_turns = 0;
    r = run(d, &o);
    assert_int_equal(pl_smp_result_n_turns(r), 0);
    assert_int_equal(pl_smp_result_stop(r), PL_SMP_STOP_MAX_TURNS);
    assert_null(pl_smp_result_challenge(r, 1, 0));
    assert_null(pl_smp_result_position(r, 1, 0));
    pl_smp_result_free(r);
    pl_diags_free(dg);
    pl_smp_data_free(d);
}

/* Ideal points that lag the positions (the accommodation matrix). */
static void test_accommodation(void **state) {
    (void)state;
    pl_smp_data *d = read_example("dummyData_3Dim");
    double a[49] = {0};
    for (size_t i = 0; i < 7; i++) a[i * 7 + i] = 0.5;
    assert_int_equal(pl_smp_data_set_accommodation(d, a), PL_OK);
    pl_smp_result *r = run(d, NULL);
    for (size_t i = 0; i < 7; i++)
        for (size_t k = 0; k < 3; k++) {
            double want = 0.5 * pl_smp_result_position(r, 1, i)[k] +
                          0.5 * pl_smp_result_ideal(r, 0, i)[k];
            assert_near(pl_smp_result_ideal(r, 1, i)[k], want, 1e-9);
        }
    check_sane(d, r, 1);
    pl_smp_result_free(r);
    pl_smp_data_free(d);
}

/* The progress convention (pl_progress_fn): stop once done reaches
** stop_at; count the calls. */
typedef struct turn_log {
    int calls;
    double stop_at, total, last;
} turn_log;

static int stop_at(void *ctx, double done, double total) {
    turn_log *l = ctx;
    l->calls++;
    l->total = total;
    l->last = done;
    return done >= l->stop_at;
}

static void test_interrupt(void **state) {
    (void)state;
    pl_smp_data *d = read_example("SOE-Pol-Comp");
    pl_smp_options o;
    pl_smp_options_init(&o);
    turn_log now = {0, 0, 0, -1};
    o.progress = stop_at;
    o.progress_ctx = &now;
    pl_smp_result *r = NULL;
    assert_int_equal(pl_smp_run(d, &o, NULL, &r), PL_EINTERRUPTED);
    assert_null(r);
    assert_int_equal(now.calls, 1); /* as the run starts */
    assert_true(now.total == (double)o.max_turns);
    /* never stopping: the same run as without a callback */
    turn_log never = {0, 1e300, 0, -1};
    o.progress_ctx = &never;
    pl_smp_result *a = NULL, *b = NULL;
    assert_int_equal(pl_smp_run(d, &o, NULL, &a), PL_OK);
    assert_true(never.calls >= 1);
    o.progress = NULL;
    assert_int_equal(pl_smp_run(d, &o, NULL, &b), PL_OK);
    assert_int_equal(pl_smp_result_n_turns(a), pl_smp_result_n_turns(b));
    size_t T = pl_smp_result_n_turns(a);
    for (size_t i = 0; i < pl_smp_data_n_actors(d); i++)
        for (size_t k = 0; k < pl_smp_data_n_dims(d); k++)
            assert_true(pl_smp_result_position(a, T, i)[k] == pl_smp_result_position(b, T, i)[k]);
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_data_free(d);
}

/* ------------------------------------------------------------------------
** Options as text
*/
static void test_options_text(void **state) {
    (void)state;
    pl_smp_options o, def;
    pl_smp_options_init(&o);
    pl_smp_options_init(&def);
    char *s = NULL;
    assert_int_equal(pl_smp_options_describe(NULL, &s), PL_OK);
    assert_string_equal(s, "vpm=Linear pce=Conditional transitions=Deterministic voting=Prop "
                           "radjust=OneThird rrange=Mid commit=SemiCommit interp=S2P2 "
                           "bargain=InitOnlyInterp quirk-receiver-gain=1 quirk-pwcomp-weight=1 "
                           "quirk-linear-challenge=1 ktab-errors=0 max-turns=100 min-turns=2 "
                           "stop-ratio=0.02 min-sig-delta=0.0001 pos-tol=0.1 seed=0 threads=0");
    pl_free(s);
    /* KTAB's defaults as its 9-integer vector */
    const int ktab[9] = {0, 0, 0, 2, 1, 1, 1, 1, 0};
    assert_int_equal(pl_smp_options_from_ktab(&o, ktab), PL_OK);
    assert_memory_equal(&o, &def, sizeof o);
    const int bad[9] = {0, 0, 0, 6, 1, 1, 1, 1, 0};
    assert_int_equal(pl_smp_options_from_ktab(&o, bad), PL_EINVAL);
    /* keys: any case, '-' and '_' ignored, KTAB's XML names */
    assert_int_equal(pl_smp_options_set(&o, "VictoryProbModel", "octic"), PL_OK);
    assert_int_equal(o.vpm, PL_SMP_VPM_OCTIC);
    assert_int_equal(pl_smp_options_set(&o, "voting_rule", "Proportional"), PL_OK);
    assert_int_equal(o.voting, PL_SMP_VR_PROP);
    assert_int_equal(pl_smp_options_set(&o, "BigRAdjust", "No"), PL_OK);
    assert_int_equal(o.radjust, PL_SMP_RADJ_NONE);
    assert_int_equal(pl_smp_options_set(&o, "pce", "MarkovUPCM"), PL_OK);
    assert_int_equal(o.pcem, PL_SMP_PCE_MARKOV_UNIFORM);
    assert_int_equal(pl_smp_options_set(&o, "BargnModel", "PWCompInterp"), PL_OK);
    assert_int_equal(o.bargain, PL_SMP_BARGAIN_PW_COMP);
    assert_int_equal(pl_smp_options_set(&o, "seed", "18446744073709551615"), PL_OK);
    assert_true(o.seed == UINT64_MAX);
    assert_int_equal(pl_smp_options_set(&o, "seed", "18446744073709551616"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "max-turns", "7"), PL_OK);
    assert_int_equal(o.max_turns, 7);
    assert_int_equal(pl_smp_options_set(&o, "min-turns", "0"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "stop-ratio", "0.5"), PL_OK);
    assert_near(o.stop_ratio, 0.5, 0);
    assert_int_equal(pl_smp_options_set(&o, "pos-tol", "-1"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "quirk-receiver-gain", "0"), PL_OK);
    assert_int_equal(o.quirk_receiver_gain, 0);
    assert_int_equal(pl_smp_options_set(&o, "ktab-errors", "2"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "threads", "257"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "vpm", "Cubic"), PL_EINVAL);
    assert_int_equal(pl_smp_options_set(&o, "colour", "blue"), PL_ENOTFOUND);
    assert_int_equal(pl_smp_options_set(NULL, "vpm", "Linear"), PL_EINVAL);
}

/* ------------------------------------------------------------------------
** Reports
*/
static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void test_reports(void **state) {
    (void)state;
    pl_smp_data *d = read_example("dummyData_3Dim");
    pl_smp_result *r = run(d, NULL);
    char *out = NULL;
    assert_int_equal(pl_smp_report(d, r, PL_FORMAT_TEXT, 0, &out), PL_OK);
    assert_non_null(strstr(out, "7 actors, 3 dimensions, 10 turns (converged)"));
    assert_non_null(strstr(out, "Most probable position (p = 0.4009): Pstn1 79.88, Pstn2 34.37, "
                                "Pstn3 75.16"));
    assert_non_null(strstr(out, "  0.3340    78.56    31.76    74.05  SActor-00, SActor-01\n"));
    assert_null(strstr(out, "Positions by turn"));
    pl_free(out);
    assert_int_equal(
        pl_smp_report(d, r, PL_FORMAT_TEXT,
                      PL_SMP_REPORT_HISTORY | PL_SMP_REPORT_PROBS | PL_SMP_REPORT_CHALLENGES, &out),
        PL_OK);
    assert_non_null(strstr(out, "Positions by turn"));
    assert_non_null(strstr(out, "Winning probabilities by turn"));
    assert_non_null(strstr(out, "Turn 10 (total move"));
    assert_non_null(strstr(out, "SActor-04 challenges SActor-00: P(win) 0.5836"));
    pl_free(out);
    /* CSV: a header and one row per state and actor; or per turn and actor */
    assert_int_equal(pl_smp_report(d, r, PL_FORMAT_CSV, 0, &out), PL_OK);
    assert_int_equal(count_lines(out), 1 + 11 * 7);
    assert_true(strncmp(out,
                        "turn,actor,Pstn1,Pstn2,Pstn3,prob,risk\n0,SActor-00,75.79,6.37,70.45,",
                        67) == 0);
    pl_free(out);
    assert_int_equal(pl_smp_report(d, r, PL_FORMAT_CSV, PL_SMP_REPORT_CHALLENGES, &out), PL_OK);
    assert_int_equal(count_lines(out), 1 + 10 * 7);
    pl_free(out);
    /* JSON: loads, and carries the history and the final outcomes */
    assert_int_equal(pl_smp_report(d, r, PL_FORMAT_JSON, PL_SMP_REPORT_CHALLENGES, &out), PL_OK);
    json_error_t err;
    json_t *root = json_loads(out, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "n_turns")), 10);
    assert_string_equal(json_string_value(json_object_get(root, "stop")), "converged");
    assert_int_equal(json_array_size(json_object_get(root, "history")), 11);
    json_t *fin = json_object_get(root, "final");
    assert_int_equal(json_array_size(json_object_get(fin, "outcomes")), 5);
    double p0 = json_real_value(
        json_object_get(json_array_get(json_object_get(fin, "outcomes"), 0), "prob"));
    assert_near(p0, 0.4009, 1e-4);
    json_t *t1 = json_array_get(json_object_get(root, "history"), 1);
    assert_int_equal(json_array_size(json_object_get(t1, "challenges")), 7);
    json_decref(root);
    pl_free(out);
    assert_int_equal(pl_smp_report(d, NULL, PL_FORMAT_TEXT, 0, &out), PL_EINVAL);
    assert_null(out);
    pl_smp_result_free(r);
    pl_smp_data_free(d);
}

/* A scenario's issues on their own scale in the report. */
static void test_scenario_run(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &d), PL_OK);
    pl_smp_result *r = run(d, NULL);
    check_sane(d, r, 1);
    /* The issue-by-issue view agrees with the run, on the issues' scales. */
    size_t ni = pl_scenario_n_issues(s), T = 0;
    double *mean = calloc(ni, sizeof(double)), *mode = calloc(ni, sizeof(double));
    assert_non_null(mean);
    assert_non_null(mode);
    assert_int_equal(pl_smp_forecast_scenario(s, PL_SMP_SAL_CAP, NULL, NULL, mean, mode, &T),
                     PL_OK);
    assert_int_equal(T, pl_smp_result_n_turns(r));
    const pl_smp_outcome *top = pl_smp_result_outcome(r, T, pl_smp_result_most_probable(r, T));
    for (size_t k = 0; k < ni; k++) {
        const pl_issue *is = pl_scenario_issue(s, k);
        double span = is->max - is->min;
        assert_near(mean[k], is->min + span * pl_smp_result_mean(r, T)[k] / 100, 1e-9);
        assert_near(mode[k], is->min + span * top->position[k] / 100, 1e-9);
        assert_true(mean[k] >= is->min - 1e-9 && mean[k] <= is->max + 1e-9);
    }
    free(mean);
    free(mode);
    pl_smp_result_free(r);
    pl_smp_data_free(d);
    pl_scenario_free(s);
}

/* The model on a scenario and on a what-if version (pl_smp_compare): the
** figures of two pl_smp_forecast_scenario runs, and the one-call report is
** the two steps. */
static void test_compare(void **state) {
    (void)state;
    pl_scenario *s = NULL, *changed = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    assert_int_equal(pl_scenario_clone(s, &changed), PL_OK);
    const char *actor = pl_scenario_actor(changed, 0)->id;
    assert_int_equal(pl_whatif_drop(changed, actor, NULL, NULL), PL_OK);
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.max_turns = 5;
    pl_smp_compare *c = NULL;
    assert_int_equal(pl_smp_compare_run(s, changed, PL_SMP_SAL_CAP, &o, NULL, &c), PL_OK);
    size_t ni = pl_scenario_n_issues(s), turns[2] = {0, 0}, t0 = 0, t1 = 0;
    assert_int_equal(pl_smp_compare_n_issues(c), ni);
    double *v = calloc(4 * ni, sizeof(double));
    assert_non_null(v);
    assert_int_equal(pl_smp_forecast_scenario(s, PL_SMP_SAL_CAP, &o, NULL, v, v + ni, &t0), PL_OK);
    assert_int_equal(
        pl_smp_forecast_scenario(changed, PL_SMP_SAL_CAP, &o, NULL, v + 2 * ni, v + 3 * ni, &t1),
        PL_OK);
    pl_smp_compare_turns(c, &turns[0], &turns[1]);
    assert_int_equal(turns[0], t0);
    assert_int_equal(turns[1], t1);
    for (size_t i = 0; i < ni; i++) {
        double before[2], after[2];
        assert_int_equal(pl_smp_compare_issue(c, i, before, after), PL_OK);
        assert_true(before[0] == v[ni + i] && before[1] == v[i]);
        assert_true(after[0] == v[3 * ni + i] && after[1] == v[2 * ni + i]);
    }
    free(v);
    double b2[2], a2[2];
    assert_int_equal(pl_smp_compare_issue(c, ni, b2, a2), PL_EINVAL);
    assert_int_equal(pl_smp_compare_options(c)->max_turns, 5);
    for (int f = 0; f < 3; f++) {
        char *two = NULL, *one = NULL;
        assert_int_equal(pl_smp_report_comparison(s, changed, c, (pl_format)f, &two), PL_OK);
        assert_int_equal(
            pl_smp_report_compare(s, changed, PL_SMP_SAL_CAP, &o, NULL, (pl_format)f, &one), PL_OK);
        assert_string_equal(two, one);
        pl_free(two);
        pl_free(one);
    }
    pl_smp_compare_free(c);
    pl_smp_compare_free(NULL);
    /* the two versions must have the same issues */
    assert_int_equal(pl_scenario_add_issue(changed, "extra", "Extra", 0, 1, NULL), PL_OK);
    c = NULL;
    assert_int_equal(pl_smp_compare_run(s, changed, PL_SMP_SAL_CAP, &o, NULL, &c), PL_EINVAL);
    assert_null(c);
    assert_int_equal(pl_smp_compare_run(NULL, changed, PL_SMP_SAL_CAP, &o, NULL, &c), PL_EINVAL);
    pl_scenario_free(changed);
    pl_scenario_free(s);
}

/* ------------------------------------------------------------------------
** Allocation failures: every one fails cleanly (ASan checks for leaks).
*/
static pl_status pipeline(void) {
    const char *csv = "S,d,4,2\nA,D,P,X,SX,Y,SY\n"
                      "a,,10,0,40,20,30\nb,,20,50,30,80,30\nc,,15,100,50,40,20\nd,,5,30,20,90,60\n";
    pl_diags *dg = NULL;
    pl_smp_data *d = NULL, *copy = NULL;
    pl_smp_result *r = NULL;
    char *out = NULL;
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.n_threads = 1; /* the failure injection counts from one thread */
    o.bargain = PL_SMP_BARGAIN_INIT_RCVR;
    o.pcem = PL_SMP_PCE_MARKOV_INCENTIVE;
    pl_status rc = pl_diags_new(&dg);
    if (rc == PL_OK) rc = pl_smp_read_ktab_buffer(csv, strlen(csv), "p.csv", dg, &d);
    if (rc == PL_OK) rc = pl_smp_data_clone(d, &copy);
    if (rc == PL_OK) rc = pl_smp_run(copy, &o, dg, &r);
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        rc = pl_smp_report(d, r, (pl_format)f, 7, &out);
        pl_free(out);
        out = NULL;
        if (rc == PL_OK) rc = pl_smp_report(d, r, (pl_format)f, 0, &out);
        pl_free(out);
        out = NULL;
    }
    if (rc == PL_OK) rc = pl_smp_data_to_ktab_csv(d, &out);
    pl_free(out);
    out = NULL;
    if (rc == PL_OK) rc = pl_smp_options_describe(&o, &out);
    pl_free(out);
    /* errors allocate too */
    if (rc == PL_OK) {
        pl_smp_data *bad = NULL;
        rc = pl_smp_read_ktab_buffer("S,d,9,1\nA,D,P,X,S\na,,1,200,10\n", 30, "b", dg, &bad);
        if (rc == PL_EINPUT || rc == PL_EPARSE) rc = PL_OK;
    }
    pl_smp_result_free(r);
    pl_smp_data_free(copy);
    pl_smp_data_free(d);
    pl_diags_free(dg);
    return rc;
}

static void test_alloc_failures(void **state) {
    (void)state;
    json_set_alloc_funcs(pl__malloc, pl__free);
    long n;
    int succeeded = 0;
    for (n = 0; n < 100000 && !succeeded; n++) {
        pl__alloc_fail_after(n);
        pl_status rc = pipeline();
        pl__alloc_fail_reset();
        if (rc == PL_OK) succeeded = 1;
        else if (rc != PL_ENOMEM) fail_msg("allocation %ld failed: status %d", n, rc);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(succeeded);
    assert_true(n > 50);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ktab_references),   cmocka_unit_test(test_ktab_turn_counts),
        cmocka_unit_test(test_by_hand),           cmocka_unit_test(test_vpm_by_hand),
        cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_stochastic_seeds),
        cmocka_unit_test(test_every_option),      cmocka_unit_test(test_quirks_matter),
        cmocka_unit_test(test_degenerate),        cmocka_unit_test(test_accommodation),
        cmocka_unit_test(test_interrupt),         cmocka_unit_test(test_options_text),
        cmocka_unit_test(test_reports),           cmocka_unit_test(test_scenario_run),
        cmocka_unit_test(test_compare),           cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_beyond_ktab_cap),   cmocka_unit_test(test_fast_sums),
        cmocka_unit_test(test_long_queues),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
