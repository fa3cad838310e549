/*
** parley.h: the whole public API of libparley, a library that models and
** forecasts multilateral negotiations.
**
** Ownership, one rule for every function (jq's rule): arguments are borrowed
** for the duration of the call; whatever comes back through a `**out`
** parameter belongs to the caller and is released with the matching `_free`
** function, which accepts NULL.  Pointers returned by accessors (`const`
** results) are owned by the object they were read from and live as long as
** it does.
**
** Errors: every fallible function returns a pl_status.  Details (file, line,
** column, message) go into caller-owned structures (pl_error, pl_diags).  The
** library never prints, never exits and keeps no global error state.
**
** Numbers: no NaN or infinity leaves the library; degenerate inputs (equal
** positions, zero weights) are defined cases, documented at each function.
*/
#ifndef PARLEY_H
#define PARLEY_H

#include <stddef.h>
#include <stdint.h>

/* PL_API marks every function of the public API, in this header and in
** parley/eum.h, smp.h, deals.h and negotiate.h.  The library is compiled
** with -fvisibility=hidden, so these are the only symbols the shared
** library exports; its internal functions (eum_*, smp_*, pl__malloc, ...)
** stay inside.  tools/public_symbols.py
** (the ctest public_symbols) checks both ways: every exported symbol is
** declared here, every declared function is exported. */
#if defined(__GNUC__) || defined(__clang__)
#define PL_API __attribute__((visibility("default")))
#else
#define PL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define PL_VERSION_MAJOR 0
#define PL_VERSION_MINOR 1
#define PL_VERSION_PATCH 0
#define PL_VERSION_STRING "0.1.0"

/* The version of the library actually linked (may differ from the header). */
PL_API const char *pl_version(void);

/* ------------------------------------------------------------------------
** Status codes and error details
*/
typedef enum pl_status {
    PL_OK = 0,
    PL_EINVAL,      /* invalid argument (a caller's mistake)           */
    PL_ENOMEM,      /* out of memory                                   */
    PL_EIO,         /* a file could not be read or written             */
    PL_EPARSE,      /* input is not well-formed (syntax)               */
    PL_EINPUT,      /* input is well-formed but invalid (semantics)    */
    PL_ERANGE,      /* a value is out of its allowed range             */
    PL_ENOTFOUND,   /* a named thing (scenario, actor, issue) is absent */
    PL_EINTERRUPTED /* the caller asked a long run to stop */
} pl_status;

/* A short, static, English description of a status code. */
PL_API const char *pl_strerror(pl_status status);

/* One problem found in an input, with its place.  line and column are
** 1-based; 0 means "not known" (for example a problem with the whole file). */
typedef enum pl_severity { PL_SEV_WARNING = 1, PL_SEV_ERROR = 2 } pl_severity;

typedef struct pl_diag {
    pl_severity severity;
    const char *file; /* the name the input was loaded under */
    int line;
    int column;
    const char *message; /* "expected ..., found ..." */
} pl_diag;

/* Progress and cancellation, one convention for every long computation
** (Monte Carlo, sensitivity, backtests, package deals, the spatial model,
** the expected utility model; docs/uncertainty.md, "Progress and
** cancelling").  Each of their options structs has the same two fields,
**     pl_progress_fn progress;  void *progress_ctx;
** NULL progress (the default): never called, nothing to stop.  Otherwise
** the computation calls progress(progress_ctx, done, total) as it starts,
** then about every 20 ms of work, and never more than 50 ms apart while it works (also
** inside a long single run, not only between runs), from one thread at a
** time (not always the caller's: keep it short, e.g. read a flag and draw
** a bar).  done of total counts the computation's own units (runs,
** swings, issues, packages, turns, rounds); total may be an estimate.
** A nonzero return asks the computation to stop: it returns
** PL_EINTERRUPTED soon after (within 50 ms of work), with nothing in *out
** and nothing leaked.  (The Monte Carlo keeps the runs finished instead,
** when there are any: pl_mc_interrupted.)  This is SQLite's progress
** handler. */
typedef int (*pl_progress_fn)(void *ctx, double done, double total);

/* Threads, one meaning for every computation that uses them (Monte Carlo,
** package deals, the spatial model, the expected utility model): each
** options struct has
**     unsigned n_threads;
** 0 (the default): one per core, fewer when the work is too small to
** share; 1: the calling thread alone; at most PL_MAX_THREADS (more gives
** PL_EINVAL).  Results are bit-identical for every value. */
#define PL_MAX_THREADS 256

/* Output formats of the reports (pl_report_*).  HTML and SVG are the
** formats of the charts (parley/report.h): pl_report_backtest writes HTML,
** the other pl_report_* functions text, JSON and CSV only (PL_EINVAL for
** the two others). */
typedef enum pl_format {
    PL_FORMAT_TEXT = 0,
    PL_FORMAT_JSON,
    PL_FORMAT_CSV,
    PL_FORMAT_HTML,
    PL_FORMAT_SVG
} pl_format;

/* A caller-owned list of diagnostics.  Loaders append to it; pass NULL where
** the details are not wanted. */
typedef struct pl_diags pl_diags;

PL_API pl_status pl_diags_new(pl_diags **out);
PL_API void pl_diags_free(pl_diags *diags);
PL_API size_t pl_diags_count(const pl_diags *diags);
PL_API size_t pl_diags_errors(const pl_diags *diags);   /* how many are errors   */
PL_API size_t pl_diags_warnings(const pl_diags *diags); /* how many are warnings */
PL_API const pl_diag *pl_diags_get(const pl_diags *diags, size_t i);
PL_API void pl_diags_clear(pl_diags *diags);

/* ------------------------------------------------------------------------
** Scenarios: parties (actors), issues on scales, positions with salience,
** capabilities, each value tied to evidence or to a stated assumption.
** The JSON format is documented in docs/scenario-format.md.
*/
typedef struct pl_scenario pl_scenario;

/* How uncertain a value is (docs/scenario-format.md, "Uncertainty"): a
** standard deviation in the value's own units (a normal draw, truncated to
** the value's domain) or a range [lo, hi] (a uniform draw). */
typedef enum pl_spread_kind { PL_SPREAD_NONE = 0, PL_SPREAD_SD, PL_SPREAD_RANGE } pl_spread_kind;

typedef struct pl_spread {
    pl_spread_kind kind;
    double sd;     /* PL_SPREAD_SD */
    double lo, hi; /* PL_SPREAD_RANGE */
} pl_spread;

typedef struct pl_evidence {
    const char *quote;
    const char *source; /* the id of one of the scenario's sources */
} pl_evidence;

typedef struct pl_source {
    const char *id;
    const char *title;
    const char *publisher; /* NULL when not given (so for the rest) */
    const char *date;
    const char *url;
    const char *file;
} pl_source;

typedef struct pl_actor {
    const char *id;
    const char *name;
    double capability;       /* > 0; only ratios matter */
    const char *group;       /* NULL: none */
    const char *description; /* NULL: none */
    const pl_evidence *evidence;
    size_t n_evidence;
    const char *assumption;      /* NULL: none */
    pl_spread capability_spread; /* PL_SPREAD_NONE: the scenario's default */
    /* For package deals: the utility (0-1, on the package utility scale of
    ** docs/models/deals.md) below which the actor prefers no deal.  When not
    ** given, the utility of the status quo package. */
    int has_reservation;
    double reservation;
    /* Institutional role, for models that use one (NULL: none).  Known
    ** roles: "proposer" (sets the agenda, as the EU Commission),
    ** "parliament" (co-legislator, as the European Parliament). */
    const char *role;
} pl_actor;

typedef enum pl_decision_rule {
    PL_RULE_UNKNOWN = 0,
    PL_RULE_UNANIMITY, /* "unanimity": every party can veto     */
    PL_RULE_QUALIFIED, /* "qualified-majority"                  */
    PL_RULE_MAJORITY,  /* "majority": simple majority            */
    PL_RULE_CONSENSUS  /* "consensus": no formal vote            */
} pl_decision_rule;

/* "unanimity", ... ; NULL for an unknown value. */
PL_API const char *pl_decision_rule_name(pl_decision_rule rule);
PL_API pl_status pl_decision_rule_from_name(const char *name, pl_decision_rule *out);

typedef struct pl_option {
    double value;
    const char *label;
} pl_option;

typedef struct pl_issue {
    const char *id;
    const char *name;
    const char *description; /* NULL: none */
    const char *unit;        /* NULL: none */
    double min, max;         /* min < max */
    const char *min_label;
    const char *max_label;
    int has_status_quo;
    double status_quo;        /* meaningful only when has_status_quo */
    const pl_option *options; /* sorted by value */
    size_t n_options;
    const pl_evidence *evidence;
    size_t n_evidence;
    const char *assumption;
    /* How the issue is decided (PL_RULE_UNKNOWN when not given). */
    int decision_rule;     /* a pl_decision_rule */
    const char *procedure; /* free text, e.g. "COD", "CNS"; NULL: none */
    /* The outcome, when known (for backtests). */
    int has_outcome;
    double outcome;
    /* Issues of one group belong together (e.g. one legislative proposal):
    ** cross-validation keeps a group in one fold.  NULL: none. */
    const char *group;
} pl_issue;

typedef struct pl_position {
    size_t actor;    /* index into the actors */
    size_t issue;    /* index into the issues */
    double position; /* on the issue's scale */
    double salience; /* 0-100 */
    const pl_evidence *evidence;
    size_t n_evidence;
    const char *assumption;
    pl_spread position_spread; /* PL_SPREAD_NONE: the scenario's default */
    pl_spread salience_spread;
} pl_position;

/* The scenario-wide default spreads, used where a value has none.  A
** position's default sd may be given as a share of its issue's scale
** (position_sd_share); kind NONE everywhere means "no default given". */
typedef struct pl_uncertainty {
    int given;                  /* 1 if the scenario states its defaults */
    double position_sd_share;   /* sd as a share of the scale's range    */
    double salience_sd;         /* sd in salience points (0-100)         */
    double capability_sd_share; /* sd as a share of the capability       */
} pl_uncertainty;

/* The setters return PL_ERANGE for a spread wider than its value's domain
** (an sd above the domain's width, a range off it; the domains: the issue's
** scale, salience 0-100, capability up to PL_MAX_CAPABILITY) and for
** defaults beyond the JSON format's (shares up to 1 and 10, 100 points). */
PL_API const pl_uncertainty *pl_scenario_uncertainty(const pl_scenario *s);
PL_API pl_status pl_scenario_set_uncertainty(pl_scenario *s, const pl_uncertainty *u);
PL_API pl_status pl_scenario_set_position_spread(pl_scenario *s, size_t actor, size_t issue,
                                                 pl_spread position, pl_spread salience);
PL_API pl_status pl_scenario_set_capability_spread(pl_scenario *s, size_t actor, pl_spread spread);

/* Input rules, for every reader (scenarios, DEU tables, KTAB files, GENIUS
** and GeniusWeb files; docs/scenario-format.md, "Text and size"):
**   - a file larger than the input cap is refused (PL_ERANGE, with a
**     diagnostic) before anything is allocated for it; a pipe or device is
**     read until it passes the cap.  The cap is process-wide: 256 MiB by
**     default, set it before loading (0 restores the default);
**   - the text is UTF-8 (an invalid byte is an error at its LINE:COL); a
**     byte order mark at the start is skipped;
**   - at most PL_MAX_ERRORS_PER_FILE errors of one file are kept in a
**     pl_diags; the rest are counted (pl_diags_errors counts them all) and
**     summarised by one last error "... and N more errors". */
#define PL_MAX_INPUT_DEFAULT ((size_t)256 << 20)
#define PL_MAX_ERRORS_PER_FILE 50
PL_API void pl_set_max_input(size_t bytes);
PL_API size_t pl_max_input(void);

/* The format of an input file, told by its name's extension in any case:
** the one rule by which pl_scenario_load_file, the GENIUS readers and the
** tool choose a reader.  One format is told by content: a file whose name
** does not end in .json or .xml and whose first row's first field
** (unquoted) is a tag #A, #P, #M, #D, #O or #/ followed by a TAB, ';' or
** ',' is a decide data file (parley/exchange.h), whatever its name
** (copenhagen.csv); only its first 1024 bytes are read for that. */
typedef enum pl_input_format {
    PL_INPUT_OTHER = 0, /* none of these: a parley scenario is JSON by default */
    PL_INPUT_JSON,      /* .json: a parley scenario, a GeniusWeb profile      */
    PL_INPUT_CSV,       /* .csv: a one-issue data set; for the SMP, KTAB      */
    PL_INPUT_TSV,       /* .tsv: a DEU table                                  */
    PL_INPUT_XML,       /* .xml: a GENIUS domain or profile                   */
    PL_INPUT_DECIDE     /* any name: a data file of the decide exchange model */
} pl_input_format;
PL_API pl_input_format pl_input_format_of(const char *path);

/* Loading.  `name` is what diagnostics call the input (a path, or
** "builtin:ID").  On error *out is NULL and `diags` (if not NULL) says why;
** warnings are added to `diags` on success too.  Returns PL_EIO (file
** unreadable), PL_ERANGE (over the input cap), PL_EPARSE (not UTF-8, not
** JSON), PL_EINPUT (invalid scenario) or PL_ENOMEM. */
PL_API pl_status pl_scenario_load_file(const char *path, pl_diags *diags, pl_scenario **out);
PL_API pl_status pl_scenario_load_buffer(const char *text, size_t len, const char *name,
                                         pl_diags *diags, pl_scenario **out);
/* The simple CSV layout of one-issue data sets (header
** Actor,Capability,Position,Salience; salience 0-1 when no value exceeds 1,
** else 0-100): one issue whose scale runs from the lowest to the highest
** position.  pl_scenario_load_file reads files ending in .csv this way. */
PL_API pl_status pl_scenario_load_csv_buffer(const char *text, size_t len, const char *name,
                                             pl_diags *diags, pl_scenario **out);

/* The DEU table format (EU legislative decisions with outcomes; see
** docs/backtest.md): one issue per row, on 0-100, with status quo, outcome,
** procedure and decision rule.  `capabilities`: NULL or "nice" (Council
** votes under the Nice treaty, Commission and Parliament 29), "row" (the
** file's weight line), "equal", or "ACTOR=VALUE,..." overriding the Nice
** votes.  Issues without an outcome or with fewer than two positions are
** skipped and counted in *stats (may be NULL). */
typedef struct pl_deu_stats {
    size_t n_rows;          /* issue rows read                 */
    size_t n_issues;        /* issues kept                     */
    size_t n_no_outcome;    /* skipped: no outcome recorded    */
    size_t n_few_positions; /* skipped: fewer than 2 positions */
} pl_deu_stats;

PL_API pl_status pl_scenario_load_deu_buffer(const char *text, size_t len, const char *name,
                                             const char *capabilities, pl_diags *diags,
                                             pl_scenario **out, pl_deu_stats *stats);
PL_API pl_status pl_scenario_load_deu_file(const char *path, const char *capabilities,
                                           pl_diags *diags, pl_scenario **out, pl_deu_stats *stats);

/* The scenarios compiled into the library. */
PL_API size_t pl_builtin_count(void);
PL_API const char *pl_builtin_id(size_t i);    /* NULL when i is out of range */
PL_API const char *pl_builtin_title(size_t i); /* its name */
/* The JSON text of a built-in (NUL-terminated), or NULL if unknown. */
PL_API const char *pl_builtin_text(const char *id, size_t *len);
PL_API pl_status pl_scenario_load_builtin(const char *id, pl_diags *diags, pl_scenario **out);

PL_API void pl_scenario_free(pl_scenario *s);

/* The ranges the models can take, so that products of capability, salience
** and distances stay finite (docs/scenario-format.md, "Ranges"):
** capability in (0, PL_MAX_CAPABILITY], a scale's ends within
** [-PL_MAX_SCALE, PL_MAX_SCALE], salience in [0, 100], positions, status
** quo, options and outcomes on their issue's scale. */
#define PL_MAX_CAPABILITY 1e12
#define PL_MAX_SCALE 1e12

/* Building a scenario in code (the readers of other formats use this too).
** Ids follow the syntax [A-Za-z0-9_-]{1,64}; values are checked as the JSON
** validator checks them (PL_EINVAL for bad ids or non-finite numbers,
** PL_ERANGE for values off their range, PL_EINPUT for duplicates). */
PL_API pl_status pl_scenario_new(const char *id, const char *name, pl_scenario **out);
PL_API pl_status pl_scenario_add_actor(pl_scenario *s, const char *id, const char *name,
                                       double capability, size_t *index);
PL_API pl_status pl_scenario_add_issue(pl_scenario *s, const char *id, const char *name, double min,
                                       double max, size_t *index);
PL_API pl_status pl_scenario_set_status_quo(pl_scenario *s, size_t issue, double sq);
/* Adds a position, or replaces the actor's existing one on that issue. */
PL_API pl_status pl_scenario_set_position(pl_scenario *s, size_t actor, size_t issue,
                                          double position, double salience);
/* Removes an actor's position on an issue (no stake); PL_ENOTFOUND if none. */
PL_API pl_status pl_scenario_clear_position(pl_scenario *s, size_t actor, size_t issue);
/* Removes an actor and its positions; the actors after it move down one
** index.  Not recorded as a change (pl_whatif_drop is, and calls this). */
PL_API pl_status pl_scenario_remove_actor(pl_scenario *s, size_t actor);
PL_API pl_status pl_scenario_set_capability(pl_scenario *s, size_t actor, double capability);
PL_API pl_status pl_scenario_set_outcome(pl_scenario *s, size_t issue, double outcome);
PL_API pl_status pl_scenario_set_decision_rule(pl_scenario *s, size_t issue, pl_decision_rule rule);
PL_API pl_status pl_scenario_set_procedure(pl_scenario *s, size_t issue, const char *procedure);
PL_API pl_status pl_scenario_set_role(pl_scenario *s, size_t actor, const char *role);
PL_API pl_status pl_scenario_set_issue_group(pl_scenario *s, size_t issue, const char *group);
/* A deep copy, for what-if variations. */
PL_API pl_status pl_scenario_clone(const pl_scenario *s, pl_scenario **out);

PL_API const char *pl_scenario_id(const pl_scenario *s);
PL_API const char *pl_scenario_name(const pl_scenario *s);
PL_API const char *pl_scenario_description(const pl_scenario *s); /* may be NULL */
PL_API const char *pl_scenario_date(const pl_scenario *s);        /* may be NULL */
PL_API size_t pl_scenario_n_notes(const pl_scenario *s);
PL_API const char *pl_scenario_note(const pl_scenario *s, size_t i);
PL_API size_t pl_scenario_n_sources(const pl_scenario *s);
PL_API const pl_source *pl_scenario_source(const pl_scenario *s, size_t i);
PL_API size_t pl_scenario_n_actors(const pl_scenario *s);
PL_API const pl_actor *pl_scenario_actor(const pl_scenario *s, size_t i);
PL_API size_t pl_scenario_n_issues(const pl_scenario *s);
PL_API const pl_issue *pl_scenario_issue(const pl_scenario *s, size_t i);
PL_API size_t pl_scenario_n_positions(const pl_scenario *s);
PL_API const pl_position *pl_scenario_position(const pl_scenario *s, size_t i);
/* Index lookups by id: PL_OK or PL_ENOTFOUND. */
PL_API pl_status pl_scenario_find_actor(const pl_scenario *s, const char *id, size_t *index);
PL_API pl_status pl_scenario_find_issue(const pl_scenario *s, const char *id, size_t *index);
/* The actor's position on the issue, or NULL when it has no stake. */
PL_API const pl_position *pl_scenario_stake(const pl_scenario *s, size_t actor, size_t issue);

/* ------------------------------------------------------------------------
** Baseline models on one issue.  x[i] is actor i's position, w[i] >= 0 its
** weight (capability x salience in the scenario forecasts).
*/

/* The compromise model: sum w x / sum w.  If every weight is 0, the
** unweighted mean.  PL_EINVAL for n == 0, NULL arrays, non-finite values or
** negative weights. */
PL_API pl_status pl_weighted_mean(const double *x, const double *w, size_t n, double *out);

/* The weighted median: the Condorcet winner among the positions when each
** actor votes with weight w for the position nearer its own.  Defined as
** the smallest position at which the cumulative weight of positions at or
** below it reaches half the total (2 cum >= W).  If every weight is 0,
** weights are taken equal. */
PL_API pl_status pl_weighted_median(const double *x, const double *w, size_t n, double *out);

/* The (asymmetric) Nash bargaining solution on a scale [lo, hi]: the point
** x maximising prod (u_i(x) - d_i)^w_i over the points every weighted actor
** prefers to disagreement, with quadratic utility u_i(x) = -(x - x_i)^2.
** Disagreement: the status quo if `status_quo` is not NULL (d_i = u_i(sq)),
** else each actor's worst point of the scale.  When no point improves on
** the status quo for every actor with positive weight, the solution is the
** status quo itself and *blocked is set to 1.  See docs/models/baseline.md. */
PL_API pl_status pl_nash_bargaining(const double *x, const double *w, size_t n, double lo,
                                    double hi, const double *status_quo, double *out, int *blocked);

/* ------------------------------------------------------------------------
** Models with their own headers.
*/
#include "parley/eum.h"

/* ------------------------------------------------------------------------
** Forecasting models on one issue, through one interface, and forecasts of
** a scenario: every model on every issue.
*/
typedef enum pl_model {
    PL_MODEL_COMPROMISE = 0, /* capability x salience weighted mean */
    PL_MODEL_MEDIAN,         /* capability x salience weighted median */
    PL_MODEL_NASH,           /* Nash bargaining, status quo disagreement */
    PL_MODEL_EUM,            /* expected utility model: final weighted median */
    PL_MODEL_EUM_MEAN,       /* expected utility model: final weighted mean */
    PL_MODEL_STICKY,         /* parley's sticky status quo model */
    PL_MODEL_SNAP,           /* sticky, else snap to the nearest interior position */
    PL_MODEL_CANDIDATE,      /* candidate-choice logit over the options on the table */
    PL_MODEL_ENSEMBLE,       /* the average of snap and candidate */
    PL_MODEL_COUNT
} pl_model;

PL_API const char *pl_model_name(pl_model model); /* "compromise", ... */
/* One line saying what the model is. */
PL_API const char *pl_model_description(pl_model model);
PL_API pl_status pl_model_from_name(const char *name, pl_model *out);

/* The sticky status quo model (docs/models/sticky.md): the compromise
** forecast, unless it lies within tau of the status quo, where the status
** quo is kept.  tau is a share of the scale's range, one for issues decided
** by unanimity or consensus (more vetoes, more inertia) and one for the
** rest.  The defaults were fitted on ../shared/data/deu3/deu3-train.tsv
** (`parley backtest --fit`). */
typedef struct pl_sticky_params {
    double tau_unanimity;
    double tau_other;
} pl_sticky_params;

/* The snap + sticky model (docs/models/candidate.md): the sticky rule with
** its own two taus; else the position strictly inside the range of
** positions nearest the compromise, when it lies within `distance` (a
** share of the scale's range) of it; else the compromise. */
typedef struct pl_snap_params {
    double tau_unanimity;
    double tau_other;
    double distance;
} pl_snap_params;

/* The candidate-choice model (docs/models/candidate.md): a multinomial
** logit over the candidate outcomes (the distinct positions, the status
** quo, the compromise) with PL_CANDIDATE_N_FEATURES features each; the
** forecast is the median of the candidate distribution.  beta: the
** coefficients; lambda: the ridge penalty they were fitted with. */
#define PL_CANDIDATE_N_FEATURES 15
typedef struct pl_candidate_params {
    double beta[PL_CANDIDATE_N_FEATURES];
    double lambda;
} pl_candidate_params;

/* The feature names, in the order of beta ("wshare", ..., "comp_sd"). */
PL_API const char *pl_candidate_feature_name(size_t k);

typedef struct pl_forecast_options {
    pl_eum_options eum;
    pl_sticky_params sticky;
    pl_snap_params snap;
    pl_candidate_params candidate;
} pl_forecast_options;

/* Rounds of the expected utility model in forecasts (docs/models/eum.md). */
#define PL_FORECAST_EUM_ROUNDS 10

/* Defaults: the EUM's scholz preset stopped after PL_FORECAST_EUM_ROUNDS
** rounds at most, the sticky, snap and candidate parameters fitted on
** deu3-train.tsv. */
PL_API void pl_forecast_options_init(pl_forecast_options *opt);

/* One issue as the models see it: the n actors holding a position. */
typedef struct pl_issue_input {
    size_t n;
    const double *position;   /* on [min, max] */
    const double *capability; /* > 0 */
    const double *salience;   /* 0-100 */
    double min, max;
    int has_status_quo;
    double status_quo;
    pl_decision_rule rule;
    /* Institutional roles, for the candidate model: 1 + the index (among
    ** the n) of the actor with the role "proposer" (the agenda setter, as
    ** the EU Commission), and of the one with the role "parliament" (the
    ** co-legislator); 0: none.  codecision: 1 when the issue's procedure
    ** is "COD" (the parliament co-decides).  All 0 outside the EU. */
    size_t proposer, parliament;
    int codecision;
} pl_issue_input;

/* One issue of a scenario as the models see it: the actors with a stake,
** in actor order, their positions, capabilities and saliences, in the
** caller's arrays (room for pl_scenario_n_actors(s) entries each; none may
** be NULL), and *in pointing at them.  Returns the number of stakes. */
PL_API size_t pl_scenario_issue_input(const pl_scenario *s, size_t issue, double *position,
                                      double *capability, double *salience, size_t *actors,
                                      pl_issue_input *in);

/* Run one model on one issue (opt NULL: defaults). */
PL_API pl_status pl_model_forecast(pl_model model, const pl_issue_input *in,
                                   const pl_forecast_options *opt, double *out);

typedef struct pl_forecast pl_forecast;

typedef struct pl_issue_forecast {
    size_t issue;                 /* index into the scenario's issues */
    size_t n_stakes;              /* actors holding a position on it */
    double value[PL_MODEL_COUNT]; /* each model's forecast */
    int nash_blocked;             /* 1: no move from the status quo suits everyone */
    /* The expected utility model's run: rounds, why it stopped, and the
    ** cycle's length when it stopped on one. */
    size_t eum_rounds;
    pl_eum_stop eum_stop;
    size_t eum_cycle_length;
    /* The spatial model of politics (KTAB's SMP) run over all issues at
    ** once (docs/models/smp.md): the most probable final position and the
    ** probability-weighted mean, on this issue's scale.  has_smp is 0 when
    ** the scenario is outside the column's range (3 to 250 actors; the
    ** model itself, --model smp, takes up to PL_SMP_MAX_ACTORS). */
    int has_smp;
    double smp_mode, smp_mean;
    double min_position, max_position; /* spread of the positions */
    double sd_position;                /* capability x salience weighted standard deviation */
    /* Actors with a stake, sorted by distance of their position to the
    ** compromise forecast (nearest first; ties by actor order). */
    const size_t *closest;
    /* Actors who block a move from the status quo toward the compromise
    ** forecast under unanimity: those at the status quo or on its far side.
    ** Empty when the issue has no status quo. */
    const size_t *blockers;
    size_t n_blockers;
} pl_issue_forecast;

/* opt NULL: defaults. */
PL_API pl_status pl_forecast_run(const pl_scenario *s, const pl_forecast_options *opt,
                                 pl_forecast **out);
PL_API void pl_forecast_free(pl_forecast *f);
PL_API size_t pl_forecast_n_issues(const pl_forecast *f);
PL_API const pl_issue_forecast *pl_forecast_issue(const pl_forecast *f, size_t i);

/* ------------------------------------------------------------------------
** Backtests: the models against known outcomes (docs/backtest.md).
*/
typedef struct pl_backtest pl_backtest;

/* Fitted parameters, as `parley backtest --fit` saves them (docs/backtest.md,
** "Parameters file"): the sticky, snap and candidate models' parameters
** and, per backtest row, the absolute errors of its out-of-fold forecasts
** on the file they were fitted on (the intervals come from them). */
typedef struct pl_params pl_params;

/* Read a parameters file (JSON); problems go to diags at FILE:LINE:COL.
** PL_EIO, PL_ERANGE (over the input cap), PL_EPARSE (not UTF-8 or JSON),
** PL_EINPUT (not valid parameters), PL_ENOMEM. */
PL_API pl_status pl_params_load_file(const char *path, pl_diags *diags, pl_params **out);
PL_API pl_status pl_params_load_buffer(const char *text, size_t len, const char *name,
                                       pl_diags *diags, pl_params **out);
PL_API void pl_params_free(pl_params *p);
/* Put p's parameters into opt (sticky, snap, candidate; the rest kept). */
PL_API void pl_params_apply(const pl_params *p, pl_forecast_options *opt);
/* A backtest row's recorded out-of-fold absolute errors (row: a
** pl_backtest_row_name); NULL and *n 0 when the file has none. */
PL_API const double *pl_params_errors(const pl_params *p, const char *row, size_t *n);
/* The file's text (JSON, reals to 17 digits: read back, the same doubles). */
PL_API pl_status pl_params_write_json(const pl_params *p, char **out);

typedef struct pl_backtest_options {
    pl_forecast_options forecast; /* the models' options */
    unsigned folds;               /* cross-validation folds, >= 2 (10)     */
    double coverage;              /* what the intervals aim to hold (0.8) */
    unsigned long long seed;      /* shuffles the groups into folds (1)   */
    /* NULL: fit the fitted models in cross-validation.  Else score these
    ** parameters without fitting anything (the out-of-sample test of
    ** parameters fitted on another file); the intervals come from the
    ** errors recorded in them (every row needs its errors: PL_EINVAL). */
    const pl_params *params;
    /* Progress in issues forecast (pl_progress_fn); a stop gives
    ** PL_EINTERRUPTED. */
    pl_progress_fn progress;
    void *progress_ctx;
} pl_backtest_options;

PL_API void pl_backtest_options_init(pl_backtest_options *opt);

/* Rows of a backtest: every model (indexed by pl_model), then the reference
** rows "status-quo" and "mean" (unweighted). */
PL_API size_t pl_backtest_n_rows(void);
PL_API const char *pl_backtest_row_name(size_t row);

PL_API pl_status pl_backtest_run(const pl_scenario *s, const pl_backtest_options *opt,
                                 pl_backtest **out);
PL_API void pl_backtest_free(pl_backtest *b);
PL_API size_t pl_backtest_n_issues(const pl_backtest *b);  /* with an outcome */
PL_API size_t pl_backtest_n_skipped(const pl_backtest *b); /* without one     */
/* The sticky model's parameters fitted on all issues, and their in-sample
** mean absolute error (with given parameters: those, and 0). */
PL_API const pl_sticky_params *pl_backtest_fitted(const pl_backtest *b, double *in_sample_mae);
/* The parameters fitted on all issues with every row's out-of-fold
** absolute errors, as a parameters file holds them (PL_EINVAL for a
** backtest run on given parameters). */
PL_API pl_status pl_backtest_params(const pl_backtest *b, pl_params **out);

typedef struct pl_backtest_stats {
    size_t n;
    double mae, median_ae, rmse;
    double within10, within20; /* shares within 10 and 20% of the scale */
    double interval_width;     /* mean width of the intervals */
    double coverage;           /* share of outcomes inside them */
} pl_backtest_stats;

/* A row's figures on the issues with the given procedure (NULL: any) and
** decision rule (-1: any). */
PL_API pl_status pl_backtest_stats_get(const pl_backtest *b, const pl_scenario *s, size_t row,
                                       const char *procedure, int rule, pl_backtest_stats *out);
/* rows_shown: NULL for every row, else a flag per row. */
PL_API pl_status pl_report_backtest(const pl_scenario *s, const pl_backtest *b, pl_format format,
                                    const int *rows_shown, char **out);

/* ------------------------------------------------------------------------
** Uncertainty: Monte Carlo forecasts, sensitivity, what-if
** (docs/uncertainty.md).
*/
/* parley's default spreads, for scenarios that state none. */
#define PL_MC_DEFAULT_POSITION_SD_SHARE 0.05   /* of the scale's range */
#define PL_MC_DEFAULT_SALIENCE_SD 10.0         /* salience points      */
#define PL_MC_DEFAULT_CAPABILITY_SD_SHARE 0.10 /* of the capability    */

typedef struct pl_mc pl_mc;

/* Monte Carlo runs know two models more than pl_model: the spatial model
** of politics (parley/smp.h), run on every issue at once in each run, its
** most probable outcome read on each issue; and Stokman's exchange model
** (parley/exchange.h), run on each group of linked issues in each run
** (pl_exchange_forecast_scenario), the last round's voting outcome read on
** each issue.  Use PL_MC_SMP and PL_MC_EXCHANGE where a pl_model is asked
** for (models[], pl_mc_summary; pl_sensitivity_run takes PL_MC_EXCHANGE);
** their names are "smp" and "exchange". */
#define PL_MC_SMP ((pl_model)PL_MODEL_COUNT)
#define PL_MC_EXCHANGE ((pl_model)(PL_MODEL_COUNT + 1))
#define PL_MC_N_MODELS (PL_MODEL_COUNT + 2)
/* "compromise", ..., "smp", "exchange"; NULL out of range. */
PL_API const char *pl_mc_model_name(pl_model model);
/* As pl_model_from_name, "smp" giving PL_MC_SMP, "exchange" PL_MC_EXCHANGE. */
PL_API pl_status pl_mc_model_from_name(const char *name, pl_model *out);

/* Runs whose results need more than this are summarised (see
** pl_mc_options.exact_bytes). */
#define PL_MC_EXACT_BYTES ((size_t)256 << 20)
/* Bins over each issue's scale that the summarised quantiles come from. */
#define PL_MC_QUANTILE_BINS 10000

typedef struct pl_mc_options {
    pl_forecast_options forecast;
    size_t runs;             /* 1000; at most 2^32 */
    unsigned long long seed; /* 1; run r draws from the stream (seed, r) */
    unsigned n_threads;      /* 0: one per core (PL_MAX_THREADS at most); results
                             ** never depend on it */
    /* 1: run this model (default: every pl_model, not the SMP or the
    ** exchange model) */
    int models[PL_MC_N_MODELS];
    size_t bins; /* histogram bins over the scale (10) */
    /* The SMP's options (NULL: its defaults; n_threads and the progress
    ** callback are ignored, seed is replaced by one drawn from each run's
    ** stream) and how a scenario's saliences become its own (a
    ** pl_smp_salience_norm, default 0: cap). */
    const struct pl_smp_options *smp;
    int smp_salience_norm;
    /* The exchange model's options (NULL: its defaults; rounds and p are
    ** used, n_threads, repetitions and the progress callback ignored, and
    ** with p > 0 seed is replaced by one drawn from each run's stream). */
    const struct pl_exchange_options *exchange;
    /* Every run's values are kept, and the median and percentiles are
    ** exact, while they take at most this many bytes (0: PL_MC_EXACT_BYTES);
    ** beyond, the runs are summarised as they finish, in bounded memory
    ** (docs/uncertainty.md): counts, integer sums, min and max exact,
    ** mean and sd from values rounded to 1/(2^32-1) of the scale, quantiles
    ** from PL_MC_QUANTILE_BINS bins over the scale (within one bin). */
    size_t exact_bytes;
    /* The first run's index: the runs are first_run .. first_run + runs - 1,
    ** run r drawing from the stream (seed, r).  0 by default; a range of
    ** runs made elsewhere merges with pl_mc_merge. */
    unsigned long long first_run;
    /* The whole sweep's runs when these are a range of it (0: runs): the
    ** range keeps every value, or summarises them, as one run over the
    ** whole sweep would, so that the ranges merge into the same figures. */
    size_t sweep_runs;
    /* Progress in runs finished (pl_progress_fn).  When it asks to stop,
    ** the runs finished so far (a prefix) are kept and pl_mc_interrupted
    ** says so; PL_EINTERRUPTED when none had finished. */
    pl_progress_fn progress;
    void *progress_ctx;
} pl_mc_options;

PL_API void pl_mc_options_init(pl_mc_options *opt);
/* PL_ERANGE for more than 2^32 runs; PL_EINTERRUPTED (and *out NULL) when
** stopped (opt->progress) before any run finished.  With the SMP asked
** for, the statuses of pl_smp_data_from_scenario (PL_EINPUT: the model
** cannot take the scenario) and pl_smp_run; with the exchange model, those
** of pl_exchange_run (PL_EINVAL for bad options). */
PL_API pl_status pl_mc_run(const pl_scenario *s, const pl_mc_options *opt, pl_mc **out);
PL_API void pl_mc_free(pl_mc *mc);
PL_API size_t pl_mc_n_runs(const pl_mc *mc);
PL_API int pl_mc_interrupted(const pl_mc *mc);
PL_API size_t pl_mc_bins(const pl_mc *mc);
/* 1 if the runs were summarised (their values did not fit exact_bytes). */
PL_API int pl_mc_summarised(const pl_mc *mc);
/* Add the runs of `part` to those of `into`: the runs that follow them
** (part's first_run is into's first_run + runs), on the same scenario,
** seed, models and bins, neither interrupted, both summarised or both
** keeping every value (pl_mc_options.sweep_runs makes ranges agree).
** Exact: the figures are those of one run over both ranges.  PL_EINVAL
** otherwise, PL_ENOMEM. */
PL_API pl_status pl_mc_merge(pl_mc *into, const pl_mc *part);
/* The values drawn anew in every run (those with a spread): positions,
** saliences and capabilities. */
PL_API void pl_mc_perturbed(const pl_mc *mc, size_t *positions, size_t *saliences,
                            size_t *capabilities);
/* The default spreads that were in force (the scenario's or parley's). */
PL_API const pl_uncertainty *pl_mc_defaults_used(const pl_mc *mc);

typedef struct pl_mc_stats {
    double mean, sd, median, p5, p95, min, max;
    double p10, p90; /* the 80% band (the HTML report's) */
} pl_mc_stats;

/* One model's forecasts of one issue across the runs.  histogram (NULL or
** pl_mc_bins entries) counts them in equal bins over the scale;
** option_shares (NULL or one per option of the issue) gets the share of
** runs whose forecast is nearest each option. */
PL_API pl_status pl_mc_summary(const pl_mc *mc, const pl_scenario *s, size_t issue, pl_model model,
                               pl_mc_stats *out, size_t *histogram, double *option_shares);
/* Each run's forecast of issue `issue` under `model`, in run order (run
** first_run + r in values[r]; room for pl_mc_n_runs(mc) values): the
** Monte Carlo's raw results, for a caller's own statistics or plots.
** PL_ERANGE when the runs were summarised (pl_mc_summarised: their values
** were not kept), PL_EINVAL for a bad argument or a model not run. */
PL_API pl_status pl_mc_values(const pl_mc *mc, size_t issue, pl_model model, double *values);
PL_API pl_status pl_report_mc(const pl_scenario *s, const pl_mc *mc, pl_format format, char **out);

/* Sensitivity: each uncertain input swung across its range (a range's
** ends, or the value -+ 1.645 sd, the 5th and 95th percentiles of a
** normal, kept in the domain) with every other input at its value; the
** swing of each issue's forecast under `model`, largest first. */
typedef struct pl_sensitivity pl_sensitivity;

typedef struct pl_swing {
    size_t actor;
    size_t issue;     /* the input's issue (capability: SIZE_MAX) */
    int what;         /* 0 position, 1 salience, 2 capability */
    double low, high; /* the input's two values */
    double forecast_low, forecast_high;
    double swing; /* |forecast_high - forecast_low| */
} pl_swing;

typedef struct pl_sensitivity_options {
    pl_forecast_options forecast; /* the models' options */
    /* Progress in swings computed (pl_progress_fn); a stop gives
    ** PL_EINTERRUPTED. */
    pl_progress_fn progress;
    void *progress_ctx;
    /* The exchange model's options (model PL_MC_EXCHANGE; NULL: its
    ** defaults; the progress callback is replaced by the sensitivity's). */
    const struct pl_exchange_options *exchange;
    /* Only the inputs first .. first + count - 1 (count 0: all of them), in
    ** the order they are swung (pl_sensitivity_size): their swings are kept
    ** for a partial result (parley/part.h: pl_part_write_sensitivity, which
    ** joins the ranges exactly) and the issues' lists are left empty. */
    uint64_t first, count;
} pl_sensitivity_options;

/* Default model options, no progress. */
PL_API void pl_sensitivity_options_init(pl_sensitivity_options *opt);

/* opt NULL: defaults.  model PL_MC_EXCHANGE: the exchange model, whose
** issues are linked, so an issue's swings are those of every input of its
** group of issues (pl_swing.issue names the input's issue), each swung
** alone and the model run on the whole group. */
PL_API pl_status pl_sensitivity_run(const pl_scenario *s, pl_model model,
                                    const pl_sensitivity_options *opt, pl_sensitivity **out);
PL_API void pl_sensitivity_free(pl_sensitivity *sens);
/* The number of inputs pl_sensitivity_run swings, each alone: the units a
** range counts.  The one-issue models: issue by issue, each stake's
** position, salience and capability in the order of the actors; the
** exchange model: group by group of linked issues, every stake's position
** and salience (issue by issue, actor by actor), then the capability of
** each actor with a stake in the group. */
PL_API pl_status pl_sensitivity_size(const pl_scenario *s, pl_model model, uint64_t *out);
/* The swings of issue `issue`'s forecast, largest first. */
PL_API const pl_swing *pl_sensitivity_swings(const pl_sensitivity *sens, size_t issue, size_t *n);
PL_API pl_status pl_report_sensitivity(const pl_scenario *s, const pl_sensitivity *sens, size_t top,
                                       pl_format format, char **out);

/* The expected utility model run on every issue of a scenario, each issue
** on its own over the actors with a stake in it, every round and offer
** recorded (opt NULL: the scholz preset; opt->record is ignored).  Statuses
** as pl_eum_run (opt->progress may stop it: PL_EINTERRUPTED). */
typedef struct pl_eum_trace pl_eum_trace;

PL_API pl_status pl_eum_trace_run(const pl_scenario *s, const pl_eum_options *opt,
                                  pl_eum_trace **out);
PL_API void pl_eum_trace_free(pl_eum_trace *t);
/* The scenario's number of issues. */
PL_API size_t pl_eum_trace_n_issues(const pl_eum_trace *t);
/* The run on issue `issue`, NULL when nobody has a stake in it; *actors
** (n of them) gives the scenario's index of each of the run's actors. */
PL_API const pl_eum_result *pl_eum_trace_issue(const pl_eum_trace *t, size_t issue,
                                               const size_t **actors, size_t *n);
/* The runs round by round; offers: 1 to list what each round did. */
PL_API pl_status pl_report_eum_trace(const pl_scenario *s, const pl_eum_trace *t, int offers,
                                     pl_format format, char **out);

/* What-if changes, as typed on a command line:
**   "ACTOR.ISSUE.position=X", "ACTOR.ISSUE.salience=X", "ACTOR.capability=X",
**   "ACTOR.ISSUE=none" (no stake); pl_whatif_drop removes an actor;
**   pl_whatif_add adds one from "ID:NAME:CAPABILITY".
** Problems go to diags under the name `what` ("--set"), with the column in
** the spec. */
PL_API pl_status pl_whatif_set(pl_scenario *s, const char *spec, const char *what, pl_diags *diags);
PL_API pl_status pl_whatif_drop(pl_scenario *s, const char *actor, const char *what,
                                pl_diags *diags);
PL_API pl_status pl_whatif_add(pl_scenario *s, const char *spec, const char *what, pl_diags *diags);
/* Every change the pl_whatif_* functions applied to a scenario, in order,
** kept with it (copied by pl_scenario_clone) so that every report of a
** changed scenario states them (docs/uncertainty.md, "What-if").
**   set:  actor, issue (NULL for a capability), what "position", "salience",
**         "capability" or "stake" (ACTOR.ISSUE=none), from -> to (has_from
**         0: there was no stake; has_to 0: the stake was removed)
**   drop: actor and name (its positions go with it)
**   add:  actor, name, what "capability", to
** A new stake set by its position gets salience 50: a second "set" entry
** says so. */
typedef struct pl_change {
    const char *op;    /* "set", "drop" or "add" */
    const char *actor; /* the actor's id */
    const char *name;  /* drop, add: the actor's name; else NULL */
    const char *issue; /* NULL: none */
    const char *what;  /* NULL for drop */
    int has_from, has_to;
    double from, to;
} pl_change;
PL_API size_t pl_scenario_n_changes(const pl_scenario *s);
PL_API const pl_change *pl_scenario_change(const pl_scenario *s, size_t i);
/* Two forecasts of (two versions of) a scenario side by side; issues are
** matched by id. */
PL_API pl_status pl_report_compare(const pl_scenario *base, const pl_forecast *fb,
                                   const pl_scenario *changed, const pl_forecast *fc,
                                   pl_format format, char **out);

/* The positions, weights (capability x salience) and actor indices of the
** actors with a stake on an issue, in actor order.  The arrays are
** caller-provided with room for pl_scenario_n_actors(s) entries (any may be
** NULL); returns the number of stakes. */
PL_API size_t pl_scenario_issue_stakes(const pl_scenario *s, size_t issue, double *positions,
                                       double *weights, size_t *actors);

/* ------------------------------------------------------------------------
** Reports: what the tool prints, built as one string so that nothing is
** half-written.  Text is a table a person reads at a glance; JSON carries
** the same figures for scripts; CSV one row per issue (or position).
*/

PL_API pl_status pl_format_from_name(const char *name, pl_format *out);

/* Each returns a NUL-terminated string in *out, released with pl_free. */
PL_API pl_status pl_report_forecast(const pl_scenario *s, const pl_forecast *f, pl_format format,
                                    char **out);
/* Actors, issues, positions and their evidence.  JSON is the scenario in
** its own file format (a normalised copy that loads back). */
PL_API pl_status pl_report_scenario(const pl_scenario *s, pl_format format, char **out);
/* The outcome of validating `file`: its diagnostics and, when it loaded,
** a summary of the scenario (s may be NULL). */
PL_API pl_status pl_report_validation(const char *file, const pl_scenario *s, const pl_diags *diags,
                                      pl_format format, char **out);
/* One report for n files (file k, its scenario or NULL, its diagnostics).
** Text: a line per file; CSV: one header, then every file's rows; JSON:
** for one file the object above, for several an object {"valid",
** "errors", "warnings" (over all files), "files": [one object per file]}. */
PL_API pl_status pl_report_validations(size_t n, const char *const *files,
                                       const pl_scenario *const *scenarios,
                                       const pl_diags *const *diags, pl_format format, char **out);
/* The built-in scenarios. */
PL_API pl_status pl_report_builtins(pl_format format, char **out);
/* The expected utility model run on every issue, round by round (opt NULL:
** the scholz preset); offers: 1 to list what each round did.  The two steps
** in one call: pl_eum_trace_run, then pl_report_eum_trace. */
PL_API pl_status pl_report_eum(const pl_scenario *s, const pl_eum_options *opt, int offers,
                               pl_format format, char **out);

/* Release memory the library handed over (report strings). */
PL_API void pl_free(void *p);

#include "parley/deals.h"
#include "parley/exchange.h"
#include "parley/negotiate.h"
#include "parley/smp.h"
#include "parley/report.h"
#include "parley/part.h"

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_H */
