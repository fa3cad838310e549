/*
** progress.h: the progress-and-cancel convention inside the library
** (pl_progress_fn in include/parley.h).  A long computation ticks often,
** from any of its threads; the caller's callback runs about every
** PROGRESS_INTERVAL_NS, one thread at a time, and once it has returned
** nonzero every tick says "stop".  Without a callback a tick costs one
** test.
**
** Nested computations (a model run inside a sensitivity analysis) hand
** progress_nested and the outer tracker to the inner one's options, so the
** caller's callback sees the outer computation's units and one stop ends
** both.
*/
#ifndef PL_PROGRESS_H
#define PL_PROGRESS_H

#include "parley.h"

#include <stdatomic.h>

#define PROGRESS_INTERVAL_NS 20000000LL /* 20 ms */

typedef struct progress {
    pl_progress_fn fn; /* NULL: nothing to report, never stops */
    void *ctx;
    double total;
    _Atomic double done; /* the latest count ticked */
    atomic_int stop;
    atomic_flag busy;      /* a thread is in the callback */
    _Atomic long long due; /* when (monotonic ns) the callback is next due */
} progress;

void progress_init(progress *p, pl_progress_fn fn, void *ctx, double total);
int progress_poll_due(progress *p);

/* Call the callback when it is due (keeping the count last ticked).  Any
** thread.  Returns 1 when the computation must stop.  p may be NULL. */
static inline int progress_poll(progress *p) { return p && p->fn ? progress_poll_due(p) : 0; }
/* The same, recording `done` first. */
static inline int progress_tick(progress *p, double done) {
    if (!p || !p->fn) return 0;
    atomic_store_explicit(&p->done, done, memory_order_relaxed);
    return progress_poll_due(p);
}
/* 1 once the callback has asked to stop. */
static inline int progress_stopped(progress *p) {
    return p && p->fn && atomic_load_explicit(&p->stop, memory_order_relaxed);
}
/* A pl_progress_fn for an inner computation's options: ctx is the outer
** progress; polls it (the inner units are ignored). */
int progress_nested(void *ctx, double done, double total);

#endif
