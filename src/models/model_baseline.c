/*
** model_baseline.c: the baseline forecasting models on one issue -- the
** compromise model (weighted mean), the weighted median and the Nash
** bargaining solution.  Definitions and sources: docs/models/baseline.md.
*/
#include "core/alloc.h"
#include "parley.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Arguments shared by every model: finite positions, finite weights >= 0. */
static int args_ok(const double *x, const double *w, size_t n) {
    if (!x || !w || n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(w[i]) || w[i] < 0) return 0;
    return 1;
}

/* Sum of weights; 0 means "use equal weights" for every model. */
static double total_weight(const double *w, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; i++) total += w[i];
    return isfinite(total) ? total : 0;
}

pl_status pl_weighted_mean(const double *x, const double *w, size_t n, double *out) {
    if (!args_ok(x, w, n) || !out) return PL_EINVAL;
    double total = total_weight(w, n), sum = 0;
    if (total > 0) {
        for (size_t i = 0; i < n; i++) sum += w[i] * x[i];
        sum /= total;
    } else {
        for (size_t i = 0; i < n; i++) sum += x[i];
        sum /= (double)n;
    }
    /* Rounding can leave the mean a hair outside [min x, max x]. */
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    *out = sum < lo ? lo : sum > hi ? hi : sum;
    return PL_OK;
}

typedef struct pw {
    double x, w;
} pw;

static int pw_cmp(const void *a, const void *b) {
    double p = ((const pw *)a)->x, q = ((const pw *)b)->x;
    return (p > q) - (p < q);
}

pl_status pl_weighted_median(const double *x, const double *w, size_t n, double *out) {
    if (!args_ok(x, w, n) || !out) return PL_EINVAL;
    pw small[64];
    pw *items = n <= 64 ? small : pl__malloc(n * sizeof(pw));
    if (!items) return PL_ENOMEM;
    double total = total_weight(w, n);
    for (size_t i = 0; i < n; i++) {
        items[i].x = x[i];
        items[i].w = total > 0 ? w[i] : 1.0;
    }
    if (!(total > 0)) total = (double)n;
    if (n <= 32) { /* insertion sort: stable, like glibc's qsort (a merge sort) */
        for (size_t i = 1; i < n; i++) {
            pw it = items[i];
            size_t j = i;
            for (; j > 0 && items[j - 1].x > it.x; j--) items[j] = items[j - 1];
            items[j] = it;
        }
    } else {
        qsort(items, n, sizeof(pw), pw_cmp);
    }
    double cum = 0, median = items[n - 1].x;
    for (size_t i = 0; i < n; i++) {
        cum += items[i].w;
        /* all weight at one position counts there together */
        if (i + 1 < n && items[i + 1].x == items[i].x) continue;
        if (2 * cum >= total) {
            median = items[i].x;
            break;
        }
    }
    if (items != small) pl__free(items);
    *out = median;
    return PL_OK;
}

/* d/dx of sum w_i log(D_i - (x - x_i)^2), strictly decreasing in x. */
static double nash_slope(const double *x, const double *w, const double *gain, size_t n,
                         double at) {
    double slope = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] <= 0) continue;
        double t = at - x[i];
        slope += w[i] * (-2 * t) / (gain[i] - t * t);
    }
    return slope;
}

/* 1 if every weighted actor strictly prefers `at` to disagreement. */
static int all_gain(const double *x, const double *w, const double *gain, size_t n, double at) {
    for (size_t i = 0; i < n; i++) {
        double t = at - x[i];
        if (w[i] > 0 && !(gain[i] - t * t > 0)) return 0;
    }
    return 1;
}

/* The feasible interval [*A, *B] within [LO, HI]: points every weighted
** actor prefers to the status quo SQ (or, with none, the whole scale).
** GAIN[i] = D_i, the squared distance to disagreement.  Returns nonzero
** when the status quo blocks (some actor sits on it, or nothing is
** feasible). */
static int nash_interval(const double *x, const double *wt, double *gain, size_t n, double lo,
                         double hi, const double *status_quo, double *a_out, double *b_out) {
    double a = lo, b = hi;
    int blocked = 0;
    if (status_quo) {
        double sq = *status_quo;
        for (size_t i = 0; i < n; i++) {
            double d = x[i] - sq;
            gain[i] = d * d;
            if (wt[i] <= 0) continue;
            if (d == 0) blocked = 1;
            else if (d > 0) {
                if (sq > a) a = sq;
                if (2 * x[i] - sq < b) b = 2 * x[i] - sq;
            } else {
                if (sq < b) b = sq;
                if (2 * x[i] - sq > a) a = 2 * x[i] - sq;
            }
        }
        if (blocked || !(a < b)) blocked = 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            double d = fmax(x[i] - lo, hi - x[i]);
            gain[i] = d * d;
        }
    }
    *a_out = a;
    *b_out = b;
    return blocked;
}

/* The root of the Nash product's slope inside the bracket [LEFT, RIGHT]
** (positive left of it, negative right), on a scale [LO, HI]. */
static double nash_root(const double *x, const double *wt, const double *gain, size_t n,
                        double left, double right, double lo, double hi) {
    /* Newton's method on the slope, kept inside the bracket [left, right]
    ** (bisection whenever a step would leave it): the slope is smooth and
    ** strictly decreasing there, so this converges in a few steps where
    ** bisection takes some fifty. */
    /* start at the weighted mean (the optimum when every gain is large),
    ** or the middle when that lies outside the bracket */
    double p = 0;
    for (size_t i = 0; i < n; i++) p += wt[i] * x[i];
    if (!(p > left && p < right)) p = left + (right - left) / 2;
    /* the slopes at the bracket's ends once they are known (the first
    ** ends may be poles) */
    double s_left = 0, s_right = 0;
    int known_left = 0, known_right = 0;
    for (int iter = 0; iter < 200; iter++) {
        double slope = 0, curve = 0, next;
        for (size_t i = 0; i < n; i++) {
            if (wt[i] <= 0) continue;
            double t = p - x[i], inv = 1 / (gain[i] - t * t);
            slope += wt[i] * (-2 * t) * inv;
            curve -= wt[i] * 2 * ((gain[i] - t * t) + 2 * t * t) * (inv * inv);
        }
        if (slope > 0) {
            left = p;
            s_left = slope;
            known_left = 1;
        } else if (slope < 0) {
            right = p;
            s_right = slope;
            known_right = 1;
        } else {
            break;
        }
        /* rounding noise in the slope near the root can make its sign
        ** disagree with the bracket: p is then as good as the slope tells */
        if (!(left < right)) break;
        next = curve < 0 ? p - slope / curve : left + (right - left) / 2;
        /* a step out of the bracket (the root is next to one of its ends,
        ** or a pole is near): the secant between the ends when both slopes
        ** are known, else the middle */
        if (!(next > left && next < right) && known_left && known_right) {
            next = left + (right - left) * (s_left / (s_left - s_right));
            /* the secant lands on an end: that end is the root to within
            ** rounding */
            if (next >= right) {
                p = right;
                break;
            }
            if (next <= left) {
                p = left;
                break;
            }
        }
        if (!(next > left && next < right)) next = left + (right - left) / 2;
        if (next <= left || next >= right) break; /* the bracket is two doubles */
        /* converging quadratically: a step this small leaves p within
        ** rounding of the root (smaller steps are noise in the slope) */
        if (fabs(next - p) <= 1e-12 * (hi - lo)) {
            p = next;
            break;
        }
        p = next;
    }
    return p;
}

pl_status pl_nash_bargaining(const double *x, const double *w, size_t n, double lo, double hi,
                             const double *status_quo, double *out, int *blocked) {
    if (!args_ok(x, w, n) || !out || !isfinite(lo) || !isfinite(hi) || !(lo < hi)) return PL_EINVAL;
    if (status_quo && (!isfinite(*status_quo) || *status_quo < lo || *status_quo > hi))
        return PL_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (x[i] < lo || x[i] > hi) return PL_EINVAL;
    int dummy;
    if (!blocked) blocked = &dummy;
    *blocked = 0;

    double eq_small[64], gain_small[64];
    double *wt = n <= 64 ? eq_small : pl__malloc(n * sizeof(double));
    double *gain = n <= 64 ? gain_small : pl__malloc(n * sizeof(double));
    if (!wt || !gain) {
        if (wt != eq_small) pl__free(wt);
        if (gain != gain_small) pl__free(gain);
        return PL_ENOMEM;
    }
    double total = total_weight(w, n);
    for (size_t i = 0; i < n; i++) wt[i] = total > 0 ? w[i] / total : 1.0 / (double)n;

    double a, b;
    if (nash_interval(x, wt, gain, n, lo, hi, status_quo, &a, &b)) {
        *blocked = 1;
        *out = *status_quo;
        goto done;
    }
    /* Bisection on the slope: positive left of the optimum, negative right.
    ** An end where every actor still gains (a scale end, not an end of some
    ** actor's acceptable set) may itself be the optimum. */
    double left = a, right = b;
    if (all_gain(x, wt, gain, n, right) && nash_slope(x, wt, gain, n, right) >= 0) {
        *out = right;
        goto done;
    }
    if (all_gain(x, wt, gain, n, left) && nash_slope(x, wt, gain, n, left) <= 0) {
        *out = left;
        goto done;
    }
    *out = nash_root(x, wt, gain, n, left, right, lo, hi);
done:
    if (wt != eq_small) pl__free(wt);
    if (gain != gain_small) pl__free(gain);
    return PL_OK;
}
