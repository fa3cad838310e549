/*
** exchange_groups.c: the exchange model over a scenario's linked issues,
** and its backtest.  Issues trade within their group (pl_issue.group: one
** legislative proposal's issues are negotiated together, as Stokman &
** Thomson 2004 apply the model to the DEU proposals); issues without a
** group all trade with each other (the built-in armistice).  One run per
** group; an issue alone has no partner issue and keeps its compromise.
*/
#include "core/alloc.h"
#include "core/hash.h"
#include "models/exchange_data.h"
#include "parley.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pl_status pl_exchange_forecast_scenario(const pl_scenario *s, const pl_exchange_options *opt,
                                        double *forecast, size_t *n_exchanges) {
    if (!s || !forecast) return PL_EINVAL;
    if (n_exchanges) *n_exchanges = 0;
    size_t ni = pl_scenario_n_issues(s);
    size_t *group_of = pl__malloc((ni + 1) * sizeof(size_t));
    size_t *members = pl__malloc((ni + 1) * sizeof(size_t));
    hash groups;
    hash_init(&groups);
    pl_status rc = group_of && members ? PL_OK : PL_ENOMEM;
    size_t n_groups = 0;
    /* group ids in order of first appearance; "" for the ungrouped */
    for (size_t k = 0; k < ni && rc == PL_OK; k++) {
        const char *g = pl_scenario_issue(s, k)->group;
        if (!g) g = "";
        size_t existing;
        int got = hash_add_str(&groups, g, n_groups, &existing);
        if (got < 0) rc = PL_ENOMEM;
        else group_of[k] = got ? n_groups++ : existing;
    }
    for (size_t g = 0; g < n_groups && rc == PL_OK; g++) {
        size_t n = 0;
        for (size_t k = 0; k < ni; k++)
            if (group_of[k] == g) members[n++] = k;
        pl_exchange_data *d = NULL;
        pl_exchange_result *res = NULL;
        rc = exchange_data_from_issues(s, members, n, NULL, &d);
        if (rc == PL_EINPUT) { /* nobody weighs in: the midpoint, or the status quo */
            for (size_t m = 0; m < n; m++) {
                const pl_issue *is = pl_scenario_issue(s, members[m]);
                forecast[members[m]] = is->has_status_quo ? is->status_quo
                                                          : (is->min + is->max) / 2;
            }
            rc = PL_OK;
            continue;
        }
        if (rc == PL_OK) rc = pl_exchange_run(d, opt, &res);
        if (rc == PL_OK) {
            for (size_t m = 0; m < n; m++)
                forecast[members[m]] = pl_exchange_result_forecast(res, m);
            for (size_t t = 1; n_exchanges && t <= pl_exchange_result_n_rounds(res); t++) {
                size_t made;
                pl_exchange_result_exchanges(res, t, &made);
                *n_exchanges += made;
            }
        }
        pl_exchange_result_free(res);
        pl_exchange_data_free(d);
    }
    hash_free(&groups);
    pl__free(group_of);
    pl__free(members);
    return rc;
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
