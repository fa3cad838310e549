/*
** model_candidate.c: the candidate-choice model on one issue, and its fit.
**
** The outcome of a DEU issue is one of a few candidates: an actor's
** position (two issues in three), the status quo, or the compromise.  A
** multinomial logit scores each candidate from 15 features (weight and
** count of the actors there, an end of the range, the status quo, the
** Commission's or the Parliament's position, the distance to the
** compromise, ...); the forecast is the median of the candidate
** distribution.  The coefficients are fitted by penalised maximum
** likelihood (Newton's method: the objective is convex).  Recipe and
** figures: docs/models/candidate.md (from
** ../shared/data/deu3/candidate/recipe.md, section 6.2).
*/
#include "models/model_candidate.h"

#include <math.h>
#include <string.h>

static const char *const feature_names[CAND_K] = {
    "wshare", "cshare", "is_min",   "is_max",    "is_rp",   "is_com", "is_ep",  "is_comp",
    "dist",   "dist2",  "comp_cod", "comp_unan", "rp_unan", "ep_cod", "comp_sd"};

const char *pl_candidate_feature_name(size_t k) { return k < CAND_K ? feature_names[k] : NULL; }

enum {
    F_WSHARE,
    F_CSHARE,
    F_MIN,
    F_MAX,
    F_RP,
    F_COM,
    F_EP,
    F_COMP,
    F_DIST,
    F_DIST2,
    F_COMP_COD,
    F_COMP_UNAN,
    F_RP_UNAN,
    F_EP_COD,
    F_COMP_SD
};

/* The distinct values of the positions and the status quo into v,
** ascending (insertion: n is small); their count. */
static size_t distinct_values(const pl_issue_input *in, double *v) {
    size_t n = in->n, m = 0;
    for (size_t i = 0; i <= n; i++) {
        double p;
        if (i < n) p = in->position[i];
        else if (in->has_status_quo) p = in->status_quo;
        else break;
        size_t j = m;
        while (j > 0 && v[j - 1] > p) j--;
        if (j > 0 && v[j - 1] == p) continue;
        memmove(v + j + 1, v + j, (m - j) * sizeof(double));
        v[j] = p;
        m++;
    }
    return m;
}

pl_status cand_prepare(const pl_issue_input *in, const double *w, cand_issue *it) {
    size_t n = in->n;
    double c;
    pl_status rc = pl_weighted_mean(in->position, w, n, &c);
    if (rc != PL_OK) return rc;
    double total = 0, lo = in->position[0], hi = in->position[0];
    for (size_t i = 0; i < n; i++) {
        total += w[i];
        if (in->position[i] < lo) lo = in->position[i];
        if (in->position[i] > hi) hi = in->position[i];
    }
    if (!isfinite(total)) total = 0; /* as pl_weighted_mean: equal weights */
    double sd = 0;
    if (total > 0) {
        for (size_t i = 0; i < n; i++) sd += w[i] * (in->position[i] - c) * (in->position[i] - c);
        sd = sqrt(sd / total);
    }
    double wdiv = total > 0 ? total : 1, range = in->max - in->min;
    int unan = in->rule == PL_RULE_UNANIMITY || in->rule == PL_RULE_CONSENSUS;
    int cod = in->codecision != 0;
    int has_com = in->proposer > 0 && in->proposer <= n;
    int has_ep = in->parliament > 0 && in->parliament <= n;
    double x_com = has_com ? in->position[in->proposer - 1] : 0;
    double x_ep = has_ep ? in->position[in->parliament - 1] : 0;

    double *v = it->value;
    size_t m = distinct_values(in, v);
    /* the compromise after every value at or below it */
    size_t at = 0;
    while (at < m && v[at] <= c) at++;
    memmove(v + at + 1, v + at, (m - at) * sizeof(double));
    v[at] = c;
    it->n = m + 1;

    for (size_t k = 0; k < it->n; k++) {
        double *f = it->feature + k * CAND_K;
        for (size_t j = 0; j < CAND_K; j++) f[j] = 0;
        if (k == at) {
            f[F_COMP] = 1;
            f[F_COMP_COD] = cod;
            f[F_COMP_UNAN] = unan;
            f[F_COMP_SD] = sd / (range / 2);
            continue;
        }
        double p = v[k], wsum = 0;
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if (in->position[i] == p) {
                wsum += w[i];
                count++;
            }
        int is_rp = in->has_status_quo && p == in->status_quo;
        int is_ep = has_ep && p == x_ep;
        f[F_WSHARE] = (total > 0 ? wsum : 0) / wdiv;
        f[F_CSHARE] = (double)count / (double)n;
        f[F_MIN] = p == lo;
        f[F_MAX] = p == hi;
        f[F_RP] = is_rp;
        f[F_COM] = has_com && p == x_com;
        f[F_EP] = is_ep;
        f[F_DIST] = fabs(p - c) / range;
        f[F_DIST2] = f[F_DIST] * f[F_DIST];
        f[F_RP_UNAN] = is_rp && unan;
        f[F_EP_COD] = is_ep && cod;
    }
    return PL_OK;
}

static double score(const cand_issue *it, size_t k, const double *beta) {
    const double *f = it->feature + k * CAND_K;
    double s = 0;
    for (size_t j = 0; j < CAND_K; j++) s += f[j] * beta[j];
    return s;
}

/* The largest score and the softmax's denominator exp(u - top) summed. */
static double softmax_top(const cand_issue *it, const double *beta, double *z) {
    double top = -INFINITY, sum = 0;
    for (size_t k = 0; k < it->n; k++) {
        double s = score(it, k, beta);
        if (s > top) top = s;
    }
    for (size_t k = 0; k < it->n; k++) sum += exp(score(it, k, beta) - top);
    *z = sum;
    return top;
}

double cand_apply(const cand_issue *it, const double *beta) {
    double z, top = softmax_top(it, beta, &z), cum = 0;
    for (size_t k = 0; k < it->n; k++) {
        cum += exp(score(it, k, beta) - top) / z;
        if (cum >= 0.5 - 1e-12) return it->value[k];
    }
    return it->value[it->n - 1];
}

/* ------------------------------------------------------------------------
** Fitting
*/

/* The target: 1/k on the k candidates nearest the outcome (ties within
** 1e-9).  Returns k; *dmin the nearest distance. */
static size_t nearest(const cand_issue *it, double outcome, double *dmin) {
    double best = INFINITY;
    size_t count = 0;
    for (size_t k = 0; k < it->n; k++) {
        double d = fabs(it->value[k] - outcome);
        if (d < best) best = d;
    }
    for (size_t k = 0; k < it->n; k++) count += fabs(it->value[k] - outcome) <= best + 1e-9;
    *dmin = best;
    return count;
}

/* One row's negative log-likelihood; with g and h not NULL, adds its
** gradient and Hessian. */
static double row_terms(const cand_issue *it, double outcome, const double *beta, double *g,
                        double *h) {
    double dmin, z, top = softmax_top(it, beta, &z), logz = log(z), nll = 0;
    size_t n_near = nearest(it, outcome, &dmin);
    double fp[CAND_K] = {0};
    for (size_t k = 0; k < it->n; k++) {
        double u = score(it, k, beta) - top;
        double y = fabs(it->value[k] - outcome) <= dmin + 1e-9 ? 1.0 / (double)n_near : 0;
        if (y > 0) nll -= y * (u - logz);
        if (!g) continue;
        double p = exp(u) / z;
        const double *f = it->feature + k * CAND_K;
        for (size_t a = 0; a < CAND_K; a++) {
            if (f[a] == 0) continue;
            g[a] -= f[a] * (y - p);
            fp[a] += f[a] * p;
            for (size_t b = 0; b < CAND_K; b++) h[a * CAND_K + b] += p * f[a] * f[b];
        }
    }
    if (h)
        for (size_t a = 0; a < CAND_K; a++)
            for (size_t b = 0; b < CAND_K; b++) h[a * CAND_K + b] -= fp[a] * fp[b];
    return nll;
}

static double objective(const cand_issue *items, const double *outcome, const size_t *rows,
                        size_t n_rows, double lambda, const double *beta, double *g, double *h) {
    double total = 0, norm = 0;
    if (g) {
        memset(g, 0, CAND_K * sizeof(double));
        memset(h, 0, CAND_K * CAND_K * sizeof(double));
    }
    for (size_t r = 0; r < n_rows; r++)
        total += row_terms(&items[rows[r]], outcome[rows[r]], beta, g, h);
    for (size_t a = 0; a < CAND_K; a++) {
        norm += beta[a] * beta[a];
        if (!g) continue;
        g[a] += 2 * lambda * beta[a];
        h[a * CAND_K + a] += 2 * lambda;
    }
    return total + lambda * norm;
}

/* Solve h x = g for symmetric positive definite h (Cholesky, in place). */
static int solve(double *h, const double *g, double *x) {
    for (size_t j = 0; j < CAND_K; j++) {
        double d = h[j * CAND_K + j];
        for (size_t k = 0; k < j; k++) d -= h[j * CAND_K + k] * h[j * CAND_K + k];
        if (!(d > 0)) return 0;
        d = sqrt(d);
        h[j * CAND_K + j] = d;
        for (size_t i = j + 1; i < CAND_K; i++) {
            double s = h[i * CAND_K + j];
            for (size_t k = 0; k < j; k++) s -= h[i * CAND_K + k] * h[j * CAND_K + k];
            h[i * CAND_K + j] = s / d;
        }
    }
    for (size_t i = 0; i < CAND_K; i++) {
        double s = g[i];
        for (size_t k = 0; k < i; k++) s -= h[i * CAND_K + k] * x[k];
        x[i] = s / h[i * CAND_K + i];
    }
    for (size_t i = CAND_K; i-- > 0;) {
        double s = x[i];
        for (size_t k = i + 1; k < CAND_K; k++) s -= h[k * CAND_K + i] * x[k];
        x[i] = s / h[i * CAND_K + i];
    }
    return 1;
}

int cand_fit(const cand_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
             double lambda, double *beta) {
    double g[CAND_K], h[CAND_K * CAND_K], step[CAND_K], trial[CAND_K];
    for (size_t a = 0; a < CAND_K; a++) beta[a] = 0;
    int iter = 0;
    while (iter < 100) {
        iter++;
        double obj = objective(items, outcome, rows, n_rows, lambda, beta, g, h);
        if (!solve(h, g, step)) break; /* lambda > 0 keeps h definite */
        /* a full Newton step, halved while it does not lower the objective */
        double t = 1, moved = 0;
        for (int half = 0; half < 40; half++, t /= 2) {
            for (size_t a = 0; a < CAND_K; a++) trial[a] = beta[a] - t * step[a];
            if (objective(items, outcome, rows, n_rows, lambda, trial, NULL, NULL) <=
                obj + 1e-12 * fabs(obj))
                break;
        }
        for (size_t a = 0; a < CAND_K; a++) {
            moved = fmax(moved, fabs(trial[a] - beta[a]));
            beta[a] = trial[a];
        }
        if (moved < 1e-10) break;
    }
    return iter;
}
