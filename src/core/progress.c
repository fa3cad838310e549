/*
** progress.c: ticking a long computation's progress and cancel callback
** (progress.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "core/progress.h"

#include <time.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void progress_init(progress *p, pl_progress_fn fn, void *ctx, double total) {
    p->fn = fn;
    p->ctx = ctx;
    p->total = total;
    atomic_init(&p->done, 0.0);
    atomic_init(&p->stop, 0);
    atomic_flag_clear(&p->busy);
    atomic_init(&p->due,
                0); /* the first tick calls it: a stop asked before the work starts counts */
}

int progress_poll_due(progress *p) {
    if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return 1;
    long long now = now_ns();
    if (now < atomic_load_explicit(&p->due, memory_order_relaxed)) return 0;
    if (atomic_flag_test_and_set(&p->busy)) return atomic_load(&p->stop); /* another thread calls */
    if (now >= atomic_load(&p->due) && !atomic_load(&p->stop)) {
        if (p->fn(p->ctx, atomic_load(&p->done), p->total)) atomic_store(&p->stop, 1);
        atomic_store(&p->due, now_ns() + PROGRESS_INTERVAL_NS);
    }
    atomic_flag_clear(&p->busy);
    return atomic_load(&p->stop);
}

int progress_nested(void *ctx, double done, double total) {
    (void)done;
    (void)total;
    return progress_poll(ctx);
}
