/*
** forecast.c: every baseline model on every issue of a scenario, with the
** figures a reader needs beside them (spread, nearest actors, blockers).
*/
#include "alloc.h"
#include "parley.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pl_forecast {
    pl_issue_forecast *issues;
    size_t n_issues;
    size_t *indices; /* storage for every issue's closest and blockers */
};

static const char *const model_names[PL_MODEL_COUNT_BASELINE] = {
    "compromise", "median", "nash"};

const char *pl_model_name(pl_model model) {
    return (unsigned)model < PL_MODEL_COUNT_BASELINE ? model_names[model] : NULL;
}

pl_status pl_model_from_name(const char *name, pl_model *out) {
    if (!name || !out) return PL_EINVAL;
    for (int m = 0; m < PL_MODEL_COUNT_BASELINE; m++)
        if (strcmp(name, model_names[m]) == 0) {
            *out = (pl_model)m;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

/* Sort key for "closest": distance, then actor order. */
typedef struct near {
    double distance;
    size_t actor;
} near;

static int near_cmp(const void *a, const void *b) {
    const near *p = a, *q = b;
    if (p->distance != q->distance) return (p->distance > q->distance) - (p->distance < q->distance);
    return (p->actor > q->actor) - (p->actor < q->actor);
}

static pl_status forecast_issue(const pl_scenario *s, size_t i, double *x,
                                double *w, size_t *actors, near *nears,
                                pl_issue_forecast *f, size_t *closest,
                                size_t *blockers) {
    const pl_issue *is = pl_scenario_issue(s, i);
    size_t n = pl_scenario_issue_stakes(s, i, x, w, actors);
    memset(f, 0, sizeof *f);
    f->issue = i;
    f->n_stakes = n;
    f->closest = closest;
    f->blockers = blockers;
    if (n == 0) {
        /* Defined case: nobody holds a position (possible in scenarios built
        ** in code).  Every model says the status quo, else the midpoint. */
        double v = is->has_status_quo ? is->status_quo : (is->min + is->max) / 2;
        for (int m = 0; m < PL_MODEL_COUNT_BASELINE; m++) f->value[m] = v;
        f->min_position = f->max_position = v;
        return PL_OK;
    }
    pl_status rc;
    double *v = f->value;
    if ((rc = pl_weighted_mean(x, w, n, &v[PL_MODEL_COMPROMISE])) != PL_OK) return rc;
    if ((rc = pl_weighted_median(x, w, n, &v[PL_MODEL_MEDIAN])) != PL_OK) return rc;
    if ((rc = pl_nash_bargaining(x, w, n, is->min, is->max,
                                 is->has_status_quo ? &is->status_quo : NULL,
                                 &v[PL_MODEL_NASH], &f->nash_blocked)) != PL_OK)
        return rc;

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

pl_status pl_forecast_run(const pl_scenario *s, pl_forecast **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    pl_forecast *f = pl__calloc(1, sizeof *f);
    double *x = pl__malloc((n_actors + 1) * sizeof(double));
    double *w = pl__malloc((n_actors + 1) * sizeof(double));
    size_t *actors = pl__malloc((n_actors + 1) * sizeof(size_t));
    near *nears = pl__malloc((n_actors + 1) * sizeof(near));
    pl_status rc = PL_ENOMEM;
    if (!f || !x || !w || !actors || !nears) goto fail;
    f->n_issues = n_issues;
    f->issues = pl__calloc(n_issues + 1, sizeof(pl_issue_forecast));
    f->indices = pl__malloc((2 * n_issues * n_actors + 1) * sizeof(size_t));
    if (!f->issues || !f->indices) goto fail;
    for (size_t i = 0; i < n_issues; i++) {
        size_t *closest = f->indices + 2 * i * n_actors;
        rc = forecast_issue(s, i, x, w, actors, nears, &f->issues[i], closest,
                            closest + n_actors);
        if (rc != PL_OK) goto fail;
    }
    pl__free(x);
    pl__free(w);
    pl__free(actors);
    pl__free(nears);
    *out = f;
    return PL_OK;
fail:
    pl__free(x);
    pl__free(w);
    pl__free(actors);
    pl__free(nears);
    pl_forecast_free(f);
    return rc;
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
