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
** the held-out fold.  docs/backtest.md has the details and the figures.
*/
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "core/progress.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROW_SQ PL_MODEL_COUNT
#define ROW_MEAN (PL_MODEL_COUNT + 1)
#define N_ROWS (PL_MODEL_COUNT + 2)

/* Sticky fitting grid: tau in 0, 0.05, ..., 0.50 of the scale (a finer
** grid overfits in cross-validation; docs/models/sticky.md). */
#define TAU_STEPS 11
#define TAU_STEP 0.05

typedef struct bt_issue {
    size_t issue;      /* scenario index */
    size_t fold;
    double outcome;
    double range;      /* max - min, for the sticky grid */
    double compromise; /* for the sticky model's fit */
    double status_quo;
    int has_sq, vetoes;
    double forecast[N_ROWS]; /* held-out forecasts (NaN: row not applicable) */
    double lo[N_ROWS], hi[N_ROWS];
} bt_issue;

struct pl_backtest {
    bt_issue *items;
    size_t n_items;
    size_t n_skipped; /* issues without an outcome */
    pl_backtest_options opt;
    pl_sticky_params fitted; /* on all issues */
    double fitted_mae;       /* in-sample error of that fit */
};

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
    if (row == ROW_SQ) return "status-quo";
    if (row == ROW_MEAN) return "mean";
    return NULL;
}

size_t pl_backtest_n_rows(void) { return N_ROWS; }

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
    char (*own)[24] = pl__malloc((n + 1) * sizeof *own);
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

pl_status pl_backtest_run(const pl_scenario *s, const pl_backtest_options *opt,
                          pl_backtest **out) {
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
        it->vetoes = is->decision_rule == PL_RULE_UNANIMITY || is->decision_rule == PL_RULE_CONSENSUS;
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            rc = pl_model_forecast((pl_model)m, &in, &fo, &it->forecast[m]);
            if (rc == PL_OK && progress_tick(&prog, (double)i)) rc = PL_EINTERRUPTED;
            if (rc != PL_OK) goto done;
        }
        it->compromise = it->forecast[PL_MODEL_COMPROMISE];
        double mean = 0;
        for (size_t k = 0; k < n; k++) mean += x[k];
        it->forecast[ROW_MEAN] = mean / (double)n;
        it->forecast[ROW_SQ] = is->has_status_quo ? is->status_quo : NAN;
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
        double held[N_ROWS];
        for (size_t r = 0; r < N_ROWS; r++) {
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
            for (size_t r = 0; r < N_ROWS; r++) {
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
    if (!b || !s || !out || row >= N_ROWS) return PL_EINVAL;
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

/* ------------------------------------------------------------------------
** Report
*/
typedef struct subset {
    const char *label;     /* "all", "COD", "unanimity" */
    const char *procedure; /* NULL: any */
    int rule;              /* -1: any */
} subset;

/* The subsets present: all, each procedure, each decision rule. */
static size_t subsets(const pl_scenario *s, const pl_backtest *b, subset *out, size_t max) {
    size_t n = 0;
    out[n++] = (subset){"all", NULL, -1};
    for (size_t i = 0; i < b->n_items && n < max; i++) {
        const char *p = pl_scenario_issue(s, b->items[i].issue)->procedure;
        if (!p) continue;
        int seen = 0;
        for (size_t k = 0; k < n; k++)
            if (out[k].procedure && strcmp(out[k].procedure, p) == 0) seen = 1;
        if (!seen) out[n++] = (subset){p, p, -1};
    }
    for (int r = 1; r <= PL_RULE_CONSENSUS && n < max; r++)
        for (size_t i = 0; i < b->n_items; i++)
            if (pl_scenario_issue(s, b->items[i].issue)->decision_rule == r) {
                out[n++] = (subset){pl_decision_rule_name((pl_decision_rule)r), NULL, r};
                break;
            }
    return n;
}

pl_status pl_report_backtest(const pl_scenario *s, const pl_backtest *b, pl_format format,
                             const int *rows_shown, char **out) {
    if (!s || !b || !out) return PL_EINVAL;
    *out = NULL;
    subset subs[32];
    size_t n_subs = subsets(s, b, subs, 32);
    pl_status rc = PL_OK;
    if (format == PL_FORMAT_JSON) {
        json_t *root = json_object(), *models = json_array();
        int ok = root && models;
        jout_set(root, "n_issues", json_integer((json_int_t)b->n_items), &ok);
        jout_set(root, "n_skipped_no_outcome", json_integer((json_int_t)b->n_skipped), &ok);
        jout_set(root, "folds", json_integer(b->opt.folds), &ok);
        jout_set(root, "seed", json_integer((json_int_t)b->opt.seed), &ok);
        jout_set(root, "coverage_goal", json_real(b->opt.coverage), &ok);
        json_t *fit = json_object();
        jout_set(fit, "tau_unanimity", json_real(b->fitted.tau_unanimity), &ok);
        jout_set(fit, "tau_other", json_real(b->fitted.tau_other), &ok);
        jout_set(fit, "in_sample_mae", json_real(b->fitted_mae), &ok);
        jout_set(root, "sticky_fitted_on_all", fit, &ok);
        for (size_t r = 0; r < N_ROWS && ok; r++) {
            if (rows_shown && !rows_shown[r]) continue;
            json_t *m = json_object(), *by = json_object();
            jout_set(m, "model", json_string(pl_backtest_row_name(r)), &ok);
            jout_set(m, "reference", json_boolean(r >= PL_MODEL_COUNT), &ok);
            jout_set(m, "cross_validated", json_boolean(r == PL_MODEL_STICKY), &ok);
            for (size_t k = 0; k < n_subs; k++) {
                pl_backtest_stats st;
                if ((rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st)) != PL_OK) {
                    json_decref(m);
                    json_decref(by);
                    json_decref(root);
                    json_decref(models);
                    return rc;
                }
                json_t *o = json_object();
                jout_set(o, "n", json_integer((json_int_t)st.n), &ok);
                jout_set(o, "mae", json_real(st.mae), &ok);
                jout_set(o, "median_ae", json_real(st.median_ae), &ok);
                jout_set(o, "rmse", json_real(st.rmse), &ok);
                jout_set(o, "within_10", json_real(st.within10), &ok);
                jout_set(o, "within_20", json_real(st.within20), &ok);
                jout_set(o, "interval_width", json_real(st.interval_width), &ok);
                jout_set(o, "coverage", json_real(st.coverage), &ok);
                if (k == 0) jout_set(m, "all", o, &ok);
                else jout_set(by, subs[k].label, o, &ok);
            }
            jout_set(m, "by", by, &ok);
            jout_push(models, m, &ok);
        }
        jout_set(root, "models", models, &ok);
        return json_out(root, ok, 10, out);
    }
    buf bb = {0};
    if (format == PL_FORMAT_CSV)
        buf_puts(&bb, "model,subset,n,mae,median_ae,rmse,within_10,within_20,interval_width,coverage\n");
    else
        buf_printf(&bb, "Backtest: %zu issues with a known outcome (%zu without one skipped); "
                        "%u-fold cross-validation by group, seed %llu\n",
                   b->n_items, b->n_skipped, b->opt.folds, (unsigned long long)b->opt.seed);
    for (size_t k = 0; k < n_subs; k++) {
        if (format == PL_FORMAT_TEXT) {
            buf_printf(&bb, "\n%s%s\n", k ? "Issues: " : "All issues", k ? subs[k].label : "");
            buf_printf(&bb, "  %-17s %5s %7s %7s %7s %6s %6s  %s\n", "model", "n", "MAE", "MedAE",
                       "RMSE", "<=10", "<=20", "80% interval: width, coverage");
        }
        for (size_t r = 0; r < N_ROWS; r++) {
            if (rows_shown && !rows_shown[r]) continue;
            pl_backtest_stats st;
            if ((rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st)) != PL_OK) {
                buf_free(&bb);
                return rc;
            }
            if (format == PL_FORMAT_CSV) {
                buf_printf(&bb, "%s,%s,%zu,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n",
                           pl_backtest_row_name(r), subs[k].label, st.n, st.mae, st.median_ae, st.rmse,
                           st.within10, st.within20, st.interval_width, st.coverage);
                continue;
            }
            char name[40];
            snprintf(name, sizeof name, "%s%s", pl_backtest_row_name(r),
                     r == PL_MODEL_STICKY ? " (cv)" : r >= PL_MODEL_COUNT ? " (ref)" : "");
            buf_printf(&bb, "  %-17s %5zu %7.2f %7.2f %7.2f %5.0f%% %5.0f%%  %5.1f, %3.0f%%\n", name,
                       st.n, st.mae, st.median_ae, st.rmse, 100 * st.within10, 100 * st.within20,
                       st.interval_width, 100 * st.coverage);
        }
    }
    if (format == PL_FORMAT_TEXT) {
        buf_printf(&bb, "\nErrors on the issue's scale (0-100 for DEU). (cv): parameters fitted on "
                        "the other folds only.\nSticky model fitted on all issues: tau %.2f "
                        "(unanimity/consensus), %.2f (other rules); in-sample MAE %.2f.\n",
                   b->fitted.tau_unanimity, b->fitted.tau_other, b->fitted_mae);
        buf_printf(&bb, "Intervals: forecast +- the %.0f%% quantile of the model's absolute errors on "
                        "the other folds; coverage on the held-out fold.\n",
                   100 * b->opt.coverage);
    }
    *out = buf_take(&bb);
    return *out ? PL_OK : PL_ENOMEM;
}
