/*
** agent_random.c: the random agent: offers a package drawn uniformly (each
** issue's option uniformly), accepts with probability P (default 0.15, as
** negmas's RandomNegotiator), never ends the negotiation.  Its draws come
** from the stream (seed, party), so a run is reproducible from its seed.
** It ranks nothing, so it plays on spaces of any size.  In rational mode it
** draws up to 64 times for a package at or above its reservation value,
** and offers its best package when none came.
*/
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"

#define RANDOM_DEFAULT_P 0.15

typedef struct random_agent {
    rng r;
    double p_accept;
} random_agent;

static pl_status check(const char *arg) {
    double p;
    if (!arg) return PL_OK;
    if (!sao_parse_number(arg, &p) || !(p >= 0 && p <= 1)) return PL_ERANGE;
    return PL_OK;
}

static pl_status init(void **state, const char *arg, const sao_party *p) {
    random_agent *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->p_accept = RANDOM_DEFAULT_P;
    if (arg) sao_parse_number(arg, &s->p_accept);
    rng_seed(&s->r, p->seed, p->index);
    *state = s;
    return PL_OK;
}

static void fini(void *state) { pl__free(state); }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    (void)p, (void)tm, (void)o;
    random_agent *s = state;
    return rng_uniform(&s->r) < s->p_accept;
}

static sao_outcome draw(random_agent *s, const pl_space *sp) {
    sao_outcome o = 0;
    for (size_t i = 0; i < sp->n_issues; i++) {
        uint64_t n = sp->issues[i].n_options;
        uint64_t k = (uint64_t)(rng_uniform(&s->r) * (double)n);
        if (k >= n) k = n - 1;
        o = o * n + k;
    }
    return o;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    (void)tm;
    random_agent *s = state;
    if (!p->rational) return draw(s, p->sp);
    for (int tries = 0; tries < 64; tries++) {
        sao_outcome o = draw(s, p->sp);
        if (sao_u(p, o) >= p->reservation) return o;
    }
    return p->best;
}

const sao_agent_type sao_agent_random = {
    "random",
    "random[:P]",
    "random packages, accepts with probability P in [0, 1], 0.15 by default",
    1,
    0,
    check,
    init,
    fini,
    respond,
    propose,
    NULL};
