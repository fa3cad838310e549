/*
** agent_aspiration.c: the aspiration agent of the literature (Part A of
** docs/simulation.md; after negmas's AspirationNegotiator): its level is
** a(t) = 1 - t^e of the way from its worst to its best utility (e = 4 by
** default: Boulware-like); it accepts an offer worth at least the level and
** offers the lowest package at or above it (the first in its ranking among
** equals; its best when none is).  parley's own rule, checked against no
** outside reference.
*/
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <math.h>

#define ASP_MAX_EXPONENT 1e6

typedef struct aspiration {
    double e;
} aspiration;

static double level(const aspiration *s, const sao_party *p, const sao_time *tm) {
    return (p->u_max - p->u_min) * (1.0 - sao_time_pow(tm, s->e)) + p->u_min;
}

static pl_status check(const char *arg) {
    double e;
    if (!arg) return PL_OK;
    if (!sao_parse_number(arg, &e) || !(e >= 0 && e <= ASP_MAX_EXPONENT)) return PL_ERANGE;
    return PL_OK;
}

static pl_status init(void **state, const char *arg, const sao_party *p) {
    (void)p;
    aspiration *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->e = 4.0;
    if (arg) sao_parse_number(arg, &s->e);
    *state = s;
    return PL_OK;
}

static void fini(void *state) { pl__free(state); }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    return sao_u(p, o) >= level(state, p, tm);
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    double a = level(state, p, tm);
    if (p->search) return sao_search_at_least(p, a);
    const sao_ranking *r = p->rank;
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->us[mid] < a) lo = mid + 1;
        else hi = mid;
    }
    return lo < r->n ? r->outs[lo] : r->outs[r->n - 1];
}

const sao_agent_type sao_agent_aspiration = {
    "aspiration",
    "aspiration[:E]",
    "offers the lowest package at its level 1 - t^E, E >= 0, 4 by default",
    1,
    1,
    check,
    init,
    fini,
    respond,
    propose,
    NULL};
