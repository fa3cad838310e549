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
#include "parley.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sticky fitting grid: tau in 0, 0.05, ..., 0.50 of the scale (a finer
** grid overfits in cross-validation; docs/models/sticky.md). */
#define TAU_STEPS 11
#define TAU_STEP 0.05

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

static double sticky_apply(const bt_issue *it, const pl_sticky_params *p) {
    if (!it->has_sq) return it->compromise;
    double tau = it->vetoes ? p->tau_unanimity : p->tau_other;
    return fabs(it->compromise - it->status_quo) < tau * it->range ? it->status_quo
                                                                   : it->compromise;
}

/* The grid values with the least mean absolute error on the issues not in
** fold `skip` (SIZE_MAX: all); the two taus are fitted independently, as
** they touch disjoint issues.  Ties go to the smaller tau. */
static void sticky_fit(const bt_issue *items, size_t n, size_t skip, pl_sticky_params *out,
                       double *mae) {
    double best[2] = {INFINITY, INFINITY}, tau_best[2] = {0, 0}, total = 0;
    size_t count = 0;
    for (int v = 0; v < 2; v++) {
        for (int step = 0; step < TAU_STEPS; step++) {
            double tau = step * TAU_STEP, err = 0;
            pl_sticky_params p = {tau, tau};
            for (size_t i = 0; i < n; i++) {
                if (items[i].fold == skip || items[i].vetoes != v) continue;
                err += fabs(sticky_apply(&items[i], &p) - items[i].outcome);
            }
            if (err < best[v] - 1e-9) {
                best[v] = err;
                tau_best[v] = tau;
            }
        }
    }
    out->tau_other = tau_best[0];
    out->tau_unanimity = tau_best[1];
    for (size_t i = 0; i < n; i++) {
        if (items[i].fold == skip) continue;
        total += fabs(sticky_apply(&items[i], out) - items[i].outcome);
        count++;
    }
    if (mae) *mae = count ? total / (double)count : 0;
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

pl_status pl_backtest_run(const pl_scenario *s, const pl_backtest_options *opt, pl_backtest **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_backtest_options defaults;
    if (!opt) {
        pl_backtest_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->folds < 2 || !(opt->coverage > 0 && opt->coverage < 1)) return PL_EINVAL;
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    pl_backtest *b = pl__calloc(1, sizeof *b);
    double *x = pl__malloc((n_actors + 1) * sizeof(double));
    double *cap = pl__malloc((n_actors + 1) * sizeof(double));
    double *sal = pl__malloc((n_actors + 1) * sizeof(double));
    size_t *actors = pl__malloc((n_actors + 1) * sizeof(size_t));
    double *errs = NULL;
    pl_status rc = PL_ENOMEM;
    if (!b || !x || !cap || !sal || !actors) goto done;
    b->opt = *opt;
    b->opt.progress = NULL;
    b->opt.progress_ctx = NULL;
    b->items = pl__calloc(n_issues + 1, sizeof(bt_issue));
    if (!b->items) goto done;
    progress prog;
    progress_init(&prog, opt->progress, opt->progress_ctx, (double)n_issues);
    pl_forecast_options fo = opt->forecast;
    if (prog.fn) { /* a long EUM run polls the same tracker */
        fo.eum.progress = progress_nested;
        fo.eum.progress_ctx = &prog;
    }
    for (size_t i = 0; i < n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        pl_issue_input in;
        size_t n = pl_scenario_issue_input(s, i, x, cap, sal, actors, &in);
        if (!is->has_outcome || n == 0) {
            b->n_skipped++;
            continue;
        }
        bt_issue *it = &b->items[b->n_items++];
        it->issue = i;
        it->outcome = is->outcome;
        it->range = is->max - is->min;
        it->has_sq = is->has_status_quo;
        it->status_quo = is->status_quo;
        it->vetoes = is->decision_rule == PL_RULE_UNANIMITY ||
                     is->decision_rule == PL_RULE_CONSENSUS;
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            rc = pl_model_forecast((pl_model)m, &in, &fo, &it->forecast[m]);
            if (rc == PL_OK && progress_tick(&prog, (double)i)) rc = PL_EINTERRUPTED;
            if (rc != PL_OK) goto done;
        }
        it->compromise = it->forecast[PL_MODEL_COMPROMISE];
        double mean = 0;
        for (size_t k = 0; k < n; k++) mean += x[k];
        it->forecast[BT_ROW_MEAN] = mean / (double)n;
        it->forecast[BT_ROW_SQ] = is->has_status_quo ? is->status_quo : NAN;
    }
    rc = assign_folds(s, b->items, b->n_items, opt->folds, opt->seed);
    if (rc != PL_OK) goto done;
    sticky_fit(b->items, b->n_items, SIZE_MAX, &b->fitted, &b->fitted_mae);

    /* Cross-validation: per fold, fit on the rest, forecast the fold, and
    ** take each row's error quantile on the rest for the intervals. */
    errs = pl__malloc((b->n_items + 1) * sizeof(double));
    rc = PL_ENOMEM;
    if (!errs) goto done;
    for (size_t k = 0; k < opt->folds; k++) {
        pl_sticky_params p;
        sticky_fit(b->items, b->n_items, k, &p, NULL);
        double held[BT_N_ROWS];
        for (size_t r = 0; r < BT_N_ROWS; r++) {
            size_t n_err = 0;
            for (size_t i = 0; i < b->n_items; i++) {
                bt_issue *it = &b->items[i];
                if (it->fold == k) continue;
                double f = r == PL_MODEL_STICKY ? sticky_apply(it, &p) : it->forecast[r];
                if (isnan(f)) continue;
                errs[n_err++] = fabs(f - it->outcome);
            }
            held[r] = quantile(errs, n_err, opt->coverage);
        }
        for (size_t i = 0; i < b->n_items; i++) {
            bt_issue *it = &b->items[i];
            if (it->fold != k) continue;
            it->forecast[PL_MODEL_STICKY] = sticky_apply(it, &p);
            const pl_issue *is = pl_scenario_issue(s, it->issue);
            for (size_t r = 0; r < BT_N_ROWS; r++) {
                it->lo[r] = fmax(is->min, it->forecast[r] - held[r]);
                it->hi[r] = fmin(is->max, it->forecast[r] + held[r]);
            }
        }
    }
    rc = PL_OK;
done:
    pl__free(x);
    pl__free(cap);
    pl__free(sal);
    pl__free(actors);
    pl__free(errs);
    if (rc != PL_OK) {
        pl_backtest_free(b);
        return rc;
    }
    *out = b;
    return PL_OK;
}

void pl_backtest_free(pl_backtest *b) {
    if (!b) return;
    pl__free(b->items);
    pl__free(b);
}

size_t pl_backtest_n_issues(const pl_backtest *b) { return b ? b->n_items : 0; }
size_t pl_backtest_n_skipped(const pl_backtest *b) { return b ? b->n_skipped : 0; }

const pl_sticky_params *pl_backtest_fitted(const pl_backtest *b, double *in_sample_mae) {
    if (!b) return NULL;
    if (in_sample_mae) *in_sample_mae = b->fitted_mae;
    return &b->fitted;
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
        in10 += e <= 10 * it->range / 100 + 1e-9;
        in20 += e <= 20 * it->range / 100 + 1e-9;
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
