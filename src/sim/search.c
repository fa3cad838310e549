/*
** search.c: a linear party's packages searched instead of ranked, for the
** spaces above the cap (docs/simulation.md, "Searching a big space").
**
** The agents ask a ranking three things: the package at the bottom of a
** utility band (rule W), the lowest package at or above a level, and the
** packages one by one from the best down.  On a linear party all three are
** answered without enumerating the space, by meet in the middle: the issues
** are cut in two halves of about sqrt(N) option combinations each, each
** half's partial utilities sorted once; the sums of one entry of each half
** are walked with two pointers (the left half ascending, the right
** descending), O(sqrt N) a query.
**
** The order searched is (utility, package index) ascending: among equal
** utilities the lower enumeration index comes first.  (A ranking orders
** ties as numpy's introsort leaves them, which no search reproduces; both
** orders agree wherever no two packages tie.)  The utility is always the
** exact one the ranking uses, summed issue by issue from the first; a half
** sum L + R can differ from it by a few ulps, so a query looks at every
** package whose half sum lies within `delta` (a bound on that difference)
** of the answer and keeps the exact best.
*/
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sao_search {
    const pl_space *sp;
    size_t party;
    uint64_t radix;    /* package = left index * radix + right index */
    size_t nl, nr;     /* entries of each half */
    double *lv, *rv;   /* each half's partial utilities, ascending */
    uint64_t *li, *ri; /* and their indices */
    double delta;      /* |L + R - exact utility| is at most this */
};

/* ------------------------------------------------------------------------
** Making a search
*/
typedef struct half_item {
    double v;
    uint64_t i;
} half_item;

static int cmp_item(const void *pa, const void *pb) {
    const half_item *a = pa, *b = pb;
    if (a->v != b->v) return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* The n combinations of the options of issues [from, to), their partial
** utilities for party p sorted ascending into *vs and their indices
** (mixed radix, the last issue fastest) into *is. */
static pl_status make_half(const pl_space *sp, size_t p, size_t from, size_t to, size_t n,
                           double **vs, uint64_t **is) {
    half_item *items = pl__malloc(n * sizeof *items);
    *vs = pl__malloc(n * sizeof **vs);
    *is = pl__malloc(n * sizeof **is);
    if (!items || !*vs || !*is) {
        pl__free(items);
        return PL_ENOMEM;
    }
    size_t np = sp->n_parties;
    for (size_t x = 0; x < n; x++) {
        uint64_t rest = x;
        double v = 0;
        for (size_t i = to; i-- > from;) {
            size_t k = sp->issues[i].n_options;
            v += sp->tab[(sp->issues[i].offset + rest % k) * np + p];
            rest /= k;
        }
        items[x].v = v;
        items[x].i = x;
    }
    qsort(items, n, sizeof *items, cmp_item);
    for (size_t x = 0; x < n; x++) {
        (*vs)[x] = items[x].v;
        (*is)[x] = items[x].i;
    }
    pl__free(items);
    return PL_OK;
}

void sao_search_free(sao_search *s) {
    if (!s) return;
    pl__free(s->lv);
    pl__free(s->rv);
    pl__free(s->li);
    pl__free(s->ri);
    pl__free(s);
}

/* The cut h (issues [0, h) left) with the smaller larger half. */
static size_t best_cut(const pl_space *sp, uint64_t *n_left, uint64_t *n_right) {
    size_t ni = sp->n_issues, h_best = 0;
    uint64_t best = UINT64_MAX;
    for (size_t h = 0; h <= ni; h++) {
        uint64_t l = 1, r = 1;
        for (size_t i = 0; i < ni; i++) {
            uint64_t *side = i < h ? &l : &r;
            uint64_t k = sp->issues[i].n_options;
            *side = *side > UINT64_MAX / k ? UINT64_MAX : *side * k;
        }
        uint64_t larger = l > r ? l : r;
        if (larger < best) {
            best = larger;
            h_best = h;
            *n_left = l;
            *n_right = r;
        }
    }
    return h_best;
}

pl_status sao_search_new(const pl_space *sp, size_t p, sao_search **out) {
    *out = NULL;
    uint64_t n_left = 0, n_right = 0;
    size_t h = best_cut(sp, &n_left, &n_right);
    if (n_left > SAO_SEARCH_HALF_MAX || n_right > SAO_SEARCH_HALF_MAX) return PL_ERANGE;
    sao_search *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->sp = sp;
    s->party = p;
    s->radix = n_right;
    s->nl = (size_t)n_left;
    s->nr = (size_t)n_right;
    pl_status rc = make_half(sp, p, 0, h, s->nl, &s->lv, &s->li);
    if (rc == PL_OK) rc = make_half(sp, p, h, sp->n_issues, s->nr, &s->rv, &s->ri);
    if (rc != PL_OK) {
        sao_search_free(s);
        return rc;
    }
    /* each of the two sums rounds at most n_issues times, each time by at
    ** most an ulp of a partial sum bounded by the sum of the largest |term|s */
    double bound = 0;
    size_t np = sp->n_parties;
    for (size_t i = 0; i < sp->n_issues; i++) {
        double m = 0;
        for (size_t o = 0; o < sp->issues[i].n_options; o++) {
            double t = fabs(sp->tab[(sp->issues[i].offset + o) * np + p]);
            if (t > m) m = t;
        }
        bound += m;
    }
    s->delta = 4.0 * (double)(sp->n_issues + 2) * DBL_EPSILON * bound + 1e-300;
    *out = s;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Half sums
*/
/* The smallest half sum >= lower (0 when none). */
static int min_sum_from(const sao_search *s, double lower, double *out) {
    size_t j = s->nr;
    int found = 0;
    for (size_t i = 0; i < s->nl; i++) {
        double l = s->lv[i];
        while (j > 0 && l + s->rv[j - 1] >= lower) j--;
        if (j == s->nr) continue;
        double v = l + s->rv[j];
        if (!found || v < *out) *out = v;
        found = 1;
        if (j == 0) break; /* larger left entries only give larger sums */
    }
    return found;
}

/* The largest half sum <= upper (0 when none). */
static int max_sum_to(const sao_search *s, double upper, double *out) {
    size_t j = 0; /* the first right entry whose sum exceeds upper */
    int found = 0;
    for (size_t i = s->nl; i-- > 0;) {
        double l = s->lv[i];
        while (j < s->nr && l + s->rv[j] <= upper) j++;
        if (j == 0) continue;
        double v = l + s->rv[j - 1];
        if (!found || v > *out) *out = v;
        found = 1;
        if (j == s->nr) break;
    }
    return found;
}

/* The best key among the packages whose half sum lies in [a, b]: with
** want_above, the smallest key > after (or >= when inclusive), else the
** largest key < after. */
typedef struct probe {
    int want_above, inclusive;
    sao_key after;
    int found;
    sao_key best;
} probe;

static int key_less(sao_key a, sao_key b) { return a.u < b.u || (a.u == b.u && a.o < b.o); }

static void consider(const sao_search *s, probe *pr, sao_outcome o, size_t *scratch) {
    sao_key k = {sao_utility(s->sp, s->party, o, scratch), o};
    if (pr->want_above) {
        int ok = pr->inclusive ? !key_less(k, pr->after) : key_less(pr->after, k);
        if (ok && (!pr->found || key_less(k, pr->best))) pr->best = k, pr->found = 1;
    } else if (key_less(k, pr->after) && (!pr->found || key_less(pr->best, k))) {
        pr->best = k;
        pr->found = 1;
    }
}

static void window(const sao_search *s, double a, double b, probe *pr, size_t *scratch) {
    size_t lo = s->nr, hi = s->nr; /* right entries [lo, hi) sum into [a, b] */
    for (size_t i = 0; i < s->nl; i++) {
        double l = s->lv[i];
        while (lo > 0 && l + s->rv[lo - 1] >= a) lo--;
        while (hi > 0 && l + s->rv[hi - 1] > b) hi--;
        for (size_t j = lo; j < hi; j++) consider(s, pr, s->li[i] * s->radix + s->ri[j], scratch);
    }
}

static double step_up(double x, double by) {
    double y = x + by;
    return y > x ? y : nextafter(x, INFINITY);
}

/* ------------------------------------------------------------------------
** Queries
*/
int sao_search_succ(const sao_search *s, sao_key after, int inclusive, size_t *scratch,
                    sao_key *out) {
    double d = s->delta, lower = after.u - d, m;
    probe pr = {1, inclusive, after, 0, {0, 0}};
    while (min_sum_from(s, lower, &m)) {
        window(s, lower, m + 2 * d, &pr, scratch);
        if (pr.found) { /* every key between `after` and the best lies below best.u + d */
            window(s, m + 2 * d, step_up(pr.best.u, d), &pr, scratch);
            *out = pr.best;
            return 1;
        }
        lower = step_up(m, 2 * d);
    }
    return 0;
}

int sao_search_pred(const sao_search *s, sao_key before, size_t *scratch, sao_key *out) {
    double d = s->delta, upper = before.u + d, m;
    probe pr = {0, 0, before, 0, {0, 0}};
    while (max_sum_to(s, upper, &m)) {
        window(s, m - 2 * d, upper, &pr, scratch);
        if (pr.found) {
            window(s, -step_up(-pr.best.u, d), m - 2 * d, &pr, scratch);
            *out = pr.best;
            return 1;
        }
        upper = -step_up(-m, 2 * d);
    }
    return 0;
}

/* ------------------------------------------------------------------------
** What the agents ask a searched party (sao_party.search set; the bounds
** bottom and top seated by sao_search_seat)
*/
void sao_search_seat(sao_party *v, size_t *scratch) {
    const sao_search *s = v->search;
    sao_key inf = {INFINITY, 0}, floor = {-INFINITY, 0};
    if (!sao_search_pred(s, inf, scratch, &v->top)) {
        v->top.u = sao_utility(s->sp, s->party, v->best, scratch);
        v->top.o = v->best;
    }
    if (v->rational) floor.u = v->reservation;
    if (!sao_search_succ(s, floor, 1, scratch, &v->bottom)) v->bottom = v->top;
}

/* The smallest key >= k within the party's bounds; 0 when none. */
static int at_least(const sao_party *p, sao_key k, sao_key *out) {
    if (key_less(k, p->bottom)) {
        *out = p->bottom;
        return 1;
    }
    return sao_search_succ(p->search, k, 1, p->scratch, out);
}

sao_outcome sao_search_rule_w(const sao_party *p, double mn, double mx) {
    sao_key lim = {mn, 0}, a, b, c;
    if (!at_least(p, lim, &a)) return p->top.o;
    if (!key_less(p->bottom, lim) || !sao_search_pred(p->search, lim, p->scratch, &b) ||
        key_less(b, p->bottom))
        return a.o;
    double band_lo = mn - 1e-6, band_hi = mx + 2e-6;
    if (!(band_lo <= b.u && b.u <= band_hi) || !(fabs(b.u - mn) < fabs(a.u - mn))) return a.o;
    sao_key first = {b.u, 0}; /* the first package of b's utility */
    return at_least(p, first, &c) ? c.o : b.o;
}

sao_outcome sao_search_at_least(const sao_party *p, double level) {
    sao_key lim = {level, 0}, a;
    return at_least(p, lim, &a) ? a.o : p->top.o;
}

sao_outcome sao_search_below(const sao_party *p, sao_outcome o) {
    sao_key k = {sao_u(p, o), o}, b;
    if (!key_less(p->bottom, k)) return SAO_NONE;
    if (!sao_search_pred(p->search, k, p->scratch, &b) || key_less(b, p->bottom)) return SAO_NONE;
    return b.o;
}
