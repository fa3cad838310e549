/*
** single_text.c: the mediated single negotiating text (Raiffa 1982, the
** single negotiating text of the Camp David talks; Klein, Faratin, Sayama &
** Bar-Yam 2003, the mediated single-text protocol) -- parley's rule,
** written out in docs/simulation.md ("The single negotiating text").
**
** A mediator who knows every party's utility of every package drafts one
** text (a package) and puts it to the vote each round; the parties accept
** or reject it by their agents' rules at the relative time t_k.  When all
** accept, the text is the agreement.  Otherwise the mediator revises it:
** - before the first vote it improves its seeded starting text while some
**   package Pareto-dominates it, each time to the dominating package with
**   the fewest issues changed (then the largest gain in welfare, then the
**   first in enumeration order), so every text put to the vote is
**   Pareto-optimal;
** - after a vote it moves along the Pareto frontier to the package that
**   every rejecting party strictly prefers at the smallest net loss to the
**   accepting ones (then the fewest issues changed, then the first in
**   enumeration order); without one (everyone rejected) the text stays.
**
** Sections: the Pareto frontier of a space; the agents' votes; the run.
*/
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"
#include "core/rng.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The Pareto frontier: the packages no package dominates (at least as good
** for every party, better for one).  Sorted by the parties' utilities in
** lexicographic descending order, a package's dominators all come before
** it, and a dominated dominator has an undominated one before it too: so
** a package is on the frontier iff no frontier package found before it
** dominates it.
*/
static int lex_after(const sao_rankings *r, uint32_t a, uint32_t b) {
    for (size_t p = 0; p < r->n_parties; p++) {
        double ua = r->by_index[p][a], ub = r->by_index[p][b];
        if (ua != ub) return ua < ub;
    }
    return a > b;
}

/* Merge sort of idx[0..n) by lex_after (tmp: n entries). */
static void sort_lex(const sao_rankings *r, uint32_t *idx, uint32_t *tmp, size_t n) {
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = lex_after(r, idx[i], idx[j]) ? idx[j++] : idx[i++];
            while (i < mid) tmp[k++] = idx[i++];
            while (j < hi) tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* 1 if package a dominates package b. */
static int dominates(const sao_rankings *r, uint64_t a, uint64_t b) {
    int better = 0;
    for (size_t p = 0; p < r->n_parties; p++) {
        double ua = r->by_index[p][a], ub = r->by_index[p][b];
        if (ua < ub) return 0;
        if (ua > ub) better = 1;
    }
    return better;
}

pl_status sao_pareto_find(sao_rankings *r) {
    size_t n = (size_t)r->n_outcomes;
    uint32_t *idx = pl__malloc(n * sizeof *idx);
    uint32_t *tmp = pl__malloc(n * sizeof *tmp);
    uint8_t *bits = pl__calloc(n / 8 + 1, 1);
    pl_status rc = idx && tmp && bits ? PL_OK : PL_ENOMEM;
    size_t nf = 0;
    if (rc == PL_OK) {
        for (size_t i = 0; i < n; i++) idx[i] = (uint32_t)i;
        sort_lex(r, idx, tmp, n);
        uint32_t *front = tmp; /* the frontier so far, in sorted order */
        for (size_t i = 0; i < n; i++) {
            uint32_t o = idx[i];
            size_t f = nf;
            /* the latest frontier packages first: they are the nearest */
            while (f > 0 && !dominates(r, front[f - 1], o)) f--;
            if (f > 0) continue;
            front[nf++] = o;
            bits[o >> 3] |= (uint8_t)(1u << (o & 7));
        }
        /* the frontier in enumeration order */
        for (size_t o = 0, k = 0; o < n; o++)
            if (bits[o >> 3] & (1u << (o & 7))) tmp[k++] = (uint32_t)o;
        uint32_t *list = pl__realloc(tmp, (nf ? nf : 1) * sizeof *list);
        if (list) tmp = list;
        else rc = PL_ENOMEM;
    }
    pl__free(idx);
    if (rc != PL_OK) {
        pl__free(tmp);
        pl__free(bits);
        return rc;
    }
    r->pareto = bits;
    r->frontier = tmp;
    r->n_frontier = nf;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** The agents' votes on a text
**
** Every agent answers a text as it answers a standing offer in SAO (the
** time-based agents: inside their band, i.e. at or above its lower edge;
** aspiration: at or above its level; hardliner: its best; random: with
** probability P), except the two whose SAO answer reads the other parties'
** offers:
** - tit-for-tat: its rule from round 3 on, x(text) >= 1 - x(text), i.e. a
**   normalised utility of at least 1/2;
** - micro: at least the m-th best package of its ranking, m the number of
**   distinct texts put to the vote so far (the current one included): it
**   concedes one package per new text.
*/
static double tft_x(const sao_party *p, sao_outcome o) {
    if (p->u_max - p->u_min < 1e-5) return 1.0;
    return (sao_u(p, o) - p->u_min) * (1 / (p->u_max - p->u_min));
}

static int vote(sao_seat *s, const sao_time *tm, sao_outcome x, uint64_t n_texts) {
    const sao_party *p = &s->view;
    if (s->type == &sao_agent_tft) {
        double c = tft_x(p, x);
        if (!isfinite(c) || !(c >= -1e-6 && c <= 1.0000001)) c = 0.0;
        if (c < 0) c = 0.0;
        return tft_x(p, x) >= 1.0 - c;
    }
    if (s->type == &sao_agent_micro) {
        const sao_ranking *r = p->rank;
        uint64_t m = n_texts ? n_texts - 1 : 0;
        size_t at = m < r->n ? r->n - 1 - (size_t)m : 0;
        return sao_u(p, x) >= r->us[at];
    }
    return s->type->respond(s->state, p, tm, x);
}

/* ------------------------------------------------------------------------
** The run
*/
typedef struct mediator {
    const pl_space *sp;
    const sao_rankings *rk;
    size_t np;
    size_t *a, *b; /* decoded packages, n_issues each */
} mediator;

static size_t issues_changed(mediator *m, sao_outcome x, sao_outcome y) {
    sao_decode(m->sp, x, m->a);
    sao_decode(m->sp, y, m->b);
    size_t d = 0;
    for (size_t i = 0; i < m->sp->n_issues; i++) d += m->a[i] != m->b[i];
    return d;
}

/* The dominating package nearest x (fewest issues changed, then the largest
** sum of utility gains, then the first); x is dominated. */
static sao_outcome improve(mediator *m, sao_outcome x) {
    const sao_rankings *rk = m->rk;
    sao_outcome best = SAO_NONE;
    size_t best_d = SIZE_MAX;
    double best_gain = 0;
    for (uint64_t y = 0; y < rk->n_outcomes; y++) {
        if (!dominates(rk, y, x)) continue;
        size_t d = issues_changed(m, x, y);
        double gain = 0;
        for (size_t p = 0; p < m->np; p++) gain += rk->by_index[p][y] - rk->by_index[p][x];
        if (d < best_d || (d == best_d && gain > best_gain)) {
            best = y;
            best_d = d;
            best_gain = gain;
        }
    }
    return best;
}

/* The frontier package every rejecting party prefers to x at the smallest
** net loss to the accepting parties (then the fewest issues changed, then
** the first), or SAO_NONE. */
static sao_outcome concede(mediator *m, sao_outcome x, const unsigned char *votes) {
    const sao_rankings *rk = m->rk;
    sao_outcome best = SAO_NONE;
    size_t best_d = SIZE_MAX;
    double best_loss = 0;
    for (size_t f = 0; f < rk->n_frontier; f++) {
        uint64_t y = rk->frontier[f];
        int ok = 1;
        double loss = 0;
        for (size_t p = 0; ok && p < m->np; p++) {
            double uy = rk->by_index[p][y], ux = rk->by_index[p][x];
            if (votes[p]) loss += ux - uy;
            else ok = uy > ux;
        }
        if (!ok) continue;
        if (best != SAO_NONE && loss > best_loss) continue;
        size_t d = issues_changed(m, x, y);
        if (best == SAO_NONE || loss < best_loss || d < best_d) {
            best = y;
            best_d = d;
            best_loss = loss;
        }
    }
    return best;
}

static int seen_add(uint8_t *seen, sao_outcome x) {
    uint8_t bit = (uint8_t)(1u << (x & 7));
    if (seen[x >> 3] & bit) return 0;
    seen[x >> 3] |= bit;
    return 1;
}

pl_status sao_single_text_play(sao_seat *seats, size_t np, const sao_rankings *rk, size_t n_steps,
                               const pl_negotiate_options *o, sao_log *lg, sao_run *res) {
    const pl_space *sp = seats[0].view.sp;
    mediator m = {sp, rk, np, NULL, NULL};
    int has_micro = 0;
    for (size_t p = 0; p < np; p++) has_micro |= seats[p].type == &sao_agent_micro;
    m.a = pl__calloc(2 * (sp->n_issues + 1), sizeof *m.a);
    unsigned char *votes = pl__calloc(np, 1);
    uint8_t *seen = has_micro ? pl__calloc((size_t)(rk->n_outcomes / 8 + 1), 1) : NULL;
    pl_status rc = m.a && votes && (seen || !has_micro) ? PL_OK : PL_ENOMEM;
    if (rc != PL_OK) goto done;
    m.b = m.a + sp->n_issues + 1;

    /* the starting text, drawn from the stream (seed, n): one option per
    ** issue, uniformly; improved until nothing dominates it */
    rng r;
    rng_seed(&r, o->seed, np);
    sao_outcome x = 0;
    for (size_t i = 0; i < sp->n_issues; i++) {
        uint64_t n = sp->issues[i].n_options;
        uint64_t k = (uint64_t)(rng_uniform(&r) * (double)n);
        if (k >= n) k = n - 1;
        x = x * n + k;
    }
    memset(votes, 2, np);
    while (!(rk->pareto[x >> 3] & (1u << (x & 7)))) {
        if (o->trace && !sao_log_add(lg, 0, PL_MEDIATOR, x, votes)) goto oom;
        x = improve(&m, x);
    }

    uint64_t n_texts = 0;
    for (size_t k = 0; k < n_steps; k++) {
        sao_powers powers;
        powers.n = 0;
        sao_time tm = {k, n_steps, (double)(k + 1) / (double)(n_steps + 1), &powers};
        if (seen && seen_add(seen, x)) n_texts++;
        size_t yes = 0;
        for (size_t p = 0; p < np; p++) {
            sao_seat *s = &seats[p];
            int v = vote(s, &tm, x, n_texts);
            if (v && o->rational && !(sao_u(&s->view, x) >= s->view.reservation)) v = 0;
            votes[p] = (unsigned char)(v != 0);
            yes += votes[p];
        }
        if (o->trace && !sao_log_add(lg, k, PL_MEDIATOR, x, votes)) goto oom;
        if (yes == np) {
            res->end = PL_NEG_AGREEMENT;
            res->step = k + 1;
            res->last_round = k;
            res->agreement = x;
            goto done;
        }
        sao_outcome y = concede(&m, x, votes);
        if (y != SAO_NONE) x = y;
    }
    res->end = PL_NEG_TIMEOUT;
    res->step = n_steps;
    res->last_round = n_steps - 1;
    goto done;
oom:
    rc = PL_ENOMEM;
done:
    pl__free(m.a);
    pl__free(votes);
    pl__free(seen);
    return rc;
}
