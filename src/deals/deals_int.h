/*
** deals_int.h: the figures the deals engine computes over a space
** (pl_deals_run in deals.c), for the layers above that read them: its
** report (report/report_deals.c) and the negotiation agents (sim/).
*/
#ifndef PL_DEALS_INT_H
#define PL_DEALS_INT_H

#include "deals/space_int.h"

/* The figures of a space (pl_deals_run in deals.c; read by its report,
** report/report_deals.c). */
struct pl_deals {
    size_t np, ni;
    pl_deals_engine engine; /* the one that ran */
    uint64_t n_outcomes, n_rational;
    size_t n_frontier, n_pareto;
    pl_deal *frontier;
    size_t *choices;                  /* n_frontier * ni */
    double *utils;                    /* n_frontier * np */
    size_t *blockers;                 /* n_frontier * np */
    double *min, *max, *disagreement; /* np each */
    size_t *sol[PL_SOL_COUNT];
    size_t n_sol[PL_SOL_COUNT];
    int has_opposition;
    double opposition;
};

#endif
