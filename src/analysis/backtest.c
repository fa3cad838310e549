/*
** backtest.c: how accurate the forecasts are on issues with known outcomes.
**
** Every model runs on every issue that has an outcome; the errors are
** summarised overall and by procedure and decision rule, beside two
** reference rows (the status quo, the unweighted mean).  Models with fitted
** parameters (the sticky model) are judged by K-fold cross-validation with
** the issues of one group (one legislative proposal) kept in one fold: each
** fold's forecasts come from parameters fitted on the other folds only.
** Every model also gets an interval meant to hold the outcome a given share
** of the time (80% by default): the forecast plus or minus that quantile of
** the model's absolute errors on the other folds; its coverage is counted on
** the held-out fold.  docs/backtest.md has the details and the figures; the
** report is report/report_backtest.c.
*/
#include "analysis/backtest_int.h"
#include "core/alloc.h"
#include "core/progress.h"
#include "io/io_params.h"
#include "parley.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_backtest_options_init(pl_backtest_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    pl_forecast_options_init(&opt->forecast);
    opt->folds = 10;
    opt->coverage = 0.8;
    opt->seed = 1;
}

const char *pl_backtest_row_name(size_t row) {
    if (row < PL_MODEL_COUNT) return pl_model_name((pl_model)row);
    if (row == BT_ROW_SQ) return "status-quo";
    if (row == BT_ROW_MEAN) return "mean";
    return NULL;
}

size_t pl_backtest_n_rows(void) { return BT_N_ROWS; }

/* splitmix64, for the fold assignment */
static uint64_t mix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Folds: groups (or single issues without a group) sorted by name, shuffled
** with the seed, dealt round-robin. */
static pl_status assign_folds(const pl_scenario *s, bt_issue *items, size_t n, size_t k,
                              uint64_t seed) {
    const char **names = pl__malloc((n + 1) * sizeof(char *));
    char(*own)[24] = pl__malloc((n + 1) * sizeof *own);
    if (!names || !own) {
        pl__free(names);
        pl__free(own);
        return PL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const char *g = pl_scenario_issue(s, items[i].issue)->group;
        if (!g) {
            snprintf(own[i], sizeof own[i], "\x01%zu", items[i].issue);
            g = own[i];
        }
        names[i] = g;
    }
    const char **uniq = pl__malloc((n + 1) * sizeof(char *));
    if (!uniq) {
        pl__free(names);
        pl__free(own);
        return PL_ENOMEM;
    }
    memcpy(uniq, names, n * sizeof(char *));
    qsort(uniq, n, sizeof(char *), str_cmp);
    size_t n_uniq = 0;
    for (size_t i = 0; i < n; i++)
        if (!n_uniq || strcmp(uniq[n_uniq - 1], uniq[i]) != 0) uniq[n_uniq++] = uniq[i];
    uint64_t st = seed;
    for (size_t i = n_uniq; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)(mix(&st) % i);
        const char *t = uniq[i - 1];
        uniq[i - 1] = uniq[j];
        uniq[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        size_t pos = 0;
        for (size_t g = 0; g < n_uniq; g++)
            if (strcmp(uniq[g], names[i]) == 0) pos = g;
        items[i].fold = pos % k;
    }
    pl__free(uniq);
    pl__free(names);
    pl__free(own);
    return PL_OK;
}

int bt_row_fitted(size_t row) {
    return row == PL_MODEL_STICKY || row == PL_MODEL_SNAP || row == PL_MODEL_CANDIDATE ||
           row == PL_MODEL_ENSEMBLE;
}

void bt_fit(const snap_issue *snaps, const cand_issue *cands, const double *outcomes,
            const size_t *rows, size_t n_rows, double lambda, bt_params *out) {
    /* the sticky model is the snap model that never snaps */
    pl_snap_params sticky = {0, 0, 0};
    snap_fit_taus(snaps, outcomes, rows, n_rows, &sticky);
    out->sticky.tau_unanimity = sticky.tau_unanimity;
    out->sticky.tau_other = sticky.tau_other;
    snap_fit(snaps, outcomes, rows, n_rows, &out->snap);
    out->candidate.lambda = lambda;
    cand_fit(cands, outcomes, rows, n_rows, lambda, out->candidate.beta);
}

/* Item i's forecast by a fitted row under parameters p. */
static double fitted_forecast(const pl_backtest *b, size_t i, size_t row, const bt_params *p) {
    pl_snap_params sticky = {p->sticky.tau_unanimity, p->sticky.tau_other, 0};
    switch (row) {
        case PL_MODEL_STICKY: return snap_apply(&b->snaps[i], &sticky);
        case PL_MODEL_SNAP: return snap_apply(&b->snaps[i], &p->snap);
        case PL_MODEL_CANDIDATE: return cand_apply(&b->cands[i], p->candidate.beta);
        default:
            return (snap_apply(&b->snaps[i], &p->snap) +
                    cand_apply(&b->cands[i], p->candidate.beta)) /
                   2;
    }
}

static int dbl_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (type 1: the smallest value with at least q of the data at
** or below it) of values[0..n). Sorts in place. */
static double quantile(double *values, size_t n, double q) {
    if (n == 0) return 0;
    qsort(values, n, sizeof(double), dbl_cmp);
    size_t k = (size_t)ceil(q * (double)n);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return values[k - 1];
}

/* Prepare item `it` for the fitted models: its snap and candidate views. */
static pl_status prepare_item(pl_backtest *b, size_t item, const pl_issue_input *in, double *w) {
    for (size_t k = 0; k < in->n; k++) w[k] = in->capability[k] * in->salience[k];
    pl_status rc = snap_prepare(in, w, &b->snaps[item]);
    if (rc != PL_OK) return rc;
    size_t room = CAND_MAX(in->n);
    double *store = pl__malloc(room * (CAND_K + 1) * sizeof(double));
    if (!store) return PL_ENOMEM;
    b->cands[item].value = store;
    b->cands[item].feature = store + room;
    return cand_prepare(in, w, &b->cands[item]);
}

/* The rows (item indices) outside folds `a` and `b` (SIZE_MAX: none). */
static size_t rows_outside(const pl_backtest *bt, size_t a, size_t b, size_t *rows) {
    size_t n = 0;
    for (size_t i = 0; i < bt->n_items; i++)
        if (bt->items[i].fold != a && bt->items[i].fold != b) rows[n++] = i;
    return n;
}

/* Cross-validation, for held-out fold k: fit on the other folds, forecast
** fold k, and take each row's interval half-width from errors made on
** issues the forecasts were not fitted on: for a fitted model, an inner
** cross-validation over the other folds (fitted without fold k and the
** inner fold, errors on the inner fold); for the others, their errors on
** the other folds. */
static void cv_fold(pl_backtest *b, size_t k, size_t *rows, size_t *inner, double *errs,
                    double *held) {
    double lambda = b->opt.forecast.candidate.lambda;
    size_t n_rows = rows_outside(b, k, SIZE_MAX, rows);
    bt_fit(b->snaps, b->cands, b->outcomes, rows, n_rows, lambda, &b->fold_params[k]);
    /* interval half-widths of the rows without fitted parameters */
    for (size_t r = 0; r < BT_N_ROWS; r++) {
        if (bt_row_fitted(r)) continue;
        size_t n_err = 0;
        for (size_t q = 0; q < n_rows; q++) {
            bt_issue *it = &b->items[rows[q]];
            if (isnan(it->forecast[r])) continue;
            errs[n_err++] = fabs(it->forecast[r] - it->outcome);
        }
        held[r] = quantile(errs, n_err, b->opt.coverage);
    }
    /* the fitted rows': inner folds */
    size_t n_fitted = 0, n_err = 0;
    double *fitted_errs[BT_N_ROWS];
    for (size_t r = 0; r < BT_N_ROWS; r++)
        if (bt_row_fitted(r)) fitted_errs[r] = errs + (n_fitted++) * b->n_items;
    for (size_t j = 0; j < b->opt.folds; j++) {
        if (j == k) continue;
        bt_params p;
        size_t n_inner = rows_outside(b, k, j, inner);
        bt_fit(b->snaps, b->cands, b->outcomes, inner, n_inner, lambda, &p);
        for (size_t i = 0; i < b->n_items; i++) {
            if (b->items[i].fold != j) continue;
            for (size_t r = 0; r < BT_N_ROWS; r++)
                if (bt_row_fitted(r))
                    fitted_errs[r][n_err] = fabs(fitted_forecast(b, i, r, &p) - b->outcomes[i]);
            n_err++;
        }
    }
    for (size_t r = 0; r < BT_N_ROWS; r++)
        if (bt_row_fitted(r)) held[r] = quantile(fitted_errs[r], n_err, b->opt.coverage);
    for (size_t i = 0; i < b->n_items; i++)
        if (b->items[i].fold == k)
            for (size_t r = 0; r < BT_N_ROWS; r++)
                if (bt_row_fitted(r))
                    b->items[i].forecast[r] = fitted_forecast(b, i, r, &b->fold_params[k]);
}

static void set_intervals(const pl_scenario *s, bt_issue *it, const double *held) {
    const pl_issue *is = pl_scenario_issue(s, it->issue);
    for (size_t r = 0; r < BT_N_ROWS; r++) {
        it->lo[r] = fmax(is->min, it->forecast[r] - held[r]);
        it->hi[r] = fmin(is->max, it->forecast[r] + held[r]);
    }
}

/* Score given parameters: no fit, intervals from their recorded errors. */
static pl_status score_given(const pl_scenario *s, pl_backtest *b, const pl_params *p) {
    double held[BT_N_ROWS];
    b->given = 1;
    b->fitted.sticky = p->sticky;
    b->fitted.snap = p->snap;
    b->fitted.candidate = p->candidate;
    for (size_t r = 0; r < BT_N_ROWS; r++) {
        size_t n;
        const double *recorded = pl_params_errors(p, pl_backtest_row_name(r), &n);
        if (!recorded) return PL_EINVAL;
        double *errs = pl__malloc((n + 1) * sizeof(double));
        if (!errs) return PL_ENOMEM;
        memcpy(errs, recorded, n * sizeof(double));
        held[r] = quantile(errs, n, b->opt.coverage);
        pl__free(errs);
    }
    for (size_t i = 0; i < b->n_items; i++) {
        for (size_t r = 0; r < BT_N_ROWS; r++)
            if (bt_row_fitted(r)) b->items[i].forecast[r] = fitted_forecast(b, i, r, &b->fitted);
        set_intervals(s, &b->items[i], held);
    }
    return PL_OK;
}

/* Every issue with an outcome and a stake: its forecast by the models
** without fitted parameters, what the fitted ones need, the mean and the
** status quo (b->items, b->n_items; the rest counted in b->n_skipped). */
static pl_status collect_items(const pl_scenario *s, pl_backtest *b, const pl_forecast_options *fo,
                               progress *prog) {
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    double *x = pl__malloc((n_actors + 1) * sizeof(double));
    double *cap = pl__malloc((n_actors + 1) * sizeof(double));
    double *sal = pl__malloc((n_actors + 1) * sizeof(double));
    double *w = pl__malloc((n_actors + 1) * sizeof(double));
    size_t *actors = pl__malloc((n_actors + 1) * sizeof(size_t));
    pl_status rc = x && cap && sal && w && actors ? PL_OK : PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        pl_issue_input in;
        size_t n = pl_scenario_issue_input(s, i, x, cap, sal, actors, &in);
        if (!is->has_outcome || n == 0) {
            b->n_skipped++;
            continue;
        }
        bt_issue *it = &b->items[b->n_items];
        it->issue = i;
        it->outcome = b->outcomes[b->n_items] = is->outcome;
        for (int m = 0; rc == PL_OK && m < PL_MODEL_COUNT; m++) {
            rc = bt_row_fitted((size_t)m)
                     ? PL_OK
                     : pl_model_forecast((pl_model)m, &in, fo, &it->forecast[m]);
            if (rc == PL_OK && progress_tick(prog, (double)i)) rc = PL_EINTERRUPTED;
        }
        if (rc == PL_OK) rc = prepare_item(b, b->n_items, &in, w);
        if (rc != PL_OK) break;
        double mean = 0;
        for (size_t k = 0; k < n; k++) mean += x[k];
        it->forecast[BT_ROW_MEAN] = mean / (double)n;
        it->forecast[BT_ROW_SQ] = is->has_status_quo ? is->status_quo : NAN;
        b->n_items++;
    }
    pl__free(x);
    pl__free(cap);
    pl__free(sal);
    pl__free(w);
    pl__free(actors);
    return rc;
}

/* The fitted models fitted on all issues (with their in-sample errors),
** then the cross-validation: each fold's refit on the other folds and the
** intervals of its held-out issues. */
static pl_status cross_validate(const pl_scenario *s, pl_backtest *b, progress *prog) {
    const pl_backtest_options *opt = &b->opt;
    pl_status rc = assign_folds(s, b->items, b->n_items, opt->folds, opt->seed);
    if (rc != PL_OK) return rc;
    size_t *rows = pl__malloc((b->n_items + 1) * sizeof(size_t));
    size_t *inner = pl__malloc((b->n_items + 1) * sizeof(size_t));
    double *errs = pl__malloc((4 * b->n_items + 1) * sizeof(double));
    rc = rows && inner && errs ? PL_OK : PL_ENOMEM;
    if (rc == PL_OK) {
        size_t n_rows = rows_outside(b, SIZE_MAX, SIZE_MAX, rows);
        bt_fit(b->snaps, b->cands, b->outcomes, rows, n_rows, opt->forecast.candidate.lambda,
               &b->fitted);
        for (size_t r = 0; r < BT_N_ROWS; r++) {
            if (!bt_row_fitted(r)) continue;
            double total = 0;
            for (size_t i = 0; i < b->n_items; i++)
                total += fabs(fitted_forecast(b, i, r, &b->fitted) - b->outcomes[i]);
            b->fitted_mae[r] = b->n_items ? total / (double)b->n_items : 0;
        }
    }
    for (size_t k = 0; rc == PL_OK && k < opt->folds; k++) {
        double held[BT_N_ROWS];
        cv_fold(b, k, rows, inner, errs, held);
        for (size_t i = 0; i < b->n_items; i++)
            if (b->items[i].fold == k) set_intervals(s, &b->items[i], held);
        if (progress_poll(prog)) rc = PL_EINTERRUPTED;
    }
    pl__free(errs);
    pl__free(rows);
    pl__free(inner);
    return rc;
}

pl_status pl_backtest_run(const pl_scenario *s, const pl_backtest_options *opt, pl_backtest **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_backtest_options defaults;
    if (!opt) {
        pl_backtest_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->folds < 2 || !(opt->coverage > 0 && opt->coverage < 1)) return PL_EINVAL;
    size_t n_issues = pl_scenario_n_issues(s);
    pl_backtest *b = pl__calloc(1, sizeof *b);
    if (!b) return PL_ENOMEM;
    b->opt = *opt;
    b->opt.progress = NULL;
    b->opt.progress_ctx = NULL;
    b->opt.params = NULL; /* borrowed for the run only (b->given says) */
    b->items = pl__calloc(n_issues + 1, sizeof(bt_issue));
    b->snaps = pl__calloc(n_issues + 1, sizeof(snap_issue));
    b->cands = pl__calloc(n_issues + 1, sizeof(cand_issue));
    b->outcomes = pl__calloc(n_issues + 1, sizeof(double));
    b->fold_params = pl__calloc(opt->folds, sizeof(bt_params));
    pl_status rc = PL_ENOMEM;
    if (b->items && b->snaps && b->cands && b->outcomes && b->fold_params) {
        progress prog;
        progress_init(&prog, opt->progress, opt->progress_ctx, (double)n_issues);
        pl_forecast_options fo = opt->forecast;
        if (prog.fn) { /* a long EUM run polls the same tracker */
            fo.eum.progress = progress_nested;
            fo.eum.progress_ctx = &prog;
        }
        rc = collect_items(s, b, &fo, &prog);
        if (rc == PL_OK)
            rc = opt->params ? score_given(s, b, opt->params) : cross_validate(s, b, &prog);
    }
    if (rc != PL_OK) {
        pl_backtest_free(b);
        return rc;
    }
    *out = b;
    return PL_OK;
}

pl_status pl_backtest_params(const pl_backtest *b, pl_params **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!b || b->given) return PL_EINVAL;
    pl_params *p = NULL;
    pl_status rc = params_new(&p);
    double *errs = pl__malloc((b->n_items + 1) * sizeof(double));
    if (rc != PL_OK || !errs) {
        pl__free(errs);
        pl_params_free(p);
        return PL_ENOMEM;
    }
    p->sticky = b->fitted.sticky;
    p->snap = b->fitted.snap;
    p->candidate = b->fitted.candidate;
    p->n_issues = b->n_items;
    p->folds = b->opt.folds;
    p->seed = b->opt.seed;
    for (size_t r = 0; r < BT_N_ROWS && rc == PL_OK; r++) {
        size_t n = 0;
        for (size_t i = 0; i < b->n_items; i++) {
            const bt_issue *it = &b->items[i];
            if (!isnan(it->forecast[r])) errs[n++] = fabs(it->forecast[r] - it->outcome);
        }
        rc = params_add_errors(p, pl_backtest_row_name(r), errs, n);
    }
    pl__free(errs);
    if (rc != PL_OK) {
        pl_params_free(p);
        return rc;
    }
    *out = p;
    return PL_OK;
}

void pl_backtest_free(pl_backtest *b) {
    if (!b) return;
    if (b->cands)
        for (size_t i = 0; i < b->n_items + 1; i++) pl__free(b->cands[i].value);
    pl__free(b->cands);
    pl__free(b->snaps);
    pl__free(b->outcomes);
    pl__free(b->fold_params);
    pl__free(b->items);
    pl__free(b);
}

size_t pl_backtest_n_issues(const pl_backtest *b) { return b ? b->n_items : 0; }
size_t pl_backtest_n_skipped(const pl_backtest *b) { return b ? b->n_skipped : 0; }

const pl_sticky_params *pl_backtest_fitted(const pl_backtest *b, double *in_sample_mae) {
    if (!b) return NULL;
    if (in_sample_mae) *in_sample_mae = b->fitted_mae[PL_MODEL_STICKY];
    return &b->fitted.sticky;
}

/* Does issue item `it` belong to the subset? */
static int in_subset(const pl_scenario *s, const bt_issue *it, const char *procedure, int rule) {
    const pl_issue *is = pl_scenario_issue(s, it->issue);
    if (procedure && (!is->procedure || strcmp(is->procedure, procedure) != 0)) return 0;
    if (rule >= 0 && is->decision_rule != rule) return 0;
    return 1;
}

pl_status pl_backtest_stats_get(const pl_backtest *b, const pl_scenario *s, size_t row,
                                const char *procedure, int rule, pl_backtest_stats *out) {
    if (!b || !s || !out || row >= BT_N_ROWS) return PL_EINVAL;
    memset(out, 0, sizeof *out);
    double *errs = pl__malloc((b->n_items + 1) * sizeof(double));
    if (!errs) return PL_ENOMEM;
    double sum = 0, sum2 = 0, width = 0;
    size_t n = 0, in10 = 0, in20 = 0, covered = 0;
    for (size_t i = 0; i < b->n_items; i++) {
        const bt_issue *it = &b->items[i];
        if (!in_subset(s, it, procedure, rule) || isnan(it->forecast[row])) continue;
        double e = fabs(it->forecast[row] - it->outcome);
        errs[n++] = e;
        sum += e;
        sum2 += e * e;
        in10 += e <= 10 * b->snaps[i].range / 100 + 1e-9;
        in20 += e <= 20 * b->snaps[i].range / 100 + 1e-9;
        covered += it->outcome >= it->lo[row] - 1e-9 && it->outcome <= it->hi[row] + 1e-9;
        width += it->hi[row] - it->lo[row];
    }
    out->n = n;
    if (n) {
        out->mae = sum / (double)n;
        out->rmse = sqrt(sum2 / (double)n);
        out->within10 = (double)in10 / (double)n;
        out->within20 = (double)in20 / (double)n;
        out->coverage = (double)covered / (double)n;
        out->interval_width = width / (double)n;
        qsort(errs, n, sizeof(double), dbl_cmp);
        out->median_ae = n % 2 ? errs[n / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2;
    }
    pl__free(errs);
    return PL_OK;
}
