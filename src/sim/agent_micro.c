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
    uint8_t *received;   /* ranked: a bit per package */
    /* searched (a space too big for a bit per package): the received
    ** packages in an open-addressing set, and the packages of ranks nx and
    ** nx - 1 (SAO_NONE for none) */
    sao_outcome *set;
    size_t set_cap;
    sao_outcome next, last;
} micro;

#define SET_MIN 64

static pl_status init(void **state, const char *arg, const sao_party *p) {
    (void)arg;
    micro *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    if (p->search) {
        s->set_cap = SET_MIN;
        s->set = pl__malloc(SET_MIN * sizeof *s->set);
        if (s->set)
            for (size_t i = 0; i < SET_MIN; i++) s->set[i] = SAO_NONE;
        s->next = p->top.o;
        s->last = SAO_NONE;
    } else {
        s->received = pl__calloc((size_t)(p->n_outcomes / 8 + 1), 1);
    }
    if (!s->received && !s->set) {
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
    pl__free(s->set);
    pl__free(s);
}

static sao_outcome rank_at(const sao_party *p, size_t r) {
    return r < p->rank->n ? p->rank->outs[p->rank->n - 1 - r] : SAO_NONE;
}
/* The packages of rank nx (to offer next) and nx - 1 (the last offered). */
static sao_outcome at_next(const micro *s, const sao_party *p) {
    return p->search ? s->next : rank_at(p, s->nx);
}
static sao_outcome at_last(const micro *s, const sao_party *p) {
    if (!s->nx) return SAO_NONE;
    return p->search ? s->last : rank_at(p, s->nx - 1);
}

static int ready(const micro *s) { return (uint64_t)s->nx <= s->n_received; }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    (void)tm;
    micro *s = state;
    sao_outcome mine = ready(s) ? at_next(s, p) : at_last(s, p);
    double um = mine == SAO_NONE ? -INFINITY : sao_u(p, mine);
    return sao_u(p, o) - um >= 0.0;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    (void)tm;
    micro *s = state;
    sao_outcome o = at_next(s, p);
    if (o == SAO_NONE || !ready(s)) return at_last(s, p);
    if (p->search) {
        s->last = o;
        s->next = sao_search_below(p, o);
    }
    s->nx++;
    return o;
}

/* The slot of o in the set: where it is, or the empty one it would take. */
static size_t slot(const micro *s, sao_outcome o) {
    uint64_t h = (o + 1) * 0x9E3779B97F4A7C15ull;
    size_t mask = s->set_cap - 1, i = (size_t)(h >> 32) & mask;
    while (s->set[i] != SAO_NONE && s->set[i] != o) i = (i + 1) & mask;
    return i;
}

/* Add o to the set (doubling it at half full); 1 if it was new.  Out of
** memory the set fills up without growing, and a package that finds it
** full is not counted (the agent still runs; nothing leaks or loops). */
static int set_add(micro *s, sao_outcome o) {
    size_t i = slot(s, o);
    if (s->set[i] == o) return 0;
    if (2 * (s->n_received + 1) > s->set_cap) {
        size_t cap = 2 * s->set_cap;
        sao_outcome *old = s->set, *set = pl__malloc(cap * sizeof *set);
        if (!set) {
            if (s->n_received + 2 > s->set_cap) return 0;
            s->set[i] = o;
            return 1;
        }
        for (size_t k = 0; k < cap; k++) set[k] = SAO_NONE;
        size_t old_cap = s->set_cap;
        s->set = set;
        s->set_cap = cap;
        for (size_t k = 0; k < old_cap; k++)
            if (old[k] != SAO_NONE) s->set[slot(s, old[k])] = old[k];
        pl__free(old);
        i = slot(s, o);
    }
    s->set[i] = o;
    return 1;
}

static void notify(void *state, const sao_party *p, size_t proposer, sao_outcome o) {
    (void)p, (void)proposer;
    micro *s = state;
    if (s->set) {
        s->n_received += (uint64_t)set_add(s, o);
        return;
    }
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
