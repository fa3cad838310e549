/*
** parley/part.h: partial results of a sweep -- a range of the runs of a
** Monte Carlo forecast, of the negotiations of a tournament or of the
** inputs of a sensitivity analysis, made in one process and saved as JSON,
** and the ranges of one sweep joined into the result one process would
** have made (docs/distributed.md: `--run-range`, `parley merge`, MPI).
** Part of the public API: parley.h includes it, and including it alone
** brings parley.h in first.
*/
#ifndef PARLEY_PART_H
#include <parley.h>
#endif
#ifndef PARLEY_PART_H
#define PARLEY_PART_H

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the partial-result format pl_part_write_* write. */
#define PL_PART_VERSION 1

/* What a partial result says of its sweep.  The library keeps the
** command, its arguments and the input's digest as opaque strings: parts
** belong to one sweep when they are equal (the caller decides what goes
** in them; parley's tool: the command line less the range and output
** options, and a digest of the scenario). */
typedef struct pl_part_info {
    const char *command; /* "forecast", ... */
    size_t n_args;       /* positional arguments */
    const char *const *args;
    size_t n_options; /* options as name, value pairs */
    const char *const *option_names;
    const char *const *option_values;
    const char *digest;              /* the input's identity */
    unsigned long long first, count; /* the runs first .. first + count - 1 */
    unsigned long long total;        /* of the sweep's runs 0 .. total - 1 */
} pl_part_info;

typedef struct pl_part pl_part;

/* A Monte Carlo result (the runs info->first .. first + count - 1, not
** interrupted) with its sweep's description, as JSON text in *out (freed
** with pl_free): every value kept, or the summaries, reals to 17 digits
** so that they read back exactly.  PL_EINVAL when mc is not that range. */
PL_API pl_status pl_part_write_mc(const pl_part_info *info, const pl_mc *mc, char **out);
/* Read a partial result; problems go to diags at FILE:LINE:COL: PL_EIO,
** PL_ERANGE (over the input cap), PL_EPARSE (not UTF-8 or JSON), PL_EINPUT
** (not a partial result of this version), PL_ENOMEM. */
PL_API pl_status pl_part_load_buffer(const char *text, size_t len, const char *name,
                                     pl_diags *diags, pl_part **out);
PL_API pl_status pl_part_load_file(const char *path, pl_diags *diags, pl_part **out);
PL_API void pl_part_free(pl_part *part);
/* Its description (strings owned by part). */
PL_API const pl_part_info *pl_part_info_of(const pl_part *part);
/* Join the n parts of one sweep, in any order, into the Monte Carlo result
** of all its runs: exactly what one run over them gives (pl_mc_merge).
** They must describe the same sweep (command, arguments, digest, total)
** and their ranges tile 0 .. total - 1 with no gap or overlap; else
** PL_EINPUT with a diagnostic naming the part at fault. */
PL_API pl_status pl_part_join_mc(const pl_part *const *parts, size_t n, pl_diags *diags,
                                 pl_mc **out);

/* Tournaments and sensitivity analyses split the same way: their units
** are the negotiations (pl_tournament_options.first, count) and the inputs
** swung (pl_sensitivity_options.first, count), and a part keeps each
** unit's raw results.  Write a range's result (t or sens made with a
** range equal to info's; PL_EINVAL otherwise) as JSON text in *out. */
PL_API pl_status pl_part_write_tournament(const pl_part_info *info, const pl_tournament *t,
                                          char **out);
PL_API pl_status pl_part_write_sensitivity(const pl_part_info *info, const pl_sensitivity *sens,
                                           char **out);
/* Join the n parts of one tournament, in any order, into the tournament
** pl_tournament_run(domains, ..., opts) gives (opts' range ignored): the
** same per-agent figures, bit for bit.  The parts must tile the
** negotiations (as pl_part_join_mc) and come from a tournament of the same
** domains' parties and assignments and repeats; else PL_EINPUT with a
** diagnostic naming the part at fault. */
PL_API pl_status pl_part_join_tournament(const pl_part *const *parts, size_t n,
                                         const pl_space *const *domains, size_t n_domains,
                                         const char *const *agents, size_t n_agents,
                                         const pl_tournament_options *opts, pl_diags *diags,
                                         pl_tournament **out);
/* Join the n parts of one sensitivity analysis of s with model, in any
** order, into what pl_sensitivity_run gives; PL_EINPUT as above, also for
** parts of another model or of swings outside s. */
PL_API pl_status pl_part_join_sensitivity(const pl_part *const *parts, size_t n,
                                          const pl_scenario *s, pl_model model, pl_diags *diags,
                                          pl_sensitivity **out);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_PART_H */
