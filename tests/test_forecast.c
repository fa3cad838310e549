/*
** test_forecast.c: scenario-level forecasts -- the figures beside the
** models (spread, closest actors, blockers) and the degenerate cases.
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

/* Three actors on one issue [0, 100], status quo 0:
**   a: capability 1, position 10, salience 100 -> weight 100
**   b: capability 2, position 40, salience 50  -> weight 100
**   c: capability 1, position 100, salience 50 -> weight 50
** compromise = (1000 + 4000 + 5000) / 250 = 40
** median: cum 100, 200 (>= 125 at 40) -> 40
** sd = sqrt((100*900 + 100*0 + 50*3600) / 250) = sqrt(1080) */
static pl_scenario *three(void) {
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_new("three", "Three", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", "B", 2, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "c", "C", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 100, NULL), PL_OK);
    assert_int_equal(pl_scenario_set_status_quo(s, 0, 0), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 10, 100), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 0, 40, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 2, 0, 100, 50), PL_OK);
    return s;
}

static void test_three(void **state) {
    (void)state;
    pl_scenario *s = three();
    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    const pl_issue_forecast *fi = pl_forecast_issue(f, 0);
    assert_int_equal(fi->n_stakes, 3);
    assert_near(fi->value[PL_MODEL_COMPROMISE], 40, 1e-12);
    assert_near(fi->value[PL_MODEL_MEDIAN], 40, 0);
    assert_near(fi->sd_position, sqrt(1080), 1e-12);
    assert_near(fi->min_position, 10, 0);
    assert_near(fi->max_position, 100, 0);
    /* closest to 40: b (0), a (30), c (60) */
    assert_int_equal(fi->closest[0], 1);
    assert_int_equal(fi->closest[1], 0);
    assert_int_equal(fi->closest[2], 2);
    /* everybody is above the status quo 0: Nash moves, nobody blocks */
    assert_int_equal(fi->nash_blocked, 0);
    assert_int_equal(fi->n_blockers, 0);
    assert_true(fi->value[PL_MODEL_NASH] > 10 && fi->value[PL_MODEL_NASH] < 100);
    pl_forecast_free(f);

    /* Status quo 50: a and b are below it, so moving up toward ... the
    ** compromise 40 is a move down; c (100) blocks it. */
    assert_int_equal(pl_scenario_set_status_quo(s, 0, 50), PL_OK);
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    fi = pl_forecast_issue(f, 0);
    assert_int_equal(fi->nash_blocked, 1);
    assert_near(fi->value[PL_MODEL_NASH], 50, 0);
    assert_int_equal(fi->n_blockers, 1);
    assert_int_equal(fi->blockers[0], 2);
    pl_forecast_free(f);
    pl_scenario_free(s);
}

static void test_degenerate(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    pl_forecast *f = NULL;
    assert_int_equal(pl_scenario_new("d", "D", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", "B", 1, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "empty", "E", 0, 10, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "same", "S", 0, 10, NULL), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "zero", "Z", 0, 10, NULL), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 1, 3, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 1, 3, 70), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 2, 2, 0), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 2, 6, 0), PL_OK);
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    /* nobody holds a position: midpoint, no NaN */
    const pl_issue_forecast *fi = pl_forecast_issue(f, 0);
    for (int m = 0; m < PL_MODEL_COUNT; m++) assert_near(fi->value[m], 5, 0);
    /* everyone at 3: every model says 3, spread 0 */
    fi = pl_forecast_issue(f, 1);
    for (int m = 0; m < PL_MODEL_COUNT; m++) assert_near(fi->value[m], 3, 1e-9);
    assert_near(fi->sd_position, 0, 0);
    /* zero salience everywhere: equal weights */
    fi = pl_forecast_issue(f, 2);
    assert_near(fi->value[PL_MODEL_COMPROMISE], 4, 1e-12);
    assert_near(fi->value[PL_MODEL_MEDIAN], 2, 0);
    /* Nash without a status quo: each actor's far scale end is its
    ** disagreement point, so the solution lies strictly between them */
    assert_true(fi->value[PL_MODEL_NASH] > 2 && fi->value[PL_MODEL_NASH] < 6);
    for (int m = 0; m < PL_MODEL_COUNT; m++) assert_true(isfinite(fi->value[m]));
    pl_forecast_free(f);
    pl_scenario_free(s);
}

static void test_armistice_reports(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    pl_forecast *f = NULL;
    char *text = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    assert_int_equal(pl_forecast_n_issues(f), pl_scenario_n_issues(s));
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            assert_true(fi->value[m] >= is->min && fi->value[m] <= is->max);
            assert_true(fi->value[m] >= fi->min_position - 1e-9 || m == PL_MODEL_NASH);
        }
    }
    assert_int_equal(pl_report_forecast(s, f, PL_FORMAT_TEXT, &text), PL_OK);
    assert_non_null(strstr(text, "Compromise"));
    pl_free(text);
    assert_int_equal(pl_report_forecast(s, f, PL_FORMAT_CSV, &text), PL_OK);
    assert_non_null(strstr(text, "issue,name,n_stakes"));
    pl_free(text);
    pl_forecast_free(f);
    pl_scenario_free(s);
}

/* The EUM round by round on every issue (pl_eum_trace): each issue's run is
** pl_eum_run's on the actors with a stake in it, an issue without stakes
** has none, and the one-call report is the two steps. */
static void test_eum_trace(void **state) {
    (void)state;
    pl_scenario *s = three();
    assert_int_equal(pl_scenario_add_issue(s, "j", "J", 0, 10, NULL), PL_OK);
    pl_eum_options eo;
    pl_eum_options_init(&eo, PL_EUM_PRESET_BDM);
    eo.max_rounds = 7;
    eo.record = PL_EUM_RECORD_NONE; /* a trace records everything anyway */
    pl_eum_trace *t = NULL;
    assert_int_equal(pl_eum_trace_run(s, &eo, &t), PL_OK);
    assert_int_equal(pl_eum_trace_n_issues(t), 2);
    const size_t *actors = NULL;
    size_t n = 0;
    const pl_eum_result *res = pl_eum_trace_issue(t, 0, &actors, &n);
    assert_non_null(res);
    assert_int_equal(n, 3);
    for (size_t k = 0; k < n; k++) assert_int_equal(actors[k], k);
    double x[3] = {10, 40, 100}, cap[3] = {1, 2, 1}, sal[3] = {1, 0.5, 0.5};
    pl_eum_result *direct = NULL;
    eo.record = PL_EUM_RECORD_ALL;
    assert_int_equal(pl_eum_run(3, x, cap, sal, &eo, &direct), PL_OK);
    size_t rounds = pl_eum_result_n_rounds(direct);
    assert_int_equal(pl_eum_result_n_rounds(res), rounds);
    for (size_t r = 0; r <= rounds; r++)
        assert_memory_equal(pl_eum_result_positions(res, r), pl_eum_result_positions(direct, r),
                            3 * sizeof(double));
    size_t n_off = 0, n_off_direct = 0;
    pl_eum_result_offers(res, 1, &n_off);
    pl_eum_result_offers(direct, 1, &n_off_direct);
    assert_int_equal(n_off, n_off_direct);
    pl_eum_result_free(direct);
    assert_null(pl_eum_trace_issue(t, 1, &actors, &n));
    assert_int_equal(n, 0);
    assert_null(pl_eum_trace_issue(t, 2, &actors, &n));
    for (int f = 0; f < 3; f++)
        for (int offers = 0; offers < 2; offers++) {
            char *two = NULL, *one = NULL;
            assert_int_equal(pl_report_eum_trace(s, t, offers, (pl_format)f, &two), PL_OK);
            assert_int_equal(pl_report_eum(s, &eo, offers, (pl_format)f, &one), PL_OK);
            assert_string_equal(two, one);
            pl_free(two);
            pl_free(one);
        }
    /* a trace belongs to its scenario's issues */
    pl_scenario *other = three();
    char *text = NULL;
    assert_int_equal(pl_report_eum_trace(other, t, 0, PL_FORMAT_TEXT, &text), PL_EINVAL);
    assert_null(text);
    pl_scenario_free(other);
    pl_eum_trace_free(t);
    pl_eum_trace_free(NULL);
    assert_int_equal(pl_eum_trace_run(NULL, NULL, &t), PL_EINVAL);
    assert_int_equal(pl_eum_trace_run(s, NULL, NULL), PL_EINVAL);
    assert_int_equal(pl_eum_trace_n_issues(NULL), 0);
    pl_scenario_free(s);
}

static void test_model_names(void **state) {
    (void)state;
    pl_model m;
    assert_int_equal(pl_model_from_name("median", &m), PL_OK);
    assert_int_equal(m, PL_MODEL_MEDIAN);
    assert_string_equal(pl_model_name(PL_MODEL_NASH), "nash");
    assert_int_equal(pl_model_from_name("nope", &m), PL_ENOTFOUND);
    assert_null(pl_model_name((pl_model)99));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_armistice_reports),
        cmocka_unit_test(test_eum_trace),
        cmocka_unit_test(test_model_names),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
