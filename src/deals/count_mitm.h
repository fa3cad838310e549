/*
** count_mitm.h: the number of rational packages of an additive space
** without enumerating it (meet in the middle; count_mitm.c), for the merge
** engine of deals.c.
*/
#ifndef PL_DEALS_COUNT_MITM_H
#define PL_DEALS_COUNT_MITM_H

#include "core/pool.h"
#include "core/progress.h"
#include "deals/space_int.h"

/* Memory the precomputed halves may take (bytes); a space whose every
** split needs more is refused (PL_ERANGE). */
#define DEALS_MITM_MEMORY ((size_t)768 << 20)

/* 1 when deals_count_mitm handles this many parties (2 or 3). */
int deals_mitm_parties_ok(size_t n_parties);

/* The number of packages whose utility, summed issue by issue from the
** first (as every engine sums), is at or above rv[p] for every party p.
** Linear parties only.  The pool (may be NULL: the calling thread) runs the
** parts; prog (may be NULL) ticks in packages and can stop it
** (PL_EINTERRUPTED).  PL_ERANGE when no split fits DEALS_MITM_MEMORY,
** PL_ENOMEM, PL_EINVAL for an unsupported number of parties. */
pl_status deals_count_mitm(const pl_space *sp, const double *rv, pool *pl, progress *prog,
                           uint64_t *count);

#endif
