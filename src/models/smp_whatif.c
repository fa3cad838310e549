/*
** smp_whatif.c: the spatial model of politics on a scenario and on a what-if
** version of it (pl_whatif_*), with the same options (pl_smp_compare): each
** issue's most probable outcome and mean before and after.  Its report is
** report/report_compare.c.
*/
#include "core/alloc.h"
#include "parley.h"

struct pl_smp_compare {
    size_t n_issues;
    double *values;            /* one block holding the four arrays below */
    double *mode[2], *mean[2]; /* [0] before, [1] after: n_issues each */
    size_t turns[2];
    pl_smp_options opt; /* the options both runs had */
};

void pl_smp_compare_free(pl_smp_compare *c) {
    if (!c) return;
    pl__free(c->values);
    pl__free(c);
}

pl_status pl_smp_compare_run(const pl_scenario *base, const pl_scenario *changed,
                             pl_smp_salience_norm norm, const pl_smp_options *opt, pl_diags *diags,
                             pl_smp_compare **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!base || !changed) return PL_EINVAL;
    size_t n = pl_scenario_n_issues(base);
    if (n != pl_scenario_n_issues(changed)) return PL_EINVAL;
    pl_smp_compare *c = pl__calloc(1, sizeof *c);
    double *v = pl__malloc(4 * (n ? n : 1) * sizeof(double));
    if (!c || !v) {
        pl__free(c);
        pl__free(v);
        return PL_ENOMEM;
    }
    c->n_issues = n;
    c->values = v;
    c->mean[0] = v;
    c->mode[0] = v + n;
    c->mean[1] = v + 2 * n;
    c->mode[1] = v + 3 * n;
    if (opt) c->opt = *opt;
    else pl_smp_options_init(&c->opt);
    pl_status rc = pl_smp_forecast_scenario(base, norm, opt, diags, c->mean[0], c->mode[0],
                                            &c->turns[0]);
    if (rc == PL_OK)
        rc = pl_smp_forecast_scenario(changed, norm, opt, diags, c->mean[1], c->mode[1],
                                      &c->turns[1]);
    if (rc != PL_OK) {
        pl_smp_compare_free(c);
        return rc;
    }
    *out = c;
    return PL_OK;
}

size_t pl_smp_compare_n_issues(const pl_smp_compare *c) { return c ? c->n_issues : 0; }

pl_status pl_smp_compare_issue(const pl_smp_compare *c, size_t issue, double before[2],
                               double after[2]) {
    if (!c || issue >= c->n_issues || !before || !after) return PL_EINVAL;
    before[0] = c->mode[0][issue];
    before[1] = c->mean[0][issue];
    after[0] = c->mode[1][issue];
    after[1] = c->mean[1][issue];
    return PL_OK;
}

void pl_smp_compare_turns(const pl_smp_compare *c, size_t *before, size_t *after) {
    if (before) *before = c ? c->turns[0] : 0;
    if (after) *after = c ? c->turns[1] : 0;
}

const pl_smp_options *pl_smp_compare_options(const pl_smp_compare *c) { return c ? &c->opt : NULL; }
