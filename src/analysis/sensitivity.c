/*
** sensitivity.c: which inputs move each issue's forecast most -- every
** uncertain input swung alone across its range ("tornado").  Its report is
** report/report_sensitivity.c.
*/
#include "analysis/exchange_groups.h"
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
    if (p->what != q->what) return (p->what > q->what) - (p->what < q->what);
    return (p->issue > q->issue) - (p->issue < q->issue); /* the exchange model's */
}

void sensitivity_sort(pl_sensitivity *sens) {
    for (size_t i = 0; i < sens->n_issues; i++)
        if (sens->n_swings[i])
            qsort(sens->swings[i], sens->n_swings[i], sizeof(pl_swing), swing_cmp);
}

void pl_sensitivity_free(pl_sensitivity *sens) {
    if (!sens) return;
    for (size_t i = 0; i < sens->n_issues; i++)
        if (sens->swings) pl__free(sens->swings[i]);
    pl__free(sens->swings);
    pl__free(sens->n_swings);
    pl__free(sens->rec);
    pl__free(sens->rec_list);
    pl__free(sens->per_input);
    pl__free(sens);
}

/* Is the next input to swing one of the range's (always, without one)?
** Counts it. */
static int take(pl_sensitivity *sens) {
    uint64_t k = sens->next++;
    return !sens->count || (k >= sens->first && k - sens->first < sens->count);
}

int sensitivity_reserve_rec(pl_sensitivity *sens) {
    if (sens->n_rec < sens->cap_rec) return 1;
    size_t cap = sens->cap_rec ? 2 * sens->cap_rec : 64;
    pl_swing *rec = pl__realloc(sens->rec, cap * sizeof *rec);
    if (rec) sens->rec = rec;
    size_t *lists = rec ? pl__realloc(sens->rec_list, cap * sizeof *lists) : NULL;
    if (lists) sens->rec_list = lists;
    if (!rec || !lists) return 0;
    sens->cap_rec = cap;
    return 1;
}

/* Swing sw of the input just taken into issue LIST's swings, or for a
** range into its record. */
static pl_status keep_swing(pl_sensitivity *sens, size_t list, const pl_swing *sw) {
    if (!sens->count) {
        sens->swings[list][sens->n_swings[list]++] = *sw;
        return PL_OK;
    }
    if (!sensitivity_reserve_rec(sens)) return PL_ENOMEM;
    sens->rec[sens->n_rec] = *sw;
    sens->rec_list[sens->n_rec++] = list;
    sens->per_input[sens->next - 1 - sens->first]++;
    return PL_OK;
}

void pl_sensitivity_options_init(pl_sensitivity_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    pl_forecast_options_init(&opt->forecast);
}

/* What every swing of one sensitivity run shares: the scenario, the model
** and its options, the spreads, the progress, and one issue's inputs. */
typedef struct {
    const pl_scenario *s;
    pl_model model;
    const pl_forecast_options *opt;
    pl_uncertainty un;
    progress prog;
    size_t n_done;
    double *x, *cap, *sal;
    size_t *who;
} sweep;

/* Input WHAT (0 position, 1 salience, 2 capability) of the K-th actor of
** issue I's input IN swung to the ends of its spread, both forecasts in SW. */
static pl_status one_swing(sweep *w, size_t i, const pl_issue_input *in, size_t k, int what,
                           pl_swing *sw) {
    const pl_issue *is = pl_scenario_issue(w->s, i);
    const pl_position *p = pl_scenario_stake(w->s, w->who[k], i);
    const pl_actor *ac = pl_scenario_actor(w->s, w->who[k]);
    double *slot = what == 0 ? &w->x[k] : what == 1 ? &w->sal[k] : &w->cap[k];
    double keep = *slot, lo, hi;
    if (what == 0)
        ends(p->position, &p->position_spread, w->un.position_sd_share * (is->max - is->min),
             is->min, is->max, &lo, &hi);
    else if (what == 1) ends(p->salience, &p->salience_spread, w->un.salience_sd, 0, 100, &lo, &hi);
    else
        ends(ac->capability, &ac->capability_spread, w->un.capability_sd_share * ac->capability,
             keep * 1e-6, INFINITY, &lo, &hi);
    sw->actor = w->who[k];
    sw->issue = what == 2 ? SIZE_MAX : i;
    sw->what = what;
    sw->low = lo;
    sw->high = hi;
    *slot = lo;
    pl_status rc = pl_model_forecast(w->model, in, w->opt, &sw->forecast_low);
    if (rc == PL_OK) {
        *slot = hi;
        rc = pl_model_forecast(w->model, in, w->opt, &sw->forecast_high);
    }
    *slot = keep;
    if (rc == PL_OK && progress_tick(&w->prog, (double)++w->n_done)) rc = PL_EINTERRUPTED;
    if (rc != PL_OK) return rc;
    sw->swing = fabs(sw->forecast_high - sw->forecast_low);
    return PL_OK;
}

/* Issue I's swings, three per actor with a stake, largest first. */
static pl_status issue_swings(sweep *w, size_t i, pl_sensitivity *sens) {
    pl_issue_input in;
    size_t n = pl_scenario_issue_input(w->s, i, w->x, w->cap, w->sal, w->who, &in);
    sens->swings[i] = pl__calloc(3 * n + 1, sizeof(pl_swing));
    if (!sens->swings[i]) return PL_ENOMEM;
    if (n == 0) return PL_OK;
    for (size_t k = 0; k < n; k++)
        for (int what = 0; what < 3; what++) {
            if (!take(sens)) continue;
            pl_swing sw;
            pl_status rc = one_swing(w, i, &in, k, what, &sw);
            if (rc == PL_OK) rc = keep_swing(sens, i, &sw);
            if (rc != PL_OK) return rc;
        }
    if (sens->n_swings[i]) qsort(sens->swings[i], sens->n_swings[i], sizeof(pl_swing), swing_cmp);
    return PL_OK;
}

/* ------------------------------------------------------------------------
** The exchange model: linked issues
*/
/* Everything the exchange model's swings share: the groups, one input per
** group, the scenario's values (one of which a swing changes at a time),
** both forecasts of every issue, the spreads and the progress. */
typedef struct {
    const pl_scenario *s;
    exchange_plan plan;
    exchange_work work;
    unsigned char *has;
    double *x, *sal, *cap;
    double *f_low, *f_high;
    pl_exchange_options opt;
    pl_uncertainty un;
    progress prog;
    size_t n_done;
} ex_sweep;

/* The input at *slot (WHAT of ACTOR, on ISSUE or SIZE_MAX) of group G swung
** to the ends of its spread: a swing for every issue of the group. */
static pl_status ex_swing(ex_sweep *w, size_t g, size_t actor, size_t issue, int what,
                          pl_sensitivity *sens) {
    const pl_actor *ac = pl_scenario_actor(w->s, actor);
    double *slot = what == 2   ? &w->cap[actor]
                   : what == 1 ? &w->sal[actor * w->plan.n_issues + issue]
                               : &w->x[actor * w->plan.n_issues + issue];
    double keep = *slot, lo, hi;
    if (!take(sens)) return PL_OK;
    if (what == 2) {
        ends(ac->capability, &ac->capability_spread, w->un.capability_sd_share * ac->capability,
             keep * 1e-6, INFINITY, &lo, &hi);
    } else {
        const pl_issue *is = pl_scenario_issue(w->s, issue);
        const pl_position *p = pl_scenario_stake(w->s, actor, issue);
        if (what == 0)
            ends(p->position, &p->position_spread, w->un.position_sd_share * (is->max - is->min),
                 is->min, is->max, &lo, &hi);
        else ends(p->salience, &p->salience_spread, w->un.salience_sd, 0, 100, &lo, &hi);
    }
    *slot = lo;
    pl_status rc = exchange_group_forecast(&w->plan, &w->work, g, w->has, w->x, w->sal, w->cap,
                                           &w->opt, w->f_low, NULL, NULL);
    if (rc == PL_OK) {
        *slot = hi;
        rc = exchange_group_forecast(&w->plan, &w->work, g, w->has, w->x, w->sal, w->cap, &w->opt,
                                     w->f_high, NULL, NULL);
    }
    *slot = keep;
    if (rc == PL_OK && progress_tick(&w->prog, (double)++w->n_done)) rc = PL_EINTERRUPTED;
    if (rc != PL_OK) return rc;
    for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1] && rc == PL_OK; m++) {
        size_t i = w->plan.members[m];
        pl_swing sw = {actor,        what == 2 ? SIZE_MAX : issue,    what, lo, hi, w->f_low[i],
                       w->f_high[i], fabs(w->f_high[i] - w->f_low[i])};
        rc = keep_swing(sens, i, &sw);
    }
    return rc;
}

/* Group G's inputs, each swung alone: every stake's position and salience
** (issue by issue, actor by actor), then the capability of every actor
** with a stake in the group. */
static pl_status ex_group(ex_sweep *w, size_t g, pl_sensitivity *sens) {
    size_t ni = w->plan.n_issues, n_inputs = 0;
    for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1]; m++)
        for (size_t a = 0; a < w->plan.n_actors; a++)
            n_inputs += 2 * w->has[a * ni + w->plan.members[m]];
    for (size_t a = 0; a < w->plan.n_actors; a++)
        for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1]; m++)
            if (w->has[a * ni + w->plan.members[m]]) {
                n_inputs++;
                break;
            }
    for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1]; m++) {
        size_t i = w->plan.members[m];
        sens->swings[i] = pl__calloc(n_inputs + 1, sizeof(pl_swing));
        if (!sens->swings[i]) return PL_ENOMEM;
    }
    pl_status rc = PL_OK;
    for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1] && rc == PL_OK; m++)
        for (size_t a = 0; a < w->plan.n_actors && rc == PL_OK; a++)
            for (int what = 0; what < 2 && rc == PL_OK; what++)
                if (w->has[a * ni + w->plan.members[m]])
                    rc = ex_swing(w, g, a, w->plan.members[m], what, sens);
    for (size_t a = 0; a < w->plan.n_actors && rc == PL_OK; a++)
        for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1]; m++)
            if (w->has[a * ni + w->plan.members[m]]) {
                rc = ex_swing(w, g, a, SIZE_MAX, 2, sens);
                break;
            }
    for (size_t m = w->plan.first[g]; m < w->plan.first[g + 1] && rc == PL_OK; m++) {
        size_t i = w->plan.members[m];
        if (sens->n_swings[i])
            qsort(sens->swings[i], sens->n_swings[i], sizeof(pl_swing), swing_cmp);
    }
    return rc;
}

/* The exchange model's inputs: two per stake, one per actor and group it
** has a stake in. */
static size_t ex_count(const exchange_plan *plan, const unsigned char *has) {
    size_t n = 0;
    for (size_t g = 0; g < plan->n_groups; g++)
        for (size_t a = 0; a < plan->n_actors; a++) {
            size_t stakes = 0;
            for (size_t m = plan->first[g]; m < plan->first[g + 1]; m++)
                stakes += has[a * plan->n_issues + plan->members[m]];
            n += 2 * stakes + (stakes > 0);
        }
    return n;
}

static pl_status ex_sensitivity(const pl_scenario *s, const pl_sensitivity_options *sopt,
                                const pl_uncertainty *un, pl_sensitivity *sens) {
    ex_sweep w;
    memset(&w, 0, sizeof w);
    w.s = s;
    w.un = *un;
    if (sopt && sopt->exchange) w.opt = *sopt->exchange;
    else pl_exchange_options_init(&w.opt);
    w.opt.progress = NULL;
    w.opt.progress_ctx = NULL;
    pl_status rc = exchange_plan_init(s, &w.plan);
    if (rc != PL_OK) return rc;
    rc = exchange_work_init(&w.plan, &w.work);
    if (rc == PL_OK) rc = exchange_plan_values(&w.plan, &w.has, &w.x, &w.sal, &w.cap);
    w.f_low = pl__calloc(w.plan.n_issues + 1, sizeof(double));
    w.f_high = pl__calloc(w.plan.n_issues + 1, sizeof(double));
    if (rc == PL_OK && (!w.f_low || !w.f_high)) rc = PL_ENOMEM;
    size_t n_inputs = rc == PL_OK ? ex_count(&w.plan, w.has) : 0;
    progress_init(&w.prog, sopt ? sopt->progress : NULL, sopt ? sopt->progress_ctx : NULL,
                  (double)(sens->count ? sens->count : n_inputs));
    for (size_t g = 0; rc == PL_OK && g < w.plan.n_groups; g++) rc = ex_group(&w, g, sens);
    pl__free(w.has);
    pl__free(w.x);
    pl__free(w.sal);
    pl__free(w.cap);
    pl__free(w.f_low);
    pl__free(w.f_high);
    exchange_work_free(&w.work);
    exchange_plan_free(&w.plan);
    return rc;
}

/* ------------------------------------------------------------------------
** The run
*/
/* An empty result of n_issues lists, for the inputs first .. first +
** count - 1 (count 0: all). */
pl_status sensitivity_new(size_t n_issues, pl_model model, uint64_t first, uint64_t count,
                          pl_sensitivity **out) {
    pl_sensitivity *sens = pl__calloc(1, sizeof *sens);
    *out = sens;
    if (!sens) return PL_ENOMEM;
    sens->model = model;
    sens->n_issues = n_issues;
    sens->first = first;
    sens->count = count;
    sens->swings = pl__calloc(n_issues + 1, sizeof(pl_swing *));
    sens->n_swings = pl__calloc(n_issues + 1, sizeof(size_t));
    if (count)
        sens->per_input = count < SIZE_MAX / sizeof(size_t)
                              ? pl__calloc((size_t)count, sizeof(size_t))
                              : NULL;
    if (!sens->swings || !sens->n_swings || (count && !sens->per_input)) return PL_ENOMEM;
    return PL_OK;
}

/* The one-issue models' swings, issue by issue. */
static pl_status issues_run(sweep *w, pl_sensitivity *sens) {
    size_t n_actors = pl_scenario_n_actors(w->s);
    w->x = pl__malloc((n_actors + 1) * sizeof(double));
    w->cap = pl__malloc((n_actors + 1) * sizeof(double));
    w->sal = pl__malloc((n_actors + 1) * sizeof(double));
    w->who = pl__malloc((n_actors + 1) * sizeof(size_t));
    pl_status rc = w->x && w->cap && w->sal && w->who ? PL_OK : PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < sens->n_issues; i++) rc = issue_swings(w, i, sens);
    pl__free(w->x);
    pl__free(w->cap);
    pl__free(w->sal);
    pl__free(w->who);
    return rc;
}

pl_status pl_sensitivity_size(const pl_scenario *s, pl_model model, uint64_t *out) {
    if (!out) return PL_EINVAL;
    *out = 0;
    if (!s || ((unsigned)model >= PL_MODEL_COUNT && model != PL_MC_EXCHANGE)) return PL_EINVAL;
    if (model != PL_MC_EXCHANGE) { /* three inputs per stake */
        for (size_t i = 0; i < pl_scenario_n_issues(s); i++)
            for (size_t a = 0; a < pl_scenario_n_actors(s); a++)
                *out += pl_scenario_stake(s, a, i) ? 3 : 0;
        return PL_OK;
    }
    exchange_plan plan;
    unsigned char *has = NULL;
    double *x = NULL, *sal = NULL, *cap = NULL;
    pl_status rc = exchange_plan_init(s, &plan);
    if (rc != PL_OK) return rc;
    rc = exchange_plan_values(&plan, &has, &x, &sal, &cap);
    if (rc == PL_OK) *out = ex_count(&plan, has);
    pl__free(has);
    pl__free(x);
    pl__free(sal);
    pl__free(cap);
    exchange_plan_free(&plan);
    return rc;
}

pl_status pl_sensitivity_run(const pl_scenario *s, pl_model model,
                             const pl_sensitivity_options *sopt, pl_sensitivity **out) {
    if (!s || !out || ((unsigned)model >= PL_MODEL_COUNT && model != PL_MC_EXCHANGE))
        return PL_EINVAL;
    *out = NULL;
    uint64_t n_inputs = 0, first = sopt ? sopt->first : 0, count = sopt ? sopt->count : 0;
    pl_status rc = pl_sensitivity_size(s, model, &n_inputs);
    if (rc != PL_OK) return rc;
    if (count && (first >= n_inputs || count > n_inputs - first)) return PL_EINVAL;
    sweep w = {.s = s, .model = model};
    pl_forecast_options fo;
    if (sopt) fo = sopt->forecast;
    else pl_forecast_options_init(&fo);
    progress_init(&w.prog, sopt ? sopt->progress : NULL, sopt ? sopt->progress_ctx : NULL,
                  (double)(count ? count : n_inputs));
    if (w.prog.fn) { /* a long EUM run polls the same tracker */
        fo.eum.progress = progress_nested;
        fo.eum.progress_ctx = &w.prog;
    }
    w.opt = &fo;
    w.un = *pl_scenario_uncertainty(s);
    if (!w.un.given) {
        w.un.position_sd_share = PL_MC_DEFAULT_POSITION_SD_SHARE;
        w.un.salience_sd = PL_MC_DEFAULT_SALIENCE_SD;
        w.un.capability_sd_share = PL_MC_DEFAULT_CAPABILITY_SD_SHARE;
    }
    pl_sensitivity *sens = NULL;
    rc = sensitivity_new(pl_scenario_n_issues(s), model, first, count, &sens);
    if (rc == PL_OK)
        rc = model == PL_MC_EXCHANGE ? ex_sensitivity(s, sopt, &w.un, sens) : issues_run(&w, sens);
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
