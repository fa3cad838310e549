/*
** pool.c: the thread pool (pool.h).
**
** Helpers sleep on a condition variable between loops.  A loop is a job:
** its parameters, copied by each helper under the lock, and a counter of
** the parts handed out.  The counter carries the job's generation in its
** high half, so a helper that wakes after its job is over can never take a
** part of a later one; the caller takes parts too and then waits only for
** the helpers that joined the job (`busy`), never for one still asleep.
*/
#define _POSIX_C_SOURCE 200809L
#include "core/pool.h"

#include "core/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

/* Parts in one job: the counter's low half. */
#define MAX_PARTS ((size_t)1 << 31)

typedef struct job {
    pool_fn fn;
    void *ctx;
    size_t base, n_items; /* items base .. base + n_items - 1 */
    size_t n_parts;
    size_t chunk; /* items per part; 0: n_parts near-equal blocks */
    uint64_t tag; /* the generation, in the counter's high half */
} job;

typedef struct helper {
    pool *p;
    unsigned index; /* 1 .. n_helpers */
} helper;

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a job started, or quit */
    pthread_cond_t idle; /* the last helper left the job */
    unsigned n_helpers;
    uint64_t gen;  /* jobs started (under lock) */
    unsigned busy; /* helpers inside the current job (under lock) */
    int waiting;   /* the caller waits for busy == 0 (under lock) */
    int quit;
    job job;               /* the current job (under lock) */
    _Atomic uint64_t next; /* tag | the next part to hand out */
    atomic_int stopped;    /* a part of the current job asked to stop */
    pthread_t *threads;
    helper *helpers;
};

unsigned pool_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) return 1;
    return n > PL_MAX_THREADS ? PL_MAX_THREADS : (unsigned)n;
}

unsigned pool_threads(unsigned n_threads) {
    if (n_threads == 0) return pool_cores();
    return n_threads > PL_MAX_THREADS ? PL_MAX_THREADS : n_threads;
}

static void part_range(const job *j, size_t k, size_t *begin, size_t *end) {
    if (j->chunk) {
        *begin = k * j->chunk;
        *end = j->n_items - *begin > j->chunk ? *begin + j->chunk : j->n_items;
    } else {
        size_t size = j->n_items / j->n_parts, extra = j->n_items % j->n_parts;
        *begin = size * k + (k < extra ? k : extra);
        *end = *begin + size + (k < extra);
    }
    *begin += j->base;
    *end += j->base;
}

/* Take and run parts of job j until none is left.  A part that asks to
** stop moves the counter to the end: nothing more is handed out, and a
** helper that comes late finds nothing to take.  (The counter still
** belongs to job j then: the caller waits for this worker before it can
** start another job.) */
static void take_parts(pool *p, const job *j, unsigned worker) {
    for (;;) {
        uint64_t v = atomic_load_explicit(&p->next, memory_order_relaxed);
        do {
            if ((v & ~(uint64_t)UINT32_MAX) != j->tag || (v & UINT32_MAX) >= j->n_parts) return;
        } while (!atomic_compare_exchange_weak(&p->next, &v, v + 1));
        size_t begin, end;
        part_range(j, (size_t)(v & UINT32_MAX), &begin, &end);
        if (j->fn(j->ctx, worker, begin, end)) {
            atomic_store(&p->stopped, 1);
            atomic_store(&p->next, j->tag | j->n_parts);
            return;
        }
    }
}

static void *helper_main(void *arg) {
    helper *h = arg;
    pool *p = h->p;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->gen == seen && !p->quit) pthread_cond_wait(&p->wake, &p->lock);
        if (p->quit) break;
        seen = p->gen;
        job j = p->job;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        take_parts(p, &j, h->index);
        pthread_mutex_lock(&p->lock);
        if (--p->busy == 0 && p->waiting) pthread_cond_signal(&p->idle);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

pl_status pool_new(unsigned n_threads, pool **out) {
    *out = NULL;
    n_threads = pool_threads(n_threads);
    if (n_threads <= 1) return PL_OK;
    pool *p = pl__calloc(1, sizeof *p);
    if (!p) return PL_ENOMEM;
    p->threads = pl__malloc((n_threads - 1) * sizeof *p->threads);
    p->helpers = pl__malloc((n_threads - 1) * sizeof *p->helpers);
    if (!p->threads || !p->helpers) {
        pl__free(p->threads);
        pl__free(p->helpers);
        pl__free(p);
        return PL_ENOMEM;
    }
    atomic_init(&p->next, 0);
    atomic_init(&p->stopped, 0);
    int locks = pthread_mutex_init(&p->lock, NULL) == 0;
    int wake = locks && pthread_cond_init(&p->wake, NULL) == 0;
    int idle = wake && pthread_cond_init(&p->idle, NULL) == 0;
    if (idle)
        for (unsigned k = 0; k + 1 < n_threads; k++) {
            p->helpers[k].p = p;
            p->helpers[k].index = k + 1;
            if (pthread_create(&p->threads[k], NULL, helper_main, &p->helpers[k]) != 0) break;
            p->n_helpers++;
        }
    if (p->n_helpers == 0) { /* the calling thread alone */
        if (idle) pthread_cond_destroy(&p->idle);
        if (wake) pthread_cond_destroy(&p->wake);
        if (locks) pthread_mutex_destroy(&p->lock);
        pl__free(p->threads);
        pl__free(p->helpers);
        pl__free(p);
        return PL_OK;
    }
    *out = p;
    return PL_OK;
}

void pool_free(pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->quit = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (unsigned k = 0; k < p->n_helpers; k++) pthread_join(p->threads[k], NULL);
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    pl__free(p->threads);
    pl__free(p->helpers);
    pl__free(p);
}

unsigned pool_size(const pool *p) { return p ? p->n_helpers + 1 : 1; }

/* Run job j (n_parts >= 2) on the pool; 1 if a part asked to stop. */
static int run_job(pool *p, job *j) {
    pthread_mutex_lock(&p->lock);
    p->gen++;
    j->tag = (p->gen & UINT32_MAX) << 32;
    p->job = *j;
    atomic_store(&p->stopped, 0);
    atomic_store(&p->next, j->tag);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    take_parts(p, j, 0);
    pthread_mutex_lock(&p->lock);
    p->waiting = 1;
    while (p->busy > 0) pthread_cond_wait(&p->idle, &p->lock);
    p->waiting = 0;
    pthread_mutex_unlock(&p->lock);
    return atomic_load(&p->stopped);
}

int pool_for(pool *p, size_t n_items, pool_fn fn, void *ctx) {
    size_t n_parts = pool_size(p) < n_items ? pool_size(p) : n_items;
    if (n_parts <= 1) return n_items ? fn(ctx, 0, 0, n_items) != 0 : 0;
    job j = {fn, ctx, 0, n_items, n_parts, 0, 0};
    return run_job(p, &j);
}

int pool_for_chunks(pool *p, size_t n_items, size_t chunk, pool_fn fn, void *ctx) {
    if (chunk == 0) chunk = 1;
    for (size_t base = 0; base < n_items;) {
        size_t n = n_items - base, n_parts = n / chunk + (n % chunk != 0);
        if (n_parts > MAX_PARTS) {
            n_parts = MAX_PARTS;
            n = MAX_PARTS * chunk;
        }
        if (!p || n_parts == 1) {
            for (size_t k = 0; k < n; k += chunk)
                if (fn(ctx, 0, base + k, base + (n - k > chunk ? k + chunk : n))) return 1;
        } else {
            job j = {fn, ctx, base, n, n_parts, chunk, 0};
            if (run_job(p, &j)) return 1;
        }
        base += n;
    }
    return 0;
}
