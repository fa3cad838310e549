/*
** test_report.c: the HTML report and the SVG charts (src/report/report_html.c,
** report_charts.c) and the figures made for them.
**
** - The built-in scenario's report: one issue chart per issue, a dot per
**   stake, every actor named, every <svg> with its <title>, nothing loaded
**   from elsewhere, under 1.5 MB; the Monte Carlo band is the runs' p10-p90.
** - pl_report_svg: one SVG document, a chart per issue; PL_EINVAL without
**   figures for the charts asked.
** - pl_deals_sample: every package in enumeration order when they fit (the
**   utilities pl_space_utility gives), a seeded sample otherwise (the same
**   for the same seed).
** - pl_smp_data_to_scenario: KTAB data back into the model gives the same
**   positions and saliences.
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

#include "parley.h"
#include "pl_test.h"

static size_t count(const char *text, const char *what) {
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what)) n++;
    return n;
}

static void test_builtin_html(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_forecast *f = NULL;
    pl_mc *mc = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 200;
    assert_int_equal(pl_mc_run(s, &mo, &mc), PL_OK);
    pl_report_figures fig;
    pl_report_figures_init(&fig);
    char *html = NULL;
    assert_int_equal(pl_report_html(&fig, &html), PL_EINVAL);
    fig.scenario = s;
    assert_int_equal(pl_report_html(&fig, &html), PL_EINVAL); /* no forecast */
    fig.forecast = f;
    fig.mc = mc;
    assert_int_equal(pl_report_html(&fig, &html), PL_OK);
    size_t ni = pl_scenario_n_issues(s);
    assert_true(ni >= 7);
    assert_int_equal(count(html, "class=\"chart issue-chart\""), ni);
    assert_int_equal(count(html, "<circle class=\"dot\""), pl_scenario_n_positions(s));
    assert_int_equal(count(html, "<svg "),
                     count(html, "</title>") - count(html, "</title></circle>") -
                         count(html, "</title></rect>") - count(html, "</title></g>") -
                         count(html, "</title></line>") - count(html, "</title></polyline>") - 1);
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        char want[160];
        snprintf(want, sizeof want, ">%s</text>", pl_scenario_actor(s, a)->name);
        assert_true(count(html, want) > 0);
    }
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "url("));
    assert_true(strlen(html) < 1500000);
    /* the summary's band is the sticky model's p10 - p90 */
    pl_mc_stats st;
    assert_int_equal(pl_mc_summary(mc, s, 0, PL_MODEL_STICKY, &st, NULL, NULL), PL_OK);
    char band[96];
    snprintf(band, sizeof band, "%.4g \xe2\x80\x93 %.4g", st.p10, st.p90);
    assert_non_null(strstr(html, band));
    assert_true(st.p10 <= st.median && st.median <= st.p90);
    pl_free(html);

    char *svg = NULL;
    assert_int_equal(pl_report_svg(&fig, PL_CHART_TORNADO, &svg), PL_EINVAL); /* no swings */
    assert_int_equal(pl_report_svg(&fig, PL_CHART_ISSUES, &svg), PL_OK);
    assert_int_equal(strncmp(svg, "<?xml", 5), 0);
    assert_int_equal(count(svg, "class=\"chart issue-chart\""), ni);
    assert_int_equal(count(svg, "<a href"), 0); /* no links out of a standalone chart */
    pl_free(svg);
    pl_mc_free(mc);

    /* without sticky in the runs the report leads with the best on DEU that ran */
    mc = NULL;
    memset(mo.models, 0, sizeof mo.models);
    mo.models[PL_MODEL_ENSEMBLE] = mo.models[PL_MODEL_COMPROMISE] = 1;
    assert_int_equal(pl_mc_run(s, &mo, &mc), PL_OK);
    fig.mc = mc;
    assert_int_equal(pl_report_html(&fig, &html), PL_OK);
    assert_non_null(strstr(html, "This report leads with the <strong>ensemble</strong>"));
    assert_int_equal(pl_mc_summary(mc, s, 0, PL_MODEL_ENSEMBLE, &st, NULL, NULL), PL_OK);
    snprintf(band, sizeof band, "%.4g \xe2\x80\x93 %.4g", st.p10, st.p90);
    assert_non_null(strstr(html, band));
    pl_free(html);
    pl_mc_free(mc);
    pl_forecast_free(f);
    pl_scenario_free(s);
}

static void test_sample(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_space *sp = NULL;
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    uint64_t size = pl_space_size(sp, NULL);
    pl_deals_sample *all = NULL, *a = NULL, *b = NULL;
    assert_int_equal(pl_deals_sample_run(sp, 0, 1, &all), PL_EINVAL);
    assert_int_equal(pl_deals_sample_run(sp, (size_t)size, 1, &all), PL_OK);
    assert_true(pl_deals_sample_all(all));
    assert_int_equal(pl_deals_sample_n(all), size);
    /* package 1: the last issue's second option */
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp);
    size_t choice[64] = {0};
    double u[64];
    choice[ni - 1] = 1;
    assert_int_equal(pl_space_utility(sp, choice, u), PL_OK);
    for (size_t p = 0; p < np; p++) assert_near(pl_deals_sample_utility(all, 1)[p], u[p], 0);
    assert_null(pl_deals_sample_utility(all, (size_t)size));
    assert_int_equal(pl_deals_sample_run(sp, 100, 9, &a), PL_OK);
    assert_int_equal(pl_deals_sample_run(sp, 100, 9, &b), PL_OK);
    assert_false(pl_deals_sample_all(a));
    assert_int_equal(pl_deals_sample_n(a), 100);
    for (size_t i = 0; i < 100; i++)
        for (size_t p = 0; p < np; p++) {
            double v = pl_deals_sample_utility(a, i)[p];
            assert_true(v == pl_deals_sample_utility(b, i)[p]);
            assert_true(v >= -1e-12 && v <= 1 + 1e-12);
        }
    pl_deals_sample_free(all);
    pl_deals_sample_free(a);
    pl_deals_sample_free(b);
    pl_space_free(sp);
    pl_scenario_free(s);
}

static void test_ktab_scenario(void **state) {
    (void)state;
    pl_test_need_shared("data/ktab/dummyData_6Dim.csv");
    pl_smp_data *d = NULL, *back = NULL;
    assert_int_equal(
        pl_smp_read_ktab_file(pl_test_shared("data/ktab/dummyData_6Dim.csv"), NULL, &d), PL_OK);
    pl_scenario *s = NULL;
    assert_int_equal(pl_smp_data_to_scenario(d, &s), PL_OK);
    assert_int_equal(pl_scenario_n_actors(s), pl_smp_data_n_actors(d));
    assert_int_equal(pl_scenario_n_issues(s), pl_smp_data_n_dims(d));
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &back), PL_OK);
    assert_int_equal(pl_smp_data_n_actors(back), pl_smp_data_n_actors(d));
    for (size_t i = 0; i < pl_smp_data_n_actors(d); i++) {
        assert_near(pl_smp_data_capability(back, i), pl_smp_data_capability(d, i), 0);
        for (size_t k = 0; k < pl_smp_data_n_dims(d); k++) {
            assert_near(pl_smp_data_position(back, i, k), pl_smp_data_position(d, i, k), 1e-9);
            assert_near(pl_smp_data_salience(back, i, k), pl_smp_data_salience(d, i, k), 1e-9);
        }
    }
    pl_smp_data_free(back);
    pl_scenario_free(s);
    pl_smp_data_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_html),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_ktab_scenario),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
