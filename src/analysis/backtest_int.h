/*
** backtest_int.h: the private structure of a backtest (pl_backtest), built
** by backtest.c and read by its report (report/report_backtest.c).
*/
#ifndef PL_BACKTEST_INT_H
#define PL_BACKTEST_INT_H

#include "parley.h"

/* The rows: every model (pl_model), then two references. */
#define BT_ROW_SQ PL_MODEL_COUNT         /* the status quo */
#define BT_ROW_MEAN (PL_MODEL_COUNT + 1) /* the unweighted mean of the positions */
#define BT_N_ROWS (PL_MODEL_COUNT + 2)

typedef struct bt_issue {
    size_t issue; /* scenario index */
    size_t fold;
    double outcome;
    double range;      /* max - min, for the sticky grid */
    double compromise; /* for the sticky model's fit */
    double status_quo;
    int has_sq, vetoes;
    double forecast[BT_N_ROWS]; /* held-out forecasts (NaN: row not applicable) */
    double lo[BT_N_ROWS], hi[BT_N_ROWS];
} bt_issue;

struct pl_backtest {
    bt_issue *items;
    size_t n_items;
    size_t n_skipped; /* issues without an outcome */
    pl_backtest_options opt;
    pl_sticky_params fitted; /* on all issues */
    double fitted_mae;       /* in-sample error of that fit */
};

#endif
