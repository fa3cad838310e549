/*
** parley/eum.h: the expected utility model, one issue at a time.  Part of
** the public API: parley.h includes it, and including it alone brings
** parley.h in first.
**
** The model of Bueno de Mesquita (1985, 1994, 2002) as unravelled by
** Scholz, Calbert & Smith (2011).  Actors with a position, a capability and
** a salience challenge, compromise with and capitulate to one another round
** by round; the weighted median and the weighted mean of the positions are
** the forecasts.
**
** Every point on which the sources disagree is a named field of
** pl_eum_options; two presets set them all (docs/models/eum.md gives the
** equations and every option).  The model is deterministic: the same inputs
** and options give bit-identical results for any thread count.
**
** Usage:
**     pl_eum_options opt;
**     pl_eum_result *res;
**     pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
**     opt.max_rounds = 10;
**     if (pl_eum_run(n, position, capability, salience, &opt, &res) == PL_OK) {
**         size_t t = pl_eum_result_n_rounds(res);
**         double forecast = pl_eum_result_median(res, t);
**         ...
**         pl_eum_result_free(res);
**     }
*/
/* Included on its own, this header brings in parley.h first, which includes
** it back at its place, after the types it uses. */
#ifndef PARLEY_EUM_H
#include <parley.h>
#endif
#ifndef PARLEY_EUM_H
#define PARLEY_EUM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** Types: a run's result and what it records
*/
typedef struct pl_eum_result pl_eum_result;

/* Why a run stopped. */
typedef enum pl_eum_stop {
    PL_EUM_STOP_TOLERANCE = 0,  /* the forecasts stopped moving      */
    PL_EUM_STOP_MAX_ROUNDS = 1, /* max_rounds were run               */
    PL_EUM_STOP_CYCLE = 2       /* the positions repeat (see length) */
} pl_eum_stop;

typedef enum pl_eum_offer_kind {
    PL_EUM_CONFLICT = 1,    /* both gain; the sender gains more: the
                            ** receiver loses and takes the sender's x */
    PL_EUM_COMPROMISE = 2,  /* the receiver moves part of the way     */
    PL_EUM_CAPITULATION = 3 /* the receiver takes the sender's x      */
} pl_eum_offer_kind;

/* One offer, as the receiver i sees it: the sender j would gain eu_sender
** (E_j(ji), i's estimate) by challenging i, i would gain eu_receiver
** (E_i(ij)) by challenging j.  Accepting it moves i from `from` to `to`. */
typedef struct pl_eum_offer {
    size_t sender;   /* j, the challenger          */
    size_t receiver; /* i, the actor asked to move */
    pl_eum_offer_kind kind;
    int accepted; /* 1 for the offer i took this round */
    double eu_receiver;
    double eu_sender;
    double from;
    double to;
} pl_eum_offer;

/* ------------------------------------------------------------------------
** Options
*/

/* Option sets for pl_eum_options_init. */
typedef enum pl_eum_preset {
    /* The Scholz replication: reproduces the published EC emission run
    ** (Q = 1, all five replication variants on). */
    PL_EUM_PRESET_SCHOLZ = 0,
    /* The equations as printed (Scholz's numbering), with the s_j of eq. 25b
    ** read as s_i: Q = 0.5 with T from the median, votes over the pair,
    ** untransformed distances in votes, each actor's own r in estimates,
    ** no variant 4, no capitulation typo. */
    PL_EUM_PRESET_BDM = 1
} pl_eum_preset;

/* The denominator of the probability that i prevails against j (eq. 30). */
typedef enum pl_eum_prob_denom {
    PL_EUM_PROB_PAIR = 0,     /* |votes| on the pair (i, j): P_i + P_j = 1 */
    PL_EUM_PROB_ALL_PAIRS = 1 /* |votes| summed over all pairs of actors */
} pl_eum_prob_denom;

/* Whose risk exponent actor i uses for its estimate of j's gain E_j(ji). */
typedef enum pl_eum_estimate_r {
    PL_EUM_R_OWN = 0,  /* i's own r_i for all of i's calculations (Scholz) */
    PL_EUM_R_OTHER = 1 /* j's r_j for E_j(ji); i's r_i for E_i(ij) */
} pl_eum_estimate_r;

/* Where a compromise puts actor i (E_ij < 0 < E_ji, E_ji > |E_ij|). */
typedef enum pl_eum_compromise {
    /* x_i + (x_j - x_i) |E_ij / E_ji| (the spec's table) */
    PL_EUM_COMPROMISE_SPEC = 0,
    /* (|E_ij| x_i + |E_ji| x_j) / (|E_ij| + |E_ji|) (decisionmechanics) */
    PL_EUM_COMPROMISE_WEIGHTED = 1
} pl_eum_compromise;

/* How actor i picks one of several offers. */
typedef enum pl_eum_choice {
    /* Conflict before compromise before capitulation, then the smallest
    ** move (Scholz); see compromise_lowest for compromises. */
    PL_EUM_CHOICE_RANKED = 0,
    /* The offer whose sender gains most (largest E_ji), any kind. */
    PL_EUM_CHOICE_SENDER_EU = 1
} pl_eum_choice;

/* Across what the risk exponent's S_max and S_min run (eq. 32). */
typedef enum pl_eum_risk_norm {
    PL_EUM_RISK_ACROSS_ACTORS = 0,   /* max/min of S_k over all actors k */
    PL_EUM_RISK_ACROSS_POSITIONS = 1 /* max/min of S_i with i moved to each
                                     ** actor's position (1985 paper) */
} pl_eum_risk_norm;

/* Which interactions a result keeps. */
typedef enum pl_eum_record {
    PL_EUM_RECORD_ALL = 0,   /* every offer, the accepted ones flagged */
    PL_EUM_RECORD_MOVES = 1, /* only the offers actors accepted */
    PL_EUM_RECORD_NONE = 2   /* none (positions, forecasts, r are kept) */
} pl_eum_record;

typedef struct pl_eum_options {
    /* --- the model (docs/models/eum.md) --- */
    /* Q of eq. 25a, in [0, 1]: the probability that the status quo holds
    ** when i does not challenge j.  When Q < 1, T = 1 if |x_i - mu| <
    ** |x_i - x_j| else 0 (mu: the weighted median).  Scholz 1, BDM 0.5. */
    double q;
    pl_eum_prob_denom prob_denom; /* variant 1 when ALL_PAIRS          */
    int risk_votes;               /* variant 2: votes use d^r_k (0/1)  */
    pl_eum_estimate_r estimate_r; /* variant 3 when OWN                */
    pl_eum_compromise compromise;
    pl_eum_choice choice;
    /* Variant 4 (0/1): with CHOICE_RANKED, among compromise offers take the
    ** one with the smallest resulting position value, not the smallest
    ** move. */
    int compromise_lowest;
    /* Variant 5 (0/1): the replication's typo `eu_ji < abs(eu_ji)`, which
    ** makes the capitulation branch never fire. */
    int capitulation_typo;
    pl_eum_risk_norm risk_norm;

    /* --- stopping: checked after each round, in this order --- */
    /* Stop when both the weighted mean and the weighted median moved by at
    ** most tolerance * Delta since the previous round (Delta: the range of
    ** the starting positions).  >= 0; 0 stops only when both are unchanged. */
    double tolerance;
    /* Stop when the positions equal, within cycle_tolerance * Delta in
    ** every coordinate, those of an earlier round at least 2 rounds back;
    ** the cycle length is the distance to the most recent such round.
    ** cycle_tolerance >= 0; 0 means an exact repeat. */
    int detect_cycles;
    double cycle_tolerance;
    size_t max_rounds; /* stop after this many rounds (0: only round 0) */

    /* --- execution --- */
    /* Threads for one run (parley.h, PL_MAX_THREADS): 0 = one per core (1
    ** below 128 actors), 1 = the calling thread only.  Results are
    ** bit-identical for every value. */
    unsigned n_threads;
    pl_eum_record record;
    /* Progress in rounds (done: rounds finished, also in part; total:
    ** max_rounds) for long runs of many actors (pl_progress_fn in
    ** parley.h); a stop gives PL_EINTERRUPTED.  NULL (the presets): never. */
    pl_progress_fn progress;
    void *progress_ctx;
} pl_eum_options;

/* Fill *opt with a preset's model choices and the default stopping rule
** (tolerance 1e-6, max_rounds 100, cycle detection on with tolerance 0),
** n_threads 0 and record ALL.  An unknown preset gives the Scholz set. */
PL_API void pl_eum_options_init(pl_eum_options *opt, pl_eum_preset preset);

/* ------------------------------------------------------------------------
** Running the model
*/
/* Run the model on n actors.  position[i] is finite; capability[i] finite
** and >= 0; salience[i] in [0, 1] (the scenario format's 0-100 divided by
** 100).  opt may be NULL for the Scholz preset's defaults.  On success *out
** holds a result the caller frees with pl_eum_result_free.  Returns
** PL_EINVAL for n == 0, a NULL array or out, a non-finite or out-of-range
** value or option; PL_ERANGE when the range of the positions overflows;
** PL_ENOMEM when memory runs out (nothing leaks).
** Degenerate inputs are defined: all positions equal (Delta = 0: every
** distance is 0, nobody moves), zero weights (the mean and the median use
** equal weights when every capability x salience is 0; a pair on which no
** one votes has P = 0.5 with PROB_PAIR, 0 with PROB_ALL_PAIRS), n = 1. */
PL_API pl_status pl_eum_run(size_t n, const double *position, const double *capability,
                            const double *salience, const pl_eum_options *opt, pl_eum_result **out);

PL_API void pl_eum_result_free(pl_eum_result *res);

/* ------------------------------------------------------------------------
** Reading a result.  Rounds are numbered 0 (the starting positions) to
** pl_eum_result_n_rounds(res).  An out-of-range round gives NULL, 0 or 0.0.
*/
PL_API size_t pl_eum_result_n_actors(const pl_eum_result *res);
PL_API size_t pl_eum_result_n_rounds(const pl_eum_result *res);
PL_API pl_eum_stop pl_eum_result_stop(const pl_eum_result *res);
/* The cycle's length in rounds when the run stopped on a cycle, else 0. */
PL_API size_t pl_eum_result_cycle_length(const pl_eum_result *res);
/* Delta: the range of the starting positions, the scale of all distances. */
PL_API double pl_eum_result_delta(const pl_eum_result *res);

/* The n_actors positions after `round` rounds (round 0: the input). */
PL_API const double *pl_eum_result_positions(const pl_eum_result *res, size_t round);
/* The capability x salience weighted mean and weighted median of those
** positions (equal weights when every weight is 0).  The median is the
** smallest position at which the cumulative weight reaches half the total. */
PL_API double pl_eum_result_mean(const pl_eum_result *res, size_t round);
PL_API double pl_eum_result_median(const pl_eum_result *res, size_t round);
/* The n_actors risk exponents used in round `round` (1..n_rounds), computed
** from the positions of round - 1; NULL for round 0. */
PL_API const double *pl_eum_result_risk(const pl_eum_result *res, size_t round);
/* The offers made in round `round` (1..n_rounds), ordered by receiver then
** sender; *n_offers gets their count (0 and NULL for round 0 or when the
** options recorded none). */
PL_API const pl_eum_offer *pl_eum_result_offers(const pl_eum_result *res, size_t round,
                                                size_t *n_offers);

/* Short English names for printing: "tolerance", "conflict", ... */
PL_API const char *pl_eum_stop_name(pl_eum_stop stop);
PL_API const char *pl_eum_offer_kind_name(pl_eum_offer_kind kind);

/* ------------------------------------------------------------------------
** Reports: pl_report_eum (parley.h) prints the model's run on every issue
** of a scenario, round by round.
*/

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_EUM_H */
