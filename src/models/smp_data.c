/*
** smp_data.c: the input of the spatial model of politics (pl_smp_data,
** parley/smp.h) -- the handle built in code (new, setters, accessors,
** clone), a parley scenario converted to it, and the check of what the
** model needs.  Readers of files that hold it live in io/ (io_ktab.c).
*/
#include "models/smp_data.h"

#include "core/alloc.h"
#include "core/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The data handle
*/
void pl_smp_data_free(pl_smp_data *d) {
    if (!d) return;
    for (size_t i = 0; i < d->n_actors; i++) {
        if (d->actor_names) pl__free(d->actor_names[i]);
        if (d->actor_descs) pl__free(d->actor_descs[i]);
    }
    for (size_t k = 0; k < d->n_dims; k++) {
        if (d->dim_names) pl__free(d->dim_names[k]);
        if (d->dim_descs) pl__free(d->dim_descs[k]);
    }
    pl__free(d->actor_names);
    pl__free(d->actor_descs);
    pl__free(d->dim_names);
    pl__free(d->dim_descs);
    pl__free(d->name);
    pl__free(d->description);
    pl__free(d->source);
    pl__free(d->capability);
    pl__free(d->dim_min);
    pl__free(d->dim_max);
    pl__free(d->position);
    pl__free(d->salience);
    pl__free(d->accommodation);
    pl__free(d->source_actor);
    pl__free(d);
}

static void *array(size_t n, size_t size) {
    if (n && size > (size_t)-1 / n) return NULL;
    return pl__calloc(n ? n : 1, size);
}

pl_status pl_smp_data_new(size_t n_actors, size_t n_dims, pl_smp_data **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!n_actors || !n_dims || n_actors > (size_t)-1 / 16 / n_dims) return PL_EINVAL;
    pl_smp_data *d = pl__calloc(1, sizeof *d);
    if (!d) return PL_ENOMEM;
    d->n_actors = n_actors;
    d->n_dims = n_dims;
    d->name = pl__strdup("smp");
    d->actor_names = array(n_actors, sizeof(char *));
    d->actor_descs = array(n_actors, sizeof(char *));
    d->capability = array(n_actors, sizeof(double));
    d->dim_names = array(n_dims, sizeof(char *));
    d->dim_descs = array(n_dims, sizeof(char *));
    d->dim_min = array(n_dims, sizeof(double));
    d->dim_max = array(n_dims, sizeof(double));
    d->position = array(n_actors * n_dims, sizeof(double));
    d->salience = array(n_actors * n_dims, sizeof(double));
    int ok = d->name && d->actor_names && d->actor_descs && d->capability && d->dim_names &&
             d->dim_descs && d->dim_min && d->dim_max && d->position && d->salience;
    char tmp[32];
    for (size_t i = 0; ok && i < n_actors; i++) {
        snprintf(tmp, sizeof tmp, "A%zu", i + 1);
        ok = (d->actor_names[i] = pl__strdup(tmp)) != NULL;
        d->capability[i] = 1;
    }
    for (size_t k = 0; ok && k < n_dims; k++) {
        snprintf(tmp, sizeof tmp, "D%zu", k + 1);
        ok = (d->dim_names[k] = pl__strdup(tmp)) != NULL;
        d->dim_max[k] = 100;
    }
    if (!ok) {
        pl_smp_data_free(d);
        return PL_ENOMEM;
    }
    *out = d;
    return PL_OK;
}

/* Replace *slot by a copy of s (NULL allowed when `nullable`). */
static pl_status set_string(char **slot, const char *s, int nullable) {
    if (!s && !nullable) return PL_EINVAL;
    char *copy = NULL;
    if (s && !(copy = pl__strdup(s))) return PL_ENOMEM;
    pl__free(*slot);
    *slot = copy;
    return PL_OK;
}

static pl_status copy_doubles(double **dst, const double *src, size_t n) {
    *dst = NULL;
    if (!src) return PL_OK;
    *dst = array(n, sizeof(double));
    if (!*dst) return PL_ENOMEM;
    memcpy(*dst, src, n * sizeof(double));
    return PL_OK;
}

pl_status pl_smp_data_clone(const pl_smp_data *d, pl_smp_data **out) {
    if (!d || !out) return PL_EINVAL;
    *out = NULL;
    pl_smp_data *c = NULL;
    pl_status rc = pl_smp_data_new(d->n_actors, d->n_dims, &c);
    if (rc != PL_OK) return rc;
    size_t n = d->n_actors, nd = d->n_dims;
    if (rc == PL_OK) rc = set_string(&c->name, d->name, 0);
    if (rc == PL_OK) rc = set_string(&c->description, d->description, 1);
    if (rc == PL_OK) rc = set_string(&c->source, d->source, 1);
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        rc = set_string(&c->actor_names[i], d->actor_names[i], 0);
        if (rc == PL_OK) rc = set_string(&c->actor_descs[i], d->actor_descs[i], 1);
    }
    for (size_t k = 0; rc == PL_OK && k < nd; k++) {
        rc = set_string(&c->dim_names[k], d->dim_names[k], 0);
        if (rc == PL_OK) rc = set_string(&c->dim_descs[k], d->dim_descs[k], 1);
    }
    if (rc == PL_OK) {
        memcpy(c->capability, d->capability, n * sizeof(double));
        memcpy(c->dim_min, d->dim_min, nd * sizeof(double));
        memcpy(c->dim_max, d->dim_max, nd * sizeof(double));
        memcpy(c->position, d->position, n * nd * sizeof(double));
        memcpy(c->salience, d->salience, n * nd * sizeof(double));
        rc = copy_doubles(&c->accommodation, d->accommodation, n * n);
    }
    if (rc == PL_OK && d->source_actor) {
        c->source_actor = array(n, sizeof(size_t));
        if (!c->source_actor) rc = PL_ENOMEM;
        else memcpy(c->source_actor, d->source_actor, n * sizeof(size_t));
    }
    if (rc != PL_OK) {
        pl_smp_data_free(c);
        return rc;
    }
    *out = c;
    return PL_OK;
}

pl_status pl_smp_data_set_scenario(pl_smp_data *d, const char *name, const char *description) {
    if (!d || !name) return PL_EINVAL;
    char *n = pl__strdup(name), *desc = description ? pl__strdup(description) : NULL;
    if (!n || (description && !desc)) {
        pl__free(n);
        pl__free(desc);
        return PL_ENOMEM;
    }
    pl__free(d->name);
    pl__free(d->description);
    d->name = n;
    d->description = desc;
    return PL_OK;
}

pl_status pl_smp_data_set_actor(pl_smp_data *d, size_t i, const char *name, const char *description,
                                double capability) {
    if (!d || i >= d->n_actors || !name || !isfinite(capability)) return PL_EINVAL;
    char *n = pl__strdup(name), *desc = description ? pl__strdup(description) : NULL;
    if (!n || (description && !desc)) {
        pl__free(n);
        pl__free(desc);
        return PL_ENOMEM;
    }
    pl__free(d->actor_names[i]);
    pl__free(d->actor_descs[i]);
    d->actor_names[i] = n;
    d->actor_descs[i] = desc;
    d->capability[i] = capability;
    return PL_OK;
}

pl_status pl_smp_data_set_dim(pl_smp_data *d, size_t k, const char *name, const char *description,
                              double scale_min, double scale_max) {
    if (!d || k >= d->n_dims || !name || !isfinite(scale_min) || !isfinite(scale_max))
        return PL_EINVAL;
    char *n = pl__strdup(name), *desc = description ? pl__strdup(description) : NULL;
    if (!n || (description && !desc)) {
        pl__free(n);
        pl__free(desc);
        return PL_ENOMEM;
    }
    pl__free(d->dim_names[k]);
    pl__free(d->dim_descs[k]);
    d->dim_names[k] = n;
    d->dim_descs[k] = desc;
    d->dim_min[k] = scale_min;
    d->dim_max[k] = scale_max;
    return PL_OK;
}

pl_status pl_smp_data_set_stake(pl_smp_data *d, size_t i, size_t k, double position,
                                double salience) {
    if (!d || i >= d->n_actors || k >= d->n_dims || !isfinite(position) || !isfinite(salience))
        return PL_EINVAL;
    d->position[i * d->n_dims + k] = position;
    d->salience[i * d->n_dims + k] = salience;
    return PL_OK;
}

pl_status pl_smp_data_set_accommodation(pl_smp_data *d, const double *a) {
    if (!d) return PL_EINVAL;
    size_t n = d->n_actors;
    for (size_t i = 0; a && i < n * n; i++)
        if (!isfinite(a[i])) return PL_EINVAL;
    double *copy = NULL;
    if (a) {
        int identity = 1;
        for (size_t i = 0; i < n && identity; i++)
            for (size_t j = 0; j < n; j++)
                if (a[i * n + j] != (i == j ? 1.0 : 0.0)) identity = 0;
        if (!identity && copy_doubles(&copy, a, n * n) != PL_OK) return PL_ENOMEM;
    }
    pl__free(d->accommodation);
    d->accommodation = copy;
    return PL_OK;
}

size_t pl_smp_data_n_actors(const pl_smp_data *d) { return d ? d->n_actors : 0; }
size_t pl_smp_data_n_dims(const pl_smp_data *d) { return d ? d->n_dims : 0; }
const char *pl_smp_data_name(const pl_smp_data *d) { return d ? d->name : NULL; }
const char *pl_smp_data_description(const pl_smp_data *d) { return d ? d->description : NULL; }
const char *pl_smp_data_actor_name(const pl_smp_data *d, size_t i) {
    return d && i < d->n_actors ? d->actor_names[i] : NULL;
}
const char *pl_smp_data_actor_description(const pl_smp_data *d, size_t i) {
    return d && i < d->n_actors ? d->actor_descs[i] : NULL;
}
double pl_smp_data_capability(const pl_smp_data *d, size_t i) {
    return d && i < d->n_actors ? d->capability[i] : 0.0;
}
const char *pl_smp_data_dim_name(const pl_smp_data *d, size_t k) {
    return d && k < d->n_dims ? d->dim_names[k] : NULL;
}
const char *pl_smp_data_dim_description(const pl_smp_data *d, size_t k) {
    return d && k < d->n_dims ? d->dim_descs[k] : NULL;
}
double pl_smp_data_dim_min(const pl_smp_data *d, size_t k) {
    return d && k < d->n_dims ? d->dim_min[k] : 0.0;
}
double pl_smp_data_dim_max(const pl_smp_data *d, size_t k) {
    return d && k < d->n_dims ? d->dim_max[k] : 0.0;
}
double pl_smp_data_position(const pl_smp_data *d, size_t i, size_t k) {
    return d && i < d->n_actors && k < d->n_dims ? d->position[i * d->n_dims + k] : 0.0;
}
double pl_smp_data_salience(const pl_smp_data *d, size_t i, size_t k) {
    return d && i < d->n_actors && k < d->n_dims ? d->salience[i * d->n_dims + k] : 0.0;
}
const double *pl_smp_data_accommodation(const pl_smp_data *d) {
    return d ? d->accommodation : NULL;
}
size_t pl_smp_data_source_actor(const pl_smp_data *d, size_t i) {
    if (!d || i >= d->n_actors) return 0;
    return d->source_actor ? d->source_actor[i] : i;
}

/* ------------------------------------------------------------------------
** Checking what the model needs
*/
const char *smp_exact(double x, char *out, size_t size) {
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(out, size, "%.*g", digits, x);
        if (strtod(out, NULL) == x) break;
    }
    return out;
}

pl_status pl_smp_data_check(const pl_smp_data *d, pl_diags *diags) {
    if (!d) return PL_EINVAL;
    diag_sink ds = {.diags = diags, .file = d->source ? d->source : "smp input"};
    size_t n = d->n_actors, nd = d->n_dims;
#define CHECK_ERR(...)                      \
    do {                                    \
        diag_error(&ds, 0, 0, __VA_ARGS__); \
        if (ds.oom) return PL_ENOMEM;       \
    } while (0)
    if (n < PL_SMP_MIN_ACTORS || n > PL_SMP_MAX_ACTORS)
        CHECK_ERR("expected %d to %d actors, found %zu", PL_SMP_MIN_ACTORS, PL_SMP_MAX_ACTORS, n);
    for (size_t k = 0; k < nd; k++)
        if (!(d->dim_min[k] < d->dim_max[k]))
            CHECK_ERR("dimension %s: expected a scale with min < max, found %g..%g",
                      d->dim_names[k], d->dim_min[k], d->dim_max[k]);
    for (size_t i = 0; i < n; i++) {
        const char *a = d->actor_names[i];
        double c = d->capability[i];
        if (!(c > 0 && c < SMP_MAX_CAPABILITY))
            CHECK_ERR("actor %s: expected a capability greater than 0 and less "
                      "than 1e8, found %g",
                      a, c);
        double sum = 0, ssq = 0;
        for (size_t k = 0; k < nd; k++) {
            double x = d->position[i * nd + k], s = d->salience[i * nd + k];
            if (!(x >= 0 && x <= 100))
                CHECK_ERR("actor %s, dimension %s: expected a position from 0 to 100, "
                          "found %g",
                          a, d->dim_names[k], x);
            if (!(s >= 0 && s <= 100))
                CHECK_ERR("actor %s, dimension %s: expected a salience from 0 to 100, "
                          "found %g",
                          a, d->dim_names[k], s);
            else {
                sum += s;
                ssq += (s / 100) * (s / 100);
            }
        }
        char shown_sum[32];
        if (sum > 100 + 1e-9)
            CHECK_ERR("actor %s: expected saliences summing to at most 100, found %s", a,
                      smp_exact(sum, shown_sum, sizeof shown_sum));
        else if (!(ssq > 0))
            CHECK_ERR("actor %s: expected a positive salience on some dimension, "
                      "found none",
                      a);
    }
    if (d->accommodation) {
        for (size_t i = 0; i < n; i++) {
            double sum = 0;
            int bad = 0;
            for (size_t j = 0; j < n; j++) {
                double a = d->accommodation[i * n + j];
                if (!(a >= 0 && a <= 1)) bad = 1;
                else sum += a;
            }
            if (bad || sum > 1 + 1e-10)
                CHECK_ERR("accommodation matrix, row of actor %s: expected entries "
                          "from 0 to 1 summing to at most 1, found %s",
                          d->actor_names[i], bad ? "an entry out of range" : "a larger sum");
        }
    }
#undef CHECK_ERR
    return ds.n_errors ? PL_EINPUT : PL_OK;
}

/* ------------------------------------------------------------------------
** A parley scenario as model input
*/
/* Row i of the model input from scenario actor a: each issue's position on
** 0-100 (no stake: the status quo, else the middle) and its salience,
** normalised as `norm` says. */
static void actor_stakes(const pl_scenario *s, pl_smp_salience_norm norm, size_t a, size_t i,
                         pl_smp_data *d) {
    size_t nd = d->n_dims;
    double total = 0;
    for (size_t k = 0; k < nd; k++) {
        const pl_issue *is = pl_scenario_issue(s, k);
        const pl_position *ps = pl_scenario_stake(s, a, k);
        double x = ps                   ? ps->position
                   : is->has_status_quo ? is->status_quo
                                        : (is->min + is->max) / 2;
        double x100 = 100 * (x - is->min) / (is->max - is->min);
        if (x100 < 0) x100 = 0; /* rounding at the ends of the scale */
        if (x100 > 100) x100 = 100;
        double sal = ps ? ps->salience : 0;
        d->position[i * nd + k] = x100;
        d->salience[i * nd + k] = sal;
        total += sal;
    }
    for (size_t k = 0; k < nd; k++) {
        double *sal = &d->salience[i * nd + k];
        if (norm == PL_SMP_SAL_DIVIDE) *sal /= (double)nd;
        else if (norm == PL_SMP_SAL_UNIT || total > 100) *sal = 100 * *sal / total;
    }
}

pl_status pl_smp_data_from_scenario(const pl_scenario *s, pl_smp_salience_norm norm,
                                    pl_diags *diags, pl_smp_data **out) {
    if (!s || !out || (unsigned)norm > PL_SMP_SAL_UNIT) return PL_EINVAL;
    *out = NULL;
    size_t n_all = pl_scenario_n_actors(s), nd = pl_scenario_n_issues(s);
    char where[80];
    snprintf(where, sizeof where, "scenario:%s", pl_scenario_id(s));
    if (nd == 0) {
        if (diag_add(diags, PL_SEV_ERROR, where, 0, 0, "expected at least one issue, found none") !=
            PL_OK)
            return PL_ENOMEM;
        return PL_EINPUT;
    }
    /* Which actors take part: those with a positive salience somewhere. */
    size_t *keep = array(n_all, sizeof(size_t));
    if (!keep) return PL_ENOMEM;
    size_t n = 0;
    for (size_t a = 0; a < n_all; a++) {
        int any = 0;
        for (size_t k = 0; k < nd; k++) {
            const pl_position *ps = pl_scenario_stake(s, a, k);
            if (ps && ps->salience > 0) any = 1;
        }
        if (any) keep[n++] = a;
        else if (diag_add(diags, PL_SEV_WARNING, where, 0, 0,
                          "actor %s: left out of the spatial model, expected a positive "
                          "salience on some issue, found none",
                          pl_scenario_actor(s, a)->id) != PL_OK) {
            pl__free(keep);
            return PL_ENOMEM;
        }
    }
    if (n < PL_SMP_MIN_ACTORS || n > PL_SMP_MAX_ACTORS) {
        pl__free(keep);
        if (diag_add(diags, PL_SEV_ERROR, where, 0, 0,
                     "expected %d to %d actors with a stake for the spatial model, found %zu",
                     PL_SMP_MIN_ACTORS, PL_SMP_MAX_ACTORS, n) != PL_OK)
            return PL_ENOMEM;
        return PL_EINPUT;
    }
    pl_smp_data *d = NULL;
    pl_status rc = pl_smp_data_new(n, nd, &d);
    if (rc == PL_OK) rc = pl_smp_data_set_scenario(d, pl_scenario_id(s), pl_scenario_name(s));
    if (rc == PL_OK && !(d->source = pl__strdup(where))) rc = PL_ENOMEM;
    if (rc == PL_OK && !(d->source_actor = array(n, sizeof(size_t)))) rc = PL_ENOMEM;
    for (size_t k = 0; rc == PL_OK && k < nd; k++) {
        const pl_issue *is = pl_scenario_issue(s, k);
        rc = pl_smp_data_set_dim(d, k, is->id, is->name, is->min, is->max);
    }
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        const pl_actor *ac = pl_scenario_actor(s, keep[i]);
        d->source_actor[i] = keep[i];
        rc = pl_smp_data_set_actor(d, i, ac->id, ac->name, ac->capability);
        if (rc == PL_OK) actor_stakes(s, norm, keep[i], i, d);
    }
    pl__free(keep);
    if (rc == PL_OK) rc = pl_smp_data_check(d, diags);
    if (rc != PL_OK) {
        pl_smp_data_free(d);
        return rc;
    }
    *out = d;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** The other way: the model's input as a parley scenario (for reports of a
** KTAB file)
*/
/* name as an id ([A-Za-z0-9_-], at most 64 characters; others become '-';
** an empty name becomes `fallback` and the index). */
static void id_of(const char *name, const char *fallback, size_t index, char out[65]) {
    size_t n = 0;
    for (const char *p = name; p && *p && n < 64; p++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        if (((unsigned char)c & 0xC0) == 0x80) continue; /* one '-' per UTF-8 letter */
        out[n++] = ok ? c : '-';
    }
    out[n] = 0;
    if (!n) snprintf(out, 65, "%s%zu", fallback, index + 1);
}

pl_status pl_smp_data_to_scenario(const pl_smp_data *d, pl_scenario **out) {
    if (!d || !out) return PL_EINVAL;
    *out = NULL;
    char id[65];
    id_of(d->name, "scenario", 0, id);
    pl_scenario *s = NULL;
    pl_status rc = pl_scenario_new(id,
                                   d->description && *d->description ? d->description
                                   : d->name && *d->name             ? d->name
                                                                     : id,
                                   &s);
    for (size_t k = 0; rc == PL_OK && k < d->n_dims; k++) {
        id_of(d->dim_names[k], "dim", k, id);
        size_t index;
        if (pl_scenario_find_issue(s, id, &index) == PL_OK)
            snprintf(id, sizeof id, "dim%zu", k + 1);
        const char *name = d->dim_descs && d->dim_descs[k] && *d->dim_descs[k] ? d->dim_descs[k]
                                                                               : d->dim_names[k];
        double lo = d->dim_min[k], hi = d->dim_max[k];
        if (!(hi > lo)) lo = 0, hi = 100;
        rc = pl_scenario_add_issue(s, id, name && *name ? name : id, lo, hi, &index);
    }
    for (size_t i = 0; rc == PL_OK && i < d->n_actors; i++) {
        id_of(d->actor_names[i], "actor", i, id);
        size_t index;
        if (pl_scenario_find_actor(s, id, &index) == PL_OK)
            snprintf(id, sizeof id, "actor%zu", i + 1);
        rc = pl_scenario_add_actor(s, id,
                                   d->actor_names[i] && *d->actor_names[i] ? d->actor_names[i] : id,
                                   d->capability[i], &index);
        for (size_t k = 0; rc == PL_OK && k < d->n_dims; k++) {
            const pl_issue *is = pl_scenario_issue(s, k);
            double x = is->min + d->position[i * d->n_dims + k] / 100 * (is->max - is->min);
            if (x < is->min) x = is->min;
            if (x > is->max) x = is->max;
            rc = pl_scenario_set_position(s, index, k, x, d->salience[i * d->n_dims + k]);
        }
    }
    if (rc != PL_OK) {
        pl_scenario_free(s);
        return rc == PL_ENOMEM ? PL_ENOMEM : PL_EINPUT;
    }
    *out = s;
    return PL_OK;
}
