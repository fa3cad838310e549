/*
** ranking.c: a party's ranking of the packages, as the negotiation agents
** use it (docs/simulation.md, B1, B2 and rule W).
**
** Packages are numbered in enumeration order (first issue slowest).  A
** ranking sorts them by the party's utility, ascending, with equal
** utilities in the order numpy 1.24's default argsort leaves them (an
** introsort, not a stable sort): negmas ranks this way, and a stable sort
** changes offers and agreements on domains with ties.  Rule W picks the
** package at the bottom of a utility band with negmas's tolerances.  The
** agents' other shared helper, reading a number from an agent spec, is here
** too (agents.c names the agents, so they cannot call into it).
*/
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"
#include "core/progress.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
** Packages and utilities
*/
void sao_decode(const pl_space *sp, sao_outcome o, size_t *choice) {
    for (size_t i = sp->n_issues; i-- > 0;) {
        size_t n = sp->issues[i].n_options;
        choice[i] = (size_t)(o % n);
        o /= n;
    }
}

double sao_utility(const pl_space *sp, size_t p, sao_outcome o, size_t *scratch) {
    sao_decode(sp, o, scratch);
    return deals_utility(sp, scratch, p);
}

/* ------------------------------------------------------------------------
** numpy 1.24's argsort (npysort/quicksort.cpp, aquicksort_ and aheapsort_):
** median-of-three quicksort down to segments of 16, insertion sort below,
** heapsort for a segment whose depth budget ran out.  Only `<` is used.
** numpy permutes indices and compares the values they point to; here each
** index travels with its value (the same comparisons and moves, so the
** same permutation, without the indirection).
*/
#define QS_SMALL 15
#define QS_STACK 128

static void swap_pair(sao_pair *a, size_t i, size_t j) {
    sao_pair t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Heapsort of a[0..n), 1-based as numpy writes it: h(i) = a[i - 1]. */
static void pair_heapsort(sao_pair *a, size_t n) {
    sao_pair tmp;
    size_t i, j, l;
#define H(k) a[(k)-1]
    for (l = n >> 1; l > 0; --l) {
        tmp = H(l);
        for (i = l, j = l << 1; j <= n;) {
            if (j < n && H(j).v < H(j + 1).v) j += 1;
            if (tmp.v < H(j).v) {
                H(i) = H(j);
                i = j;
                j += j;
            } else {
                break;
            }
        }
        H(i) = tmp;
    }
    for (; n > 1;) {
        tmp = H(n);
        H(n) = H(1);
        n -= 1;
        for (i = 1, j = 2; j <= n;) {
            if (j < n && H(j).v < H(j + 1).v) j++;
            if (tmp.v < H(j).v) {
                H(i) = H(j);
                i = j;
                j += j;
            } else {
                break;
            }
        }
        H(i) = tmp;
    }
#undef H
}

static int msb(size_t n) {
    int depth = 0;
    while (n >>= 1) depth++;
    return depth;
}

/* The sort, polling prog (may be NULL) at every partition; 1 when it asked
** to stop (a[] then half sorted). */
static int argsort(sao_pair *a, size_t num, int cdepth, progress *prog);

void sao_argsort(sao_pair *a, size_t num) { argsort(a, num, msb(num) * 2, NULL); }

void sao_argsort_budget(sao_pair *a, size_t num, int cdepth) { argsort(a, num, cdepth, NULL); }

static int argsort(sao_pair *a, size_t num, int cdepth, progress *prog) {
    if (num < 2) return 0;
    size_t pl = 0, pr = num - 1;
    size_t stack[QS_STACK];
    int depth[QS_STACK];
    size_t sp = 0, dp = 0;
    for (;;) {
        if (cdepth < 0) {
            pair_heapsort(a + pl, pr - pl + 1);
            goto pop;
        }
        while (pr - pl > QS_SMALL) {
            if (progress_poll(prog)) return 1;
            size_t pm = pl + ((pr - pl) >> 1);
            if (a[pm].v < a[pl].v) swap_pair(a, pm, pl);
            if (a[pr].v < a[pm].v) swap_pair(a, pr, pm);
            if (a[pm].v < a[pl].v) swap_pair(a, pm, pl);
            double vp = a[pm].v;
            size_t pi = pl, pj = pr - 1;
            swap_pair(a, pm, pj);
            for (;;) {
                do ++pi;
                while (a[pi].v < vp);
                do --pj;
                while (vp < a[pj].v);
                if (pi >= pj) break;
                swap_pair(a, pi, pj);
            }
            swap_pair(a, pi, pr - 1);
            /* the larger part waits on the stack */
            if (pi - pl < pr - pi) {
                stack[sp++] = pi + 1;
                stack[sp++] = pr;
                pr = pi - 1;
            } else {
                stack[sp++] = pl;
                stack[sp++] = pi - 1;
                pl = pi + 1;
            }
            depth[dp++] = --cdepth;
        }
        for (size_t pi = pl + 1; pi <= pr; ++pi) {
            sao_pair vi = a[pi];
            size_t pj = pi;
            while (pj > pl && vi.v < a[pj - 1].v) {
                a[pj] = a[pj - 1];
                pj--;
            }
            a[pj] = vi;
        }
    pop:
        if (sp == 0) break;
        pr = stack[--sp];
        pl = stack[--sp];
        cdepth = depth[--dp];
    }
    return 0;
}

/* ------------------------------------------------------------------------
** A party's ranking
*/
pl_status sao_rank(const pl_space *sp, size_t p, uint64_t n, progress *prog, double **by_index,
                   uint32_t **outs, double **us) {
    *by_index = NULL;
    *outs = NULL;
    *us = NULL;
    pl_status stop = PL_ENOMEM;
    size_t count = (size_t)n, ni = sp->n_issues, np = sp->n_parties;
    double *v = pl__malloc(count * sizeof *v);
    sao_pair *pairs = pl__malloc(count * sizeof *pairs);
    size_t *choice = pl__calloc(ni + 1, sizeof *choice);
    double *prefix = pl__calloc(ni + 1, sizeof *prefix);
    if (!v || !pairs || !choice || !prefix) goto oom;
    const deals_party *pa = &sp->parties[p];
    /* prefix[i]: the sum of the first i terms (the same additions, in the
    ** same order, as summing each package from the first issue) */
    size_t from = 0; /* prefix[0..from] are valid */
    for (size_t x = 0; x < count; x++) {
        if ((x & 0xffff) == 0 && progress_poll(prog)) {
            stop = PL_EINTERRUPTED;
            goto oom;
        }
        double u;
        if (pa->nonlinear) {
            u = deals_utility(sp, choice, p);
        } else {
            for (size_t i = from; i < ni; i++)
                prefix[i + 1] = prefix[i] + sp->tab[(sp->issues[i].offset + choice[i]) * np + p];
            u = prefix[ni];
        }
        v[x] = u;
        pairs[x].v = u;
        pairs[x].i = (uint32_t)x;
        /* the next package: the last issue fastest */
        size_t i = ni;
        while (i-- > 0) {
            if (++choice[i] < sp->issues[i].n_options) break;
            choice[i] = 0;
        }
        from = i == SIZE_MAX ? 0 : i;
    }
    pl__free(choice);
    pl__free(prefix);
    choice = NULL;
    prefix = NULL;
    if (argsort(pairs, count, msb(count) * 2, prog)) {
        stop = PL_EINTERRUPTED;
        goto oom;
    }
    *outs = pl__malloc(count * sizeof **outs);
    *us = pl__malloc(count * sizeof **us);
    if (!*outs || !*us) goto oom;
    for (size_t x = 0; x < count; x++) {
        (*outs)[x] = pairs[x].i;
        (*us)[x] = pairs[x].v;
    }
    pl__free(pairs);
    *by_index = v;
    return PL_OK;
oom:
    pl__free(v);
    pl__free(pairs);
    pl__free(choice);
    pl__free(prefix);
    pl__free(*outs);
    pl__free(*us);
    *outs = NULL;
    *us = NULL;
    return stop;
}

/* ------------------------------------------------------------------------
** Rule W(mn, mx): the lowest utility >= mn, except that a package at most
** 1e-6 below mn and strictly closer to it wins; among equal utilities the
** first in the ranking.  Written as negmas scans (every package of the band
** [mn - 1e-6, mx + 2e-6] for the one nearest mn, starting from the lower
** bound), but only over the packages that can be nearer: the distance
** |u - mn| falls towards the lower bound from below and rises above it.
*/
size_t sao_rule_w(const sao_ranking *r, double mn, double mx) {
    const double *us = r->us;
    size_t n = r->n;
    if (n == 0) return SIZE_MAX;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (us[mid] < mn) lo = mid + 1;
        else hi = mid;
    }
    size_t i = lo < n ? lo : n - 1;
    size_t c = i;
    double d = fabs(us[i] - mn);
    double band_lo = mn - 1e-6, band_hi = mx + 2e-6;
    size_t j = 0;
    hi = i;
    while (j < hi) { /* the first package inside the band's lower edge */
        size_t mid = j + (hi - j) / 2;
        if (us[mid] < band_lo) j = mid + 1;
        else hi = mid;
    }
    for (; j < i; j++) {
        if (!(band_lo <= us[j] && us[j] <= band_hi)) continue;
        double dj = fabs(us[j] - mn);
        if (dj < d) {
            c = j;
            d = dj;
        }
    }
    if (c != i && fabs(us[c] - mn) > 2e-6) return SIZE_MAX;
    return c;
}

/* ------------------------------------------------------------------------
** An agent spec's number ("tb:4" -> 4)
*/
int sao_parse_number(const char *s, double *out) {
    if (!s || !*s || strchr(" \t\n\r\f\v", *s)) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v)) return 0;
    *out = v;
    return 1;
}
