/*
** deals.c: package deals -- the figures of an agreement space (pl_space,
** built by space.c): frontier, counts, solutions (docs/models/deals.md).
**
** Sections: skylines (Pareto sets of point lists); the additive fast path
** (frontier by folding issues, counts by a pruned depth-first enumeration);
** the exhaustive path (every package evaluated, for non-linear utilities);
** solutions.  The space is deals/space.c; the report report/report_deals.c.
**
** How it scales.  With additive utilities (every party's utility a sum over
** issues) the Pareto frontier of the whole space lies within the frontier of
** (frontier of the first k issues) + (frontier of issue k+1's options), so
** the frontier is built issue by issue and its cost depends on the sizes of
** these partial frontiers, not on the number of packages.  The number of
** rational packages is counted by enumerating packages depth first as a
** stream, skipping every sub-tree that bounds on the remaining issues show
** to be wholly rational or wholly not; only packages near a reservation are
** evaluated one by one.  Memory: the partial frontiers and the recursion.
** Both parts split their work over threads in fixed pieces, and every
** choice between equal candidates is made by enumeration order, so results
** never depend on the number of threads.
*/
#define _POSIX_C_SOURCE 200809L
#include "deals/deals_int.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/pool.h"
#include "core/progress.h"
#include "deals/count_mitm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EPS 1e-12 /* utilities this close count as equal */

/* ------------------------------------------------------------------------
** Point sets and skylines.  A point: n_parties utilities and the package
** (n_issues option indices).  "Equal" means within EPS in every coordinate;
** of equal points the one first in enumeration order (lexicographically
** smallest package) is kept.
*/
typedef struct pset {
    size_t n, cap;
    size_t np, ni; /* parties, issues */
    double *u;     /* n * np */
    uint32_t *c;   /* n * ni */
} pset;

static void pset_init(pset *s, size_t np, size_t ni) {
    memset(s, 0, sizeof *s);
    s->np = np;
    s->ni = ni;
}

static void pset_free(pset *s) {
    pl__free(s->u);
    pl__free(s->c);
    s->u = NULL;
    s->c = NULL;
    s->n = s->cap = 0;
}

static int pset_reserve(pset *s, size_t n) {
    if (n <= s->cap) return 1;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < n) cap *= 2;
    double *u = pl__realloc(s->u, cap * s->np * sizeof *u + 1);
    if (!u) return 0;
    s->u = u;
    uint32_t *c = pl__realloc(s->c, cap * s->ni * sizeof *c + 1);
    if (!c) return 0;
    s->c = c;
    s->cap = cap;
    return 1;
}

static int pset_push(pset *s, const double *u, const uint32_t *c) {
    if (!pset_reserve(s, s->n + 1)) return 0;
    memcpy(s->u + s->n * s->np, u, s->np * sizeof *u);
    memcpy(s->c + s->n * s->ni, c, s->ni * sizeof *c);
    s->n++;
    return 1;
}

static int pset_append(pset *s, const pset *t) {
    if (!pset_reserve(s, s->n + t->n)) return 0;
    memcpy(s->u + s->n * s->np, t->u, t->n * s->np * sizeof *s->u);
    memcpy(s->c + s->n * s->ni, t->c, t->n * s->ni * sizeof *s->c);
    s->n += t->n;
    return 1;
}

static int lex_cmp(const uint32_t *a, const uint32_t *b, size_t ni) {
    for (size_t i = 0; i < ni; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* 1: q dominates p; 2: equal; 0: neither. */
static int dominates(const double *q, const double *p, size_t np) {
    int better = 0;
    for (size_t k = 0; k < np; k++) {
        if (q[k] < p[k] - EPS) return 0;
        if (q[k] > p[k] + EPS) better = 1;
    }
    return better ? 1 : 2;
}

/* Merge sort of an index array with a comparator and context. */
typedef int (*cmp_fn)(const void *ctx, size_t a, size_t b);

static void merge_sort(size_t *idx, size_t *tmp, size_t n, cmp_fn cmp, const void *ctx) {
    if (n < 16) {
        for (size_t i = 1; i < n; i++) {
            size_t v = idx[i], j = i;
            while (j > 0 && cmp(ctx, idx[j - 1], v) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        return;
    }
    size_t h = n / 2;
    merge_sort(idx, tmp, h, cmp, ctx);
    merge_sort(idx + h, tmp, n - h, cmp, ctx);
    if (cmp(ctx, idx[h - 1], idx[h]) <= 0) return;
    memcpy(tmp, idx, h * sizeof *idx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) idx[k++] = cmp(ctx, tmp[i], idx[j]) <= 0 ? tmp[i++] : idx[j++];
    while (i < h) idx[k++] = tmp[i++];
}

typedef struct sort_ctx {
    const pset *s;
    const double *key; /* per point (n >= 3: the sum) */
} sort_ctx;

/* Two parties: first utility descending, second descending, package. */
static int cmp_2d(const void *vctx, size_t a, size_t b) {
    const sort_ctx *ctx = vctx;
    const double *ua = ctx->s->u + a * 2, *ub = ctx->s->u + b * 2;
    if (ua[0] != ub[0]) return ua[0] > ub[0] ? -1 : 1;
    if (ua[1] != ub[1]) return ua[1] > ub[1] ? -1 : 1;
    return lex_cmp(ctx->s->c + a * ctx->s->ni, ctx->s->c + b * ctx->s->ni, ctx->s->ni);
}

/* More parties: sum descending, then package. */
static int cmp_sum(const void *vctx, size_t a, size_t b) {
    const sort_ctx *ctx = vctx;
    if (ctx->key[a] != ctx->key[b]) return ctx->key[a] > ctx->key[b] ? -1 : 1;
    return lex_cmp(ctx->s->c + a * ctx->s->ni, ctx->s->c + b * ctx->s->ni, ctx->s->ni);
}

/* Keep the listed points (kept[0..n_kept-1], indices into s) in s, in that
** order. */
static int pset_select(pset *s, const size_t *kept, size_t n_kept) {
    pset t;
    pset_init(&t, s->np, s->ni);
    if (!pset_reserve(&t, n_kept)) {
        pset_free(&t);
        return 0;
    }
    for (size_t k = 0; k < n_kept; k++) {
        memcpy(t.u + k * s->np, s->u + kept[k] * s->np, s->np * sizeof *s->u);
        memcpy(t.c + k * s->ni, s->c + kept[k] * s->ni, s->ni * sizeof *s->c);
    }
    t.n = n_kept;
    pset_free(s);
    *s = t;
    return 1;
}

/* Two parties, O(n log n): sort, then one sweep keeping each point that
** beats the best second utility so far; a last pass settles points whose
** first utilities are equal within EPS. */
static int skyline_2d(pset *s, size_t *idx, size_t *tmp) {
    sort_ctx ctx = {s, NULL};
    for (size_t k = 0; k < s->n; k++) idx[k] = k;
    merge_sort(idx, tmp, s->n, cmp_2d, &ctx);
    size_t n_kept = 0;
    for (size_t k = 0; k < s->n; k++) {
        const double *p = s->u + idx[k] * 2;
        if (n_kept) {
            size_t last = tmp[n_kept - 1];
            const double *q = s->u + last * 2;
            if (p[1] <= q[1] + EPS) {
                /* dominated or equal: of equals keep the first package */
                if (dominates(q, p, 2) == 2 &&
                    lex_cmp(s->c + idx[k] * s->ni, s->c + last * s->ni, s->ni) < 0)
                    tmp[n_kept - 1] = idx[k];
                continue;
            }
        }
        tmp[n_kept++] = idx[k];
    }
    /* kept points rise in the second utility; one that a later point within
    ** EPS in the first utility beats is dominated after all */
    size_t n_final = 0;
    for (size_t k = 0; k < n_kept; k++) {
        const double *p = s->u + tmp[k] * 2;
        int dominated = 0;
        for (size_t j = k + 1; j < n_kept && !dominated; j++) {
            const double *q = s->u + tmp[j] * 2;
            if (q[0] < p[0] - EPS) break;
            dominated = dominates(q, p, 2) == 1;
        }
        if (!dominated) idx[n_final++] = tmp[k];
    }
    return pset_select(s, idx, n_final);
}

/* Any number of parties: sort-filter-skyline (Chomicki et al. 2003).  In
** order of decreasing sum no point can dominate an earlier one (except
** within EPS, handled by removing the window points a new point
** dominates), so each point is compared only with the skyline so far. */
static int skyline_sfs(pset *s, size_t *idx, size_t *tmp, progress *prog) {
    size_t np = s->np;
    double *key = pl__malloc(s->n * sizeof *key + 1);
    double *win = pl__malloc(s->n * np * sizeof *win + 1);
    if (!key || !win) {
        pl__free(key);
        pl__free(win);
        return 0;
    }
    for (size_t k = 0; k < s->n; k++) {
        double sum = 0;
        for (size_t j = 0; j < np; j++) sum += s->u[k * np + j];
        key[k] = sum;
        idx[k] = k;
    }
    sort_ctx ctx = {s, key};
    merge_sort(idx, tmp, s->n, cmp_sum, &ctx);
    /* the last dominators found, most recent first: most candidates fall
    ** to one of them */
    enum { N_HINTS = 8 };
    size_t n_win = 0, hints[N_HINTS], n_hints = 0;
    for (size_t k = 0; k < s->n; k++) {
        /* a stop leaves the window incomplete; the caller drops it */
        if ((k & 1023u) == 1023u && progress_poll(prog)) break;
        const double *p = s->u + idx[k] * np;
        int rel = 0;
        size_t at = 0, h;
        for (h = 0; !rel && h < n_hints; h++)
            if ((rel = dominates(win + hints[h] * np, p, np)) != 0) at = hints[h];
        for (size_t j = 0; !rel && j < n_win; j++)
            if ((rel = dominates(win + j * np, p, np)) != 0) at = j;
        if (rel) {
            size_t pos = 0;
            while (pos < n_hints && hints[pos] != at) pos++;
            if (pos == n_hints) pos = n_hints < N_HINTS ? n_hints++ : N_HINTS - 1;
            memmove(hints + 1, hints, pos * sizeof *hints);
            hints[0] = at;
            if (rel == 2 && lex_cmp(s->c + idx[k] * s->ni, s->c + tmp[at] * s->ni, s->ni) < 0)
                tmp[at] = idx[k];
            continue;
        }
        /* points near p in sum that p dominates (EPS effects) */
        size_t w = n_win;
        while (w > 0 && key[tmp[w - 1]] <= key[idx[k]] + (double)np * EPS) w--;
        size_t out = w;
        for (size_t j = w; j < n_win; j++) {
            if (dominates(p, win + j * np, np) == 1) continue;
            tmp[out] = tmp[j];
            memmove(win + out * np, win + j * np, np * sizeof *win);
            out++;
        }
        if (out != n_win) n_hints = 0; /* indices moved */
        n_win = out;
        tmp[n_win] = idx[k];
        memcpy(win + n_win * np, p, np * sizeof *win);
        n_win++;
    }
    pl__free(key);
    pl__free(win);
    memcpy(idx, tmp, n_win * sizeof *idx);
    return pset_select(s, idx, n_win);
}

/* Reduce s to its Pareto set.  Returns 0 on allocation failure.  A stop
** asked through prog (may be NULL) leaves s a subset; callers check. */
static int skyline(pset *s, progress *prog) {
    if (s->n <= 1) return 1;
    size_t *idx = pl__malloc(s->n * sizeof *idx), *tmp = pl__malloc(s->n * sizeof *tmp);
    int ok = idx && tmp;
    if (ok) ok = s->np == 2 ? skyline_2d(s, idx, tmp) : skyline_sfs(s, idx, tmp, prog);
    pl__free(idx);
    pl__free(tmp);
    return ok;
}

/* Merge a Pareto set t into the Pareto set s (both skylines): t's points
** that s dominates go, s's points that a point of t dominates go. */
static int pset_merge(pset *s, const pset *t, progress *prog) {
    size_t np = s->np, ni = s->ni;
    char *gone = pl__calloc(s->n + t->n + 1, 1);
    if (!gone || !pset_reserve(s, s->n + t->n)) {
        pl__free(gone);
        return 0;
    }
    size_t n_old = s->n;
    for (size_t k = 0; k < t->n; k++) {
        if ((k & 255u) == 255u && progress_poll(prog)) break; /* the caller drops s */
        const double *p = t->u + k * np;
        const uint32_t *pc = t->c + k * ni;
        int keep = 1;
        for (size_t j = 0; j < n_old && keep; j++) {
            if (gone[j]) continue;
            int rel = dominates(s->u + j * np, p, np);
            if (rel == 1) {
                keep = 0;
            } else if (rel == 2) {
                keep = 0;
                if (lex_cmp(pc, s->c + j * ni, ni) < 0) {
                    memcpy(s->u + j * np, p, np * sizeof *p);
                    memcpy(s->c + j * ni, pc, ni * sizeof *pc);
                }
            }
        }
        if (!keep) continue;
        for (size_t j = 0; j < n_old; j++)
            if (!gone[j] && dominates(p, s->u + j * np, np) == 1) gone[j] = 1;
        memcpy(s->u + s->n * np, p, np * sizeof *p);
        memcpy(s->c + s->n * ni, pc, ni * sizeof *pc);
        s->n++;
    }
    size_t out = 0;
    for (size_t j = 0; j < s->n; j++) {
        if (gone[j]) continue;
        if (out != j) {
            memmove(s->u + out * np, s->u + j * np, np * sizeof *s->u);
            memmove(s->c + out * ni, s->c + j * ni, ni * sizeof *s->c);
        }
        out++;
    }
    s->n = out;
    pl__free(gone);
    return 1;
}

/* ------------------------------------------------------------------------
** The run
*/
typedef struct run {
    const pl_space *sp;
    size_t np, ni;
    size_t n_threads; /* asked for: the work is split by this count */
    pool *pool;       /* started on first use (run_tasks) */
    int pool_tried;
    double *rv;              /* reservations */
    double *sufmin, *sufmax; /* (ni + 1) * np: bounds of issues k.. */
    double margin;
    /* counting */
    size_t split;      /* issues fixed per task */
    uint64_t per_task; /* packages per task (for progress) */
    uint64_t *task_count;
    /* exhaustive */
    uint64_t n_outcomes;
    pset *archives; /* per task */
    uint64_t *task_rational;
    double *task_min, *task_max;
    size_t n_tasks;
    int *task_failed;
    progress *prog;              /* in packages; tasks stop early once it says so */
    atomic_uint_fast64_t n_seen; /* packages counted or enumerated so far */
} run;

/* Threads: fn(arg, k) for k in [0, n_tasks), tasks handed out in order to
** the run's pool (core/pool.h), or run on the calling thread when
** `parallel` is 0.  Which worker runs a task never matters: each task
** writes only its own results.  The pool is started by the first parallel
** call; if it cannot be (out of memory), the calling thread does the work,
** with the same results. */
typedef struct tasks {
    void (*fn)(void *arg, size_t task);
    void *arg;
} tasks;

static int tasks_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    tasks *t = ctx;
    (void)worker;
    for (size_t k = begin; k < end; k++) t->fn(t->arg, k);
    return 0; /* tasks see a stop themselves */
}

static void run_tasks(run *r, int parallel, size_t n_tasks, void (*fn)(void *arg, size_t task),
                      void *arg) {
    tasks t = {fn, arg};
    if (parallel && r->n_threads > 1 && !r->pool_tried) {
        r->pool_tried = 1;
        if (pool_new((unsigned)r->n_threads, &r->pool) != PL_OK) r->pool = NULL;
    }
    pool_for_chunks(parallel ? r->pool : NULL, n_tasks, 1, tasks_part, &t);
}

/* Depth-first count of rational packages below a prefix (issues < k fixed,
** partial sums P). */
static uint64_t count_rational(run *r, size_t k, const double *P, unsigned *ticks) {
    const pl_space *sp = r->sp;
    size_t np = r->np, ni = r->ni;
    int all_in = 1;
    for (size_t p = 0; p < np; p++) {
        if (P[p] + r->sufmax[k * np + p] < r->rv[p] - r->margin) return 0;
        if (P[p] + r->sufmin[k * np + p] < r->rv[p] + r->margin) all_in = 0;
    }
    if (all_in) {
        uint64_t n = 1;
        for (size_t i = k; i < ni; i++) n *= sp->issues[i].n_options;
        return n;
    }
    const deals_issue *is = &sp->issues[k];
    const double *t = sp->tab + is->offset * np;
    uint64_t n = 0;
    if (k + 1 == ni) {
        if ((++*ticks & 1023u) == 0 && progress_poll(r->prog))
            return 0; /* the caller sees the stop */
        for (size_t o = 0; o < is->n_options; o++) {
            size_t p = 0;
            while (p < np && P[p] + t[o * np + p] >= r->rv[p]) p++;
            n += p == np;
        }
        return n;
    }
    double Q[64];
    double *q = np <= 64 ? Q : NULL;
    double *heap = NULL;
    if (!q) {
        heap = pl__malloc(np * sizeof *heap);
        if (!heap) return UINT64_MAX; /* reported as out of memory */
        q = heap;
    }
    for (size_t o = 0; o < is->n_options; o++) {
        for (size_t p = 0; p < np; p++) q[p] = P[p] + t[o * np + p];
        if (progress_stopped(r->prog)) break;
        uint64_t m = count_rational(r, k + 1, q, ticks);
        if (m == UINT64_MAX) {
            n = UINT64_MAX;
            break;
        }
        n += m;
    }
    pl__free(heap);
    return n;
}

/* Task k: the prefix whose first r->split issues spell k (mixed radix). */
static void decode(const pl_space *sp, uint64_t k, size_t n_digits, size_t *choice) {
    for (size_t i = n_digits; i-- > 0;) {
        choice[i] = (size_t)(k % sp->issues[i].n_options);
        k /= sp->issues[i].n_options;
    }
}

static void count_task(void *arg, size_t task) {
    run *r = arg;
    size_t choice[64];
    double P[64];
    double *Pp = r->np <= 64 ? P : pl__malloc(r->np * sizeof *Pp);
    if (!Pp) {
        r->task_count[task] = UINT64_MAX;
        return;
    }
    decode(r->sp, task, r->split, choice);
    for (size_t p = 0; p < r->np; p++) {
        double u = 0;
        for (size_t i = 0; i < r->split; i++)
            u += r->sp->tab[(r->sp->issues[i].offset + choice[i]) * r->np + p];
        Pp[p] = u;
    }
    unsigned ticks = 0;
    r->task_count[task] = progress_stopped(r->prog) ? 0 : count_rational(r, r->split, Pp, &ticks);
    uint64_t seen = atomic_fetch_add(&r->n_seen, r->per_task) + r->per_task;
    progress_tick(r->prog, (double)seen);
    if (Pp != P) pl__free(Pp);
}

/* Large candidate lists: the Pareto sets of equal slices in parallel, then
** the Pareto set of their union (the same set as computed at once: a
** dominated point is dominated within the union too, and representatives
** of equal points are chosen by enumeration order). */
typedef struct slices {
    pset *parts;
    int *ok;
    progress *prog;
} slices;

static void slice_task(void *arg, size_t task) {
    slices *sl = arg;
    sl->ok[task] = skyline(&sl->parts[task], sl->prog);
}

static int skyline_parallel(run *r, pset *s) {
    progress *prog = r->prog;
    if (r->n_threads <= 1 || s->n < 20000) return skyline(s, prog);
    size_t n_parts = 2 * r->n_threads;
    slices sl;
    sl.parts = pl__calloc(n_parts, sizeof *sl.parts);
    sl.ok = pl__calloc(n_parts, sizeof *sl.ok);
    sl.prog = prog;
    int ok = sl.parts && sl.ok;
    for (size_t k = 0; ok && k < n_parts; k++) {
        size_t lo = s->n * k / n_parts, hi = s->n * (k + 1) / n_parts;
        pset *t = &sl.parts[k];
        pset_init(t, s->np, s->ni);
        ok = pset_reserve(t, hi - lo);
        if (ok) {
            memcpy(t->u, s->u + lo * s->np, (hi - lo) * s->np * sizeof *t->u);
            memcpy(t->c, s->c + lo * s->ni, (hi - lo) * s->ni * sizeof *t->c);
            t->n = hi - lo;
        }
    }
    if (ok) run_tasks(r, 1, n_parts, slice_task, &sl);
    s->n = 0;
    for (size_t k = 0; ok && k < n_parts; k++) ok = sl.ok[k] && pset_append(s, &sl.parts[k]);
    for (size_t k = 0; sl.parts && k < n_parts; k++) pset_free(&sl.parts[k]);
    pl__free(sl.parts);
    pl__free(sl.ok);
    return ok && skyline(s, prog);
}

/* The frontier of an additive space, issue by issue. */
static int fold_frontier(run *r, pset *F) {
    const pl_space *sp = r->sp;
    size_t np = r->np, ni = r->ni;
    pset_init(F, np, ni);
    double *zero = pl__calloc(np + 1, sizeof *zero);
    uint32_t *cz = pl__calloc(ni + 1, sizeof *cz);
    int ok = zero && cz && pset_push(F, zero, cz);
    pl__free(zero);
    pl__free(cz);
    for (size_t k = 0; ok && k < ni; k++) {
        const deals_issue *is = &sp->issues[k];
        /* the issue's own undominated options */
        pset opt;
        pset_init(&opt, np, 1);
        for (size_t o = 0; ok && o < is->n_options; o++) {
            uint32_t c = (uint32_t)o;
            ok = pset_push(&opt, sp->tab + (is->offset + o) * np, &c);
        }
        if (ok) ok = skyline(&opt, r->prog);
        pset cand;
        pset_init(&cand, np, ni);
        if (ok) ok = pset_reserve(&cand, F->n * opt.n);
        for (size_t f = 0; ok && f < F->n; f++) {
            if ((f & 1023u) == 0 && progress_poll(r->prog)) break;
            for (size_t o = 0; o < opt.n; o++) {
                double *u = cand.u + cand.n * np;
                uint32_t *c = cand.c + cand.n * ni;
                for (size_t p = 0; p < np; p++) u[p] = F->u[f * np + p] + opt.u[o * np + p];
                memcpy(c, F->c + f * ni, ni * sizeof *c);
                c[k] = opt.c[o];
                cand.n++;
            }
        }
        pset_free(&opt);
        if (progress_stopped(r->prog)) {
            pset_free(&cand);
            break; /* pl_deals_run sees the stop */
        }
        if (ok) ok = skyline_parallel(r, &cand);
        pset_free(F);
        *F = cand;
    }
    return ok;
}

/* The exhaustive path: task k covers packages [k * n / T, (k+1) * n / T). */
/* The package's utilities u (linear parties from the prefix sums' last row
** S_last), the task's extremes widened; 1 if every party is at or above its
** reservation value. */
static inline int package_utilities(const run *r, const double *S_last, const size_t *choice,
                                    double *u, double *mn, double *mx) {
    int rational = 1;
    for (size_t p = 0; p < r->np; p++) {
        const deals_party *pa = &r->sp->parties[p];
        u[p] = pa->nonlinear ? pa->scale * deals_rect_sum(pa, choice) : S_last[p];
        if (u[p] < mn[p]) mn[p] = u[p];
        if (u[p] > mx[p]) mx[p] = u[p];
        if (u[p] < r->rv[p]) rational = 0;
    }
    return rational;
}

/* 1 if a point of the archive dominates u.  Most packages fall to a frontier
** point found so far (earlier in enumeration order, so it also stands for
** equal ones): the last one that did (*hint) is tried first. */
static inline int archive_dominates(const pset *arch, const double *u, size_t np, size_t *hint) {
    if (*hint < arch->n && dominates(arch->u + *hint * np, u, np) != 0) return 1;
    for (size_t j = 0; j < arch->n; j++)
        if (dominates(arch->u + j * np, u, np) != 0) {
            *hint = j;
            return 1;
        }
    return 0;
}

static void exhaustive_task(void *arg, size_t task) {
    run *r = arg;
    const pl_space *sp = r->sp;
    size_t np = r->np, ni = r->ni;
    uint64_t lo = r->n_outcomes / r->n_tasks * task +
                  (task < r->n_outcomes % r->n_tasks ? task : r->n_outcomes % r->n_tasks);
    uint64_t len = r->n_outcomes / r->n_tasks + (task < r->n_outcomes % r->n_tasks);
    pset *arch = &r->archives[task];
    pset batch;
    pset_init(arch, np, ni);
    pset_init(&batch, np, ni);
    size_t *choice = pl__calloc(ni + 1, sizeof *choice);
    uint32_t *c32 = pl__calloc(ni + 1, sizeof *c32);
    double *S = pl__calloc((ni + 1) * np + 1, sizeof *S); /* prefix sums */
    double *u = pl__calloc(np + 1, sizeof *u);
    double *mn = r->task_min + task * np, *mx = r->task_max + task * np;
    int ok = choice && c32 && S && u && pset_reserve(&batch, 4096);
    uint64_t n_rational = 0;
    for (size_t p = 0; p < np; p++) {
        mn[p] = INFINITY;
        mx[p] = -INFINITY;
    }
    if (ok) {
        uint64_t k = lo;
        for (size_t i = ni; i-- > 0;) {
            choice[i] = (size_t)(k % sp->issues[i].n_options);
            k /= sp->issues[i].n_options;
        }
    }
    size_t dirty = 0; /* prefix sums valid for issues < dirty */
    size_t hint = 0;
    for (uint64_t n = 0; ok && n < len; n++) {
        if ((n & 4095u) == 4095u) {
            uint64_t seen = atomic_fetch_add(&r->n_seen, 4096u) + 4096u;
            if (progress_tick(r->prog, (double)seen)) break; /* pl_deals_run sees the stop */
        }
        for (size_t i = dirty; i < ni; i++) {
            const double *t = sp->tab + (sp->issues[i].offset + choice[i]) * np;
            for (size_t p = 0; p < np; p++) S[(i + 1) * np + p] = S[i * np + p] + t[p];
        }
        n_rational += (uint64_t)package_utilities(r, S + ni * np, choice, u, mn, mx);
        if (archive_dominates(arch, u, np, &hint)) goto next;
        for (size_t i = 0; i < ni; i++) c32[i] = (uint32_t)choice[i];
        ok = pset_push(&batch, u, c32);
        if (ok && batch.n == 4096) {
            ok = skyline(&batch, r->prog) && pset_merge(arch, &batch, r->prog);
            batch.n = 0;
        }
    next:;
        /* next package */
        size_t i = ni;
        while (i > 0) {
            i--;
            if (++choice[i] < sp->issues[i].n_options) break;
            choice[i] = 0;
        }
        dirty = i;
    }
    if (ok && batch.n) ok = skyline(&batch, r->prog) && pset_merge(arch, &batch, r->prog);
    pset_free(&batch);
    pl__free(choice);
    pl__free(c32);
    pl__free(S);
    pl__free(u);
    r->task_rational[task] = n_rational;
    r->task_failed[task] = !ok;
}

const char *pl_solution_name(pl_solution sol) {
    switch (sol) {
        case PL_SOL_NASH: return "nash";
        case PL_SOL_KALAI_SMORODINSKY: return "kalai_smorodinsky";
        case PL_SOL_EGALITARIAN: return "egalitarian";
        case PL_SOL_MAX_WELFARE: return "max_welfare";
        case PL_SOL_COUNT: break;
    }
    return "unknown";
}

void pl_deals_free(pl_deals *d) {
    if (!d) return;
    pl__free(d->frontier);
    pl__free(d->choices);
    pl__free(d->utils);
    pl__free(d->blockers);
    pl__free(d->min);
    pl__free(d->max);
    pl__free(d->disagreement);
    for (int s = 0; s < PL_SOL_COUNT; s++) pl__free(d->sol[s]);
    pl__free(d);
}

/* Solutions over the rational frontier points. */
static double solution_value(const pl_deals *d, pl_solution sol, size_t f, int *include) {
    const double *u = d->utils + f * d->np;
    double v = 0;
    switch (sol) {
        case PL_SOL_NASH:
            v = 1;
            for (size_t p = 0; p < d->np; p++) v *= u[p] - d->disagreement[p];
            return v;
        case PL_SOL_EGALITARIAN:
            v = INFINITY;
            for (size_t p = 0; p < d->np; p++)
                if (u[p] - d->disagreement[p] < v) v = u[p] - d->disagreement[p];
            return v;
        case PL_SOL_MAX_WELFARE:
            for (size_t p = 0; p < d->np; p++) v += u[p];
            return v;
        case PL_SOL_KALAI_SMORODINSKY: {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t p = 0; p < d->np; p++) {
                if (!include[p]) continue;
                double a = (u[p] - d->disagreement[p]) / (d->max[p] - d->disagreement[p]);
                if (a < lo) lo = a;
                if (a > hi) hi = a;
            }
            return hi >= lo ? -(hi - lo) : 0; /* maximise minus the spread */
        }
        case PL_SOL_COUNT: break;
    }
    return 0;
}

static int solve(pl_deals *d) {
    int include[64];
    int *inc = d->np <= 64 ? include : pl__malloc(d->np * sizeof *inc);
    if (!inc) return 0;
    for (size_t p = 0; p < d->np; p++) inc[p] = d->max[p] - d->disagreement[p] > EPS;
    int ok = 1;
    for (int s = 0; ok && s < PL_SOL_COUNT; s++) {
        double best = -INFINITY;
        for (size_t f = 0; f < d->n_frontier; f++) {
            if (!d->frontier[f].rational) continue;
            double v = solution_value(d, (pl_solution)s, f, inc);
            if (v > best) best = v;
        }
        d->sol[s] = pl__malloc((d->n_frontier + 1) * sizeof *d->sol[s]);
        if (!d->sol[s]) {
            ok = 0;
            break;
        }
        for (size_t f = 0; f < d->n_frontier; f++)
            if (d->frontier[f].rational && solution_value(d, (pl_solution)s, f, inc) >= best - EPS)
                d->sol[s][d->n_sol[s]++] = f;
        /* ties in enumeration order */
        for (size_t a = 1; a < d->n_sol[s]; a++) {
            size_t v = d->sol[s][a], b = a;
            while (b > 0) {
                const size_t *x = d->choices + d->sol[s][b - 1] * d->ni;
                const size_t *y = d->choices + v * d->ni;
                size_t i = 0;
                while (i < d->ni && x[i] == y[i]) i++;
                if (i == d->ni || x[i] < y[i]) break;
                d->sol[s][b] = d->sol[s][b - 1];
                b--;
            }
            d->sol[s][b] = v;
        }
    }
    /* opposition: its minimum over rational packages lies on the frontier */
    double best = INFINITY;
    for (size_t f = 0; f < d->n_frontier; f++) {
        if (!d->frontier[f].rational) continue;
        double sum = 0;
        for (size_t p = 0; p < d->np; p++) {
            double t = d->max[p] != 0 ? 1 - d->utils[f * d->np + p] / d->max[p] : 0;
            sum += t * t;
        }
        if (sqrt(sum) < best) best = sqrt(sum);
    }
    d->has_opposition = best < INFINITY;
    d->opposition = d->has_opposition ? best : 0;
    if (inc != include) pl__free(inc);
    return ok;
}

static int cmp_frontier(const void *vctx, size_t a, size_t b) {
    const pset *s = vctx;
    for (size_t p = 0; p < s->np; p++) {
        double x = s->u[a * s->np + p], y = s->u[b * s->np + p];
        if (x != y) return x > y ? -1 : 1;
    }
    return lex_cmp(s->c + a * s->ni, s->c + b * s->ni, s->ni);
}

/* Fill d from the frontier F (any order), sorted for output. */
static int finish(pl_deals *d, pset *F, const run *r, double time) {
    size_t np = d->np, ni = d->ni, n = F->n;
    size_t *idx = pl__malloc((n + 1) * sizeof *idx), *tmp = pl__malloc((n + 1) * sizeof *tmp);
    d->frontier = pl__calloc(n + 1, sizeof *d->frontier);
    d->choices = pl__malloc((n * ni + 1) * sizeof *d->choices);
    d->utils = pl__malloc((n * np + 1) * sizeof *d->utils);
    d->blockers = pl__malloc((n * np + 1) * sizeof *d->blockers);
    int ok = idx && tmp && d->frontier && d->choices && d->utils && d->blockers;
    if (ok) {
        for (size_t k = 0; k < n; k++) idx[k] = k;
        merge_sort(idx, tmp, n, cmp_frontier, F);
        d->n_frontier = n;
        for (size_t k = 0; k < n; k++) {
            pl_deal *dl = &d->frontier[k];
            const double *u = F->u + idx[k] * np;
            size_t *ch = d->choices + k * ni;
            double *du = d->utils + k * np;
            size_t *bl = d->blockers + k * np;
            for (size_t i = 0; i < ni; i++) ch[i] = F->c[idx[k] * ni + i];
            dl->n_blockers = 0;
            for (size_t p = 0; p < np; p++) {
                if (u[p] < r->rv[p]) bl[dl->n_blockers++] = p;
                du[p] = u[p];
            }
            dl->choice = ch;
            dl->utility = du;
            dl->blockers = bl;
            dl->rational = dl->n_blockers == 0;
            d->n_pareto += (size_t)dl->rational;
        }
    }
    pl__free(idx);
    pl__free(tmp);
    if (!ok) return 0;
    for (size_t p = 0; p < np; p++) {
        double rv = r->rv[p];
        double disc = time > 0 ? pow(r->sp->parties[p].discount, time) : 1;
        if (disc != 1) {
            for (size_t k = 0; k < n; k++) d->utils[k * np + p] *= disc;
            d->min[p] *= disc;
            d->max[p] *= disc;
            rv *= disc;
        }
        d->disagreement[p] = rv >= d->min[p] ? rv : d->min[p];
    }
    return solve(d);
}

static void refuse(const pl_space *sp, pl_diags *diags, uint64_t size, int overflow, uint64_t cap) {
    char what[64];
    if (overflow) snprintf(what, sizeof what, "more than 1.8e19");
    else snprintf(what, sizeof what, "%.3g", (double)size);
    diag_add(diags, PL_SEV_ERROR, sp->name ? sp->name : "space", 0, 0,
             "expected at most %.3g packages, found %s (%zu issues); raise the cap "
             "(--max-outcomes) or offer fewer options (fewer issues, a coarser grid, a "
             "larger real step)",
             (double)cap, what, sp->n_issues);
}

/* The options checked and the engine chosen: PL_ENGINE_AUTO resolved, the
** space's size (*size) within the cap the enumerating engine has. */
static pl_status choose_engine(const pl_space *sp, const pl_deals_options *opts, pl_diags *diags,
                               int linear, int exhaustive, pl_deals_engine *engine,
                               uint64_t *size) {
    uint64_t cap = opts && opts->max_outcomes ? opts->max_outcomes : PL_DEALS_DEFAULT_CAP;
    *engine = opts ? opts->engine : PL_ENGINE_AUTO;
    if ((int)*engine < (int)PL_ENGINE_AUTO || (int)*engine > (int)PL_ENGINE_MERGE) return PL_EINVAL;
    int overflow;
    *size = pl_space_size(sp, &overflow);
    if (*engine == PL_ENGINE_MERGE && (exhaustive || !linear)) {
        diag_add(diags, PL_SEV_ERROR, sp->name ? sp->name : "space", 0, 0,
                 "expected linear additive utilities for the merge engine, found %s",
                 exhaustive ? "a request to evaluate every package"
                            : "a non-linear (hyper-rectangle) profile");
        return PL_EINPUT;
    }
    if (*engine == PL_ENGINE_AUTO)
        *engine = linear && !exhaustive && deals_mitm_parties_ok(sp->n_parties) && !overflow &&
                          *size >= PL_DEALS_MERGE_FROM
                      ? PL_ENGINE_MERGE
                      : PL_ENGINE_ENUMERATE;
    if (overflow || (*engine == PL_ENGINE_ENUMERATE && *size > cap)) {
        refuse(sp, diags, *size, overflow, cap);
        return PL_ERANGE;
    }
    if (*size == 0) {
        diag_add(diags, PL_SEV_ERROR, sp->name ? sp->name : "space", 0, 0,
                 "expected at least one option on every issue, found an issue without");
        return PL_EINPUT;
    }
    return PL_OK;
}

/* Additive utilities: the bounds of the issues from k on (for pruning), the
** margin, and each party's min and max summed from the first issue like
** every package. */
static pl_status additive_bounds(run *r, pl_deals *d) {
    const pl_space *sp = r->sp;
    size_t np = r->np, ni = r->ni;
    r->sufmin = pl__calloc((ni + 1) * np, sizeof *r->sufmin);
    r->sufmax = pl__calloc((ni + 1) * np, sizeof *r->sufmax);
    if (!r->sufmin || !r->sufmax) return PL_ENOMEM;
    double scale = 1;
    for (size_t k = ni; k-- > 0;) {
        const deals_issue *is = &sp->issues[k];
        for (size_t p = 0; p < np; p++) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t o = 0; o < is->n_options; o++) {
                double t = sp->tab[(is->offset + o) * np + p];
                if (t < lo) lo = t;
                if (t > hi) hi = t;
            }
            r->sufmin[k * np + p] = r->sufmin[(k + 1) * np + p] + lo;
            r->sufmax[k * np + p] = r->sufmax[(k + 1) * np + p] + hi;
            scale += fabs(lo) + fabs(hi);
        }
    }
    r->margin = 1e-9 * scale;
    for (size_t p = 0; p < np; p++) {
        double lo = 0, hi = 0;
        for (size_t k = 0; k < ni; k++) {
            const deals_issue *is = &sp->issues[k];
            double l = INFINITY, h = -INFINITY;
            for (size_t o = 0; o < is->n_options; o++) {
                double t = sp->tab[(is->offset + o) * np + p];
                if (t < l) l = t;
                if (t > h) h = t;
            }
            lo += l;
            hi += h;
        }
        d->min[p] = lo;
        d->max[p] = hi;
    }
    return PL_OK;
}

/* Additive utilities: the rational count (by meet in the middle for the
** merge engine, else by tasks over the prefixes of the first issues) and
** the frontier folded into F. */
static pl_status additive_run(run *r, pl_deals *d, pl_deals_engine engine, progress *prog,
                              pset *F) {
    const pl_space *sp = r->sp;
    pl_status rc = additive_bounds(r, d);
    int counted = 0;
    if (rc == PL_OK && engine == PL_ENGINE_MERGE && deals_mitm_parties_ok(r->np)) {
        if (r->n_threads > 1 && !r->pool_tried) {
            r->pool_tried = 1;
            if (pool_new((unsigned)r->n_threads, &r->pool) != PL_OK) r->pool = NULL;
        }
        uint64_t c = 0;
        pl_status crc = deals_count_mitm(sp, r->rv, r->pool, prog, &c);
        if (crc == PL_OK) {
            d->n_rational = c;
            counted = 1;
        } else if (crc != PL_ERANGE) { /* too large to split: counted below */
            rc = crc;
        }
    }
    /* else tasks are the prefixes of the first issues, at least 64 of
    ** them when the space allows */
    uint64_t n_tasks = 1;
    r->split = 0;
    while (rc == PL_OK && r->split + 1 < r->ni && n_tasks < 256) {
        n_tasks *= sp->issues[r->split].n_options;
        r->split++;
    }
    r->per_task = r->n_outcomes / n_tasks;
    if (rc == PL_OK && !counted) {
        r->task_count = pl__calloc((size_t)n_tasks, sizeof *r->task_count);
        if (!r->task_count) rc = PL_ENOMEM;
    }
    if (rc == PL_OK && !counted) {
        /* threads cost more than they save on small spaces */
        run_tasks(r, r->n_outcomes >= (1u << 22), (size_t)n_tasks, count_task, r);
        for (size_t k = 0; k < n_tasks; k++) {
            if (r->task_count[k] == UINT64_MAX) rc = PL_ENOMEM;
            else d->n_rational += r->task_count[k];
        }
    }
    if (rc == PL_OK && progress_stopped(prog)) rc = PL_EINTERRUPTED;
    if (rc == PL_OK && !fold_frontier(r, F)) rc = PL_ENOMEM;
    if (rc == PL_OK && progress_stopped(prog)) rc = PL_EINTERRUPTED;
    return rc;
}

/* Every package evaluated (non-linear utilities, or asked for): tasks
** over ranges of packages, each with its archive, count and extremes,
** joined and reduced to the skyline in F. */
static pl_status exhaustive_run(run *r, pl_deals *d, progress *prog, pset *F) {
    size_t np = r->np;
    r->n_tasks = r->n_threads * 4 < r->n_outcomes ? r->n_threads * 4 : (size_t)r->n_outcomes;
    r->archives = pl__calloc(r->n_tasks, sizeof *r->archives);
    r->task_rational = pl__calloc(r->n_tasks, sizeof *r->task_rational);
    r->task_min = pl__calloc(r->n_tasks * np, sizeof *r->task_min);
    r->task_max = pl__calloc(r->n_tasks * np, sizeof *r->task_max);
    r->task_failed = pl__calloc(r->n_tasks, sizeof *r->task_failed);
    if (!r->archives || !r->task_rational || !r->task_min || !r->task_max || !r->task_failed)
        return PL_ENOMEM;
    pl_status rc = PL_OK;
    run_tasks(r, 1, r->n_tasks, exhaustive_task, r);
    if (progress_stopped(prog)) rc = PL_EINTERRUPTED;
    for (size_t p = 0; p < np; p++) {
        d->min[p] = INFINITY;
        d->max[p] = -INFINITY;
    }
    for (size_t k = 0; k < r->n_tasks; k++) {
        if (r->task_failed[k]) rc = PL_ENOMEM;
        d->n_rational += r->task_rational[k];
        for (size_t p = 0; p < np; p++) {
            if (r->task_min[k * np + p] < d->min[p]) d->min[p] = r->task_min[k * np + p];
            if (r->task_max[k * np + p] > d->max[p]) d->max[p] = r->task_max[k * np + p];
        }
        if (rc == PL_OK && !pset_append(F, &r->archives[k])) rc = PL_ENOMEM;
    }
    if (rc == PL_OK && !skyline(F, prog)) rc = PL_ENOMEM;
    if (rc == PL_OK && progress_stopped(prog)) rc = PL_EINTERRUPTED;
    /* the archives are copied into F: free them before the solutions */
    for (size_t k = 0; k < r->n_tasks; k++) pset_free(&r->archives[k]);
    return rc;
}

/* (pset_free leaves a freed archive empty: freeing it again is harmless) */
static void run_free(run *r) {
    for (size_t k = 0; r->archives && k < r->n_tasks; k++) pset_free(&r->archives[k]);
    pool_free(r->pool);
    pl__free(r->rv);
    pl__free(r->sufmin);
    pl__free(r->sufmax);
    pl__free(r->task_count);
    pl__free(r->archives);
    pl__free(r->task_rational);
    pl__free(r->task_min);
    pl__free(r->task_max);
    pl__free(r->task_failed);
}

pl_status pl_deals_run(const pl_space *sp, const pl_deals_options *opts, pl_diags *diags,
                       pl_deals **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!sp || sp->n_parties == 0 || sp->n_issues == 0) return PL_EINVAL;
    double time = opts ? opts->time : 0;
    if (!isfinite(time) || time < 0 || time > 1) return PL_EINVAL;
    if (opts && opts->n_threads > PL_MAX_THREADS) return PL_EINVAL;
    size_t np = sp->n_parties, ni = sp->n_issues;
    int linear = 1;
    for (size_t p = 0; p < np; p++)
        if (sp->parties[p].nonlinear) linear = 0;
    int exhaustive = opts && opts->exhaustive;
    pl_deals_engine engine;
    uint64_t size;
    pl_status rc = choose_engine(sp, opts, diags, linear, exhaustive, &engine, &size);
    if (rc != PL_OK) return rc;

    pl_deals *d = pl__calloc(1, sizeof *d);
    if (!d) return PL_ENOMEM;
    d->np = np;
    d->ni = ni;
    d->engine = engine;
    d->n_outcomes = size;
    d->min = pl__malloc(np * sizeof *d->min);
    d->max = pl__malloc(np * sizeof *d->max);
    d->disagreement = pl__malloc(np * sizeof *d->disagreement);
    run r;
    memset(&r, 0, sizeof r);
    r.sp = sp;
    r.np = np;
    r.ni = ni;
    r.n_threads = pool_threads(opts ? opts->n_threads : 0);
    r.n_outcomes = size;
    progress prog;
    progress_init(&prog, opts ? opts->progress : NULL, opts ? opts->progress_ctx : NULL,
                  (double)size);
    r.prog = &prog;
    atomic_init(&r.n_seen, 0);
    r.rv = pl__malloc(np * sizeof *r.rv);
    rc = d->min && d->max && d->disagreement && r.rv ? PL_OK : PL_ENOMEM;
    for (size_t p = 0; rc == PL_OK && p < np; p++) r.rv[p] = sp->parties[p].reservation;
    pset F;
    pset_init(&F, np, ni);
    if (rc == PL_OK)
        rc = linear && !exhaustive ? additive_run(&r, d, engine, &prog, &F)
                                   : exhaustive_run(&r, d, &prog, &F);
    if (rc == PL_OK && !finish(d, &F, &r, time)) rc = PL_ENOMEM;
    pset_free(&F);
    run_free(&r);
    if (rc != PL_OK) {
        pl_deals_free(d);
        return rc;
    }
    *out = d;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Accessors
*/
pl_deals_engine pl_deals_engine_used(const pl_deals *d) {
    return d ? d->engine : PL_ENGINE_ENUMERATE;
}
const char *pl_deals_engine_name(pl_deals_engine engine) {
    switch (engine) {
        case PL_ENGINE_AUTO: return "auto";
        case PL_ENGINE_ENUMERATE: return "enumerate";
        case PL_ENGINE_MERGE: return "merge";
    }
    return NULL;
}
uint64_t pl_deals_n_outcomes(const pl_deals *d) { return d ? d->n_outcomes : 0; }
uint64_t pl_deals_n_rational(const pl_deals *d) { return d ? d->n_rational : 0; }
size_t pl_deals_n_frontier(const pl_deals *d) { return d ? d->n_frontier : 0; }
const pl_deal *pl_deals_frontier(const pl_deals *d, size_t i) {
    return d && i < d->n_frontier ? &d->frontier[i] : NULL;
}
size_t pl_deals_n_pareto(const pl_deals *d) { return d ? d->n_pareto : 0; }
size_t pl_deals_n_solution(const pl_deals *d, pl_solution sol) {
    return d && (int)sol >= 0 && sol < PL_SOL_COUNT ? d->n_sol[sol] : 0;
}
size_t pl_deals_solution(const pl_deals *d, pl_solution sol, size_t k) {
    if (!d || (int)sol < 0 || sol >= PL_SOL_COUNT || k >= d->n_sol[sol]) return SIZE_MAX;
    return d->sol[sol][k];
}
double pl_deals_min(const pl_deals *d, size_t p) { return d && p < d->np ? d->min[p] : 0; }
double pl_deals_max(const pl_deals *d, size_t p) { return d && p < d->np ? d->max[p] : 0; }
double pl_deals_disagreement(const pl_deals *d, size_t p) {
    return d && p < d->np ? d->disagreement[p] : 0;
}
double pl_deals_opposition(const pl_deals *d, int *has) {
    if (has) *has = d ? d->has_opposition : 0;
    return d ? d->opposition : 0;
}

pl_status pl_deals_match_frontier(const pl_deals *d, const double *points, size_t n_points,
                                  double tol, size_t *n_matched) {
    if (!d || (!points && n_points) || !n_matched || !(tol >= 0)) return PL_EINVAL;
    size_t n = 0;
    for (size_t k = 0; k < n_points; k++) {
        const double *q = points + k * d->np;
        for (size_t f = 0; f < d->n_frontier; f++) {
            if (!d->frontier[f].rational) continue;
            size_t p = 0;
            while (p < d->np && fabs(d->utils[f * d->np + p] - q[p]) <= tol) p++;
            if (p == d->np) {
                n++;
                break;
            }
        }
    }
    *n_matched = n;
    return PL_OK;
}

void pl_deals_options_init(pl_deals_options *opts) {
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->max_outcomes = PL_DEALS_DEFAULT_CAP;
}
