/*
** parley/part.h: partial results of a sweep -- a range of the runs of a
** Monte Carlo forecast made in one process, saved as JSON, and the ranges
** of one sweep joined into the result one process would have made
** (docs/distributed.md: `--run-range`, `parley merge`, MPI).  Part of the
** public API: parley.h includes it, and including it alone brings parley.h
** in first.
*/
#ifndef PARLEY_PART_H
#include <parley.h>
#endif
#ifndef PARLEY_PART_H
#define PARLEY_PART_H

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the partial-result format pl_part_write_mc writes. */
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

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_PART_H */
