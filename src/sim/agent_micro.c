/*
** agent_micro.c: MiCRO (de Jonge 2022; negmas's MiCRONegotiator with
** accept_same on; docs/simulation.md, B4).
**
** It walks down its own ranking one package at a time, but offers a new one
** only while it has sent no more distinct packages than it has received
** from the others; otherwise it repeats an earlier one (negmas picks it at
** random, parley its most recent new one).  It accepts an offer worth at
** least the package it would offer next (the last one, when not ready to
** concede).
*/
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <math.h>

typedef struct micro {
    size_t nx;           /* the next rank to offer; also how many it sent */
    uint64_t n_received; /* distinct packages the others proposed */
    uint8_t *received;   /* a bit per package */
} micro;

static pl_status init(void **state, const char *arg, const sao_party *p) {
    (void)arg;
    micro *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->received = pl__calloc((size_t)(p->n_outcomes / 8 + 1), 1);
    if (!s->received) {
        pl__free(s);
        return PL_ENOMEM;
    }
    *state = s;
    return PL_OK;
}

static void fini(void *state) {
    micro *s = state;
    if (!s) return;
    pl__free(s->received);
    pl__free(s);
}

static sao_outcome rank_at(const sao_party *p, size_t r) {
    return r < p->rank->n ? p->rank->outs[p->rank->n - 1 - r] : SAO_NONE;
}

static int ready(const micro *s) { return (uint64_t)s->nx <= s->n_received; }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    (void)tm;
    micro *s = state;
    sao_outcome mine = ready(s) ? rank_at(p, s->nx) : s->nx ? rank_at(p, s->nx - 1) : SAO_NONE;
    double um = mine == SAO_NONE ? -INFINITY : sao_u(p, mine);
    return sao_u(p, o) - um >= 0.0;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    (void)tm;
    micro *s = state;
    if (s->nx < p->rank->n && ready(s)) return rank_at(p, s->nx++);
    return s->nx ? rank_at(p, s->nx - 1) : SAO_NONE;
}

static void notify(void *state, const sao_party *p, size_t proposer, sao_outcome o) {
    (void)p, (void)proposer;
    micro *s = state;
    uint8_t bit = (uint8_t)(1u << (o & 7));
    if (!(s->received[o >> 3] & bit)) {
        s->received[o >> 3] |= bit;
        s->n_received++;
    }
}

const sao_agent_type sao_agent_micro = {
    "micro", "micro", "MiCRO: concedes one package per new package received",
    0,       1,       NULL,
    init,    fini,    respond,
    propose, notify};
