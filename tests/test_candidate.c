/*
** test_candidate.c: the snap + sticky, candidate-choice and ensemble models
** (docs/models/candidate.md) against the reference implementation's
** per-issue forecasts on deu3-train.tsv
** (../shared/data/deu3/candidate/reference_predictions.tsv, to 1e-6, and the
** recipe's in-sample errors), their fits against the shipped parameters,
** the defined cases (no EU roles, no status quo, equal positions), and the
** fit reading none of the rows it is not given.
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

#include "analysis/backtest_int.h"
#include "models/model_candidate.h"
#include "models/model_snap.h"
#include "parley.h"
#include "pl_test.h"

#define DEU "data/deu3/deu3-train.tsv"
#define REF "data/deu3/candidate/reference_predictions.tsv"

static pl_scenario *load(void) {
    pl_scenario *s = NULL;
    pl_test_need_shared(DEU);
    pl_test_need_shared(REF);
    assert_int_equal(pl_scenario_load_deu_file(pl_test_shared(DEU), NULL, NULL, &s, NULL), PL_OK);
    return s;
}

typedef struct ref_row {
    char isnr[32];
    double out, compromise, snap, candidate, ensemble;
} ref_row;

static size_t read_ref(ref_row *rows, size_t max) {
    FILE *f = fopen(pl_test_shared(REF), "r");
    assert_non_null(f);
    char line[512];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (n < max && fgets(line, sizeof line, f)) {
        ref_row *r = &rows[n];
        char prnr[32];
        assert_int_equal(sscanf(line, "%31s %31s %lf %lf %lf %lf %lf", r->isnr, prnr, &r->out,
                                &r->compromise, &r->snap, &r->candidate, &r->ensemble),
                         7);
        n++;
    }
    fclose(f);
    return n;
}

static void test_reference_predictions(void **state) {
    (void)state;
    pl_scenario *s = load();
    static ref_row ref[400];
    size_t n_ref = read_ref(ref, 400);
    assert_int_equal(n_ref, 222);
    size_t n_actors = pl_scenario_n_actors(s);
    double x[64], cap[64], sal[64];
    size_t actors[64];
    assert_true(n_actors <= 64);
    double err[4] = {0};
    size_t matched = 0;
    for (size_t k = 0; k < n_ref; k++) {
        size_t i;
        for (i = 0; i < pl_scenario_n_issues(s); i++)
            if (strcmp(pl_scenario_issue(s, i)->id, ref[k].isnr) == 0) break;
        assert_true(i < pl_scenario_n_issues(s));
        const pl_issue *is = pl_scenario_issue(s, i);
        assert_true(is->has_outcome);
        assert_near(is->outcome, ref[k].out, 1e-9);
        pl_issue_input in;
        assert_true(pl_scenario_issue_input(s, i, x, cap, sal, actors, &in) > 0);
        static const pl_model models[] = {PL_MODEL_COMPROMISE, PL_MODEL_SNAP, PL_MODEL_CANDIDATE,
                                          PL_MODEL_ENSEMBLE};
        const double want[] = {ref[k].compromise, ref[k].snap, ref[k].candidate, ref[k].ensemble};
        for (int m = 0; m < 4; m++) {
            double v;
            assert_int_equal(pl_model_forecast(models[m], &in, NULL, &v), PL_OK);
            if (fabs(v - want[m]) > 1e-6)
                fail_msg("%s on %s: %.9f, reference %.9f", pl_model_name(models[m]), ref[k].isnr, v,
                         want[m]);
            err[m] += fabs(v - is->outcome);
        }
        matched++;
    }
    assert_int_equal(matched, 222);
    /* the recipe's in-sample errors (section 6.5) */
    assert_near(err[0] / 222, 23.775, 0.0005);
    assert_near(err[1] / 222, 21.631, 0.0005);
    assert_near(err[2] / 222, 21.199, 0.0005);
    assert_near(err[3] / 222, 20.895, 0.0005);
    pl_scenario_free(s);
}

/* Every issue with an outcome, prepared for both kernels. */
typedef struct prepared {
    size_t n;
    snap_issue snap[256];
    cand_issue cand[256];
    double outcome[256];
    double store[256 * 66 * (CAND_K + 1)];
} prepared;

static void prepare(const pl_scenario *s, prepared *p) {
    double x[64], cap[64], sal[64], w[64];
    size_t actors[64], used = 0;
    p->n = 0;
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        pl_issue_input in;
        size_t n = pl_scenario_issue_input(s, i, x, cap, sal, actors, &in);
        if (!is->has_outcome || n == 0) continue;
        for (size_t k = 0; k < n; k++) w[k] = cap[k] * sal[k];
        assert_int_equal(snap_prepare(&in, w, &p->snap[p->n]), PL_OK);
        cand_issue *c = &p->cand[p->n];
        c->value = p->store + used;
        c->feature = c->value + CAND_MAX(n);
        used += CAND_MAX(n) * (CAND_K + 1);
        assert_int_equal(cand_prepare(&in, w, c), PL_OK);
        p->outcome[p->n++] = is->outcome;
    }
}

/* Fitted on the whole file, the models give the shipped parameters. */
static void test_fit_gives_defaults(void **state) {
    (void)state;
    pl_scenario *s = load();
    static prepared p;
    prepare(s, &p);
    assert_int_equal(p.n, 222);
    size_t rows[256];
    for (size_t i = 0; i < p.n; i++) rows[i] = i;
    pl_forecast_options fo;
    pl_forecast_options_init(&fo);
    pl_snap_params sp;
    snap_fit(p.snap, p.outcome, rows, p.n, &sp);
    /* The least in-sample error takes tau 0.50 for unanimity (21.615); the
    ** shipped 0.35 (the recipe's, parley's sticky default) gives 21.631:
    ** one grid step apart, 0.016 points, inside the noise (the recipe:
    ** "refitting in folds picks 0.35-0.50").  The shipped value is kept so
    ** that the reference predictions come out. */
    assert_near(sp.tau_unanimity, 0.50, 1e-12);
    assert_near(sp.tau_other, fo.snap.tau_other, 1e-12);
    assert_near(sp.distance, fo.snap.distance, 1e-12);
    assert_near(snap_mae(p.snap, p.outcome, rows, p.n, &sp), 21.6146, 0.0001);
    assert_near(snap_mae(p.snap, p.outcome, rows, p.n, &fo.snap), 21.631, 0.0005);
    double beta[CAND_K];
    int iter = cand_fit(p.cand, p.outcome, rows, p.n, fo.candidate.lambda, beta);
    fprintf(stderr, "candidate fit: %d Newton iterations\n", iter);
    assert_true(iter <= 10);
    for (size_t k = 0; k < CAND_K; k++) assert_near(beta[k], fo.candidate.beta[k], 1e-6);
    pl_scenario_free(s);
}

static int same_params(const bt_params *a, const bt_params *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

/* The parameters of each cross-validation fold are fitted without reading
** a held-out row: with every held-out row poisoned (NaN outcome, NaN
** features, NaN compromise), the fit gives the same bits as the backtest's
** fold; and poisoning a row that the fit does read changes them. */
static void test_fold_fit_reads_no_held_out_row(void **state) {
    (void)state;
    pl_scenario *s = load();
    pl_backtest *b = NULL;
    assert_int_equal(pl_backtest_run(s, NULL, &b), PL_OK);
    size_t n = b->n_items;
    snap_issue *snaps = malloc(n * sizeof *snaps);
    cand_issue *cands = malloc(n * sizeof *cands);
    double *outcomes = malloc(n * sizeof(double));
    size_t *rows = malloc(n * sizeof(size_t));
    double **stores = calloc(n, sizeof(double *));
    assert_non_null(snaps);
    assert_non_null(cands);
    assert_non_null(outcomes);
    assert_non_null(rows);
    assert_non_null(stores);
    double lambda = b->opt.forecast.candidate.lambda;
    for (size_t k = 0; k < b->opt.folds; k++) {
        size_t n_rows = 0;
        for (size_t i = 0; i < n; i++) {
            snaps[i] = b->snaps[i];
            cands[i] = b->cands[i];
            outcomes[i] = b->outcomes[i];
            if (b->items[i].fold != k) {
                rows[n_rows++] = i;
                continue;
            }
            /* held out: poison everything the fit could read */
            size_t room = cands[i].n * (CAND_K + 1);
            stores[i] = malloc(room * sizeof(double));
            assert_non_null(stores[i]);
            for (size_t q = 0; q < room; q++) stores[i][q] = NAN;
            cands[i].value = stores[i];
            cands[i].feature = stores[i] + cands[i].n;
            outcomes[i] = NAN;
            snaps[i].compromise = snaps[i].status_quo = snaps[i].snap = snaps[i].range = NAN;
        }
        assert_true(n_rows < n);
        bt_params p;
        bt_fit(snaps, cands, outcomes, rows, n_rows, lambda, &p);
        assert_true(same_params(&p, &b->fold_params[k]));
        /* the check can fail: poison one row the fit reads */
        double keep = outcomes[rows[0]];
        outcomes[rows[0]] = NAN;
        bt_fit(snaps, cands, outcomes, rows, n_rows, lambda, &p);
        assert_false(same_params(&p, &b->fold_params[k]));
        outcomes[rows[0]] = keep;
        for (size_t i = 0; i < n; i++) {
            free(stores[i]);
            stores[i] = NULL;
        }
    }
    free(stores);
    free(snaps);
    free(cands);
    free(outcomes);
    free(rows);
    pl_backtest_free(b);
    pl_scenario_free(s);
}

/* Acceptance (issue 15): in 10-fold cross-validation by proposal, refitting
** inside the folds, snap, candidate and ensemble each beat the compromise
** model, and every model's 80% interval covers 75-85% of the outcomes. */
static void test_cv_beats_compromise(void **state) {
    (void)state;
    pl_scenario *s = load();
    pl_backtest *b = NULL;
    assert_int_equal(pl_backtest_run(s, NULL, &b), PL_OK);
    pl_backtest_stats comp, st;
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_COMPROMISE, NULL, -1, &comp), PL_OK);
    static const pl_model fitted[] = {PL_MODEL_SNAP, PL_MODEL_CANDIDATE, PL_MODEL_ENSEMBLE};
    for (int m = 0; m < 3; m++) {
        assert_int_equal(pl_backtest_stats_get(b, s, fitted[m], NULL, -1, &st), PL_OK);
        fprintf(stderr, "%s (cv) %.3f, compromise %.3f\n", pl_model_name(fitted[m]), st.mae,
                comp.mae);
        assert_true(st.mae < comp.mae);
    }
    /* the figures docs/backtest.md gives */
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_SNAP, NULL, -1, &st), PL_OK);
    assert_near(st.mae, 22.01, 0.005);
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_CANDIDATE, NULL, -1, &st), PL_OK);
    assert_near(st.mae, 22.54, 0.005);
    assert_int_equal(pl_backtest_stats_get(b, s, PL_MODEL_ENSEMBLE, NULL, -1, &st), PL_OK);
    assert_near(st.mae, 21.90, 0.005);
    for (size_t r = 0; r < pl_backtest_n_rows(); r++) {
        assert_int_equal(pl_backtest_stats_get(b, s, r, NULL, -1, &st), PL_OK);
        assert_true(st.coverage >= 0.75 && st.coverage <= 0.85);
    }
    pl_backtest_free(b);
    pl_scenario_free(s);
}

/* backtest --fit, written and read back: the same doubles; scored with
** --params on the same file, the fitted rows give their in-sample errors,
** and the intervals come from the recorded out-of-fold errors. */
static void test_params_round_trip(void **state) {
    (void)state;
    pl_scenario *s = load();
    pl_backtest *b = NULL, *given = NULL;
    assert_int_equal(pl_backtest_run(s, NULL, &b), PL_OK);
    pl_params *p = NULL, *back = NULL;
    char *text = NULL, *again = NULL;
    assert_int_equal(pl_backtest_params(b, &p), PL_OK);
    assert_int_equal(pl_params_write_json(p, &text), PL_OK);
    assert_int_equal(pl_params_load_buffer(text, strlen(text), "params.json", NULL, &back), PL_OK);
    assert_int_equal(pl_params_write_json(back, &again), PL_OK);
    assert_string_equal(text, again);
    pl_forecast_options a, c;
    pl_forecast_options_init(&a);
    pl_forecast_options_init(&c);
    pl_params_apply(p, &a);
    pl_params_apply(back, &c);
    assert_memory_equal(&a.snap, &c.snap, sizeof a.snap);
    assert_memory_equal(&a.candidate, &c.candidate, sizeof a.candidate);
    assert_memory_equal(&a.sticky, &c.sticky, sizeof a.sticky);
    assert_memory_equal(&a.snap, &b->fitted.snap, sizeof a.snap);
    size_t n;
    const double *e = pl_params_errors(back, "ensemble", &n);
    assert_non_null(e);
    assert_int_equal(n, 222);
    assert_null(pl_params_errors(back, "nope", &n));
    assert_int_equal(n, 0);

    pl_backtest_options o;
    pl_backtest_options_init(&o);
    o.params = back;
    assert_int_equal(pl_backtest_run(s, &o, &given), PL_OK);
    pl_params *none = NULL;
    assert_int_equal(pl_backtest_params(given, &none), PL_EINVAL);
    assert_null(none);
    for (size_t r = 0; r < pl_backtest_n_rows(); r++) {
        pl_backtest_stats st, cv;
        assert_int_equal(pl_backtest_stats_get(given, s, r, NULL, -1, &st), PL_OK);
        assert_int_equal(pl_backtest_stats_get(b, s, r, NULL, -1, &cv), PL_OK);
        if (bt_row_fitted(r)) assert_near(st.mae, b->fitted_mae[r], 1e-9);
        else assert_near(st.mae, cv.mae, 1e-12);
        assert_true(st.coverage >= 0.75 && st.coverage <= 0.85);
    }
    /* the JSON keeps today's shape */
    char *json = NULL;
    assert_int_equal(pl_report_backtest(s, given, PL_FORMAT_JSON, NULL, &json), PL_OK);
    assert_non_null(strstr(json, "\"model\": \"snap\""));
    assert_non_null(strstr(json, "\"parameters_given\": true"));
    assert_non_null(strstr(json, "\"coverage\""));
    pl_free(json);
    pl_free(text);
    pl_free(again);
    pl_params_free(p);
    pl_params_free(back);
    pl_backtest_free(b);
    pl_backtest_free(given);
    pl_scenario_free(s);
}

/* Bad parameters files: FILE:LINE:COL, what was expected, what was found. */
static void test_params_errors(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int line, column;
        const char *message;
    } cases[] = {
        {"{\"parley\": \"params\", \"version\": 1,\n \"sticky\": {\"tau_unanimity\": 2, "
         "\"tau_other\": 0.1}}",
         2, 30, "expected sticky.tau_unanimity from 0 to 1, found 2"},
        {"{\"parley\": \"params\", \"version\": 1, \"stiky\": {}}", 1, 36, "found \"stiky\""},
        {"{\"parley\": \"scenario\"}", 1, 12, "expected \"parley\": \"params\""},
        {"[1, 2]", 1, 1, "expected a parameters object"},
        {"{\"parley\": \"params\",\n\"version\": 2}", 2, 12, "expected version 1, found 2"},
        {"{\"parley\": \"params\", \"version\": 1,\n \"out_of_fold_errors\": {\"snap\": [1, "
         "-2]}}",
         2, 37, "expected an absolute error"},
        {"{\"parley\": \"params\", \"version\": 1,\n \"candidate\": {\"lambda\": 1, "
         "\"beta\": {\"wshare\": \"x\"}}}",
         2, 48, "expected candidate.beta.wshare to be a number"},
        {"{\"parley\": \"params\",", 1, 20, "expected valid JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pl_diags *d = NULL;
        pl_params *p = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        pl_status rc = pl_params_load_buffer(cases[i].text, strlen(cases[i].text), "p.json", d, &p);
        assert_true(rc == PL_EINPUT || rc == PL_EPARSE);
        assert_null(p);
        assert_true(pl_diags_count(d) >= 1);
        const pl_diag *g = pl_diags_get(d, 0);
        for (size_t k = 0; k < pl_diags_count(d); k++)
            if (strstr(pl_diags_get(d, k)->message, cases[i].message)) g = pl_diags_get(d, k);
        if (g->line != cases[i].line || g->column != cases[i].column ||
            !strstr(g->message, cases[i].message))
            fail_msg("case %zu: %s:%d:%d: %s", i, g->file, g->line, g->column, g->message);
        assert_string_equal(g->file, "p.json");
        pl_diags_free(d);
    }
}

/* Defined cases of the snap kernel, on one issue: two interior positions
** as near the compromise (the lower wins), a snap distance exactly met
** (strictly less is needed), and a fit where two distances tie (the
** smaller wins). */
static void test_snap_cases(void **state) {
    (void)state;
    const double x[] = {0, 40, 60, 100}, cap[] = {1, 1, 1, 1}, sal[] = {50, 50, 50, 50};
    const double w[] = {50, 50, 50, 50};
    pl_issue_input in = {4, x, cap, sal, 0, 100, 0, 0, PL_RULE_QUALIFIED, 0, 0, 0};
    snap_issue it;
    assert_int_equal(snap_prepare(&in, w, &it), PL_OK);
    assert_near(it.compromise, 50, 0);
    assert_true(it.has_snap);
    assert_near(it.snap, 40, 0);
    pl_snap_params p = {0.35, 0.15, 0.10};
    assert_near(snap_apply(&it, &p), 50, 0); /* |40 - 50| = 10 is not < 10 */
    p.distance = 0.15;
    assert_near(snap_apply(&it, &p), 40, 0);
    double outcome = 45; /* 5 from the snap and from the compromise */
    size_t row = 0;
    snap_fit(&it, &outcome, &row, 1, &p);
    assert_near(p.distance, 0, 0);
    /* all positions at the ends: nothing to snap to */
    const double ends[] = {0, 100, 0, 100};
    in.position = ends;
    assert_int_equal(snap_prepare(&in, w, &it), PL_OK);
    assert_false(it.has_snap);
    p.distance = 0.5;
    assert_near(snap_apply(&it, &p), 50, 0);
}

/* Outside the EU (no roles, no procedure) and with no weights at all, the
** candidate model runs and lands on a candidate. */
static void test_candidate_cases(void **state) {
    (void)state;
    const double x[] = {10, 10, 70}, cap[] = {1, 2, 3}, sal[] = {0, 0, 0};
    pl_issue_input in = {3, x, cap, sal, 0, 100, 1, 30, PL_RULE_UNANIMITY, 0, 0, 0};
    double v;
    for (int m = PL_MODEL_SNAP; m <= PL_MODEL_ENSEMBLE; m++) {
        assert_int_equal(pl_model_forecast((pl_model)m, &in, NULL, &v), PL_OK);
        assert_true(isfinite(v) && v >= 0 && v <= 100);
    }
    /* every weight 0: the unweighted mean (30, the status quo) is the compromise */
    assert_int_equal(pl_model_forecast(PL_MODEL_SNAP, &in, NULL, &v), PL_OK);
    assert_near(v, 30, 1e-12); /* sticky: the status quo */
    double store[5 * (CAND_K + 1)];
    cand_issue it = {0, store, store + 5};
    const double w[] = {0, 0, 0};
    assert_int_equal(cand_prepare(&in, w, &it), PL_OK);
    assert_int_equal(it.n, 4); /* 10, 30 (status quo), 30 (compromise), 70 */
    assert_near(it.value[1], 30, 0);
    assert_near(it.feature[2 * CAND_K + 7], 1, 0); /* the compromise after the equal value */
    assert_near(it.feature[1 * CAND_K + 4], 1, 0); /* is_rp */
    assert_near(it.feature[0 * CAND_K + 1], 2.0 / 3, 1e-15); /* cshare */
    assert_near(it.feature[0 * CAND_K + 0], 0, 0);           /* wshare with no weight */
    assert_near(it.feature[2 * CAND_K + 14], 0, 0);          /* sd 0 with no weight */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_predictions),
        cmocka_unit_test(test_fit_gives_defaults),
        cmocka_unit_test(test_fold_fit_reads_no_held_out_row),
        cmocka_unit_test(test_cv_beats_compromise),
        cmocka_unit_test(test_params_round_trip),
        cmocka_unit_test(test_params_errors),
        cmocka_unit_test(test_snap_cases),
        cmocka_unit_test(test_candidate_cases),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
