/*
** exchange_data.c: the exchange model's input (pl_exchange_data):
** building it, reading it, and converting a scenario into it.
*/
#include "models/exchange_data.h"

#include "core/alloc.h"
#include "core/diag.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

char *exchange_strndup(const char *s, size_t len) {
    char *t = pl__malloc(len + 1);
    if (!t) return NULL;
    if (len) memcpy(t, s, len);
    t[len] = 0;
    return t;
}

pl_exchange_data *exchange_data_alloc(size_t n_actors, size_t n_issues) {
    pl_exchange_data *d = pl__calloc(1, sizeof *d);
    if (!d) return NULL;
    d->n_actors = n_actors;
    d->n_issues = n_issues;
    size_t cells = n_actors * n_issues + 1;
    d->actor_ids = pl__calloc(n_actors + 1, sizeof(char *));
    d->actor_names = pl__calloc(n_actors + 1, sizeof(char *));
    d->issue_ids = pl__calloc(n_issues + 1, sizeof(char *));
    d->lower = pl__calloc(n_issues + 1, sizeof(double));
    d->upper = pl__calloc(n_issues + 1, sizeof(double));
    d->has = pl__calloc(cells, 1);
    d->x = pl__calloc(cells, sizeof(double));
    d->s = pl__calloc(cells, sizeof(double));
    d->c = pl__calloc(cells, sizeof(double));
    if (!d->actor_ids || !d->actor_names || !d->issue_ids || !d->lower || !d->upper || !d->has ||
        !d->x || !d->s || !d->c) {
        pl_exchange_data_free(d);
        return NULL;
    }
    return d;
}

void pl_exchange_data_free(pl_exchange_data *d) {
    if (!d) return;
    if (d->actor_ids)
        for (size_t a = 0; a < d->n_actors; a++) pl__free(d->actor_ids[a]);
    if (d->actor_names)
        for (size_t a = 0; a < d->n_actors; a++) pl__free(d->actor_names[a]);
    if (d->issue_ids)
        for (size_t k = 0; k < d->n_issues; k++) pl__free(d->issue_ids[k]);
    pl__free(d->actor_ids);
    pl__free(d->actor_names);
    pl__free(d->issue_ids);
    pl__free(d->lower);
    pl__free(d->upper);
    pl__free(d->has);
    pl__free(d->x);
    pl__free(d->s);
    pl__free(d->c);
    pl__free(d->name);
    pl__free(d);
}

size_t pl_exchange_data_n_actors(const pl_exchange_data *d) { return d ? d->n_actors : 0; }
size_t pl_exchange_data_n_issues(const pl_exchange_data *d) { return d ? d->n_issues : 0; }

const char *pl_exchange_data_actor(const pl_exchange_data *d, size_t a) {
    return d && a < d->n_actors ? d->actor_ids[a] : NULL;
}

const char *pl_exchange_data_actor_name(const pl_exchange_data *d, size_t a) {
    return d && a < d->n_actors ? d->actor_names[a] : NULL;
}

const char *pl_exchange_data_issue(const pl_exchange_data *d, size_t k) {
    return d && k < d->n_issues ? d->issue_ids[k] : NULL;
}

const char *pl_exchange_data_name(const pl_exchange_data *d) {
    return d && d->name ? d->name : "exchange input";
}

void pl_exchange_data_scale(const pl_exchange_data *d, size_t k, double *lower, double *upper) {
    int ok = d && k < d->n_issues;
    if (lower) *lower = ok ? d->lower[k] : 0;
    if (upper) *upper = ok ? d->upper[k] : 0;
}

int pl_exchange_data_stake(const pl_exchange_data *d, size_t a, size_t k, double *position,
                           double *salience, double *power) {
    if (!d || a >= d->n_actors || k >= d->n_issues || !d->has[a * d->n_issues + k]) return 0;
    size_t ix = a * d->n_issues + k;
    if (position) *position = d->x[ix] * (d->upper[k] - d->lower[k]) / 100 + d->lower[k];
    if (salience) *salience = d->s[ix];
    if (power) *power = d->c[ix];
    return 1;
}

/* ------------------------------------------------------------------------
** From a scenario
*/
static char *dup_str(const char *s) { return exchange_strndup(s, strlen(s)); }

int exchange_data_put(pl_exchange_data *d, size_t ix, double position, double salience,
                      double capability, double lo, double hi) {
    d->has[ix] = salience > 0 && capability > 0;
    if (!d->has[ix]) { /* as a fresh input holds it: a reused one may not */
        d->x[ix] = d->s[ix] = d->c[ix] = 0;
        return 0;
    }
    double x = (position - lo) * 100 / (hi - lo);
    d->x[ix] = x < 0 ? 0 : x > 100 ? 100 : x;
    d->s[ix] = salience > 100 ? 1 : salience / 100;
    d->c[ix] = capability;
    return 1;
}

pl_status exchange_data_from_issues(const pl_scenario *s, const size_t *issues, size_t n_issues,
                                    pl_diags *diags, pl_exchange_data **out) {
    *out = NULL;
    size_t n_actors = pl_scenario_n_actors(s);
    const char *sid = pl_scenario_id(s);
    const char *name = sid ? sid : "scenario";
    pl_exchange_data *d = exchange_data_alloc(n_actors, n_issues);
    if (!d) return PL_ENOMEM;
    int oom = !(d->name = dup_str(name));
    for (size_t a = 0; a < n_actors && !oom; a++) {
        const pl_actor *ac = pl_scenario_actor(s, a);
        oom = !(d->actor_ids[a] = dup_str(ac->id)) ||
              !(d->actor_names[a] = dup_str(ac->name ? ac->name : ac->id));
    }
    size_t n_stakes = 0, n_dropped = 0;
    for (size_t k = 0; k < n_issues && !oom; k++) {
        size_t i = issues ? issues[k] : k;
        const pl_issue *is = pl_scenario_issue(s, i);
        oom = !(d->issue_ids[k] = dup_str(is->id));
        d->lower[k] = is->min;
        d->upper[k] = is->max;
        for (size_t a = 0; a < n_actors; a++) {
            const pl_position *p = pl_scenario_stake(s, a, i);
            if (!p) continue;
            const pl_actor *ac = pl_scenario_actor(s, a);
            if (!exchange_data_put(d, a * n_issues + k, p->position, p->salience, ac->capability,
                                   is->min, is->max)) {
                n_dropped++;
                continue;
            }
            n_stakes++;
        }
    }
    if (oom) {
        pl_exchange_data_free(d);
        return PL_ENOMEM;
    }
    if (n_dropped &&
        diag_add(diags, PL_SEV_WARNING, name, 0, 0,
                 "%zu stakes with salience 0 or of an actor with capability 0 carry no weight in "
                 "the exchange model: left out",
                 n_dropped) != PL_OK) {
        pl_exchange_data_free(d);
        return PL_ENOMEM;
    }
    if (n_stakes == 0) {
        pl_status rc = diag_add(diags, PL_SEV_ERROR, name, 0, 0,
                                "expected stakes with a salience and a capability above 0 for the "
                                "exchange model, found none");
        pl_exchange_data_free(d);
        return rc == PL_OK ? PL_EINPUT : PL_ENOMEM;
    }
    *out = d;
    return PL_OK;
}

pl_status pl_exchange_data_from_scenario(const pl_scenario *s, pl_diags *diags,
                                         pl_exchange_data **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!s) return PL_EINVAL;
    return exchange_data_from_issues(s, NULL, pl_scenario_n_issues(s), diags, out);
}

/* ------------------------------------------------------------------------
** Into a scenario
*/
/* `raw` made a valid scenario id ([A-Za-z0-9_-], at most 64 bytes, other
** characters as '-'), unique among the `n` ids taken so far (-2, -3, ...). */
static void make_id(const char *raw, char *out, const pl_scenario *s, int actor) {
    char base[56];
    size_t n = 0;
    for (const char *p = raw; *p && n < sizeof base - 1; p++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        base[n++] = ok ? c : '-';
    }
    if (n == 0) base[n++] = 'x';
    base[n] = 0;
    size_t ix;
    snprintf(out, 64, "%s", base);
    for (unsigned k = 2;; k++) {
        pl_status found = actor ? pl_scenario_find_actor(s, out, &ix)
                                : pl_scenario_find_issue(s, out, &ix);
        if (found != PL_OK) break;
        snprintf(out, 64, "%s-%u", base, k);
    }
}

pl_status pl_exchange_data_to_scenario(const pl_exchange_data *d, pl_diags *diags,
                                       pl_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!d) return PL_EINVAL;
    const char *name = pl_exchange_data_name(d);
    pl_scenario *s = NULL;
    pl_status rc = pl_scenario_new("decide", name, &s);
    size_t n_varied = 0;
    char id[64];
    for (size_t a = 0; a < d->n_actors && rc == PL_OK; a++) {
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        size_t n = 0;
        for (size_t k = 0; k < d->n_issues; k++) {
            size_t ix = a * d->n_issues + k;
            if (!d->has[ix]) continue;
            sum += d->c[ix];
            n++;
            if (d->c[ix] < lo) lo = d->c[ix];
            if (d->c[ix] > hi) hi = d->c[ix];
        }
        if (n && lo != hi) n_varied++;
        make_id(d->actor_ids[a], id, s, 1);
        rc = pl_scenario_add_actor(s, id, d->actor_names[a], n ? sum / (double)n : 1, NULL);
    }
    for (size_t k = 0; k < d->n_issues && rc == PL_OK; k++) {
        make_id(d->issue_ids[k], id, s, 0);
        rc = pl_scenario_add_issue(s, id, d->issue_ids[k], d->lower[k], d->upper[k], NULL);
    }
    for (size_t a = 0; a < d->n_actors && rc == PL_OK; a++)
        for (size_t k = 0; k < d->n_issues && rc == PL_OK; k++) {
            double x, sal;
            if (pl_exchange_data_stake(d, a, k, &x, &sal, NULL))
                rc = pl_scenario_set_position(s, a, k, x, sal * 100);
        }
    if (rc == PL_OK && n_varied &&
        diag_add(diags, PL_SEV_WARNING, name, 0, 0,
                 "%zu actors hold a different power on different issues: as a scenario each "
                 "gets the mean (the exchange model read from the file keeps every power)",
                 n_varied) != PL_OK)
        rc = PL_ENOMEM;
    if (rc != PL_OK) {
        pl_scenario_free(s);
        return rc == PL_ENOMEM ? PL_ENOMEM : PL_EINPUT;
    }
    *out = s;
    return PL_OK;
}
