/*
** mc_int.h: the private structure of a Monte Carlo run (pl_mc), built by
** mc.c and read by its report (report/report_mc.c).
*/
#ifndef PL_MC_INT_H
#define PL_MC_INT_H

#include "parley.h"

#include <stdint.h>

/* 128-bit integers for exact sums of squares (gcc and clang). */
__extension__ typedef unsigned __int128 u128;

/* The summary of one model's values on one issue over a range of runs:
** integers, so that summaries merge exactly in any order (thread counts,
** and partial runs made elsewhere, give the same figures). */
typedef struct acc {
    uint64_t n;
    u128 sum, sumsq; /* of q = round((v - min) / (max - min) * QMAX) */
    double min, max;
    uint64_t *fine;    /* PL_MC_QUANTILE_BINS counts over the scale */
    uint64_t *hist;    /* bins counts, as the exact histogram       */
    uint64_t *options; /* per option of the issue: runs nearest it  */
    size_t n_options;
} acc;

struct pl_mc {
    size_t n_runs_asked, n_runs; /* n_runs: the runs finished (a prefix) */
    size_t n_issues, n_models;
    int models[PL_MC_N_MODELS];
    size_t bins;
    int interrupted;
    double *results; /* exact: [run][issue][model] */
    acc *accs;       /* summarised: [issue][model]; NULL: every run's values kept */
    size_t perturbed[3];
    pl_mc_options opt;
    pl_uncertainty used; /* the default spreads in force */
    unsigned ex_rounds;  /* the exchange model's rounds and p, when it ran */
    double ex_p;
};

#endif
