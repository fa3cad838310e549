/*
** test_backtest.c: the DEU reader and the backtest against the reference
** figures published with ../shared/data/deu3 (README): mean absolute error
** of the compromise model 23.77, weighted median 28.73, unweighted mean
** 24.06, status quo 49.43 -- to the two decimals given.  Also: the sticky
** model's cross-validated error beats the compromise model's for every fold
** assignment tried, the intervals cover about what they aim to, and the
** DEU reader's errors point at the cell.
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

#define DEU "data/deu3/deu3-train.tsv"

static pl_scenario *load(void) {
    pl_scenario *s = NULL;
    pl_deu_stats st;
    pl_test_need_shared(DEU);
    pl_status rc = pl_scenario_load_deu_file(pl_test_shared(DEU), NULL, NULL, &s, &st);
    assert_int_equal(rc, PL_OK);
    assert_int_equal(st.n_rows, 228);
    assert_int_equal(st.n_no_outcome, 6);
    assert_int_equal(st.n_issues + st.n_few_positions, 222);
    return s;
}

static double mae(const pl_backtest *b, const pl_scenario *s, size_t row) {
    pl_backtest_stats st;
    assert_int_equal(pl_backtest_stats_get(b, s, row, NULL, -1, &st), PL_OK);
    return st.mae;
}

/* The progress convention (pl_progress_fn): a stop asked at once gives
** PL_EINTERRUPTED and no result. */
static int stop_now(void *ctx, double done, double total) {
    (void)done;
    *(double *)ctx = total;
    return 1;
}

static void test_progress_stop(void **state) {
    (void)state;
    pl_scenario *s = load();
    pl_backtest_options o;
    pl_backtest_options_init(&o);
    double total = 0;
    o.progress = stop_now;
    o.progress_ctx = &total;
    pl_backtest *b = NULL;
    assert_int_equal(pl_backtest_run(s, &o, &b), PL_EINTERRUPTED);
    assert_null(b);
    assert_true(total == (double)pl_scenario_n_issues(s));
    pl_scenario_free(s);
}

static void test_reference_figures(void **state) {
    (void)state;
    pl_scenario *s = load();
    pl_backtest *b = NULL;
    assert_int_equal(pl_backtest_run(s, NULL, &b), PL_OK);
    assert_int_equal(pl_backtest_n_issues(b), 222);
    assert_near(mae(b, s, PL_MODEL_COMPROMISE), 23.77, 0.005);
    assert_near(mae(b, s, PL_MODEL_MEDIAN), 28.73, 0.005);
    assert_near(mae(b, s, PL_MODEL_COUNT + 1), 24.06, 0.005); /* mean */
    assert_near(mae(b, s, PL_MODEL_COUNT), 49.43, 0.005);     /* status quo */
    pl_backtest_stats st;
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_COUNT, NULL, -1, &st), PL_OK);
    assert_int_equal(st.n, 156); /* issues with a reference point */
    /* breakdowns add up */
    pl_backtest_stats cod, cns;
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_COMPROMISE, "COD", -1, &cod), PL_OK);
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_COMPROMISE, "CNS", -1, &cns), PL_OK);
    assert_int_equal(cod.n + cns.n, 222);
    assert_near((cod.mae * (double)cod.n + cns.mae * (double)cns.n) / 222, 23.7747, 0.001);
    pl_backtest_free(b);
    pl_scenario_free(s);
}

static void test_sticky_beats_compromise(void **state) {
    (void)state;
    pl_scenario *s = load();
    for (unsigned long long seed = 1; seed <= 5; seed++) {
        pl_backtest_options o;
        pl_backtest_options_init(&o);
        o.seed = seed;
        pl_backtest *b = NULL;
        assert_int_equal(pl_backtest_run(s, &o, &b), PL_OK);
        double sticky = mae(b, s, PL_MODEL_STICKY), comp = mae(b, s, PL_MODEL_COMPROMISE);
        fprintf(stderr, "seed %llu: sticky (cv) %.3f, compromise %.3f\n", seed, sticky, comp);
        assert_true(sticky < comp - 0.2);
        /* the defaults are the parameters fitted on the whole file */
        const pl_sticky_params *p = pl_backtest_fitted(b, NULL);
        pl_forecast_options fo;
        pl_forecast_options_init(&fo);
        assert_near(p->tau_unanimity, fo.sticky.tau_unanimity, 1e-12);
        assert_near(p->tau_other, fo.sticky.tau_other, 1e-12);
        /* 80% intervals hold about 80% of the outcomes */
        for (size_t r = 0; r < pl_backtest_n_rows(); r++) {
            pl_backtest_stats st;
            assert_int_equal(pl_backtest_stats_get(b, s, r, NULL, -1, &st), PL_OK);
            assert_true(st.coverage > 0.7 && st.coverage < 0.9);
        }
        pl_backtest_free(b);
    }
    pl_scenario_free(s);
}

static void test_deterministic(void **state) {
    (void)state;
    pl_scenario *s = load();
    char *a = NULL, *c = NULL;
    pl_backtest *b1 = NULL, *b2 = NULL;
    assert_int_equal(pl_backtest_run(s, NULL, &b1), PL_OK);
    assert_int_equal(pl_backtest_run(s, NULL, &b2), PL_OK);
    assert_int_equal(pl_report_backtest(s, b1, PL_FORMAT_JSON, NULL, &a), PL_OK);
    assert_int_equal(pl_report_backtest(s, b2, PL_FORMAT_JSON, NULL, &c), PL_OK);
    assert_string_equal(a, c);
    pl_free(a);
    pl_free(c);
    pl_backtest_free(b1);
    pl_backtest_free(b2);
    pl_scenario_free(s);
}

static void test_deu_errors(void **state) {
    (void)state;
    const char *text = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tscom\tsde\trp\tout\n"
                       "\t\t\t\t29\t29\t\t\t\t\n"
                       "p1\ti1\tCOD\tQMV\t10\tx\t50\t50\t0\t20\n"
                       "p1\ti2\tCOD\tQMV\t10\t90\t50\t500\t0\t20\n"
                       "p1\ti3\tCOD\tQMV\t10\t90\t50\t50\t0\n";
    pl_diags *d = NULL;
    pl_scenario *s = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_scenario_load_deu_buffer(text, strlen(text), "t.tsv", NULL, d, &s, NULL),
                     PL_EINPUT);
    assert_null(s);
    assert_int_equal(pl_diags_errors(d), 3);
    assert_int_equal(pl_diags_get(d, 0)->line, 3);
    assert_int_equal(pl_diags_get(d, 0)->column, 18); /* the "x" (a tab is one column) */
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "expected a position from 0 to 100"));
    assert_int_equal(pl_diags_get(d, 1)->line, 4);
    assert_non_null(strstr(pl_diags_get(d, 1)->message, "salience"));
    assert_non_null(strstr(pl_diags_get(d, 2)->message, "expected 10 tab-separated columns"));
    pl_diags_clear(d);
    assert_int_equal(pl_scenario_load_deu_buffer("a\tb\n", 4, "t.tsv", NULL, d, &s, NULL),
                     PL_EINPUT);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "expected a column \"isnr\""));
    pl_diags_clear(d);
    /* capabilities */
    const char *ok = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tscom\tsde\trp\tout\n"
                     "p1\ti1\tCNS\tUnan\t10\t90\t50\t\t0\t20\n";
    assert_int_equal(
        pl_scenario_load_deu_buffer(ok, strlen(ok), "t.tsv", "de=3,com=1", d, &s, NULL), PL_OK);
    size_t a;
    assert_int_equal(pl_scenario_find_actor(s, "de", &a), PL_OK);
    assert_near(pl_scenario_actor(s, a)->capability, 3, 0);
    assert_int_equal(pl_scenario_issue(s, 0)->decision_rule, PL_RULE_UNANIMITY);
    assert_string_equal(pl_scenario_issue(s, 0)->procedure, "CNS");
    assert_string_equal(pl_scenario_issue(s, 0)->group, "p1");
    /* blank salience: a stake with salience 0 */
    assert_near(pl_scenario_stake(s, a, 0)->salience, 0, 0);
    pl_scenario_free(s);
    assert_int_equal(pl_scenario_load_deu_buffer(ok, strlen(ok), "t.tsv", "xx=3", d, &s, NULL),
                     PL_EINPUT);
    assert_int_equal(pl_scenario_load_deu_buffer(ok, strlen(ok), "t.tsv", "row", d, &s, NULL),
                     PL_EINPUT);
    pl_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_figures), cmocka_unit_test(test_sticky_beats_compromise),
        cmocka_unit_test(test_deterministic),     cmocka_unit_test(test_progress_stop),
        cmocka_unit_test(test_deu_errors),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
