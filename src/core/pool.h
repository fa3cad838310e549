/*
** pool.h: the library's one thread pool.  Every computation that runs on
** several threads (Monte Carlo runs, the package deals, the expected
** utility model's rounds, the spatial model's turns) starts a pool for its
** run and hands it loops over items; no other file starts threads.
**
** A pool has n workers: the calling thread (worker 0) and n - 1 helper
** threads started once by pool_new, asleep between loops.  A loop splits
** its items into parts (contiguous ranges) that the workers take in order,
** whoever is free: part k always covers the same items, whichever worker
** runs it, and the caller never waits for a helper that has not woken up.
** So a loop's results are independent of the schedule when fn writes only
** results indexed by item (or by part) and the caller reduces them in
** item order afterwards.  fn gets the worker's index (0 .. pool_size - 1)
** for per-worker scratch.
**
** Thread counts mean one thing everywhere (pl_*_options.n_threads,
** parley.h): 0 is one per core, 1 the calling thread alone, at most
** PL_MAX_THREADS; pool_threads turns an option into a count.
*/
#ifndef PL_POOL_H
#define PL_POOL_H

#include "parley.h"

#include <stddef.h>

typedef struct pool pool;

/* One part of a loop: items [begin, end), run by worker `worker`.  A
** nonzero return stops the loop: no part is handed out after it (parts
** already running finish). */
typedef int (*pool_fn)(void *ctx, unsigned worker, size_t begin, size_t end);

/* The online cores, 1 .. PL_MAX_THREADS. */
unsigned pool_cores(void);
/* The threads an n_threads option asks for: 0 -> pool_cores(), else
** n_threads up to PL_MAX_THREADS. */
unsigned pool_threads(unsigned n_threads);

/* A pool of up to n_threads workers (the caller included).  *out is NULL
** when one is enough or no helper thread could be started: pool_for and
** pool_for_chunks then run on the calling thread, and results are the
** same.  PL_ENOMEM (and *out NULL) when out of memory. */
pl_status pool_new(unsigned n_threads, pool **out);
/* Stop and join the helpers.  NULL is fine. */
void pool_free(pool *p);
/* Workers, the caller included (1 for NULL). */
unsigned pool_size(const pool *p);

/* fn over items [0, n_items) in pool_size(p) blocks of nearly equal size
** (n_items / size, the first n_items % size one larger), for loops of
** equal items.  Returns 1 when a part asked to stop. */
int pool_for(pool *p, size_t n_items, pool_fn fn, void *ctx);
/* fn over items [0, n_items) in chunks of `chunk` items (the last one
** shorter) taken in order, for loops of uneven items or long ones that
** must stop soon when asked.  Returns 1 when a part asked to stop. */
int pool_for_chunks(pool *p, size_t n_items, size_t chunk, pool_fn fn, void *ctx);

#endif
