/*
** model_exchange.c: Stokman's exchange model (the equal-gain model of vote
** trading across issues), as the `decide` exchange model computes it,
** quirks included; ../shared/specs/exchange.md is the specification and
** its section numbers are quoted below.  docs/models/exchange.md says
** what the model is and where it comes from.
**
** Sections: exchanges and their roles; the equal-gain calculation (5.1 -
** 5.4) and the randomised gain (5.5); a round (6, 7); runs and results;
** repetitions of the randomised model on the thread pool.
**
** Everything works on the 0-100 scale (positions normalised when read);
** the accessors map positions and outcomes back to each issue's scale.
** Decisions that could flip on rounding use the spec's tolerances (gains
** within 1e-12 tie, outcomes within 1e-9 of a partner's position are on
** it), so doubles in any order of operations give decide's choices.
*/
#include "models/model_exchange.h"

#include "core/alloc.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MOVE_MIN 1e-10      /* 5.3: smaller moves are no moves */
#define GAIN_MIN 1e-10      /* 5.3: smaller gains are no gains */
#define GAIN_TIE 1e-12      /* 6.2a: gains this close tie */
#define NBS_GUARD 1e-9      /* 5.4: an outcome this close to t is on it */
#define SALIENCE_WEIGHT 0.4 /* 7: decide's SALIENCE_WEIGHT */
#define FIXED_WEIGHT 0.1    /* 7: decide's FIXED_WEIGHT */

/* ------------------------------------------------------------------------
** Exchanges and their roles (4, 4.1)
*/
#define SMALL_MOVES 6

/* One side of an exchange.  The `moves` list (5.3) lives in `small` while
** short, else in `heap`. */
typedef struct xrole {
    size_t actor, supply, demand;
    double X, X0, D; /* supply position (now, at creation), demand position */
    double s_sup, c_sup, s_dem;
    double move, y, nbs0, nbs1;
    double small[SMALL_MOVES];
    double *heap;
    size_t n_moves, cap;
} xrole;

typedef struct xupd {
    size_t actor;
    double v;
} xupd;

typedef struct xchg {
    xrole i, j;  /* i supplies q and demands p; j the reverse */
    size_t p, q; /* p before q in file order */
    int kind;    /* 0: a-d, 1: b-c */
    int valid, alive;
    double gain;
    size_t id;        /* creation number */
    unsigned version; /* calculations so far (stale queue entries) */
    xupd *upd[2];     /* updates on p (0) and q (1), 6.1 */
    size_t n_upd[2], a_upd[2];
} xchg;

static double *moves_of(xrole *r) { return r->cap > SMALL_MOVES ? r->heap : r->small; }

static int moves_push(xrole *r, double m) {
    if (r->n_moves == SMALL_MOVES && r->cap <= SMALL_MOVES) {
        double *h = pl__malloc(2 * SMALL_MOVES * sizeof(double));
        if (!h) return 0;
        memcpy(h, r->small, sizeof r->small);
        r->heap = h;
        r->cap = 2 * SMALL_MOVES;
    } else if (r->cap > SMALL_MOVES && r->n_moves == r->cap) {
        double *h = pl__realloc(r->heap, 2 * r->cap * sizeof(double));
        if (!h) return 0;
        r->heap = h;
        r->cap *= 2;
    }
    moves_of(r)[r->n_moves++] = m;
    return 1;
}

static void moves_pop(xrole *r) {
    if (r->n_moves) r->n_moves--;
}

static void moves_set_last(xrole *r, double m) {
    if (r->n_moves) moves_of(r)[r->n_moves - 1] = m;
}

static double moves_last(xrole *r) { return r->n_moves ? moves_of(r)[r->n_moves - 1] : 0; }

/* 5.3: is move m of role r valid? */
static int move_valid(xrole *r, double m) {
    double a = fabs(m);
    if (!(a > MOVE_MIN && a <= 100)) return 0;
    double y = r->X + m;
    if (!(y >= 0 && y <= 100)) return 0;
    const double *mv = moves_of(r);
    double sum = 0;
    int pos = 0, neg = 0;
    for (size_t k = 0; k < r->n_moves; k++) {
        sum += mv[k];
        if (mv[k] > 0) pos = 1;
        else if (mv[k] < 0) neg = 1;
        else return 0;
    }
    if (sum > 100) return 0;
    return !(pos && neg);
}

/* ------------------------------------------------------------------------
** A round's state
*/
typedef struct round_ctx {
    const pl_exchange_data *d;
    size_t n_a, n_i;
    const double *pos; /* n_a x n_i: the positions the round starts from */
    double *W;         /* n_i: sum of s c over the stakeholders */
    double *O;         /* n_i: outcomes */
    double *S0;        /* n_i: sum of x s c over the stakeholders */
    size_t *holders;   /* per issue its stakeholders, in actor order */
    size_t *holder_at; /* n_i + 1 offsets into holders */
    unsigned char *left;
    double p;              /* 5.5 */
    rng *r;                /* NULL when p == 0 */
    exchange_probe *probe; /* tests: the sizings of calculate() */
    int oom;
} round_ctx;

#define IX(c, a, k) ((a) * (c)->n_i + (k))

/* The weighted sum of the positions on issue k, the round's start
** positions with the exchange's updates on k and actor `who` at z on top:
** `who` first (its update overrides z: the cut of 5.4 step 2) or last
** (the outcome "with A at z", 5.4 step 1). */
static double sum_on(const round_ctx *c, const xchg *x, size_t k, size_t who, double z,
                     int who_first) {
    const pl_exchange_data *d = c->d;
    const xupd *u = NULL;
    size_t n_u = 0;
    if (k == x->p) u = x->upd[0], n_u = x->n_upd[0];
    else if (k == x->q) u = x->upd[1], n_u = x->n_upd[1];
    /* the round's sum, changed by the updates and `who`: O(updates), not
    ** O(stakeholders) (the sum's order differs from decide's by rounding
    ** only; the spec's tolerances keep every decision) */
    double S = c->S0[k];
    int who_updated = 0;
    for (size_t e = 0; e < n_u; e++) {
        size_t a = u[e].actor, ix = IX(c, a, k);
        if (a == who) {
            who_updated = 1;
            if (!who_first) continue;
        }
        S += (u[e].v - c->pos[ix]) * d->s[ix] * d->c[ix];
    }
    if (!who_first || !who_updated) {
        size_t ix = IX(c, who, k);
        S += (z - c->pos[ix]) * d->s[ix] * d->c[ix];
    }
    return S;
}

static double outcome_with(const round_ctx *c, const xchg *x, size_t k, size_t who, double z) {
    return c->W[k] > 0 ? sum_on(c, x, k, who, z, 0) / c->W[k] : 0;
}

/* ------------------------------------------------------------------------
** The equal-gain calculation (5.1 - 5.4)
*/
/* 5.4: role A's move must not push the outcome of its supply issue past
** its partner B's position there; if it would, both moves shrink. */
static void check_nbs(round_ctx *c, xchg *x, xrole *A, xrole *B) {
    size_t k = A->supply, l = B->supply;
    double Wk = c->W[k], Wl = c->W[l];
    double nbs0 = outcome_with(c, x, k, A->actor, A->X);
    double nbs1 = outcome_with(c, x, k, A->actor, A->y);
    A->nbs0 = nbs0;
    A->nbs1 = nbs1;
    double t = B->D;
    if (fabs(t - nbs0) < NBS_GUARD || fabs(t - nbs1) < NBS_GUARD) return;
    if ((t - nbs0 > 0) == (t - nbs1 > 0)) return;
    double S = sum_on(c, x, k, A->actor, A->X, 1);
    double delta = fabs((t * Wk - S) / (A->s_sup * A->c_sup));
    double rA = delta * A->s_sup * A->c_sup / Wk;
    double rB = rA * (A->s_sup + B->s_dem) / (A->s_dem + B->s_sup);
    double mB = fabs(rB * Wl / (B->c_sup * B->s_sup)), mA = delta;
    if (B->X > A->D) mB = -mB;
    if (A->X > B->D) mA = -mA;
    A->move = mA;
    B->move = mB;
    moves_set_last(A, mA);
    moves_set_last(B, mB);
    A->y = A->X + mA;
    B->y = B->X + mB;
    x->gain = fabs(rB * B->s_sup - rA * B->s_dem);
    x->valid = move_valid(A, mA) && move_valid(B, mB);
    A->nbs1 = outcome_with(c, x, k, A->actor, A->y);
}

/* 5.5, decide's randomized_gain: role R's gain is drawn (up towards its
** most, or down towards zero, by p z), R moves all the way to its
** partner's position and the partner's move is sized to give R that gain;
** when that overshoots, the partner moves all the way and R's move is
** sized instead.  Neither move may push an outcome past the other's
** position (as 5.4).  The exchange's gain (its rank) stays the equal gain. */
static void randomized_gain(round_ctx *c, xchg *x, int r_is_i, double v, double z) {
    xrole *R = r_is_i ? &x->i : &x->j, *P = r_is_i ? &x->j : &x->i;
    size_t k = R->supply, l = P->supply;
    double Wk = c->W[k], Wl = c->W[l];
    /* decide's exchange ratio passed in: the equal-gain shift of the
    ** outcome on R's demand issue (the partner's move) */
    double er = fabs(P->move) * P->s_sup * P->c_sup / Wl;
    double eu = x->gain;
    double er_zero = er * R->s_sup / R->s_dem;
    double eu_max = fabs(er_zero * R->s_sup - er * R->s_dem);
    double eui = v < 0.5 ? c->p * z * (eu_max - eu) + eu : eu - c->p * z * eu;
    if (eui < 0) eui = 0;

    double full_R = fabs(R->X - P->D), full_P = fabs(P->X - R->D);
    double mR = full_R;
    double er_k = mR * R->s_sup * R->c_sup / Wk;
    double er_l = (eui + er_k * R->s_sup) / R->s_dem;
    double mP = er_l * Wl / (P->c_sup * P->s_sup);
    if (fabs(mP) > full_P) {
        mP = full_P;
        er_l = mP * P->s_sup * P->c_sup / Wl;
        er_k = fabs((eui - er_l * R->s_dem) / R->s_sup);
        mR = er_k * Wk / (R->c_sup * R->s_sup);
    }
    /* not past the partner's position: R's move on k, P's move on l */
    double dirR = R->X > P->D ? -1 : 1, dirP = P->X > R->D ? -1 : 1;
    double t = P->D;
    double n0 = outcome_with(c, x, k, R->actor, R->X);
    double n1 = outcome_with(c, x, k, R->actor, R->X + dirR * mR);
    if (fabs(t - n0) >= NBS_GUARD && fabs(t - n1) >= NBS_GUARD && (t - n0 > 0) != (t - n1 > 0)) {
        double S = sum_on(c, x, k, R->actor, R->X, 1);
        mR = fabs((t * Wk - S) / (R->s_sup * R->c_sup));
        er_k = mR * R->s_sup * R->c_sup / Wk;
        er_l = (eui + er_k * R->s_sup) / R->s_dem;
        mP = er_l * Wl / (P->c_sup * P->s_sup);
    }
    t = R->D;
    n0 = outcome_with(c, x, l, P->actor, P->X);
    n1 = outcome_with(c, x, l, P->actor, P->X + dirP * mP);
    if (fabs(t - n0) >= NBS_GUARD && fabs(t - n1) >= NBS_GUARD && (t - n0 > 0) != (t - n1 > 0)) {
        double S = sum_on(c, x, l, P->actor, P->X, 1);
        mP = fabs((t * Wl - S) / (P->s_sup * P->c_sup));
        er_l = mP * P->s_sup * P->c_sup / Wl;
        er_k = fabs((eui - er_l * R->s_dem) / R->s_sup);
        mR = er_k * Wk / (R->c_sup * R->s_sup);
    }
    R->move = dirR * mR;
    P->move = dirP * mP;
    moves_set_last(R, R->move);
    moves_set_last(P, P->move);
    R->y = R->X + R->move;
    P->y = P->X + P->move;
    x->valid = move_valid(R, R->move) && move_valid(P, P->move);
    R->nbs0 = outcome_with(c, x, k, R->actor, R->X);
    R->nbs1 = outcome_with(c, x, k, R->actor, R->y);
    P->nbs0 = outcome_with(c, x, l, P->actor, P->X);
    P->nbs1 = outcome_with(c, x, l, P->actor, P->y);
}

/* 5: calculate() of one exchange, from its current X, D and updates. */
static void calculate(round_ctx *c, xchg *x) {
    xrole *i = &x->i, *j = &x->j;
    x->version++;
    double Wp = c->W[x->p], Wq = c->W[x->q];
    double dp = fabs(i->D - j->X) * j->s_sup * j->c_sup / Wp;
    double dq = dp * (i->s_dem + j->s_sup) / (i->s_sup + j->s_dem);
    double mi = dq * Wq / (i->c_sup * i->s_sup), mj = fabs(i->D - j->X);
    if (c->probe) {
        c->probe->dp1 = dp;
        c->probe->dq1 = dq;
        c->probe->move_i1 = mi;
        c->probe->overshoot = mi > fabs(j->D - i->X);
    }
    if (mi > fabs(j->D - i->X)) {
        dq = fabs(j->D - i->X) * i->s_sup * i->c_sup / Wq;
        dp = dq * (i->s_sup + j->s_dem) / (i->s_dem + j->s_sup);
        mi = fabs(j->D - i->X);
        mj = dp * Wp / (j->c_sup * j->s_sup);
        if (c->probe) {
            c->probe->dq2 = dq;
            c->probe->dp2 = dp;
            c->probe->move_j2 = mj;
        }
    }
    if (i->X > j->D) mi = -mi;
    if (j->X > i->D) mj = -mj;
    i->move = mi;
    j->move = mj;
    x->gain = fabs(dq * i->s_sup - dp * i->s_dem);
    if (!moves_push(i, mi) || !moves_push(j, mj)) {
        c->oom = 1;
        x->valid = 0;
        return;
    }
    i->y = i->X + mi;
    j->y = j->X + mj;
    x->valid = move_valid(i, mi) && move_valid(j, mj) && x->gain >= GAIN_MIN;
    if (!x->valid) return;
    check_nbs(c, x, i, j);
    check_nbs(c, x, j, i);
    x->valid = move_valid(i, i->move) && move_valid(j, j->move);
    if (x->valid && c->r) {
        double u = rng_uniform(c->r), v = rng_uniform(c->r), z = rng_uniform(c->r);
        randomized_gain(c, x, u < 0.5, v, z);
    }
}

/* ------------------------------------------------------------------------
** Updating a remaining exchange after one was carried out (6.1)
*/
static int same_supply(const xrole *a, const xrole *b) {
    return a->actor == b->actor && a->supply == b->supply;
}

static int same_demand(const xrole *a, const xrole *b) {
    return a->actor == b->actor && a->demand == b->demand;
}

static int add_update(round_ctx *c, xchg *x, size_t issue, size_t actor, double X0, double v) {
    int s = issue == x->p ? 0 : 1;
    for (size_t e = 0; e < x->n_upd[s]; e++)
        if (x->upd[s][e].actor == actor) {
            double old = x->upd[s][e].v;
            x->upd[s][e].v = X0 <= old ? (v < old ? v : old) : (v > old ? v : old);
            return 1;
        }
    if (x->n_upd[s] == x->a_upd[s]) {
        size_t n = x->a_upd[s] ? 2 * x->a_upd[s] : 4;
        xupd *u = pl__realloc(x->upd[s], n * sizeof *u);
        if (!u) {
            c->oom = 1;
            return 0;
        }
        x->upd[s] = u;
        x->a_upd[s] = n;
    }
    x->upd[s][x->n_upd[s]].actor = actor;
    x->upd[s][x->n_upd[s]].v = v;
    x->n_upd[s]++;
    return 1;
}

static void update_after(round_ctx *c, xchg *x, xchg *E) {
    int marked = 0;
    /* 1. supply */
    xrole *mi = same_supply(&x->i, &E->i) ? &E->i : same_supply(&x->i, &E->j) ? &E->j : NULL;
    xrole *mj = same_supply(&x->j, &E->i) ? &E->i : same_supply(&x->j, &E->j) ? &E->j : NULL;
    if (mi) {
        x->i.X = mi->y;
        if (!moves_push(&x->i, moves_last(mi))) c->oom = 1;
    }
    if (mj) {
        x->j.X = mj->y;
        if (!moves_push(&x->j, moves_last(mj))) c->oom = 1;
    }
    if (mi || mj) {
        moves_pop(&x->i);
        moves_pop(&x->j);
        marked = 1;
    }
    /* 2. demand on q: x's actor demands what E.i supplied */
    if (same_demand(&E->j, &x->j) || same_demand(&E->j, &x->i)) {
        add_update(c, x, E->q, E->i.actor, E->i.X0, E->i.y);
        if (!marked) {
            moves_pop(&x->i);
            moves_pop(&x->j);
            marked = 1;
        }
    }
    /* 3. demand on p */
    if (same_demand(&E->i, &x->j) || same_demand(&E->i, &x->i)) {
        add_update(c, x, E->p, E->j.actor, E->j.X0, E->j.y);
        if (!marked) {
            moves_pop(&x->i);
            moves_pop(&x->j);
            marked = 1;
        }
    }
    if (marked && !c->oom) calculate(c, x);
}

static void xchg_release(xchg *x) {
    if (x->i.cap > SMALL_MOVES) pl__free(x->i.heap);
    if (x->j.cap > SMALL_MOVES) pl__free(x->j.heap);
    pl__free(x->upd[0]);
    pl__free(x->upd[1]);
}

/* ------------------------------------------------------------------------
** Results
*/
struct pl_exchange_result {
    size_t n_a, n_i, n_rounds;
    double *lower, *upper;       /* n_i */
    unsigned char *has;          /* n_a x n_i */
    double *pref_out, *vote_out; /* n_rounds x n_i, 0-100 */
    double *pref_pos, *vote_pos; /* (n_rounds + 1) x n_a x n_i, 0-100 */
    pl_exchange_made *made;
    size_t n_made, a_made;
    size_t *round_first;  /* n_rounds + 1 */
    pl_exchange_ext *ext; /* n_rounds x n_a */
};

void pl_exchange_options_init(pl_exchange_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->rounds = PL_EXCHANGE_DEFAULT_ROUNDS;
    opt->seed = 1;
    opt->repetitions = 100;
}

static pl_status check_options(const pl_exchange_options *o) {
    if (o->rounds < 1 || o->rounds > PL_EXCHANGE_MAX_ROUNDS) return PL_EINVAL;
    if (!(o->p >= 0 && o->p <= 1)) return PL_EINVAL;
    if (o->n_threads > PL_MAX_THREADS) return PL_EINVAL;
    return PL_OK;
}

void pl_exchange_result_free(pl_exchange_result *r) {
    if (!r) return;
    pl__free(r->lower);
    pl__free(r->upper);
    pl__free(r->has);
    pl__free(r->pref_out);
    pl__free(r->vote_out);
    pl__free(r->pref_pos);
    pl__free(r->vote_pos);
    pl__free(r->made);
    pl__free(r->round_first);
    pl__free(r->ext);
    pl__free(r);
}

static pl_exchange_result *result_alloc(const pl_exchange_data *d, size_t rounds) {
    pl_exchange_result *r = pl__calloc(1, sizeof *r);
    if (!r) return NULL;
    size_t na = d->n_actors, ni = d->n_issues, cells = na * ni;
    r->n_a = na;
    r->n_i = ni;
    r->n_rounds = rounds;
    r->lower = pl__malloc((ni + 1) * sizeof(double));
    r->upper = pl__malloc((ni + 1) * sizeof(double));
    r->has = pl__malloc(cells + 1);
    r->pref_out = pl__calloc(rounds * ni + 1, sizeof(double));
    r->vote_out = pl__calloc(rounds * ni + 1, sizeof(double));
    r->pref_pos = pl__calloc((rounds + 1) * cells + 1, sizeof(double));
    r->vote_pos = pl__calloc((rounds + 1) * cells + 1, sizeof(double));
    r->round_first = pl__calloc(rounds + 2, sizeof(size_t));
    r->ext = pl__calloc(rounds * na + 1, sizeof(pl_exchange_ext));
    if (!r->lower || !r->upper || !r->has || !r->pref_out || !r->vote_out || !r->pref_pos ||
        !r->vote_pos || !r->round_first || !r->ext) {
        pl_exchange_result_free(r);
        return NULL;
    }
    memcpy(r->lower, d->lower, ni * sizeof(double));
    memcpy(r->upper, d->upper, ni * sizeof(double));
    memcpy(r->has, d->has, cells);
    return r;
}

static int record_made(pl_exchange_result *res, size_t round, const xchg *E) {
    if (res->n_made == res->a_made) {
        size_t n = res->a_made ? 2 * res->a_made : 64;
        pl_exchange_made *m = pl__realloc(res->made, n * sizeof *m);
        if (!m) return 0;
        res->made = m;
        res->a_made = n;
    }
    pl_exchange_made *m = &res->made[res->n_made++];
    m->round = round;
    m->gain = E->gain;
    const xrole *rs[2] = {&E->i, &E->j};
    pl_exchange_side *out[2] = {&m->i, &m->j};
    for (int s = 0; s < 2; s++) {
        out[s]->actor = rs[s]->actor;
        out[s]->supply = rs[s]->supply;
        out[s]->demand = rs[s]->demand;
        out[s]->x = rs[s]->X;
        out[s]->move = rs[s]->move;
        out[s]->y = rs[s]->y;
    }
    return 1;
}

/* 9.1: every actor's externality of exchange E, added to ext (n_a). */
static void externalities(const round_ctx *c, const xchg *E, pl_exchange_ext *ext) {
    const pl_exchange_data *d = c->d;
    size_t p = E->p, q = E->q;
    for (size_t a = 0; a < c->n_a; a++) {
        double value = 0;
        int stake = d->has[IX(c, a, p)] && d->has[IX(c, a, q)];
        if (stake) {
            double xp = c->pos[IX(c, a, p)], xq = c->pos[IX(c, a, q)];
            double sp = d->s[IX(c, a, p)], sq = d->s[IX(c, a, q)];
            value = (fabs(E->j.nbs0 - xp) - fabs(E->j.nbs1 - xp)) * sp +
                    (fabs(E->i.nbs0 - xq) - fabs(E->i.nbs1 - xq)) * sq;
        }
        if (a == E->i.actor || a == E->j.actor) {
            ext[a].own += E->gain;
            continue;
        }
        int inner = 0;
        if (stake) {
            int lp = c->left[IX(c, a, p)], lq = c->left[IX(c, a, q)];
            /* a-d: right on both or left on both; b-c: one of each */
            inner = E->kind == 0 ? lp == lq : lp != lq;
        }
        if (inner) {
            if (value > 0) ext[a].inner_positive += value;
            else ext[a].inner_negative += value;
        } else {
            if (value > 0) ext[a].outer_positive += value;
            else ext[a].outer_negative += value;
        }
    }
}

/* ------------------------------------------------------------------------
** A round (6, 7)
*/
typedef struct run_ws {
    double *W, *O, *S0;
    size_t *holders, *holder_at;
    unsigned char *left;
    size_t *group[4], n_group[4];
    xchg *xs;
    size_t n_xs, a_xs;
    size_t *by_actor, *by_actor_at, *by_actor_fill; /* per actor its exchanges */
    size_t *stamp;
    size_t stamp_now;
    struct hent *heap; /* the open exchanges by gain (6.2a) */
    size_t n_heap, a_heap;
    struct hent *ties; /* the best gain's ties, popped (6.2a) */
    size_t a_ties;
} run_ws;

/* A queue entry: an exchange's gain when it was (re)calculated. */
typedef struct hent {
    double gain;
    size_t id;
    unsigned version;
} hent;

/* a before b: the higher gain, then the earlier creation */
static int hent_before(const hent *a, const hent *b) {
    return a->gain > b->gain || (a->gain == b->gain && a->id < b->id);
}

static int heap_push(run_ws *w, const xchg *x) {
    if (w->n_heap == w->a_heap) {
        size_t n = w->a_heap ? 2 * w->a_heap : 256;
        hent *h = pl__realloc(w->heap, n * sizeof *h);
        if (!h) return 0;
        w->heap = h;
        w->a_heap = n;
    }
    hent e = {x->gain, x->id, x->version};
    size_t i = w->n_heap++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!hent_before(&e, &w->heap[parent])) break;
        w->heap[i] = w->heap[parent];
        i = parent;
    }
    w->heap[i] = e;
    return 1;
}

static hent heap_pop(run_ws *w) {
    hent top = w->heap[0], last = w->heap[--w->n_heap];
    size_t i = 0, n = w->n_heap;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const hent *best = &last;
        if (l < n && hent_before(&w->heap[l], best)) m = l, best = &w->heap[l];
        if (r < n && hent_before(&w->heap[r], best)) m = r;
        if (m == i) break;
        w->heap[i] = w->heap[m];
        i = m;
    }
    if (n) w->heap[i] = last;
    return top;
}

static int hent_live(const run_ws *w, const hent *e) {
    const xchg *x = &w->xs[e->id];
    return x->alive && x->version == e->version;
}

static void ws_free(run_ws *w) {
    pl__free(w->W);
    pl__free(w->O);
    pl__free(w->S0);
    pl__free(w->holders);
    pl__free(w->holder_at);
    pl__free(w->left);
    for (int g = 0; g < 4; g++) pl__free(w->group[g]);
    pl__free(w->xs);
    pl__free(w->by_actor);
    pl__free(w->by_actor_at);
    pl__free(w->by_actor_fill);
    pl__free(w->stamp);
    pl__free(w->heap);
    pl__free(w->ties);
}

static int ws_init(run_ws *w, const pl_exchange_data *d) {
    memset(w, 0, sizeof *w);
    size_t na = d->n_actors, ni = d->n_issues;
    w->W = pl__calloc(ni + 1, sizeof(double));
    w->O = pl__calloc(ni + 1, sizeof(double));
    w->S0 = pl__calloc(ni + 1, sizeof(double));
    w->holders = pl__malloc((na * ni + 1) * sizeof(size_t));
    w->holder_at = pl__malloc((ni + 2) * sizeof(size_t));
    w->left = pl__calloc(na * ni + 1, 1);
    int ok = w->W && w->O && w->S0 && w->holders && w->holder_at && w->left;
    for (int g = 0; g < 4 && ok; g++)
        ok = (w->group[g] = pl__malloc((na + 1) * sizeof(size_t))) != NULL;
    w->by_actor_at = pl__calloc(na + 2, sizeof(size_t));
    w->by_actor_fill = pl__calloc(na + 1, sizeof(size_t));
    if (!ok || !w->by_actor_at || !w->by_actor_fill) return 0;
    size_t h = 0;
    for (size_t k = 0; k < ni; k++) {
        w->holder_at[k] = h;
        for (size_t a = 0; a < na; a++)
            if (d->has[a * ni + k]) w->holders[h++] = a;
    }
    w->holder_at[ni] = h;
    return 1;
}

/* A round's weights W, outcomes O and left/right (3), from positions pos. */
static void round_start(const pl_exchange_data *d, run_ws *w, const double *pos) {
    size_t na = d->n_actors, ni = d->n_issues;
    for (size_t k = 0; k < ni; k++) {
        double W = 0, S = 0;
        for (size_t h = w->holder_at[k]; h < w->holder_at[k + 1]; h++) {
            size_t a = w->holders[h];
            double sc = d->s[a * ni + k] * d->c[a * ni + k];
            W += sc;
            S += pos[a * ni + k] * sc;
        }
        w->W[k] = W;
        w->S0[k] = S;
        w->O[k] = W > 0 ? S / W : 0;
        for (size_t h = w->holder_at[k]; h < w->holder_at[k + 1]; h++) {
            size_t a = w->holders[h];
            w->left[a * ni + k] = pos[a * ni + k] <= w->O[k];
        }
    }
    (void)na;
}

/* Add a created exchange between g and h on (p, q) of the given kind, and
** calculate it (4, 4.1). */
static int create(round_ctx *c, run_ws *w, size_t p, size_t q, size_t g, size_t h, int kind) {
    const pl_exchange_data *d = c->d;
    if (w->n_xs == w->a_xs) {
        size_t n = w->a_xs ? 2 * w->a_xs : 256;
        xchg *xs = pl__realloc(w->xs, n * sizeof *xs);
        if (!xs) return 0;
        w->xs = xs;
        w->a_xs = n;
    }
    xchg *x = &w->xs[w->n_xs];
    memset(x, 0, sizeof *x);
    x->p = p;
    x->q = q;
    x->kind = kind;
    x->id = w->n_xs;
    size_t ai = g, aj = h;
    if (d->s[IX(c, g, p)] / d->s[IX(c, g, q)] < d->s[IX(c, h, p)] / d->s[IX(c, h, q)]) {
        ai = h;
        aj = g;
    }
    xrole *i = &x->i, *j = &x->j;
    i->actor = ai, i->supply = q, i->demand = p;
    j->actor = aj, j->supply = p, j->demand = q;
    xrole *rs[2] = {i, j};
    for (int s = 0; s < 2; s++) {
        xrole *r = rs[s];
        r->X = r->X0 = c->pos[IX(c, r->actor, r->supply)];
        r->D = c->pos[IX(c, r->actor, r->demand)];
        r->s_sup = d->s[IX(c, r->actor, r->supply)];
        r->c_sup = d->c[IX(c, r->actor, r->supply)];
        r->s_dem = d->s[IX(c, r->actor, r->demand)];
    }
    calculate(c, x);
    if (c->oom) {
        xchg_release(x);
        return 0;
    }
    if (!x->valid) { /* never carried out, never updated: gone now */
        xchg_release(x);
        return 1;
    }
    x->alive = 1;
    w->n_xs++;
    return 1;
}

/* One round from positions pos (0-100): the exchanges carried out are
** recorded in res (round t, 1-based), the votes written to vote and the
** next preferences to next (both n_a x n_i, pos copied first). */
/* 4: the possible exchanges of every pair of issues, in creation order;
** 0 when out of memory. */
static int create_all(round_ctx *c, run_ws *w) {
    const pl_exchange_data *d = c->d;
    size_t na = d->n_actors, ni = d->n_issues;
    w->n_xs = 0;
    for (size_t pi = 0; pi < ni; pi++)
        for (size_t qi = pi + 1; qi < ni; qi++) {
            for (int g = 0; g < 4; g++) w->n_group[g] = 0;
            for (size_t a = 0; a < na; a++) {
                if (!d->has[a * ni + pi] || !d->has[a * ni + qi]) continue;
                int lp = w->left[a * ni + pi], lq = w->left[a * ni + qi];
                int g = !lp && !lq ? 0 : lp && !lq ? 1 : !lp && lq ? 2 : 3;
                w->group[g][w->n_group[g]++] = a;
            }
            for (size_t x = 0; x < w->n_group[0]; x++)
                for (size_t y = 0; y < w->n_group[3]; y++)
                    if (!create(c, w, pi, qi, w->group[0][x], w->group[3][y], 0)) return 0;
            for (size_t x = 0; x < w->n_group[1]; x++)
                for (size_t y = 0; y < w->n_group[2]; y++)
                    if (!create(c, w, pi, qi, w->group[1][x], w->group[2][y], 1)) return 0;
        }
    return 1;
}

/* Per actor, its exchanges in creation order (w->by_actor from
** w->by_actor_at[a]); 0 when out of memory. */
static int index_by_actor(run_ws *w, size_t na) {
    pl__free(w->by_actor);
    pl__free(w->stamp);
    w->by_actor = pl__malloc((2 * w->n_xs + 1) * sizeof(size_t));
    w->stamp = pl__calloc(w->n_xs + 1, sizeof(size_t));
    if (!w->by_actor || !w->stamp) return 0;
    w->stamp_now = 0;
    memset(w->by_actor_at, 0, (na + 2) * sizeof(size_t));
    for (size_t e = 0; e < w->n_xs; e++) {
        w->by_actor_at[w->xs[e].i.actor + 1]++;
        w->by_actor_at[w->xs[e].j.actor + 1]++;
    }
    for (size_t a = 0; a < na; a++) w->by_actor_at[a + 1] += w->by_actor_at[a];
    memcpy(w->by_actor_fill, w->by_actor_at, na * sizeof(size_t));
    for (size_t e = 0; e < w->n_xs; e++) {
        w->by_actor[w->by_actor_fill[w->xs[e].i.actor]++] = e;
        w->by_actor[w->by_actor_fill[w->xs[e].j.actor]++] = e;
    }
    return 1;
}

/* 6.2a: the best gain's exchange: of the gains within GAIN_TIE of the best,
** the one created first (they are all at the queue's top); the others go
** back.  SIZE_MAX when out of memory. */
static size_t pick_best(run_ws *w) {
    hent top;
    do top = heap_pop(w);
    while (!hent_live(w, &top));
    size_t n_ties = 0, E = top.id;
    double floor = top.gain - GAIN_TIE;
    while (w->n_heap && w->heap[0].gain >= floor) {
        hent e = heap_pop(w);
        if (!hent_live(w, &e)) continue;
        if (n_ties == w->a_ties) {
            size_t n = w->a_ties ? 2 * w->a_ties : 16;
            hent *t2 = pl__realloc(w->ties, n * sizeof *t2);
            if (!t2) return SIZE_MAX;
            w->ties = t2;
            w->a_ties = n;
        }
        w->ties[n_ties++] = e;
        if (e.id < E) E = e.id;
    }
    for (size_t k = 0; k < n_ties; k++) {
        size_t id = w->ties[k].id == E ? top.id : w->ties[k].id;
        if (!heap_push(w, &w->xs[id])) return SIZE_MAX;
    }
    return E;
}

/* 6.2c: after X, the open exchanges of its two actors recalculated (each
** once), the invalid closed, the changed requeued; 0 when out of memory. */
static int update_open(round_ctx *c, run_ws *w, xchg *X, size_t *n_alive) {
    w->stamp_now++;
    size_t actors[2] = {X->i.actor, X->j.actor};
    for (int s = 0; s < 2; s++)
        for (size_t b = w->by_actor_at[actors[s]]; b < w->by_actor_at[actors[s] + 1]; b++) {
            size_t e = w->by_actor[b];
            xchg *Y = &w->xs[e];
            if (!Y->alive || w->stamp[e] == w->stamp_now) continue;
            w->stamp[e] = w->stamp_now;
            unsigned before = Y->version;
            update_after(c, Y, X);
            if (c->oom) return 0;
            if (!Y->valid) {
                Y->alive = 0;
                (*n_alive)--;
            } else if (Y->version != before && !heap_push(w, Y)) {
                return 0;
            }
        }
    return 1;
}

/* 6.2: choose, carry out and update until no exchange is open. */
static int carry_out(round_ctx *c, run_ws *w, size_t t, pl_exchange_result *res,
                     pl_exchange_ext *ext) {
    size_t n_alive = w->n_xs;
    w->n_heap = 0;
    for (size_t e = 0; e < w->n_xs; e++)
        if (!heap_push(w, &w->xs[e])) return 0;
    while (n_alive) {
        size_t E = pick_best(w);
        if (E == SIZE_MAX) return 0;
        xchg *X = &w->xs[E];
        X->alive = 0;
        n_alive--;
        if (!record_made(res, t, X)) return 0;
        externalities(c, X, ext);
        if (!update_open(c, w, X, &n_alive)) return 0;
    }
    return 1;
}

/* 7: the voting positions and the next round's preferences from the
** exchanges made this round (from `first_made`). */
static void new_positions(const pl_exchange_data *d, const double *pos,
                          const pl_exchange_result *res, size_t first_made, double *vote,
                          double *next) {
    size_t na = d->n_actors, ni = d->n_issues;
    memcpy(vote, pos, na * ni * sizeof(double));
    memcpy(next, pos, na * ni * sizeof(double));
    for (size_t m = first_made; m < res->n_made; m++) {
        const pl_exchange_made *E = &res->made[m];
        const pl_exchange_side *sides[2] = {&E->i, &E->j};
        for (int s = 0; s < 2; s++) vote[sides[s]->actor * ni + sides[s]->supply] = sides[s]->y;
    }
    for (size_t m = first_made; m < res->n_made; m++) {
        const pl_exchange_made *E = &res->made[m];
        const pl_exchange_side *sides[2] = {&E->i, &E->j};
        for (int s = 0; s < 2; s++) {
            size_t ix = sides[s]->actor * ni + sides[s]->supply;
            double X0 = pos[ix], sal = d->s[ix];
            next[ix] = X0 + ((1 - sal) * SALIENCE_WEIGHT + FIXED_WEIGHT) * (sides[s]->y - X0);
        }
    }
}

static pl_status run_round(const pl_exchange_data *d, run_ws *w, const double *pos, size_t t,
                           double p, rng *r, pl_exchange_result *res, double *vote, double *next,
                           pl_exchange_ext *ext) {
    size_t na = d->n_actors, ni = d->n_issues;
    round_ctx c = {.d = d,
                   .n_a = na,
                   .n_i = ni,
                   .pos = pos,
                   .S0 = w->S0,
                   .W = w->W,
                   .O = w->O,
                   .holders = w->holders,
                   .holder_at = w->holder_at,
                   .left = w->left,
                   .p = p,
                   .r = r};
    round_start(d, w, pos); /* 6.1: outcomes; left and right (3) */
    size_t first_made = res->n_made;
    int ok = create_all(&c, w) && index_by_actor(w, na) && carry_out(&c, w, t, res, ext);
    for (size_t e = 0; e < w->n_xs; e++) xchg_release(&w->xs[e]);
    w->n_xs = 0;
    if (!ok) return PL_ENOMEM;
    new_positions(d, pos, res, first_made, vote, next);
    return PL_OK;
}

static void outcomes(const pl_exchange_data *d, const run_ws *w, const double *pos, double *out) {
    size_t ni = d->n_issues;
    for (size_t k = 0; k < ni; k++) {
        double W = 0, S = 0;
        for (size_t h = w->holder_at[k]; h < w->holder_at[k + 1]; h++) {
            size_t a = w->holders[h];
            double sc = d->s[a * ni + k] * d->c[a * ni + k];
            W += sc;
            S += pos[a * ni + k] * sc;
        }
        out[k] = W > 0 ? S / W : 0;
    }
}

pl_status exchange_probe_round1(const pl_exchange_data *d, size_t g, size_t h, size_t p, size_t q,
                                exchange_probe *out) {
    memset(out, 0, sizeof *out);
    size_t ni = d->n_issues;
    if (g >= d->n_actors || h >= d->n_actors || p >= ni || q >= ni || p == q ||
        !d->has[g * ni + p] || !d->has[g * ni + q] || !d->has[h * ni + p] || !d->has[h * ni + q])
        return PL_EINVAL;
    run_ws w;
    pl_status rc = PL_ENOMEM;
    out->W = pl__malloc((ni + 1) * sizeof(double));
    out->O = pl__malloc((ni + 1) * sizeof(double));
    if (ws_init(&w, d) && out->W && out->O) {
        round_start(d, &w, d->x);
        memcpy(out->W, w.W, ni * sizeof(double));
        memcpy(out->O, w.O, ni * sizeof(double));
        round_ctx c = {.d = d,
                       .n_a = d->n_actors,
                       .n_i = ni,
                       .pos = d->x,
                       .S0 = w.S0,
                       .W = w.W,
                       .O = w.O,
                       .holders = w.holders,
                       .holder_at = w.holder_at,
                       .left = w.left,
                       .probe = out};
        if (create(&c, &w, p < q ? p : q, p < q ? q : p, g, h, 0)) {
            /* create() keeps only valid exchanges; look at the last one made */
            rc = PL_OK;
            if (w.n_xs == 1) {
                xchg *x = &w.xs[0];
                out->actor_i = x->i.actor;
                out->actor_j = x->j.actor;
                out->valid = x->valid;
                out->gain = x->gain;
                const xrole *rs[2] = {&x->i, &x->j};
                for (int s = 0; s < 2; s++) {
                    out->move[s] = rs[s]->move;
                    out->y[s] = rs[s]->y;
                    out->nbs0[s] = rs[s]->nbs0;
                    out->nbs1[s] = rs[s]->nbs1;
                }
                xchg_release(x);
            }
        }
    }
    ws_free(&w);
    if (rc != PL_OK) exchange_probe_free(out);
    return rc;
}

void exchange_probe_free(exchange_probe *pr) {
    if (!pr) return;
    pl__free(pr->W);
    pl__free(pr->O);
    pr->W = pr->O = NULL;
}

/* A whole run; r NULL for p = 0. */
static pl_status run_all(const pl_exchange_data *d, const pl_exchange_options *o, rng *r,
                         progress *pr, pl_exchange_result **out) {
    *out = NULL;
    size_t rounds = o->rounds, na = d->n_actors, ni = d->n_issues, cells = na * ni;
    pl_exchange_result *res = result_alloc(d, rounds);
    run_ws w;
    int ok = ws_init(&w, d);
    pl_status rc = PL_ENOMEM;
    if (!res || !ok) goto done;
    memcpy(res->pref_pos, d->x, cells * sizeof(double));
    rc = PL_OK;
    for (size_t t = 0; t < rounds && rc == PL_OK; t++) {
        if (progress_tick(pr, (double)t)) {
            rc = PL_EINTERRUPTED;
            break;
        }
        const double *pos = res->pref_pos + t * cells;
        res->round_first[t] = res->n_made;
        outcomes(d, &w, pos, res->pref_out + t * ni);
        rc = run_round(d, &w, pos, t + 1, o->p, r, res, res->vote_pos + t * cells,
                       res->pref_pos + (t + 1) * cells, res->ext + t * na);
        if (rc == PL_OK) outcomes(d, &w, res->vote_pos + t * cells, res->vote_out + t * ni);
    }
    res->round_first[rounds] = res->n_made;
    /* the "round after": its preferences, which it would also vote */
    memcpy(res->vote_pos + rounds * cells, res->pref_pos + rounds * cells, cells * sizeof(double));
done:
    ws_free(&w);
    if (rc != PL_OK) {
        pl_exchange_result_free(res);
        return rc;
    }
    *out = res;
    return PL_OK;
}

pl_status pl_exchange_run(const pl_exchange_data *d, const pl_exchange_options *opt,
                          pl_exchange_result **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!d) return PL_EINVAL;
    pl_exchange_options defaults;
    if (!opt) {
        pl_exchange_options_init(&defaults);
        opt = &defaults;
    }
    pl_status rc = check_options(opt);
    if (rc != PL_OK) return rc;
    progress pr;
    progress_init(&pr, opt->progress, opt->progress_ctx, (double)opt->rounds);
    rng r;
    rng_seed(&r, opt->seed, 0);
    return run_all(d, opt, opt->p > 0 ? &r : NULL, &pr, out);
}

/* ------------------------------------------------------------------------
** Reading a result
*/
static double to_scale(const pl_exchange_result *r, size_t k, double x) {
    return x * (r->upper[k] - r->lower[k]) / 100 + r->lower[k];
}

size_t pl_exchange_result_n_rounds(const pl_exchange_result *r) { return r ? r->n_rounds : 0; }

double pl_exchange_result_preference_outcome(const pl_exchange_result *r, size_t t, size_t k) {
    if (!r || k >= r->n_i || t > r->n_rounds) return 0;
    if (t == 0) t = 1;
    return to_scale(r, k, r->pref_out[(t - 1) * r->n_i + k]);
}

double pl_exchange_result_voting_outcome(const pl_exchange_result *r, size_t t, size_t k) {
    if (!r || k >= r->n_i || t > r->n_rounds) return 0;
    if (t == 0) return pl_exchange_result_preference_outcome(r, 1, k);
    return to_scale(r, k, r->vote_out[(t - 1) * r->n_i + k]);
}

double pl_exchange_result_forecast(const pl_exchange_result *r, size_t k) {
    return r ? pl_exchange_result_voting_outcome(r, r->n_rounds, k) : 0;
}

static double position_at(const pl_exchange_result *r, const double *base, size_t t, size_t a,
                          size_t k) {
    if (!r || t < 1 || t > r->n_rounds + 1 || a >= r->n_a || k >= r->n_i) return 0;
    size_t ix = a * r->n_i + k;
    if (!r->has[ix]) return 0;
    return to_scale(r, k, base[(t - 1) * r->n_a * r->n_i + ix]);
}

double pl_exchange_result_preference(const pl_exchange_result *r, size_t t, size_t a, size_t k) {
    return r ? position_at(r, r->pref_pos, t, a, k) : 0;
}

double pl_exchange_result_vote(const pl_exchange_result *r, size_t t, size_t a, size_t k) {
    return r ? position_at(r, r->vote_pos, t, a, k) : 0;
}

const pl_exchange_made *pl_exchange_result_exchanges(const pl_exchange_result *r, size_t t,
                                                     size_t *n) {
    if (n) *n = 0;
    if (!r || t < 1 || t > r->n_rounds) return NULL;
    size_t b = r->round_first[t - 1], e = r->round_first[t];
    if (n) *n = e - b;
    return r->made ? r->made + b : NULL;
}

const pl_exchange_ext *pl_exchange_result_ext(const pl_exchange_result *r, size_t t, size_t a) {
    if (!r || t < 1 || t > r->n_rounds || a >= r->n_a) return NULL;
    return &r->ext[(t - 1) * r->n_a + a];
}

/* ------------------------------------------------------------------------
** Repetitions of the randomised model (5.5) on the pool
*/
struct pl_exchange_dist {
    size_t n, n_i;
    double p;
    double *finals; /* n_i x n, sorted per issue */
    double mean_exchanges;
};

typedef struct rep_ctx {
    const pl_exchange_data *d;
    const pl_exchange_options *o;
    progress *pr;
    double *finals; /* n x n_i, by repetition */
    size_t *n_made;
    pl_status *rcs;
    _Atomic size_t done;
} rep_ctx;

static int rep_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    (void)worker;
    rep_ctx *c = ctx;
    size_t ni = c->d->n_issues;
    for (size_t rep = begin; rep < end; rep++) {
        if (progress_stopped(c->pr)) return 1;
        rng r;
        rng_seed(&r, c->o->seed, rep);
        pl_exchange_result *res = NULL;
        pl_status rc = run_all(c->d, c->o, c->o->p > 0 ? &r : NULL, NULL, &res);
        c->rcs[rep] = rc;
        if (rc != PL_OK) return 1;
        for (size_t k = 0; k < ni; k++)
            c->finals[rep * ni + k] = pl_exchange_result_forecast(res, k);
        c->n_made[rep] = res->n_made;
        pl_exchange_result_free(res);
        size_t done = ++c->done;
        if (progress_tick(c->pr, (double)done)) return 1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void pl_exchange_dist_free(pl_exchange_dist *dist) {
    if (!dist) return;
    pl__free(dist->finals);
    pl__free(dist);
}

pl_status pl_exchange_repeat(const pl_exchange_data *d, const pl_exchange_options *opt,
                             pl_exchange_dist **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!d || !opt) return PL_EINVAL;
    pl_status rc = check_options(opt);
    if (rc != PL_OK) return rc;
    size_t n = opt->repetitions, ni = d->n_issues;
    if (n < 1 || n > 100000000) return PL_EINVAL;
    progress pr;
    progress_init(&pr, opt->progress, opt->progress_ctx, (double)n);
    rep_ctx c = {.d = d, .o = opt, .pr = &pr};
    c.finals = pl__malloc((n * ni + 1) * sizeof(double));
    c.n_made = pl__calloc(n + 1, sizeof(size_t));
    c.rcs = pl__calloc(n + 1, sizeof(pl_status));
    pl_exchange_dist *dist = pl__calloc(1, sizeof *dist);
    pool *pl = NULL;
    rc = PL_ENOMEM;
    if (!c.finals || !c.n_made || !c.rcs || !dist) goto done;
    if (n > 1 && (rc = pool_new(opt->n_threads, &pl)) != PL_OK) goto done;
    int stopped = pool_for_chunks(pl, n, 1, rep_part, &c);
    rc = PL_OK;
    for (size_t rep = 0; rep < n && rc == PL_OK; rep++)
        if (c.rcs[rep] != PL_OK) rc = c.rcs[rep];
    if (rc == PL_OK && (stopped || progress_stopped(&pr))) rc = PL_EINTERRUPTED;
    if (rc != PL_OK) goto done;
    dist->n = n;
    dist->n_i = ni;
    dist->p = opt->p;
    dist->finals = pl__malloc((n * ni + 1) * sizeof(double));
    if (!dist->finals) {
        rc = PL_ENOMEM;
        goto done;
    }
    double made = 0;
    for (size_t rep = 0; rep < n; rep++) made += (double)c.n_made[rep];
    dist->mean_exchanges = made / (double)n;
    for (size_t k = 0; k < ni; k++) {
        double *v = dist->finals + k * n;
        for (size_t rep = 0; rep < n; rep++) v[rep] = c.finals[rep * ni + k];
        qsort(v, n, sizeof(double), cmp_double);
    }
done:
    pool_free(pl);
    pl__free(c.finals);
    pl__free(c.n_made);
    pl__free(c.rcs);
    if (rc != PL_OK) {
        pl_exchange_dist_free(dist);
        return rc;
    }
    *out = dist;
    return PL_OK;
}

size_t pl_exchange_dist_n(const pl_exchange_dist *dist) { return dist ? dist->n : 0; }
double pl_exchange_dist_p(const pl_exchange_dist *dist) { return dist ? dist->p : 0; }
double pl_exchange_dist_mean_exchanges(const pl_exchange_dist *dist) {
    return dist ? dist->mean_exchanges : 0;
}

/* The q-quantile of sorted v (linear between order statistics). */
static double quantile(const double *v, size_t n, double q) {
    double h = q * (double)(n - 1);
    size_t lo = (size_t)h;
    if (lo + 1 >= n) return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

pl_status pl_exchange_dist_summary(const pl_exchange_dist *dist, size_t k, pl_mc_stats *out) {
    if (!dist || !out || k >= dist->n_i) return PL_EINVAL;
    const double *v = dist->finals + k * dist->n;
    size_t n = dist->n;
    double sum = 0;
    for (size_t r = 0; r < n; r++) sum += v[r];
    double mean = sum / (double)n, var = 0;
    for (size_t r = 0; r < n; r++) var += (v[r] - mean) * (v[r] - mean);
    out->mean = mean;
    out->sd = n > 1 ? sqrt(var / (double)(n - 1)) : 0;
    out->median = quantile(v, n, 0.5);
    out->p5 = quantile(v, n, 0.05);
    out->p95 = quantile(v, n, 0.95);
    out->min = v[0];
    out->max = v[n - 1];
    return PL_OK;
}
