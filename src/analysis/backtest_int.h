/*
** backtest_int.h: the private structure of a backtest (pl_backtest), built
** by backtest.c and read by its report (report/report_backtest.c).
*/
#ifndef PL_BACKTEST_INT_H
#define PL_BACKTEST_INT_H

#include "models/model_candidate.h"
#include "models/model_snap.h"
#include "parley.h"

/* The rows: every model (pl_model), then two references. */
#define BT_ROW_SQ PL_MODEL_COUNT         /* the status quo */
#define BT_ROW_MEAN (PL_MODEL_COUNT + 1) /* the unweighted mean of the positions */
#define BT_N_ROWS (PL_MODEL_COUNT + 2)

typedef struct bt_issue {
    size_t issue; /* scenario index */
    size_t fold;
    double outcome;
    double forecast[BT_N_ROWS]; /* held-out forecasts (NaN: row not applicable) */
    double lo[BT_N_ROWS], hi[BT_N_ROWS];
} bt_issue;

/* The parameters of every fitted model. */
typedef struct bt_params {
    pl_sticky_params sticky;
    pl_snap_params snap;
    pl_candidate_params candidate;
} bt_params;

/* 1 for the rows whose model has fitted parameters. */
int bt_row_fitted(size_t row);

/* Fit every fitted model on the rows listed (indices into the three
** arrays, which hold one prepared issue each); reads no other row.  The
** candidate model's penalty is `lambda`. */
void bt_fit(const snap_issue *snaps, const cand_issue *cands, const double *outcomes,
            const size_t *rows, size_t n_rows, double lambda, bt_params *out);

struct pl_backtest {
    bt_issue *items;
    size_t n_items;
    size_t n_skipped; /* issues without an outcome */
    /* the issues prepared for the fitted models, by item */
    snap_issue *snaps;
    cand_issue *cands;
    double *outcomes;
    pl_backtest_options opt;
    int given;                    /* 1: parameters given (opt.params), nothing fitted */
    bt_params fitted;             /* on all issues (or given) */
    double fitted_mae[BT_N_ROWS]; /* in-sample error of that fit, fitted rows */
    bt_params *fold_params;       /* opt.folds: fitted on the other folds */
};

#endif
