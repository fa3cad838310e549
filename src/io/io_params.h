/*
** io_params.h: the fitted-parameters file (pl_params, io_params.c) as the
** backtest builds it: the structure and how to fill it.
*/
#ifndef PL_IO_PARAMS_H
#define PL_IO_PARAMS_H

#include "parley.h"

/* One model's (or reference row's) out-of-fold absolute errors. */
typedef struct params_errors {
    char *row; /* a backtest row name: "compromise", ..., "status-quo", "mean" */
    double *errors;
    size_t n;
} params_errors;

struct pl_params {
    pl_sticky_params sticky;
    pl_snap_params snap;
    pl_candidate_params candidate;
    size_t n_issues; /* issues fitted on */
    unsigned folds;
    unsigned long long seed;
    params_errors *sets;
    size_t n_sets;
};

/* An empty set of parameters (the defaults of pl_forecast_options_init). */
pl_status params_new(pl_params **out);
/* Add a row's errors (copied); PL_ENOMEM. */
pl_status params_add_errors(pl_params *p, const char *row, const double *errors, size_t n);

#endif
