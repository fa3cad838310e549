/*
** exchange_groups.c: the exchange model over a scenario's linked issues,
** and its backtest.  Issues trade within their group (pl_issue.group: one
** legislative proposal's issues are negotiated together, as Stokman &
** Thomson 2004 apply the model to the DEU proposals); issues without a
** group all trade with each other (the built-in armistice).  One run per
** group; an issue alone has no partner issue and keeps its compromise.
*/
#include "analysis/exchange_groups.h"
#include "core/alloc.h"
#include "core/hash.h"
#include "models/exchange_data.h"
#include "parley.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The plan: groups, work areas, runs (exchange_groups.h)
*/
pl_status exchange_plan_init(const pl_scenario *s, exchange_plan *p) {
    memset(p, 0, sizeof *p);
    p->s = s;
    p->n_actors = pl_scenario_n_actors(s);
    p->n_issues = pl_scenario_n_issues(s);
    size_t ni = p->n_issues;
    size_t *group_of = pl__malloc((ni + 1) * sizeof(size_t));
    p->first = pl__malloc((ni + 2) * sizeof(size_t));
    p->members = pl__malloc((ni + 1) * sizeof(size_t));
    hash groups;
    hash_init(&groups);
    pl_status rc = group_of && p->first && p->members ? PL_OK : PL_ENOMEM;
    /* group ids in order of first appearance; "" for the ungrouped */
    for (size_t k = 0; k < ni && rc == PL_OK; k++) {
        const char *g = pl_scenario_issue(s, k)->group;
        if (!g) g = "";
        size_t existing;
        int got = hash_add_str(&groups, g, p->n_groups, &existing);
        if (got < 0) rc = PL_ENOMEM;
        else group_of[k] = got ? p->n_groups++ : existing;
    }
    size_t n = 0;
    for (size_t g = 0; g < p->n_groups && rc == PL_OK; g++) {
        p->first[g] = n;
        for (size_t k = 0; k < ni; k++)
            if (group_of[k] == g) p->members[n++] = k;
    }
    if (rc == PL_OK) p->first[p->n_groups] = n;
    hash_free(&groups);
    pl__free(group_of);
    if (rc != PL_OK) exchange_plan_free(p);
    return rc;
}

void exchange_plan_free(exchange_plan *p) {
    if (!p) return;
    pl__free(p->first);
    pl__free(p->members);
    memset(p, 0, sizeof *p);
}

static char *dup_id(const char *id) { return exchange_strndup(id, strlen(id)); }

pl_status exchange_work_init(const exchange_plan *p, exchange_work *w) {
    memset(w, 0, sizeof *w);
    w->data = pl__calloc(p->n_groups + 1, sizeof *w->data);
    if (!w->data) return PL_ENOMEM;
    w->n_groups = p->n_groups;
    const char *sid = pl_scenario_id(p->s);
    for (size_t g = 0; g < p->n_groups; g++) {
        size_t n = p->first[g + 1] - p->first[g];
        pl_exchange_data *d = w->data[g] = exchange_data_alloc(p->n_actors, n);
        int oom = !d || !(d->name = dup_id(sid ? sid : "scenario"));
        for (size_t a = 0; a < p->n_actors && !oom; a++) {
            const pl_actor *ac = pl_scenario_actor(p->s, a);
            oom = !(d->actor_ids[a] = dup_id(ac->id)) ||
                  !(d->actor_names[a] = dup_id(ac->name ? ac->name : ac->id));
        }
        for (size_t m = 0; m < n && !oom; m++) {
            const pl_issue *is = pl_scenario_issue(p->s, p->members[p->first[g] + m]);
            oom = !(d->issue_ids[m] = dup_id(is->id));
            d->lower[m] = is->min;
            d->upper[m] = is->max;
        }
        if (oom) {
            exchange_work_free(w);
            return PL_ENOMEM;
        }
    }
    return PL_OK;
}

void exchange_work_free(exchange_work *w) {
    if (!w) return;
    for (size_t g = 0; w->data && g < w->n_groups; g++) pl_exchange_data_free(w->data[g]);
    pl__free(w->data);
    memset(w, 0, sizeof *w);
}

pl_status exchange_plan_values(const exchange_plan *p, unsigned char **has, double **x,
                               double **sal, double **cap) {
    size_t cells = p->n_actors * p->n_issues + 1;
    *has = pl__calloc(cells, 1);
    *x = pl__calloc(cells, sizeof(double));
    *sal = pl__calloc(cells, sizeof(double));
    *cap = pl__calloc(p->n_actors + 1, sizeof(double));
    if (!*has || !*x || !*sal || !*cap) return PL_ENOMEM;
    for (size_t a = 0; a < p->n_actors; a++) {
        (*cap)[a] = pl_scenario_actor(p->s, a)->capability;
        for (size_t k = 0; k < p->n_issues; k++) {
            const pl_position *pos = pl_scenario_stake(p->s, a, k);
            size_t ix = a * p->n_issues + k;
            if (!pos) continue;
            (*has)[ix] = 1;
            (*x)[ix] = pos->position;
            (*sal)[ix] = pos->salience;
        }
    }
    return PL_OK;
}

pl_status exchange_group_forecast(const exchange_plan *p, exchange_work *w, size_t g,
                                  const unsigned char *has, const double *x, const double *sal,
                                  const double *cap, const pl_exchange_options *opt,
                                  double *forecast, size_t *n_exchanges,
                                  pl_exchange_result **result) {
    size_t ni = p->n_issues;
    const size_t *members = p->members + p->first[g];
    size_t n = p->first[g + 1] - p->first[g], n_stakes = 0;
    pl_exchange_data *d = w->data[g];
    if (result) *result = NULL;
    for (size_t m = 0; m < n; m++) {
        const pl_issue *is = pl_scenario_issue(p->s, members[m]);
        for (size_t a = 0; a < p->n_actors; a++) {
            size_t src = a * ni + members[m], ix = a * n + m;
            if (has[src])
                n_stakes += (size_t)exchange_data_put(d, ix, x[src], sal[src], cap[a], is->min,
                                                      is->max);
            else exchange_data_put(d, ix, 0, 0, 0, is->min, is->max);
        }
    }
    if (n_stakes == 0) { /* nobody weighs in: the status quo, or the midpoint */
        for (size_t m = 0; m < n; m++) {
            const pl_issue *is = pl_scenario_issue(p->s, members[m]);
            forecast[members[m]] = is->has_status_quo ? is->status_quo : (is->min + is->max) / 2;
        }
        return PL_OK;
    }
    pl_exchange_result *res = NULL;
    pl_status rc = pl_exchange_run(d, opt, &res);
    if (rc != PL_OK) return rc;
    for (size_t m = 0; m < n; m++) forecast[members[m]] = pl_exchange_result_forecast(res, m);
    for (size_t t = 1; n_exchanges && t <= pl_exchange_result_n_rounds(res); t++) {
        size_t made;
        pl_exchange_result_exchanges(res, t, &made);
        *n_exchanges += made;
    }
    if (result) *result = res;
    else pl_exchange_result_free(res);
    return PL_OK;
}

pl_status exchange_plan_forecast(const exchange_plan *p, exchange_work *w, const unsigned char *has,
                                 const double *x, const double *sal, const double *cap,
                                 const pl_exchange_options *opt, double *forecast,
                                 size_t *n_exchanges, pl_exchange_result **results) {
    if (n_exchanges) *n_exchanges = 0;
    for (size_t g = 0; g < p->n_groups; g++) {
        pl_status rc = exchange_group_forecast(p, w, g, has, x, sal, cap, opt, forecast,
                                               n_exchanges, results ? &results[g] : NULL);
        if (rc != PL_OK) return rc;
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------
** On a scenario's own values, and the backtest
*/
pl_status pl_exchange_forecast_scenario(const pl_scenario *s, const pl_exchange_options *opt,
                                        double *forecast, size_t *n_exchanges) {
    if (!s || !forecast) return PL_EINVAL;
    if (n_exchanges) *n_exchanges = 0;
    exchange_plan p;
    exchange_work w;
    memset(&w, 0, sizeof w);
    unsigned char *has = NULL;
    double *x = NULL, *sal = NULL, *cap = NULL;
    pl_status rc = exchange_plan_init(s, &p);
    if (rc != PL_OK) return rc;
    rc = exchange_work_init(&p, &w);
    if (rc == PL_OK) rc = exchange_plan_values(&p, &has, &x, &sal, &cap);
    if (rc == PL_OK)
        rc = exchange_plan_forecast(&p, &w, has, x, sal, cap, opt, forecast, n_exchanges, NULL);
    pl__free(has);
    pl__free(x);
    pl__free(sal);
    pl__free(cap);
    exchange_work_free(&w);
    exchange_plan_free(&p);
    return rc;
}

/* ------------------------------------------------------------------------
** The runs kept, for the report
*/
struct pl_exchange_scenario {
    exchange_plan plan;
    exchange_work work; /* the inputs, with the scenario's values */
    pl_exchange_result **results;
    double *forecast;
    size_t n_exchanges;
    pl_exchange_options opt;
};

pl_status pl_exchange_scenario_run(const pl_scenario *s, const pl_exchange_options *opt,
                                   pl_exchange_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!s) return PL_EINVAL;
    pl_exchange_scenario *x = pl__calloc(1, sizeof *x);
    if (!x) return PL_ENOMEM;
    if (opt) x->opt = *opt;
    else pl_exchange_options_init(&x->opt);
    x->opt.progress = NULL;
    x->opt.progress_ctx = NULL;
    unsigned char *has = NULL;
    double *v = NULL, *sal = NULL, *cap = NULL;
    pl_status rc = exchange_plan_init(s, &x->plan);
    if (rc != PL_OK) {
        pl__free(x);
        return rc;
    }
    rc = exchange_work_init(&x->plan, &x->work);
    if (rc == PL_OK) rc = exchange_plan_values(&x->plan, &has, &v, &sal, &cap);
    x->results = pl__calloc(x->plan.n_groups + 1, sizeof *x->results);
    x->forecast = pl__calloc(x->plan.n_issues + 1, sizeof(double));
    if (rc == PL_OK && (!x->results || !x->forecast)) rc = PL_ENOMEM;
    if (rc == PL_OK)
        rc = exchange_plan_forecast(&x->plan, &x->work, has, v, sal, cap, &x->opt, x->forecast,
                                    &x->n_exchanges, x->results);
    pl__free(has);
    pl__free(v);
    pl__free(sal);
    pl__free(cap);
    if (rc != PL_OK) {
        pl_exchange_scenario_free(x);
        return rc;
    }
    *out = x;
    return PL_OK;
}

void pl_exchange_scenario_free(pl_exchange_scenario *x) {
    if (!x) return;
    for (size_t g = 0; x->results && g < x->plan.n_groups; g++)
        pl_exchange_result_free(x->results[g]);
    pl__free(x->results);
    pl__free(x->forecast);
    exchange_work_free(&x->work);
    exchange_plan_free(&x->plan);
    pl__free(x);
}

size_t pl_exchange_scenario_n_groups(const pl_exchange_scenario *x) {
    return x ? x->plan.n_groups : 0;
}

const pl_exchange_result *pl_exchange_scenario_group(const pl_exchange_scenario *x, size_t g,
                                                     const pl_exchange_data **data,
                                                     const size_t **issues, size_t *n) {
    int ok = x && g < x->plan.n_groups;
    if (data) *data = ok ? x->work.data[g] : NULL;
    if (issues) *issues = ok ? x->plan.members + x->plan.first[g] : NULL;
    if (n) *n = ok ? x->plan.first[g + 1] - x->plan.first[g] : 0;
    return ok ? x->results[g] : NULL;
}

double pl_exchange_scenario_forecast(const pl_exchange_scenario *x, size_t issue) {
    return x && issue < x->plan.n_issues ? x->forecast[issue] : 0;
}

size_t pl_exchange_scenario_n_issues(const pl_exchange_scenario *x) {
    return x ? x->plan.n_issues : 0;
}

size_t pl_exchange_scenario_n_exchanges(const pl_exchange_scenario *x) {
    return x ? x->n_exchanges : 0;
}

const pl_exchange_options *pl_exchange_scenario_options(const pl_exchange_scenario *x) {
    return x ? &x->opt : NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Errors as shares of the scale x 100 (the DEU scale is 0-100). */
static void stats_of(double *err, const double *scaled, size_t n, pl_backtest_stats *out) {
    memset(out, 0, sizeof *out);
    out->n = n;
    if (!n) return;
    double sum = 0, sq = 0;
    size_t w10 = 0, w20 = 0;
    for (size_t i = 0; i < n; i++) {
        sum += err[i];
        sq += err[i] * err[i];
        w10 += scaled[i] <= 10;
        w20 += scaled[i] <= 20;
    }
    qsort(err, n, sizeof(double), cmp_double);
    out->mae = sum / (double)n;
    out->rmse = sqrt(sq / (double)n);
    out->median_ae = n % 2 ? err[n / 2] : (err[n / 2 - 1] + err[n / 2]) / 2;
    out->within10 = (double)w10 / (double)n;
    out->within20 = (double)w20 / (double)n;
}

pl_status pl_exchange_backtest(const pl_scenario *s, const pl_exchange_options *opt,
                               pl_backtest_stats *exchange, pl_backtest_stats *compromise) {
    if (!s || !exchange || !compromise) return PL_EINVAL;
    size_t ni = pl_scenario_n_issues(s), na = pl_scenario_n_actors(s);
    double *fc = pl__malloc((ni + 1) * sizeof(double));
    double *e1 = pl__malloc((ni + 1) * sizeof(double)), *e2 = pl__malloc((ni + 1) * sizeof(double));
    double *s1 = pl__malloc((ni + 1) * sizeof(double)), *s2 = pl__malloc((ni + 1) * sizeof(double));
    double *x = pl__malloc((na + 1) * sizeof(double)), *w = pl__malloc((na + 1) * sizeof(double));
    pl_status rc = fc && e1 && e2 && s1 && s2 && x && w ? PL_OK : PL_ENOMEM;
    if (rc == PL_OK) rc = pl_exchange_forecast_scenario(s, opt, fc, NULL);
    size_t n = 0;
    for (size_t k = 0; k < ni && rc == PL_OK; k++) {
        const pl_issue *is = pl_scenario_issue(s, k);
        if (!is->has_outcome) continue;
        size_t m = pl_scenario_issue_stakes(s, k, x, w, NULL);
        double c = (is->min + is->max) / 2;
        if (m && pl_weighted_mean(x, w, m, &c) != PL_OK) c = (is->min + is->max) / 2;
        double range = is->max - is->min;
        e1[n] = fabs(fc[k] - is->outcome);
        e2[n] = fabs(c - is->outcome);
        s1[n] = e1[n] * 100 / range;
        s2[n] = e2[n] * 100 / range;
        n++;
    }
    if (rc == PL_OK) {
        stats_of(e1, s1, n, exchange);
        stats_of(e2, s2, n, compromise);
    }
    pl__free(fc);
    pl__free(e1);
    pl__free(e2);
    pl__free(s1);
    pl__free(s2);
    pl__free(x);
    pl__free(w);
    return rc;
}
