/*
** sample.c: the packages of an agreement space as points in utility space,
** for the report's picture of it (pl_deals_sample, parley/deals.h): every
** package when there are few enough, otherwise a seeded uniform sample of
** them.  The frontier itself comes from deals.c; this is the cloud behind
** it.
*/
#include "core/alloc.h"
#include "core/rng.h"
#include "deals/space_int.h"

#include <string.h>

struct pl_deals_sample {
    size_t n_points, n_parties;
    int all;         /* 1: every package of the space */
    double *utility; /* n_points x n_parties */
};

pl_status pl_deals_sample_run(const pl_space *sp, size_t max_points, uint64_t seed,
                              pl_deals_sample **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!sp || max_points == 0 || sp->n_parties == 0) return PL_EINVAL;
    int overflow = 0;
    uint64_t size = pl_space_size(sp, &overflow);
    int all = !overflow && size <= max_points;
    size_t n = all ? (size_t)size : max_points;
    pl_deals_sample *ds = pl__calloc(1, sizeof *ds);
    size_t *choice = pl__calloc(sp->n_issues ? sp->n_issues : 1, sizeof *choice);
    if (ds && n) ds->utility = pl__malloc(n * sp->n_parties * sizeof *ds->utility);
    if (!ds || !choice || (n && !ds->utility)) {
        if (ds) pl__free(ds->utility);
        pl__free(ds);
        pl__free(choice);
        return PL_ENOMEM;
    }
    ds->n_points = n;
    ds->n_parties = sp->n_parties;
    ds->all = all;
    rng r;
    rng_seed(&r, seed, 0);
    for (size_t k = 0; k < n; k++) {
        if (all) { /* the k-th package in enumeration order: last issue fastest */
            uint64_t rest = k;
            for (size_t i = sp->n_issues; i-- > 0;) {
                choice[i] = (size_t)(rest % sp->issues[i].n_options);
                rest /= sp->issues[i].n_options;
            }
        } else {
            for (size_t i = 0; i < sp->n_issues; i++)
                choice[i] = (size_t)(rng_uniform(&r) * (double)sp->issues[i].n_options);
        }
        for (size_t p = 0; p < sp->n_parties; p++)
            ds->utility[k * sp->n_parties + p] = deals_utility(sp, choice, p);
    }
    pl__free(choice);
    *out = ds;
    return PL_OK;
}

void pl_deals_sample_free(pl_deals_sample *ds) {
    if (!ds) return;
    pl__free(ds->utility);
    pl__free(ds);
}

size_t pl_deals_sample_n(const pl_deals_sample *ds) { return ds ? ds->n_points : 0; }

int pl_deals_sample_all(const pl_deals_sample *ds) { return ds ? ds->all : 0; }

const double *pl_deals_sample_utility(const pl_deals_sample *ds, size_t i) {
    if (!ds || i >= ds->n_points) return NULL;
    return ds->utility + i * ds->n_parties;
}
