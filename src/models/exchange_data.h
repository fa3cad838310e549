/*
** exchange_data.h: the private structure of the exchange model's input
** (pl_exchange_data, parley/exchange.h).  exchange_data.c builds it and
** converts scenarios; io/io_decide.c fills it from decide's files;
** model_exchange.c runs on it.
**
** Why not a pl_scenario: decide gives every stake its own power (a
** scenario has one capability per actor) and its ids hold spaces and
** brackets (a scenario's ids are [A-Za-z0-9_-]); a scenario converts into
** this type without loss, not the other way round.
*/
#ifndef PL_EXCHANGE_DATA_H
#define PL_EXCHANGE_DATA_H

#include "parley.h"

#include <stddef.h>

struct pl_exchange_data {
    size_t n_actors, n_issues;
    char *name;                      /* the file or scenario */
    char **actor_ids, **actor_names; /* n_actors */
    char **issue_ids;                /* n_issues */
    double *lower, *upper;           /* n_issues: the issue's own scale */
    unsigned char *has;              /* n_actors x n_issues: a stake? */
    double *x;                       /* positions, normalised to 0-100 */
    double *s;                       /* saliences, 0-1 */
    double *c;                       /* powers, > 0 */
};

/* An input of n_actors x n_issues with every string NULL and no stake;
** NULL when out of memory. */
pl_exchange_data *exchange_data_alloc(size_t n_actors, size_t n_issues);
/* pl_exchange_data_from_scenario on issues[0 .. n_issues - 1] of s (NULL:
** the first n_issues), in that order; every actor of s. */
pl_status exchange_data_from_issues(const pl_scenario *s, const size_t *issues, size_t n_issues,
                                    pl_diags *diags, pl_exchange_data **out);
/* Stake IX (a * n_issues + k) of D from a scenario's values: the position
** on the scale [lo, hi] normalised to 0-100, salience / 100 (at most 1),
** the capability as the power; a stake of salience or capability 0 (or
** below) is left out.  Returns 1 when the stake was kept. */
int exchange_data_put(pl_exchange_data *d, size_t ix, double position, double salience,
                      double capability, double lo, double hi);
/* A copy of [s, s + len) as a string (pl__malloc); NULL on failure. */
char *exchange_strndup(const char *s, size_t len);

#endif
