/*
** count_mitm.c: the number of rational packages of an additive space by
** meet in the middle (docs/models/deals.md, "The merge engine").
**
** The issues are split into a prefix [0, h), a middle [h, g) and a suffix
** [g, n).  A holds the prefix's packages with their utility vectors (summed
** from the first issue, exactly as every engine sums), C the suffix's.  For
** each option combination of the middle (usually none or one issue), every
** prefix package a is shifted by it (a' = a + middle, still summed in issue
** order) and the task is to count the pairs (a', c) with a'_p + c_p >= rv_p
** for every party p: c_p >= x_p(a) = rv_p - a'_p.
**
** - 2 parties: sweep the prefixes by increasing a'_0 (x_0 falls), insert the
**   suffixes with c_0 >= x_0 into a counter over their rank by c_1, and ask
**   it how many inserted ones have c_1 >= x_1: O((|A| + |C|) log) per middle
**   combination, with a 64-ary bit counter that stays in cache.
** - 3 parties: an offline dominance count (CDQ divide and conquer on the
**   order by the first utility, a merge by the second, a Fenwick tree over
**   the third): O((|A| + |C|) log^2) per middle combination.
**
** Exactness.  a' + c is not the package's utility to the last bit: the
** package sums issue by issue, (((a' + t_g) + t_g+1) + ...).  So the counts
** use the thresholds lowered by a margin m_p (1e-11 of the utility scale,
** far above any rounding difference), and every pair that lands within
** [x_p - m_p, x_p + m_p) for some party (the band) is summed again exactly,
** issue by issue, and dropped when it falls short.  Outside the band both
** sums agree on the comparison.  Bands are found by pointers that move with
** the sweeps; their total size is the number of packages within 2 m_p of a
** reservation, which is small unless the utilities lie on a lattice that
** hits a reservation exactly (then the cost tends to enumeration's).
**
** Parallel: the tasks (middle combination x slice of A) of 2 parties, or
** the leaves and merges of the divide and conquer of 3, run on the pool;
** counts are integers added in task order, so results never depend on the
** number of threads.
*/
#include "deals/count_mitm.h"

#include "core/alloc.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define MAXD 3

typedef struct half {
    size_t n;
    double *v;            /* n * D, sorted by dimension 0 ascending */
    uint32_t *idx;        /* suffixes: the combination (mixed radix over its issues) */
    uint32_t *perm[MAXD]; /* d >= 1: positions by dimension d ascending */
    double *key[MAXD];    /* d >= 1: values along perm[d] */
    uint32_t *rank[MAXD]; /* suffixes, d >= 1: place of each position in perm[d] */
} half;

typedef struct mctx {
    const pl_space *sp;
    size_t D, ni, h, g;
    const double *rv;
    double m[MAXD];
    uint64_t *stride; /* ni: the place value of issue i's option in a suffix index */
    half A, C;
    uint64_t M; /* middle combinations */
    size_t K;   /* slices of A per middle combination (2 parties) */
    pool *pl;
    progress *prog;
    double per_task; /* packages per task, for progress */
    atomic_uint_fast64_t n_done;
    /* 2 parties: per task */
    uint64_t *task_count;
    int *task_fail;
    /* 3 parties */
    uint32_t *L[MAXD];
    uint32_t **fen; /* per worker */
    size_t n_workers;
    atomic_int build_fail;
} mctx;

/* ------------------------------------------------------------------------
** Sorting: a stable LSD radix sort of order-preserving 64-bit keys, 11
** bits a pass (2048 buckets stay in cache).
*/
static uint64_t okey(double x) {
    if (x == 0) x = 0; /* -0 and +0 tie */
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return (b >> 63) ? ~b : b | (1ull << 63);
}

/* perm = 0..n-1 ordered by k (stable). k is clobbered. The six digits'
** counts are taken in one read of the keys. */
static int radix_sort(uint64_t *k, uint32_t *perm, size_t n) {
    uint64_t *k2 = pl__malloc(n * sizeof *k2 + 1);
    uint32_t *p2 = pl__malloc(n * sizeof *p2 + 1);
    size_t *cnt = pl__calloc(6 * 2048, sizeof *cnt);
    if (!k2 || !p2 || !cnt) {
        pl__free(k2);
        pl__free(p2);
        pl__free(cnt);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        perm[i] = (uint32_t)i;
        for (unsigned pass = 0; pass < 6; pass++)
            cnt[pass * 2048 + ((k[i] >> (11 * pass)) & 0x7ffu)]++;
    }
    uint64_t *ka = k, *kb = k2;
    uint32_t *pa = perm, *pb = p2;
    for (unsigned pass = 0; pass < 6; pass++) {
        unsigned sh = 11 * pass;
        size_t *c = cnt + pass * 2048;
        if (n && c[(ka[0] >> sh) & 0x7ffu] == n) continue; /* one digit: nothing moves */
        size_t sum = 0;
        for (size_t d = 0; d < 2048; d++) {
            size_t v = c[d];
            c[d] = sum;
            sum += v;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = c[(ka[i] >> sh) & 0x7ffu]++;
            kb[at] = ka[i];
            pb[at] = pa[i];
        }
        uint64_t *tk = ka;
        ka = kb;
        kb = tk;
        uint32_t *tp = pa;
        pa = pb;
        pb = tp;
    }
    if (pa != perm) memcpy(perm, pa, n * sizeof *perm);
    pl__free(k2);
    pl__free(p2);
    pl__free(cnt);
    return 1;
}

/* ------------------------------------------------------------------------
** The halves
*/
static void half_free(half *H) {
    pl__free(H->v);
    pl__free(H->idx);
    for (size_t d = 0; d < MAXD; d++) {
        pl__free(H->perm[d]);
        pl__free(H->key[d]);
        pl__free(H->rank[d]);
    }
    memset(H, 0, sizeof *H);
}

/* The utility vectors of the packages of issues [i0, i1) into raw (n * D),
** summed from issue i0 in order (for i0 = 0 exactly the enumeration's
** prefix sums), in mixed-radix order. */
static int half_sums(const mctx *x, size_t i0, size_t i1, size_t n, double *raw) {
    const pl_space *sp = x->sp;
    size_t D = x->D, np = sp->n_parties, len = i1 - i0;
    double *S = pl__calloc((len + 1) * D + 1, sizeof *S);
    size_t *o = pl__calloc(len + 1, sizeof *o);
    int ok = S && o;
    size_t dirty = 0;
    for (size_t k = 0; ok && k < n; k++) {
        for (size_t j = dirty; j < len; j++) {
            const deals_issue *is = &sp->issues[i0 + j];
            const double *t = sp->tab + (is->offset + o[j]) * np;
            for (size_t p = 0; p < D; p++) S[(j + 1) * D + p] = S[j * D + p] + t[p];
        }
        for (size_t p = 0; p < D; p++) raw[k * D + p] = S[len * D + p];
        size_t j = len;
        while (j > 0) {
            j--;
            if (++o[j] < sp->issues[i0 + j].n_options) break;
            o[j] = 0;
        }
        dirty = j;
    }
    pl__free(S);
    pl__free(o);
    return ok;
}

/* H->v (and for a suffix H->idx): raw ordered by the first utility. */
static int half_order0(const mctx *x, half *H, const double *raw, int suffix) {
    size_t n = H->n, D = x->D;
    uint64_t *keys = pl__malloc(n * sizeof *keys + 1);
    uint32_t *p0 = pl__malloc(n * sizeof *p0 + 1);
    int ok = keys && p0;
    for (size_t k = 0; ok && k < n; k++) keys[k] = okey(raw[k * D]);
    if (ok) ok = radix_sort(keys, p0, n);
    pl__free(keys);
    if (ok) {
        H->v = pl__malloc(n * D * sizeof *H->v + 1);
        if (suffix) H->idx = pl__malloc(n * sizeof *H->idx + 1);
        ok = H->v && (H->idx || !suffix);
    }
    for (size_t k = 0; ok && k < n; k++) {
        for (size_t p = 0; p < D; p++) H->v[k * D + p] = raw[(size_t)p0[k] * D + p];
        if (suffix) H->idx[k] = p0[k];
    }
    pl__free(p0);
    return ok;
}

/* For each further utility d: the positions in its order (perm), the values
** along it (key; sequential reads in the sweeps) and, for a suffix, each
** position's place in it (rank). */
static int half_order_rest(const mctx *x, half *H, int suffix) {
    size_t n = H->n, D = x->D;
    uint64_t *keys = pl__malloc(n * sizeof *keys + 1);
    int ok = keys != NULL;
    for (size_t d = 1; ok && d < D; d++) {
        H->perm[d] = pl__malloc(n * sizeof *H->perm[d] + 1);
        int with_key = suffix || D == 2; /* the two-party sweep reads the prefixes' */
        if (with_key) H->key[d] = pl__malloc(n * sizeof *H->key[d] + 1);
        ok = H->perm[d] && (H->key[d] || !with_key);
        for (size_t k = 0; ok && k < n; k++) keys[k] = okey(H->v[k * D + d]);
        if (ok) ok = radix_sort(keys, H->perm[d], n);
        for (size_t k = 0; ok && with_key && k < n; k++)
            H->key[d][k] = H->v[(size_t)H->perm[d][k] * D + d];
        if (ok && suffix) {
            H->rank[d] = pl__malloc(n * sizeof *H->rank[d] + 1);
            ok = H->rank[d] != NULL;
            for (size_t k = 0; ok && k < n; k++) H->rank[d][H->perm[d][k]] = (uint32_t)k;
        }
    }
    pl__free(keys);
    return ok;
}

/* The packages of issues [i0, i1), sorted by each utility. */
static int half_build(const mctx *x, half *H, size_t i0, size_t i1, int suffix) {
    size_t n = 1;
    for (size_t i = i0; i < i1; i++) n *= x->sp->issues[i].n_options;
    H->n = n;
    double *raw = pl__malloc(n * x->D * sizeof *raw + 1);
    int ok = raw && half_sums(x, i0, i1, n, raw);
    ok = ok && half_order0(x, H, raw, suffix);
    pl__free(raw);
    return ok && half_order_rest(x, H, suffix);
}

/* Both halves, one a worker. */
static int build_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    mctx *x = ctx;
    (void)worker;
    for (size_t t = begin; t < end; t++) {
        int ok = t == 0 ? half_build(x, &x->A, 0, x->h, 0) : half_build(x, &x->C, x->g, x->ni, 1);
        if (!ok) x->build_fail = 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
** Shifts and exact checks
*/
typedef struct shift {
    const double *t[64]; /* the middle issues' cells */
    size_t n;
} shift;

static void shift_of(const mctx *x, uint64_t j, shift *s) {
    const pl_space *sp = x->sp;
    s->n = x->g - x->h;
    for (size_t i = x->g; i-- > x->h;) {
        const deals_issue *is = &sp->issues[i];
        size_t o = (size_t)(j % is->n_options);
        j /= is->n_options;
        s->t[i - x->h] = sp->tab + (is->offset + o) * sp->n_parties;
    }
}

static inline void shifted(const mctx *x, const shift *s, size_t pos, double *a) {
    for (size_t p = 0; p < x->D; p++) {
        double u = x->A.v[pos * x->D + p];
        for (size_t k = 0; k < s->n; k++) u += s->t[k][p];
        a[p] = u;
    }
}

/* The package (prefix at a, shifted; suffix cidx) summed issue by issue:
** rational? */
static int exact(const mctx *x, const double *a, uint32_t cidx) {
    const pl_space *sp = x->sp;
    size_t np = sp->n_parties;
    for (size_t p = 0; p < x->D; p++) {
        double u = a[p];
        for (size_t i = x->g; i < x->ni; i++) {
            const deals_issue *is = &sp->issues[i];
            size_t o = (size_t)((cidx / x->stride[i]) % is->n_options);
            u += sp->tab[(is->offset + o) * np + p];
        }
        if (u < x->rv[p]) return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------
** Two parties
*/
/* A set of distinct ranks: bits, with counts per 1024, 16384, 2^18 and 2^22
** ranks, so that a prefix count adds at most 15 numbers per level from a
** few contiguous cache lines. */
typedef struct counter {
    size_t n;
    uint64_t *w;
    uint16_t *c1, *c2; /* per 2^10, 2^14 */
    uint32_t *c3, *c4; /* per 2^18, 2^22 */
} counter;

static int counter_init(counter *c, size_t n) {
    c->n = n;
    c->w = pl__calloc((n >> 6) + 2, sizeof *c->w);
    c->c1 = pl__calloc((n >> 10) + 2, sizeof *c->c1);
    c->c2 = pl__calloc((n >> 14) + 2, sizeof *c->c2);
    c->c3 = pl__calloc((n >> 18) + 2, sizeof *c->c3);
    c->c4 = pl__calloc((n >> 22) + 2, sizeof *c->c4);
    return c->w && c->c1 && c->c2 && c->c3 && c->c4;
}

static void counter_free(counter *c) {
    pl__free(c->w);
    pl__free(c->c1);
    pl__free(c->c2);
    pl__free(c->c3);
    pl__free(c->c4);
}

static inline void counter_add(counter *c, uint32_t r) {
    c->w[r >> 6] |= 1ull << (r & 63);
    c->c1[r >> 10]++;
    c->c2[r >> 14]++;
    c->c3[r >> 18]++;
    c->c4[r >> 22]++;
}

/* Bits set in x (no popcnt instruction assumed). */
static inline uint64_t bits(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

/* How many ranks below r are in the set. */
static inline uint64_t counter_prefix(const counter *c, uint32_t r) {
    uint64_t s = 0;
    for (size_t b = 0; b < (r >> 22); b++) s += c->c4[b];
    for (size_t b = (size_t)(r >> 22) << 4; b < (r >> 18); b++) s += c->c3[b];
    for (size_t b = (size_t)(r >> 18) << 4; b < (r >> 14); b++) s += c->c2[b];
    for (size_t b = (size_t)(r >> 14) << 4; b < (r >> 10); b++) s += c->c1[b];
    for (size_t b = (size_t)(r >> 10) << 4; b < (r >> 6); b++) s += bits(c->w[b]);
    if (r & 63) s += bits(c->w[r >> 6] & ((1ull << (r & 63)) - 1));
    return s;
}

/* Task: middle combination j, prefixes at positions [lo, hi). */
static int task2(mctx *x, uint64_t j, size_t lo, size_t hi, uint64_t *out) {
    const half *A = &x->A, *C = &x->C;
    size_t P = A->n, S = C->n;
    const double *rv = x->rv, *m = x->m;
    shift s;
    shift_of(x, j, &s);
    uint32_t *lb = pl__malloc((hi - lo) * sizeof *lb + 1);
    counter cn;
    int ok = counter_init(&cn, S) && lb;
    uint64_t cnt = 0, corr = 0;
    double a[2];
    /* the second party: lb = how many suffixes fall short of x_1; its band */
    size_t l = S, u = S;
    for (size_t k = 0; ok && k < P; k++) {
        if ((k & 65535u) == 65535u && progress_poll(x->prog)) ok = 0;
        size_t pos = A->perm[1][k];
        double a1 = A->key[1][k]; /* = A->v[pos * 2 + 1], read in order */
        for (size_t t = 0; t < s.n; t++) a1 += s.t[t][1];
        double x1 = rv[1] - a1 - m[1], x1u = x1 + 2 * m[1];
        while (l > 0 && C->key[1][l - 1] >= x1) l--;
        while (u > 0 && C->key[1][u - 1] >= x1u) u--;
        if (pos < lo || pos >= hi) continue;
        lb[pos - lo] = (uint32_t)l;
        if (l < u) {
            shifted(x, &s, pos, a);
            double x0u = rv[0] - a[0] - m[0] + 2 * m[0];
            for (size_t q = l; q < u; q++) {
                uint32_t cp = C->perm[1][q];
                if (C->v[(size_t)cp * 2] >= x0u && !exact(x, a, C->idx[cp])) corr++;
            }
        }
    }
    /* the sweep by the first party; its band */
    l = S;
    u = S;
    for (size_t pos = lo; ok && pos < hi; pos++) {
        if (((pos - lo) & 65535u) == 65535u && progress_poll(x->prog)) ok = 0;
        shifted(x, &s, pos, a);
        double x0 = rv[0] - a[0] - m[0], x0u = x0 + 2 * m[0];
        double x1 = rv[1] - a[1] - m[1];
        while (l > 0 && C->v[(l - 1) * 2] >= x0) {
            l--;
            counter_add(&cn, C->rank[1][l]);
        }
        while (u > 0 && C->v[(u - 1) * 2] >= x0u) u--;
        uint64_t n_in = S - l;
        if (n_in) cnt += n_in - counter_prefix(&cn, lb[pos - lo]);
        for (size_t q = l; q < u; q++)
            if (C->v[q * 2 + 1] >= x1 && !exact(x, a, C->idx[q])) corr++;
    }
    counter_free(&cn);
    pl__free(lb);
    *out = cnt - corr;
    return ok && !progress_stopped(x->prog);
}

static int part2(void *ctx, unsigned worker, size_t begin, size_t end) {
    mctx *x = ctx;
    (void)worker;
    for (size_t t = begin; t < end; t++) {
        uint64_t j = t / x->K;
        size_t k = t % x->K;
        size_t lo = x->A.n * k / x->K, hi = x->A.n * (k + 1) / x->K;
        if (progress_stopped(x->prog)) {
            x->task_fail[t] = 2;
            continue;
        }
        int ok = task2(x, j, lo, hi, &x->task_count[t]);
        if (!ok) x->task_fail[t] = progress_stopped(x->prog) ? 2 : 1;
        uint64_t done = atomic_fetch_add(&x->n_done, 1) + 1;
        progress_tick(x->prog, (double)done * x->per_task);
    }
    return 0;
}

/* ------------------------------------------------------------------------
** Three parties: dominance counting
*/
typedef struct elem {
    uint32_t a, b, q; /* keys (ranks); q: 1 for a query */
} elem;

/* The merged order: a descending, a point before a query of equal a. */
static inline int lt(const elem *x, const elem *y) {
    return x->a > y->a || (x->a == y->a && !x->q && y->q);
}

/* Does l (from the left half) come before r (from the right)? */
static inline int before(const elem *l, const elem *r) { return !lt(r, l); }

/* A Fenwick tree f[1..n] over b reversed (a point at b sits at n - b). */
static inline void fen_add(uint32_t *f, size_t n, uint32_t b, uint32_t delta) {
    for (size_t i = n - b; i <= n; i += i & (~i + 1)) f[i] += delta;
}

/* Points inserted with b' >= b. */
static inline uint64_t fen_ge(const uint32_t *f, size_t n, uint32_t b) {
    uint64_t s = 0;
    for (size_t i = n - b; i > 0; i -= i & (~i + 1)) s += f[i];
    return s;
}

/* Count (left point, right query) pairs with point.a >= q.a and point.b >=
** q.b, and merge [0, mid) and [mid, n) (each in merged order). */
static uint64_t cdq_merge(elem *e, elem *tmp, size_t mid, size_t n, uint32_t *f, size_t fn) {
    size_t i = 0, j = mid, k = 0;
    uint64_t c = 0;
    while (i < mid && j < n) {
        if (before(&e[i], &e[j])) {
            if (!e[i].q) fen_add(f, fn, e[i].b, 1);
            tmp[k++] = e[i++];
        } else {
            if (e[j].q) c += fen_ge(f, fn, e[j].b);
            tmp[k++] = e[j++];
        }
    }
    size_t taken = i;
    while (j < n) {
        if (e[j].q) c += fen_ge(f, fn, e[j].b);
        tmp[k++] = e[j++];
    }
    while (i < mid) tmp[k++] = e[i++];
    for (size_t t = 0; t < taken; t++)
        if (!e[t].q) fen_add(f, fn, e[t].b, UINT32_MAX); /* -1 */
    memcpy(e, tmp, n * sizeof *e);
    return c;
}

static uint64_t cdq(elem *e, elem *tmp, size_t n, uint32_t *f, size_t fn, progress *prog) {
    if (n <= 32) {
        uint64_t c = 0;
        for (size_t j = 0; j < n; j++) {
            if (!e[j].q) continue;
            for (size_t i = 0; i < j; i++) c += !e[i].q && e[i].a >= e[j].a && e[i].b >= e[j].b;
        }
        /* into merged order; stable */
        for (size_t i = 1; i < n; i++) {
            elem v = e[i];
            size_t k = i;
            while (k > 0 && lt(&v, &e[k - 1])) {
                e[k] = e[k - 1];
                k--;
            }
            e[k] = v;
        }
        return c;
    }
    if (n >= 65536 && progress_poll(prog)) return 0; /* the caller sees the stop */
    size_t mid = n / 2;
    uint64_t c = cdq(e, tmp, mid, f, fn, prog) + cdq(e + mid, tmp + mid, n - mid, f, fn, prog);
    return c + cdq_merge(e, tmp, mid, n, f, fn);
}

typedef struct cdq_job {
    mctx *x;
    elem *e, *tmp;
    size_t *lo, *hi; /* node ranges */
    size_t first;    /* first node of this level */
    int leaves;
    uint64_t *count; /* per node */
} cdq_job;

static int cdq_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    cdq_job *jb = ctx;
    mctx *x = jb->x;
    for (size_t t = begin; t < end; t++) {
        size_t node = jb->first + t;
        size_t lo = jb->lo[node], hi = jb->hi[node];
        if (jb->leaves) {
            jb->count[node] = cdq(jb->e + lo, jb->tmp + lo, hi - lo, x->fen[worker], x->C.n,
                                  x->prog);
        } else {
            size_t mid = jb->hi[2 * node + 1]; /* end of the left child */
            jb->count[node] = cdq_merge(jb->e + lo, jb->tmp + lo, mid - lo, hi - lo, x->fen[worker],
                                        x->C.n);
        }
    }
    return 0;
}

/* The dominance count of e[0..n) with the top levels on the pool: node k's
** children are 2k+1 and 2k+2, split at the middle as cdq does. */
static int cdq_parallel(mctx *x, elem *e, elem *tmp, size_t n, uint64_t *out) {
    size_t levels = 0;
    while (((size_t)1 << levels) < x->n_workers && n >= ((size_t)1 << 16) << levels) levels++;
    size_t n_nodes = ((size_t)2 << levels) - 1;
    size_t *lo = pl__malloc(n_nodes * sizeof *lo), *hi = pl__malloc(n_nodes * sizeof *hi);
    uint64_t *count = pl__calloc(n_nodes, sizeof *count);
    if (!lo || !hi || !count) {
        pl__free(lo);
        pl__free(hi);
        pl__free(count);
        return 0;
    }
    lo[0] = 0;
    hi[0] = n;
    for (size_t k = 0; 2 * k + 2 < n_nodes; k++) {
        size_t mid = lo[k] + (hi[k] - lo[k]) / 2;
        lo[2 * k + 1] = lo[k];
        hi[2 * k + 1] = mid;
        lo[2 * k + 2] = mid;
        hi[2 * k + 2] = hi[k];
    }
    cdq_job jb = {x, e, tmp, lo, hi, ((size_t)1 << levels) - 1, 1, count};
    pool_for(x->pl, (size_t)1 << levels, cdq_part, &jb);
    for (size_t lv = levels; lv-- > 0;) {
        jb.first = ((size_t)1 << lv) - 1;
        jb.leaves = 0;
        pool_for(x->pl, (size_t)1 << lv, cdq_part, &jb);
    }
    uint64_t c = 0;
    for (size_t k = 0; k < n_nodes; k++) c += count[k];
    *out = c;
    pl__free(lo);
    pl__free(hi);
    pl__free(count);
    return 1;
}

/* Middle combination j of a 3-party space. */
static int middle3(mctx *x, uint64_t j, elem *e, elem *tmp, uint64_t *out) {
    const half *A = &x->A, *C = &x->C;
    size_t P = A->n, S = C->n;
    const double *rv = x->rv, *m = x->m;
    shift s;
    shift_of(x, j, &s);
    uint64_t corr = 0;
    double a[3], xs[3], xu[3];
    int ok = 1;
    /* parties 1 and 2: thresholds as ranks, and their bands */
    for (size_t d = 1; ok && d < 3; d++) {
        size_t l = S, u = S;
        for (size_t k = 0; ok && k < P; k++) {
            if ((k & 65535u) == 65535u && progress_poll(x->prog)) ok = 0;
            size_t pos = A->perm[d][k];
            shifted(x, &s, pos, a);
            for (size_t p = 0; p < 3; p++) {
                xs[p] = rv[p] - a[p] - m[p];
                xu[p] = xs[p] + 2 * m[p];
            }
            while (l > 0 && C->key[d][l - 1] >= xs[d]) l--;
            while (u > 0 && C->key[d][u - 1] >= xu[d]) u--;
            x->L[d][pos] = (uint32_t)l;
            for (size_t q = l; q < u; q++) {
                uint32_t cp = C->perm[d][q];
                const double *c = C->v + (size_t)cp * 3;
                int in = 1;
                for (size_t e2 = 0; in && e2 < 3; e2++)
                    if (e2 != d) in = c[e2] >= (e2 < d ? xu[e2] : xs[e2]);
                if (in && !exact(x, a, C->idx[cp])) corr++;
            }
        }
    }
    /* party 0, and the sequence: suffixes (points) by rank 0 descending,
    ** each prefix (query) after the points it may pair with */
    size_t l = S, u = S, n = 0, top = S;
    for (size_t pos = 0; ok && pos < P; pos++) {
        if ((pos & 65535u) == 65535u && progress_poll(x->prog)) ok = 0;
        shifted(x, &s, pos, a);
        for (size_t p = 0; p < 3; p++) {
            xs[p] = rv[p] - a[p] - m[p];
            xu[p] = xs[p] + 2 * m[p];
        }
        while (l > 0 && C->v[(l - 1) * 3] >= xs[0]) l--;
        while (u > 0 && C->v[(u - 1) * 3] >= xu[0]) u--;
        for (size_t q = l; q < u; q++) {
            const double *c = C->v + q * 3;
            if (c[1] >= xs[1] && c[2] >= xs[2] && !exact(x, a, C->idx[q])) corr++;
        }
        if (l == S || x->L[1][pos] == S || x->L[2][pos] == S) continue; /* pairs with none */
        while (top > l) {
            top--;
            e[n].a = C->rank[1][top];
            e[n].b = C->rank[2][top];
            e[n].q = 0;
            n++;
        }
        e[n].a = x->L[1][pos];
        e[n].b = x->L[2][pos];
        e[n].q = 1;
        n++;
    }
    uint64_t cnt = 0;
    if (ok) ok = cdq_parallel(x, e, tmp, n, &cnt);
    *out = cnt - corr;
    return ok && !progress_stopped(x->prog);
}

/* ------------------------------------------------------------------------
** The split and the run
*/
int deals_mitm_parties_ok(size_t n_parties) { return n_parties == 2 || n_parties == 3; }

/* Bytes for prefix and suffix sets of P and S packages: held, and at the
** peak while the suffixes are sorted. */
static double mem_of(size_t D, double P, double S, double workers) {
    double held, a_only;
    if (D == 2) {
        a_only = P * 28;
        held = a_only + S * 36 + workers * P * 4;
    } else {
        a_only = P * 36;
        held = a_only + S * 60 + P * 12 + (P + S) * 24 + workers * S * 4;
    }
    double build = (P > S ? P : S) * (8.0 * (double)D + 24);
    return held > a_only + build ? held : a_only + build;
}

static double cost_of(size_t D, double P, double M, double S) {
    double n = P + S;
    if (D == 2) return M * (2 * P + S) + 8 * n;
    double lg = log2(n + 2);
    return M * (n * lg * lg / 4 + 3 * P + 3 * S) + 8 * n;
}

/* Margins: 1e-11 of each party's utility scale. */
static void set_margins(mctx *x) {
    const pl_space *sp = x->sp;
    for (size_t p = 0; p < x->D; p++) {
        double scale = 1 + fabs(x->rv[p]);
        for (size_t i = 0; i < x->ni; i++) {
            const deals_issue *is = &sp->issues[i];
            double mx = 0;
            for (size_t o = 0; o < is->n_options; o++) {
                double t = fabs(sp->tab[(is->offset + o) * x->D + p]);
                if (t > mx) mx = t;
            }
            scale += mx;
        }
        x->m[p] = 1e-11 * scale;
    }
}

/* The cheapest split (h, g) that fits, its middle combinations and the
** suffix strides. */
static pl_status choose_split(mctx *x) {
    const pl_space *sp = x->sp;
    size_t ni = x->ni;
    double *pre = pl__malloc((ni + 1) * sizeof *pre);
    if (!pre) return PL_ENOMEM;
    pre[0] = 1;
    for (size_t i = 0; i < ni; i++) pre[i + 1] = pre[i] * (double)sp->issues[i].n_options;
    double best = INFINITY;
    for (size_t h = 0; h <= ni; h++)
        for (size_t g = h; g <= ni; g++) {
            double P = pre[h], S = pre[ni] / pre[g], M = pre[g] / pre[h];
            if (P >= 4294967295.0 || S >= 4294967295.0 || g - h > 64) continue;
            if (mem_of(x->D, P, S, (double)x->n_workers) > (double)DEALS_MITM_MEMORY) continue;
            double c = cost_of(x->D, P, M, S);
            if (c < best) {
                best = c;
                x->h = h;
                x->g = g;
            }
        }
    pl__free(pre);
    if (best == INFINITY) return PL_ERANGE;
    x->M = 1;
    for (size_t i = x->h; i < x->g; i++) x->M *= sp->issues[i].n_options;
    x->stride = pl__malloc((ni + 1) * sizeof *x->stride);
    if (!x->stride) return PL_ENOMEM;
    uint64_t st = 1;
    for (size_t i = ni; i-- > 0;) {
        x->stride[i] = st;
        if (i >= x->g) st *= sp->issues[i].n_options;
    }
    return PL_OK;
}

/* Both halves: side by side on the pool when both builds fit in memory at
** once, else one after the other. */
static pl_status build_halves(mctx *x) {
    double P = 1, S = 1;
    for (size_t i = 0; i < x->h; i++) P *= (double)x->sp->issues[i].n_options;
    for (size_t i = x->g; i < x->ni; i++) S *= (double)x->sp->issues[i].n_options;
    double per = 8.0 * (double)x->D + 24;
    if ((P + S) * per <= (double)DEALS_MITM_MEMORY) pool_for(x->pl, 2, build_part, x);
    else build_part(x, 0, 0, 2);
    if (x->build_fail) return PL_ENOMEM;
    return progress_stopped(x->prog) ? PL_EINTERRUPTED : PL_OK;
}

/* Two parties: the tasks (middle combination x slice of A) on the pool. */
static pl_status count2(mctx *x, uint64_t *total) {
    size_t want = 2 * x->n_workers;
    x->K = x->M >= want ? 1 : (size_t)((want + x->M - 1) / x->M);
    if (x->K > x->A.n) x->K = x->A.n;
    if (x->K == 0) x->K = 1;
    size_t n_tasks = (size_t)x->M * x->K;
    x->per_task = (double)x->A.n * (double)x->M * (double)x->C.n / (double)n_tasks;
    x->task_count = pl__calloc(n_tasks, sizeof *x->task_count);
    x->task_fail = pl__calloc(n_tasks, sizeof *x->task_fail);
    if (!x->task_count || !x->task_fail) return PL_ENOMEM;
    pool_for_chunks(x->pl, n_tasks, 1, part2, x);
    for (size_t t = 0; t < n_tasks; t++) {
        if (x->task_fail[t]) return x->task_fail[t] == 2 ? PL_EINTERRUPTED : PL_ENOMEM;
        *total += x->task_count[t];
    }
    return PL_OK;
}

/* Three parties: the middle combinations one after the other, each a
** dominance count on the pool. */
static pl_status count3(mctx *x, uint64_t *total) {
    size_t P = x->A.n, S = x->C.n;
    pl_status rc = PL_OK;
    elem *e = pl__malloc((P + S) * sizeof *e + 1);
    elem *tmp = pl__malloc((P + S) * sizeof *tmp + 1);
    x->fen = pl__calloc(x->n_workers, sizeof *x->fen);
    for (size_t d = 1; d < 3; d++) x->L[d] = pl__malloc(P * sizeof *x->L[d] + 1);
    int ok = e && tmp && x->fen && x->L[1] && x->L[2];
    for (size_t w = 0; ok && w < x->n_workers; w++)
        ok = (x->fen[w] = pl__calloc(S + 1, sizeof *x->fen[w])) != NULL;
    if (!ok) rc = PL_ENOMEM;
    double per = (double)P * (double)S;
    for (uint64_t j = 0; rc == PL_OK && j < x->M; j++) {
        uint64_t c = 0;
        if (!middle3(x, j, e, tmp, &c))
            rc = progress_stopped(x->prog) ? PL_EINTERRUPTED : PL_ENOMEM;
        *total += c;
        if (progress_tick(x->prog, (double)(j + 1) * per)) rc = PL_EINTERRUPTED;
    }
    for (size_t w = 0; x->fen && w < x->n_workers; w++) pl__free(x->fen[w]);
    pl__free(x->fen);
    pl__free(e);
    pl__free(tmp);
    return rc;
}

pl_status deals_count_mitm(const pl_space *sp, const double *rv, pool *pl, progress *prog,
                           uint64_t *count) {
    size_t D = sp->n_parties;
    if (!deals_mitm_parties_ok(D)) return PL_EINVAL;
    mctx x;
    memset(&x, 0, sizeof x);
    x.sp = sp;
    x.D = D;
    x.ni = sp->n_issues;
    x.rv = rv;
    x.pl = pl;
    x.prog = prog;
    x.n_workers = pool_size(pl);
    atomic_init(&x.n_done, 0);
    atomic_init(&x.build_fail, 0);
    set_margins(&x);
    pl_status rc = choose_split(&x);
    if (rc == PL_OK) rc = build_halves(&x);
    uint64_t total = 0;
    if (rc == PL_OK) rc = D == 2 ? count2(&x, &total) : count3(&x, &total);
    if (rc == PL_OK && progress_stopped(prog)) rc = PL_EINTERRUPTED;
    half_free(&x.A);
    half_free(&x.C);
    pl__free(x.stride);
    pl__free(x.task_count);
    pl__free(x.task_fail);
    for (size_t d = 0; d < MAXD; d++) pl__free(x.L[d]);
    if (rc == PL_OK) *count = total;
    return rc;
}
