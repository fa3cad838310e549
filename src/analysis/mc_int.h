/*
** mc_int.h: the private structure of a Monte Carlo run (pl_mc), built by
** mc.c and read by its report (report/report_mc.c).
*/
#ifndef PL_MC_INT_H
#define PL_MC_INT_H

#include "parley.h"

/* The summary of one model's values on one issue over a range of runs
** (mc.c); NULL accs: every run's values are kept instead. */
typedef struct acc acc;

struct pl_mc {
    size_t n_runs_asked, n_runs; /* n_runs: the runs finished (a prefix) */
    size_t n_issues, n_models;
    int models[PL_MC_N_MODELS];
    size_t bins;
    int interrupted;
    double *results; /* exact: [run][issue][model] */
    acc *accs;       /* summarised: [issue][model]; NULL when exact */
    size_t perturbed[3];
    pl_mc_options opt;
    pl_uncertainty used; /* the default spreads in force */
    unsigned ex_rounds;  /* the exchange model's rounds and p, when it ran */
    double ex_p;
};

#endif
