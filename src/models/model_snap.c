/*
** model_snap.c: the snap + sticky model on one issue, and its fit.
**
** DEU outcomes land on one of the actors' positions in two issues of three
** (experts code options, decisions take one), where a weighted mean falls
** between them.  The model: the sticky rule (the status quo when the
** compromise is within tau of it); else the interior position nearest the
** compromise when it is within a distance d; else the compromise.
** Recipe and figures: docs/models/candidate.md (from
** ../shared/data/deu3/candidate/recipe.md, section 6.1).
*/
#include "models/model_snap.h"

#include <math.h>
#include <stddef.h>

pl_status snap_prepare(const pl_issue_input *in, const double *w, snap_issue *out) {
    double c;
    pl_status rc = pl_weighted_mean(in->position, w, in->n, &c);
    if (rc != PL_OK) return rc;
    double lo = in->position[0], hi = in->position[0];
    for (size_t i = 1; i < in->n; i++) {
        if (in->position[i] < lo) lo = in->position[i];
        if (in->position[i] > hi) hi = in->position[i];
    }
    out->compromise = c;
    out->range = in->max - in->min;
    out->has_sq = in->has_status_quo;
    out->status_quo = in->status_quo;
    out->vetoes = in->rule == PL_RULE_UNANIMITY || in->rule == PL_RULE_CONSENSUS;
    out->has_snap = 0;
    out->snap = c;
    double best = INFINITY;
    for (size_t i = 0; i < in->n; i++) {
        double p = in->position[i], d = fabs(p - c);
        if (!(p > lo && p < hi)) continue;
        /* nearest; of two as near, the lower */
        if (d < best || (d == best && p < out->snap)) {
            best = d;
            out->snap = p;
            out->has_snap = 1;
        }
    }
    return PL_OK;
}

double snap_apply(const snap_issue *it, const pl_snap_params *p) {
    if (it->has_sq) {
        double tau = it->vetoes ? p->tau_unanimity : p->tau_other;
        if (fabs(it->compromise - it->status_quo) < tau * it->range) return it->status_quo;
    }
    if (it->has_snap && fabs(it->snap - it->compromise) < p->distance * it->range) return it->snap;
    return it->compromise;
}

double snap_mae(const snap_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
                const pl_snap_params *p) {
    double total = 0;
    for (size_t k = 0; k < n_rows; k++)
        total += fabs(snap_apply(&items[rows[k]], p) - outcome[rows[k]]);
    return n_rows ? total / (double)n_rows : 0;
}

void snap_fit_taus(const snap_issue *items, const double *outcome, const size_t *rows,
                   size_t n_rows, pl_snap_params *p) {
    /* the two taus touch disjoint issues: fitted independently */
    for (int v = 0; v < 2; v++) {
        double best = INFINITY, tau_best = 0;
        for (int step = 0; step < SNAP_TAU_STEPS; step++) {
            pl_snap_params q = *p;
            q.tau_unanimity = q.tau_other = step / SNAP_GRID_DIV;
            double err = 0;
            for (size_t k = 0; k < n_rows; k++) {
                const snap_issue *it = &items[rows[k]];
                if (it->vetoes != v) continue;
                err += fabs(snap_apply(it, &q) - outcome[rows[k]]);
            }
            if (err < best - 1e-9) {
                best = err;
                tau_best = step / SNAP_GRID_DIV;
            }
        }
        if (v) p->tau_unanimity = tau_best;
        else p->tau_other = tau_best;
    }
}

static void fit_distance(const snap_issue *items, const double *outcome, const size_t *rows,
                         size_t n_rows, pl_snap_params *p) {
    double best = INFINITY, d_best = 0;
    for (int step = 0; step < SNAP_DISTANCE_STEPS; step++) {
        pl_snap_params q = *p;
        q.distance = step / SNAP_GRID_DIV;
        double err = 0;
        for (size_t k = 0; k < n_rows; k++)
            err += fabs(snap_apply(&items[rows[k]], &q) - outcome[rows[k]]);
        if (err < best - 1e-9) {
            best = err;
            d_best = q.distance;
        }
    }
    p->distance = d_best;
}

void snap_fit(const snap_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
              pl_snap_params *out) {
    pl_snap_params p = {0, 0, 0};
    snap_fit_taus(items, outcome, rows, n_rows, &p);
    for (int round = 0; round < 2; round++) {
        fit_distance(items, outcome, rows, n_rows, &p);
        snap_fit_taus(items, outcome, rows, n_rows, &p);
    }
    *out = p;
}
