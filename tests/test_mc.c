/*
** test_mc.c: Monte Carlo, sensitivity and what-if.  Results must be
** bit-identical for any thread count, follow the spreads they are given,
** and stop cleanly when cancelled.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

static pl_scenario *armistice(void) {
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    return s;
}

/* Run o on s to the end and return the JSON report (the caller frees it). */
static char *mc_json_with(const pl_scenario *s, const pl_mc_options *o) {
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, o, &mc), PL_OK);
    assert_int_equal(pl_mc_n_runs(mc), o->runs);
    assert_false(pl_mc_interrupted(mc));
    char *text = NULL;
    assert_int_equal(pl_report_mc(s, mc, PL_FORMAT_JSON, &text), PL_OK);
    pl_mc_free(mc);
    return text;
}

static char *mc_json(const pl_scenario *s, unsigned threads, size_t runs, unsigned long long seed) {
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = runs;
    o.seed = seed;
    o.n_threads = threads;
    return mc_json_with(s, &o);
}

/* Runs for three of src/mc.c's chunks (CHUNK, 512 runs; the last of one),
** so that a second worker really starts: the tests check it did. */
#define MC_RUNS (2 * 512 + 1)

static void test_threads_bit_identical(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    char *one, *two, *five;
    size_t h1, h2, h5;
    PL_TEST_HELPERS(one = mc_json(s, 1, MC_RUNS, 7), h1);
    PL_TEST_HELPERS(two = mc_json(s, 2, MC_RUNS, 7), h2);
    PL_TEST_HELPERS(five = mc_json(s, 5, MC_RUNS, 7), h5);
    assert_int_equal(h1, 0);
    assert_int_equal(h2, 1); /* two workers */
    assert_true(h5 >= 2);    /* at least three */
    assert_string_equal(one, two);
    assert_string_equal(one, five);
    char *other = mc_json(s, 2, MC_RUNS, 8);
    assert_string_not_equal(one, other); /* the seed matters */
    pl_free(one);
    pl_free(two);
    pl_free(five);
    pl_free(other);
    pl_scenario_free(s);
}

/* Two actors, equal weights, one issue [0, 100]: a at 20 fixed (sd 0), b's
** position uniform on [40, 80], no other uncertainty.  The compromise is
** (20 + x_b) / 2, uniform on [30, 50]: mean 40, median 40, p5 31, p95 49. */
static void test_follows_spreads(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_new("u", "U", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", "B", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 100, NULL), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 20, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 0, 60, 50), PL_OK);
    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    pl_spread uni = {PL_SPREAD_RANGE, 0, 40, 80}, zero = {PL_SPREAD_SD, 0, 0, 0};
    assert_int_equal(pl_scenario_set_position_spread(s, 1, 0, uni, zero), PL_OK);
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 20000;
    memset(o.models, 0, sizeof o.models);
    o.models[PL_MODEL_COMPROMISE] = 1;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    pl_mc_stats st;
    size_t hist[10];
    assert_int_equal(pl_mc_summary(mc, s, 0, PL_MODEL_COMPROMISE, &st, hist, NULL), PL_OK);
    assert_near(st.mean, 40, 0.2);
    assert_near(st.median, 40, 0.3);
    assert_near(st.p5, 31, 0.3);
    assert_near(st.p95, 49, 0.3);
    assert_near(st.p10, 32, 0.3); /* the 80% band of the HTML report */
    assert_near(st.p90, 48, 0.3);
    assert_true(st.min >= 30 && st.max <= 50);
    /* bins of 10 points: everything in [30, 40) and [40, 50] */
    assert_int_equal(hist[0] + hist[1] + hist[2], 0);
    assert_int_equal(hist[3] + hist[4], 20000);
    /* a model that was not run */
    assert_int_equal(pl_mc_summary(mc, s, 0, PL_MODEL_MEDIAN, &st, NULL, NULL), PL_EINVAL);
    /* the raw values: every run's forecast, whose statistics are the summary's */
    double *v = malloc(20000 * sizeof *v);
    assert_non_null(v);
    assert_int_equal(pl_mc_values(mc, 0, PL_MODEL_MEDIAN, v), PL_EINVAL);
    assert_int_equal(pl_mc_values(mc, 1, PL_MODEL_COMPROMISE, v), PL_EINVAL);
    assert_int_equal(pl_mc_values(mc, 0, PL_MODEL_COMPROMISE, v), PL_OK);
    double sum = 0, lo = v[0], hi = v[0];
    for (size_t r = 0; r < 20000; r++) {
        sum += v[r];
        if (v[r] < lo) lo = v[r];
        if (v[r] > hi) hi = v[r];
    }
    assert_near(sum / 20000, st.mean, 1e-9);
    assert_true(lo == st.min && hi == st.max);
    /* run r draws from the stream (seed, r): the same values in a later range */
    pl_mc_options later = o;
    later.first_run = 19990;
    later.runs = 10;
    pl_mc *tail = NULL;
    double w[10];
    assert_int_equal(pl_mc_run(s, &later, &tail), PL_OK);
    assert_int_equal(pl_mc_values(tail, 0, PL_MODEL_COMPROMISE, w), PL_OK);
    assert_memory_equal(w, v + 19990, sizeof w);
    pl_mc_free(tail);
    free(v);
    pl_mc_free(mc);
    pl_scenario_free(s);
}

static void test_no_spread_no_variation(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 50;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++)
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            pl_mc_stats st;
            assert_int_equal(pl_mc_summary(mc, s, i, (pl_model)m, &st, NULL, NULL), PL_OK);
            assert_true(st.min == st.max);
            /* every model, the EUM's batches included, gives each run
            ** exactly the point forecast */
            assert_true(st.min == pl_forecast_issue(f, i)->value[m]);
        }
    pl_mc_free(mc);
    pl_forecast_free(f);
    pl_scenario_free(s);
}

/* A scenario the EUM's lane engine does not cover in one issue (20 actors)
** and does in the other (5): the Monte Carlo runs the first issue run by
** run through the general engine, the second in batches.  Both: the same
** results for 1 and 3 threads, and with no spread the point forecast
** exactly; the across-positions risk norm (not covered by the lane engine)
** likewise. */
static pl_scenario *big_and_small(void) {
    pl_scenario *s = NULL;
    size_t big, small, a;
    assert_int_equal(pl_scenario_new("mixed", "Mixed sizes", &s), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "big", "Big", 0, 100, &big), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "small", "Small", 0, 10, &small), PL_OK);
    for (int k = 0; k < 20; k++) {
        char id[16];
        snprintf(id, sizeof id, "a%d", k);
        assert_int_equal(pl_scenario_add_actor(s, id, id, 1 + k % 7, &a), PL_OK);
        assert_int_equal(pl_scenario_set_position(s, a, big, (k * 37) % 101, 20 + (k * 13) % 80),
                         PL_OK);
        if (k < 5) assert_int_equal(pl_scenario_set_position(s, a, small, (k * 3) % 11, 50), PL_OK);
    }
    return s;
}

static char *mc_eum_json(const pl_scenario *s, unsigned threads, pl_eum_risk_norm norm) {
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = MC_RUNS;
    o.n_threads = threads;
    o.forecast.eum.risk_norm = norm;
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        o.models[m] = m == PL_MODEL_EUM || m == PL_MODEL_EUM_MEAN;
    return mc_json_with(s, &o);
}

static void test_eum_engines(void **state) {
    (void)state;
    pl_scenario *s = big_and_small();
    for (int norm = 0; norm < 2; norm++) {
        char *one = mc_eum_json(s, 1, (pl_eum_risk_norm)norm), *three;
        size_t helpers;
        PL_TEST_HELPERS(three = mc_eum_json(s, 3, (pl_eum_risk_norm)norm), helpers);
        assert_int_equal(helpers, 2); /* three workers */
        assert_string_equal(one, three);
        pl_free(one);
        pl_free(three);
    }
    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    for (int norm = 0; norm < 2; norm++) {
        pl_forecast_options fo;
        pl_forecast_options_init(&fo);
        fo.eum.risk_norm = (pl_eum_risk_norm)norm;
        pl_mc_options o;
        pl_mc_options_init(&o);
        o.runs = 10;
        o.forecast = fo;
        pl_mc *mc = NULL;
        assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
        for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
            pl_issue_input in;
            double pos[32], cap[32], sal[32];
            size_t actors[32];
            assert_true(pl_scenario_issue_input(s, i, pos, cap, sal, actors, &in) > 0);
            for (int m = PL_MODEL_EUM; m <= PL_MODEL_EUM_MEAN; m++) {
                double want;
                pl_mc_stats st;
                assert_int_equal(pl_model_forecast((pl_model)m, &in, &fo, &want), PL_OK);
                assert_int_equal(pl_mc_summary(mc, s, i, (pl_model)m, &st, NULL, NULL), PL_OK);
                assert_true(st.min == want && st.max == want);
            }
        }
        pl_mc_free(mc);
    }
    pl_scenario_free(s);
}

/* The progress convention (pl_progress_fn): a callback that stops at once,
** one that stops after some runs, one that never stops. */
/* Exactly equal doubles (a stop asked or not, the same bits). */
#define same_bits(a, b) assert_true((a) == (b))

typedef struct progress_log {
    int calls;
    double last_done, total;
    double stop_after; /* stop once done >= this */
} progress_log;

static int log_progress(void *ctx, double done, double total) {
    progress_log *l = ctx;
    l->calls++;
    l->last_done = done;
    l->total = total;
    return done >= l->stop_after;
}

static void test_cancel(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 1000;
    progress_log log = {0, -1, 0, 0};
    o.progress = log_progress;
    o.progress_ctx = &log;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_EINTERRUPTED);
    assert_null(mc);
    assert_int_equal(log.calls, 1); /* called as the run starts, and stopped it */
    same_bits(log.last_done, 0);
    same_bits(log.total, 1000);
    o.runs = (size_t)1 << 60; /* would not fit in memory */
    o.progress = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_ERANGE);
    pl_scenario_free(s);
}

/* A callback that never stops changes nothing; one that stops midway
** leaves a finished prefix, equal to the same runs made alone. */
static void test_progress_stop_midway(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 20000;
    o.n_threads = 2;
    pl_mc *plain = NULL, *watched = NULL, *cut = NULL, *alone = NULL;
    assert_int_equal(pl_mc_run(s, &o, &plain), PL_OK);
    progress_log never = {0, -1, 0, 1e300};
    o.progress = log_progress;
    o.progress_ctx = &never;
    assert_int_equal(pl_mc_run(s, &o, &watched), PL_OK);
    assert_true(never.calls >= 1);
    assert_false(pl_mc_interrupted(watched));
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        pl_mc_stats a, b;
        assert_int_equal(pl_mc_summary(plain, s, i, PL_MODEL_EUM, &a, NULL, NULL), PL_OK);
        assert_int_equal(pl_mc_summary(watched, s, i, PL_MODEL_EUM, &b, NULL, NULL), PL_OK);
        same_bits(a.mean, b.mean);
        same_bits(a.sd, b.sd);
    }
    /* stop after the first call that sees some runs done: slow the
    ** callback's clock down by asking for many runs */
    o.runs = 2000000;
    o.exact_bytes = (size_t)1 << 30; /* kept exact, to compare with a short run bit for bit */
    progress_log some = {0, -1, 0, 1};
    o.progress_ctx = &some;
    pl_status rc = pl_mc_run(s, &o, &cut);
    assert_int_equal(rc, PL_OK);
    assert_true(pl_mc_interrupted(cut));
    size_t k = pl_mc_n_runs(cut);
    assert_true(k >= 1 && k < o.runs);
    o.runs = k;
    o.progress = NULL;
    assert_int_equal(pl_mc_run(s, &o, &alone), PL_OK);
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        pl_mc_stats a, b;
        assert_int_equal(pl_mc_summary(cut, s, i, PL_MODEL_COMPROMISE, &a, NULL, NULL), PL_OK);
        assert_int_equal(pl_mc_summary(alone, s, i, PL_MODEL_COMPROMISE, &b, NULL, NULL), PL_OK);
        same_bits(a.mean, b.mean);
        same_bits(a.p95, b.p95);
    }
    pl_mc_free(plain);
    pl_mc_free(watched);
    pl_mc_free(cut);
    pl_mc_free(alone);
    pl_scenario_free(s);
}

static void test_sensitivity_stop(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_sensitivity_options so;
    pl_sensitivity_options_init(&so);
    progress_log log = {0, -1, 0, 0};
    so.progress = log_progress;
    so.progress_ctx = &log;
    pl_sensitivity *sens = NULL;
    assert_int_equal(pl_sensitivity_run(s, PL_MODEL_EUM, &so, &sens), PL_EINTERRUPTED);
    assert_null(sens);
    assert_int_equal(log.calls, 1);
    assert_true(log.total >= 3);
    /* one that never stops: the same swings as without */
    progress_log never = {0, -1, 0, 1e300};
    so.progress_ctx = &never;
    pl_sensitivity *a = NULL, *b = NULL;
    assert_int_equal(pl_sensitivity_run(s, PL_MODEL_EUM, &so, &a), PL_OK);
    assert_int_equal(pl_sensitivity_run(s, PL_MODEL_EUM, NULL, &b), PL_OK);
    size_t na, nb;
    const pl_swing *wa = pl_sensitivity_swings(a, 0, &na), *wb = pl_sensitivity_swings(b, 0, &nb);
    assert_int_equal(na, nb);
    for (size_t k = 0; k < na; k++) same_bits(wa[k].swing, wb[k].swing);
    pl_sensitivity_free(a);
    pl_sensitivity_free(b);
    pl_scenario_free(s);
}

/* A long EUM run (many actors) polls its callback inside the run and stops. */
static void test_eum_stop(void **state) {
    (void)state;
    enum { N = 600 };
    double *x = malloc(N * sizeof *x), *c = malloc(N * sizeof *c), *sal = malloc(N * sizeof *sal);
    assert_non_null(x);
    assert_non_null(c);
    assert_non_null(sal);
    for (int i = 0; i < N; i++) {
        x[i] = (double)((i * 37) % 101);
        c[i] = 1 + (double)(i % 7);
        sal[i] = 0.3 + 0.7 * (double)(i % 5) / 5;
    }
    pl_eum_options eo;
    pl_eum_options_init(&eo, PL_EUM_PRESET_SCHOLZ);
    eo.max_rounds = 3;
    progress_log log = {0, -1, 0, 0};
    eo.progress = log_progress;
    eo.progress_ctx = &log;
    pl_eum_result *r = NULL;
    assert_int_equal(pl_eum_run(N, x, c, sal, &eo, &r), PL_EINTERRUPTED);
    assert_null(r);
    assert_int_equal(log.calls, 1);
    same_bits(log.total, 3);
    /* never stopping: the same run as without a callback */
    progress_log never = {0, -1, 0, 1e300};
    eo.progress_ctx = &never;
    pl_eum_result *a = NULL, *b = NULL;
    assert_int_equal(pl_eum_run(N, x, c, sal, &eo, &a), PL_OK);
    eo.progress = NULL;
    assert_int_equal(pl_eum_run(N, x, c, sal, &eo, &b), PL_OK);
    assert_int_equal(pl_eum_result_n_rounds(a), pl_eum_result_n_rounds(b));
    size_t t = pl_eum_result_n_rounds(a);
    same_bits(pl_eum_result_mean(a, t), pl_eum_result_mean(b, t));
    same_bits(pl_eum_result_median(a, t), pl_eum_result_median(b, t));
    pl_eum_result_free(a);
    pl_eum_result_free(b);
    free(x);
    free(c);
    free(sal);
}

/* Sensitivity by hand: a (cap 1, sal 50) at 20 and b (cap 1, sal 50) at
** 60; b's position has range [40, 80], everything else no spread.  The
** compromise swings from 30 to 50 (swing 20) with b's position and does not
** move otherwise. */
static void test_sensitivity(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_new("u", "U", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", "B", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 100, NULL), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 20, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 0, 60, 50), PL_OK);
    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    pl_spread uni = {PL_SPREAD_RANGE, 0, 40, 80}, zero = {PL_SPREAD_NONE, 0, 0, 0};
    assert_int_equal(pl_scenario_set_position_spread(s, 1, 0, uni, zero), PL_OK);
    pl_sensitivity *sens = NULL;
    assert_int_equal(pl_sensitivity_run(s, PL_MODEL_COMPROMISE, NULL, &sens), PL_OK);
    size_t n;
    const pl_swing *w = pl_sensitivity_swings(sens, 0, &n);
    assert_int_equal(n, 6);
    assert_int_equal(w[0].actor, 1);
    assert_int_equal(w[0].what, 0);
    assert_near(w[0].forecast_low, 30, 1e-12);
    assert_near(w[0].forecast_high, 50, 1e-12);
    assert_near(w[0].swing, 20, 1e-12);
    for (size_t k = 1; k < n; k++) assert_near(w[k].swing, 0, 1e-12);
    char *text = NULL;
    assert_int_equal(pl_report_sensitivity(s, sens, 3, PL_FORMAT_TEXT, &text), PL_OK);
    assert_non_null(strstr(text, "40.0..80.0"));
    pl_free(text);
    pl_sensitivity_free(sens);
    pl_scenario_free(s);
}

static void test_whatif(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    size_t a, i;
    assert_int_equal(pl_whatif_set(s, "russia.nato.position=30", "--set", d), PL_OK);
    assert_int_equal(pl_scenario_find_actor(s, "russia", &a), PL_OK);
    assert_int_equal(pl_scenario_find_issue(s, "nato", &i), PL_OK);
    assert_near(pl_scenario_stake(s, a, i)->position, 30, 0);
    assert_int_equal(pl_whatif_set(s, "russia.nato.salience=5", "--set", d), PL_OK);
    assert_near(pl_scenario_stake(s, a, i)->salience, 5, 0);
    assert_int_equal(pl_whatif_set(s, "russia.capability=1", "--set", d), PL_OK);
    assert_near(pl_scenario_actor(s, a)->capability, 1, 0);
    assert_int_equal(pl_whatif_set(s, "russia.nato=none", "--set", d), PL_OK);
    assert_null(pl_scenario_stake(s, a, i));
    size_t n_actors = pl_scenario_n_actors(s), n_pos = pl_scenario_n_positions(s);
    assert_int_equal(pl_whatif_drop(s, "china", "--drop", d), PL_OK);
    assert_int_equal(pl_scenario_n_actors(s), n_actors - 1);
    assert_true(pl_scenario_n_positions(s) < n_pos);
    for (size_t k = 0; k < pl_scenario_n_positions(s); k++)
        assert_true(pl_scenario_position(s, k)->actor < n_actors - 1);
    assert_int_equal(pl_whatif_add(s, "eu:European Union:40", "--add", d), PL_OK);
    assert_int_equal(pl_whatif_set(s, "eu.nato.position=80", "--set", d), PL_OK);
    assert_int_equal(pl_scenario_find_actor(s, "eu", &a), PL_OK);
    assert_near(pl_scenario_stake(s, a, i)->salience, 50, 0);
    assert_int_equal(pl_diags_count(d), 0);
    /* errors */
    assert_int_equal(pl_whatif_set(s, "nobody.nato.position=1", "--set", d), PL_EINPUT);
    assert_int_equal(pl_whatif_set(s, "eu.nato.position=1000", "--set", d), PL_EINPUT);
    assert_int_equal(pl_whatif_set(s, "eu.nato.posit=1", "--set", d), PL_EINPUT);
    assert_int_equal(pl_whatif_set(s, "eu.nato.position", "--set", d), PL_EINPUT);
    assert_int_equal(pl_whatif_set(s, "eu.capability=-1", "--set", d), PL_EINPUT);
    assert_int_equal(pl_whatif_drop(s, "china", "--drop", d), PL_EINPUT);
    assert_int_equal(pl_whatif_add(s, "eu:again:1", "--add", d), PL_EINPUT);
    assert_int_equal(pl_whatif_add(s, "x:y", "--add", d), PL_EINPUT);
    assert_int_equal(pl_diags_errors(d), 8);
    assert_non_null(
        strstr(pl_diags_get(d, 1)->message, "expected a position on the scale [0, 100]"));
    assert_int_equal(pl_diags_get(d, 1)->column, 18);
    pl_diags_free(d);
    /* the changed scenario still forecasts */
    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    pl_forecast_free(f);
    pl_scenario_free(s);
}

static void test_spreads_in_json(void **state) {
    (void)state;
    const char *text =
        "{\"id\": \"t\", \"name\": \"T\", \"uncertainty\": {\"position_sd_share\": 0.1, \"salience_sd\": 5},\n"
        " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"capability\": 2, \"assumption\": \"x\",\n"
        "               \"capability_spread\": {\"range\": [1, 3]}},\n"
        "              {\"id\": \"b\", \"name\": \"B\", \"capability\": 1, \"assumption\": \"x\"}],\n"
        " \"issues\": [{\"id\": \"i\", \"name\": \"I\", \"scale\": {\"min\": 0, \"max\": 10, \"min_label\": \"a\", \"max_label\": \"b\"}}],\n"
        " \"positions\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 2, \"salience\": 50, \"assumption\": \"x\",\n"
        "                  \"position_spread\": {\"sd\": 1.5}, \"salience_spread\": {\"range\": [40, 60]}},\n"
        "                 {\"actor\": \"b\", \"issue\": \"i\", \"position\": 8, \"salience\": 50, \"assumption\": \"x\"}]}\n";
    pl_scenario *s = NULL, *back = NULL;
    assert_int_equal(pl_scenario_load_buffer(text, strlen(text), "t", NULL, &s), PL_OK);
    const pl_position *p = pl_scenario_stake(s, 0, 0);
    assert_int_equal(p->position_spread.kind, PL_SPREAD_SD);
    assert_near(p->position_spread.sd, 1.5, 0);
    assert_int_equal(p->salience_spread.kind, PL_SPREAD_RANGE);
    assert_int_equal(pl_scenario_actor(s, 0)->capability_spread.kind, PL_SPREAD_RANGE);
    assert_true(pl_scenario_uncertainty(s)->given);
    assert_near(pl_scenario_uncertainty(s)->position_sd_share, 0.1, 0);
    char *json = NULL;
    assert_int_equal(pl_report_scenario(s, PL_FORMAT_JSON, &json), PL_OK);
    assert_int_equal(pl_scenario_load_buffer(json, strlen(json), "rt", NULL, &back), PL_OK);
    assert_near(pl_scenario_stake(back, 0, 0)->salience_spread.hi, 60, 0);
    pl_free(json);
    pl_scenario_free(back);
    pl_scenario_free(s);
    /* bad spreads */
    const char *bad[] = {"{\"range\": [3, 5]}",
                         "{\"sd\": -1}",
                         "{\"sd\": 1, \"range\": [0, 9]}",
                         "{}",
                         "{\"range\": [0]}",
                         "7"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char t[2048];
        const char *at = strstr(text, "{\"sd\": 1.5}");
        size_t head = (size_t)(at - text);
        memcpy(t, text, head);
        t[head] = 0;
        strcat(t, bad[k]);
        strcat(t, at + strlen("{\"sd\": 1.5}"));
        pl_diags *d = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        assert_int_equal(pl_scenario_load_buffer(t, strlen(t), "t", d, &s), PL_EINPUT);
        assert_int_equal(pl_diags_get(d, 0)->line, 7);
        pl_diags_free(d);
    }
}

/* |a - b| <= tol in double precision. */
static void near(double a, double b, double tol) {
    if (!(fabs(a - b) <= tol)) fail_msg("%.17g and %.17g differ by more than %g", a, b, tol);
}

/* The SMP as a Monte Carlo model: with no spread every run is the point
** forecast's SMP exactly; with spreads the results are the same for 1 and
** 3 threads over several chunks, and the other models' figures are those
** of a run without the SMP (it draws after them). */
static void test_smp_model(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_model m;
    assert_int_equal(pl_mc_model_from_name("smp", &m), PL_OK);
    assert_int_equal(m, PL_MC_SMP);
    assert_string_equal(pl_mc_model_name(PL_MC_SMP), "smp");
    pl_mc_options o;
    pl_mc_options_init(&o);
    assert_int_equal(o.models[PL_MC_SMP], 0); /* not by default */
    o.runs = 40;                              /* 5 chunks of the SMP's 8 runs */
    o.seed = 11;
    o.models[PL_MC_SMP] = 1;
    o.n_threads = 1;
    char *one = mc_json_with(s, &o);
    o.n_threads = 3;
    char *three = mc_json_with(s, &o);
    assert_string_equal(one, three);
    assert_non_null(strstr(one, "\"smp\""));
    o.models[PL_MC_SMP] = 0;
    char *without = mc_json_with(s, &o);
    /* the compromise model's block is the same with and without the SMP */
    const char *c1 = strstr(one, "\"compromise\""), *c2 = strstr(without, "\"compromise\"");
    assert_non_null(c1);
    assert_non_null(c2);
    assert_memory_equal(c1, c2, 200);
    pl_free(one);
    pl_free(three);
    pl_free(without);
    /* stochastic transitions: each run's SMP seed comes from its stream */
    pl_smp_options so;
    pl_smp_options_init(&so);
    assert_int_equal(pl_smp_options_set(&so, "transitions", "Stochastic"), PL_OK);
    o.smp = &so;
    o.models[PL_MC_SMP] = 1;
    o.n_threads = 1;
    one = mc_json_with(s, &o);
    o.n_threads = 3;
    three = mc_json_with(s, &o);
    assert_string_equal(one, three);
    o.seed = 12;
    char *other = mc_json_with(s, &o);
    assert_string_not_equal(one, other);
    pl_free(one);
    pl_free(three);
    pl_free(other);
    o.smp = NULL;

    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    memset(o.models, 0, sizeof o.models);
    o.models[PL_MC_SMP] = 1;
    o.runs = 9;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        pl_mc_stats st;
        assert_int_equal(pl_mc_summary(mc, s, i, PL_MC_SMP, &st, NULL, NULL), PL_OK);
        assert_true(pl_forecast_issue(f, i)->has_smp);
        assert_true(st.min == st.max);
        assert_true(st.min == pl_forecast_issue(f, i)->smp_mode);
    }
    pl_mc_free(mc);
    pl_forecast_free(f);
    /* a scenario the SMP cannot take (2 actors) is refused, not ignored */
    pl_scenario *small = NULL;
    assert_int_equal(pl_scenario_new("two", "Two", &small), PL_OK);
    assert_int_equal(pl_scenario_add_actor(small, "a", "A", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(small, "b", "B", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(small, "i", "I", 0, 100, NULL), PL_OK);
    assert_int_equal(pl_scenario_set_position(small, 0, 0, 20, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(small, 1, 0, 60, 50), PL_OK);
    assert_int_equal(pl_mc_run(small, &o, &mc), PL_EINPUT);
    assert_null(mc);
    pl_scenario_free(small);
    pl_scenario_free(s);
}

static pl_mc *run_mc(const pl_scenario *s, size_t runs, unsigned threads, size_t exact_bytes,
                     unsigned long long first_run) {
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = runs;
    o.seed = 5;
    o.n_threads = threads;
    o.exact_bytes = exact_bytes;
    o.first_run = first_run;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    assert_int_equal(pl_mc_n_runs(mc), runs);
    return mc;
}

/* Beyond exact_bytes the runs are summarised: the same figures for 1 and 3
** threads, bit for bit; the exact run's figures within one bin of the
** quantiles (mean and sd to rounding, min, max and histogram exactly);
** and two halves merged give the figures of the whole. */
static void test_summarised(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    size_t runs = 5000; /* ~10 chunks */
    pl_mc *exact = run_mc(s, runs, 2, 0, 0);
    pl_mc *one = run_mc(s, runs, 1, 4096, 0), *three = run_mc(s, runs, 3, 4096, 0);
    pl_mc *lo = run_mc(s, 2048, 2, 4096, 0), *hi = run_mc(s, runs - 2048, 3, 4096, 2048);
    assert_false(pl_mc_summarised(exact));
    assert_true(pl_mc_summarised(one));
    double no_values[8];
    assert_int_equal(pl_mc_values(one, 0, PL_MODEL_COMPROMISE, no_values), PL_ERANGE);
    assert_int_equal(pl_mc_merge(hi, lo), PL_EINVAL); /* out of order */
    assert_int_equal(pl_mc_merge(lo, hi), PL_OK);
    assert_int_equal(pl_mc_n_runs(lo), runs);
    assert_int_equal(pl_mc_merge(exact, hi), PL_EINVAL); /* exact and summarised do not merge */
    size_t bins = pl_mc_bins(exact), h[4][64];
    double sh[4][16];
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        double width = (is->max - is->min) / PL_MC_QUANTILE_BINS;
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            pl_mc_stats e, a, b, c;
            assert_int_equal(pl_mc_summary(exact, s, i, (pl_model)m, &e, h[0], sh[0]), PL_OK);
            assert_int_equal(pl_mc_summary(one, s, i, (pl_model)m, &a, h[1], sh[1]), PL_OK);
            assert_int_equal(pl_mc_summary(three, s, i, (pl_model)m, &b, h[2], sh[2]), PL_OK);
            assert_int_equal(pl_mc_summary(lo, s, i, (pl_model)m, &c, h[3], sh[3]), PL_OK);
            assert_memory_equal(&a, &b, sizeof a); /* threads */
            assert_memory_equal(&a, &c, sizeof a); /* merged halves */
            assert_memory_equal(h[1], h[2], bins * sizeof(size_t));
            assert_memory_equal(h[1], h[3], bins * sizeof(size_t));
            assert_memory_equal(h[0], h[1], bins * sizeof(size_t));
            for (size_t k = 0; k < is->n_options; k++) near(sh[0][k], sh[1][k], 1e-9);
            assert_true(a.min == e.min);
            assert_true(a.max == e.max);
            near(a.mean, e.mean, 1e-9 * (is->max - is->min));
            near(a.sd, e.sd, 1e-7 * (is->max - is->min));
            near(a.median, e.median, width);
            near(a.p5, e.p5, width);
            near(a.p95, e.p95, width);
            near(a.p10, e.p10, width);
            near(a.p90, e.p90, width);
        }
    }
    char *text = NULL;
    assert_int_equal(pl_report_mc(s, one, PL_FORMAT_TEXT, &text), PL_OK);
    assert_non_null(strstr(text, "Summarised"));
    pl_free(text);
    assert_int_equal(pl_report_mc(s, exact, PL_FORMAT_TEXT, &text), PL_OK);
    assert_null(strstr(text, "Summarised"));
    pl_free(text);
    pl_mc_free(exact);
    pl_mc_free(one);
    pl_mc_free(three);
    pl_mc_free(lo);
    pl_mc_free(hi);
    pl_scenario_free(s);
}

/* The runs first .. first + count - 1 of a sweep of `total`, as a
** partial result read back from its text. */
static pl_part *part_of(const pl_scenario *s, size_t exact_bytes, unsigned long long first,
                        unsigned long long count, unsigned long long total) {
    static const char *const names[] = {"--runs"}, *const values[] = {"x"};
    pl_part_info info = {"forecast", 0, NULL, 1, names, values, "digest", first, count, total};
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = (size_t)count;
    o.first_run = first;
    o.sweep_runs = (size_t)total;
    o.seed = 5;
    o.exact_bytes = exact_bytes;
    pl_mc *mc = NULL;
    char *text = NULL;
    pl_part *part = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    assert_int_equal(pl_part_write_mc(&info, mc, &text), PL_OK);
    assert_int_equal(pl_part_load_buffer(text, strlen(text), "part.json", NULL, &part), PL_OK);
    assert_int_equal(pl_part_info_of(part)->first, first);
    pl_free(text);
    pl_mc_free(mc);
    return part;
}

/* A sweep's ranges written, read back and joined in any order: the same
** reports, byte for byte, as one run over all of them -- every value kept
** and summarised (sweep_runs summarises a one-run range as the whole);
** a gap, an overlap and another sweep refused. */
static void test_parts_join(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    size_t budgets[2] = {0, 4096};
    for (int b = 0; b < 2; b++) {
        size_t runs = 3000;
        pl_mc *whole = run_mc(s, runs, 2, budgets[b], 0), *joined = NULL;
        pl_part *p[4] = {part_of(s, budgets[b], 1, 1999, runs), part_of(s, budgets[b], 0, 1, runs),
                         part_of(s, budgets[b], 2000, 1000, runs),
                         part_of(s, budgets[b], 1500, 600, runs)};
        assert_int_equal(pl_part_join_mc((const pl_part *const *)p, 3, NULL, &joined), PL_OK);
        assert_int_equal(pl_mc_summarised(joined), b == 1);
        for (int f = PL_FORMAT_TEXT; f <= PL_FORMAT_CSV; f++) {
            char *x = NULL, *y = NULL;
            assert_int_equal(pl_report_mc(s, whole, (pl_format)f, &x), PL_OK);
            assert_int_equal(pl_report_mc(s, joined, (pl_format)f, &y), PL_OK);
            assert_string_equal(x, y);
            pl_free(x);
            pl_free(y);
        }
        pl_mc_free(joined);
        pl_diags *d = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        assert_int_equal(pl_part_join_mc((const pl_part *const *)p, 2, d, &joined), PL_EINPUT);
        assert_null(joined);
        assert_non_null(strstr(pl_diags_get(d, 0)->message, "cover every run"));
        assert_int_equal(pl_part_join_mc((const pl_part *const *)p, 4, d, &joined), PL_EINPUT);
        assert_non_null(strstr(pl_diags_get(d, 1)->message, "overlap"));
        pl_diags_free(d);
        for (int k = 0; k < 4; k++) pl_part_free(p[k]);
        pl_mc_free(whole);
    }
    pl_part *a = part_of(s, 0, 0, 10, 20), *c = part_of(s, 0, 10, 10, 30), *two[2] = {a, c};
    pl_mc *joined = NULL;
    assert_int_equal(pl_part_join_mc((const pl_part *const *)two, 2, NULL, &joined), PL_EINPUT);
    pl_part_free(a);
    pl_part_free(c);
    pl_scenario_free(s);
}

/* Ctrl-C in summarised runs: the runs reported are a finished prefix, the
** same figures as a run asked for that many. */
static int stop_soon(void *ctx, double done, double total) {
    (void)ctx;
    (void)total;
    return done >= 4096; /* a few chunks in */
}

static void test_summarised_cancel(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 50000000; /* minutes: stopped after a few chunks */
    o.seed = 5;        /* run_mc's */
    o.n_threads = 3;
    o.exact_bytes = 4096;
    o.progress = stop_soon;
    pl_mc *cut = NULL;
    assert_int_equal(pl_mc_run(s, &o, &cut), PL_OK);
    assert_true(pl_mc_interrupted(cut));
    assert_true(pl_mc_summarised(cut));
    size_t k = pl_mc_n_runs(cut);
    assert_true(k > 0 && k < o.runs);
    pl_mc *whole = run_mc(s, k, 2, 4096, 0);
    assert_true(pl_mc_summarised(whole));
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++)
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            pl_mc_stats a, b;
            size_t ha[16], hb[16];
            assert_int_equal(pl_mc_summary(whole, s, i, (pl_model)m, &b, hb, NULL), PL_OK);
            assert_int_equal(pl_mc_summary(cut, s, i, (pl_model)m, &a, ha, NULL), PL_OK);
            assert_memory_equal(&a, &b, sizeof a);
            assert_memory_equal(ha, hb, pl_mc_bins(cut) * sizeof(size_t));
        }
    pl_mc_free(whole);
    pl_mc_free(cut);
    pl_scenario_free(s);
}

/* A what-if scenario carries its changes, and the reports state them. */
static void test_changes_stated(void **state) {
    (void)state;
    pl_scenario *s = armistice(), *c = NULL;
    assert_int_equal(pl_scenario_clone(s, &c), PL_OK);
    assert_int_equal(pl_whatif_set(c, "russia.nato.position=30", "--set", NULL), PL_OK);
    assert_int_equal(pl_whatif_drop(c, "china", "--drop", NULL), PL_OK);
    assert_int_equal(pl_whatif_set(c, "russia.capability=2", "--set", NULL), PL_OK);
    pl_scenario *c2 = NULL;
    assert_int_equal(pl_scenario_clone(c, &c2), PL_OK); /* copied with it */
    assert_int_equal(pl_scenario_n_changes(c2), 3);
    const pl_change *ch = pl_scenario_change(c2, 0);
    assert_string_equal(ch->op, "set");
    assert_string_equal(ch->actor, "russia");
    assert_string_equal(ch->issue, "nato");
    assert_string_equal(ch->what, "position");
    assert_true(ch->has_from && ch->from == 0 && ch->has_to && ch->to == 30);
    assert_string_equal(pl_scenario_change(c2, 1)->op, "drop");
    assert_string_equal(pl_scenario_change(c2, 1)->actor, "china");
    assert_null(pl_scenario_change(c2, 3));
    assert_int_equal(pl_scenario_n_changes(s), 0);
    pl_forecast *fb = NULL, *fc = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &fb), PL_OK);
    assert_int_equal(pl_forecast_run(c2, NULL, &fc), PL_OK);
    char *text = NULL;
    assert_int_equal(pl_report_compare(s, fb, c2, fc, PL_FORMAT_JSON, &text), PL_OK);
    assert_non_null(strstr(text, "\"changes\""));
    assert_non_null(strstr(text, "\"op\": \"drop\""));
    pl_free(text);
    assert_int_equal(pl_report_compare(s, fb, c2, fc, PL_FORMAT_CSV, &text), PL_OK);
    assert_true(strncmp(text, "# change: set russia.nato.position: 0 -> 30\n", 44) == 0);
    pl_free(text);
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 10;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(c2, &o, &mc), PL_OK);
    assert_int_equal(pl_report_mc(c2, mc, PL_FORMAT_TEXT, &text), PL_OK);
    assert_non_null(strstr(text, "Changes (3"));
    assert_non_null(strstr(text, "set russia.capability: "));
    pl_free(text);
    pl_mc_free(mc);
    pl_forecast_free(fb);
    pl_forecast_free(fc);
    pl_scenario_free(c2);
    pl_scenario_free(c);
    pl_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_follows_spreads),
        cmocka_unit_test(test_no_spread_no_variation),
        cmocka_unit_test(test_eum_engines),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_progress_stop_midway),
        cmocka_unit_test(test_sensitivity_stop),
        cmocka_unit_test(test_eum_stop),
        cmocka_unit_test(test_sensitivity),
        cmocka_unit_test(test_whatif),
        cmocka_unit_test(test_spreads_in_json),
        cmocka_unit_test(test_smp_model),
        cmocka_unit_test(test_summarised),
        cmocka_unit_test(test_summarised_cancel),
        cmocka_unit_test(test_parts_join),
        cmocka_unit_test(test_changes_stated),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
