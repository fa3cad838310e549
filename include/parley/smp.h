/*
** parley/smp.h: the spatial model of politics (SMP), on several issues at
** once.  Part of the public API: parley.h includes it, and including it
** alone brings parley.h in first.
**
** The multi-dimensional SMP with probabilistic Condorcet elections, as
** KAPSARC's KTAB implements it (../shared/specs/smp.md; docs/models/smp.md
** gives the equations, every option and every place where we differ from
** KTAB on purpose).
**
** Actors hold positions on D dimensions (0-100 scale), a salience for each
** dimension (0-100, at most 100 in total) and a capability.  Each turn every
** actor picks the most advantageous actor to challenge, proposes a bargain,
** and every actor then takes one of the bargains that involve it, chosen by a
** probabilistic Condorcet election among all actors.  The run stops when the
** positions stop moving.
**
** With default options the trajectories are KTAB's (smpc, default model
** parameters) on its example files: tests/test_smp.c checks every turn of
** every file that has a reference.  Deterministic by default; stochastic
** transitions draw from one seeded stream per run.  The same inputs and
** options give bit-identical results for any number of threads.
**
** Usage:
**     pl_smp_data *data;
**     pl_smp_result *res;
**     if (pl_smp_read_ktab_file("dummyData_3Dim.csv", diags, &data) == PL_OK &&
**         pl_smp_run(data, NULL, diags, &res) == PL_OK) {
**         size_t t = pl_smp_result_n_turns(res);
**         const double *x = pl_smp_result_position(res, t, 0); // actor 0, D values
**         ...
**         pl_smp_result_free(res);
**     }
**     pl_smp_data_free(data);
*/
/* Included on its own, this header brings in parley.h first, which includes
** it back at its place, after the types it uses. */
#ifndef PARLEY_SMP_H
#include <parley.h>
#endif
#ifndef PARLEY_SMP_H
#define PARLEY_SMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** Types: the model's input and its result, and what a result records
*/
typedef struct pl_smp_data pl_smp_data;     /* actors, dimensions, stakes */
typedef struct pl_smp_result pl_smp_result; /* a run, turn by turn */

/* Why a run stopped. */
typedef enum pl_smp_stop {
    PL_SMP_STOP_CONVERGED = 0, /* the moves fell below stop_ratio   */
    PL_SMP_STOP_MAX_TURNS = 1  /* max_turns were run                */
} pl_smp_stop;

/* The distinct positions of state t with their probabilities. */
typedef struct pl_smp_outcome {
    const double *position; /* D values */
    double prob;
    size_t n_holders;
    const size_t *holders; /* actors at this position, ascending */
} pl_smp_outcome;

/* What actor i did in turn t >= 1: whom it challenged and what it proposed. */
typedef struct pl_smp_challenge {
    size_t initiator;
    size_t target; /* == initiator: no advantageous target (no bargain) */
    double prob;   /* the initiator's estimate that it prevails */
    double gain;   /* its expected gain in utility */
    /* The bargains queued: 1, or 2 with PL_SMP_BARGAIN_INIT_RCVR (the
    ** initiator's view, then the target's), 0 without a target.  The
    ** positions the initiator and the target would take (D values each). */
    size_t n_bargains;
    const double *pos_initiator[2];
    const double *pos_target[2];
} pl_smp_challenge;

/* How actor k resolved its queue in turn t >= 1. */
typedef struct pl_smp_choice {
    size_t n_options; /* its queue: its status quo first, then bargains */
    size_t chosen;    /* index in the queue; 0 = status quo */
    size_t initiator; /* of the chosen bargain (== receiver: status quo) */
    size_t receiver;
    double prob; /* the chosen option's probability in the PCE */
} pl_smp_choice;

/* ------------------------------------------------------------------------
** Options.  Every enumeration keeps KTAB's numbering, so KTAB's 9-integer
** parameter vector maps one to one (pl_smp_options_from_ktab).
*/

/* Victory probability from coalition strengths (KTAB VPModel). */
typedef enum pl_smp_vpm {
    PL_SMP_VPM_LINEAR = 0, /* default: P = s1 / (s1 + s2)            */
    PL_SMP_VPM_SQUARE,     /* s^2                                     */
    PL_SMP_VPM_QUARTIC,    /* s^4                                     */
    PL_SMP_VPM_OCTIC,      /* s^8                                     */
    PL_SMP_VPM_BINARY      /* certain beyond a 10% advantage, linear between */
} pl_smp_vpm;

/* Probabilistic Condorcet election model (KTAB PCEModel). */
typedef enum pl_smp_pcem {
    PL_SMP_PCE_CONDITIONAL = 0,      /* default: P(o) ~ prod_o' V(o,o') */
    PL_SMP_PCE_MARKOV_INCENTIVE = 1, /* Markov chain, incentive-driven challenges */
    PL_SMP_PCE_MARKOV_UNIFORM = 2    /* Markov chain, uniform challenges */
} pl_smp_pcem;

/* State transitions (KTAB StateTransMode). */
typedef enum pl_smp_transition {
    PL_SMP_DETERMINISTIC = 0, /* default: each actor takes its most probable bargain */
    PL_SMP_STOCHASTIC = 1     /* drawn from the bargains' probabilities (seeded)     */
} pl_smp_transition;

/* How an actor's utility difference becomes a vote (KTAB VotingRule). */
typedef enum pl_smp_voting {
    PL_SMP_VR_BINARY = 0,
    PL_SMP_VR_PROPBIN = 1,
    PL_SMP_VR_PROP = 2, /* default: proportional */
    PL_SMP_VR_PROPCBC = 3,
    PL_SMP_VR_CUBIC = 4,
    PL_SMP_VR_ASYMPROSP = 5 /* prospect-theory asymmetric */
} pl_smp_voting;

/* How actor h perceives actor i's risk attitude (KTAB BigRAdjust). */
typedef enum pl_smp_radjust {
    PL_SMP_RADJ_NONE = 0,       /* r_h                                   */
    PL_SMP_RADJ_ONE_THIRD = 1,  /* default: (2 r_h + r_i) / 3            */
    PL_SMP_RADJ_HALF = 2,       /* (r_h + r_i) / 2                       */
    PL_SMP_RADJ_TWO_THIRDS = 3, /* (r_h + 2 r_i) / 3                     */
    PL_SMP_RADJ_FULL = 4        /* r_i (KTAB refuses to run with it)     */
} pl_smp_radjust;

/* The range of risk attitudes (KTAB BigRRange). */
typedef enum pl_smp_rrange {
    PL_SMP_RRANGE_MIN = 0, /* [0, 1]              */
    PL_SMP_RRANGE_MID = 1, /* default: [-1/2, 1]  */
    PL_SMP_RRANGE_MAX = 2  /* [-1, 1]             */
} pl_smp_rrange;

/* How far a third party that joins a side commits to it (KTAB
** ThirdPartyCommit). */
typedef enum pl_smp_commit {
    PL_SMP_COMMIT_NO = 0,
    PL_SMP_COMMIT_SEMI = 1, /* default */
    PL_SMP_COMMIT_FULL = 2
} pl_smp_commit;

/* Bargain interpolation between two positions (KTAB InterVecBrgn). */
typedef enum pl_smp_interp {
    PL_SMP_INTERP_S1P1 = 0,  /* weights salience x probability           */
    PL_SMP_INTERP_S2P2 = 1,  /* default: their squares                   */
    PL_SMP_INTERP_S2PMAX = 2 /* only the likely loser moves              */
} pl_smp_interp;

/* Which bargains a challenge puts in the queues (KTAB SMPBargnModel). */
typedef enum pl_smp_bargain_model {
    PL_SMP_BARGAIN_INIT_ONLY = 0, /* default: the initiator's view only   */
    PL_SMP_BARGAIN_INIT_RCVR = 1, /* the initiator's and the target's     */
    PL_SMP_BARGAIN_PW_COMP = 2    /* their power-weighted compromise      */
} pl_smp_bargain_model;

/* How the model's large sums are added (docs/models/smp.md, "Fast sums").
** KTAB: every sum in KTAB's order, the same bits as KTAB's arithmetic:
** O(N^3) a turn.  FAST: the utility of the state after each bargain as the
** voter's total over every position less the two bargainers' plus theirs
** (O(N^2) a turn instead of O(N^3)), and on one dimension with the Prop
** voting rule the two big elections (the risk attitudes' over all N
** positions and the distinct positions') from the voters sorted by ideal
** point (O(N^2 log N) instead of O(N^3)); equal to KTAB's to rounding.
** AUTO: FAST above KTAB's 250 actors, KTAB up to there. */
typedef enum pl_smp_sums {
    PL_SMP_SUMS_AUTO = 0, /* default */
    PL_SMP_SUMS_KTAB,
    PL_SMP_SUMS_FAST
} pl_smp_sums;

typedef struct pl_smp_options {
    /* --- the model: KTAB's nine parameters --- */
    pl_smp_vpm vpm;
    pl_smp_pcem pcem;
    pl_smp_transition transition;
    pl_smp_voting voting;
    pl_smp_radjust radjust;
    pl_smp_rrange rrange;
    pl_smp_commit commit;
    pl_smp_interp interp;
    pl_smp_bargain_model bargain;

    /* --- KTAB's quirks (docs/models/smp.md, spec Q1-Q3); 1 = as KTAB --- */
    /* Q1: with INIT_RCVR and PW_COMP, the target's bargain is interpolated
    ** with the target's estimate of the initiator's utility gain in place of
    ** a probability.  0: with the target's estimate of the probability. */
    int quirk_receiver_gain;
    /* Q2: PW_COMP weighs the target's bargain by the initiator's capability
    ** times the target's salience.  0: the target's own capability. */
    int quirk_pwcomp_weight;
    /* Q3: inside the evaluation of a challenge the victory probability is
    ** always linear.  0: the chosen vpm is applied there too. */
    int quirk_linear_challenge;
    /* 1: fail with PL_ERANGE wherever KTAB throws instead of computing a
    ** result (BigRAdjust Full, unanimity, all option probabilities equal;
    ** see docs).  0 (default): those cases are defined and computed. */
    int ktab_errors;

    /* --- the run --- */
    /* Stop after turn t when t >= max_turns, or when t >= min_turns and
    ** the total move of turn t is below stop_ratio times (the total move
    ** of turn 1 + min_sig_delta) (moves on the [0,1] scale).  KTAB: 100, 2,
    ** 0.02, 1e-4. */
    size_t max_turns;
    size_t min_turns;
    double stop_ratio;
    double min_sig_delta;
    /* Positions closer than this (Euclidean, 0-100 scale) are one position
    ** in the reported probabilities.  KTAB: 0.1. */
    double pos_tol;
    /* The seed of the stochastic transitions' random stream (splitmix64 ->
    ** xoshiro256**).  Unused in deterministic mode. */
    uint64_t seed;
    /* Threads (parley.h, PL_MAX_THREADS): 0 = one per core (1 below 32
    ** actors), 1 = the calling thread only.  Results are bit-identical for
    ** every value. */
    unsigned n_threads;
    /* How large sums are added (pl_smp_sums; "sums" in pl_smp_options_set:
    ** auto, ktab, fast). */
    pl_smp_sums sums;
    /* Progress in turns (done: turns finished, also in part; total:
    ** max_turns), called inside turns too (pl_progress_fn in parley.h); a
    ** nonzero return stops the run with PL_EINTERRUPTED.  NULL: never. */
    pl_progress_fn progress;
    void *progress_ctx;
} pl_smp_options;

/* KTAB's defaults: Linear, Conditional, Deterministic, Prop, OneThird, Mid,
** SemiCommit, S2P2, InitOnlyInterp; all quirks on, ktab_errors 0; KTAB's
** stopping rule; pos_tol 0.1; seed 0; n_threads 0. */
PL_API void pl_smp_options_init(pl_smp_options *opt);

/* The nine model parameters from KTAB's integer vector (VPModel, PCEModel,
** StateTransMode, VotingRule, BigRAdjust, BigRRange, ThirdPartyCommit,
** InterVecBrgn, BargnModel), e.g. {0,0,0,2,1,1,1,1,0} for the defaults.
** PL_EINVAL if a value is out of range (opt unchanged). */
PL_API pl_status pl_smp_options_from_ktab(pl_smp_options *opt, const int params[9]);

/* Set one option from text, for command lines and configuration files.
** Keys are case-insensitive and ignore '-' and '_'; KTAB's XML element
** names are accepted too.  Values are KTAB's names (case-insensitive):
**   vpm | VictoryProbModel     Linear Square Quartic Octic Binary
**   pce | PCEModel             Conditional MarkovIncentive MarkovUniform
**   transitions | StateTransitions   Deterministic Stochastic
**   voting | VotingRule        Binary PropBin Prop(ortional) PropCbc Cubic ASymProsp
**   radjust | BigRAdjust       None OneThird Half TwoThirds Full
**   rrange | BigRRange         Min Mid Max
**   commit | ThirdPartyCommit  NoCommit SemiCommit FullCommit
**   interp | InterVecBrgn      S1P1 S2P2 S2PMax
**   bargain | BargnModel       InitOnlyInterp InitRcvrInterp PWCompInterp
**   quirk-receiver-gain, quirk-pwcomp-weight, quirk-linear-challenge,
**   ktab-errors                0 or 1
**   max-turns, min-turns       integers >= 0 (min-turns >= 1)
**   stop-ratio, min-sig-delta, pos-tol   numbers >= 0
**   seed                       0 .. 2^64-1
**   threads                    0 .. 256
** PL_ENOTFOUND for an unknown key, PL_EINVAL for a bad value (opt
** unchanged either way). */
PL_API pl_status pl_smp_options_set(pl_smp_options *opt, const char *key, const char *value);

/* The options as one line of "key=value" pairs (the keys above); NULL
** opt means the defaults.  Released with pl_free. */
PL_API pl_status pl_smp_options_describe(const pl_smp_options *opt, char **out);

/* ------------------------------------------------------------------------
** Model input: actors, dimensions, capabilities, positions and saliences.
** Positions and saliences are on KTAB's 0-100 scale.  Each dimension also
** carries the scale it came from (scale_min maps to 0, scale_max to 100),
** which reports use to show positions in their own units.
*/
/* KTAB's limits (Model::minNumActor, name lengths), except the number of
** actors: KTAB's Model::maxNumActor is 250; parley takes up to 2000
** (docs/models/smp.md, "Cost": time and memory at 2000). */
#define PL_SMP_MIN_ACTORS 3
#define PL_SMP_MAX_ACTORS 2000
#define PL_SMP_KTAB_MAX_ACTORS 250 /* KTAB's Model::maxNumActor */

/* An input with n_actors and n_dims, every position 0, salience 0 and
** capability 1, names "A1".."An" and "D1".."Dn", scales 0-100.  PL_EINVAL
** for n_actors or n_dims of 0 (bounds are checked by pl_smp_run). */
PL_API pl_status pl_smp_data_new(size_t n_actors, size_t n_dims, pl_smp_data **out);
PL_API void pl_smp_data_free(pl_smp_data *d);
PL_API pl_status pl_smp_data_clone(const pl_smp_data *d, pl_smp_data **out);

/* Setters; names are copied (NULL description: none).  PL_EINVAL for an
** index out of range, a NULL name or a non-finite number. */
PL_API pl_status pl_smp_data_set_scenario(pl_smp_data *d, const char *name,
                                          const char *description);
PL_API pl_status pl_smp_data_set_actor(pl_smp_data *d, size_t i, const char *name,
                                       const char *description, double capability);
PL_API pl_status pl_smp_data_set_dim(pl_smp_data *d, size_t k, const char *name,
                                     const char *description, double scale_min, double scale_max);
PL_API pl_status pl_smp_data_set_stake(pl_smp_data *d, size_t i, size_t k, double position,
                                       double salience);
/* The ideal-point accommodation matrix A (N x N, row-major, entries in
** [0,1], row sums <= 1): y_i(t+1) = sum_j A_ij x_j(t+1) + (1 - sum_j A_ij)
** y_i(t).  NULL: the identity (KTAB's CSV input: ideals follow positions). */
PL_API pl_status pl_smp_data_set_accommodation(pl_smp_data *d, const double *a);

PL_API size_t pl_smp_data_n_actors(const pl_smp_data *d);
PL_API size_t pl_smp_data_n_dims(const pl_smp_data *d);
PL_API const char *pl_smp_data_name(const pl_smp_data *d);
PL_API const char *pl_smp_data_description(const pl_smp_data *d); /* may be NULL */
PL_API const char *pl_smp_data_actor_name(const pl_smp_data *d, size_t i);
PL_API const char *pl_smp_data_actor_description(const pl_smp_data *d, size_t i);
PL_API double pl_smp_data_capability(const pl_smp_data *d, size_t i);
PL_API const char *pl_smp_data_dim_name(const pl_smp_data *d, size_t k);
PL_API const char *pl_smp_data_dim_description(const pl_smp_data *d, size_t k);
PL_API double pl_smp_data_dim_min(const pl_smp_data *d, size_t k);
PL_API double pl_smp_data_dim_max(const pl_smp_data *d, size_t k);
PL_API double pl_smp_data_position(const pl_smp_data *d, size_t i, size_t k);
PL_API double pl_smp_data_salience(const pl_smp_data *d, size_t i, size_t k);
/* NULL when the matrix is the identity. */
PL_API const double *pl_smp_data_accommodation(const pl_smp_data *d);
/* For input built from a scenario: the scenario's index of model actor i
** (actors without any stake are left out); otherwise i. */
PL_API size_t pl_smp_data_source_actor(const pl_smp_data *d, size_t i);

/* Check what pl_smp_run requires: 3..2000 actors, D >= 1, capabilities > 0
** and finite, positions and saliences in [0,100], each actor's saliences
** summing to more than 0 and at most 100 (+1e-9), A as above.  Every
** problem goes into diags; PL_EINPUT if there is one. */
PL_API pl_status pl_smp_data_check(const pl_smp_data *d, pl_diags *diags);

/* Reading KTAB's CSV format (smpc's csvRead; spec "Input"):
**     name, description, N, D [, ignored ...]
**     Actor, Description, Power, <dim 1>, <sal 1>, ..., <dim D>, <sal D> [, ...]
**     <name>, <description>, <capability>, <pos 1>, <sal 1>, ... [, ...]   (N lines)
** Fields are split at commas; a field in double quotes may hold commas and
** "" (KTAB would split it); spaces around fields are trimmed.  KTAB's
** limits but N's: 3 <= N <= 2000 (KTAB: 250), D >= 1, actor name 1-25
** characters, description <= 256, scenario name and description <= 512,
** dimension name <= 256, capability in (0, 1e8), positions and saliences
** in [0,100], each actor's saliences summing to (0, 100].  Blank lines after the actors
** are ignored, anything else there gets a warning.
** Errors go to diags as FILE:LINE:COL "expected ..., found ...": PL_EIO
** (unreadable), PL_EPARSE (wrong shape: a missing field, not a number),
** PL_EINPUT (a value off its range or limit), PL_ENOMEM. */
PL_API pl_status pl_smp_read_ktab_file(const char *path, pl_diags *diags, pl_smp_data **out);
PL_API pl_status pl_smp_read_ktab_buffer(const char *text, size_t len, const char *name,
                                         pl_diags *diags, pl_smp_data **out);
/* Reading KTAB's XML format (smpc's xmlRead; smpSchema.xsd): <Scenario>
** with <name>, <desc>, <prngSeed>, <ModelParameters> (KTAB's nine
** parameters by their element names), <Dimensions> (<dName>...), <Actors>
** (<Actor> with <name>, <description>, <capability>, <Position> of
** <dCoord>s, <Salience> of <dSal>s) and <IdealAdjustment> (<iaPair>s of
** <adjustingIdeal>, <referencePos>, <adjust>: entries of the accommodation
** matrix, which starts as the identity).  The limits and statuses of the
** CSV reader; every problem at its FILE:LINE:COL.  params (may be NULL)
** gets the defaults overridden by the file's <ModelParameters> and its
** <prngSeed> (decimal, or hexadecimal after 0x) as the seed.
** pl_smp_read_ktab_file and _buffer read XML too, when the text's first
** character (after blanks and a byte order mark) is '<'. */
PL_API pl_status pl_smp_read_ktab_xml_file(const char *path, pl_diags *diags, pl_smp_data **out,
                                           pl_smp_options *params);
PL_API pl_status pl_smp_read_ktab_xml_buffer(const char *text, size_t len, const char *name,
                                             pl_diags *diags, pl_smp_data **out,
                                             pl_smp_options *params);
/* The input as a KTAB XML file that smpc reads (opt NULL: KTAB's default
** parameters in <ModelParameters>).  Released with pl_free. */
PL_API pl_status pl_smp_data_to_ktab_xml(const pl_smp_data *d, const pl_smp_options *opt,
                                         char **out);
/* The input as a KTAB CSV file that smpc reads (positions and saliences
** with the digits that tell each number exactly, so that the file reads
** back as the same input; an actor's saliences summing to a few units in
** the last place over 100 are lowered to sum to 100, which KTAB requires).
** Released with pl_free. */
PL_API pl_status pl_smp_data_to_ktab_csv(const pl_smp_data *d, char **out);

/* How a scenario's saliences (0-100 on each issue, independently) become
** KTAB's, which may sum to at most 100 per actor. */
typedef enum pl_smp_salience_norm {
    /* default: an actor whose saliences sum to more than 100 has them
    ** scaled down to sum to 100; others are kept (one issue: unchanged) */
    PL_SMP_SAL_CAP = 0,
    /* every salience divided by the number of issues */
    PL_SMP_SAL_DIVIDE = 1,
    /* every actor's saliences scaled to sum to 100 */
    PL_SMP_SAL_UNIT = 2
} pl_smp_salience_norm;

/* A parley scenario as model input: one dimension per issue, positions
** rescaled from [min,max] to [0,100], saliences normalised by `norm`,
** capabilities as they are.  An actor without a position on an issue gets
** salience 0 there and sits at the issue's status quo (its midpoint when
** the issue has none); it does not care about that dimension, but the
** others see it there.  Actors with no positive salience on any issue are
** left out (a warning each).  Actor names are the scenario's actor ids,
** descriptions their names; dimension names the issue ids.  PL_EINPUT (and
** a message) when fewer than 3 or more than 2000 actors remain. */
PL_API pl_status pl_smp_data_from_scenario(const pl_scenario *s, pl_smp_salience_norm norm,
                                           pl_diags *diags, pl_smp_data **out);

/* The other way, for reports of a KTAB file (parley report): a scenario
** with one issue per dimension (id from its name, [A-Za-z0-9_-] kept and
** other characters turned into '-', on the scale the dimension's 0-100
** stands for) and one actor per actor (id likewise, name as given), every
** actor with a position on every dimension at its salience as given.
** PL_EINPUT when a value is outside a scenario's ranges. */
PL_API pl_status pl_smp_data_to_scenario(const pl_smp_data *d, pl_scenario **out);

/* ------------------------------------------------------------------------
** Running the model
*/
/* Run the model; opt NULL means the defaults.  PL_EINVAL for NULL
** arguments or bad options, PL_EINPUT for input that pl_smp_data_check
** rejects (the reasons go to diags), PL_ERANGE where the run cannot go on
** (a Markov PCE that does not converge in 1000 iterations, as in KTAB; the
** KTAB errors when ktab_errors is set), PL_EINTERRUPTED when the progress
** callback asked to stop, PL_ENOMEM.  Nothing leaks on failure. */
PL_API pl_status pl_smp_run(const pl_smp_data *d, const pl_smp_options *opt, pl_diags *diags,
                            pl_smp_result **out);
PL_API void pl_smp_result_free(pl_smp_result *res);

/* The model's view of a scenario, issue by issue, for forecast tables: one
** run over all issues at once (pl_smp_data_from_scenario with `norm`; opt
** NULL: defaults), then on each issue's own scale the probability-weighted
** mean of the final distinct positions (mean[k]) and the most probable one
** (mode[k]).  mean and mode have room for pl_scenario_n_issues(s) values;
** either may be NULL; so may n_turns (the run's turns).  Statuses as
** pl_smp_data_from_scenario and pl_smp_run. */
PL_API pl_status pl_smp_forecast_scenario(const pl_scenario *s, pl_smp_salience_norm norm,
                                          const pl_smp_options *opt, pl_diags *diags, double *mean,
                                          double *mode, size_t *n_turns);

/* ------------------------------------------------------------------------
** Reading a result.  States are numbered 0 (the input) to n_turns; turn t
** leads from state t-1 to state t.  Positions are on the 0-100 scale.
** Out-of-range indices give NULL, 0 or 0.0.
*/
PL_API size_t pl_smp_result_n_actors(const pl_smp_result *res);
PL_API size_t pl_smp_result_n_dims(const pl_smp_result *res);
PL_API size_t pl_smp_result_n_turns(const pl_smp_result *res);
PL_API pl_smp_stop pl_smp_result_stop(const pl_smp_result *res);
/* The options the run used. */
PL_API const pl_smp_options *pl_smp_result_options(const pl_smp_result *res);

/* Actor i's position (D values) and ideal point in state t. */
PL_API const double *pl_smp_result_position(const pl_smp_result *res, size_t t, size_t i);
PL_API const double *pl_smp_result_ideal(const pl_smp_result *res, size_t t, size_t i);
/* Actor i's risk attitude in state t (-1 risk-seeking .. +1 risk-averse). */
PL_API double pl_smp_result_risk(const pl_smp_result *res, size_t t, size_t i);
/* The probability that actor i's position wins in state t: KTAB's
** "winning probability" (the PCE over the distinct positions, each actor
** voting with its own utilities and its capability).  Actors sharing a
** position share its probability, so these may sum to more than 1. */
PL_API double pl_smp_result_prob(const pl_smp_result *res, size_t t, size_t i);
/* The sum of the actors' moves (Euclidean, 0-100 scale) in turn t >= 1. */
PL_API double pl_smp_result_move(const pl_smp_result *res, size_t t);

/* The distinct positions of state t (m < pl_smp_result_n_outcomes). */
PL_API size_t pl_smp_result_n_outcomes(const pl_smp_result *res, size_t t);
PL_API const pl_smp_outcome *pl_smp_result_outcome(const pl_smp_result *res, size_t t, size_t m);
/* The most probable distinct position of state t (the first on a tie),
** and the probability-weighted mean of the distinct positions. */
PL_API size_t pl_smp_result_most_probable(const pl_smp_result *res, size_t t);
PL_API const double *pl_smp_result_mean(const pl_smp_result *res, size_t t);

/* What actor i did in turn t >= 1, and how actor k resolved its queue. */
PL_API const pl_smp_challenge *pl_smp_result_challenge(const pl_smp_result *res, size_t t,
                                                       size_t i);
PL_API const pl_smp_choice *pl_smp_result_choice(const pl_smp_result *res, size_t t, size_t k);

/* ------------------------------------------------------------------------
** Reports.  Text: the run, the final positions with their probabilities,
** the distinct outcomes, the most probable position and the mean, on each
** dimension's own scale.  JSON: all of it plus the history of positions and
** probabilities.  CSV: one row per state and actor (turn, actor, position
** on each dimension, probability, risk), or with PL_SMP_REPORT_CHALLENGES
** one row per turn and actor with its challenge and choice.
*/
enum {
    PL_SMP_REPORT_HISTORY = 1,   /* text: positions at every turn      */
    PL_SMP_REPORT_PROBS = 2,     /* text: probabilities at every turn  */
    PL_SMP_REPORT_CHALLENGES = 4 /* challenges, bargains and choices   */
};

PL_API pl_status pl_smp_report(const pl_smp_data *d, const pl_smp_result *res, pl_format format,
                               unsigned flags, char **out);

/* The model run on a scenario and on a changed version of it (the same
** issues; pl_whatif_*) with the same options (NULL: defaults): each
** issue's most probable outcome and probability-weighted mean before and
** after.  Statuses as pl_smp_forecast_scenario (reasons in diags). */
typedef struct pl_smp_compare pl_smp_compare;

PL_API pl_status pl_smp_compare_run(const pl_scenario *base, const pl_scenario *changed,
                                    pl_smp_salience_norm norm, const pl_smp_options *opt,
                                    pl_diags *diags, pl_smp_compare **out);
PL_API void pl_smp_compare_free(pl_smp_compare *c);
PL_API size_t pl_smp_compare_n_issues(const pl_smp_compare *c);
/* Issue `issue`'s figures: [0] the most probable outcome, [1] the mean. */
PL_API pl_status pl_smp_compare_issue(const pl_smp_compare *c, size_t issue, double before[2],
                                      double after[2]);
/* The turns each run took. */
PL_API void pl_smp_compare_turns(const pl_smp_compare *c, size_t *before, size_t *after);
/* The options both runs had. */
PL_API const pl_smp_options *pl_smp_compare_options(const pl_smp_compare *c);

/* The comparison side by side, with the changes the version carries
** (text, JSON with a "changes" array, CSV with "# change:" lines). */
PL_API pl_status pl_smp_report_comparison(const pl_scenario *base, const pl_scenario *changed,
                                          const pl_smp_compare *c, pl_format format, char **out);
/* The two steps in one call: pl_smp_compare_run, then
** pl_smp_report_comparison. */
PL_API pl_status pl_smp_report_compare(const pl_scenario *base, const pl_scenario *changed,
                                       pl_smp_salience_norm norm, const pl_smp_options *opt,
                                       pl_diags *diags, pl_format format, char **out);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_SMP_H */
