/*
** tournament_int.h: the private structure of a tournament (pl_tournament),
** built by tournament.c and read and rebuilt from partial results by
** part_tournament.c (a range's negotiations, joined exactly).
*/
#ifndef PL_TOURNAMENT_INT_H
#define PL_TOURNAMENT_INT_H

#include "parley.h"

/* A negotiation's record on a domain of np parties: agreement (1 or 0),
** welfare, the distance to the Pareto frontier and to the Nash point (NaN:
** none), then each party's utility. */
#define TOURNAMENT_RECORD(np) (4 + (size_t)(np))

struct pl_tournament {
    pl_tournament_options opts;
    size_t n_domains, n_agents;
    char **domain_names;
    size_t *domain_parties;
    uint64_t *domain_assignments;
    char **agents;
    uint64_t n_negotiations, n_agreements;
    pl_tournament_agent_stats *stats;
    /* a range (opts.count > 0): its negotiations' records in order */
    double *records;
    size_t n_values;
};

/* The tournament checked and counted, nothing played (its figures 0). */
pl_status tournament_new(const pl_space *const *domains, size_t n_domains,
                         const char *const *agents, size_t n_agents,
                         const pl_tournament_options *opts, pl_diags *diags, pl_tournament **out);
/* The first negotiation of domain d in the tournament's order. */
uint64_t tournament_domain_first(const pl_tournament *t, size_t d);
/* The per-agent figures of every negotiation, from all their records in
** the tournament's order: the same bits as pl_tournament_run. */
pl_status tournament_replay(pl_tournament *t, const double *records);

#endif
