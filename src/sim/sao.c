/*
** sao.c: the stacked alternating offers protocol for n parties
** (docs/simulation.md; negmas's SAOMechanism with its defaults).
**
** Rounds k = 0 .. N-1; in each, parties 0 .. n-1 act in turn, all at the
** relative time t_k = (k + 1) / (N + 1).  A party facing a standing offer
** accepts it or replaces it with its own proposal (party 0 opens round 0
** without one); a proposal counts as its proposer's acceptance, and the
** offer is agreed when the count of acceptances reaches n.  A party with
** nothing to propose ends the negotiation.  After each proposal every other
** party is told of it.
**
** Sections: the parties (B1: best and worst packages, rankings); the run;
** the result and its accessors; figures against the space's frontier.
*/
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_STEPS 100

struct pl_negotiation {
    size_t n_parties, n_issues, n_steps;
    pl_protocol protocol;
    int rational, discount;
    char **agents;
    pl_negotiation_end end;
    size_t step, ender;
    size_t *agreement; /* n_issues, or NULL */
    double *utilities;
    size_t n_offers;
    pl_offer *offers;
    size_t *offer_choices;      /* n_offers * n_issues */
    double *offer_utilities;    /* n_offers * n_parties */
    unsigned char *offer_votes; /* single text: n_offers * n_parties */
};

static const char *space_name(const pl_space *sp) { return sp->name ? sp->name : "space"; }

/* ------------------------------------------------------------------------
** The parties
*/

/* B1: the issue-wise best (largest utility, the last among equals) and
** worst (smallest, the first among equals) packages of a linear party. */
static void extremes(const pl_space *sp, size_t p, sao_outcome *best, sao_outcome *worst) {
    sao_outcome b = 0, w = 0;
    for (size_t i = 0; i < sp->n_issues; i++) {
        const deals_issue *is = &sp->issues[i];
        size_t bi = 0, wi = 0;
        for (size_t o = 1; o < is->n_options; o++) {
            double u = sp->tab[(is->offset + o) * sp->n_parties + p];
            if (u >= sp->tab[(is->offset + bi) * sp->n_parties + p]) bi = o;
            if (u < sp->tab[(is->offset + wi) * sp->n_parties + p]) wi = o;
        }
        b = b * is->n_options + bi;
        w = w * is->n_options + wi;
    }
    *best = b;
    *worst = w;
}

/* ------------------------------------------------------------------------
** The rankings of a space (sao_int.h)
*/
void sao_rankings_free(sao_rankings *r) {
    if (!r) return;
    for (size_t p = 0; p < r->n_parties; p++) {
        if (r->by_index) pl__free(r->by_index[p]);
        if (r->outs) pl__free(r->outs[p]);
        if (r->us) pl__free(r->us[p]);
        if (r->search) sao_search_free(r->search[p]);
    }
    pl__free(r->search);
    pl__free(r->by_index);
    pl__free(r->outs);
    pl__free(r->us);
    pl__free(r->pareto);
    pl__free(r->frontier);
    pl__free(r);
}

/* Party p above the cap: its search, or PL_ERANGE with a diagnostic saying
** why it cannot be searched. */
static pl_status search_party(const pl_space *sp, size_t p, const char *agent, uint64_t cap,
                              uint64_t n_outcomes, pl_diags *diags, sao_search **out) {
    const deals_party *pa = &sp->parties[p];
    pl_status rc = pa->nonlinear ? PL_ERANGE : sao_search_new(sp, p, out);
    if (rc != PL_ERANGE) return rc;
    diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
             "expected at most %.3g packages for agent %s of party %s (%s), found %.3g; raise "
             "the cap (--max-outcomes, at most %.3g), offer fewer options, or use agents that "
             "rank nothing (hardliner, random)",
             (double)cap, agent, pa->name,
             pa->nonlinear ? "its profile is not linear, so it ranks every package instead of "
                             "searching"
                           : "the space does not split into two halves small enough to search",
             (double)n_outcomes, (double)PL_NEGOTIATE_MAX_CAP);
    return PL_ERANGE;
}

static sao_rankings *rankings_alloc(size_t np, uint64_t n_outcomes) {
    sao_rankings *r = pl__calloc(1, sizeof *r);
    if (!r) return NULL;
    r->n_parties = np;
    r->n_outcomes = n_outcomes;
    r->by_index = pl__calloc(np, sizeof *r->by_index);
    r->outs = pl__calloc(np, sizeof *r->outs);
    r->us = pl__calloc(np, sizeof *r->us);
    r->search = pl__calloc(np, sizeof *r->search);
    if (!r->by_index || !r->outs || !r->us || !r->search) {
        sao_rankings_free(r);
        return NULL;
    }
    return r;
}

pl_status sao_rankings_new(const pl_space *sp, const char *const *agents, const char *why_agent,
                           uint64_t cap, int pareto, progress *prog, pl_diags *diags,
                           sao_rankings **out) {
    *out = NULL;
    size_t np = sp->n_parties;
    int overflow = 0;
    uint64_t n_outcomes = pl_space_size(sp, &overflow);
    if (pareto && n_outcomes > cap) {
        diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                 "expected at most %.3g packages for the single-text mediator (it weighs every "
                 "package for every party), found %.3g; raise the cap (--max-outcomes, at most "
                 "%.3g) or offer fewer options",
                 (double)cap, (double)n_outcomes, (double)PL_NEGOTIATE_MAX_CAP);
        return PL_ERANGE;
    }
    sao_rankings *r = rankings_alloc(np, n_outcomes);
    if (!r) return PL_ENOMEM;
    for (size_t p = 0; p < np; p++) {
        const deals_party *pa = &sp->parties[p];
        const char *arg;
        const sao_agent_type *type = agents ? sao_agent_find(agents[p], &arg) : NULL;
        int ranked = pareto || !agents || (type && type->needs_ranking) || pa->nonlinear;
        if (!ranked) continue;
        pl_status rc;
        if (n_outcomes > cap)
            rc = search_party(sp, p, type ? type->name : why_agent, cap, n_outcomes, diags,
                              &r->search[p]);
        else rc = sao_rank(sp, p, n_outcomes, prog, &r->by_index[p], &r->outs[p], &r->us[p]);
        if (rc != PL_OK) {
            sao_rankings_free(r);
            return rc;
        }
    }
    if (pareto && sao_pareto_find(r) != PL_OK) {
        sao_rankings_free(r);
        return PL_ENOMEM;
    }
    *out = r;
    return PL_OK;
}

/* Seat the parties on the rankings rk (borrowed). */
static void seat_parties(const pl_space *sp, sao_seat *seats, const sao_rankings *rk,
                         const pl_negotiate_options *o) {
    size_t np = sp->n_parties;
    uint64_t n_outcomes = rk->n_outcomes;
    for (size_t p = 0; p < np; p++) {
        sao_seat *s = &seats[p];
        const deals_party *pa = &sp->parties[p];
        int ranked = rk->outs[p] != NULL;
        sao_party *v = &s->view;
        v->sp = sp;
        v->index = p;
        v->n_parties = np;
        v->n_outcomes = n_outcomes;
        v->reservation = pa->reservation;
        v->seed = o->seed;
        v->rational = o->rational != 0;
        if (ranked) {
            v->by_index = rk->by_index[p];
            s->rank.n = (size_t)n_outcomes;
            s->rank.outs = rk->outs[p];
            s->rank.us = rk->us[p];
            v->rank = &s->rank;
        }
        v->search = rk->search[p];
        if (pa->nonlinear) {
            v->best = rk->outs[p][n_outcomes - 1];
            v->worst = rk->outs[p][0];
        } else {
            extremes(sp, p, &v->best, &v->worst);
        }
        v->u_max = sao_u(v, v->best);
        v->u_min = sao_u(v, v->worst);
        if (o->rational) {
            double rv = pa->reservation;
            if (rv > v->u_min) v->u_min = rv < v->u_max ? rv : v->u_max;
            if (ranked) { /* only the packages at or above the reservation, at least the best */
                size_t lo = 0, hi = s->rank.n - 1;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (s->rank.us[mid] < rv) lo = mid + 1;
                    else hi = mid;
                }
                s->rank.n -= lo;
                s->rank.outs += lo;
                s->rank.us += lo;
            }
        }
        if (v->search) sao_search_seat(v, v->scratch);
    }
}

/* ------------------------------------------------------------------------
** The run
*/
static pl_status play(sao_seat *seats, size_t np, size_t n_steps, const pl_negotiate_options *o,
                      sao_log *lg, sao_run *res) {
    sao_outcome standing = SAO_NONE;
    size_t accepted = 0;
    for (size_t k = 0; k < n_steps; k++) {
        sao_powers powers;
        powers.n = 0;
        sao_time tm = {k, n_steps, (double)(k + 1) / (double)(n_steps + 1), &powers};
        for (size_t p = 0; p < np; p++) {
            sao_seat *s = &seats[p];
            if (standing != SAO_NONE) {
                int yes = s->type->respond(s->state, &s->view, &tm, standing);
                if (yes && o->rational && !(sao_u(&s->view, standing) >= s->view.reservation))
                    yes = 0;
                if (yes) {
                    if (++accepted == np) {
                        res->end = PL_NEG_AGREEMENT;
                        res->step = k + 1;
                        res->last_round = k;
                        res->agreement = standing;
                        return PL_OK;
                    }
                    continue;
                }
            }
            sao_outcome offer = s->type->propose(s->state, &s->view, &tm);
            if (offer == SAO_NONE) {
                res->end = PL_NEG_ENDED;
                res->step = k + 1;
                res->ender = p;
                res->last_round = k;
                return PL_OK;
            }
            standing = offer;
            /* a proposal is its proposer's acceptance -- in rational mode
            ** only when it is worth its reservation value to it */
            accepted = !o->rational || sao_u(&s->view, offer) >= s->view.reservation;
            if (o->trace && !sao_log_add(lg, k, p, offer, NULL)) return PL_ENOMEM;
            for (size_t q = 0; q < np; q++)
                if (q != p && seats[q].type->notify)
                    seats[q].type->notify(seats[q].state, &seats[q].view, p, offer);
        }
    }
    res->end = PL_NEG_TIMEOUT;
    res->step = n_steps;
    res->last_round = n_steps - 1;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** The result
*/
void pl_negotiation_free(pl_negotiation *neg) {
    if (!neg) return;
    if (neg->agents)
        for (size_t p = 0; p < neg->n_parties; p++) pl__free(neg->agents[p]);
    pl__free(neg->agents);
    pl__free(neg->agreement);
    pl__free(neg->utilities);
    pl__free(neg->offers);
    pl__free(neg->offer_choices);
    pl__free(neg->offer_utilities);
    pl__free(neg->offer_votes);
    pl__free(neg);
}

static pl_status make_result(const pl_space *sp, const char *const *agents, size_t n_steps,
                             const pl_negotiate_options *o, const sao_log *lg, const sao_run *res,
                             size_t *scratch, pl_negotiation **out) {
    size_t np = sp->n_parties, ni = sp->n_issues;
    pl_negotiation *neg = pl__calloc(1, sizeof *neg);
    if (!neg) return PL_ENOMEM;
    neg->n_parties = np;
    neg->n_issues = ni;
    neg->n_steps = n_steps;
    neg->protocol = o->protocol;
    neg->rational = o->rational != 0;
    neg->discount = o->discount != 0;
    neg->end = res->end;
    neg->step = res->step;
    neg->ender = res->end == PL_NEG_ENDED ? res->ender : SIZE_MAX;
    neg->agents = pl__calloc(np, sizeof *neg->agents);
    neg->utilities = pl__calloc(np, sizeof *neg->utilities);
    if (!neg->agents || !neg->utilities) goto oom;
    for (size_t p = 0; p < np; p++)
        if (!(neg->agents[p] = pl__strdup(agents[p]))) goto oom;
    if (res->end == PL_NEG_AGREEMENT) {
        neg->agreement = pl__calloc(ni + 1, sizeof *neg->agreement);
        if (!neg->agreement) goto oom;
        sao_decode(sp, res->agreement, neg->agreement);
        for (size_t p = 0; p < np; p++)
            neg->utilities[p] = sao_utility(sp, p, res->agreement, scratch);
    } else {
        for (size_t p = 0; p < np; p++) neg->utilities[p] = sp->parties[p].reservation;
    }
    if (o->discount) {
        double t = (double)(res->last_round + 1) / (double)(n_steps + 1);
        for (size_t p = 0; p < np; p++) neg->utilities[p] *= pow(sp->parties[p].discount, t);
    }
    if (lg->n) {
        neg->offers = pl__calloc(lg->n, sizeof *neg->offers);
        neg->offer_choices = pl__calloc(lg->n * (ni ? ni : 1), sizeof *neg->offer_choices);
        neg->offer_utilities = pl__calloc(lg->n * np, sizeof *neg->offer_utilities);
        if (!neg->offers || !neg->offer_choices || !neg->offer_utilities) goto oom;
        if (lg->votes && !(neg->offer_votes = pl__malloc(lg->n * np))) goto oom;
        for (size_t i = 0; i < lg->n; i++) {
            pl_offer *of = &neg->offers[i];
            size_t *choice = neg->offer_choices + i * ni;
            double *u = neg->offer_utilities + i * np;
            of->round = lg->rounds[i];
            of->party = lg->parties[i];
            sao_decode(sp, lg->outcomes[i], choice);
            for (size_t p = 0; p < np; p++) u[p] = deals_utility(sp, choice, p);
            of->choice = choice;
            of->utility = u;
            if (lg->votes && lg->votes[i * np] != 2) {
                memcpy(neg->offer_votes + i * np, lg->votes + i * np, np);
                of->votes = neg->offer_votes + i * np;
            }
        }
        neg->n_offers = lg->n;
    }
    *out = neg;
    return PL_OK;
oom:
    pl_negotiation_free(neg);
    return PL_ENOMEM;
}

pl_status pl_negotiate(const pl_space *sp, const char *const *agents, size_t n_agents,
                       const pl_negotiate_options *opts, pl_diags *diags, pl_negotiation **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!sp || !agents) return PL_EINVAL;
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    if (opts) o = *opts;
    size_t n_steps = o.n_steps ? o.n_steps : DEFAULT_STEPS;
    uint64_t cap = o.max_outcomes ? o.max_outcomes : PL_NEGOTIATE_DEFAULT_CAP;
    if (cap > PL_NEGOTIATE_MAX_CAP) cap = PL_NEGOTIATE_MAX_CAP;
    size_t np = sp->n_parties;
    if ((unsigned)o.protocol > PL_PROTOCOL_SINGLE_TEXT) return PL_EINVAL;
    if (np < 2 || n_agents != np) {
        diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                 "expected one agent per party (%zu parties, at least 2), found %zu agents", np,
                 n_agents);
        return PL_EINVAL;
    }
    for (size_t p = 0; p < np; p++) {
        pl_status rc = pl_agent_check(agents[p]);
        if (rc != PL_OK) {
            diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                     "expected an agent (docs/simulation.md) for party %zu, found \"%s\"", p + 1,
                     agents[p] ? agents[p] : "");
            return PL_EINVAL;
        }
    }
    int overflow = 0;
    uint64_t n_outcomes = pl_space_size(sp, &overflow);
    if (overflow) {
        diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                 "expected at most 1.8e19 packages, found more (%zu issues)", sp->n_issues);
        return PL_ERANGE;
    }
    if (n_outcomes == 0) {
        diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                 "expected at least one option on every issue, found an issue without");
        return PL_EINPUT;
    }

    sao_rankings *rk = NULL;
    pl_status rc = sao_rankings_new(sp, agents, NULL, cap, o.protocol == PL_PROTOCOL_SINGLE_TEXT,
                                    NULL, diags, &rk);
    o.n_steps = n_steps;
    if (rc == PL_OK) rc = sao_negotiate_ranked(sp, rk, agents, &o, out);
    sao_rankings_free(rk);
    return rc;
}

pl_status sao_negotiate_ranked(const pl_space *sp, const sao_rankings *rk,
                               const char *const *agents, const pl_negotiate_options *o,
                               pl_negotiation **out) {
    size_t np = sp->n_parties, n_steps = o->n_steps;
    sao_seat *seats = pl__calloc(np, sizeof *seats);
    size_t *scratch = pl__calloc(sp->n_issues + 1, sizeof *scratch);
    sao_log lg;
    memset(&lg, 0, sizeof lg);
    lg.n_parties = np;
    pl_status rc = seats && scratch ? PL_OK : PL_ENOMEM;
    for (size_t p = 0; rc == PL_OK && p < np; p++) {
        seats[p].type = sao_agent_find(agents[p], &seats[p].arg);
        seats[p].view.scratch = scratch;
    }
    if (rc == PL_OK) seat_parties(sp, seats, rk, o);
    for (size_t p = 0; rc == PL_OK && p < np; p++)
        rc = seats[p].type->init(&seats[p].state, seats[p].arg, &seats[p].view);
    sao_run res;
    memset(&res, 0, sizeof res);
    if (rc == PL_OK) {
        if (o->protocol == PL_PROTOCOL_SINGLE_TEXT)
            rc = sao_single_text_play(seats, np, rk, n_steps, o, &lg, &res);
        else rc = play(seats, np, n_steps, o, &lg, &res);
    }
    if (rc == PL_OK) rc = make_result(sp, agents, n_steps, o, &lg, &res, scratch, out);
    for (size_t p = 0; seats && p < np; p++)
        if (seats[p].state) seats[p].type->fini(seats[p].state);
    pl__free(seats);
    pl__free(scratch);
    sao_log_free(&lg);
    return rc;
}

/* ------------------------------------------------------------------------
** Accessors
*/
const char *pl_negotiation_end_name(pl_negotiation_end end) {
    switch (end) {
        case PL_NEG_AGREEMENT: return "agreement";
        case PL_NEG_TIMEOUT: return "timeout";
        case PL_NEG_ENDED: return "ended";
    }
    return NULL;
}

size_t pl_negotiation_n_parties(const pl_negotiation *neg) { return neg ? neg->n_parties : 0; }
const char *pl_negotiation_agent(const pl_negotiation *neg, size_t party) {
    return neg && party < neg->n_parties ? neg->agents[party] : NULL;
}
size_t pl_negotiation_n_steps(const pl_negotiation *neg) { return neg ? neg->n_steps : 0; }
pl_protocol pl_negotiation_protocol(const pl_negotiation *neg) {
    return neg ? neg->protocol : PL_PROTOCOL_SAO;
}
const char *pl_protocol_name(pl_protocol protocol) {
    switch (protocol) {
        case PL_PROTOCOL_SAO: return "sao";
        case PL_PROTOCOL_SINGLE_TEXT: return "single-text";
    }
    return NULL;
}
pl_status pl_protocol_from_name(const char *name, pl_protocol *out) {
    if (!name || !out) return PL_EINVAL;
    if (strcmp(name, "sao") == 0) *out = PL_PROTOCOL_SAO;
    else if (strcmp(name, "single-text") == 0) *out = PL_PROTOCOL_SINGLE_TEXT;
    else return PL_ENOTFOUND;
    return PL_OK;
}
int pl_negotiation_rational(const pl_negotiation *neg) { return neg ? neg->rational : 0; }
int pl_negotiation_discounted(const pl_negotiation *neg) { return neg ? neg->discount : 0; }
pl_negotiation_end pl_negotiation_end_reason(const pl_negotiation *neg) {
    return neg ? neg->end : PL_NEG_TIMEOUT;
}
size_t pl_negotiation_step(const pl_negotiation *neg) { return neg ? neg->step : 0; }
size_t pl_negotiation_ender(const pl_negotiation *neg) { return neg ? neg->ender : SIZE_MAX; }
const size_t *pl_negotiation_agreement(const pl_negotiation *neg) {
    return neg ? neg->agreement : NULL;
}
const double *pl_negotiation_utilities(const pl_negotiation *neg) {
    return neg ? neg->utilities : NULL;
}
size_t pl_negotiation_n_offers(const pl_negotiation *neg) { return neg ? neg->n_offers : 0; }
const pl_offer *pl_negotiation_offer(const pl_negotiation *neg, size_t i) {
    return neg && i < neg->n_offers ? &neg->offers[i] : NULL;
}

/* ------------------------------------------------------------------------
** Figures against the space's frontier (the public accessors of pl_deals)
*/
static double distance(const double *a, const double *b, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

pl_status pl_negotiation_stats_get(const pl_negotiation *neg, const pl_deals *d,
                                   pl_negotiation_stats *out) {
    if (!neg || !out) return PL_EINVAL;
    memset(out, 0, sizeof *out);
    size_t np = neg->n_parties;
    for (size_t p = 0; p < np; p++) out->welfare += neg->utilities[p];
    if (!d) return PL_OK;
    size_t nf = pl_deals_n_frontier(d);
    for (size_t f = 0; f < nf; f++) {
        double dist = distance(neg->utilities, pl_deals_frontier(d, f)->utility, np);
        if (!out->has_pareto || dist < out->pareto_distance) out->pareto_distance = dist;
        out->has_pareto = 1;
    }
    if (pl_deals_n_solution(d, PL_SOL_NASH)) {
        const pl_deal *nash = pl_deals_frontier(d, pl_deals_solution(d, PL_SOL_NASH, 0));
        out->nash_distance = distance(neg->utilities, nash->utility, np);
        out->has_nash = 1;
    }
    return PL_OK;
}
