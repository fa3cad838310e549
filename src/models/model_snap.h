/*
** model_snap.h: the snap + sticky model's kernel (model_snap.c) for the
** model registry and for fitting in backtests: an issue is prepared once
** (everything that does not depend on the parameters), then forecast under
** any parameters cheaply.
*/
#ifndef PL_MODEL_SNAP_H
#define PL_MODEL_SNAP_H

#include "parley.h"

typedef struct snap_issue {
    double compromise; /* capability x salience weighted mean */
    double range;      /* max - min of the scale */
    double status_quo;
    int has_sq, vetoes; /* vetoes: unanimity or consensus */
    int has_snap;       /* a position strictly inside [lo, hi] exists */
    double snap;        /* the one nearest the compromise (ties: the lower) */
} snap_issue;

/* Prepare a checked input with weights w[i] = capability x salience. */
pl_status snap_prepare(const pl_issue_input *in, const double *w, snap_issue *out);

/* The forecast under p.  With p->distance 0 it is the sticky model. */
double snap_apply(const snap_issue *it, const pl_snap_params *p);

/* The sticky taus (0, 0.05, ..., 0.50 of the range,
** one per class of rule) with the least absolute error on the rows listed,
** the snap distance held at p->distance; ties go to the smaller tau.  Reads
** items[rows[k]] and outcome[rows[k]] only. */
void snap_fit_taus(const snap_issue *items, const double *outcome, const size_t *rows,
                   size_t n_rows, pl_snap_params *p);

/* The snap + sticky fit: the taus with no snap, then the distance (0, 0.05, ...,
** 0.50 of the range), the taus, the distance and
** the taus again, each the least absolute error with the others held.
** Reads the listed rows only. */
void snap_fit(const snap_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
              pl_snap_params *out);

/* Mean absolute error on the listed rows (0 for none). */
double snap_mae(const snap_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
                const pl_snap_params *p);

/* Grid value k is k / SNAP_GRID_DIV (0.35 is the double nearest 0.35, not
** 7 x 0.05). */
#define SNAP_GRID_DIV 20.0
#define SNAP_TAU_STEPS 11      /* 0 .. 0.50 */
#define SNAP_DISTANCE_STEPS 11 /* 0 .. 0.50 */

#endif
