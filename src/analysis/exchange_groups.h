/*
** exchange_groups.h: the exchange model over a scenario's groups of linked
** issues (exchange_groups.c), as the analysis layer runs it many times:
** Monte Carlo runs and sensitivity swings put their own values in, the
** report keeps each group's run to tell its exchanges.
**
** A plan (the groups, built once from the scenario) and a work area (one
** model input per group, reused: a thread each) make a run cost only the
** model; every value goes into the model's input the way
** pl_exchange_data_from_scenario puts it, so a run on a scenario's own
** values is pl_exchange_forecast_scenario's, to the bit.
*/
#ifndef PL_EXCHANGE_GROUPS_H
#define PL_EXCHANGE_GROUPS_H

#include "parley.h"

#include <stddef.h>

typedef struct exchange_plan {
    const pl_scenario *s;
    size_t n_actors, n_issues, n_groups;
    size_t *first;   /* n_groups + 1: group g's issues are members[first[g] ..] */
    size_t *members; /* n_issues: the issues by group, each group in scenario order */
} exchange_plan;

/* The groups of s (pl_issue.group; the ungrouped issues form one group, in
** the place of their first issue).  s is borrowed for the plan's life. */
pl_status exchange_plan_init(const pl_scenario *s, exchange_plan *p);
void exchange_plan_free(exchange_plan *p);

/* One model input per group, with the scenario's ids (no stake yet). */
typedef struct exchange_work {
    size_t n_groups;
    pl_exchange_data **data;
} exchange_work;

pl_status exchange_work_init(const exchange_plan *p, exchange_work *w);
void exchange_work_free(exchange_work *w);

/* Actor a's stake in issue k: has[a * n_issues + k], with its position
** x[..] (the issue's scale) and salience sal[..] (0-100); capability
** cap[a].  A stake of salience or capability 0 is left out.  The model on every group into forecast[k] (a group where
** nobody weighs in: each issue's status quo, else its midpoint);
** n_exchanges (NULL or a count) gets the exchanges made; results (NULL or
** n_groups slots, NULL where the group did not run) keep the runs, which
** the caller frees.  opt NULL: defaults. */
pl_status exchange_plan_forecast(const exchange_plan *p, exchange_work *w, const unsigned char *has,
                                 const double *x, const double *sal, const double *cap,
                                 const pl_exchange_options *opt, double *forecast,
                                 size_t *n_exchanges, pl_exchange_result **results);

/* exchange_plan_forecast on group g alone (forecast: its issues' entries;
** result: NULL or a slot for the run, NULL when the group did not run). */
pl_status exchange_group_forecast(const exchange_plan *p, exchange_work *w, size_t g,
                                  const unsigned char *has, const double *x, const double *sal,
                                  const double *cap, const pl_exchange_options *opt,
                                  double *forecast, size_t *n_exchanges,
                                  pl_exchange_result **result);

/* The scenario's own values as dense arrays for exchange_plan_forecast
** (pl__malloc'd; the caller frees them). */
pl_status exchange_plan_values(const exchange_plan *p, unsigned char **has, double **x,
                               double **sal, double **cap);

#endif
