/*
** parley/negotiate.h: negotiation simulation -- the negotiation played out
** offer by offer between agents with different strategies, on the same
** spaces as package deals (parley/deals.h).  Part of the public API:
** parley.h includes it, and including it alone brings parley.h in first.
**
** The protocol is the stacked alternating offers protocol (SAO) for n
** parties: in every round each party in turn accepts the standing offer or
** replaces it with its own (or ends the negotiation); an offer is agreed when
** every other party has accepted it in sequence.  The agents are the
** standard ones of the literature and of negmas (time-based concession,
** hardliner, naive tit-for-tat, MiCRO, aspiration, random).  With the
** defaults, every detail (time, acceptance bands, the order of equal
** utilities, reported utilities) is negmas's own, so that its results are
** reproduced exactly; docs/simulation.md gives the rules.  A second,
** mediated protocol (pl_protocol) is parley's own: the single negotiating
** text.  Tournaments play every assignment of agents to roles on many
** domains (pl_tournament_run).
*/
/* Included on its own, this header brings in parley.h first, which includes
** it back at its place, after the types it uses. */
#ifndef PARLEY_NEGOTIATE_H
#include <parley.h>
#endif
#ifndef PARLEY_NEGOTIATE_H
#define PARLEY_NEGOTIATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** Agents, named by a spec: "NAME" or "NAME:ARG"
**   boulware, linear, conceder   time-based concession (exponents 4, 1, 0.25)
**   tb:E                         the same with any exponent E >= 0
**   hardliner                    offers its best package, accepts only it
**   tit-for-tat                  naive tit-for-tat (negmas's)
**   micro                        MiCRO (de Jonge 2022)
**   aspiration[:E]               aspiration level 1 - t^E (default E = 4)
**   random[:P]                   random packages, accepts with probability P
**                                (default 0.15), seeded
*/
PL_API size_t pl_agent_count(void);
PL_API const char *pl_agent_name(size_t i);    /* "boulware", "tb", ...; NULL out of range */
PL_API const char *pl_agent_usage(size_t i);   /* "tb:E", "random[:P]", ... */
PL_API const char *pl_agent_summary(size_t i); /* one line */
/* PL_OK for a valid spec; PL_ENOTFOUND for an unknown name; PL_ERANGE for
** a bad or missing argument (tb:E needs E >= 0; random:P a P in [0, 1]). */
PL_API pl_status pl_agent_check(const char *spec);

/* ------------------------------------------------------------------------
** Running a negotiation
*/
typedef struct pl_negotiation pl_negotiation;

/* The protocol (docs/simulation.md): the stacked alternating offers
** protocol, or the mediated single negotiating text (Raiffa 1982): a
** mediator puts one package at a time to the vote and moves it toward the
** parties that reject it, along the Pareto frontier. */
typedef enum pl_protocol {
    PL_PROTOCOL_SAO = 0,    /* "sao" */
    PL_PROTOCOL_SINGLE_TEXT /* "single-text" */
} pl_protocol;
/* "sao", "single-text"; NULL out of range. */
PL_API const char *pl_protocol_name(pl_protocol protocol);
/* PL_OK and *out for a name above; PL_ENOTFOUND otherwise. */
PL_API pl_status pl_protocol_from_name(const char *name, pl_protocol *out);

/* Agents rank the packages of a space up to the cap by enumerating them;
** above it they search a linear party's packages instead (docs/
** simulation.md, "Searching a big space"). */
#define PL_NEGOTIATE_DEFAULT_CAP 10000000ull /* 10^7 packages */
#define PL_NEGOTIATE_MAX_CAP 4294967295ull   /* 2^32 - 1 */

typedef struct pl_negotiate_options {
    size_t n_steps;          /* the deadline in rounds; 0: 100 */
    unsigned long long seed; /* random agents draw from (seed, party) */
    /* Agents that rank the packages (every one but hardliner and random,
    ** and every agent of a non-linear party) rank at most this many; on a
    ** larger space they search a linear party's packages instead (meet in
    ** the middle, O(sqrt N) a query), and a non-linear party, or a space
    ** whose issues do not split into two halves of at most 2^22
    ** combinations, is refused (PL_ERANGE with a diagnostic); 0:
    ** PL_NEGOTIATE_DEFAULT_CAP, at most PL_NEGOTIATE_MAX_CAP.  A ranking
    ** keeps 20 bytes per package and party (24 while it is built). */
    uint64_t max_outcomes;
    /* 0 (negmas's rule): strategies ignore reservation values, which only
    ** give a party's utility when there is no agreement.  1: no party
    ** accepts a package below its reservation value, and the agents offer
    ** and concede within the packages at or above it. */
    int rational;
    /* 1: report utilities discounted, U d^t at the relative time t of the
    ** round the negotiation ended in (reservation values too); strategies
    ** see undiscounted utilities.  0 (negmas's rule): no discounting. */
    int discount;
    int trace; /* 1: keep every offer (pl_negotiation_offer) */
    /* PL_PROTOCOL_SAO (0) or PL_PROTOCOL_SINGLE_TEXT.  The single text's
    ** mediator knows every party's utility of every package, so it
    ** enumerates the space whatever the agents: the cap holds for all. */
    pl_protocol protocol;
} pl_negotiate_options;

typedef enum pl_negotiation_end {
    PL_NEG_AGREEMENT = 0, /* every party accepted one package */
    PL_NEG_TIMEOUT,       /* the deadline passed */
    PL_NEG_ENDED          /* a party had nothing to offer and ended it */
} pl_negotiation_end;

/* "agreement", "timeout", "ended"; NULL out of range. */
PL_API const char *pl_negotiation_end_name(pl_negotiation_end end);

/* Play a negotiation on `sp` (parties in the space's order; party i plays
** agents[i]; n_agents must equal the number of parties, at least 2).  opts
** may be NULL.  Runs are deterministic: the same inputs give the same
** result.  PL_EINVAL: wrong number of agents, a bad spec; PL_ERANGE: the
** space is larger than the cap (diagnostic says so and what to do);
** PL_ENOMEM. */
PL_API pl_status pl_negotiate(const pl_space *sp, const char *const *agents, size_t n_agents,
                              const pl_negotiate_options *opts, pl_diags *diags,
                              pl_negotiation **out);
PL_API void pl_negotiation_free(pl_negotiation *neg);

PL_API size_t pl_negotiation_n_parties(const pl_negotiation *neg);
PL_API const char *pl_negotiation_agent(const pl_negotiation *neg, size_t party); /* its spec */
PL_API size_t pl_negotiation_n_steps(const pl_negotiation *neg);                  /* the deadline */
PL_API pl_protocol pl_negotiation_protocol(const pl_negotiation *neg);
/* The options it ran with: rational and discount (pl_negotiate_options). */
PL_API int pl_negotiation_rational(const pl_negotiation *neg);
PL_API int pl_negotiation_discounted(const pl_negotiation *neg);
PL_API pl_negotiation_end pl_negotiation_end_reason(const pl_negotiation *neg);
/* Rounds played: k + 1 for an agreement (or an end) in round k (0-based),
** n_steps on a time-out (negmas's final step). */
PL_API size_t pl_negotiation_step(const pl_negotiation *neg);
/* The party that ended it (PL_NEG_ENDED), else SIZE_MAX. */
PL_API size_t pl_negotiation_ender(const pl_negotiation *neg);
/* The agreed package (n_issues option indices), or NULL without agreement. */
PL_API const size_t *pl_negotiation_agreement(const pl_negotiation *neg);
/* Each party's utility: of the agreement, else its reservation value
** (discounted with opts->discount). */
PL_API const double *pl_negotiation_utilities(const pl_negotiation *neg);

/* The offers in order (opts->trace), for reports and figures: who offered
** what in which round, and what it was worth to every party (undiscounted).
** Single text: the mediator's texts (party PL_MEDIATOR), each with the
** parties' votes on it; the texts by which the mediator improved its
** starting text before the first vote have no votes. */
#define PL_MEDIATOR SIZE_MAX
typedef struct pl_offer {
    size_t round;          /* 0-based */
    size_t party;          /* PL_MEDIATOR for a mediator's text */
    const size_t *choice;  /* n_issues option indices */
    const double *utility; /* n_parties utilities */
    /* single text: n_parties votes (1: accepted) when the text was put to
    ** the vote, else NULL; SAO: NULL */
    const unsigned char *votes;
} pl_offer;
PL_API size_t pl_negotiation_n_offers(const pl_negotiation *neg);
PL_API const pl_offer *pl_negotiation_offer(const pl_negotiation *neg, size_t i);

/* Figures of the result against the space's (from pl_deals_run, computed
** without discounting): the welfare (sum of the reported utilities), the
** Euclidean distance of the utilities to the nearest package of the Pareto
** frontier and to the (first) Nash package.  d may be NULL: only the
** welfare then. */
typedef struct pl_negotiation_stats {
    double welfare;
    int has_pareto;
    double pareto_distance;
    int has_nash; /* 0 when no package is rational */
    double nash_distance;
} pl_negotiation_stats;
PL_API pl_status pl_negotiation_stats_get(const pl_negotiation *neg, const pl_deals *d,
                                          pl_negotiation_stats *out);

/* Text: the parties and agents, the agreement option by option (or why
** there is none), the utilities, welfare and distances (when d is not
** NULL), the offers when traced.  JSON: "agreement" (issue -> option, or
** null), "step", "utilities", "reason", ..., "trace" ([round, party,
** [option of each issue]] per offer, when traced).  CSV: one row, or one
** row per offer when traced.  HTML: one self-contained page (as
** parley/report.h's; docs/simulation.md, "The HTML report"): the outcome
** with the same figures, then, when traced, per party the utility to it of
** every offer over the rounds (one series per offering party; the single
** text: the mediator's texts with the votes), its reservation value and the
** agreement, and the offers in the utility space with d's Pareto frontier
** and Nash package (two parties: U1 against U2; more: the first three
** pairs); long traces are thinned for drawing (a run of one offer repeated
** drawn by its ends, at most 300 points a series) and the page says so.  SVG: those charts alone, as one SVG document (PL_EINVAL
** without a trace). */
PL_API pl_status pl_report_negotiation(const pl_space *sp, const pl_negotiation *neg,
                                       const pl_deals *d, pl_format format, char **out);
/* The HTML page with `command` (the command line that made it; NULL: none)
** stated in its header. */
PL_API pl_status pl_report_negotiation_html(const pl_space *sp, const pl_negotiation *neg,
                                            const pl_deals *d, const char *command, char **out);

/* ------------------------------------------------------------------------
** Tournaments: every assignment of agents to roles on every domain
**
** On a domain of n parties and a list of A agents there are A^n
** assignments (party i plays agent a_i; the same agent may hold several
** roles); each is negotiated `repeat` times.  Negotiation (d, a, r) --
** domain d, assignment a (party 0's agent the most significant base-A
** digit), repeat r -- runs with a seed derived from (seed, d, a, r), so
** results are the same for any thread count.  Each party of a domain is
** ranked once and the ranking shared by all its negotiations.  Per agent,
** over its seats (one per negotiation and role it plays): mean utility,
** agreement rate, mean welfare, mean distance to the Pareto frontier and to
** the Nash point, each with a 95% Student t interval.
*/
typedef struct pl_tournament pl_tournament;

typedef struct pl_tournament_options {
    /* n_steps, seed, max_outcomes, rational, discount, protocol as for one
    ** negotiation (seed: the tournament's); trace is ignored */
    pl_negotiate_options negotiate;
    size_t repeat;      /* 0: 1 */
    unsigned n_threads; /* 0: one per core; results never depend on it */
    /* called with negotiations done and their total; nonzero stops the
    ** tournament (PL_EINTERRUPTED, nothing in *out) */
    pl_progress_fn progress;
    void *progress_ctx;
    /* Only the negotiations first .. first + count - 1 of the tournament's
    ** order (count 0: all of them): domain by domain, negotiation i of a
    ** domain being assignment i / repeat, repeat i % repeat, each with the
    ** seed it has in the whole.  A range keeps every negotiation's results
    ** for a partial result (parley/part.h: pl_part_write_tournament, which
    ** joins the ranges exactly); its per-agent figures are left at 0.
    ** Domains without a negotiation in the range are not ranked. */
    uint64_t first, count;
} pl_tournament_options;

/* Negotiations beyond this many are refused (PL_ERANGE). */
#define PL_TOURNAMENT_MAX_NEGOTIATIONS 1000000000000ull /* 10^12 */

/* Play the tournament on n_domains spaces (borrowed) with n_agents distinct
** agent specs.  opts may be NULL.  PL_EINVAL: no domain or agent, a bad or
** repeated spec, a domain of fewer than 2 parties; PL_ERANGE: too many
** negotiations, or a space larger than the cap; PL_EINTERRUPTED; PL_ENOMEM.
** Diagnostics name the domain (its space's name). */
PL_API pl_status pl_tournament_run(const pl_space *const *domains, size_t n_domains,
                                   const char *const *agents, size_t n_agents,
                                   const pl_tournament_options *opts, pl_diags *diags,
                                   pl_tournament **out);
PL_API void pl_tournament_free(pl_tournament *t);
/* The number of negotiations the tournament plays (opts' range aside),
** with the input checked as pl_tournament_run does (same statuses). */
PL_API pl_status pl_tournament_size(const pl_space *const *domains, size_t n_domains,
                                    const char *const *agents, size_t n_agents,
                                    const pl_tournament_options *opts, pl_diags *diags,
                                    uint64_t *out);

PL_API size_t pl_tournament_n_domains(const pl_tournament *t);
PL_API const char *pl_tournament_domain(const pl_tournament *t, size_t d); /* its name */
PL_API size_t pl_tournament_domain_parties(const pl_tournament *t, size_t d);
PL_API uint64_t pl_tournament_domain_assignments(const pl_tournament *t, size_t d); /* A^n */
PL_API size_t pl_tournament_n_agents(const pl_tournament *t);
PL_API const char *pl_tournament_agent(const pl_tournament *t, size_t i);
/* The options it ran with (resolved: n_steps 100 and repeat 1 by default). */
PL_API const pl_tournament_options *pl_tournament_options_used(const pl_tournament *t);
PL_API uint64_t pl_tournament_n_negotiations(const pl_tournament *t);
PL_API uint64_t pl_tournament_n_agreements(const pl_tournament *t);

/* A mean over n values with its 95% Student t interval [lo, hi] (mean +-
** t(0.975, n - 1) s / sqrt(n), s the sample standard deviation); n = 1:
** lo = hi = mean; n = 0: all 0. */
typedef struct pl_tournament_mean {
    uint64_t n;
    double mean, lo, hi;
} pl_tournament_mean;

typedef struct pl_tournament_agent_stats {
    uint64_t seats;                                    /* negotiations x roles it played */
    pl_tournament_mean utility;                        /* its own utility */
    pl_tournament_mean agreement;                      /* 1 for an agreement, else 0 */
    pl_tournament_mean welfare;                        /* the sum of all parties' utilities */
    pl_tournament_mean pareto_distance, nash_distance; /* as pl_negotiation_stats */
} pl_tournament_agent_stats;
PL_API pl_status pl_tournament_agent_stats_get(const pl_tournament *t, size_t i,
                                               pl_tournament_agent_stats *out);
/* Text, JSON or CSV: the domains and counts, then a row per agent. */
PL_API pl_status pl_report_tournament(const pl_tournament *t, pl_format format, char **out);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_NEGOTIATE_H */
