/*
** test_alloc.c: fail the Nth allocation everywhere -- loading, forecasting,
** reporting -- and check that each call fails cleanly with PL_ENOMEM (the
** sanitizer build checks that nothing leaks), then succeeds once memory is
** there again.  jansson is routed through the same failing allocator.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/alloc.h"
#include "parley.h"
#include "pl_test.h"

/* The whole pipeline; returns the first failing status. */
static pl_status pipeline(void) {
    pl_diags *d = NULL;
    pl_scenario *s = NULL, *copy = NULL;
    pl_forecast *f = NULL;
    char *text = NULL;
    pl_status rc = pl_diags_new(&d);
    if (rc == PL_OK) rc = pl_scenario_load_builtin("armistice-2025", d, &s);
    if (rc == PL_OK) rc = pl_scenario_clone(s, &copy);
    if (rc == PL_OK) rc = pl_forecast_run(copy, NULL, &f);
    for (int fmt = 0; rc == PL_OK && fmt < 3; fmt++) {
        rc = pl_report_forecast(s, f, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_scenario(s, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_validation("x", s, d, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
    }
    /* a file with errors: the diagnostics themselves allocate */
    const char *bad = "{\"id\": 1, \"name\": 2, \"actors\": [{}], \"issues\": []}";
    if (rc == PL_OK) {
        pl_scenario *t = NULL;
        rc = pl_scenario_load_buffer(bad, strlen(bad), "bad", d, &t);
        if (rc == PL_EINPUT) rc = PL_OK;
        pl_scenario_free(t);
    }
    pl_forecast_free(f);
    pl_scenario_free(copy);
    pl_scenario_free(s);
    pl_diags_free(d);
    return rc;
}

static void test_every_failure_point(void **state) {
    (void)state;
    json_set_alloc_funcs(pl__malloc, pl__free);
    long n;
    int succeeded = 0;
    for (n = 0; n < 200000 && !succeeded; n++) {
        pl__alloc_fail_after(n);
        pl_status rc = pipeline();
        long used = pl__alloc_count();
        pl__alloc_fail_reset();
        if (rc == PL_OK) {
            succeeded = 1;
            assert_true(used <= n + 1);
        } else if (rc != PL_ENOMEM) {
            fail_msg("allocation %ld failed: status %d, expected PL_ENOMEM", n, rc);
        }
    }
    assert_true(succeeded);
    assert_true(n > 50);
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(pipeline(), PL_OK);
}

/* The uncertainty, comparison and model-detail reports on a small
** scenario built in code. */
static pl_status pipeline_reports(void) {
    pl_scenario *s = NULL, *copy = NULL;
    pl_forecast *f = NULL, *fc = NULL;
    pl_mc *mc = NULL;
    pl_sensitivity *sens = NULL;
    char *text = NULL;
    size_t i;
    pl_status rc = pl_scenario_new("t", "T", &s);
    if (rc == PL_OK) rc = pl_scenario_add_actor(s, "a", "A", 2, NULL);
    if (rc == PL_OK) rc = pl_scenario_add_actor(s, "b", "B", 1, NULL);
    if (rc == PL_OK) rc = pl_scenario_add_actor(s, "c", "C", 1, NULL);
    if (rc == PL_OK) rc = pl_scenario_add_issue(s, "i", "I", 0, 100, &i);
    if (rc == PL_OK) rc = pl_scenario_set_status_quo(s, i, 0);
    if (rc == PL_OK) rc = pl_scenario_set_position(s, 0, i, 20, 50);
    if (rc == PL_OK) rc = pl_scenario_set_position(s, 1, i, 70, 80);
    if (rc == PL_OK) rc = pl_scenario_set_position(s, 2, i, 90, 30);
    if (rc == PL_OK) rc = pl_scenario_clone(s, &copy);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "a.i.position=40", "--set", NULL);
    if (rc == PL_OK) rc = pl_forecast_run(s, NULL, &f);
    if (rc == PL_OK) rc = pl_forecast_run(copy, NULL, &fc);
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 3;
    mo.n_threads = 1;
    if (rc == PL_OK) rc = pl_mc_run(s, &mo, &mc);
    /* the SMP in the runs, summarised, and its what-if comparison */
    pl_mc_options ms = mo;
    ms.runs = 2;
    ms.exact_bytes = 64;
    ms.models[PL_MC_SMP] = 1;
    pl_mc *msum = NULL;
    if (rc == PL_OK) rc = pl_mc_run(copy, &ms, &msum);
    for (int fmt = 0; rc == PL_OK && fmt < 3; fmt++) {
        rc = pl_report_mc(copy, msum, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
    }
    if (rc == PL_OK)
        rc = pl_smp_report_compare(s, copy, PL_SMP_SAL_CAP, NULL, NULL, PL_FORMAT_JSON, &text);
    pl_free(text);
    text = NULL;
    pl_mc_free(msum);
    if (rc == PL_OK) rc = pl_sensitivity_run(s, PL_MODEL_COMPROMISE, NULL, &sens);
    for (int fmt = 0; rc == PL_OK && fmt < 3; fmt++) {
        rc = pl_report_compare(s, f, copy, fc, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_mc(s, mc, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_sensitivity(s, sens, 0, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
        if (rc == PL_OK) rc = pl_report_eum(s, NULL, 1, (pl_format)fmt, &text);
        pl_free(text);
        text = NULL;
    }
    pl_sensitivity_free(sens);
    pl_mc_free(mc);
    pl_forecast_free(f);
    pl_forecast_free(fc);
    pl_scenario_free(copy);
    pl_scenario_free(s);
    return rc;
}

static void test_reports_failure_points(void **state) {
    (void)state;
    json_set_alloc_funcs(pl__malloc, pl__free);
    int succeeded = 0;
    for (long n = 0; n < 200000 && !succeeded; n++) {
        pl__alloc_fail_after(n);
        pl_status rc = pipeline_reports();
        long used = pl__alloc_count();
        pl__alloc_fail_reset();
        if (rc == PL_OK) {
            /* success only when no allocation failed: a failure must never
            ** pass for a (partial) result */
            succeeded = 1;
            assert_true(used <= n + 1);
        } else if (rc != PL_ENOMEM)
            fail_msg("allocation %ld failed: status %d, expected PL_ENOMEM", n, rc);
    }
    assert_true(succeeded);
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(pipeline_reports(), PL_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_failure_point),
        cmocka_unit_test(test_reports_failure_points),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
