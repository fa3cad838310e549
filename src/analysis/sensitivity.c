/*
** sensitivity.c: which inputs move each issue's forecast most -- every
** uncertain input swung alone across its range ("tornado").  Its report is
** report/report_sensitivity.c.
*/
#include "analysis/sensitivity_int.h"
#include "core/alloc.h"
#include "core/progress.h"
#include "parley.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define Z90 1.6448536269514722 /* the normal's 95th percentile */

static void ends(double value, const pl_spread *own, double default_sd, double lo, double hi,
                 double *low, double *high) {
    if (own->kind == PL_SPREAD_RANGE) {
        *low = own->lo;
        *high = own->hi;
        return;
    }
    double sd = own->kind == PL_SPREAD_SD ? own->sd : default_sd;
    *low = fmax(lo, value - Z90 * sd);
    *high = fmin(hi, value + Z90 * sd);
}

static int swing_cmp(const void *a, const void *b) {
    const pl_swing *p = a, *q = b;
    if (p->swing != q->swing) return (p->swing < q->swing) - (p->swing > q->swing);
    if (p->actor != q->actor) return (p->actor > q->actor) - (p->actor < q->actor);
    return (p->what > q->what) - (p->what < q->what);
}

void pl_sensitivity_free(pl_sensitivity *sens) {
    if (!sens) return;
    for (size_t i = 0; i < sens->n_issues; i++)
        if (sens->swings) pl__free(sens->swings[i]);
    pl__free(sens->swings);
    pl__free(sens->n_swings);
    pl__free(sens);
}

void pl_sensitivity_options_init(pl_sensitivity_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    pl_forecast_options_init(&opt->forecast);
}

pl_status pl_sensitivity_run(const pl_scenario *s, pl_model model,
                             const pl_sensitivity_options *sopt, pl_sensitivity **out) {
    if (!s || !out || (unsigned)model >= PL_MODEL_COUNT) return PL_EINVAL;
    *out = NULL;
    size_t n_issues = pl_scenario_n_issues(s), n_actors = pl_scenario_n_actors(s);
    /* progress in swings: three inputs per stake */
    size_t n_inputs = 0;
    for (size_t i = 0; i < n_issues; i++)
        for (size_t a = 0; a < n_actors; a++) n_inputs += pl_scenario_stake(s, a, i) ? 3 : 0;
    progress prog;
    pl_forecast_options fo;
    if (sopt) fo = sopt->forecast;
    else pl_forecast_options_init(&fo);
    progress_init(&prog, sopt ? sopt->progress : NULL, sopt ? sopt->progress_ctx : NULL,
                  (double)n_inputs);
    if (prog.fn) { /* a long EUM run polls the same tracker */
        fo.eum.progress = progress_nested;
        fo.eum.progress_ctx = &prog;
    }
    const pl_forecast_options *opt = &fo;
    size_t n_done = 0;
    const pl_uncertainty *given = pl_scenario_uncertainty(s);
    pl_uncertainty un = *given;
    if (!un.given) {
        un.position_sd_share = PL_MC_DEFAULT_POSITION_SD_SHARE;
        un.salience_sd = PL_MC_DEFAULT_SALIENCE_SD;
        un.capability_sd_share = PL_MC_DEFAULT_CAPABILITY_SD_SHARE;
    }
    pl_sensitivity *sens = pl__calloc(1, sizeof *sens);
    double *x = pl__malloc((n_actors + 1) * sizeof(double));
    double *cap = pl__malloc((n_actors + 1) * sizeof(double));
    double *sal = pl__malloc((n_actors + 1) * sizeof(double));
    size_t *who = pl__malloc((n_actors + 1) * sizeof(size_t));
    pl_status rc = PL_ENOMEM;
    if (!sens || !x || !cap || !sal || !who) goto done;
    sens->model = model;
    sens->n_issues = n_issues;
    sens->swings = pl__calloc(n_issues + 1, sizeof(pl_swing *));
    sens->n_swings = pl__calloc(n_issues + 1, sizeof(size_t));
    if (!sens->swings || !sens->n_swings) goto done;
    for (size_t i = 0; i < n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        pl_issue_input in;
        size_t n = pl_scenario_issue_input(s, i, x, cap, sal, who, &in);
        sens->swings[i] = pl__calloc(3 * n + 1, sizeof(pl_swing));
        if (!sens->swings[i]) {
            rc = PL_ENOMEM; /* not the previous issue's PL_OK */
            goto done;
        }
        if (n == 0) continue;
        for (size_t k = 0; k < n; k++) {
            const pl_position *p = pl_scenario_stake(s, who[k], i);
            const pl_actor *ac = pl_scenario_actor(s, who[k]);
            for (int what = 0; what < 3; what++) {
                double *slot = what == 0 ? &x[k] : what == 1 ? &sal[k] : &cap[k];
                double keep = *slot, lo, hi;
                if (what == 0)
                    ends(p->position, &p->position_spread,
                         un.position_sd_share * (is->max - is->min), is->min, is->max, &lo, &hi);
                else if (what == 1)
                    ends(p->salience, &p->salience_spread, un.salience_sd, 0, 100, &lo, &hi);
                else
                    ends(ac->capability, &ac->capability_spread,
                         un.capability_sd_share * ac->capability, keep * 1e-6, INFINITY, &lo, &hi);
                pl_swing *sw = &sens->swings[i][sens->n_swings[i]];
                sw->actor = who[k];
                sw->issue = what == 2 ? SIZE_MAX : i;
                sw->what = what;
                sw->low = lo;
                sw->high = hi;
                *slot = lo;
                rc = pl_model_forecast(model, &in, opt, &sw->forecast_low);
                if (rc == PL_OK) {
                    *slot = hi;
                    rc = pl_model_forecast(model, &in, opt, &sw->forecast_high);
                }
                *slot = keep;
                if (rc == PL_OK && progress_tick(&prog, (double)++n_done)) rc = PL_EINTERRUPTED;
                if (rc != PL_OK) goto done;
                sw->swing = fabs(sw->forecast_high - sw->forecast_low);
                sens->n_swings[i]++;
            }
        }
        qsort(sens->swings[i], sens->n_swings[i], sizeof(pl_swing), swing_cmp);
    }
    rc = PL_OK;
done:
    pl__free(x);
    pl__free(cap);
    pl__free(sal);
    pl__free(who);
    if (rc != PL_OK) {
        pl_sensitivity_free(sens);
        return rc;
    }
    *out = sens;
    return PL_OK;
}

const pl_swing *pl_sensitivity_swings(const pl_sensitivity *sens, size_t issue, size_t *n) {
    if (!sens || issue >= sens->n_issues) {
        if (n) *n = 0;
        return NULL;
    }
    if (n) *n = sens->n_swings[issue];
    return sens->swings[issue];
}
