/*
** model_exchange.h: what model_exchange.c offers inside the library and to
** its tests beside the public API (parley/exchange.h).
*/
#ifndef PL_MODEL_EXCHANGE_H
#define PL_MODEL_EXCHANGE_H

#include "models/exchange_data.h"

/* One exchange of round 1 computed alone (spec 5.1 - 5.4), with the
** figures decide's unit test checks: the issue weights and outcomes, both
** sizings of 5.1, and calculate()'s result (index 0: role i, 1: role j).
** W and O point to n_issues values owned by the caller of
** exchange_probe_round1 until exchange_probe_free. */
typedef struct exchange_probe {
    double *W, *O;
    size_t actor_i, actor_j;
    double dp1, dq1, move_i1; /* first sizing (j moves all the way) */
    int overshoot;
    double dq2, dp2, move_j2; /* second sizing (i moves all the way) */
    double move[2], y[2], nbs0[2], nbs1[2], gain;
    int valid;
} exchange_probe;

pl_status exchange_probe_round1(const pl_exchange_data *d, size_t g, size_t h, size_t p, size_t q,
                                exchange_probe *out);
void exchange_probe_free(exchange_probe *pr);

#endif
