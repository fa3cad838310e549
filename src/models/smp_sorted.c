/*
** smp_sorted.c: the big elections of the spatial model on one dimension,
** from the voters sorted by ideal point (smp_sorted.h says what and why).
**
** Options lo and hi with x_lo < x_hi, D = x_hi - x_lo, s = x_lo + x_hi.  A
** voter's utility of an option at distance d is u = 1 + d (R - 1) - R d^2,
** so u_a - u_b = (d_a - d_b) ((R - 1) - R (d_a + d_b)).  By where the voter's
** ideal y lies:
**   y <= x_lo            prefers lo: d_lo - d_hi = -D,     d_lo + d_hi = s - 2y
**   x_lo < y < s/2       prefers lo: d_lo - d_hi = 2y - s, d_lo + d_hi = D
**   s/2 < y < x_hi       prefers hi: d_hi - d_lo = s - 2y, d_lo + d_hi = D
**   y >= x_hi            prefers hi: d_hi - d_lo = -D,     d_lo + d_hi = 2y - s
** and each sum of w (u_a - u_b) over a run of voters is a combination of
** the run's sums of w(R-1), wR, w(R-1)y and wRy, read off prefix sums.
** (u decreases with d on [0, 1] for R in [-1, 1], which every risk
** attitude of the model is, so "prefers" is "is nearer".)
*/
#include "models/smp_sorted.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define MIN_COALITION 1E-8 /* Model::coalitions' minC */

typedef struct smp_voter_key {
    double y;
    size_t k;
} voter_key;

int smp_sorted_alloc(smp_sorted *S, size_t n) {
    memset(S, 0, sizeof *S);
    S->n = n;
    S->ord = pl__malloc(n * sizeof *S->ord);
    S->y = pl__malloc(n * sizeof *S->y);
    S->pre = pl__malloc(4 * (n + 1) * sizeof *S->pre);
    S->le = pl__malloc(n * sizeof *S->le);
    S->lt = pl__malloc(n * sizeof *S->lt);
    S->keys = pl__malloc(n * sizeof *S->keys);
    S->xo = pl__malloc(n * sizeof *S->xo);
    if (!S->ord || !S->y || !S->pre || !S->le || !S->lt || !S->keys || !S->xo) {
        smp_sorted_free(S);
        return 0;
    }
    return 1;
}

void smp_sorted_free(smp_sorted *S) {
    pl__free(S->ord);
    pl__free(S->y);
    pl__free(S->pre);
    pl__free(S->le);
    pl__free(S->lt);
    pl__free(S->keys);
    pl__free(S->xo);
    memset(S, 0, sizeof *S);
}

int smp_sorted_applies(const double *x, const double *y, const double *sal, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (!(x[k] >= 0 && x[k] <= 1 && y[k] >= 0 && y[k] <= 1 && sal[k] > 0)) return 0;
    return 1;
}

static int by_ideal(const void *pa, const void *pb) {
    const voter_key *a = pa, *b = pb;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

void smp_sorted_voters(smp_sorted *S, const double *y) {
    voter_key *keys = S->keys;
    for (size_t k = 0; k < S->n; k++) keys[k] = (voter_key){y[k], k};
    qsort(keys, S->n, sizeof *keys, by_ideal);
    for (size_t r = 0; r < S->n; r++) {
        S->ord[r] = keys[r].k;
        S->y[r] = keys[r].y;
    }
}

void smp_sorted_weights(smp_sorted *S, const double *w, const double *R, size_t r_stride) {
    size_t n = S->n;
    double *a1 = S->pre, *a2 = a1 + n + 1, *b1 = a2 + n + 1, *b2 = b1 + n + 1;
    a1[0] = a2[0] = b1[0] = b2[0] = 0;
    for (size_t r = 0; r < n; r++) {
        size_t k = S->ord[r];
        double rk = R ? R[k * r_stride] : 0.0, y = S->y[r];
        double wm = w[k] * (rk - 1), wr = w[k] * rk;
        a1[r + 1] = a1[r] + wm;
        a2[r + 1] = a2[r] + wr;
        b1[r + 1] = b1[r] + wm * y;
        b2[r + 1] = b2[r] + wr * y;
    }
}

/* The number of sorted ideals in [from, to) below v (strictly, or at most v
** when `or_equal`), plus from. */
static size_t count_below(const double *y, size_t from, size_t to, double v, int or_equal) {
    while (from < to) {
        size_t mid = from + (to - from) / 2;
        if (y[mid] < v || (or_equal && y[mid] == v)) from = mid + 1;
        else to = mid;
    }
    return from;
}

void smp_sorted_options(smp_sorted *S, const double *x, size_t m) {
    for (size_t o = 0; o < m; o++) {
        S->le[o] = count_below(S->y, 0, S->n, x[o], 1);
        S->lt[o] = count_below(S->y, 0, S->n, x[o], 0);
    }
}

/* The sums of a run [a, b) of sorted voters. */
typedef struct run_sums {
    double a1, a2, b1, b2;
} run_sums;

static run_sums sums(const smp_sorted *S, size_t a, size_t b) {
    const double *p = S->pre;
    size_t n1 = S->n + 1;
    return (run_sums){p[b] - p[a], p[n1 + b] - p[n1 + a], p[2 * n1 + b] - p[2 * n1 + a],
                      p[3 * n1 + b] - p[3 * n1 + a]};
}

/* c(lo,hi) and c(hi,lo) for x[lo] < x[hi]. */
static void pair(const smp_sorted *S, const double *x, size_t lo, size_t hi, double *c_lo,
                 double *c_hi) {
    double D = x[hi] - x[lo], s = x[lo] + x[hi];
    size_t iL = S->le[lo], iR = S->lt[hi]; /* iL <= iR as x[lo] < x[hi] */
    size_t iM = count_below(S->y, iL, iR, s * 0.5, 0);
    run_sums L = sums(S, 0, iL), ML = sums(S, iL, iM), MR = sums(S, iM, iR), R = sums(S, iR, S->n);
    double for_lo = -D * (L.a1 - s * L.a2 + 2 * L.b2) +
                    (2 * ML.b1 - s * ML.a1 - D * (2 * ML.b2 - s * ML.a2));
    double for_hi = (s * MR.a1 - 2 * MR.b1 - D * (s * MR.a2 - 2 * MR.b2)) -
                    D * (R.a1 - 2 * R.b2 + s * R.a2);
    *c_lo = MIN_COALITION + (for_lo > 0 ? for_lo : 0.0);
    *c_hi = MIN_COALITION + (for_hi > 0 ? for_hi : 0.0);
}

void smp_sorted_row(const smp_sorted *S, const double *x, size_t m, size_t i, double *c) {
    c[i * m + i] = MIN_COALITION;
    for (size_t j = 0; j < i; j++) {
        double *cij = c + i * m + j, *cji = c + j * m + i;
        if (x[i] < x[j]) pair(S, x, i, j, cij, cji);
        else if (x[j] < x[i]) pair(S, x, j, i, cji, cij);
        else *cij = *cji = MIN_COALITION; /* one position: no voter prefers either */
    }
}
