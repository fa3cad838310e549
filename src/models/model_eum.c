/*
** model_eum.c: the expected utility model of Bueno de Mesquita as unravelled
** by Scholz, Calbert & Smith (2011), with every disputed reading an option.
**
** One round (docs/models/eum.md has the equations):
**   1. with every r = 1, evaluate the votes, the probabilities P and the
**      others' expected gains from challenging each actor (S_i);
**   2. turn S into risk exponents r;
**   3. with those r, evaluate the votes again (if they use d^r) and every
**      actor's view of every other: conflict, compromise, capitulation;
**   4. every actor takes its best offer; all move at once.
**
** Cost per round is O(n^2 log n) time and O(n^2) memory for n actors (the
** across-positions risk option is O(n^3)).  The terms shared by many pairs
** are computed once per round: the probability numerators come from prefix
** sums of every voter's (transformed) distance to every distinct position
** over the voters in position order, since the actors who prefer x_a to x_b
** are exactly those on x_a's side of the midpoint.
**
** Small runs (the Monte Carlo case: many runs of 5-30 actors and at most 10
** rounds) are dominated by pow and by fixed costs, so: a run makes two
** allocations (the result, with room for every round when that is small,
** and one work area; recorded offers add their own); the positions are re-sorted by insertion from the
** previous round's order; everything that depends only on a pair of distinct
** positions (distances, the r = 1 utilities of S, an actor's utilities
** against each position) is computed once per pair of positions, not per
** pair of actors; pow is not called where its value is exact without it
** (r = 1, base 0 or 1); U_sq is recomputed only when r changes; and the
** forecasts are read off the sorted positions.  Each value is still the
** same expression on the same operands, summed in the same order, as when
** every term is computed directly, so none of this changes a bit of any
** result.
**
** Threads: each parallel phase splits rows among the workers of the run's
** pool (core/pool.h); every value is computed by one thread in a fixed
** order and every sum across rows is made by the calling thread, so
** results do not depend on the thread count.
** Memory is allocated only by the calling thread (alloc.h is not
** thread-safe by design).
**
** Sections: utilities; work area; positions in order; votes and P; risk
** exponents; offers; one round; results; the run.
*/
#define _POSIX_C_SOURCE 200809L

#include "models/model_eum.h"

#include "core/alloc.h"
#include "models/eum_lanes.h"
#include "models/eum_options.h"
#include "core/pool.h"
#include "core/progress.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Below this many actors a round is too short to pay for starting threads
** (measured: bench/bench_eum.c). */
#define EUM_AUTO_MIN_ACTORS 128
#define EUM_NO_OFFER SIZE_MAX
/* Up to this many actors the positions are sorted by insertion, starting
** from the previous round's order (few actors move, so this is about n
** steps); above it, by qsort.  Both give the one (position, index) order. */
#define EUM_INSERTION_SORT_MAX 64
/* A result gets room for all max_rounds rounds at once when that is at most
** this many positions; otherwise its rows grow by doubling. */
#define EUM_UPFRONT_POSITIONS 4096
/* Distinct positions whose utilities an actor computes at a time (stack
** buffers in task_offers). */
#define EUM_OFFER_BLOCK 64

/* ------------------------------------------------------------------------
** Utilities (eqs 15, 16, 18, 19, 24, 32, 33)
*/

/* b^r for b in [0, 1]; r == 1 skips pow (pow(b, 1) == b exactly). */
static double powr(double b, double r) {
    if (b < 0) b = 0;
    return r == 1.0 ? b : pow(b, r);
}

static double clamp01(double d) { return d < 0 ? 0 : d > 1 ? 1 : d; }

double eum_u_success(double d, double r) { return 2 - 4 * powr(0.5 - 0.5 * clamp01(d), r); }

double eum_u_failure(double d, double r) { return 2 - 4 * powr(0.5 + 0.5 * clamp01(d), r); }

double eum_u_better(double d_mu, double d, double r) {
    return 2 - 4 * powr(0.5 - 0.25 * (clamp01(d_mu) + clamp01(d)), r);
}

double eum_u_worse(double d_mu, double d, double r) {
    return 2 - 4 * powr(0.5 + 0.25 * (clamp01(d_mu) + clamp01(d)), r);
}

double eum_u_status_quo(double r) { return 2 - 4 * powr(0.5, r); }

double eum_risk_exponent(double s, double s_max, double s_min) {
    double big_r;
    if (!(s_max > s_min)) return 1.0;
    /* the extremes exactly, so that actors tied there get equal r */
    if (s >= s_max) return 0.5;
    if (s <= s_min) return 2.0;
    big_r = (2 * s - s_max - s_min) / (s_max - s_min);
    if (big_r < -1) big_r = -1;
    if (big_r > 1) big_r = 1;
    return (1 - big_r / 3.0) / (1 + big_r / 3.0);
}

/* E (eq. 25a) from its parts: the target resists with probability s_target
** and then the challenger prevails with probability p; qt is T U_b + (1-T)
** U_w, used only when q < 1. */
static double eu_parts(double s_target, double p, double us, double uf, double usq, double q,
                       double qt) {
    double e = s_target * (p * us + (1 - p) * uf) + (1 - s_target) * us - q * usq;
    if (q < 1) e -= (1 - q) * qt;
    return e;
}

/* powr for the bases this file passes (b in [0, 1], never -0) and r > 0
** (1 or a risk exponent in [0.5, 2]): the same value, without calling pow
** where it is exact (pow(0, r) = 0 and pow(1, r) = 1 for r > 0). */
static double powx(double b, double r) {
    if (r == 1.0) return b;
    if (b == 0.0) return 0.0;
    if (b == 1.0) return 1.0;
    return pow(b, r);
}

/* eum_u_success, eum_u_failure, eum_u_better and eum_u_worse with powx. */
static double u_s(double d, double r) { return 2 - 4 * powx(0.5 - 0.5 * clamp01(d), r); }

static double u_f(double d, double r) { return 2 - 4 * powx(0.5 + 0.5 * clamp01(d), r); }

/* T U_b + (1 - T) U_w (eq. 25a) for the actor at xa (d_mu_a from mu)
** against the one at xb, distance d: T = 1 when |xa - mu| < |xa - xb|. */
static double u_qt(double xa, double xb, double mu, double d_mu_a, double d, double r) {
    if (fabs(xa - mu) < fabs(xa - xb))
        return 2 - 4 * powx(0.5 - 0.25 * (clamp01(d_mu_a) + clamp01(d)), r);
    return 2 - 4 * powx(0.5 + 0.25 * (clamp01(d_mu_a) + clamp01(d)), r);
}

/* ------------------------------------------------------------------------
** Work area
*/
typedef struct eum_ctx eum_ctx;
struct eum_ctx {
    const pl_eum_options *opt;
    pool *pool;     /* the run's threads, NULL for the calling thread only */
    progress *prog; /* opt->progress, polled every EUM_POLL_ITEMS items; or NULL */
    size_t n;
    const double *sal; /* s_i                                   */
    double *w;         /* c_i s_i with c scaled by its maximum  */
    double w_total;    /* their sum, in actor order             */
    double delta;
    int all_pairs;
    int own_r; /* estimate_r == OWN                     */
    int lanes; /* rounds by eum_lanes_round (small n)   */
    double q;

    /* this round */
    const double *x;   /* positions at the start of the round */
    double *r;         /* risk exponents being computed       */
    const double *rho; /* exponents of the votes, NULL: all 1 */
    double mu;         /* weighted median                     */
    double *usq;       /* U_sq(r_k), kept across rounds       */
    double *usq_r;     /* the r_k each usq[k] is for          */

    /* positions in order */
    struct eum_key *keys; /* sort buffer                         */
    size_t *ord;          /* actors sorted by (position, index)  */
    int have_ord;         /* ord holds the previous round's order */
    double *spos, *sw;    /* their positions and weights         */
    size_t m;             /* distinct positions                  */
    double *upos;         /* the distinct positions, ascending   */
    size_t *ucnt;         /* actors at each                      */
    double *uw;           /* their total weight                  */
    double *ucum;         /* cumulative weight (or count) up to u */
    size_t *uidx;         /* actor -> its distinct position      */
    int equal_weights;    /* every weight is 0: count actors     */
    double *dd;           /* m x m: d(upos[u], upos[v])          */
    double *dmu;          /* m: d(upos[u], mu), when q < 1        */

    /* votes */
    const double **frow; /* n: f_q at every distinct position: a row of
                         ** dd when rho_q = 1, else row q + 1 of tab */
    double *tab;         /* (n + 1) x m: tab[t][u] = sum over sorted voters q < t
                  ** of w_q f_q(upos[u]) (f first, then summed in place) */
    double *hk;          /* n: sum over actor pairs of |f_q(a) - f_q(b)|   */
    double *probs;       /* m x m x 2: P both ways, see task_votes          */
    double *votes;       /* m x m x 2: their numerators (positions norm)    */
    double dall;         /* all-pairs denominator                          */

    /* risk exponents */
    double *danger; /* n: S_i                                       */
    double *gu;     /* m x m: G of a voter at u for candidate v     */
    double *hu;     /* m: H of a voter at u                         */
    double *au;     /* m: sum over voters k of w_k G_k(v)           */

    /* offers */
    double *us, *uf; /* n x m with estimate_r OTHER: U_s, U_f of actor
                        ** i against distinct position v, with r_i     */
    double *qt;      /* n x m, the same when also q < 1: T U_b + ... */
    double *newx;
    size_t *choice;          /* n: the sender i accepted, or EUM_NO_OFFER */
    double *ch_eij, *ch_eji; /* n: E_ij and E_ji of that offer        */
    unsigned char *kind;     /* n x n when recording all offers         */
    double *eij, *eji;       /* n x n when recording all offers         */
};

struct eum_key {
    double x;
    size_t i;
};

static double dist(const eum_ctx *cx, double a, double b) {
    return cx->delta > 0 ? fabs(a - b) / cx->delta : 0.0;
}

/* Parallel for: [0, n_items) split into contiguous blocks, one per worker
** of the run's pool (core/pool.h), started once per run.  Every value is
** computed the same way whatever the blocks, so the number of threads
** does not change results. */
typedef void (*eum_task)(eum_ctx *cx, size_t lo, size_t hi);

/* Items of a parallel phase between two polls of the progress callback. */
#define EUM_POLL_ITEMS 16

/* fn over [lo, hi): at once, or (with a progress callback) in slices with a
** poll between them, the rest skipped once it asks to stop.  Items are
** independent, so the slices give the same bits. */
static void run_block(eum_ctx *cx, eum_task fn, size_t lo, size_t hi) {
    size_t a;
    if (!cx->prog) {
        fn(cx, lo, hi);
        return;
    }
    for (a = lo; a < hi && !progress_stopped(cx->prog); a += EUM_POLL_ITEMS) {
        fn(cx, a, hi - a < EUM_POLL_ITEMS ? hi : a + EUM_POLL_ITEMS);
        progress_poll(cx->prog);
    }
}

typedef struct eum_phase {
    eum_ctx *cx;
    eum_task fn;
} eum_phase;

static int phase_block(void *arg, unsigned worker, size_t lo, size_t hi) {
    eum_phase *ph = arg;
    (void)worker;
    run_block(ph->cx, ph->fn, lo, hi);
    return progress_stopped(ph->cx->prog);
}

static void par_for(eum_ctx *cx, size_t n_items, eum_task fn) {
    eum_phase ph;
    if (!cx->pool || n_items < 2) {
        run_block(cx, fn, 0, n_items);
        return;
    }
    ph.cx = cx;
    ph.fn = fn;
    pool_for(cx->pool, n_items, phase_block, &ph);
}

/* ------------------------------------------------------------------------
** Positions in order: sorting, distinct positions, distances, the weighted
** median
*/
static int key_cmp(const void *pa, const void *pb) {
    const struct eum_key *a = pa, *b = pb;
    if (a->x < b->x) return -1;
    if (a->x > b->x) return 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The weighted median (pl_weighted_median's rule: the smallest position at
** which the cumulative weight reaches half the total, 2 cum >= W) with one
** actor of weight w_mover moved from distinct position `from` to `to`, for
** the across-positions risk norm. */
static size_t median_index(const eum_ctx *cx, size_t from, size_t to, double w_mover) {
    double total = cx->ucum[cx->m - 1];
    size_t u;
    for (u = 0; u < cx->m; u++) {
        double cum = cx->ucum[u];
        size_t cnt = cx->ucnt[u];
        if (u >= to) cum += w_mover;
        if (u >= from) cum -= w_mover;
        if (u == to) cnt++;
        if (u == from) cnt--;
        if (cnt > 0 && 2 * cum >= total) return u;
    }
    return cx->m - 1;
}

/* keys = the actors sorted by (position, index), a total order, so any
** correct sort gives the same result. */
static void sort_keys(eum_ctx *cx, const double *x) {
    size_t n = cx->n, q, p;
    for (q = 0; q < n; q++) {
        size_t k = cx->have_ord ? cx->ord[q] : q;
        cx->keys[q].x = x[k];
        cx->keys[q].i = k;
    }
    if (n > EUM_INSERTION_SORT_MAX) {
        qsort(cx->keys, n, sizeof *cx->keys, key_cmp);
        return;
    }
    for (q = 1; q < n; q++) {
        struct eum_key key = cx->keys[q];
        for (p = q; p > 0 && (key.x < cx->keys[p - 1].x ||
                              (key.x == cx->keys[p - 1].x && key.i < cx->keys[p - 1].i));
             p--)
            cx->keys[p] = cx->keys[p - 1];
        cx->keys[p] = key;
    }
}

/* Sort the positions x and derive the distinct positions. */
static void order_positions(eum_ctx *cx, const double *x) {
    size_t n = cx->n, q, m = 0;
    double cum = 0;
    sort_keys(cx, x);
    for (q = 0; q < n; q++) {
        size_t k = cx->keys[q].i;
        cx->ord[q] = k;
        cx->spos[q] = x[k];
        cx->sw[q] = cx->w[k];
        if (q == 0 || x[k] != cx->upos[m - 1]) {
            cx->upos[m] = x[k];
            cx->ucnt[m] = 0;
            cx->uw[m] = 0;
            m++;
        }
        cx->uidx[k] = m - 1;
        cx->ucnt[m - 1]++;
        cx->uw[m - 1] += cx->w[k];
        cum += cx->equal_weights ? 1.0 : cx->w[k];
        cx->ucum[m - 1] = cum;
    }
    cx->m = m;
    cx->x = x;
    cx->have_ord = 1;
}

/* The forecasts of positions x just ordered by order_positions: what
** pl_weighted_mean and pl_weighted_median give for x and the weights w, by
** the same operations in the same order (the median's sort is stable, so
** it takes the actors in (position, index) order). */
static void forecasts(const eum_ctx *cx, const double *x, double *mean, double *median) {
    size_t n = cx->n, k, q;
    double total = cx->w_total, sum = 0, lo = x[0], hi = x[0], cum = 0;
    int weighted = total > 0;
    if (weighted) {
        for (k = 0; k < n; k++) sum += cx->w[k] * x[k];
        sum /= total;
    } else {
        for (k = 0; k < n; k++) sum += x[k];
        sum /= (double)n;
        total = (double)n;
    }
    for (k = 1; k < n; k++) {
        if (x[k] < lo) lo = x[k];
        if (x[k] > hi) hi = x[k];
    }
    *mean = sum < lo ? lo : sum > hi ? hi : sum;
    *median = cx->spos[n - 1];
    for (q = 0; q < n; q++) {
        cum += weighted ? cx->sw[q] : 1.0;
        if (q + 1 < n && cx->spos[q + 1] == cx->spos[q]) continue;
        if (2 * cum >= total) {
            *median = cx->spos[q];
            break;
        }
    }
}

/* dd[u][v] = d(upos[u], upos[v]) and dmu[u] = d(upos[u], mu).  An actor's
** distances are those of its distinct position: |a - b| is the same for
** any a, b of equal value. */
static void task_dist(eum_ctx *cx, size_t lo, size_t hi) {
    size_t u, v, m = cx->m;
    for (u = lo; u < hi; u++) {
        double *row = cx->dd + u * m, y = cx->upos[u];
        for (v = 0; v < m; v++) row[v] = dist(cx, y, cx->upos[v]);
        if (cx->dmu) cx->dmu[u] = dist(cx, y, cx->mu);
    }
}

/* ------------------------------------------------------------------------
** Votes and P (eq. 30)
**
** Voter k's vote for position a over b is w_k (f_k(b) - f_k(a)) with
** f_k(y) = (|x_k - y| / Delta)^rho_k; rho_k = r_k when votes use
** risk-transformed distances, else 1 (U = 1 - 2 f; the factor 2 cancels).
*/

/* Sum over ordered pairs of actors (a, b) of |f(a) - f(b)| for a voter at
** distinct position home, f its values at the distinct positions: the
** positions merged in order of f (outwards from the voter), then each group
** of c equal values at rank B contributes 2 f c (2B + c - n). */
static double pair_sum(const eum_ctx *cx, const double *f, size_t home) {
    size_t m = cx->m, left = home, right = home; /* next: left - 1, right */
    double n = (double)cx->n, before = 0, h = 0;
    while (left > 0 || right < m) {
        size_t u;
        double c;
        if (right < m && (left == 0 || f[right] <= f[left - 1])) u = right++;
        else u = --left;
        c = (double)cx->ucnt[u];
        h += f[u] * c * (2 * before + c - n);
        before += c;
    }
    return 2 * h;
}

/* Per sorted voter q: f_q at every distinct position (row q + 1 of tab, or
** the voter's row of dd when rho_q = 1) and, for the all-pairs
** denominator, hk[q]. */
static void task_rows(eum_ctx *cx, size_t lo, size_t hi) {
    size_t q, u, m = cx->m;
    for (q = lo; q < hi; q++) {
        size_t k = cx->ord[q], home = cx->uidx[k];
        const double *d = cx->dd + home * m;
        double rho = cx->rho ? cx->rho[k] : 1.0;
        if (rho == 1.0) {
            cx->frow[q] = d;
        } else {
            double *f = cx->tab + (q + 1) * m;
            for (u = 0; u < m; u++) f[u] = powx(d[u], rho);
            cx->frow[q] = f;
        }
        if (!cx->all_pairs) continue;
        /* voters at one position with rho = 1 share their row of dd */
        cx->hk[q] = q > lo && cx->frow[q] == cx->frow[q - 1] ? cx->hk[q - 1]
                                                             : pair_sum(cx, cx->frow[q], home);
    }
}

/* Per distinct position u: tab[t][u] = sum over sorted voters q < t of
** w_q f_q(u) (in place where f_q is row q + 1 of tab). */
static void task_prefix(eum_ctx *cx, size_t lo, size_t hi) {
    size_t q, u, m = cx->m;
    for (u = lo; u < hi; u++) {
        cx->tab[u] = 0;
        cx->tab[m + u] = cx->frow[0][u] * cx->sw[0];
    }
    for (q = 1; q < cx->n; q++) {
        const double *prev = cx->tab + q * m, *f = cx->frow[q];
        double *row = cx->tab + (q + 1) * m;
        double wq = cx->sw[q];
        for (u = lo; u < hi; u++) row[u] = prev[u] + wq * f[u];
    }
}

/* The positive votes on the pair of distinct positions lo < hi: for upos[lo]
** over upos[hi] (the voters strictly nearer upos[lo], a prefix of the
** voters in position order) and for upos[hi] over upos[lo] (the rest; those
** at equal distance vote 0).  A function of (lo, hi) alone, so that both
** rows of the table get the same bits. */
static void pair_votes(const eum_ctx *cx, size_t lo, size_t hi, double *for_lo, double *for_hi) {
    const double *spos = cx->spos, *tab = cx->tab;
    double y_lo = cx->upos[lo], y_hi = cx->upos[hi];
    size_t left = 0, right = cx->n, n = cx->n, m = cx->m;
    while (left < right) {
        size_t mid = left + (right - left) / 2;
        if (fabs(spos[mid] - y_lo) < fabs(spos[mid] - y_hi)) left = mid + 1;
        else right = mid;
    }
    /* prefix(u, t) = tab[t * m + u] */
    *for_lo = tab[left * m + hi] - tab[left * m + lo];
    *for_hi = (tab[n * m + lo] - tab[left * m + lo]) - (tab[n * m + hi] - tab[left * m + hi]);
    if (!(*for_lo > 0)) *for_lo = 0;
    if (!(*for_hi > 0)) *for_hi = 0;
}

static double clamp_prob(double p) { return p < 0 ? 0 : p > 1 ? 1 : p; }

/* P (eq. 30) from the positive votes for one side and for the other. */
static double prob_of(const eum_ctx *cx, double num, double num_other) {
    double den = cx->all_pairs ? cx->dall : num + num_other;
    if (den > 0) return clamp_prob(num / den);
    return cx->all_pairs ? 0.0 : 0.5; /* nobody votes on the pair */
}

/* The tables, m x m x 2: probs[a][b][0] = P that upos[a] prevails against
** upos[b], probs[a][b][1] = P that upos[b] prevails against upos[a];
** votes[a][b][0..1] their numerators (the positive votes each way), kept
** only for the across-positions risk norm.  Both directions sit in row a
** so that an actor's view of every other reads one row.  Each pair is
** computed once, by the row with the smaller index, which also fills the
** mirror entry; item k does rows k and m - 1 - k, so items cost the same
** and threads share the triangle evenly. */
static void votes_row(eum_ctx *cx, size_t a) {
    size_t b, m = cx->m;
    double *row = cx->probs + 2 * a * m, *votes = cx->votes;
    row[2 * a] = row[2 * a + 1] = 0;
    if (votes) votes[2 * (a * m + a)] = votes[2 * (a * m + a) + 1] = 0;
    for (b = a + 1; b < m; b++) {
        double *mirror = cx->probs + 2 * (b * m + a);
        double for_a, for_b;
        pair_votes(cx, a, b, &for_a, &for_b);
        row[2 * b] = mirror[1] = prob_of(cx, for_a, for_b);
        row[2 * b + 1] = mirror[0] = prob_of(cx, for_b, for_a);
        if (votes) {
            votes[2 * (a * m + b)] = votes[2 * (b * m + a) + 1] = for_a;
            votes[2 * (a * m + b) + 1] = votes[2 * (b * m + a)] = for_b;
        }
    }
}

static void task_votes(eum_ctx *cx, size_t lo, size_t hi) {
    size_t k, m = cx->m;
    for (k = lo; k < hi; k++) {
        votes_row(cx, k);
        if (m - 1 - k != k) votes_row(cx, m - 1 - k);
    }
}

static const double *votes_of(const eum_ctx *cx, size_t a, size_t b) {
    return cx->votes + 2 * (a * cx->m + b);
}

/* The vote tables with exponents rho (NULL: every rho = 1). */
static void evaluate_votes(eum_ctx *cx, const double *rho) {
    size_t q;
    cx->rho = rho;
    par_for(cx, cx->n, task_rows);
    if (cx->all_pairs) {
        cx->dall = 0;
        for (q = 0; q < cx->n; q++) cx->dall += cx->sw[q] * cx->hk[q];
    }
    par_for(cx, cx->m, task_prefix);
    par_for(cx, (cx->m + 1) / 2, task_votes);
}

/* P that the actor at distinct position a prevails against the one at b
** (against == 0), or b against a (against == 1), from row a of the table;
** 0 when a == b. */
static double prob(const eum_ctx *cx, size_t a, size_t b, int against) {
    return cx->probs[2 * (a * cx->m + b) + (against ? 1 : 0)];
}

/* ------------------------------------------------------------------------
** Risk exponents (eqs 32-33), every r = 1
*/

/* E_j(ji) with r = 1, j at xj challenging i at xi (distance d), P given. */
static double eu_r1(const eum_ctx *cx, double s_i, double p, double d, double xj, double xi,
                    double mu) {
    double us = eum_u_success(d, 1.0), uf = eum_u_failure(d, 1.0), qt = 0;
    if (cx->q < 1) {
        double d_mu = dist(cx, xj, mu);
        qt = fabs(xj - mu) < fabs(xj - xi) ? eum_u_better(d_mu, d, 1.0) : eum_u_worse(d_mu, d, 1.0);
    }
    return eu_parts(s_i, p, us, uf, eum_u_status_quo(1.0), cx->q, qt);
}

/* danger[i] = S_i = sum over j != i of E_j(ji), the others taken in
** position order.  E_j(ji) depends on j only through its position, so it
** is computed once per distinct position and added once per actor there. */
static void task_danger(eum_ctx *cx, size_t lo, size_t hi) {
    size_t i, v, c, m = cx->m;
    double usq1 = eum_u_status_quo(1.0);
    for (i = lo; i < hi; i++) {
        double s = 0, xi = cx->x[i], s_i = cx->sal[i];
        size_t ui = cx->uidx[i];
        for (v = 0; v < m; v++) {
            size_t cnt = cx->ucnt[v] - (v == ui ? 1 : 0);
            double d = cx->dd[v * m + ui], qt = 0, e;
            if (cnt == 0) continue;
            if (cx->q < 1) qt = u_qt(cx->upos[v], xi, cx->mu, cx->dmu[v], d, 1.0);
            e = eu_parts(s_i, prob(cx, ui, v, 1), u_s(d, 1.0), u_f(d, 1.0), usq1, cx->q, qt);
            for (c = 0; c < cnt; c++) s += e;
        }
        cx->danger[i] = s;
    }
}

/* For the across-positions norm with the all-pairs denominator: per
** distinct voter position u (r = 1, so f depends on the position only),
** gu[u][v] = sum over actors b of |f_u(v) - f_u(x_b)| and hu[u] = sum over
** actors a of gu[u][x_a]. */
static void task_gsums(eum_ctx *cx, size_t lo, size_t hi) {
    size_t u, v, m = cx->m;
    double n = (double)cx->n;
    for (u = lo; u < hi; u++) {
        double total = 0, before_c = 0, before_s = 0, h = 0;
        size_t left = u, right = u;
        for (v = 0; v < m; v++) total += (double)cx->ucnt[v] * dist(cx, cx->upos[u], cx->upos[v]);
        while (left > 0 || right < m) {
            double fv, c, g;
            if (right < m && (left == 0 || dist(cx, cx->upos[u], cx->upos[right]) <=
                                               dist(cx, cx->upos[u], cx->upos[left - 1])))
                v = right++;
            else v = --left;
            fv = dist(cx, cx->upos[u], cx->upos[v]);
            c = (double)cx->ucnt[v];
            g = fv * before_c - before_s + (total - before_s - c * fv) - fv * (n - before_c - c);
            cx->gu[u * m + v] = g;
            h += c * g;
            before_c += c;
            before_s += c * fv;
        }
        cx->hu[u] = h;
    }
}

/* The all-pairs denominator with actor i (distinct position ui, weight wi)
** moved to distinct position u: D minus the terms that involve i's old
** position plus those of its new one (docs/models/eum.md derives it). */
static double dall_moved(const eum_ctx *cx, size_t ui, double wi, size_t u) {
    size_t m = cx->m;
    double c, d;
    if (u == ui) return cx->dall;
    c = votes_of(cx, ui, u)[0] + votes_of(cx, ui, u)[1];
    d = cx->dall - 2 * cx->au[ui] + 2 * cx->au[u] - 2 * c +
        wi * ((cx->hu[u] - cx->hu[ui]) - 2 * (cx->gu[u * m + ui] - cx->gu[ui * m + ui]) +
              2 * (cx->gu[u * m + u] - cx->gu[ui * m + u]));
    return d > 0 ? d : 0;
}

/* r[i] from S_i over i's possible positions: S_i(u) with i moved to each
** distinct position u, all else as it is (1985 paper); the others are
** taken in position order. */
static void task_danger_positions(eum_ctx *cx, size_t lo, size_t hi) {
    size_t i, j, q, u, m = cx->m;
    for (i = lo; i < hi; i++) {
        size_t ui = cx->uidx[i];
        double xi = cx->x[i], wi = cx->w[i];
        double w_med = cx->equal_weights ? 1.0 : wi;
        double s_own = 0, s_max = -DBL_MAX, s_min = DBL_MAX;
        for (u = 0; u < m; u++) {
            double p_pos = cx->upos[u], s = 0, d_all = 0, mu = cx->mu;
            if (cx->all_pairs) d_all = dall_moved(cx, ui, wi, u);
            if (cx->q < 1 && u != ui) mu = cx->upos[median_index(cx, ui, u, w_med)];
            for (q = 0; q < cx->n; q++) {
                size_t uj;
                double xj, p = 0, d = 0;
                j = cx->ord[q];
                if (j == i) continue;
                uj = cx->uidx[j];
                xj = cx->x[j];
                if (u == ui) {
                    d = dist(cx, xj, xi);
                    p = prob(cx, ui, uj, 1);
                } else if (uj != u) {
                    /* votes of everyone but i are unchanged; i, now at
                    ** p_pos, votes against xj with weight wi d(p_pos, xj) */
                    double fi_p = dist(cx, xi, p_pos), fi_j = dist(cx, xi, xj);
                    double vi_for_j = wi * (fi_p - fi_j);
                    const double *v = votes_of(cx, u, uj);
                    double num = v[1] - (vi_for_j > 0 ? vi_for_j : 0);
                    d = dist(cx, xj, p_pos);
                    if (num < 0) num = 0;
                    if (cx->all_pairs) {
                        p = d_all > 0 ? clamp_prob(num / d_all) : 0.0;
                    } else {
                        double other = v[0] - (vi_for_j < 0 ? -vi_for_j : 0) + wi * d;
                        double den = num + (other > 0 ? other : 0);
                        p = den > 0 ? clamp_prob(num / den) : 0.5;
                    }
                }
                s += eu_r1(cx, cx->sal[i], p, d, xj, p_pos, mu);
            }
            if (u == ui) s_own = s;
            if (s > s_max) s_max = s;
            if (s < s_min) s_min = s;
        }
        cx->r[i] = eum_risk_exponent(s_own, s_max, s_min);
    }
}

static void risk_exponents(eum_ctx *cx) {
    size_t i, u, v, m = cx->m;
    if (cx->opt->risk_norm == PL_EUM_RISK_ACROSS_ACTORS) {
        double s_max = -DBL_MAX, s_min = DBL_MAX;
        par_for(cx, cx->n, task_danger);
        for (i = 0; i < cx->n; i++) {
            if (cx->danger[i] > s_max) s_max = cx->danger[i];
            if (cx->danger[i] < s_min) s_min = cx->danger[i];
        }
        for (i = 0; i < cx->n; i++) cx->r[i] = eum_risk_exponent(cx->danger[i], s_max, s_min);
        return;
    }
    if (cx->all_pairs) {
        par_for(cx, m, task_gsums);
        for (v = 0; v < m; v++) {
            double a = 0;
            for (u = 0; u < m; u++) a += cx->uw[u] * cx->gu[u * m + v];
            cx->au[v] = a;
        }
    }
    par_for(cx, cx->n, task_danger_positions);
}

/* ------------------------------------------------------------------------
** Offers: actor i's view of every other actor j
*/
static int classify(const pl_eum_options *opt, double e_ij, double e_ji) {
    if (e_ji > e_ij && e_ij > 0) return PL_EUM_CONFLICT;
    if (e_ji > 0 && 0 > e_ij) {
        if (e_ji > fabs(e_ij)) return PL_EUM_COMPROMISE;
        if (opt->capitulation_typo ? e_ji < fabs(e_ji) : fabs(e_ij) > e_ji)
            return PL_EUM_CAPITULATION;
    }
    return 0;
}

/* Where accepting an offer of this kind puts i. */
static double offer_target(const pl_eum_options *opt, int kind, double xi, double xj, double e_ij,
                           double e_ji) {
    double to, lo = xi < xj ? xi : xj, hi = xi < xj ? xj : xi;
    if (kind != PL_EUM_COMPROMISE) return xj;
    if (opt->compromise == PL_EUM_COMPROMISE_SPEC) to = xi + (xj - xi) * fabs(e_ij / e_ji);
    else to = (fabs(e_ij) * xi + fabs(e_ji) * xj) / (fabs(e_ij) + fabs(e_ji));
    return to < lo ? lo : to > hi ? hi : to;
}

static int kind_rank(int kind) {
    return kind == PL_EUM_CONFLICT ? 3 : kind == PL_EUM_COMPROMISE ? 2 : 1;
}

static int cmp_less(double a, double b) { return (a < b) - (a > b); }

/* The offer (kind, to, e_ji) against the best so far for i: > 0 better,
** < 0 worse, 0 as good (then the sender first in actor order wins). */
static int offer_cmp(const pl_eum_options *opt, double xi, int kind, double to, double e_ji,
                     int best_kind, double best_to, double best_eji) {
    if (opt->choice == PL_EUM_CHOICE_SENDER_EU) return -cmp_less(e_ji, best_eji);
    if (kind_rank(kind) != kind_rank(best_kind))
        return kind_rank(kind) > kind_rank(best_kind) ? 1 : -1;
    if (kind == PL_EUM_COMPROMISE && opt->compromise_lowest) return cmp_less(to, best_to);
    return cmp_less(fabs(to - xi), fabs(best_to - xi));
}

/* With estimate_r OTHER, actor j's utilities against i are read by i: per
** actor i and distinct position v, U_s and U_f with r_i (and T U_b + (1 -
** T) U_w when q < 1) -- what eum_u_success(d, r_i) etc. give. */
static void task_utilities(eum_ctx *cx, size_t lo, size_t hi) {
    size_t i, v, m = cx->m;
    for (i = lo; i < hi; i++) {
        size_t ui = cx->uidx[i];
        double xi = cx->x[i], ri = cx->r[i];
        const double *d = cx->dd + ui * m;
        for (v = 0; v < m; v++) {
            if (v == ui) continue;
            cx->us[i * m + v] = u_s(d[v], ri);
            cx->uf[i * m + v] = u_f(d[v], ri);
            if (cx->qt) cx->qt[i * m + v] = u_qt(xi, cx->upos[v], cx->mu, cx->dmu[ui], d[v], ri);
        }
    }
}

/* Actor i's offers and the one it takes; the others are taken in position
** order (so that row ui of the table is read in order).  E_ij and E_ji
** (eq. 25a) as i sees them: i's utilities use r_i; j's use r_i too
** (estimate_r OWN) or r_j (OTHER).  Everything but the targets' saliences
** depends on j only through its position, so i's utilities are computed
** once per distinct position, a block of positions at a time before the
** loop over the actors there (so that the pow calls run back to back). */
static void task_offers(eum_ctx *cx, size_t lo, size_t hi) {
    /* what the loops read, in locals: pow may write memory, so the
    ** compiler would reload cx's fields after every call */
    const pl_eum_options *opt = cx->opt;
    const size_t *ord = cx->ord, *uidx = cx->uidx, *ucnt = cx->ucnt;
    const double *x = cx->x, *sal = cx->sal, *upos = cx->upos, *dmu = cx->dmu;
    const double *usq = cx->usq, *r = cx->r;
    const double *t_us = cx->us, *t_uf = cx->uf, *t_qt = cx->qt;
    unsigned char *kinds = cx->kind;
    size_t i, j, q, v, n = cx->n, m = cx->m;
    double mu = cx->mu, qq = cx->q;
    int own = cx->own_r, q_lt1 = qq < 1;
    double b_us[EUM_OFFER_BLOCK], b_uf[EUM_OFFER_BLOCK];
    double b_qti[EUM_OFFER_BLOCK], b_qtj[EUM_OFFER_BLOCK];
    for (i = lo; i < hi; i++) {
        size_t ui = uidx[i], v0, v1;
        double xi = x[i], ri = r[i], usq_i = usq[i], s_i = sal[i];
        double best_to = xi, best_eji = 0, best_eij = 0;
        const double *pr = cx->probs + 2 * ui * m, *dd = cx->dd + ui * m;
        int best_kind = 0;
        size_t best_j = EUM_NO_OFFER;
        for (v0 = 0, q = 0; v0 < m; v0 = v1) {
            v1 = m - v0 > EUM_OFFER_BLOCK ? v0 + EUM_OFFER_BLOCK : m;
            if (own) {
                for (v = v0; v < v1; v++) {
                    if (v == ui) continue;
                    b_us[v - v0] = u_s(dd[v], ri);
                    b_uf[v - v0] = u_f(dd[v], ri);
                    if (!q_lt1) continue;
                    b_qti[v - v0] = u_qt(xi, upos[v], mu, dmu[ui], dd[v], ri);
                    b_qtj[v - v0] = u_qt(upos[v], xi, mu, dmu[v], dd[v], ri);
                }
            }
            for (v = v0; v < v1; v++) {
                double us, uf, qt_i = 0, qt_j = 0;
                size_t end = q + ucnt[v];
                if (v == ui) { /* x_j == x_i: no offer */
                    for (; q < end; q++)
                        if (kinds) kinds[i * n + ord[q]] = 0;
                    continue;
                }
                if (own) {
                    us = b_us[v - v0];
                    uf = b_uf[v - v0];
                    if (q_lt1) {
                        qt_i = b_qti[v - v0];
                        qt_j = b_qtj[v - v0];
                    }
                } else {
                    us = t_us[i * m + v];
                    uf = t_uf[i * m + v];
                    if (q_lt1) qt_i = t_qt[i * m + v];
                }
                for (; q < end; q++) {
                    double e_ij, e_ji, to;
                    int kind, c;
                    j = ord[q];
                    e_ij = eu_parts(sal[j], pr[2 * v], us, uf, usq_i, qq, qt_i);
                    if (own) {
                        e_ji = eu_parts(s_i, pr[2 * v + 1], us, uf, usq_i, qq, qt_j);
                    } else {
                        if (q_lt1) qt_j = t_qt[j * m + ui];
                        e_ji = eu_parts(s_i, pr[2 * v + 1], t_us[j * m + ui], t_uf[j * m + ui],
                                        usq[j], qq, qt_j);
                    }
                    kind = classify(opt, e_ij, e_ji);
                    if (kinds) {
                        kinds[i * n + j] = (unsigned char)kind;
                        cx->eij[i * n + j] = e_ij;
                        cx->eji[i * n + j] = e_ji;
                    }
                    if (!kind) continue;
                    to = offer_target(opt, kind, xi, x[j], e_ij, e_ji);
                    c = best_kind ? offer_cmp(opt, xi, kind, to, e_ji, best_kind, best_to, best_eji)
                                  : 1;
                    if (c > 0 || (c == 0 && j < best_j)) {
                        best_kind = kind;
                        best_to = to;
                        best_eij = e_ij;
                        best_eji = e_ji;
                        best_j = j;
                    }
                }
            }
        }
        cx->newx[i] = best_to;
        cx->choice[i] = best_j;
        cx->ch_eij[i] = best_eij;
        cx->ch_eji[i] = best_eji;
    }
}

/* ------------------------------------------------------------------------
** One round: from the positions ordered by order_positions, write the risk
** exponents to r and the new positions to newx.
*/
/* Returns 1 when the progress callback asked to stop (newx incomplete). */
static int eum_round(eum_ctx *cx, double *r, double *newx) {
    size_t k;
    cx->r = r;
    cx->newx = newx;
    if (cx->lanes) {
        int rec = cx->opt->record != PL_EUM_RECORD_NONE;
        eum_lanes_round(cx->opt, cx->n, cx->x, cx->w, cx->sal, cx->delta, cx->mu, r, newx, cx->kind,
                        cx->eij, cx->eji, rec ? cx->choice : NULL, cx->ch_eij, cx->ch_eji);
        return progress_poll(cx->prog);
    }
    par_for(cx, cx->m, task_dist);
    evaluate_votes(cx, NULL);
    risk_exponents(cx);
    for (k = 0; k < cx->n; k++) {
        if (r[k] != cx->usq_r[k]) {
            cx->usq[k] = eum_u_status_quo(r[k]);
            cx->usq_r[k] = r[k];
        }
    }
    if (cx->opt->risk_votes) evaluate_votes(cx, r);
    if (!cx->own_r) par_for(cx, cx->n, task_utilities);
    par_for(cx, cx->n, task_offers);
    return progress_stopped(cx->prog);
}

/* ------------------------------------------------------------------------
** Results
*/
struct pl_eum_result {
    size_t n;
    size_t n_rounds;
    size_t cap; /* rounds with room: rows 0..cap          */
    double delta;
    double *pos;       /* (cap + 1) x n                          */
    double *risk;      /* (cap + 1) x n; row 0 unused            */
    double *mean;      /* cap + 1                                */
    double *median;    /* cap + 1                                */
    size_t *off_start; /* cap + 2: round t's offers start here   */
    pl_eum_offer *offers;
    size_t n_offers, cap_offers;
    pl_eum_stop stop;
    size_t cycle_length;
};

/* Arrays laid out in one block: a first pass with base NULL adds up the
** size, a second hands out the pieces. */
typedef struct eum_layout {
    unsigned char *base;
    size_t size;
    int overflow;
} eum_layout;

static void *carve(eum_layout *l, size_t count, size_t size) {
    size_t start = l->size, bytes;
    if (l->overflow || (size && count > (SIZE_MAX / 2) / size)) {
        l->overflow = 1;
        return NULL;
    }
    bytes = (count * size + 15) & ~(size_t)15; /* keep 16-byte alignment */
    if (bytes > SIZE_MAX / 2 - start) {
        l->overflow = 1;
        return NULL;
    }
    l->size = start + bytes;
    return l->base ? l->base + start : NULL;
}

/* A result with room for rounds 0..cap, in one block (the struct first, so
** that freeing the struct frees the rows). */
static pl_eum_result *result_new(size_t n, size_t cap) {
    eum_layout l = {NULL, 0, 0};
    pl_eum_result *res = NULL;
    double *pos = NULL, *risk = NULL, *mean = NULL, *median = NULL;
    size_t *off_start = NULL;
    int pass;
    size_t room = SIZE_MAX / 4 / n; /* n >= 1 */
    if (room < 2 || cap > room - 2) return NULL;
    for (pass = 0; pass < 2; pass++) {
        res = carve(&l, 1, sizeof *res);
        pos = carve(&l, (cap + 1) * n, sizeof(double));
        risk = carve(&l, (cap + 1) * n, sizeof(double));
        mean = carve(&l, cap + 1, sizeof(double));
        median = carve(&l, cap + 1, sizeof(double));
        off_start = carve(&l, cap + 2, sizeof(size_t));
        if (pass == 0) {
            if (l.overflow || !(l.base = pl__malloc(l.size))) return NULL;
            l.size = 0;
        }
    }
    memset(res, 0, sizeof *res);
    res->n = n;
    res->cap = cap;
    res->pos = pos;
    res->risk = risk;
    res->mean = mean;
    res->median = median;
    res->off_start = off_start;
    return res;
}

void pl_eum_result_free(pl_eum_result *res) {
    if (!res) return;
    pl__free(res->offers);
    pl__free(res);
}

/* Grow *p to hold count elements of size `size`; 0 on failure (the old
** block stays valid). */
static int grow(void *p, size_t count, size_t size) {
    void **slot = p, *np;
    if (count > SIZE_MAX / size) return 0;
    np = pl__realloc(*slot, count * size);
    if (!np) return 0;
    *slot = np;
    return 1;
}

/* Room for round `round`: *pres may move (the old block stays valid on
** failure). */
static pl_status reserve_round(pl_eum_result **pres, size_t round) {
    pl_eum_result *res = *pres, *grown;
    size_t cap = res->cap, n = res->n;
    if (round <= cap) return PL_OK;
    while (cap < round) {
        if (cap > SIZE_MAX / 4) return PL_ENOMEM;
        cap = cap < 8 ? 8 : cap * 2;
    }
    grown = result_new(n, cap);
    if (!grown) return PL_ENOMEM;
    memcpy(grown->pos, res->pos, (res->cap + 1) * n * sizeof(double));
    memcpy(grown->risk, res->risk, (res->cap + 1) * n * sizeof(double));
    memcpy(grown->mean, res->mean, (res->cap + 1) * sizeof(double));
    memcpy(grown->median, res->median, (res->cap + 1) * sizeof(double));
    memcpy(grown->off_start, res->off_start, (res->cap + 2) * sizeof(size_t));
    grown->n_rounds = res->n_rounds;
    grown->delta = res->delta;
    grown->offers = res->offers;
    grown->n_offers = res->n_offers;
    grown->cap_offers = res->cap_offers;
    grown->stop = res->stop;
    grown->cycle_length = res->cycle_length;
    pl__free(res);
    *pres = grown;
    return PL_OK;
}

static pl_status push_offer(pl_eum_result *res, const pl_eum_offer *o) {
    if (res->n_offers == res->cap_offers) {
        size_t cap = res->cap_offers ? res->cap_offers * 2 : 64;
        if (!grow(&res->offers, cap, sizeof *o)) return PL_ENOMEM;
        res->cap_offers = cap;
    }
    res->offers[res->n_offers++] = *o;
    return PL_OK;
}

/* Record round t's offers (the round just run by eum_round). */
static pl_status record_offers(pl_eum_result *res, const eum_ctx *cx, size_t t) {
    size_t i, j, n = cx->n;
    pl_status st = PL_OK;
    res->off_start[t] = res->n_offers;
    if (cx->opt->record == PL_EUM_RECORD_ALL) {
        for (i = 0; i < n && st == PL_OK; i++) {
            if ((i & 15u) == 15u && progress_poll(cx->prog)) return PL_EINTERRUPTED;
            for (j = 0; j < n && st == PL_OK; j++) {
                pl_eum_offer o;
                int kind = cx->kind[i * n + j];
                if (!kind) continue;
                o.sender = j;
                o.receiver = i;
                o.kind = (pl_eum_offer_kind)kind;
                o.accepted = cx->choice[i] == j;
                o.eu_receiver = cx->eij[i * n + j];
                o.eu_sender = cx->eji[i * n + j];
                o.from = cx->x[i];
                o.to = offer_target(cx->opt, kind, o.from, cx->x[j], o.eu_receiver, o.eu_sender);
                st = push_offer(res, &o);
            }
        }
    } else if (cx->opt->record == PL_EUM_RECORD_MOVES) {
        for (i = 0; i < n && st == PL_OK; i++) {
            pl_eum_offer o;
            j = cx->choice[i];
            if (j == EUM_NO_OFFER) continue;
            o.sender = j;
            o.receiver = i;
            o.eu_receiver = cx->ch_eij[i];
            o.eu_sender = cx->ch_eji[i];
            o.kind = (pl_eum_offer_kind)classify(cx->opt, o.eu_receiver, o.eu_sender);
            o.accepted = 1;
            o.from = cx->x[i];
            o.to = cx->newx[i];
            st = push_offer(res, &o);
        }
    }
    res->off_start[t + 1] = res->n_offers;
    return st;
}

size_t pl_eum_result_n_actors(const pl_eum_result *res) { return res ? res->n : 0; }

size_t pl_eum_result_n_rounds(const pl_eum_result *res) { return res ? res->n_rounds : 0; }

pl_eum_stop pl_eum_result_stop(const pl_eum_result *res) {
    return res ? res->stop : PL_EUM_STOP_MAX_ROUNDS;
}

size_t pl_eum_result_cycle_length(const pl_eum_result *res) { return res ? res->cycle_length : 0; }

double pl_eum_result_delta(const pl_eum_result *res) { return res ? res->delta : 0.0; }

const double *pl_eum_result_positions(const pl_eum_result *res, size_t round) {
    if (!res || round > res->n_rounds) return NULL;
    return res->pos + round * res->n;
}

double pl_eum_result_mean(const pl_eum_result *res, size_t round) {
    if (!res || round > res->n_rounds) return 0.0;
    return res->mean[round];
}

double pl_eum_result_median(const pl_eum_result *res, size_t round) {
    if (!res || round > res->n_rounds) return 0.0;
    return res->median[round];
}

const double *pl_eum_result_risk(const pl_eum_result *res, size_t round) {
    if (!res || round == 0 || round > res->n_rounds) return NULL;
    return res->risk + round * res->n;
}

const pl_eum_offer *pl_eum_result_offers(const pl_eum_result *res, size_t round, size_t *n_offers) {
    size_t count;
    if (n_offers) *n_offers = 0;
    if (!res || round == 0 || round > res->n_rounds) return NULL;
    count = res->off_start[round + 1] - res->off_start[round];
    if (n_offers) *n_offers = count;
    return count ? res->offers + res->off_start[round] : NULL;
}

const char *pl_eum_stop_name(pl_eum_stop stop) {
    switch (stop) {
        case PL_EUM_STOP_TOLERANCE: return "tolerance";
        case PL_EUM_STOP_MAX_ROUNDS: return "max-rounds";
        case PL_EUM_STOP_CYCLE: return "cycle";
    }
    return "unknown";
}

const char *pl_eum_offer_kind_name(pl_eum_offer_kind kind) {
    switch (kind) {
        case PL_EUM_CONFLICT: return "conflict";
        case PL_EUM_COMPROMISE: return "compromise";
        case PL_EUM_CAPITULATION: return "capitulation";
    }
    return "unknown";
}

/* ------------------------------------------------------------------------
** The run
*/
void pl_eum_options_init(pl_eum_options *opt, pl_eum_preset preset) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    if (preset == PL_EUM_PRESET_BDM) {
        opt->q = 0.5;
        opt->prob_denom = PL_EUM_PROB_PAIR;
        opt->risk_votes = 0;
        opt->estimate_r = PL_EUM_R_OTHER;
        opt->compromise_lowest = 0;
        opt->capitulation_typo = 0;
    } else {
        opt->q = 1.0;
        opt->prob_denom = PL_EUM_PROB_ALL_PAIRS;
        opt->risk_votes = 1;
        opt->estimate_r = PL_EUM_R_OWN;
        opt->compromise_lowest = 1;
        opt->capitulation_typo = 1;
    }
    opt->compromise = PL_EUM_COMPROMISE_SPEC;
    opt->choice = PL_EUM_CHOICE_RANKED;
    opt->risk_norm = PL_EUM_RISK_ACROSS_ACTORS;
    opt->tolerance = 1e-6;
    opt->detect_cycles = 1;
    opt->cycle_tolerance = 0.0;
    opt->max_rounds = 100;
    opt->n_threads = 0;
    opt->record = PL_EUM_RECORD_ALL;
}

static unsigned pick_threads(const pl_eum_options *opt, size_t n) {
    if (opt->n_threads == 0 && n < EUM_AUTO_MIN_ACTORS) return 1;
    return pool_threads(opt->n_threads);
}

/* The work area, in one block (*block, for pl__free). */
static pl_status ctx_alloc(eum_ctx *cx, void **block) {
    const pl_eum_options *opt = cx->opt;
    eum_layout l = {NULL, 0, 0};
    size_t n = cx->n, nn;
    int pass, q_lt1 = cx->q < 1;
    if (n > SIZE_MAX / (n + 1)) return PL_ENOMEM;
    nn = n * n; /* and nn + n fit */
    for (pass = 0; pass < 2; pass++) {
        cx->w = carve(&l, n, sizeof(double));
        cx->usq = carve(&l, n, sizeof(double));
        cx->usq_r = carve(&l, n, sizeof(double));
        cx->keys = carve(&l, n, sizeof(struct eum_key));
        cx->ord = carve(&l, n, sizeof(size_t));
        cx->spos = carve(&l, n, sizeof(double));
        cx->sw = carve(&l, n, sizeof(double));
        cx->upos = carve(&l, n, sizeof(double));
        cx->ucnt = carve(&l, n, sizeof(size_t));
        cx->uw = carve(&l, n, sizeof(double));
        cx->ucum = carve(&l, n, sizeof(double));
        cx->uidx = carve(&l, n, sizeof(size_t));
        cx->dd = carve(&l, nn, sizeof(double));
        cx->dmu = q_lt1 ? carve(&l, n, sizeof(double)) : NULL;
        cx->frow = carve(&l, n, sizeof(const double *));
        cx->tab = carve(&l, nn + n, sizeof(double));
        cx->hk = cx->all_pairs ? carve(&l, n, sizeof(double)) : NULL;
        cx->probs = carve(&l, nn, 2 * sizeof(double));
        cx->danger = carve(&l, n, sizeof(double));
        if (opt->risk_norm == PL_EUM_RISK_ACROSS_POSITIONS) {
            cx->votes = carve(&l, nn, 2 * sizeof(double));
            cx->gu = carve(&l, nn, sizeof(double));
            cx->hu = carve(&l, n, sizeof(double));
            cx->au = carve(&l, n, sizeof(double));
        }
        if (!cx->own_r) {
            cx->us = carve(&l, nn, sizeof(double));
            cx->uf = carve(&l, nn, sizeof(double));
            cx->qt = q_lt1 ? carve(&l, nn, sizeof(double)) : NULL;
        }
        cx->choice = carve(&l, n, sizeof(size_t));
        cx->ch_eij = carve(&l, n, sizeof(double));
        cx->ch_eji = carve(&l, n, sizeof(double));
        if (opt->record == PL_EUM_RECORD_ALL) {
            cx->eij = carve(&l, nn, sizeof(double));
            cx->eji = carve(&l, nn, sizeof(double));
            cx->kind = carve(&l, nn, 1);
        }
        if (pass == 0) {
            if (l.overflow || !(l.base = pl__malloc(l.size))) return PL_ENOMEM;
            *block = l.base;
            l.size = 0;
        }
    }
    return PL_OK;
}

/* Why to stop after round t, or -1 to go on. */
static int stop_reason(pl_eum_result *res, const pl_eum_options *opt, size_t t) {
    size_t n = res->n, back, k;
    double tol = opt->tolerance * res->delta;
    double ctol = opt->cycle_tolerance * res->delta;
    const double *now = res->pos + t * n;
    if (fabs(res->mean[t] - res->mean[t - 1]) <= tol &&
        fabs(res->median[t] - res->median[t - 1]) <= tol)
        return PL_EUM_STOP_TOLERANCE;
    if (opt->detect_cycles) {
        for (back = 2; back <= t; back++) {
            const double *then = res->pos + (t - back) * n;
            for (k = 0; k < n && fabs(now[k] - then[k]) <= ctol; k++) {
            }
            if (k == n) {
                res->cycle_length = back;
                return PL_EUM_STOP_CYCLE;
            }
        }
    }
    if (t >= opt->max_rounds) return PL_EUM_STOP_MAX_ROUNDS;
    return -1;
}

/* Weights c_i s_i with c scaled by its maximum (the model does not depend
** on the scale of c; scaling keeps every sum finite). */
static void set_weights(eum_ctx *cx, const double *capability) {
    size_t k;
    double c_max = 0, w_total = 0;
    for (k = 0; k < cx->n; k++)
        if (capability[k] > c_max) c_max = capability[k];
    for (k = 0; k < cx->n; k++) {
        cx->w[k] = c_max > 0 ? capability[k] / c_max * cx->sal[k] : 0.0;
        w_total += cx->w[k];
    }
    cx->w_total = w_total;
    cx->equal_weights = !(w_total > 0);
}

/* A round's forecasts.  The lane engine's runs take them from the baseline
** functions, as its batches do lane by lane (the same operations as
** forecasts(), which reads them off the general engine's sorted positions;
** n <= 16 and valid weights: no allocation, no failure). */
static void round_forecasts(eum_ctx *cx, const double *x, double *mean, double *median) {
    if (cx->lanes) {
        pl_weighted_mean(x, cx->w, cx->n, mean);
        pl_weighted_median(x, cx->w, cx->n, median);
        return;
    }
    order_positions(cx, x);
    forecasts(cx, x, mean, median);
}

/* Rounds 1, 2, ... until a stop rule holds (its reason in *WHY), each
** round's positions, risks, offers and forecasts recorded in *RESP (which
** may move as it grows). */
static pl_status run_rounds(eum_ctx *cx, pl_eum_result **resp, const pl_eum_options *opt,
                            int *why) {
    size_t n = cx->n;
    for (size_t t = 1; *why < 0; t++) {
        pl_status st = reserve_round(resp, t);
        if (st != PL_OK) return st;
        pl_eum_result *res = *resp;
        cx->x = res->pos + (t - 1) * n; /* the rows may have moved */
        cx->mu = res->median[t - 1];
        double *now = res->pos + t * n;
        if (eum_round(cx, res->risk + t * n, now)) return PL_EINTERRUPTED;
        st = record_offers(res, cx, t);
        if (st != PL_OK) return st;
        res->n_rounds = t;
        round_forecasts(cx, now, &res->mean[t], &res->median[t]);
        *why = stop_reason(res, opt, t);
        if (*why < 0 && progress_tick(cx->prog, (double)t)) return PL_EINTERRUPTED;
    }
    return PL_OK;
}

pl_status pl_eum_run(size_t n, const double *position, const double *capability,
                     const double *salience, const pl_eum_options *opt, pl_eum_result **out) {
    pl_eum_options defaults;
    progress prog;
    eum_ctx cx;
    pl_eum_result *res;
    pl_status st;
    void *work = NULL;
    double lo, hi, usq1 = eum_u_status_quo(1.0);
    size_t k, cap;
    int why = -1;

    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!opt) {
        pl_eum_options_init(&defaults, PL_EUM_PRESET_SCHOLZ);
        opt = &defaults;
    }
    if (!eum_inputs_valid(n, position, capability, salience) || !eum_options_valid(opt))
        return PL_EINVAL;
    lo = hi = position[0];
    for (k = 1; k < n; k++) {
        if (position[k] < lo) lo = position[k];
        if (position[k] > hi) hi = position[k];
    }
    if (!isfinite(hi - lo)) return PL_ERANGE;

    memset(&cx, 0, sizeof cx);
    cx.opt = opt;
    cx.n = n;
    cx.sal = salience;
    cx.delta = hi - lo;
    cx.all_pairs = opt->prob_denom == PL_EUM_PROB_ALL_PAIRS;
    cx.own_r = opt->estimate_r == PL_EUM_R_OWN;
    cx.q = opt->q;
    cx.lanes = eum_lanes_ok(opt, n);
    progress_init(&prog, opt->progress, opt->progress_ctx, (double)opt->max_rounds);
    cx.prog = opt->progress ? &prog : NULL;

    /* every round's rows at once when they are few, else 8 to start */
    cap = opt->max_rounds < 8 || opt->max_rounds < EUM_UPFRONT_POSITIONS / n ? opt->max_rounds : 8;
    res = result_new(n, cap);
    if (!res) return PL_ENOMEM;
    res->delta = cx.delta;
    st = ctx_alloc(&cx, &work);
    if (st != PL_OK) goto fail;
    st = pool_new(pick_threads(opt, n), &cx.pool);
    if (st != PL_OK) goto fail;

    set_weights(&cx, capability);
    for (k = 0; k < n; k++) {
        cx.usq_r[k] = 1.0;
        cx.usq[k] = usq1;
    }
    memcpy(res->pos, position, n * sizeof(double));
    for (k = 0; k < n; k++) res->risk[k] = 1.0;
    res->off_start[0] = res->off_start[1] = 0;
    round_forecasts(&cx, res->pos, &res->mean[0], &res->median[0]);
    if (opt->max_rounds == 0) why = PL_EUM_STOP_MAX_ROUNDS;

    st = run_rounds(&cx, &res, opt, &why);
    if (st != PL_OK) goto fail;
    res->stop = (pl_eum_stop)why;
    pool_free(cx.pool);
    pl__free(work);
    *out = res;
    return PL_OK;

fail:
    pool_free(cx.pool);
    pl__free(work);
    pl_eum_result_free(res);
    return st;
}
