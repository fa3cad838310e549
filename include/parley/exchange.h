/*
** parley/exchange.h: Stokman's exchange model of voting positions across
** linked issues (the equal-gain model), as the open-source `decide`
** exchange model computes it.  Part of the public API: parley.h includes it,
** and including it alone brings parley.h in first.
**
** Actors hold positions on several issues, each with a salience (0-1) and a
** power.  Two actors on opposite sides of the outcome on two issues, who
** care about them in different proportions, trade: each moves its voting
** position on the issue it cares less about, so that the outcome on the
** other moves its way, both gaining the same expected utility.  Within a
** round the best exchange is made first, the rest recomputed; between
** rounds preferences drift towards the votes.  ../shared/specs/exchange.md
** specifies it; docs/models/exchange.md gives the sources, the file format
** (decide's `#A/#P/#M/#D` rows) and every quirk kept on purpose.
**
** p = 0 (the default) is deterministic: the published reference figures
** are reproduced (tests/test_exchange.c).  p > 0 is decide's randomised
** equal gain: each exchange's gain split is drawn; parley draws from seeded
** streams, one per repetition, so a run of many repetitions is a
** reproducible distribution, the same for any thread count.
**
** Usage:
**     pl_exchange_data *d;
**     pl_exchange_result *res;
**     if (pl_exchange_read_file("sample_data.txt", diags, &d) == PL_OK &&
**         pl_exchange_run(d, NULL, &res) == PL_OK) {
**         double final = pl_exchange_result_voting_outcome(res, 10, 0);
**         ...
**         pl_exchange_result_free(res);
**     }
**     pl_exchange_data_free(d);
*/
#ifndef PARLEY_EXCHANGE_H
#include <parley.h>
#endif
#ifndef PARLEY_EXCHANGE_H
#define PARLEY_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** Types
*/
typedef struct pl_exchange_data pl_exchange_data;     /* actors, issues, stakes */
typedef struct pl_exchange_result pl_exchange_result; /* one run, round by round */
typedef struct pl_exchange_dist pl_exchange_dist;     /* repetitions, p > 0 */

/* One side of an exchange carried out: the actor moves its vote on its
** supply issue (from x by move to y, on the issue's 0-100 scale) so that
** the outcome of its demand issue moves its way. */
typedef struct pl_exchange_side {
    size_t actor, supply, demand; /* indices into the data's actors, issues */
    double x, move, y;            /* 0-100 */
} pl_exchange_side;

/* An exchange carried out in round `round` (1-based): i supplies q and
** demands p, j the reverse; both gain `gain` (0-100 units x salience). */
typedef struct pl_exchange_made {
    size_t round;
    double gain;
    pl_exchange_side i, j;
} pl_exchange_made;

/* An actor's externalities in a round (spec 9.1; 0-100 units): the effect
** on it of the exchanges others made, split by whether it sat in the
** exchange's group pair (inner) or not (outer), and its own gains. */
typedef struct pl_exchange_ext {
    double inner_positive, inner_negative, outer_positive, outer_negative, own;
} pl_exchange_ext;

/* ------------------------------------------------------------------------
** Options
*/
#define PL_EXCHANGE_DEFAULT_ROUNDS 10
#define PL_EXCHANGE_MAX_ROUNDS 10000

typedef struct pl_exchange_options {
    unsigned rounds; /* 10 (decide's --iterations), 1 .. PL_EXCHANGE_MAX_ROUNDS */
    /* The randomised equal gain (spec 5.5): 0 (the default) is the plain
    ** equal-gain model; p in (0, 1] draws each exchange's gain split. */
    double p;
    /* p > 0: the stream the draws come from (pl_exchange_run: stream
    ** (seed, 0); pl_exchange_repeat: repetition r draws from (seed, r)). */
    unsigned long long seed;
    /* pl_exchange_repeat: how many repetitions (100), threads (0: one per
    ** core; results never depend on it). */
    size_t repetitions;
    unsigned n_threads;
    /* Progress in rounds (pl_exchange_run) or repetitions
    ** (pl_exchange_repeat); a stop gives PL_EINTERRUPTED. */
    pl_progress_fn progress;
    void *progress_ctx;
} pl_exchange_options;

PL_API void pl_exchange_options_init(pl_exchange_options *opt);

/* ------------------------------------------------------------------------
** Input: decide's data file, or any scenario parley reads
*/
/* decide's delimited file (TAB, ';' or ',', fields optionally quoted with
** ' or "): rows tagged #A (actor), #P (issue), #M (a point on an issue's
** scale), #D (a stake: actor, issue, position, salience 0-1, power),
** #O and #/ (ignored).  Errors at FILE:LINE:COL: PL_EPARSE (not text),
** PL_EINPUT (invalid), PL_EIO, PL_ERANGE (over the input cap), PL_ENOMEM. */
PL_API pl_status pl_exchange_read_file(const char *path, pl_diags *diags, pl_exchange_data **out);
PL_API pl_status pl_exchange_read_buffer(const char *text, size_t len, const char *name,
                                         pl_diags *diags, pl_exchange_data **out);
/* The model's input from a scenario: its actors and issues in order, every
** stake with its position (on the issue's scale), salience / 100 and the
** actor's capability as its power on every issue.  Stakes with salience 0
** or an actor of capability 0 carry no weight in any outcome and are left
** out (a warning says so).  PL_EINPUT when no issue has a stake. */
PL_API pl_status pl_exchange_data_from_scenario(const pl_scenario *s, pl_diags *diags,
                                                pl_exchange_data **out);
/* The other way, so that every command takes a decide file: actor and
** issue ids made scenario ids (other characters as '-', made unique), the
** full names as names, saliences x 100, each actor's power as its
** capability (the mean, with a warning, when it differs across issues). */
PL_API pl_status pl_exchange_data_to_scenario(const pl_exchange_data *d, pl_diags *diags,
                                              pl_scenario **out);
PL_API void pl_exchange_data_free(pl_exchange_data *d);
PL_API size_t pl_exchange_data_n_actors(const pl_exchange_data *d);
PL_API size_t pl_exchange_data_n_issues(const pl_exchange_data *d);
PL_API const char *pl_exchange_data_actor(const pl_exchange_data *d, size_t a); /* id */
PL_API const char *pl_exchange_data_actor_name(const pl_exchange_data *d, size_t a);
PL_API const char *pl_exchange_data_issue(const pl_exchange_data *d, size_t k); /* id */
PL_API const char *pl_exchange_data_name(const pl_exchange_data *d); /* file or scenario */
/* The issue's scale (lower < upper). */
PL_API void pl_exchange_data_scale(const pl_exchange_data *d, size_t k, double *lower,
                                   double *upper);
/* Actor a's stake in issue k: 1 and its position (on the issue's scale),
** salience (0-1) and power, or 0 when it has none. */
PL_API int pl_exchange_data_stake(const pl_exchange_data *d, size_t a, size_t k, double *position,
                                  double *salience, double *power);

/* ------------------------------------------------------------------------
** Runs
*/
/* One run of opt->rounds rounds (opt NULL: defaults).  PL_EINVAL for bad
** options, PL_EINTERRUPTED when stopped, PL_ENOMEM. */
PL_API pl_status pl_exchange_run(const pl_exchange_data *d, const pl_exchange_options *opt,
                                 pl_exchange_result **out);
PL_API void pl_exchange_result_free(pl_exchange_result *r);
PL_API size_t pl_exchange_result_n_rounds(const pl_exchange_result *r);
/* Outcomes of round t (1 .. n_rounds) on issue k, on the issue's scale:
** the weighted mean of the positions the round starts from (preference)
** and of the votes after its exchanges (voting).  The forecast is the
** voting outcome of the last round.  t = 0: the preference outcome of
** round 1 for both. */
PL_API double pl_exchange_result_preference_outcome(const pl_exchange_result *r, size_t t,
                                                    size_t k);
PL_API double pl_exchange_result_voting_outcome(const pl_exchange_result *r, size_t t, size_t k);
PL_API double pl_exchange_result_forecast(const pl_exchange_result *r, size_t k);
/* Actor a's positions on issue k in round t (issue scale): where it
** started, how it voted; 0 when it has no stake.  t = n_rounds + 1: the
** preferences a next round would start from (both). */
PL_API double pl_exchange_result_preference(const pl_exchange_result *r, size_t t, size_t a,
                                            size_t k);
PL_API double pl_exchange_result_vote(const pl_exchange_result *r, size_t t, size_t a, size_t k);
/* The exchanges carried out in round t (1-based), in the order made. */
PL_API const pl_exchange_made *pl_exchange_result_exchanges(const pl_exchange_result *r, size_t t,
                                                            size_t *n);
/* Actor a's externalities in round t. */
PL_API const pl_exchange_ext *pl_exchange_result_ext(const pl_exchange_result *r, size_t t,
                                                     size_t a);

/* Repetitions of the randomised model (p > 0; p = 0 gives identical runs):
** repetition r draws from the stream (seed, r).  The distribution of each
** issue's forecast over the repetitions. */
PL_API pl_status pl_exchange_repeat(const pl_exchange_data *d, const pl_exchange_options *opt,
                                    pl_exchange_dist **out);
PL_API void pl_exchange_dist_free(pl_exchange_dist *dist);
PL_API size_t pl_exchange_dist_n(const pl_exchange_dist *dist); /* repetitions */
PL_API double pl_exchange_dist_p(const pl_exchange_dist *dist);
/* Issue k's forecasts over the repetitions (issue scale): mean, sd,
** median, 5th and 95th percentile, min, max; and the mean number of
** exchanges per repetition. */
PL_API pl_status pl_exchange_dist_summary(const pl_exchange_dist *dist, size_t k, pl_mc_stats *out);
PL_API double pl_exchange_dist_mean_exchanges(const pl_exchange_dist *dist);

/* ------------------------------------------------------------------------
** On a scenario's linked issues (analysis/exchange_groups.c)
*/
/* The model run on each group of linked issues (pl_issue.group: a DEU
** proposal; issues without a group trade with each other), the forecast
** of every issue into forecast[pl_scenario_n_issues(s)]; an issue alone in
** its group keeps its compromise (no exchange partner).  n_exchanges (may
** be NULL): how many were made in all.  opt NULL: defaults. */
PL_API pl_status pl_exchange_forecast_scenario(const pl_scenario *s, const pl_exchange_options *opt,
                                               double *forecast, size_t *n_exchanges);
/* The same runs kept, for a report to tell (parley report's "Trading
** across issues"): per group its input (the scenario's actors; the group's
** issues, in scenario order), its run, and which scenario issue each of
** the input's issues is.  Statuses as pl_exchange_forecast_scenario. */
typedef struct pl_exchange_scenario pl_exchange_scenario;

PL_API pl_status pl_exchange_scenario_run(const pl_scenario *s, const pl_exchange_options *opt,
                                          pl_exchange_scenario **out);
PL_API void pl_exchange_scenario_free(pl_exchange_scenario *x);
PL_API size_t pl_exchange_scenario_n_groups(const pl_exchange_scenario *x);
/* Group g's run, NULL when nobody in it weighs in (its issues keep the
** status quo, else the midpoint); *data (may be NULL) its input, issues
** (may be NULL) each of its issues' index in the scenario, n (may be NULL)
** how many. */
PL_API const pl_exchange_result *pl_exchange_scenario_group(const pl_exchange_scenario *x, size_t g,
                                                            const pl_exchange_data **data,
                                                            const size_t **issues, size_t *n);
/* The forecast of the scenario's issue `issue` (pl_exchange_forecast_scenario's). */
PL_API double pl_exchange_scenario_forecast(const pl_exchange_scenario *x, size_t issue);
/* The scenario's number of issues, and the exchanges made in all. */
PL_API size_t pl_exchange_scenario_n_issues(const pl_exchange_scenario *x);
PL_API size_t pl_exchange_scenario_n_exchanges(const pl_exchange_scenario *x);
/* The rounds and p the runs were made with. */
PL_API const pl_exchange_options *pl_exchange_scenario_options(const pl_exchange_scenario *x);

/* The errors of those forecasts on the issues with an outcome, and of the
** compromise model on the same issues (no cross-validation: the model has
** no fitted parameter; no intervals). */
PL_API pl_status pl_exchange_backtest(const pl_scenario *s, const pl_exchange_options *opt,
                                      pl_backtest_stats *exchange, pl_backtest_stats *compromise);

/* ------------------------------------------------------------------------
** Reports
*/
/* A run: per issue the outcome per round, the exchanges made (who gave
** what for what, per round) and the externalities; JSON with every figure
** (issues[].forecast.exchange is the forecast).  exchanges: 1 to list the
** exchanges in text (JSON always has them). */
PL_API pl_status pl_report_exchange(const pl_exchange_data *d, const pl_exchange_result *r,
                                    int exchanges, pl_format format, char **out);
/* A sweep over p: one distribution per p (n of them). */
PL_API pl_status pl_report_exchange_sweep(const pl_exchange_data *d,
                                          const pl_exchange_dist *const *dists, size_t n,
                                          pl_format format, char **out);

/* pl_exchange_backtest's figures beside the compromise model's; JSON as
** the backtest's (models[].model, models[].all.mae). */
PL_API pl_status pl_report_exchange_backtest(const char *name, const pl_backtest_stats *exchange,
                                             const pl_backtest_stats *compromise, pl_format format,
                                             char **out);

#ifdef __cplusplus
}
#endif
#endif
