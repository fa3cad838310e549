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
** Threads: each parallel phase splits rows among threads; every value is
** computed by one thread in a fixed order and every sum across rows is made
** by the calling thread, so results do not depend on the thread count.
** Memory is allocated only by the calling thread (alloc.h is not
** thread-safe by design).
**
** Sections: utilities; work area; positions in order; votes and P; risk
** exponents; offers; one round; results; the run.
*/
#define _POSIX_C_SOURCE 200809L

#include "model_eum.h"

#include "alloc.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EUM_MAX_THREADS 64
/* Below this many actors a round is too short to pay for starting threads
** (measured: bench/bench_eum.c). */
#define EUM_AUTO_MIN_ACTORS 128
#define EUM_NO_OFFER SIZE_MAX

/* ------------------------------------------------------------------------
** Utilities (eqs 15, 16, 18, 19, 24, 32, 33)
*/

/* b^r for b in [0, 1]; r == 1 skips pow (pow(b, 1) == b exactly). */
static double powr(double b, double r) {
    if (b < 0) b = 0;
    return r == 1.0 ? b : pow(b, r);
}

static double clamp01(double d) {
    return d < 0 ? 0 : d > 1 ? 1 : d;
}

double eum_u_success(double d, double r) {
    return 2 - 4 * powr(0.5 - 0.5 * clamp01(d), r);
}

double eum_u_failure(double d, double r) {
    return 2 - 4 * powr(0.5 + 0.5 * clamp01(d), r);
}

double eum_u_better(double d_mu, double d, double r) {
    return 2 - 4 * powr(0.5 - 0.25 * (clamp01(d_mu) + clamp01(d)), r);
}

double eum_u_worse(double d_mu, double d, double r) {
    return 2 - 4 * powr(0.5 + 0.25 * (clamp01(d_mu) + clamp01(d)), r);
}

double eum_u_status_quo(double r) {
    return 2 - 4 * powr(0.5, r);
}

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
static double eu_parts(double s_target, double p, double us, double uf,
                       double usq, double q, double qt) {
    double e = s_target * (p * us + (1 - p) * uf) + (1 - s_target) * us
               - q * usq;
    if (q < 1) e -= (1 - q) * qt;
    return e;
}

/* ------------------------------------------------------------------------
** Work area
*/
typedef struct eum_ctx eum_ctx;
typedef struct eum_pool eum_pool;
struct eum_ctx {
    const pl_eum_options *opt;
    eum_pool *pool; /* helper threads, NULL for the calling thread only */
    size_t n;
    const double *sal; /* s_i                                   */
    double *w;         /* c_i s_i with c scaled by its maximum  */
    double delta;
    int all_pairs;
    double q;

    /* this round */
    const double *x;   /* positions at the start of the round */
    double *r;         /* risk exponents being computed       */
    const double *rho; /* exponents of the votes evaluated    */
    double *ones;      /* n ones                              */
    double mu;         /* weighted median                     */
    double *dmu;       /* d(x_k, mu)                          */
    double *usq;       /* U_sq(r_k)                           */

    /* positions in order */
    struct eum_key *keys; /* sort buffer                         */
    size_t *ord;          /* actors sorted by (position, index)  */
    double *spos, *sw;    /* their positions and weights         */
    size_t m;             /* distinct positions                  */
    double *upos;         /* the distinct positions, ascending   */
    size_t *ucnt;         /* actors at each                      */
    double *uw;           /* their total weight                  */
    double *ucum;         /* cumulative weight (or count) up to u */
    size_t *uidx;         /* actor -> its distinct position      */
    int equal_weights;    /* every weight is 0: count actors     */

    /* votes */
    double *tab;  /* n x m: f_q(upos[u]), then prefix sums over q   */
    double *hk;   /* n: sum over actor pairs of |f_q(a) - f_q(b)|   */
    double *probs; /* m x m x 2: P both ways, see task_votes          */
    double *votes; /* m x m x 2: their numerators (positions norm)    */
    double dall;  /* all-pairs denominator                          */

    /* risk exponents */
    double *danger; /* n: S_i                                       */
    double *gu;     /* m x m: G of a voter at u for candidate v     */
    double *hu;     /* m: H of a voter at u                         */
    double *au;     /* m: sum over voters k of w_k G_k(v)           */

    /* offers */
    double *newx;
    size_t *choice;     /* n: the sender i accepted, or EUM_NO_OFFER */
    unsigned char *kind; /* n x n when recording all offers         */
    double *eij, *eji;   /* n x n when recording all offers         */
};

struct eum_key {
    double x;
    size_t i;
};

static double dist(const eum_ctx *cx, double a, double b) {
    return cx->delta > 0 ? fabs(a - b) / cx->delta : 0.0;
}

/* Parallel for: [0, n_items) split into contiguous blocks, one per thread
** of the run's pool; block 0 runs on the calling thread.  The helpers are
** started once per run and woken for each phase (a generation count under
** a mutex).  Every value is computed the same way whatever the blocks, so
** the number of helpers that could be started does not change results. */
typedef void (*eum_task)(eum_ctx *cx, size_t lo, size_t hi);

typedef struct eum_helper {
    eum_pool *pool;
    size_t index; /* its block: 1 .. n_helpers */
} eum_helper;

struct eum_pool {
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    size_t n_helpers;
    unsigned long generation; /* one per phase */
    size_t pending;           /* helpers still running this phase */
    int quit;
    eum_ctx *cx;
    eum_task fn;
    size_t n_items;
    pthread_t tids[EUM_MAX_THREADS];
    eum_helper helpers[EUM_MAX_THREADS];
};

static void block_of(size_t n_items, size_t n_parts, size_t part, size_t *lo,
                     size_t *hi) {
    size_t base = n_items / n_parts, extra = n_items % n_parts;
    *lo = base * part + (part < extra ? part : extra);
    *hi = *lo + base + (part < extra ? 1 : 0);
}

static void *helper_main(void *arg) {
    eum_helper *helper = arg;
    eum_pool *pool = helper->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        size_t lo, hi;
        while (pool->generation == seen && !pool->quit)
            pthread_cond_wait(&pool->go, &pool->lock);
        if (pool->quit) break;
        seen = pool->generation;
        block_of(pool->n_items, pool->n_helpers + 1, helper->index, &lo, &hi);
        pthread_mutex_unlock(&pool->lock);
        if (lo < hi) pool->fn(pool->cx, lo, hi);
        pthread_mutex_lock(&pool->lock);
        if (--pool->pending == 0) pthread_cond_signal(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

/* Start up to n_threads - 1 helpers; 0 if none could be (then the run uses
** the calling thread alone). */
static int pool_start(eum_pool *pool, eum_ctx *cx, unsigned n_threads) {
    size_t k;
    memset(pool, 0, sizeof *pool);
    if (n_threads <= 1) return 0;
    if (pthread_mutex_init(&pool->lock, NULL)) return 0;
    if (pthread_cond_init(&pool->go, NULL)) {
        pthread_mutex_destroy(&pool->lock);
        return 0;
    }
    if (pthread_cond_init(&pool->done, NULL)) {
        pthread_cond_destroy(&pool->go);
        pthread_mutex_destroy(&pool->lock);
        return 0;
    }
    pool->cx = cx;
    for (k = 1; k < n_threads; k++) {
        pool->helpers[k].pool = pool;
        pool->helpers[k].index = k;
        if (pthread_create(&pool->tids[k], NULL, helper_main, &pool->helpers[k]))
            break;
        pool->n_helpers = k;
    }
    if (pool->n_helpers == 0) {
        pthread_cond_destroy(&pool->done);
        pthread_cond_destroy(&pool->go);
        pthread_mutex_destroy(&pool->lock);
        return 0;
    }
    return 1;
}

static void pool_stop(eum_pool *pool) {
    size_t k;
    pthread_mutex_lock(&pool->lock);
    pool->quit = 1;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->lock);
    for (k = 1; k <= pool->n_helpers; k++) pthread_join(pool->tids[k], NULL);
    pthread_cond_destroy(&pool->done);
    pthread_cond_destroy(&pool->go);
    pthread_mutex_destroy(&pool->lock);
}

static void par_for(eum_ctx *cx, size_t n_items, eum_task fn) {
    eum_pool *pool = cx->pool;
    size_t lo, hi;
    if (!pool || n_items < 2) {
        fn(cx, 0, n_items);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->n_items = n_items;
    pool->pending = pool->n_helpers;
    pool->generation++;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->lock);
    block_of(n_items, pool->n_helpers + 1, 0, &lo, &hi);
    fn(cx, lo, hi);
    pthread_mutex_lock(&pool->lock);
    while (pool->pending > 0) pthread_cond_wait(&pool->done, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

/* ------------------------------------------------------------------------
** Positions in order: sorting, distinct positions, the weighted median
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
static size_t median_index(const eum_ctx *cx, size_t from, size_t to,
                           double w_mover) {
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

/* Sort the positions x and derive the distinct positions. */
static void order_positions(eum_ctx *cx, const double *x) {
    size_t n = cx->n, q, m = 0;
    double cum = 0;
    for (q = 0; q < n; q++) {
        cx->keys[q].x = x[q];
        cx->keys[q].i = q;
    }
    qsort(cx->keys, n, sizeof *cx->keys, key_cmp);
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
}

/* ------------------------------------------------------------------------
** Votes and P (eq. 30)
**
** Voter k's vote for position a over b is w_k (f_k(b) - f_k(a)) with
** f_k(y) = (|x_k - y| / Delta)^rho_k; rho_k = r_k when votes use
** risk-transformed distances, else 1 (U = 1 - 2 f; the factor 2 cancels).
*/

/* tab[q][u] = f of sorted voter q at distinct position u. */
static void task_distances(eum_ctx *cx, size_t lo, size_t hi) {
    size_t q, u, m = cx->m;
    for (q = lo; q < hi; q++) {
        double rho = cx->rho[cx->ord[q]];
        double *row = cx->tab + q * m;
        for (u = 0; u < m; u++)
            row[u] = powr(dist(cx, cx->spos[q], cx->upos[u]), rho);
    }
}

/* hk[q] = sum over ordered pairs of actors (a, b) of |f_q(a) - f_q(b)|: the
** distinct positions merged in order of f (outwards from the voter), then
** each group of c equal values at rank B contributes 2 f c (2B + c - n). */
static void task_pair_sums(eum_ctx *cx, size_t lo, size_t hi) {
    size_t q, m = cx->m;
    double n = (double)cx->n;
    for (q = lo; q < hi; q++) {
        const double *f = cx->tab + q * m;
        size_t home = cx->uidx[cx->ord[q]];
        size_t left = home, right = home; /* next: left - 1, right */
        double before = 0, h = 0;
        while (left > 0 || right < m) {
            size_t u;
            double c;
            if (right < m && (left == 0 || f[right] <= f[left - 1]))
                u = right++;
            else
                u = --left;
            c = (double)cx->ucnt[u];
            h += f[u] * c * (2 * before + c - n);
            before += c;
        }
        cx->hk[q] = 2 * h;
    }
}

/* In place, per distinct position u: tab[q][u] = sum over sorted voters
** q' <= q of w_q' f_q'(u). */
static void task_prefix(eum_ctx *cx, size_t lo, size_t hi) {
    size_t q, u, m = cx->m;
    for (u = lo; u < hi; u++) cx->tab[u] *= cx->sw[0];
    for (q = 1; q < cx->n; q++) {
        const double *prev = cx->tab + (q - 1) * m;
        double *row = cx->tab + q * m;
        double wq = cx->sw[q];
        for (u = lo; u < hi; u++) row[u] = prev[u] + wq * row[u];
    }
}

/* Sum over sorted voters q < t of w_q f_q(u). */
static double prefix(const eum_ctx *cx, size_t u, size_t t) {
    return t ? cx->tab[(t - 1) * cx->m + u] : 0.0;
}

/* The positive votes on the pair of distinct positions lo < hi: for upos[lo]
** over upos[hi] (the voters strictly nearer upos[lo], a prefix of the
** voters in position order) and for upos[hi] over upos[lo] (the rest; those
** at equal distance vote 0).  A function of (lo, hi) alone, so that both
** rows of the table get the same bits. */
static void pair_votes(const eum_ctx *cx, size_t lo, size_t hi,
                       double *for_lo, double *for_hi) {
    double y_lo = cx->upos[lo], y_hi = cx->upos[hi];
    size_t left = 0, right = cx->n, n = cx->n;
    while (left < right) {
        size_t mid = left + (right - left) / 2;
        if (fabs(cx->spos[mid] - y_lo) < fabs(cx->spos[mid] - y_hi))
            left = mid + 1;
        else
            right = mid;
    }
    *for_lo = prefix(cx, hi, left) - prefix(cx, lo, left);
    *for_hi = (prefix(cx, lo, n) - prefix(cx, lo, left))
              - (prefix(cx, hi, n) - prefix(cx, hi, left));
    if (!(*for_lo > 0)) *for_lo = 0;
    if (!(*for_hi > 0)) *for_hi = 0;
}

static double clamp_prob(double p) {
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

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
    double *row = cx->probs + 2 * a * m;
    row[2 * a] = row[2 * a + 1] = 0;
    if (cx->votes) cx->votes[2 * (a * m + a)] = cx->votes[2 * (a * m + a) + 1] = 0;
    for (b = a + 1; b < m; b++) {
        double *mirror = cx->probs + 2 * (b * m + a);
        double for_a, for_b;
        pair_votes(cx, a, b, &for_a, &for_b);
        row[2 * b] = mirror[1] = prob_of(cx, for_a, for_b);
        row[2 * b + 1] = mirror[0] = prob_of(cx, for_b, for_a);
        if (cx->votes) {
            cx->votes[2 * (a * m + b)] = cx->votes[2 * (b * m + a) + 1] = for_a;
            cx->votes[2 * (a * m + b) + 1] = cx->votes[2 * (b * m + a)] = for_b;
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

static void evaluate_votes(eum_ctx *cx, const double *rho) {
    size_t q;
    cx->rho = rho;
    par_for(cx, cx->n, task_distances);
    if (cx->all_pairs) {
        par_for(cx, cx->n, task_pair_sums);
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
static double eu_r1(const eum_ctx *cx, double s_i, double p, double d,
                    double xj, double xi, double mu) {
    double us = eum_u_success(d, 1.0), uf = eum_u_failure(d, 1.0), qt = 0;
    if (cx->q < 1) {
        double d_mu = dist(cx, xj, mu);
        qt = fabs(xj - mu) < fabs(xj - xi) ? eum_u_better(d_mu, d, 1.0)
                                           : eum_u_worse(d_mu, d, 1.0);
    }
    return eu_parts(s_i, p, us, uf, eum_u_status_quo(1.0), cx->q, qt);
}

/* danger[i] = S_i = sum over j != i of E_j(ji), the others taken in
** position order (so that row ui of the table is read in order). */
static void task_danger(eum_ctx *cx, size_t lo, size_t hi) {
    size_t i, j, q;
    for (i = lo; i < hi; i++) {
        double s = 0, xi = cx->x[i];
        size_t ui = cx->uidx[i];
        for (q = 0; q < cx->n; q++) {
            size_t uj;
            j = cx->ord[q];
            uj = cx->uidx[j];
            if (j == i) continue;
            s += eu_r1(cx, cx->sal[i], prob(cx, ui, uj, 1),
                       dist(cx, cx->x[j], xi), cx->x[j], xi, cx->mu);
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
        for (v = 0; v < m; v++)
            total += (double)cx->ucnt[v] * dist(cx, cx->upos[u], cx->upos[v]);
        while (left > 0 || right < m) {
            double fv, c, g;
            if (right < m
                && (left == 0
                    || dist(cx, cx->upos[u], cx->upos[right])
                           <= dist(cx, cx->upos[u], cx->upos[left - 1])))
                v = right++;
            else
                v = --left;
            fv = dist(cx, cx->upos[u], cx->upos[v]);
            c = (double)cx->ucnt[v];
            g = fv * before_c - before_s + (total - before_s - c * fv)
                - fv * (n - before_c - c);
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
    d = cx->dall - 2 * cx->au[ui] + 2 * cx->au[u] - 2 * c
        + wi * ((cx->hu[u] - cx->hu[ui])
                - 2 * (cx->gu[u * m + ui] - cx->gu[ui * m + ui])
                + 2 * (cx->gu[u * m + u] - cx->gu[ui * m + u]));
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
            if (cx->q < 1 && u != ui)
                mu = cx->upos[median_index(cx, ui, u, w_med)];
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
                        double other = v[0]
                                       - (vi_for_j < 0 ? -vi_for_j : 0)
                                       + wi * d;
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
        for (i = 0; i < cx->n; i++)
            cx->r[i] = eum_risk_exponent(cx->danger[i], s_max, s_min);
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
static double offer_target(const pl_eum_options *opt, int kind, double xi,
                           double xj, double e_ij, double e_ji) {
    double to, lo = xi < xj ? xi : xj, hi = xi < xj ? xj : xi;
    if (kind != PL_EUM_COMPROMISE) return xj;
    if (opt->compromise == PL_EUM_COMPROMISE_SPEC)
        to = xi + (xj - xi) * fabs(e_ij / e_ji);
    else
        to = (fabs(e_ij) * xi + fabs(e_ji) * xj) / (fabs(e_ij) + fabs(e_ji));
    return to < lo ? lo : to > hi ? hi : to;
}

static int kind_rank(int kind) {
    return kind == PL_EUM_CONFLICT ? 3 : kind == PL_EUM_COMPROMISE ? 2 : 1;
}

static int cmp_less(double a, double b) {
    return (a < b) - (a > b);
}

/* The offer (kind, to, e_ji) against the best so far for i: > 0 better,
** < 0 worse, 0 as good (then the sender first in actor order wins). */
static int offer_cmp(const pl_eum_options *opt, double xi, int kind,
                     double to, double e_ji, int best_kind, double best_to,
                     double best_eji) {
    if (opt->choice == PL_EUM_CHOICE_SENDER_EU) return -cmp_less(e_ji, best_eji);
    if (kind_rank(kind) != kind_rank(best_kind))
        return kind_rank(kind) > kind_rank(best_kind) ? 1 : -1;
    if (kind == PL_EUM_COMPROMISE && opt->compromise_lowest)
        return cmp_less(to, best_to);
    return cmp_less(fabs(to - xi), fabs(best_to - xi));
}

/* E_ij and E_ji as i sees them. */
static void eu_pair(const eum_ctx *cx, size_t i, size_t j, double *e_ij,
                    double *e_ji) {
    const double *x = cx->x;
    double xi = x[i], xj = x[j], ri = cx->r[i];
    double d = dist(cx, xi, xj);
    double us = eum_u_success(d, ri), uf = eum_u_failure(d, ri);
    double us_j = us, uf_j = uf, usq_j = cx->usq[i], rj = ri;
    double qt_i = 0, qt_j = 0;
    size_t ui = cx->uidx[i], uj = cx->uidx[j];
    if (cx->opt->estimate_r == PL_EUM_R_OTHER && cx->r[j] != ri) {
        rj = cx->r[j];
        us_j = eum_u_success(d, rj);
        uf_j = eum_u_failure(d, rj);
        usq_j = cx->usq[j];
    }
    if (cx->q < 1) {
        qt_i = fabs(xi - cx->mu) < fabs(xi - xj)
                   ? eum_u_better(cx->dmu[i], d, ri)
                   : eum_u_worse(cx->dmu[i], d, ri);
        qt_j = fabs(xj - cx->mu) < fabs(xj - xi)
                   ? eum_u_better(cx->dmu[j], d, rj)
                   : eum_u_worse(cx->dmu[j], d, rj);
    }
    *e_ij = eu_parts(cx->sal[j], prob(cx, ui, uj, 0), us, uf, cx->usq[i],
                     cx->q, qt_i);
    *e_ji = eu_parts(cx->sal[i], prob(cx, ui, uj, 1), us_j, uf_j, usq_j,
                     cx->q, qt_j);
}

/* Actor i's offers and the one it takes; the others are taken in position
** order (so that row ui of the table is read in order). */
static void task_offers(eum_ctx *cx, size_t lo, size_t hi) {
    const pl_eum_options *opt = cx->opt;
    size_t i, j, q, n = cx->n;
    for (i = lo; i < hi; i++) {
        double xi = cx->x[i], best_to = xi, best_eji = 0;
        int best_kind = 0;
        size_t best_j = EUM_NO_OFFER;
        for (q = 0; q < n; q++) {
            double e_ij, e_ji, to;
            int kind = 0, c;
            j = cx->ord[q];
            if (cx->x[j] != xi) {
                eu_pair(cx, i, j, &e_ij, &e_ji);
                kind = classify(opt, e_ij, e_ji);
                if (cx->kind) {
                    cx->eij[i * n + j] = e_ij;
                    cx->eji[i * n + j] = e_ji;
                }
            }
            if (cx->kind) cx->kind[i * n + j] = (unsigned char)kind;
            if (!kind) continue;
            to = offer_target(opt, kind, xi, cx->x[j], e_ij, e_ji);
            c = best_kind ? offer_cmp(opt, xi, kind, to, e_ji, best_kind,
                                      best_to, best_eji)
                          : 1;
            if (c > 0 || (c == 0 && j < best_j)) {
                best_kind = kind;
                best_to = to;
                best_eji = e_ji;
                best_j = j;
            }
        }
        cx->newx[i] = best_to;
        cx->choice[i] = best_j;
    }
}

/* ------------------------------------------------------------------------
** One round: from the positions ordered by order_positions, write the risk
** exponents to r and the new positions to newx.
*/
static void eum_round(eum_ctx *cx, double *r, double *newx) {
    size_t k;
    cx->r = r;
    cx->newx = newx;
    for (k = 0; k < cx->n; k++) cx->dmu[k] = dist(cx, cx->x[k], cx->mu);
    evaluate_votes(cx, cx->ones);
    risk_exponents(cx);
    for (k = 0; k < cx->n; k++) cx->usq[k] = eum_u_status_quo(r[k]);
    if (cx->opt->risk_votes) evaluate_votes(cx, r);
    par_for(cx, cx->n, task_offers);
}

/* ------------------------------------------------------------------------
** Results
*/
struct pl_eum_result {
    size_t n;
    size_t n_rounds;
    size_t cap;         /* rounds with room: rows 0..cap          */
    double delta;
    double *pos;        /* (cap + 1) x n                          */
    double *risk;       /* (cap + 1) x n; row 0 unused            */
    double *mean;       /* cap + 1                                */
    double *median;     /* cap + 1                                */
    size_t *off_start;  /* cap + 2: round t's offers start here   */
    pl_eum_offer *offers;
    size_t n_offers, cap_offers;
    pl_eum_stop stop;
    size_t cycle_length;
};

void pl_eum_result_free(pl_eum_result *res) {
    if (!res) return;
    pl__free(res->pos);
    pl__free(res->risk);
    pl__free(res->mean);
    pl__free(res->median);
    pl__free(res->off_start);
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

/* Room for round `round`. */
static pl_status reserve_round(pl_eum_result *res, size_t round) {
    size_t cap = res->cap, n = res->n;
    if (round <= cap && res->pos) return PL_OK;
    while (cap < round) cap = cap < 8 ? 8 : cap * 2;
    if (cap + 2 < cap || cap + 1 > SIZE_MAX / (n ? n : 1)) return PL_ENOMEM;
    if (!grow(&res->pos, (cap + 1) * n, sizeof(double))
        || !grow(&res->risk, (cap + 1) * n, sizeof(double))
        || !grow(&res->mean, cap + 1, sizeof(double))
        || !grow(&res->median, cap + 1, sizeof(double))
        || !grow(&res->off_start, cap + 2, sizeof(size_t)))
        return PL_ENOMEM;
    res->cap = cap;
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
static pl_status record_offers(pl_eum_result *res, const eum_ctx *cx,
                               size_t t) {
    size_t i, j, n = cx->n;
    pl_status st = PL_OK;
    res->off_start[t] = res->n_offers;
    if (cx->opt->record == PL_EUM_RECORD_ALL) {
        for (i = 0; i < n && st == PL_OK; i++) {
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
                o.to = offer_target(cx->opt, kind, o.from, cx->x[j],
                                    o.eu_receiver, o.eu_sender);
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
            eu_pair(cx, i, j, &o.eu_receiver, &o.eu_sender);
            o.kind = (pl_eum_offer_kind)classify(cx->opt, o.eu_receiver,
                                                 o.eu_sender);
            o.accepted = 1;
            o.from = cx->x[i];
            o.to = cx->newx[i];
            st = push_offer(res, &o);
        }
    }
    res->off_start[t + 1] = res->n_offers;
    return st;
}

size_t pl_eum_result_n_actors(const pl_eum_result *res) {
    return res ? res->n : 0;
}

size_t pl_eum_result_n_rounds(const pl_eum_result *res) {
    return res ? res->n_rounds : 0;
}

pl_eum_stop pl_eum_result_stop(const pl_eum_result *res) {
    return res ? res->stop : PL_EUM_STOP_MAX_ROUNDS;
}

size_t pl_eum_result_cycle_length(const pl_eum_result *res) {
    return res ? res->cycle_length : 0;
}

double pl_eum_result_delta(const pl_eum_result *res) {
    return res ? res->delta : 0.0;
}

const double *pl_eum_result_positions(const pl_eum_result *res,
                                      size_t round) {
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

const pl_eum_offer *pl_eum_result_offers(const pl_eum_result *res,
                                         size_t round, size_t *n_offers) {
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

static int options_valid(const pl_eum_options *o) {
    return isfinite(o->q) && o->q >= 0 && o->q <= 1
           && (o->prob_denom == PL_EUM_PROB_PAIR
               || o->prob_denom == PL_EUM_PROB_ALL_PAIRS)
           && (o->estimate_r == PL_EUM_R_OWN
               || o->estimate_r == PL_EUM_R_OTHER)
           && (o->compromise == PL_EUM_COMPROMISE_SPEC
               || o->compromise == PL_EUM_COMPROMISE_WEIGHTED)
           && (o->choice == PL_EUM_CHOICE_RANKED
               || o->choice == PL_EUM_CHOICE_SENDER_EU)
           && (o->risk_norm == PL_EUM_RISK_ACROSS_ACTORS
               || o->risk_norm == PL_EUM_RISK_ACROSS_POSITIONS)
           && (o->record == PL_EUM_RECORD_ALL
               || o->record == PL_EUM_RECORD_MOVES
               || o->record == PL_EUM_RECORD_NONE)
           && isfinite(o->tolerance) && o->tolerance >= 0
           && isfinite(o->cycle_tolerance) && o->cycle_tolerance >= 0;
}

static unsigned pick_threads(const pl_eum_options *opt, size_t n) {
    long online;
    unsigned nt = opt->n_threads;
    if (nt == 0) {
        if (n < EUM_AUTO_MIN_ACTORS) return 1;
        online = sysconf(_SC_NPROCESSORS_ONLN);
        nt = online > 0 ? (unsigned)(online < EUM_MAX_THREADS ? online
                                                              : EUM_MAX_THREADS)
                        : 1;
    }
    return nt > EUM_MAX_THREADS ? EUM_MAX_THREADS : nt;
}

static void ctx_free(eum_ctx *cx) {
    pl__free(cx->w);
    pl__free(cx->ones);
    pl__free(cx->dmu);
    pl__free(cx->usq);
    pl__free(cx->keys);
    pl__free(cx->ord);
    pl__free(cx->spos);
    pl__free(cx->sw);
    pl__free(cx->upos);
    pl__free(cx->ucnt);
    pl__free(cx->uw);
    pl__free(cx->ucum);
    pl__free(cx->uidx);
    pl__free(cx->tab);
    pl__free(cx->hk);
    pl__free(cx->probs);
    pl__free(cx->votes);
    pl__free(cx->danger);
    pl__free(cx->gu);
    pl__free(cx->hu);
    pl__free(cx->au);
    pl__free(cx->choice);
    pl__free(cx->kind);
    pl__free(cx->eij);
    pl__free(cx->eji);
}

/* Allocate count elements of size `size` into *p; 0 on failure. */
static int alloc_n(void *p, size_t count, size_t size) {
    void **slot = p;
    if (size && count > SIZE_MAX / size) return 0;
    *slot = pl__malloc(count * size);
    return *slot != NULL;
}

static pl_status ctx_alloc(eum_ctx *cx) {
    size_t n = cx->n;
    int ok;
    if (n > SIZE_MAX / n) return PL_ENOMEM;
    ok = alloc_n(&cx->w, n, sizeof(double))
         && alloc_n(&cx->ones, n, sizeof(double))
         && alloc_n(&cx->dmu, n, sizeof(double))
         && alloc_n(&cx->usq, n, sizeof(double))
         && alloc_n(&cx->keys, n, sizeof(struct eum_key))
         && alloc_n(&cx->ord, n, sizeof(size_t))
         && alloc_n(&cx->spos, n, sizeof(double))
         && alloc_n(&cx->sw, n, sizeof(double))
         && alloc_n(&cx->upos, n, sizeof(double))
         && alloc_n(&cx->ucnt, n, sizeof(size_t))
         && alloc_n(&cx->uw, n, sizeof(double))
         && alloc_n(&cx->ucum, n, sizeof(double))
         && alloc_n(&cx->uidx, n, sizeof(size_t))
         && alloc_n(&cx->tab, n * n, sizeof(double))
         && alloc_n(&cx->hk, n, sizeof(double))
         && alloc_n(&cx->probs, n * n, 2 * sizeof(double))
         && alloc_n(&cx->danger, n, sizeof(double))
         && alloc_n(&cx->choice, n, sizeof(size_t));
    if (ok && cx->opt->risk_norm == PL_EUM_RISK_ACROSS_POSITIONS)
        ok = alloc_n(&cx->votes, n * n, 2 * sizeof(double))
             && alloc_n(&cx->gu, n * n, sizeof(double))
             && alloc_n(&cx->hu, n, sizeof(double))
             && alloc_n(&cx->au, n, sizeof(double));
    if (ok && cx->opt->record == PL_EUM_RECORD_ALL)
        ok = alloc_n(&cx->kind, n * n, 1)
             && alloc_n(&cx->eij, n * n, sizeof(double))
             && alloc_n(&cx->eji, n * n, sizeof(double));
    return ok ? PL_OK : PL_ENOMEM;
}

/* The forecasts of round t: the capability x salience weighted mean and
** median of its positions. */
static pl_status forecasts(pl_eum_result *res, const eum_ctx *cx, size_t t) {
    const double *x = res->pos + t * res->n;
    pl_status st = pl_weighted_mean(x, cx->w, res->n, &res->mean[t]);
    return st == PL_OK ? pl_weighted_median(x, cx->w, res->n, &res->median[t])
                       : st;
}

/* Why to stop after round t, or -1 to go on. */
static int stop_reason(pl_eum_result *res, const pl_eum_options *opt,
                       size_t t) {
    size_t n = res->n, back, k;
    double tol = opt->tolerance * res->delta;
    double ctol = opt->cycle_tolerance * res->delta;
    const double *now = res->pos + t * n;
    if (fabs(res->mean[t] - res->mean[t - 1]) <= tol
        && fabs(res->median[t] - res->median[t - 1]) <= tol)
        return PL_EUM_STOP_TOLERANCE;
    if (opt->detect_cycles) {
        for (back = 2; back <= t; back++) {
            const double *then = res->pos + (t - back) * n;
            for (k = 0; k < n && fabs(now[k] - then[k]) <= ctol; k++) {}
            if (k == n) {
                res->cycle_length = back;
                return PL_EUM_STOP_CYCLE;
            }
        }
    }
    if (t >= opt->max_rounds) return PL_EUM_STOP_MAX_ROUNDS;
    return -1;
}

static int inputs_valid(size_t n, const double *position,
                        const double *capability, const double *salience) {
    size_t k;
    if (n == 0 || !position || !capability || !salience) return 0;
    for (k = 0; k < n; k++) {
        if (!isfinite(position[k]) || !isfinite(capability[k])
            || capability[k] < 0 || !(salience[k] >= 0 && salience[k] <= 1))
            return 0;
    }
    return 1;
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
        cx->ones[k] = 1.0;
    }
    cx->equal_weights = !(w_total > 0);
}

pl_status pl_eum_run(size_t n, const double *position,
                     const double *capability, const double *salience,
                     const pl_eum_options *opt, pl_eum_result **out) {
    pl_eum_options defaults;
    eum_ctx cx;
    eum_pool pool;
    pl_eum_result *res;
    pl_status st;
    double lo, hi;
    size_t k, t;
    int why = -1;

    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!opt) {
        pl_eum_options_init(&defaults, PL_EUM_PRESET_SCHOLZ);
        opt = &defaults;
    }
    if (!inputs_valid(n, position, capability, salience)
        || !options_valid(opt))
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
    cx.q = opt->q;

    res = pl__calloc(1, sizeof *res);
    if (!res) return PL_ENOMEM;
    res->n = n;
    res->delta = cx.delta;
    st = ctx_alloc(&cx);
    if (st == PL_OK)
        st = reserve_round(res, opt->max_rounds < 8 ? opt->max_rounds : 8);
    if (st != PL_OK) goto fail;
    if (pool_start(&pool, &cx, pick_threads(opt, n))) cx.pool = &pool;

    set_weights(&cx, capability);
    memcpy(res->pos, position, n * sizeof(double));
    for (k = 0; k < n; k++) res->risk[k] = 1.0;
    res->off_start[0] = res->off_start[1] = 0;
    order_positions(&cx, res->pos);
    st = forecasts(res, &cx, 0);
    if (st != PL_OK) goto fail;
    if (opt->max_rounds == 0) why = PL_EUM_STOP_MAX_ROUNDS;

    for (t = 1; why < 0; t++) {
        double *now;
        st = reserve_round(res, t);
        if (st != PL_OK) goto fail;
        cx.x = res->pos + (t - 1) * n; /* the rows may have moved */
        cx.mu = res->median[t - 1];
        now = res->pos + t * n;
        eum_round(&cx, res->risk + t * n, now);
        st = record_offers(res, &cx, t);
        if (st != PL_OK) goto fail;
        res->n_rounds = t;
        order_positions(&cx, now);
        st = forecasts(res, &cx, t);
        if (st != PL_OK) goto fail;
        why = stop_reason(res, opt, t);
    }
    res->stop = (pl_eum_stop)why;
    if (cx.pool) pool_stop(cx.pool);
    ctx_free(&cx);
    *out = res;
    return PL_OK;

fail:
    if (cx.pool) pool_stop(cx.pool);
    ctx_free(&cx);
    pl_eum_result_free(res);
    return st;
}
