/*
** sao_int.h: what the stacked alternating offers protocol (sao.c) and its
** agents (agent_*.c) share: a party's view of the space, its ranking of the
** packages, and the agent interface.
**
** A new agent is one new file defining a sao_agent_type and one line in the
** table of agents.c.  An agent sees only its own party (utilities, best and
** worst package, ranking) and the time; the protocol tells it of every
** proposal by another party (notify), asks it to respond to the standing
** offer and to propose.
**
** Packages are named by their enumeration index: the Cartesian product of
** the issues' options, first issue slowest, last fastest (docs/simulation.md,
** B1).
*/
#ifndef PL_SAO_INT_H
#define PL_SAO_INT_H

#include "parley.h"
#include "core/rng.h"

#include <math.h>
#include <stdint.h>

typedef uint64_t sao_outcome;
struct progress; /* core/progress.h */
#define SAO_NONE UINT64_MAX

/* A party's packages sorted by its utility, ascending (docs/simulation.md,
** B2: numpy's introsort order among equal utilities).  Rank r (0 = best)
** is outs[n - 1 - r]. */
typedef struct sao_ranking {
    size_t n;
    const uint32_t *outs;
    const double *us;
} sao_ranking;

/* A package and its utility, ordered by utility, then index (the order a
** search walks; search.c). */
typedef struct sao_key {
    double u;
    sao_outcome o;
} sao_key;

/* A linear party's packages searched instead of ranked (search.c). */
typedef struct sao_search sao_search;

/* The utility of package o for party p (issue by issue from the first, the
** same bits as pl_space_utility). */
double sao_utility(const pl_space *sp, size_t p, sao_outcome o, size_t *scratch);

typedef struct sao_party {
    const pl_space *sp;
    size_t index; /* the party */
    size_t n_parties;
    uint64_t n_outcomes;
    /* B1: the issue-wise best and worst packages and their utilities
    ** (non-linear parties: the ranking's top and bottom).  In rational mode
    ** u_min is raised to the reservation value (at most u_max). */
    sao_outcome best, worst;
    double u_max, u_min;
    double reservation;
    int rational; /* rational mode (pl_negotiate_options) */
    /* The ranking (NULL unless the agent type asks for one); in rational
    ** mode only the packages at or above the reservation value (at least
    ** the best). */
    const sao_ranking *rank;
    const double *by_index; /* with a ranking: the utility of every package */
    /* Above the cap, instead of the ranking (linear parties): the search,
    ** and the lowest and highest packages it may give (in rational mode
    ** those at or above the reservation value, at least the best). */
    const sao_search *search;
    sao_key bottom, top;
    uint64_t seed;   /* the run's seed; random agents use (seed, index) */
    size_t *scratch; /* n_issues entries, for sao_u */
} sao_party;

/* Party p's utility of package o. */
static inline double sao_u(const sao_party *p, sao_outcome o) {
    return p->by_index ? p->by_index[o] : sao_utility(p->sp, p->index, o, p->scratch);
}

/* The powers t^e computed in the current round, shared by the agents
** (pow is most of a time-based agent's work). */
typedef struct sao_powers {
    int n;
    double e[8], value[8];
} sao_powers;

/* The time as every party acting in round k sees it. */
typedef struct sao_time {
    size_t round;   /* k, 0-based */
    size_t n_steps; /* N */
    double t;       /* (k + 1) / (N + 1) */
    sao_powers *powers;
} sao_time;

/* pow(t, e), computed once per round and exponent. */
static inline double sao_time_pow(const sao_time *tm, double e) {
    sao_powers *pw = tm->powers;
    for (int i = 0; i < pw->n; i++)
        if (pw->e[i] == e) return pw->value[i];
    double v = pow(tm->t, e);
    if (pw->n < 8) {
        pw->e[pw->n] = e;
        pw->value[pw->n++] = v;
    }
    return v;
}

typedef struct sao_agent_type {
    const char *name;  /* "boulware"; a spec is "NAME" or "NAME:ARG" */
    const char *usage; /* "tb:E" */
    const char *summary;
    int arg; /* 0: no argument, 1: optional, 2: required */
    int needs_ranking;
    /* PL_OK if arg (NULL when absent) is acceptable, else PL_ERANGE. */
    pl_status (*check)(const char *arg);
    /* Make the agent's state for party p; PL_ENOMEM. */
    pl_status (*init)(void **state, const char *arg, const sao_party *p);
    void (*fini)(void *state);
    /* 1: accept the standing offer o. */
    int (*respond)(void *state, const sao_party *p, const sao_time *tm, sao_outcome o);
    /* The package to offer, or SAO_NONE to end the negotiation. */
    sao_outcome (*propose)(void *state, const sao_party *p, const sao_time *tm);
    /* Another party proposed o (may be NULL). */
    void (*notify)(void *state, const sao_party *p, size_t proposer, sao_outcome o);
} sao_agent_type;

/* ------------------------------------------------------------------------
** The rankings of a space, made once and shared by every negotiation on it
** (a tournament ranks each profile once per domain), read-only once made.
*/
typedef struct sao_rankings {
    size_t n_parties;
    uint64_t n_outcomes;
    /* per party, NULL when it is not ranked: its utility of every package
    ** and its packages and utilities sorted (sao_rank) */
    double **by_index;
    uint32_t **outs;
    double **us;
    /* single text (every party ranked), else NULL and 0: a bit per package,
    ** set when no package Pareto-dominates it, and those packages in
    ** enumeration order */
    uint8_t *pareto;
    uint32_t *frontier;
    size_t n_frontier;
    /* per party, above the cap: its search instead (NULL otherwise) */
    sao_search **search;
} sao_rankings;

/* Rank the parties of sp that need it: those whose agent ranks (agents
** given: one spec per party, checked) or every party (agents NULL), and
** every non-linear party; with `pareto`, every party and the Pareto bits
** (the single text's mediator).  More than `cap` packages: a linear party
** is searched instead of ranked; a non-linear party, the single text, or a
** space whose halves exceed SAO_SEARCH_HALF_MAX: PL_ERANGE with a
** diagnostic naming the agent (`why_agent` when agents is NULL).  Polls
** prog (core/progress.h; may be NULL) while ranking: PL_EINTERRUPTED when
** it asked to stop.  PL_ENOMEM. */
pl_status sao_rankings_new(const pl_space *sp, const char *const *agents, const char *why_agent,
                           uint64_t cap, int pareto, struct progress *prog, pl_diags *diags,
                           sao_rankings **out);
void sao_rankings_free(sao_rankings *r);
/* pl_negotiate on rankings made by sao_rankings_new for the same space and
** options (agents and opts checked by the caller; opts->n_steps and cap
** already resolved). */
pl_status sao_negotiate_ranked(const pl_space *sp, const sao_rankings *rk,
                               const char *const *agents, const pl_negotiate_options *opts,
                               pl_negotiation **out);

/* ------------------------------------------------------------------------
** What a protocol plays with (sao.c seats the parties; sao.c and
** single_text.c play; offer_log.c keeps the trace)
*/
/* One party at the table: what its agent sees, its agent and state. */
typedef struct sao_seat {
    sao_party view;
    sao_ranking rank;
    const sao_agent_type *type;
    const char *arg;
    void *state;
} sao_seat;

/* The offers (texts) made so far, when traced; votes only in single text
** (n_parties per entry, 2 for "not put to the vote"). */
typedef struct sao_log {
    size_t n, n_alloc, n_parties;
    size_t *rounds, *parties;
    sao_outcome *outcomes;
    unsigned char *votes;
} sao_log;
/* Append an entry; votes NULL (SAO) or n_parties values (single text: 0, 1,
** or 2 when the text was not put to the vote).  0 when out of memory. */
int sao_log_add(sao_log *lg, size_t round, size_t party, sao_outcome o, const unsigned char *votes);
void sao_log_free(sao_log *lg);

typedef struct sao_run {
    pl_negotiation_end end;
    size_t step, ender, last_round;
    sao_outcome agreement;
} sao_run;

/* single_text.c: r->pareto and r->frontier of rankings whose parties are
** all ranked.  PL_ENOMEM. */
pl_status sao_pareto_find(sao_rankings *r);
/* single_text.c: the mediated single negotiating text on seated parties
** (every party ranked, rk->pareto set).  PL_ENOMEM. */
pl_status sao_single_text_play(sao_seat *seats, size_t np, const sao_rankings *rk, size_t n_steps,
                               const pl_negotiate_options *o, sao_log *lg, sao_run *res);

/* agents.c: the table, and finding a spec's type (NULL: unknown name;
** *arg: the text after ':' or NULL). */
size_t sao_n_agent_types(void);
const sao_agent_type *sao_agent_type_at(size_t i);
const sao_agent_type *sao_agent_find(const char *spec, const char **arg);

/* The agents (agent_*.c). */
extern const sao_agent_type sao_agent_boulware, sao_agent_linear, sao_agent_conceder, sao_agent_tb,
    sao_agent_hardliner, sao_agent_tft, sao_agent_micro, sao_agent_aspiration, sao_agent_random;

/* ranking.c ------------------------------------------------------------ */
/* Decode o into choice[n_issues]. */
void sao_decode(const pl_space *sp, sao_outcome o, size_t *choice);
/* Party p's ranking of all n packages (n <= 2^32 - 1), allocated here
** (pl__free them): by_index[o] its utility of package o, outs/us the
** packages and utilities sorted (B2).  Polls prog (may be NULL):
** PL_EINTERRUPTED when it asked to stop.  PL_ENOMEM. */
pl_status sao_rank(const pl_space *sp, size_t p, uint64_t n, struct progress *prog,
                   double **by_index, uint32_t **outs, double **us);
/* numpy 1.24's argsort (introsort, heapsort beyond its depth budget) of the
** values a[].v, each carrying its index a[].i: the order numpy's argsort
** gives the indices. */
typedef struct sao_pair {
    double v;
    uint32_t i;
} sao_pair;
void sao_argsort(sao_pair *a, size_t n);
/* The same with a given depth budget (numpy's: 2 floor(log2 n)); a smaller
** one reaches the heapsort, for tests. */
void sao_argsort_budget(sao_pair *a, size_t n, int budget);
/* Parse a finite number from the whole of s; 0 if it is not one. */
int sao_parse_number(const char *s, double *out);
/* Rule W(mn, mx) of docs/simulation.md: the index into r of the lowest
** package at the bottom of the band, or SIZE_MAX for none. */
size_t sao_rule_w(const sao_ranking *r, double mn, double mx);

/* search.c ------------------------------------------------------------- */
/* The largest half of a search: spaces up to about its square. */
#define SAO_SEARCH_HALF_MAX ((uint64_t)1 << 22)
/* Party p's search (p linear).  PL_ERANGE: a half would exceed
** SAO_SEARCH_HALF_MAX; PL_ENOMEM. */
pl_status sao_search_new(const pl_space *sp, size_t p, sao_search **out);
void sao_search_free(sao_search *s);
/* The smallest key > after (>= with inclusive), the largest key < before;
** 0 when there is none.  scratch: n_issues entries. */
int sao_search_succ(const sao_search *s, sao_key after, int inclusive, size_t *scratch,
                    sao_key *out);
int sao_search_pred(const sao_search *s, sao_key before, size_t *scratch, sao_key *out);
/* Set v->top and v->bottom of a seated party with a search. */
void sao_search_seat(sao_party *v, size_t *scratch);
/* The ranking's questions asked of a searched party p: rule W (SAO_NONE
** for none), the lowest package at or above a level (the top when none),
** the package next below o (SAO_NONE below the bottom). */
sao_outcome sao_search_rule_w(const sao_party *p, double mn, double mx);
sao_outcome sao_search_at_least(const sao_party *p, double level);
sao_outcome sao_search_below(const sao_party *p, sao_outcome o);

#endif
