/*
** forecast.c: every baseline model on every issue of a scenario, with the
** figures a reader needs beside them (spread, nearest actors, blockers).
*/
#include "core/alloc.h"
#include "parley.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pl_forecast {
    pl_issue_forecast *issues;
    size_t n_issues;
    size_t *indices; /* storage for every issue's closest and blockers */
};

/* Sort key for "closest": distance, then actor order. */
typedef struct near {
    double distance;
    size_t actor;
} near;

static int near_cmp(const void *a, const void *b) {
    const near *p = a, *q = b;
    if (p->distance != q->distance)
        return (p->distance > q->distance) - (p->distance < q->distance);
    return (p->actor > q->actor) - (p->actor < q->actor);
}

/* Scratch arrays for one issue, sized for every actor. */
typedef struct scratch {
    double *x, *w, *cap, *sal, *sal01;
    size_t *actors;
    near *nears;
} scratch;

static pl_status run_eum(const pl_issue_input *in, const pl_forecast_options *opt, double *sal01,
                         pl_issue_forecast *f) {
    for (size_t k = 0; k < in->n; k++) sal01[k] = in->salience[k] / 100;
    pl_eum_options eo = opt->eum;
    eo.record = PL_EUM_RECORD_NONE;
    pl_eum_result *res = NULL;
    pl_status rc = pl_eum_run(in->n, in->position, in->capability, sal01, &eo, &res);
    if (rc != PL_OK) return rc;
    size_t t = pl_eum_result_n_rounds(res);
    f->value[PL_MODEL_EUM] = pl_eum_result_median(res, t);
    f->value[PL_MODEL_EUM_MEAN] = pl_eum_result_mean(res, t);
    f->eum_rounds = t;
    f->eum_stop = pl_eum_result_stop(res);
    f->eum_cycle_length = pl_eum_result_cycle_length(res);
    pl_eum_result_free(res);
    return PL_OK;
}

static pl_status forecast_issue(const pl_scenario *s, size_t i, const pl_forecast_options *opt,
                                scratch *sc, pl_issue_forecast *f, size_t *closest,
                                size_t *blockers) {
    const pl_issue *is = pl_scenario_issue(s, i);
    double *x = sc->x, *w = sc->w;
    size_t *actors = sc->actors;
    near *nears = sc->nears;
    pl_issue_input in;
    size_t n = pl_scenario_issue_input(s, i, x, sc->cap, sc->sal, actors, &in);
    for (size_t k = 0; k < n; k++) w[k] = sc->cap[k] * sc->sal[k];
    memset(f, 0, sizeof *f);
    f->issue = i;
    f->n_stakes = n;
    f->closest = closest;
    f->blockers = blockers;
    if (n == 0) {
        /* Defined case: nobody holds a position (possible in scenarios built
        ** in code).  Every model says the status quo, else the midpoint. */
        double v = is->has_status_quo ? is->status_quo : (is->min + is->max) / 2;
        for (int m = 0; m < PL_MODEL_COUNT; m++) f->value[m] = v;
        f->min_position = f->max_position = v;
        return PL_OK;
    }
    pl_status rc;
    double *v = f->value;
    for (int m = 0; m < PL_MODEL_COUNT; m++) {
        if (m == PL_MODEL_NASH || m == PL_MODEL_EUM || m == PL_MODEL_EUM_MEAN) continue;
        if ((rc = pl_model_forecast((pl_model)m, &in, opt, &v[m])) != PL_OK) return rc;
    }
    /* Nash and the EUM directly, for what they tell beside the forecast. */
    if ((rc = pl_nash_bargaining(x, w, n, is->min, is->max,
                                 is->has_status_quo ? &is->status_quo : NULL, &v[PL_MODEL_NASH],
                                 &f->nash_blocked)) != PL_OK)
        return rc;
    if ((rc = run_eum(&in, opt, sc->sal01, f)) != PL_OK) return rc;

    double total = 0, var = 0, mean = v[PL_MODEL_COMPROMISE];
    f->min_position = f->max_position = x[0];
    for (size_t k = 0; k < n; k++) total += w[k];
    for (size_t k = 0; k < n; k++) {
        double wk = total > 0 ? w[k] / total : 1.0 / (double)n;
        var += wk * (x[k] - mean) * (x[k] - mean);
        if (x[k] < f->min_position) f->min_position = x[k];
        if (x[k] > f->max_position) f->max_position = x[k];
    }
    f->sd_position = sqrt(var);

    for (size_t k = 0; k < n; k++) {
        nears[k].distance = fabs(x[k] - mean);
        nears[k].actor = actors[k];
    }
    qsort(nears, n, sizeof(near), near_cmp);
    for (size_t k = 0; k < n; k++) closest[k] = nears[k].actor;

    if (is->has_status_quo && mean != is->status_quo) {
        double dir = mean > is->status_quo ? 1 : -1;
        for (size_t k = 0; k < n; k++)
            if (w[k] > 0 && (x[k] - is->status_quo) * dir <= 0)
                blockers[f->n_blockers++] = actors[k];
    }
    return PL_OK;
}

/* The forecast table's SMP column runs the model unasked, on one thread
** and without a progress callback: only up to KTAB's own limit of 250
** actors (a fraction of a second).  --model smp takes PL_SMP_MAX_ACTORS. */
#define FORECAST_SMP_MAX_ACTORS 250

/* The SMP's view of every issue at once (one run, KTAB's defaults).  A
** scenario the column does not take (too few or too many actors, or a run
** that does not settle) simply has no SMP column. */
static pl_status forecast_smp(const pl_scenario *s, pl_forecast *f) {
    size_t n_actors = pl_scenario_n_actors(s), n_issues = f->n_issues;
    if (n_actors < PL_SMP_MIN_ACTORS || n_actors > FORECAST_SMP_MAX_ACTORS || n_issues == 0)
        return PL_OK;
    double *mean = pl__malloc(n_issues * sizeof(double));
    double *mode = pl__malloc(n_issues * sizeof(double));
    pl_status rc = PL_ENOMEM;
    if (mean && mode) {
        pl_smp_options so;
        pl_smp_options_init(&so);
        so.n_threads = 1;
        rc = pl_smp_forecast_scenario(s, PL_SMP_SAL_CAP, &so, NULL, mean, mode, NULL);
        if (rc == PL_OK) {
            for (size_t i = 0; i < n_issues; i++) {
                pl_issue_forecast *fi = &f->issues[i];
                if (!isfinite(mean[i]) || !isfinite(mode[i])) continue;
                fi->has_smp = 1;
                fi->smp_mean = mean[i];
                fi->smp_mode = mode[i];
            }
        }
        if (rc != PL_ENOMEM) rc = PL_OK; /* no SMP view, not a failure */
    }
    pl__free(mean);
    pl__free(mode);
    return rc;
}

pl_status pl_forecast_run(const pl_scenario *s, const pl_forecast_options *opt, pl_forecast **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_forecast_options defaults;
    if (!opt) {
        pl_forecast_options_init(&defaults);
        opt = &defaults;
    }
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    size_t room = n_actors + 1;
    pl_forecast *f = pl__calloc(1, sizeof *f);
    scratch sc;
    sc.x = pl__malloc(room * sizeof(double));
    sc.w = pl__malloc(room * sizeof(double));
    sc.cap = pl__malloc(room * sizeof(double));
    sc.sal = pl__malloc(room * sizeof(double));
    sc.sal01 = pl__malloc(room * sizeof(double));
    sc.actors = pl__malloc(room * sizeof(size_t));
    sc.nears = pl__malloc(room * sizeof(near));
    pl_status rc = PL_ENOMEM;
    if (!f || !sc.x || !sc.w || !sc.cap || !sc.sal || !sc.sal01 || !sc.actors || !sc.nears)
        goto done;
    f->n_issues = n_issues;
    f->issues = pl__calloc(n_issues + 1, sizeof(pl_issue_forecast));
    f->indices = pl__malloc((2 * n_issues * n_actors + 1) * sizeof(size_t));
    if (!f->issues || !f->indices) goto done;
    rc = PL_OK;
    for (size_t i = 0; i < n_issues && rc == PL_OK; i++) {
        size_t *closest = f->indices + 2 * i * n_actors;
        rc = forecast_issue(s, i, opt, &sc, &f->issues[i], closest, closest + n_actors);
    }
    if (rc == PL_OK) rc = forecast_smp(s, f);
done:
    pl__free(sc.x);
    pl__free(sc.w);
    pl__free(sc.cap);
    pl__free(sc.sal);
    pl__free(sc.sal01);
    pl__free(sc.actors);
    pl__free(sc.nears);
    if (rc != PL_OK) {
        pl_forecast_free(f);
        return rc;
    }
    *out = f;
    return PL_OK;
}

void pl_forecast_free(pl_forecast *f) {
    if (!f) return;
    pl__free(f->issues);
    pl__free(f->indices);
    pl__free(f);
}

size_t pl_forecast_n_issues(const pl_forecast *f) { return f ? f->n_issues : 0; }

const pl_issue_forecast *pl_forecast_issue(const pl_forecast *f, size_t i) {
    return f && i < f->n_issues ? &f->issues[i] : NULL;
}
