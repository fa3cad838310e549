/*
** parley/deals.h: package deals, the agreement space of an n-party,
** multi-issue negotiation.  Part of the public API: parley.h includes it,
** and including it alone brings parley.h in first.
**
** A package chooses one option on every issue.  Each party values a package
** with a utility on a 0..1 scale and has a reservation value (what "no deal"
** is worth to it).  From a space (pl_space) the library computes its figures
** (pl_deals): the number of packages and of rational ones (every party at or
** above its reservation: the zone of possible agreement), the Pareto
** frontier with, for every frontier package, the parties it leaves below
** their reservation (blockers), the Nash, Kalai-Smorodinsky, egalitarian and
** maximum-welfare packages, and the opposition.  Definitions, semantics and
** sources: docs/models/deals.md; the GENIUS/ANAC formats: docs/genius-format.md.
**
** Spaces come from parley scenarios (pl_space_from_scenario), from GENIUS
** XML files of the Automated Negotiating Agents Competition (ANAC) and from
** GeniusWeb JSON profiles (pl_space_load_genius*).
**
** Usage:
**     pl_space *sp;
**     pl_deals *d;
**     pl_deals_options opt;
**     pl_deals_options_init(&opt);
**     if (pl_space_from_scenario(s, NULL, &sp) == PL_OK &&
**         pl_deals_run(sp, &opt, diags, &d) == PL_OK) {
**         if (pl_deals_n_solution(d, PL_SOL_NASH) > 0) {
**             const pl_deal *nash =
**                 pl_deals_frontier(d, pl_deals_solution(d, PL_SOL_NASH, 0));
**             ...
**         }
**         pl_deals_free(d);
**     }
**     pl_space_free(sp);
*/
/* Included on its own, this header brings in parley.h first, which includes
** it back at its place, after the types it uses. */
#ifndef PARLEY_DEALS_H
#include <parley.h>
#endif
#ifndef PARLEY_DEALS_H
#define PARLEY_DEALS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** Types: a space, its figures, and what the figures hold
*/
typedef struct pl_space pl_space; /* parties, issues, options, utilities */
typedef struct pl_deals pl_deals; /* the figures computed from a space */

/* One package on the Pareto frontier of all packages. */
typedef struct pl_deal {
    const size_t *choice;   /* n_issues option indices */
    const double *utility;  /* n_parties utilities (discounted when time > 0) */
    int rational;           /* every party at or above its reservation */
    const size_t *blockers; /* parties below their reservation (none if rational) */
    size_t n_blockers;
} pl_deal;

typedef enum pl_solution {
    PL_SOL_NASH = 0,          /* max prod (u_i - r_i) */
    PL_SOL_KALAI_SMORODINSKY, /* min spread of (u_i - r_i) / (max_i - r_i) */
    PL_SOL_EGALITARIAN,       /* max min (u_i - r_i) */
    PL_SOL_MAX_WELFARE,       /* max sum u_i */
    PL_SOL_COUNT
} pl_solution;

/* ------------------------------------------------------------------------
** Options.  Zero fields take the defaults, so a zero-initialised struct
** and one from the _init functions ask for the same.
*/

/* How scenarios and files are turned into options. */
typedef struct pl_space_options {
    /* Scenario issues without named options: this many evenly spaced points
    ** from min to max (default 5: min, quarter, middle, three quarters, max). */
    size_t grid_points;
    /* GENIUS/GeniusWeb real issues: the step between options, in the issue's
    ** units, from the lower bound (the upper bound is always included).  0:
    ** (upper - lower) / (real_points - 1). */
    double real_step;
    size_t real_points; /* default 11 (ten equal intervals) */
} pl_space_options;

/* Fill *opts with the defaults: grid_points 5, real_step 0, real_points 11. */
PL_API void pl_space_options_init(pl_space_options *opts);

#define PL_DEALS_DEFAULT_CAP 10000000000ull /* 10^10 packages */

/* How the figures are computed (docs/models/deals.md, "How it is computed").
** Both engines give the same figures wherever both run. */
typedef enum pl_deals_engine {
    PL_ENGINE_AUTO = 0,  /* merge for linear additive spaces of 2 or 3 parties
                         ** from PL_DEALS_MERGE_FROM packages, else enumerate */
    PL_ENGINE_ENUMERATE, /* count packages one sub-tree at a time (every
                         ** package for non-linear utilities); max_outcomes caps it */
    PL_ENGINE_MERGE      /* linear additive only: the frontier merged issue by
                         ** issue, the rational count by meet in the middle (2
                         ** or 3 parties; more: counted as enumerate does); no cap */
} pl_deals_engine;

#define PL_DEALS_MERGE_FROM 4000000ull /* auto: the merge engine from 4e6 packages */

/* How the figures are computed. */
typedef struct pl_deals_options {
    uint64_t max_outcomes; /* refuse larger spaces (PL_ERANGE); 0: PL_DEALS_DEFAULT_CAP */
    unsigned n_threads;    /* 0: one per core, at most PL_MAX_THREADS (parley.h);
                           ** results never depend on it */
    double time;           /* discounting time t in [0,1]; 0: no discount */
    int exhaustive;        /* 1: evaluate every package (no additive shortcuts);
                           ** for checking, slower */
    /* Progress in packages (pl_progress_fn in parley.h; done is an
    ** estimate while the frontier is built); a stop gives PL_EINTERRUPTED. */
    pl_progress_fn progress;
    void *progress_ctx;
    /* PL_ENGINE_AUTO (0) picks; forcing PL_ENGINE_MERGE on a non-linear or
    ** exhaustive run is refused (PL_EINPUT with a diagnostic). */
    pl_deals_engine engine;
} pl_deals_options;

/* Fill *opts with the defaults: max_outcomes PL_DEALS_DEFAULT_CAP,
** n_threads 0, time 0, exhaustive 0, no progress, engine auto. */
PL_API void pl_deals_options_init(pl_deals_options *opts);

/* ------------------------------------------------------------------------
** Spaces: the input
*/
/* The space of a parley scenario: one party per actor, one issue per issue.
** Options: the issue's named options, else the default grid.  Utility of a
** package for actor a: sum over the issues a has a stake in of
** w_ai * (1 - |x_i - p_ai| / (max_i - min_i)), with w_ai = salience_ai /
** (a's total salience) (all saliences 0: utility 0 everywhere).
** Reservation: the utility of the status quo (issues without one count at
** the actor's worst option).  opts may be NULL. */
PL_API pl_status pl_space_from_scenario(const pl_scenario *s, const pl_space_options *opts,
                                        pl_space **out);

/* GENIUS XML: a domain file and one profile per party.  Parties are ordered
** by the profiles' file names (alphabetically), as in GENIUS.  Problems go to
** diags as FILE:LINE:COL: expected ..., found ...  Returns PL_EIO, PL_EPARSE
** (not XML), PL_EINPUT (not a valid domain/profile), PL_ENOMEM.
** Profiles may also be GeniusWeb JSON (all of them *.json): they carry
** their domain, so domain_path may be NULL and is not read. */
PL_API pl_status pl_space_load_genius(const char *domain_path, const char *const *profile_paths,
                                      size_t n_profiles, const pl_space_options *opts,
                                      pl_diags *diags, pl_space **out);
/* A folder: the XML file whose root is <negotiation_template> is the
** domain, every other *.xml (except pareto.xml) a profile; or *.json
** GeniusWeb profiles. */
PL_API pl_status pl_space_load_genius_dir(const char *dir, const pl_space_options *opts,
                                          pl_diags *diags, pl_space **out);
/* The same from memory (names are what diagnostics call the inputs). */
PL_API pl_status pl_space_load_genius_buffers(const char *domain, size_t domain_len,
                                              const char *domain_name, const char *const *profiles,
                                              const size_t *profile_lens,
                                              const char *const *profile_names, size_t n_profiles,
                                              const pl_space_options *opts, pl_diags *diags,
                                              pl_space **out);
/* GeniusWeb JSON profiles only (each embeds its domain; all must agree). */
PL_API pl_status pl_space_load_geniusweb_buffers(const char *const *profiles,
                                                 const size_t *profile_lens,
                                                 const char *const *profile_names,
                                                 size_t n_profiles, const pl_space_options *opts,
                                                 pl_diags *diags, pl_space **out);

PL_API void pl_space_free(pl_space *sp);

/* Counts and names; a name is NULL when its index is out of range. */
PL_API const char *pl_space_name(const pl_space *sp);
PL_API size_t pl_space_n_parties(const pl_space *sp);
PL_API const char *pl_space_party(const pl_space *sp, size_t party);
PL_API size_t pl_space_n_issues(const pl_space *sp);
PL_API const char *pl_space_issue(const pl_space *sp, size_t issue);
PL_API size_t pl_space_n_options(const pl_space *sp, size_t issue);
PL_API const char *pl_space_option(const pl_space *sp, size_t issue, size_t option);
/* The number of packages; 0 with *overflow = 1 when above 2^64 - 1. */
PL_API uint64_t pl_space_size(const pl_space *sp, int *overflow);
PL_API double pl_space_reservation(const pl_space *sp, size_t party);
/* The discount factor d (1: none); utilities at time t in [0,1] are U d^t. */
PL_API double pl_space_discount(const pl_space *sp, size_t party);
/* 1 when the party's utility is a GENIUS non-linear (hyper-rectangle) one. */
PL_API int pl_space_nonlinear(const pl_space *sp, size_t party);
/* Set a party's reservation value (a finite number; PL_EINVAL otherwise). */
PL_API pl_status pl_space_set_reservation(pl_space *sp, size_t party, double value);
/* Utilities of one package (choice[i] = option index on issue i) for every
** party, into u[n_parties], undiscounted.  PL_EINVAL for a bad choice. */
PL_API pl_status pl_space_utility(const pl_space *sp, const size_t *choice, double *u);

/* ------------------------------------------------------------------------
** Computing the figures
*/
/* Compute the figures.  opts may be NULL.  A space above the cap returns
** PL_ERANGE with a diagnostic that gives its size and what to do;
** PL_EINTERRUPTED when opts->progress asked to stop. */
PL_API pl_status pl_deals_run(const pl_space *sp, const pl_deals_options *opts, pl_diags *diags,
                              pl_deals **out);
PL_API void pl_deals_free(pl_deals *d);

/* ------------------------------------------------------------------------
** Reading the figures
*/
PL_API const char *pl_solution_name(pl_solution sol); /* "nash", "kalai_smorodinsky", ... */

/* The engine that ran (never PL_ENGINE_AUTO), and engine names ("auto",
** "enumerate", "merge"; NULL for an unknown value). */
PL_API pl_deals_engine pl_deals_engine_used(const pl_deals *d);
PL_API const char *pl_deals_engine_name(pl_deals_engine engine);

PL_API uint64_t pl_deals_n_outcomes(const pl_deals *d);
PL_API uint64_t pl_deals_n_rational(const pl_deals *d); /* the zone of possible agreement */
/* The Pareto frontier of all packages, sorted by the first party's utility
** (descending), then the second's, ...; utility vectors equal within 1e-12
** count once (the first package in enumeration order stands for them). */
PL_API size_t pl_deals_n_frontier(const pl_deals *d);
PL_API const pl_deal *pl_deals_frontier(const pl_deals *d, size_t i);
/* How many frontier packages are rational: the Pareto frontier of the
** rational packages (the figure GENIUS calls the Pareto points). */
PL_API size_t pl_deals_n_pareto(const pl_deals *d);
/* Each solution: indices into the frontier; ties within 1e-12 all listed,
** in enumeration order.  None when no package is rational. */
PL_API size_t pl_deals_n_solution(const pl_deals *d, pl_solution sol);
PL_API size_t pl_deals_solution(const pl_deals *d, pl_solution sol, size_t k);
/* Per party: minimum and maximum utility over all packages, the
** disagreement point r_i (reservation, or the minimum if higher). */
PL_API double pl_deals_min(const pl_deals *d, size_t party);
PL_API double pl_deals_max(const pl_deals *d, size_t party);
PL_API double pl_deals_disagreement(const pl_deals *d, size_t party);
/* The opposition: min over rational packages of
** sqrt(sum_i (1 - u_i / max_i)^2); returns 0 and *has = 0 when none is
** rational. */
PL_API double pl_deals_opposition(const pl_deals *d, int *has);

/* Compare the rational frontier with a list of utility vectors (a GENIUS
** pareto.xml file read by pl_genius_read_pareto): *n_matched = how many
** listed points are within `tol` of a frontier point in every coordinate. */
PL_API pl_status pl_deals_match_frontier(const pl_deals *d, const double *points, size_t n_points,
                                         double tol, size_t *n_matched);
/* Read a GENIUS pareto.xml (plain text: one utility vector per line,
** numbers separated by spaces, commas or tabs).  *points (n_points x
** *dims) is released with pl_free. */
PL_API pl_status pl_genius_read_pareto(const char *path, pl_diags *diags, double **points,
                                       size_t *n_points, size_t *dims);

/* The packages as points in utility space, for pictures of the space (the
** HTML report's scatter behind the frontier): every package, in
** enumeration order (the last issue's option changing fastest), when the
** space has at most max_points of them; otherwise max_points packages drawn
** uniformly (with replacement, each issue's option independently) from the
** stream (seed, 0).  Utilities are undiscounted.  PL_EINVAL for
** max_points 0 or a space without parties. */
typedef struct pl_deals_sample pl_deals_sample;

PL_API pl_status pl_deals_sample_run(const pl_space *sp, size_t max_points, uint64_t seed,
                                     pl_deals_sample **out);
PL_API void pl_deals_sample_free(pl_deals_sample *ds);
PL_API size_t pl_deals_sample_n(const pl_deals_sample *ds);
/* 1: the points are every package of the space; 0: a sample. */
PL_API int pl_deals_sample_all(const pl_deals_sample *ds);
/* Point i: pl_space_n_parties utilities; NULL out of range. */
PL_API const double *pl_deals_sample_utility(const pl_deals_sample *ds, size_t i);

/* ------------------------------------------------------------------------
** Reports
*/
/* The space as GENIUS XML (the ANAC files' layout, which
** pl_space_load_genius reads): the domain (<negotiation_template>, every
** issue discrete with the space's options) and one linear additive profile
** per party.  GENIUS scales a party's utilities so that its best package is
** worth 1: what is written reads back as the party's utilities (and
** reservation value) divided by the sum over the issues of the largest
** utility each gives it -- unchanged for a space read from GENIUS files.
** PL_EINVAL for a non-linear party or a negative utility.  Released with
** pl_free. */
PL_API pl_status pl_space_genius_domain(const pl_space *sp, char **out);
PL_API pl_status pl_space_genius_profile(const pl_space *sp, size_t party, char **out);

/* Text: the solutions and the frontier, each package spelled out option by
** option; JSON: everything; CSV: one row per frontier package. */
PL_API pl_status pl_report_deals(const pl_space *sp, const pl_deals *d, pl_format format,
                                 char **out);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_DEALS_H */
