/*
** agent_tft.c: naive tit-for-tat (negmas's NaiveTitForTatNegotiator with
** its defaults; docs/simulation.md, B4).
**
** It answers an offer by "mirroring" the opponent's concession, measured in
** its own normalised utility x in [0, 1]: from round 3 on the concession
** read from an offer o is x(o) itself, so it accepts offers with x >= 1 - x
** (x >= 0.5) and otherwise offers at the level 1 - x(last offer seen).  In
** rounds 1 and 2 the concession is the utility step between two successive
** packages of its own ranking (a cursor walking down from the best, shared
** by every evaluation); in round 0 there is none.
*/
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <math.h>

typedef struct tft {
    sao_outcome seen; /* the last offer it responded to */
    size_t cursor;    /* into the ranking; SIZE_MAX: not started */
    sao_outcome at;   /* searched: the cursor's package (cursor 0: the end) */
} tft;

static pl_status init(void **state, const char *arg, const sao_party *p) {
    (void)arg, (void)p;
    tft *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->seen = SAO_NONE;
    s->cursor = SIZE_MAX;
    *state = s;
    return PL_OK;
}

static void fini(void *state) { pl__free(state); }

/* The next package down the ranking: the best first, then one lower per
** call, none below the last. */
static sao_outcome next_worse_searched(tft *s, const sao_party *p) {
    if (s->cursor == SIZE_MAX) {
        s->cursor = 1;
        return s->at = p->top.o;
    }
    if (s->cursor == 0) return SAO_NONE;
    sao_outcome b = sao_search_below(p, s->at);
    if (b == SAO_NONE) s->cursor = 0;
    else s->at = b;
    return b;
}

static sao_outcome next_worse(tft *s, const sao_party *p) {
    if (p->search) return next_worse_searched(s, p);
    const sao_ranking *r = p->rank;
    if (s->cursor == SIZE_MAX) {
        s->cursor = r->n - 1;
        return r->outs[s->cursor];
    }
    if (s->cursor == 0) return SAO_NONE;
    s->cursor--;
    return r->outs[s->cursor];
}

static double x_of(const sao_party *p, sao_outcome o) {
    if (p->u_max - p->u_min < 1e-5) return 1.0;
    return (sao_u(p, o) - p->u_min) * (1 / (p->u_max - p->u_min));
}

static double u_or_minus_inf(const sao_party *p, sao_outcome o) {
    return o == SAO_NONE ? -INFINITY : sao_u(p, o);
}

/* The concession r read from offer o (or none) in round k. */
static double concession(tft *s, const sao_party *p, const sao_time *tm, sao_outcome o) {
    double pc = o != SAO_NONE ? 1.0 - ((x_of(p, o) * -1) + 1.0) : 1.0 - 1.0;
    double c = pc < 0 ? 0.0 : pc;
    double r;
    if (tm->round == 0) {
        r = 0.0;
    } else if (tm->round >= 3) {
        r = c + 0.0;
    } else {
        sao_outcome b = next_worse(s, p);
        sao_outcome n = next_worse(s, p);
        double ub = u_or_minus_inf(p, b), un = u_or_minus_inf(p, n);
        const sao_ranking *rk = p->rank;
        double span = p->search ? p->top.u - p->bottom.u : rk->us[rk->n - 1] - rk->us[0];
        r = (ub - un + 1e-12) / span;
    }
    if (!isfinite(r) || !(r >= -1e-6 && r <= 1.0000001)) r = 0.0;
    return r;
}

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    tft *s = state;
    s->seen = o;
    double thr = 1.0 - concession(s, p, tm, o);
    return x_of(p, o) >= thr;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    tft *s = state;
    double target = 1.0 - concession(s, p, tm, s->seen);
    double range = p->u_max - p->u_min;
    double mn = target * range + p->u_min, mx = 1.0 * range + p->u_min;
    if (mn > mx) {
        double t = mn;
        mn = mx;
        mx = t;
    }
    if (range < 1e-6) mn = mx = 0.0;
    if (p->search) return sao_search_rule_w(p, mn, mx);
    size_t i = sao_rule_w(p->rank, mn, mx);
    return i == SIZE_MAX ? SAO_NONE : p->rank->outs[i];
}

const sao_agent_type sao_agent_tft = {"tit-for-tat",
                                      "tit-for-tat",
                                      "naive tit-for-tat: mirrors the opponent's concession",
                                      0,
                                      1,
                                      NULL,
                                      init,
                                      fini,
                                      respond,
                                      propose,
                                      NULL};
