/*
** models.c: every forecasting model behind one interface (pl_model_forecast)
** -- the baselines, the expected utility model and parley's sticky status
** quo model -- so that forecasts, backtests and Monte Carlo runs treat all
** models alike.
*/
#include "models/models.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

static const char *const model_names[PL_MODEL_COUNT] = {"compromise", "median",   "nash",
                                                        "eum",        "eum-mean", "sticky"};

static const char *const model_descriptions[PL_MODEL_COUNT] = {
    "capability x salience weighted mean of the positions",
    "capability x salience weighted median (the Condorcet winner)",
    "Nash bargaining solution, the status quo as disagreement point",
    "expected utility model (Bueno de Mesquita; Scholz's replication): final weighted median",
    "expected utility model: final weighted mean",
    "parley's sticky status quo model: the compromise, unless it is too close to the status quo to move it"};

const char *pl_model_name(pl_model model) {
    return (unsigned)model < PL_MODEL_COUNT ? model_names[model] : NULL;
}

const char *pl_model_description(pl_model model) {
    return (unsigned)model < PL_MODEL_COUNT ? model_descriptions[model] : NULL;
}

pl_status pl_model_from_name(const char *name, pl_model *out) {
    if (!name || !out) return PL_EINVAL;
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        if (strcmp(name, model_names[m]) == 0) {
            *out = (pl_model)m;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

/* Fitted on deu3-train.tsv (222 issues with an outcome) by
** `parley backtest --fit ../shared/data/deu3/deu3-train.tsv`: the grid
** values (steps of 0.05 of the scale) with the least mean absolute error;
** see docs/models/sticky.md for the cross-validated error. */
#define STICKY_TAU_UNANIMITY 0.35
#define STICKY_TAU_OTHER 0.15

void pl_forecast_options_init(pl_forecast_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    pl_eum_options_init(&opt->eum, PL_EUM_PRESET_SCHOLZ);
    opt->eum.record = PL_EUM_RECORD_NONE;
    /* Scholz's published run length.  Runs that do not settle (the EC
    ** emission case) turn chaotic later: the forecast at round 100 depends
    ** on the order of floating-point sums (docs/models/eum.md), at round 10
    ** it agrees across implementations to 1e-14. */
    opt->eum.max_rounds = PL_FORECAST_EUM_ROUNDS;
    opt->sticky.tau_unanimity = STICKY_TAU_UNANIMITY;
    opt->sticky.tau_other = STICKY_TAU_OTHER;
}

static int input_ok(const pl_issue_input *in) {
    if (!in || in->n == 0 || !in->position || !in->capability || !in->salience) return 0;
    if (!isfinite(in->min) || !isfinite(in->max) || !(in->min < in->max)) return 0;
    if (in->has_status_quo &&
        (!isfinite(in->status_quo) || in->status_quo < in->min || in->status_quo > in->max))
        return 0;
    for (size_t i = 0; i < in->n; i++)
        if (!isfinite(in->position[i]) || in->position[i] < in->min || in->position[i] > in->max ||
            !isfinite(in->capability[i]) || in->capability[i] < 0 || !isfinite(in->salience[i]) ||
            in->salience[i] < 0 || in->salience[i] > 100)
            return 0;
    return 1;
}

pl_status models_eum(const pl_issue_input *in, const pl_forecast_options *opt, double *median,
                     double *mean) {
    double small[64];
    double *sal = in->n <= 64 ? small : pl__malloc(in->n * sizeof(double));
    if (!sal) return PL_ENOMEM;
    for (size_t i = 0; i < in->n; i++) sal[i] = in->salience[i] / 100;
    pl_eum_options eo = opt->eum;
    eo.record = PL_EUM_RECORD_NONE;
    pl_eum_result *res = NULL;
    pl_status rc = pl_eum_run(in->n, in->position, in->capability, sal, &eo, &res);
    if (rc == PL_OK) {
        size_t t = pl_eum_result_n_rounds(res);
        if (median) *median = pl_eum_result_median(res, t);
        if (mean) *mean = pl_eum_result_mean(res, t);
    }
    pl_eum_result_free(res);
    if (sal != small) pl__free(sal);
    return rc;
}

pl_status models_forecast_w(pl_model model, const pl_issue_input *in, const double *w,
                            const pl_forecast_options *opt, double *out) {
    size_t n = in->n;
    pl_status rc = PL_OK;
    switch (model) {
        case PL_MODEL_COMPROMISE: rc = pl_weighted_mean(in->position, w, n, out); break;
        case PL_MODEL_MEDIAN: rc = pl_weighted_median(in->position, w, n, out); break;
        case PL_MODEL_NASH:
            rc = pl_nash_bargaining(in->position, w, n, in->min, in->max,
                                    in->has_status_quo ? &in->status_quo : NULL, out, NULL);
            break;
        case PL_MODEL_EUM: rc = models_eum(in, opt, out, NULL); break;
        case PL_MODEL_EUM_MEAN: rc = models_eum(in, opt, NULL, out); break;
        case PL_MODEL_STICKY: {
            double c;
            rc = pl_weighted_mean(in->position, w, n, &c);
            if (rc != PL_OK) break;
            *out = c;
            if (in->has_status_quo) {
                int vetoes = in->rule == PL_RULE_UNANIMITY || in->rule == PL_RULE_CONSENSUS;
                double tau = vetoes ? opt->sticky.tau_unanimity : opt->sticky.tau_other;
                if (fabs(c - in->status_quo) < tau * (in->max - in->min)) *out = in->status_quo;
            }
            break;
        }
        case PL_MODEL_COUNT: rc = PL_EINVAL; break;
    }
    return rc;
}

pl_status pl_model_forecast(pl_model model, const pl_issue_input *in,
                            const pl_forecast_options *opt, double *out) {
    if (!out || !input_ok(in) || (unsigned)model >= PL_MODEL_COUNT) return PL_EINVAL;
    pl_forecast_options defaults;
    if (!opt) {
        pl_forecast_options_init(&defaults);
        opt = &defaults;
    }
    size_t n = in->n;
    double small[64];
    double *w = n <= 64 ? small : pl__malloc(n * sizeof(double));
    if (!w) return PL_ENOMEM;
    for (size_t i = 0; i < n; i++) w[i] = in->capability[i] * in->salience[i];
    pl_status rc = models_forecast_w(model, in, w, opt, out);
    if (w != small) pl__free(w);
    return rc;
}
