/*
** space.c: the agreement space of an n-party, multi-issue negotiation
** (pl_space, parley/deals.h) -- building it (for the readers in io/ and
** from parley scenarios), its accessors and the utility of a package.
** Its figures (frontier, counts, solutions) are computed by deals.c.
*/
#include "deals/space_int.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The space
*/
char *deals_strdup(const char *s) { return pl__strdup(s ? s : ""); }

pl_space *deals_space_alloc(size_t n_issues, size_t n_parties) {
    pl_space *sp = pl__calloc(1, sizeof *sp);
    if (!sp) return NULL;
    sp->issues = pl__calloc(n_issues ? n_issues : 1, sizeof *sp->issues);
    sp->parties = pl__calloc(n_parties ? n_parties : 1, sizeof *sp->parties);
    if (!sp->issues || !sp->parties) {
        pl__free(sp->issues);
        pl__free(sp->parties);
        pl__free(sp);
        return NULL;
    }
    sp->n_issues = n_issues;
    sp->n_parties = n_parties;
    for (size_t p = 0; p < n_parties; p++) sp->parties[p].discount = 1;
    return sp;
}

pl_status deals_set_issue(pl_space *sp, size_t i, const char *name, size_t n,
                          const char *const *labels, const double *values) {
    deals_issue *is = &sp->issues[i];
    is->name = deals_strdup(name);
    is->labels = pl__calloc(n ? n : 1, sizeof *is->labels);
    if (!is->name || !is->labels) return PL_ENOMEM;
    is->n_options = n;
    for (size_t o = 0; o < n; o++)
        if (!(is->labels[o] = deals_strdup(labels[o]))) return PL_ENOMEM;
    if (values) {
        is->values = pl__malloc(n * sizeof *is->values);
        if (!is->values) return PL_ENOMEM;
        memcpy(is->values, values, n * sizeof *values);
    }
    return PL_OK;
}

pl_status deals_alloc_table(pl_space *sp) {
    size_t cells = 0;
    for (size_t i = 0; i < sp->n_issues; i++) {
        sp->issues[i].offset = cells;
        cells += sp->issues[i].n_options;
    }
    sp->n_cells = cells;
    sp->tab = pl__calloc(cells * sp->n_parties + 1, sizeof *sp->tab);
    return sp->tab ? PL_OK : PL_ENOMEM;
}

pl_status deals_set_party(pl_space *sp, size_t p, const char *name, double reservation,
                          double discount) {
    deals_party *pa = &sp->parties[p];
    pa->name = deals_strdup(name);
    if (!pa->name) return PL_ENOMEM;
    pa->reservation = reservation;
    pa->discount = discount > 0 && discount <= 1 ? discount : 1;
    return PL_OK;
}

void pl_space_free(pl_space *sp) {
    if (!sp) return;
    for (size_t i = 0; i < sp->n_issues; i++) {
        deals_issue *is = &sp->issues[i];
        for (size_t o = 0; is->labels && o < is->n_options; o++) pl__free(is->labels[o]);
        pl__free(is->labels);
        pl__free(is->values);
        pl__free(is->name);
    }
    for (size_t p = 0; p < sp->n_parties; p++) {
        deals_party *pa = &sp->parties[p];
        for (size_t r = 0; r < pa->n_rects; r++) {
            pl__free(pa->rects[r].issue);
            pl__free(pa->rects[r].lo);
            pl__free(pa->rects[r].hi);
        }
        pl__free(pa->rects);
        pl__free(pa->name);
    }
    pl__free(sp->issues);
    pl__free(sp->parties);
    pl__free(sp->tab);
    pl__free(sp->name);
    pl__free(sp);
}

const char *pl_space_name(const pl_space *sp) { return sp ? sp->name : NULL; }
size_t pl_space_n_parties(const pl_space *sp) { return sp ? sp->n_parties : 0; }
const char *pl_space_party(const pl_space *sp, size_t p) {
    return sp && p < sp->n_parties ? sp->parties[p].name : NULL;
}
size_t pl_space_n_issues(const pl_space *sp) { return sp ? sp->n_issues : 0; }
const char *pl_space_issue(const pl_space *sp, size_t i) {
    return sp && i < sp->n_issues ? sp->issues[i].name : NULL;
}
size_t pl_space_n_options(const pl_space *sp, size_t i) {
    return sp && i < sp->n_issues ? sp->issues[i].n_options : 0;
}
const char *pl_space_option(const pl_space *sp, size_t i, size_t o) {
    if (!sp || i >= sp->n_issues || o >= sp->issues[i].n_options) return NULL;
    return sp->issues[i].labels[o];
}
double pl_space_reservation(const pl_space *sp, size_t p) {
    return sp && p < sp->n_parties ? sp->parties[p].reservation : 0;
}
double pl_space_discount(const pl_space *sp, size_t p) {
    return sp && p < sp->n_parties ? sp->parties[p].discount : 1;
}
int pl_space_nonlinear(const pl_space *sp, size_t p) {
    return sp && p < sp->n_parties ? sp->parties[p].nonlinear : 0;
}

pl_status pl_space_set_reservation(pl_space *sp, size_t p, double value) {
    if (!sp || p >= sp->n_parties || !isfinite(value)) return PL_EINVAL;
    sp->parties[p].reservation = value;
    return PL_OK;
}

uint64_t pl_space_size(const pl_space *sp, int *overflow) {
    uint64_t n = 1;
    int over = 0;
    for (size_t i = 0; sp && i < sp->n_issues; i++) {
        uint64_t k = sp->issues[i].n_options;
        if (k && n > UINT64_MAX / k) over = 1;
        else n *= k;
    }
    if (overflow) *overflow = over;
    return over ? 0 : n;
}

double deals_utility(const pl_space *sp, const size_t *choice, size_t p) {
    const deals_party *pa = &sp->parties[p];
    if (pa->nonlinear) return pa->scale * deals_rect_sum(pa, choice);
    double u = 0;
    for (size_t i = 0; i < sp->n_issues; i++)
        u += sp->tab[(sp->issues[i].offset + choice[i]) * sp->n_parties + p];
    return u;
}

pl_status pl_space_utility(const pl_space *sp, const size_t *choice, double *u) {
    if (!sp || !choice || !u) return PL_EINVAL;
    for (size_t i = 0; i < sp->n_issues; i++)
        if (choice[i] >= sp->issues[i].n_options) return PL_EINVAL;
    for (size_t p = 0; p < sp->n_parties; p++) u[p] = deals_utility(sp, choice, p);
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Spaces from scenarios
*/
static double distance_utility(const pl_issue *is, double x, double position) {
    return 1 - fabs(x - position) / (is->max - is->min);
}

pl_status pl_space_from_scenario(const pl_scenario *s, const pl_space_options *opts,
                                 pl_space **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!s) return PL_EINVAL;
    size_t grid = opts && opts->grid_points ? opts->grid_points : 5;
    if (grid < 2) grid = 2;
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    pl_space *sp = deals_space_alloc(n_issues, n_actors);
    if (!sp) return PL_ENOMEM;
    pl_status rc = PL_OK;
    sp->name = deals_strdup(pl_scenario_name(s));
    if (!sp->name) rc = PL_ENOMEM;
    size_t max_n = grid;
    for (size_t i = 0; i < n_issues; i++)
        if (pl_scenario_issue(s, i)->n_options > max_n) max_n = pl_scenario_issue(s, i)->n_options;
    char **labels = pl__calloc(max_n, sizeof *labels);
    double *values = pl__calloc(max_n, sizeof *values);
    if (!labels || !values) rc = PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        size_t n = is->n_options ? is->n_options : grid;
        for (size_t o = 0; o < n && rc == PL_OK; o++) {
            char text[160];
            if (is->n_options) {
                values[o] = is->options[o].value;
                labels[o] = deals_strdup(is->options[o].label);
            } else {
                values[o] = o + 1 == n
                                ? is->max
                                : is->min + (is->max - is->min) * (double)o / (double)(n - 1);
                snprintf(text, sizeof text, "%g%s%s", values[o], is->unit ? " " : "",
                         is->unit ? is->unit : "");
                labels[o] = deals_strdup(text);
            }
            if (!labels[o]) rc = PL_ENOMEM;
        }
        if (rc == PL_OK)
            rc = deals_set_issue(sp, i, is->name, n, (const char *const *)labels, values);
        for (size_t o = 0; o < n; o++) {
            pl__free(labels[o]);
            labels[o] = NULL;
        }
    }
    pl__free(labels);
    pl__free(values);
    if (rc == PL_OK) rc = deals_alloc_table(sp);
    for (size_t a = 0; rc == PL_OK && a < n_actors; a++) {
        double total = 0;
        for (size_t i = 0; i < n_issues; i++) {
            const pl_position *pos = pl_scenario_stake(s, a, i);
            if (pos) total += pos->salience;
        }
        double reservation = 0;
        for (size_t i = 0; i < n_issues; i++) {
            const pl_position *pos = pl_scenario_stake(s, a, i);
            const pl_issue *is = pl_scenario_issue(s, i);
            const deals_issue *di = &sp->issues[i];
            if (!pos || total <= 0) continue;
            double w = pos->salience / total, worst = INFINITY;
            for (size_t o = 0; o < di->n_options; o++) {
                double u = w * distance_utility(is, di->values[o], pos->position);
                sp->tab[(di->offset + o) * n_actors + a] = u;
                if (u < worst) worst = u;
            }
            reservation += is->has_status_quo
                               ? w * distance_utility(is, is->status_quo, pos->position)
                               : worst;
        }
        const pl_actor *ac = pl_scenario_actor(s, a);
        if (ac->has_reservation) reservation = ac->reservation; /* the scenario's word */
        rc = deals_set_party(sp, a, ac->name, reservation, 1);
    }
    if (rc != PL_OK) {
        pl_space_free(sp);
        return rc;
    }
    *out = sp;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Options: the defaults spelled out (zero fields mean the same)
*/
void pl_space_options_init(pl_space_options *opts) {
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->grid_points = 5;
    opts->real_points = 11;
}
