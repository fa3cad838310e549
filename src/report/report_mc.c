/*
** report_mc.c: a Monte Carlo run (pl_mc): each model's forecasts of each
** issue across the runs -- mean, median, percentiles, spread, a histogram
** over the scale and how often each option comes out nearest.
*/
#include "analysis/mc_int.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>

/* The JSON document's head: the run, the spreads used, what was perturbed. */
static void head_json(const pl_scenario *s, const pl_mc *mc, json_t *root, int *ok) {
    jout_set(root, "scenario", json_string(pl_scenario_id(s)), ok);
    jout_set(root, "runs", json_integer((json_int_t)mc->n_runs), ok);
    jout_set(root, "runs_asked", json_integer((json_int_t)mc->n_runs_asked), ok);
    jout_set(root, "interrupted", json_boolean(mc->interrupted), ok);
    jout_set(root, "seed", json_integer((json_int_t)mc->opt.seed), ok);
    json_t *d = json_object();
    jout_set(d, "given_by_scenario", json_boolean(mc->used.given), ok);
    jout_set(d, "position_sd_share", json_real(mc->used.position_sd_share), ok);
    jout_set(d, "salience_sd", json_real(mc->used.salience_sd), ok);
    jout_set(d, "capability_sd_share", json_real(mc->used.capability_sd_share), ok);
    jout_set(root, "default_spreads", d, ok);
    json_t *pert = json_object();
    jout_set(pert, "positions", json_integer((json_int_t)mc->perturbed[0]), ok);
    jout_set(pert, "saliences", json_integer((json_int_t)mc->perturbed[1]), ok);
    jout_set(pert, "capabilities", json_integer((json_int_t)mc->perturbed[2]), ok);
    jout_set(root, "perturbed", pert, ok);
    jout_set(root, "changes", report_changes_json(s), ok);
    jout_set(root, "summarised", json_boolean(mc->accs != NULL), ok);
    if (mc->accs) jout_set(root, "quantile_bins", json_integer(PL_MC_QUANTILE_BINS), ok);
    if (mc->models[PL_MC_EXCHANGE]) {
        json_t *x = json_object();
        jout_set(x, "rounds", json_integer((json_int_t)mc->ex_rounds), ok);
        jout_set(x, "p", json_real(mc->ex_p), ok);
        jout_set(root, "exchange", x, ok);
    }
}

/* The exchange model's options, when it ran (a text or CSV line). */
static void exchange_line(const pl_mc *mc, buf *b, const char *prefix) {
    if (!mc->models[PL_MC_EXCHANGE]) return;
    buf_printf(b, "%sexchange model: %u rounds each run, p %.3g%s\n", prefix, mc->ex_rounds,
               mc->ex_p, mc->ex_p > 0 ? " (the gain splits drawn from each run's stream)" : "");
}

/* The CSV's comment lines and column header. */
static void head_csv(const pl_scenario *s, const pl_mc *mc, buf *b) {
    buf_printf(b,
               "# perturbed in each run: %zu positions, %zu saliences, %zu capabilities, "
               "each from its spread (seed %llu)\n",
               mc->perturbed[0], mc->perturbed[1], mc->perturbed[2],
               (unsigned long long)mc->opt.seed);
    exchange_line(mc, b, "# ");
    report_changes_csv(b, s);
    if (mc->accs)
        buf_printf(b,
                   "# summarised: median, p5 and p95 from %d bins over each scale (within "
                   "one bin), mean and sd from values rounded to 1/4294967295 of it\n",
                   PL_MC_QUANTILE_BINS);
    buf_puts(b, "issue,model,runs,mean,sd,median,p5,p95,min,max,histogram,option_shares\n");
}

/* The text's head: the run, the spreads, what was perturbed and changed. */
static void head_text(const pl_scenario *s, const pl_mc *mc, buf *b) {
    buf_printf(b, "%s (%s): Monte Carlo, %zu runs%s, seed %llu\n", pl_scenario_name(s),
               pl_scenario_id(s), mc->n_runs,
               mc->interrupted ? " (INTERRUPTED: only the runs finished are shown)" : "",
               (unsigned long long)mc->opt.seed);
    buf_printf(b,
               "Spreads: each value's own, else %s: position sd %.3g of the scale, "
               "salience sd %.3g, capability sd %.3g of its value\n",
               mc->used.given ? "the scenario's defaults" : "parley's defaults",
               mc->used.position_sd_share, mc->used.salience_sd, mc->used.capability_sd_share);
    buf_printf(b, "Perturbed in each run: %zu positions, %zu saliences, %zu capabilities\n",
               mc->perturbed[0], mc->perturbed[1], mc->perturbed[2]);
    exchange_line(mc, b, "The ");
    report_changes_text(b, s);
    if (mc->accs)
        buf_printf(b,
                   "Summarised (the runs' values exceed the %zu MiB kept exactly): "
                   "median, p5 and p95 from %d bins over each scale, exact to one bin\n",
                   (mc->opt.exact_bytes ? mc->opt.exact_bytes : PL_MC_EXACT_BYTES) >> 20,
                   PL_MC_QUANTILE_BINS);
}

/* One model's figures on one issue as a JSON object. */
static json_t *model_json(const pl_issue *is, const pl_mc_stats *st, const size_t *hist,
                          size_t bins, const double *shares, int *ok) {
    json_t *o = json_object(), *h = json_array();
    jout_set(o, "mean", json_real(st->mean), ok);
    jout_set(o, "sd", json_real(st->sd), ok);
    jout_set(o, "median", json_real(st->median), ok);
    jout_set(o, "p5", json_real(st->p5), ok);
    jout_set(o, "p95", json_real(st->p95), ok);
    jout_set(o, "min", json_real(st->min), ok);
    jout_set(o, "max", json_real(st->max), ok);
    for (size_t k = 0; k < bins; k++) jout_push(h, json_integer((json_int_t)hist[k]), ok);
    jout_set(o, "histogram", h, ok);
    if (is->n_options) {
        json_t *opts = json_array();
        for (size_t k = 0; k < is->n_options; k++) {
            json_t *po = json_object();
            jout_set(po, "value", json_real(is->options[k].value), ok);
            jout_set(po, "label", json_string(is->options[k].label), ok);
            jout_set(po, "probability", json_real(shares[k]), ok);
            jout_push(opts, po, ok);
        }
        jout_set(o, "options", opts, ok);
    }
    return o;
}

/* One model's figures on one issue as a CSV line. */
static void model_csv(buf *b, const pl_mc *mc, const pl_issue *is, pl_model m,
                      const pl_mc_stats *st, const size_t *hist, size_t bins,
                      const double *shares) {
    buf_csv(b, is->id);
    buf_printf(b, ",%s,%zu,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,", pl_mc_model_name(m),
               mc->n_runs, st->mean, st->sd, st->median, st->p5, st->p95, st->min, st->max);
    for (size_t k = 0; k < bins; k++) buf_printf(b, "%s%zu", k ? " " : "", hist[k]);
    buf_putc(b, ',');
    for (size_t k = 0; k < is->n_options; k++) buf_printf(b, "%s%.6g", k ? " " : "", shares[k]);
    buf_putc(b, '\n');
}

/* One model's figures on one issue as a text line with a histogram of
** block characters, and the options' shares under the compromise model. */
static void model_text(buf *b, const pl_issue *is, pl_model m, const pl_mc_stats *st,
                       const size_t *hist, size_t bins, const double *shares) {
    static const char *const bars[] = {" ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                       "\u2585", "\u2586", "\u2587", "\u2588"};
    size_t peak = 1;
    for (size_t k = 0; k < bins; k++)
        if (hist[k] > peak) peak = hist[k];
    buf_printf(b, "  %-10s %8.1f %8.1f %8.1f %8.1f %8.1f  ", pl_mc_model_name(m), st->mean,
               st->median, st->p5, st->p95, st->sd);
    for (size_t k = 0; k < bins; k++) {
        size_t level = hist[k] ? 1 + (7 * hist[k]) / peak : 0;
        buf_puts(b, bars[level > 8 ? 8 : level]);
    }
    buf_putc(b, '\n');
    if (is->n_options && m == PL_MODEL_COMPROMISE) {
        buf_puts(b, "             options (compromise model):");
        for (size_t k = 0; k < is->n_options; k++)
            buf_printf(b, " %.0f%% %s%s", 100 * shares[k], is->options[k].label,
                       k + 1 < is->n_options ? ";" : "");
        buf_putc(b, '\n');
    }
}

/* The issue's head: a JSON object pushed on ISSUES (its models object
** returned in *MODELS), or the text's title and column names. */
static void issue_head(buf *b, pl_format format, const pl_issue *is, json_t *issues,
                       json_t **models, int *ok) {
    if (format == PL_FORMAT_JSON) {
        /* attached at once, so that an early exit frees them with root */
        json_t *io = json_object();
        *models = json_object();
        jout_push(issues, io, ok);
        jout_set(io, "models", *models, ok);
        jout_set(io, "id", json_string(is->id), ok);
        jout_set(io, "name", json_string(is->name), ok);
        jout_set(io, "min", json_real(is->min), ok);
        jout_set(io, "max", json_real(is->max), ok);
    } else if (format == PL_FORMAT_TEXT) {
        buf_printf(b, "\n%s (%s): %g = %s .. %g = %s\n", is->name, is->id, is->min, is->min_label,
                   is->max, is->max_label);
        buf_printf(b, "  %-10s %8s %8s %8s %8s %8s  %s\n", "model", "mean", "median", "p5", "p95",
                   "sd", "histogram (min .. max)");
    }
}

pl_status pl_report_mc(const pl_scenario *s, const pl_mc *mc, pl_format format, char **out) {
    if (!s || !mc || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    size_t bins = mc->bins, n_opt_max = 0;
    for (size_t i = 0; i < mc->n_issues; i++)
        if (pl_scenario_issue(s, i)->n_options > n_opt_max)
            n_opt_max = pl_scenario_issue(s, i)->n_options;
    size_t *hist = pl__malloc((bins + 1) * sizeof(size_t));
    double *shares = pl__malloc((n_opt_max + 1) * sizeof(double));
    buf b = {0};
    json_t *root = NULL, *issues = NULL;
    int ok = 1;
    pl_status rc = PL_ENOMEM;
    if (!hist || !shares) goto done;
    if (format == PL_FORMAT_JSON) {
        root = json_object();
        issues = json_array();
        head_json(s, mc, root, &ok);
    } else if (format == PL_FORMAT_CSV) {
        head_csv(s, mc, &b);
    } else {
        head_text(s, mc, &b);
    }
    for (size_t i = 0; i < mc->n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        json_t *models = NULL;
        issue_head(&b, format, is, issues, &models, &ok);
        for (int m = 0; m < PL_MC_N_MODELS; m++) {
            if (!mc->models[m]) continue;
            pl_mc_stats st;
            rc = pl_mc_summary(mc, s, i, (pl_model)m, &st, hist, shares);
            if (rc != PL_OK) goto done;
            if (format == PL_FORMAT_JSON)
                jout_set(models, pl_mc_model_name((pl_model)m),
                         model_json(is, &st, hist, bins, shares, &ok), &ok);
            else if (format == PL_FORMAT_CSV)
                model_csv(&b, mc, is, (pl_model)m, &st, hist, bins, shares);
            else model_text(&b, is, (pl_model)m, &st, hist, bins, shares);
        }
    }
    if (format == PL_FORMAT_JSON) {
        jout_set(root, "issues", issues, &ok);
        issues = NULL;
        json_t *tree = root;
        root = NULL;
        rc = json_out(tree, ok, 12, out);
        goto done;
    } else if (format == PL_FORMAT_TEXT) {
        buf_puts(&b, "\np5/p95: the 5th and 95th percentiles of the forecasts across runs. "
                     "Options: how often each is the nearest to the forecast.\n");
    }
    rc = report_take(&b, out);
done:
    json_decref(root);
    json_decref(issues);
    if (rc != PL_OK) buf_free(&b);
    pl__free(hist);
    pl__free(shares);
    return rc;
}
