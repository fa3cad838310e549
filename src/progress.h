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
    atomic_flag busy; /* a thread is in the callback */
    _Atomic long long due; /* when (monotonic ns) the callback is next due */
} progress;

void progress_init(progress *p, pl_progress_fn fn, void *ctx, double total);
/* Record `done` and call the callback when it is due.  Any thread.
** Returns 1 when the computation must stop. */
int progress_tick(progress *p, double done);
/* The same, keeping the count last ticked. */
int progress_poll(progress *p);
/* 1 once the callback has asked to stop. */
int progress_stopped(progress *p);
/* A pl_progress_fn for an inner computation's options: ctx is the outer
** progress; polls it (the inner units are ignored). */
int progress_nested(void *ctx, double done, double total);

#endif
