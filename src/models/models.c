/*
** models.c: every forecasting model behind one interface (pl_model_forecast)
** -- the baselines, the expected utility model and parley's sticky status
** quo model -- so that forecasts, backtests and Monte Carlo runs treat all
** models alike.
*/
#include "models/models.h"

#include "core/alloc.h"
#include "models/model_candidate.h"
#include "models/model_snap.h"

#include <math.h>
#include <string.h>

static const char *const model_names[PL_MODEL_COUNT] = {
    "compromise", "median", "nash", "eum", "eum-mean", "sticky", "snap", "candidate", "ensemble"};

static const char *const model_descriptions[PL_MODEL_COUNT] = {
    "capability x salience weighted mean of the positions",
    "capability x salience weighted median (the Condorcet winner)",
    "Nash bargaining solution, the status quo as disagreement point",
    "expected utility model (Bueno de Mesquita; Scholz's replication): final weighted median",
    "expected utility model: final weighted mean",
    "parley's sticky status quo model: the compromise, unless it is too close to the status quo to move it",
    "snap + sticky: the sticky rule, else the interior position nearest the compromise if near enough",
    "candidate choice: a logit over the positions, status quo and compromise; its median",
    "the average of the snap and candidate forecasts"};

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

/* Fitted on deu3-train.tsv by `parley backtest --fit` (the recipe's values,
** ../shared/data/deu3/candidate/recipe.md, sections 6.1 and 6.2; the fit is
** checked against them in tests/test_candidate.c). */
#define SNAP_TAU_UNANIMITY 0.35
#define SNAP_TAU_OTHER 0.15
#define SNAP_DISTANCE 0.30
#define CANDIDATE_LAMBDA 10.0
static const double candidate_beta[PL_CANDIDATE_N_FEATURES] = {
    +0.153194, +0.239708, -0.175331, -0.548051, +0.053927, +0.201530, +0.341550, -0.199858,
    -0.391429, -0.317875, +0.012936, -0.210888, +0.085928, +0.062596, -0.154348};

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
    opt->snap.tau_unanimity = SNAP_TAU_UNANIMITY;
    opt->snap.tau_other = SNAP_TAU_OTHER;
    opt->snap.distance = SNAP_DISTANCE;
    memcpy(opt->candidate.beta, candidate_beta, sizeof candidate_beta);
    opt->candidate.lambda = CANDIDATE_LAMBDA;
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

/* The snap, candidate or ensemble forecast (model one of the three). */
static pl_status snap_candidate(pl_model model, const pl_issue_input *in, const double *w,
                                const pl_forecast_options *opt, double *out) {
    double snap = 0, cand = 0;
    pl_status rc = PL_OK;
    if (model != PL_MODEL_CANDIDATE) {
        snap_issue it;
        if ((rc = snap_prepare(in, w, &it)) != PL_OK) return rc;
        snap = snap_apply(&it, &opt->snap);
    }
    if (model != PL_MODEL_SNAP) {
        size_t room = CAND_MAX(in->n);
        double small[32 * (PL_CANDIDATE_N_FEATURES + 1)];
        double *buf = room <= 32
                          ? small
                          : pl__malloc(room * (PL_CANDIDATE_N_FEATURES + 1) * sizeof(double));
        if (!buf) return PL_ENOMEM;
        cand_issue it = {0, buf, buf + room};
        rc = cand_prepare(in, w, &it);
        if (rc == PL_OK) cand = cand_apply(&it, opt->candidate.beta);
        if (buf != small) pl__free(buf);
    }
    *out = model == PL_MODEL_SNAP ? snap : model == PL_MODEL_CANDIDATE ? cand : (snap + cand) / 2;
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
        case PL_MODEL_SNAP:
        case PL_MODEL_CANDIDATE:
        case PL_MODEL_ENSEMBLE: rc = snap_candidate(model, in, w, opt, out); break;
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
