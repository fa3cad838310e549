/*
** report_backtest.c: how accurate the forecasts were (pl_backtest): each
** model's errors over all issues with a known outcome, and by procedure and
** by decision rule, beside the two reference rows.
*/
#include "analysis/backtest_int.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"
#include "report/svg.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

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

/* A set of fitted parameters (and in-sample errors, when mae is given). */
static json_t *params_json(const bt_params *p, const double *mae, int *ok) {
    json_t *o = json_object(), *sticky = json_object(), *snap = json_object();
    json_t *cand = json_object(), *beta = json_object();
    jout_set(sticky, "tau_unanimity", json_real(p->sticky.tau_unanimity), ok);
    jout_set(sticky, "tau_other", json_real(p->sticky.tau_other), ok);
    jout_set(snap, "tau_unanimity", json_real(p->snap.tau_unanimity), ok);
    jout_set(snap, "tau_other", json_real(p->snap.tau_other), ok);
    jout_set(snap, "distance", json_real(p->snap.distance), ok);
    jout_set(cand, "lambda", json_real(p->candidate.lambda), ok);
    for (size_t k = 0; k < PL_CANDIDATE_N_FEATURES; k++)
        jout_set(beta, pl_candidate_feature_name(k), json_real(p->candidate.beta[k]), ok);
    jout_set(cand, "beta", beta, ok);
    if (mae) {
        jout_set(sticky, "in_sample_mae", json_real(mae[PL_MODEL_STICKY]), ok);
        jout_set(snap, "in_sample_mae", json_real(mae[PL_MODEL_SNAP]), ok);
        jout_set(cand, "in_sample_mae", json_real(mae[PL_MODEL_CANDIDATE]), ok);
    }
    jout_set(o, "sticky", sticky, ok);
    jout_set(o, "snap", snap, ok);
    jout_set(o, "candidate", cand, ok);
    if (mae) {
        json_t *ens = json_object();
        jout_set(ens, "in_sample_mae", json_real(mae[PL_MODEL_ENSEMBLE]), ok);
        jout_set(o, "ensemble", ens, ok);
    }
    return o;
}

/* The closing lines: the scale, the parameters fitted on all issues (or
** given) and their in-sample errors, the folds' fits, how intervals are made. */
static void fitted_text(buf *bb, const pl_backtest *b) {
    const bt_params *f = &b->fitted;
    buf_printf(bb, "\nErrors on the issue's scale (0-100 for DEU).%s\n",
               b->given ? "" : " (cv): parameters fitted on the other folds only.");
    buf_printf(bb, "%s\n",
               b->given ? "Parameters given (nothing fitted in this run):"
                        : "Parameters fitted on all issues (in-sample MAE):");
    buf_printf(bb, "  sticky     tau %.2f (unanimity/consensus), %.2f (other rules)",
               f->sticky.tau_unanimity, f->sticky.tau_other);
    if (!b->given) buf_printf(bb, "; %.2f", b->fitted_mae[PL_MODEL_STICKY]);
    buf_printf(bb, "\n  snap       tau %.2f, %.2f; snap distance %.2f of the scale",
               f->snap.tau_unanimity, f->snap.tau_other, f->snap.distance);
    if (!b->given) buf_printf(bb, "; %.2f", b->fitted_mae[PL_MODEL_SNAP]);
    buf_printf(bb, "\n  candidate  lambda %g; beta", f->candidate.lambda);
    for (size_t k = 0; k < PL_CANDIDATE_N_FEATURES; k++)
        buf_printf(bb, "%s %s %+.4f", k ? "," : "", pl_candidate_feature_name(k),
                   f->candidate.beta[k]);
    if (!b->given)
        buf_printf(bb, "; %.2f\n  ensemble   (snap + candidate) / 2; %.2f",
                   b->fitted_mae[PL_MODEL_CANDIDATE], b->fitted_mae[PL_MODEL_ENSEMBLE]);
    buf_putc(bb, '\n');
    if (!b->given) {
        /* how stable the fits are across folds */
        buf_puts(bb, "In the folds: snap distance");
        for (size_t k = 0; k < b->opt.folds; k++)
            buf_printf(bb, " %.2f", b->fold_params[k].snap.distance);
        buf_puts(bb, "; snap tau (unanimity)");
        for (size_t k = 0; k < b->opt.folds; k++)
            buf_printf(bb, " %.2f", b->fold_params[k].snap.tau_unanimity);
        buf_putc(bb, '\n');
        buf_printf(bb,
                   "Intervals: forecast +- the %.0f%% quantile of the model's absolute errors "
                   "on issues it was not fitted on (fitted models: an inner cross-validation "
                   "over the other folds); coverage on the held-out fold.\n",
                   100 * b->opt.coverage);
    } else {
        buf_printf(bb,
                   "Intervals: forecast +- the %.0f%% quantile of the model's out-of-fold "
                   "absolute errors recorded with the parameters.\n",
                   100 * b->opt.coverage);
    }
}

/* ------------------------------------------------------------------------
** HTML: the tables, and a calibration chart of the intervals -- for each
** row the share of held-out outcomes inside its interval, over all issues
** (a filled dot) and in each subset (hollow), against the goal.
*/
static pl_status calibration_chart(buf *bb, const pl_scenario *s, const pl_backtest *b,
                                   const subset *subs, size_t n_subs, const int *rows_shown) {
    size_t n_rows = 0;
    for (size_t r = 0; r < BT_N_ROWS; r++)
        if (!rows_shown || rows_shown[r]) n_rows++;
    const double W = 760, ML = 150, MR = 30, MT = 34, ROW = 26;
    double H = MT + ROW * (double)n_rows + 40;
    svg_scale sx = {0, 100, ML, W - MR};
    buf_printf(bb,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart calibration-chart\" "
               "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
               "aria-label=\"Calibration of the %.0f%% intervals: the share of held-out outcomes "
               "inside each model's interval\"><title>Calibration of the %.0f%% intervals: the "
               "share of held-out outcomes inside each model's interval, over all issues (filled) "
               "and by procedure and decision rule (hollow)</title>\n",
               W, H, W, H, 100 * b->opt.coverage, 100 * b->opt.coverage);
    double ticks[16], step;
    size_t nt = svg_ticks(0, 100, 10, ticks, 16, &step);
    double y_axis = MT + ROW * (double)n_rows;
    for (size_t i = 0; i < nt; i++) {
        double x = svg_map(&sx, ticks[i]);
        buf_printf(bb,
                   "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>"
                   "<text class=\"tk\" text-anchor=\"middle\" x=\"%.1f\" y=\"%.0f\">%.0f%%</text>",
                   x, x, MT - 8, y_axis, x, y_axis + 15, ticks[i]);
    }
    double xg = svg_map(&sx, 100 * b->opt.coverage);
    buf_printf(bb,
               "<line class=\"sq\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>"
               "<text class=\"tk\" text-anchor=\"middle\" x=\"%.1f\" y=\"%.0f\">goal "
               "%.0f%%</text>\n",
               xg, xg, MT - 10, y_axis, xg, MT - 14, 100 * b->opt.coverage);
    size_t row = 0;
    for (size_t r = 0; r < BT_N_ROWS; r++) {
        if (rows_shown && !rows_shown[r]) continue;
        double y = MT + ROW * ((double)row + 0.5);
        row++;
        buf_printf(bb, "<text class=\"sm\" text-anchor=\"end\" x=\"%.0f\" y=\"%.1f\">%s</text>",
                   ML - 10, y + 4, pl_backtest_row_name(r));
        for (size_t k = n_subs; k-- > 0;) {
            pl_backtest_stats st;
            pl_status rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st);
            if (rc != PL_OK) return rc;
            if (!st.n) continue;
            buf_printf(bb,
                       "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"#0072B2\" "
                       "stroke-width=\"1.5\"><title>%s, %s: %.0f%% of %zu outcomes inside the "
                       "interval (mean width %.1f)</title></circle>",
                       svg_map(&sx, 100 * st.coverage), y, k ? "4" : "6.5", k ? "none" : "#0072B2",
                       pl_backtest_row_name(r), k ? subs[k].label : "all issues", 100 * st.coverage,
                       st.n, st.interval_width);
        }
        buf_putc(bb, '\n');
    }
    buf_puts(bb, "</svg>\n");
    return PL_OK;
}

static pl_status backtest_html(const pl_scenario *s, const pl_backtest *b, const subset *subs,
                               size_t n_subs, const int *rows_shown, char **out) {
    buf bb = {0};
    buf title = {0};
    buf_printf(&title, "Backtest of %s \xe2\x80\x94 parley report", pl_scenario_name(s));
    report_html_open(&bb, title.data ? title.data : "parley backtest");
    if (title.oom) bb.oom = 1;
    buf_free(&title);
    buf_puts(&bb, "<header><h1>Backtest: ");
    svg_escape(&bb, pl_scenario_name(s));
    buf_printf(&bb,
               "</h1>\n<p class=\"meta\">%zu issues with a known outcome (%zu without one "
               "skipped); %u-fold cross-validation by group, seed %llu. Errors on the "
               "issue's scale (0-100 for DEU); (cv): parameters fitted on the other folds "
               "only; (ref): reference rows (docs/backtest.md).</p></header>\n",
               b->n_items, b->n_skipped, b->opt.folds, (unsigned long long)b->opt.seed);
    buf_puts(&bb, "<section id=\"calibration\"><h2>Calibration of the intervals</h2>\n<p>Every "
                  "row's interval is its forecast plus or minus a quantile of its errors on the "
                  "other folds; a calibrated interval holds the outcome as often as it claims. "
                  "Hover a dot for the figures.</p><div class=\"wrap\">\n");
    pl_status rc = calibration_chart(&bb, s, b, subs, n_subs, rows_shown);
    buf_puts(&bb, "</div></section>\n");
    for (size_t k = 0; rc == PL_OK && k < n_subs; k++) {
        buf_printf(&bb, "<section><h2>%s", k ? "Issues: " : "All issues");
        if (k) svg_escape(&bb, subs[k].label);
        buf_printf(&bb,
                   "</h2><div class=\"wrap\"><table><thead><tr><th>Model</th><th>n</th>"
                   "<th>MAE</th><th>Median AE</th><th>RMSE</th><th>within 10</th>"
                   "<th>within 20</th><th>%.0f%% interval width</th><th>coverage</th></tr>"
                   "</thead><tbody>\n",
                   100 * b->opt.coverage);
        for (size_t r = 0; r < BT_N_ROWS; r++) {
            if (rows_shown && !rows_shown[r]) continue;
            pl_backtest_stats st;
            if ((rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st)) !=
                PL_OK)
                break;
            buf_printf(&bb,
                       "<tr><td>%s%s</td><td class=\"n\">%zu</td><td class=\"n\">%.2f</td>"
                       "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">%.0f%%"
                       "</td><td class=\"n\">%.0f%%</td><td class=\"n\">%.1f</td><td "
                       "class=\"n\">%.0f%%</td></tr>\n",
                       pl_backtest_row_name(r),
                       bt_row_fitted(r) && !b->given ? " (cv)"
                       : r >= PL_MODEL_COUNT         ? " (ref)"
                                                     : "",
                       st.n, st.mae, st.median_ae, st.rmse, 100 * st.within10, 100 * st.within20,
                       st.interval_width, 100 * st.coverage);
        }
        buf_puts(&bb, "</tbody></table></div></section>\n");
    }
    buf foot = {0};
    fitted_text(&foot, b);
    buf_puts(&bb, "<pre class=\"meta\" style=\"white-space:pre-wrap\">");
    if (foot.data) svg_escape(&bb, foot.data);
    buf_puts(&bb, "</pre>\n");
    if (foot.oom) bb.oom = 1;
    buf_free(&foot);
    report_html_close(&bb, 0);
    if (rc != PL_OK || bb.oom) {
        buf_free(&bb);
        return rc != PL_OK ? rc : PL_ENOMEM;
    }
    return report_take(&bb, out);
}

/* One row's figures on one subset, as JSON. */
static json_t *stats_json(const pl_backtest_stats *st, int *ok) {
    json_t *o = json_object();
    jout_set(o, "n", json_integer((json_int_t)st->n), ok);
    jout_set(o, "mae", json_real(st->mae), ok);
    jout_set(o, "median_ae", json_real(st->median_ae), ok);
    jout_set(o, "rmse", json_real(st->rmse), ok);
    jout_set(o, "within_10", json_real(st->within10), ok);
    jout_set(o, "within_20", json_real(st->within20), ok);
    jout_set(o, "interval_width", json_real(st->interval_width), ok);
    jout_set(o, "coverage", json_real(st->coverage), ok);
    return o;
}

static pl_status backtest_json(const pl_scenario *s, const pl_backtest *b, const subset *subs,
                               size_t n_subs, const int *rows_shown, char **out) {
    pl_status rc;
    json_t *root = json_object(), *models = json_array();
    int ok = root && models;
    jout_set(root, "n_issues", json_integer((json_int_t)b->n_items), &ok);
    jout_set(root, "n_skipped_no_outcome", json_integer((json_int_t)b->n_skipped), &ok);
    jout_set(root, "folds", json_integer(b->opt.folds), &ok);
    jout_set(root, "seed", json_integer((json_int_t)b->opt.seed), &ok);
    jout_set(root, "coverage_goal", json_real(b->opt.coverage), &ok);
    json_t *fit = json_object();
    jout_set(fit, "tau_unanimity", json_real(b->fitted.sticky.tau_unanimity), &ok);
    jout_set(fit, "tau_other", json_real(b->fitted.sticky.tau_other), &ok);
    jout_set(fit, "in_sample_mae", json_real(b->fitted_mae[PL_MODEL_STICKY]), &ok);
    jout_set(root, "sticky_fitted_on_all", fit, &ok);
    jout_set(root, "parameters_given", json_boolean(b->given), &ok);
    jout_set(root, "fitted_on_all", params_json(&b->fitted, b->given ? NULL : b->fitted_mae, &ok),
             &ok);
    json_t *folds = json_array();
    for (size_t k = 0; !b->given && k < b->opt.folds; k++)
        jout_push(folds, params_json(&b->fold_params[k], NULL, &ok), &ok);
    jout_set(root, "fitted_in_folds", folds, &ok);
    for (size_t r = 0; r < BT_N_ROWS && ok; r++) {
        if (rows_shown && !rows_shown[r]) continue;
        json_t *m = json_object(), *by = json_object();
        jout_set(m, "model", json_string(pl_backtest_row_name(r)), &ok);
        jout_set(m, "reference", json_boolean(r >= PL_MODEL_COUNT), &ok);
        jout_set(m, "cross_validated", json_boolean(!b->given && bt_row_fitted(r)), &ok);
        for (size_t k = 0; k < n_subs; k++) {
            pl_backtest_stats st;
            if ((rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st)) !=
                PL_OK) {
                json_decref(m);
                json_decref(by);
                json_decref(root);
                json_decref(models);
                return rc;
            }
            json_t *o = stats_json(&st, &ok);
            if (k == 0) jout_set(m, "all", o, &ok);
            else jout_set(by, subs[k].label, o, &ok);
        }
        jout_set(m, "by", by, &ok);
        jout_push(models, m, &ok);
    }
    jout_set(root, "models", models, &ok);
    return json_out(root, ok, 10, out);
}

/* Text and CSV: a table per subset, then (text) the closing lines. */
static pl_status backtest_table(const pl_scenario *s, const pl_backtest *b, pl_format format,
                                const subset *subs, size_t n_subs, const int *rows_shown,
                                char **out) {
    pl_status rc;
    buf bb = {0};
    if (format == PL_FORMAT_CSV)
        buf_puts(&bb,
                 "model,subset,n,mae,median_ae,rmse,within_10,within_20,interval_width,coverage\n");
    else if (b->given)
        buf_printf(&bb,
                   "Backtest: %zu issues with a known outcome (%zu without one skipped); "
                   "parameters given, nothing fitted\n",
                   b->n_items, b->n_skipped);
    else
        buf_printf(&bb,
                   "Backtest: %zu issues with a known outcome (%zu without one skipped); "
                   "%u-fold cross-validation by group, seed %llu\n",
                   b->n_items, b->n_skipped, b->opt.folds, (unsigned long long)b->opt.seed);
    for (size_t k = 0; k < n_subs; k++) {
        if (format == PL_FORMAT_TEXT) {
            buf_printf(&bb, "\n%s%s\n", k ? "Issues: " : "All issues", k ? subs[k].label : "");
            buf_printf(&bb, "  %-17s %5s %7s %7s %7s %6s %6s  %s\n", "model", "n", "MAE", "MedAE",
                       "RMSE", "<=10", "<=20", "80% interval: width, coverage");
        }
        for (size_t r = 0; r < BT_N_ROWS; r++) {
            if (rows_shown && !rows_shown[r]) continue;
            pl_backtest_stats st;
            if ((rc = pl_backtest_stats_get(b, s, r, subs[k].procedure, subs[k].rule, &st)) !=
                PL_OK) {
                buf_free(&bb);
                return rc;
            }
            if (format == PL_FORMAT_CSV) {
                buf_printf(&bb, "%s,%s,%zu,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n",
                           pl_backtest_row_name(r), subs[k].label, st.n, st.mae, st.median_ae,
                           st.rmse, st.within10, st.within20, st.interval_width, st.coverage);
                continue;
            }
            char name[40];
            snprintf(name, sizeof name, "%s%s", pl_backtest_row_name(r),
                     bt_row_fitted(r) && !b->given ? " (cv)"
                     : r >= PL_MODEL_COUNT         ? " (ref)"
                                                   : "");
            buf_printf(&bb, "  %-17s %5zu %7.2f %7.2f %7.2f %5.0f%% %5.0f%%  %5.1f, %3.0f%%\n",
                       name, st.n, st.mae, st.median_ae, st.rmse, 100 * st.within10,
                       100 * st.within20, st.interval_width, 100 * st.coverage);
        }
    }
    if (format == PL_FORMAT_TEXT) fitted_text(&bb, b);
    return report_take(&bb, out);
}

pl_status pl_report_backtest(const pl_scenario *s, const pl_backtest *b, pl_format format,
                             const int *rows_shown, char **out) {
    if (!s || !b || !out) return PL_EINVAL;
    *out = NULL;
    if (format == PL_FORMAT_SVG) return PL_EINVAL;
    subset subs[32];
    size_t n_subs = subsets(s, b, subs, 32);
    if (format == PL_FORMAT_HTML) return backtest_html(s, b, subs, n_subs, rows_shown, out);
    if (format == PL_FORMAT_JSON) return backtest_json(s, b, subs, n_subs, rows_shown, out);
    return backtest_table(s, b, format, subs, n_subs, rows_shown, out);
}
