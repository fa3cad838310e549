/*
** test_exchange_uncertainty.c: the exchange model in the Monte Carlo
** (analysis/mc.c, PL_MC_EXCHANGE) and in the sensitivity analysis
** (analysis/sensitivity.c): runs with no spread give the plain exchange
** forecast; results are the same for 1, 2 and 3 threads (p = 0 and the
** randomised p > 0); a swing is the two forecasts of the scenario with the
** input set to its ends, run directly; linked issues are swung across their
** group and not beyond it.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "parley.h"
#include "pl_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pl_scenario *armistice(void) {
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    return s;
}

/* Two groups of two issues (g1: a, b; g2: c, d) and an issue alone (e),
** four actors, unequal saliences so that they trade. */
static const char *GROUPED =
    "{\"id\": \"g\", \"name\": \"Grouped\", \"actors\": [\n"
    " {\"id\": \"p\", \"name\": \"P\", \"capability\": 30},\n"
    " {\"id\": \"q\", \"name\": \"Q\", \"capability\": 20},\n"
    " {\"id\": \"r\", \"name\": \"R\", \"capability\": 25},\n"
    " {\"id\": \"t\", \"name\": \"T\", \"capability\": 10}],\n"
    "\"issues\": [\n"
    " {\"id\": \"a\", \"name\": \"A\", \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"lo\", \"max_label\": \"hi\"}, \"group\": \"g1\"},\n"
    " {\"id\": \"c\", \"name\": \"C\", \"scale\": {\"min\": 0, \"max\": 10, \"min_label\": \"lo\", \"max_label\": \"hi\"}, \"group\": \"g2\"},\n"
    " {\"id\": \"b\", \"name\": \"B\", \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"lo\", \"max_label\": \"hi\"}, \"group\": \"g1\"},\n"
    " {\"id\": \"d\", \"name\": \"D\", \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"lo\", \"max_label\": \"hi\"}, \"group\": \"g2\"},\n"
    " {\"id\": \"e\", \"name\": \"E\", \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"lo\", \"max_label\": \"hi\"}, \"group\": \"g3\"}],\n"
    "\"positions\": [\n"
    " {\"actor\": \"p\", \"issue\": \"a\", \"position\": 10, \"salience\": 90},\n"
    " {\"actor\": \"p\", \"issue\": \"b\", \"position\": 90, \"salience\": 20},\n"
    " {\"actor\": \"q\", \"issue\": \"a\", \"position\": 80, \"salience\": 30},\n"
    " {\"actor\": \"q\", \"issue\": \"b\", \"position\": 15, \"salience\": 80},\n"
    " {\"actor\": \"r\", \"issue\": \"a\", \"position\": 50, \"salience\": 50},\n"
    " {\"actor\": \"r\", \"issue\": \"b\", \"position\": 40, \"salience\": 60},\n"
    " {\"actor\": \"p\", \"issue\": \"c\", \"position\": 2, \"salience\": 70},\n"
    " {\"actor\": \"t\", \"issue\": \"c\", \"position\": 9, \"salience\": 30},\n"
    " {\"actor\": \"p\", \"issue\": \"d\", \"position\": 70, \"salience\": 25},\n"
    " {\"actor\": \"t\", \"issue\": \"d\", \"position\": 5, \"salience\": 85},\n"
    " {\"actor\": \"q\", \"issue\": \"d\", \"position\": 40, \"salience\": 50},\n"
    " {\"actor\": \"r\", \"issue\": \"e\", \"position\": 30, \"salience\": 50},\n"
    " {\"actor\": \"t\", \"issue\": \"e\", \"position\": 60, \"salience\": 50}]}\n";

static pl_scenario *grouped(void) {
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_buffer(GROUPED, strlen(GROUPED), "grouped.json", NULL, &s),
                     PL_OK);
    return s;
}

static pl_mc *mc_exchange(const pl_scenario *s, size_t runs, unsigned threads,
                          const pl_exchange_options *xo, int with_others) {
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = runs;
    o.seed = 7;
    o.n_threads = threads;
    if (!with_others) memset(o.models, 0, sizeof o.models);
    o.models[PL_MC_EXCHANGE] = 1;
    o.exchange = xo;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_OK);
    assert_int_equal(pl_mc_n_runs(mc), runs);
    return mc;
}

static void test_names(void **state) {
    (void)state;
    pl_model m;
    assert_int_equal(pl_mc_model_from_name("exchange", &m), PL_OK);
    assert_int_equal(m, PL_MC_EXCHANGE);
    assert_string_equal(pl_mc_model_name(PL_MC_EXCHANGE), "exchange");
    assert_string_equal(pl_mc_model_name(PL_MC_SMP), "smp");
    assert_null(pl_mc_model_name((pl_model)PL_MC_N_MODELS));
    pl_mc_options o;
    pl_mc_options_init(&o);
    assert_int_equal(o.models[PL_MC_EXCHANGE], 0); /* not run by default */
    assert_null(o.exchange);
}

/* With no spread every run is the scenario itself: each run's forecast is
** the plain exchange forecast (to 1e-12; it is the same computation), for
** the rounds asked, on the armistice (one group) and on groups. */
static void no_spread_is_plain(pl_scenario *s, unsigned rounds) {
    pl_uncertainty none = {1, 0, 0, 0};
    assert_int_equal(pl_scenario_set_uncertainty(s, &none), PL_OK);
    pl_exchange_options xo;
    pl_exchange_options_init(&xo);
    xo.rounds = rounds;
    size_t ni = pl_scenario_n_issues(s);
    double *plain = calloc(ni, sizeof(double)), *values = calloc(20, sizeof(double));
    assert_non_null(plain);
    assert_non_null(values);
    size_t made = 0;
    assert_int_equal(pl_exchange_forecast_scenario(s, &xo, plain, &made), PL_OK);
    assert_true(made > 0); /* the test means something: exchanges happen */
    pl_mc *mc = mc_exchange(s, 20, 2, &xo, 1);
    size_t np, nsal, ncap;
    pl_mc_perturbed(mc, &np, &nsal, &ncap);
    assert_int_equal(np + nsal + ncap, 0);
    for (size_t i = 0; i < ni; i++) {
        assert_int_equal(pl_mc_values(mc, i, PL_MC_EXCHANGE, values), PL_OK);
        for (size_t r = 0; r < 20; r++) assert_near(values[r], plain[i], 1e-12);
        pl_mc_stats st;
        assert_int_equal(pl_mc_summary(mc, s, i, PL_MC_EXCHANGE, &st, NULL, NULL), PL_OK);
        assert_near(st.sd, 0, 1e-12);
        assert_near(st.median, plain[i], 1e-12);
    }
    pl_mc_free(mc);
    free(plain);
    free(values);
}

static void test_no_spread_armistice(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    no_spread_is_plain(s, 10);
    /* one group: the plain forecast is pl_exchange_run on the whole scenario */
    pl_exchange_data *d = NULL;
    pl_exchange_result *res = NULL;
    assert_int_equal(pl_exchange_data_from_scenario(s, NULL, &d), PL_OK);
    assert_int_equal(pl_exchange_run(d, NULL, &res), PL_OK);
    pl_mc *mc = mc_exchange(s, 3, 1, NULL, 0);
    double v[3];
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        assert_int_equal(pl_mc_values(mc, i, PL_MC_EXCHANGE, v), PL_OK);
        assert_near(v[2], pl_exchange_result_forecast(res, i), 1e-12);
    }
    pl_mc_free(mc);
    pl_exchange_result_free(res);
    pl_exchange_data_free(d);
    pl_scenario_free(s);
}

static void test_no_spread_rounds_and_groups(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    no_spread_is_plain(s, 3);
    pl_scenario_free(s);
    s = grouped();
    no_spread_is_plain(s, 10);
    pl_scenario_free(s);
}

/* The same figures, bit for bit, for 1, 2 and 3 threads; with the
** randomised model too (its draws come from each run's stream); the other
** models' figures do not change when the exchange model runs beside them. */
static void test_threads(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    size_t ni = pl_scenario_n_issues(s), runs = 40;
    double *a = calloc(runs, sizeof(double)), *b = calloc(runs, sizeof(double));
    assert_non_null(a);
    assert_non_null(b);
    for (int randomised = 0; randomised < 2; randomised++) {
        pl_exchange_options xo;
        pl_exchange_options_init(&xo);
        xo.p = randomised ? 0.5 : 0;
        pl_mc *one = mc_exchange(s, runs, 1, &xo, 0);
        for (unsigned t = 2; t <= 3; t++) {
            pl_mc *many = mc_exchange(s, runs, t, &xo, 1);
            for (size_t i = 0; i < ni; i++) {
                assert_int_equal(pl_mc_values(one, i, PL_MC_EXCHANGE, a), PL_OK);
                assert_int_equal(pl_mc_values(many, i, PL_MC_EXCHANGE, b), PL_OK);
                assert_memory_equal(a, b, runs * sizeof(double));
            }
            pl_mc_free(many);
        }
        pl_mc_free(one);
    }
    /* p > 0 gives other runs than p = 0, and the runs vary */
    pl_exchange_options xo;
    pl_exchange_options_init(&xo);
    pl_mc *det = mc_exchange(s, runs, 2, &xo, 0);
    xo.p = 0.5;
    pl_mc *rnd = mc_exchange(s, runs, 2, &xo, 0);
    int differ = 0;
    for (size_t i = 0; i < ni; i++) {
        assert_int_equal(pl_mc_values(det, i, PL_MC_EXCHANGE, a), PL_OK);
        assert_int_equal(pl_mc_values(rnd, i, PL_MC_EXCHANGE, b), PL_OK);
        differ |= memcmp(a, b, runs * sizeof(double)) != 0;
        pl_mc_stats st;
        assert_int_equal(pl_mc_summary(det, s, i, PL_MC_EXCHANGE, &st, NULL, NULL), PL_OK);
        assert_true(st.min >= pl_scenario_issue(s, i)->min);
        assert_true(st.max <= pl_scenario_issue(s, i)->max);
    }
    assert_true(differ);
    pl_mc_free(det);
    pl_mc_free(rnd);
    /* the compromise model's runs are the same beside the exchange model */
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = runs;
    o.seed = 7;
    memset(o.models, 0, sizeof o.models);
    o.models[PL_MODEL_COMPROMISE] = 1;
    pl_mc *alone = NULL, *beside = mc_exchange(s, runs, 2, NULL, 1);
    assert_int_equal(pl_mc_run(s, &o, &alone), PL_OK);
    for (size_t i = 0; i < ni; i++) {
        assert_int_equal(pl_mc_values(alone, i, PL_MODEL_COMPROMISE, a), PL_OK);
        assert_int_equal(pl_mc_values(beside, i, PL_MODEL_COMPROMISE, b), PL_OK);
        assert_memory_equal(a, b, runs * sizeof(double));
    }
    pl_mc_free(alone);
    pl_mc_free(beside);
    free(a);
    free(b);
    pl_scenario_free(s);
}

/* Summarised runs (tiny exact_bytes) agree with the exact ones: the mean
** within the rounding, the median within a bin. */
static void test_summarised(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_mc *exact = mc_exchange(s, 64, 2, NULL, 0);
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 64;
    o.seed = 7;
    o.n_threads = 2;
    o.exact_bytes = 64;
    memset(o.models, 0, sizeof o.models);
    o.models[PL_MC_EXCHANGE] = 1;
    pl_mc *sum = NULL;
    assert_int_equal(pl_mc_run(s, &o, &sum), PL_OK);
    assert_true(pl_mc_summarised(sum));
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        pl_mc_stats x, y;
        assert_int_equal(pl_mc_summary(exact, s, i, PL_MC_EXCHANGE, &x, NULL, NULL), PL_OK);
        assert_int_equal(pl_mc_summary(sum, s, i, PL_MC_EXCHANGE, &y, NULL, NULL), PL_OK);
        double bin = (is->max - is->min) / PL_MC_QUANTILE_BINS;
        assert_near(x.mean, y.mean, 1e-6 * (is->max - is->min));
        assert_near(x.median, y.median, bin);
        assert_true(x.min == y.min && x.max == y.max);
    }
    pl_mc_free(exact);
    pl_mc_free(sum);
    pl_scenario_free(s);
}

/* Bad exchange options are refused. */
static void test_bad_options(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    pl_exchange_options xo;
    pl_exchange_options_init(&xo);
    xo.rounds = 0;
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 4;
    o.models[PL_MC_EXCHANGE] = 1;
    o.exchange = &xo;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_EINVAL);
    assert_null(mc);
    xo.rounds = 10;
    xo.p = 1.5;
    assert_int_equal(pl_mc_run(s, &o, &mc), PL_EINVAL);
    pl_scenario_free(s);
}

/* ------------------------------------------------------------------------
** Sensitivity
*/
/* The forecast of every issue of s with one input set (what: 0 position,
** 1 salience, 2 capability) to v, run directly. */
static void direct(const pl_scenario *s, size_t actor, size_t issue, int what, double v,
                   const pl_exchange_options *xo, double *forecast) {
    pl_scenario *c = NULL;
    assert_int_equal(pl_scenario_clone(s, &c), PL_OK);
    char spec[256];
    const char *aid = pl_scenario_actor(s, actor)->id;
    if (what == 2) snprintf(spec, sizeof spec, "%s.capability=%.17g", aid, v);
    else
        snprintf(spec, sizeof spec, "%s.%s.%s=%.17g", aid, pl_scenario_issue(s, issue)->id,
                 what ? "salience" : "position", v);
    assert_int_equal(pl_whatif_set(c, spec, "test", NULL), PL_OK);
    assert_int_equal(pl_exchange_forecast_scenario(c, xo, forecast, NULL), PL_OK);
    pl_scenario_free(c);
}

static void swings_are_direct_runs(pl_scenario *s, const pl_exchange_options *xo) {
    pl_sensitivity_options so;
    pl_sensitivity_options_init(&so);
    so.exchange = xo;
    pl_sensitivity *sens = NULL;
    assert_int_equal(pl_sensitivity_run(s, PL_MC_EXCHANGE, &so, &sens), PL_OK);
    size_t ni = pl_scenario_n_issues(s);
    double *lo = calloc(ni, sizeof(double)), *hi = calloc(ni, sizeof(double));
    assert_non_null(lo);
    assert_non_null(hi);
    size_t checked = 0, moved = 0;
    for (size_t i = 0; i < ni; i++) {
        size_t n;
        const pl_swing *sw = pl_sensitivity_swings(sens, i, &n);
        for (size_t k = 0; k < n; k++) {
            if (k) assert_true(sw[k].swing <= sw[k - 1].swing); /* largest first */
            if (k % 3 && k + 1 != n) continue; /* every third swing, and the smallest */
            direct(s, sw[k].actor, sw[k].issue, sw[k].what, sw[k].low, xo, lo);
            direct(s, sw[k].actor, sw[k].issue, sw[k].what, sw[k].high, xo, hi);
            assert_near(sw[k].forecast_low, lo[i], 1e-9);
            assert_near(sw[k].forecast_high, hi[i], 1e-9);
            assert_near(sw[k].swing, fabs(hi[i] - lo[i]), 1e-9);
            moved += sw[k].swing > 1e-6;
            checked++;
        }
    }
    assert_true(checked > 10);
    assert_true(moved > 0);
    free(lo);
    free(hi);
    pl_sensitivity_free(sens);
}

static void test_sensitivity_direct(void **state) {
    (void)state;
    pl_scenario *s = armistice();
    swings_are_direct_runs(s, NULL);
    pl_exchange_options xo;
    pl_exchange_options_init(&xo);
    xo.rounds = 2;
    swings_are_direct_runs(s, &xo);
    pl_scenario_free(s);
}

/* On groups: an issue's swings are its group's inputs (both issues' stakes
** and the capability of each actor in the group), never another group's;
** an issue alone keeps its compromise and swings with its own inputs. */
static void test_sensitivity_groups(void **state) {
    (void)state;
    pl_scenario *s = grouped();
    swings_are_direct_runs(s, NULL);
    pl_sensitivity *sens = NULL;
    assert_int_equal(pl_sensitivity_run(s, PL_MC_EXCHANGE, NULL, &sens), PL_OK);
    size_t a, b, c, d, e;
    assert_int_equal(pl_scenario_find_issue(s, "a", &a), PL_OK);
    assert_int_equal(pl_scenario_find_issue(s, "b", &b), PL_OK);
    assert_int_equal(pl_scenario_find_issue(s, "c", &c), PL_OK);
    assert_int_equal(pl_scenario_find_issue(s, "d", &d), PL_OK);
    assert_int_equal(pl_scenario_find_issue(s, "e", &e), PL_OK);
    size_t n;
    const pl_swing *sw = pl_sensitivity_swings(sens, a, &n);
    assert_int_equal(n, 2 * 6 + 3); /* g1: six stakes, three actors */
    for (size_t k = 0; k < n; k++)
        assert_true(sw[k].issue == a || sw[k].issue == b || sw[k].issue == SIZE_MAX);
    sw = pl_sensitivity_swings(sens, d, &n);
    assert_int_equal(n, 2 * 5 + 3); /* g2: five stakes, actors p, q, t */
    for (size_t k = 0; k < n; k++)
        assert_true(sw[k].issue == c || sw[k].issue == d || sw[k].issue == SIZE_MAX);
    sw = pl_sensitivity_swings(sens, e, &n);
    assert_int_equal(n, 2 * 2 + 2);
    pl_sensitivity_free(sens);
    /* other models' sensitivity is unchanged by the exchange model's slot */
    assert_int_equal(pl_sensitivity_run(s, (pl_model)PL_MC_SMP, NULL, &sens), PL_EINVAL);
    pl_scenario_free(s);
}

/* ------------------------------------------------------------------------
** The runs kept for the report, and the report's section
*/
static void test_scenario_runs(void **state) {
    (void)state;
    for (int k = 0; k < 2; k++) {
        pl_scenario *s = k ? grouped() : armistice();
        size_t ni = pl_scenario_n_issues(s), made = 0;
        double *plain = calloc(ni, sizeof(double));
        assert_non_null(plain);
        assert_int_equal(pl_exchange_forecast_scenario(s, NULL, plain, &made), PL_OK);
        pl_exchange_scenario *x = NULL;
        assert_int_equal(pl_exchange_scenario_run(s, NULL, &x), PL_OK);
        assert_int_equal(pl_exchange_scenario_n_issues(x), ni);
        assert_int_equal(pl_exchange_scenario_n_exchanges(x), made);
        assert_int_equal(pl_exchange_scenario_n_groups(x), k ? 3 : 1);
        for (size_t i = 0; i < ni; i++)
            assert_true(pl_exchange_scenario_forecast(x, i) == plain[i]);
        size_t seen = 0, counted = 0;
        for (size_t g = 0; g < pl_exchange_scenario_n_groups(x); g++) {
            const pl_exchange_data *d;
            const size_t *issues;
            size_t n;
            const pl_exchange_result *r = pl_exchange_scenario_group(x, g, &d, &issues, &n);
            assert_non_null(r);
            for (size_t m = 0; m < n; m++) {
                assert_string_equal(pl_exchange_data_issue(d, m),
                                    pl_scenario_issue(s, issues[m])->id);
                assert_true(pl_exchange_result_forecast(r, m) == plain[issues[m]]);
            }
            seen += n;
            for (size_t t = 1; t <= pl_exchange_result_n_rounds(r); t++) {
                size_t e;
                pl_exchange_result_exchanges(r, t, &e);
                counted += e;
            }
        }
        assert_int_equal(seen, ni);
        assert_int_equal(counted, made);
        assert_null(pl_exchange_scenario_group(x, 99, NULL, NULL, NULL));
        /* the report tells it: the section, the first exchange in words */
        pl_forecast *f = NULL;
        assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.scenario = s;
        fig.forecast = f;
        char *html = NULL;
        assert_int_equal(pl_report_html(&fig, &html), PL_OK);
        assert_null(strstr(html, "id=\"exchange\"")); /* not given, not shown */
        pl_free(html);
        fig.exchange = x;
        assert_int_equal(pl_report_html(&fig, &html), PL_OK);
        assert_non_null(strstr(html, "<section id=\"exchange\"><h2>Trading across issues</h2>"));
        if (!k) {
            assert_non_null(strstr(html, "<li><strong>Ukraine</strong> moves its vote on "
                                         "<em>Sanctions relief and US-Russia economic deals</em> "
                                         "from 5 to 100, and <strong>Russia</strong> its vote on "
                                         "<em>Third-party security guarantees for Ukraine</em> "
                                         "from 20 to 68.32: each gains 2.999"));
        } else {
            assert_non_null(strstr(html, "Issues traded together: A, B"));
            assert_non_null(strstr(html, "it keeps its compromise"));
        }
        pl_free(html);
        pl_forecast_free(f);
        pl_exchange_scenario_free(x);
        free(plain);
        pl_scenario_free(s);
    }
}

/* ------------------------------------------------------------------------
** Failing the Nth allocation: every new path fails cleanly with PL_ENOMEM
** (the sanitizer build checks that nothing leaks)
*/
static pl_status pipeline(const pl_scenario *s) {
    pl_exchange_options xo;
    pl_exchange_options_init(&xo);
    xo.rounds = 1;
    pl_mc_options o;
    pl_mc_options_init(&o);
    o.runs = 2;
    o.n_threads = 1;
    o.exchange = &xo;
    memset(o.models, 0, sizeof o.models);
    o.models[PL_MC_EXCHANGE] = 1;
    o.models[PL_MODEL_COMPROMISE] = 1;
    pl_mc *mc = NULL, *sum = NULL;
    pl_sensitivity *sens = NULL;
    pl_exchange_scenario *x = NULL;
    pl_forecast *f = NULL;
    char *text = NULL;
    pl_status rc = pl_mc_run(s, &o, &mc);
    o.exact_bytes = 64;
    if (rc == PL_OK) rc = pl_mc_run(s, &o, &sum);
    for (int fmt = 0; rc == PL_OK && fmt < 3; fmt++) {
        rc = pl_report_mc(s, sum, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
    }
    pl_sensitivity_options so;
    pl_sensitivity_options_init(&so);
    so.exchange = &xo;
    if (rc == PL_OK) rc = pl_sensitivity_run(s, PL_MC_EXCHANGE, &so, &sens);
    for (int fmt = 0; rc == PL_OK && fmt < 3; fmt++) {
        rc = pl_report_sensitivity(s, sens, 0, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
    }
    if (rc == PL_OK) rc = pl_exchange_scenario_run(s, &xo, &x);
    if (rc == PL_OK) rc = pl_forecast_run(s, NULL, &f);
    if (rc == PL_OK) {
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.scenario = s;
        fig.forecast = f;
        fig.exchange = x;
        fig.sensitivity = sens;
        fig.sensitivity_model = PL_MC_EXCHANGE;
        rc = pl_report_html(&fig, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_svg(&fig, PL_CHART_TORNADO, &text);
        pl_free(text);
    }
    pl_forecast_free(f);
    pl_exchange_scenario_free(x);
    pl_sensitivity_free(sens);
    pl_mc_free(sum);
    pl_mc_free(mc);
    return rc;
}

static void test_failure_points(void **state) {
    (void)state;
    pl_scenario *s = grouped();
    int succeeded = 0;
    long n;
    for (n = 0; n < 1000000 && !succeeded; n++) {
        pl__alloc_fail_after(n);
        pl_status rc = pipeline(s);
        pl__alloc_fail_reset();
        if (rc == PL_OK) succeeded = 1;
        else if (rc != PL_ENOMEM)
            fail_msg("allocation %ld failed: status %d, expected PL_ENOMEM", n, rc);
    }
    assert_true(succeeded);
    assert_true(n > 100);
    assert_int_equal(pipeline(s), PL_OK);
    pl_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_no_spread_armistice),
        cmocka_unit_test(test_no_spread_rounds_and_groups),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_summarised),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_sensitivity_direct),
        cmocka_unit_test(test_sensitivity_groups),
        cmocka_unit_test(test_scenario_runs),
        cmocka_unit_test(test_failure_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
