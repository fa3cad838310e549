/*
** io_params.c: the fitted-parameters file -- what `parley backtest --fit`
** writes and `--params` reads: every fitted model's parameters and, per
** model, the absolute errors of its out-of-fold forecasts on the file it
** was fitted on (for the intervals).  Format: docs/backtest.md,
** "Parameters file".  Errors at FILE:LINE:COL.
*/
#include "io/io_params.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/jloc.h"
#include "core/json_in.h"
#include "core/json_out.h"
#include "core/text.h"
#include "io/io_file.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define PARAMS_VERSION 1
/* The most rows of errors, and errors per row, a file may hold. */
#define PARAMS_MAX_SETS 64
#define PARAMS_MAX_ERRORS 10000000

pl_status params_new(pl_params **out) {
    pl_params *p = pl__calloc(1, sizeof *p);
    if (!p) return PL_ENOMEM;
    pl_forecast_options fo;
    pl_forecast_options_init(&fo);
    p->sticky = fo.sticky;
    p->snap = fo.snap;
    p->candidate = fo.candidate;
    *out = p;
    return PL_OK;
}

void pl_params_free(pl_params *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n_sets; i++) {
        pl__free(p->sets[i].row);
        pl__free(p->sets[i].errors);
    }
    pl__free(p->sets);
    pl__free(p);
}

pl_status params_add_errors(pl_params *p, const char *row, const double *errors, size_t n) {
    if (p->n_sets >= PARAMS_MAX_SETS) return PL_ERANGE;
    params_errors *sets = pl__realloc(p->sets, (p->n_sets + 1) * sizeof *sets);
    if (!sets) return PL_ENOMEM;
    p->sets = sets;
    params_errors *e = &sets[p->n_sets];
    size_t len = strlen(row);
    e->row = pl__malloc(len + 1);
    e->errors = pl__malloc((n + 1) * sizeof(double));
    if (!e->row || !e->errors) {
        pl__free(e->row);
        pl__free(e->errors);
        return PL_ENOMEM;
    }
    memcpy(e->row, row, len + 1);
    if (n) memcpy(e->errors, errors, n * sizeof(double));
    e->n = n;
    p->n_sets++;
    return PL_OK;
}

void pl_params_apply(const pl_params *p, pl_forecast_options *opt) {
    if (!p || !opt) return;
    opt->sticky = p->sticky;
    opt->snap = p->snap;
    opt->candidate = p->candidate;
}

const double *pl_params_errors(const pl_params *p, const char *row, size_t *n) {
    if (n) *n = 0;
    if (!p || !row) return NULL;
    for (size_t i = 0; i < p->n_sets; i++)
        if (strcmp(p->sets[i].row, row) == 0) {
            if (n) *n = p->sets[i].n;
            return p->sets[i].errors;
        }
    return NULL;
}

/* ------------------------------------------------------------------------
** Writing
*/
pl_status pl_params_write_json(const pl_params *p, char **out) {
    if (!p || !out) return PL_EINVAL;
    *out = NULL;
    json_in_install();
    int ok = 1;
    json_t *root = json_object(), *sticky = json_object(), *snap = json_object();
    json_t *cand = json_object(), *beta = json_object(), *errs = json_object();
    /* A long string first: jansson's lexer then has room for every number
    ** before it meets one (under a failed allocation it asserts on a number
    ** that needs its buffer grown: jansson 2.14, load.c lex_unget_unsave). */
    jout_str(root, "about",
             "parameters of parley's fitted models and their out-of-fold absolute errors, "
             "written by 'parley backtest --fit' (docs/backtest.md)",
             &ok);
    jout_str(root, "parley", "params", &ok);
    jout_set(root, "version", json_integer(PARAMS_VERSION), &ok);
    jout_set(root, "n_issues", json_integer((json_int_t)p->n_issues), &ok);
    jout_set(root, "folds", json_integer((json_int_t)p->folds), &ok);
    jout_set(root, "seed", json_integer((json_int_t)p->seed), &ok);
    jout_num(sticky, "tau_unanimity", p->sticky.tau_unanimity, &ok);
    jout_num(sticky, "tau_other", p->sticky.tau_other, &ok);
    jout_set(root, "sticky", sticky, &ok);
    jout_num(snap, "tau_unanimity", p->snap.tau_unanimity, &ok);
    jout_num(snap, "tau_other", p->snap.tau_other, &ok);
    jout_num(snap, "distance", p->snap.distance, &ok);
    jout_set(root, "snap", snap, &ok);
    jout_num(cand, "lambda", p->candidate.lambda, &ok);
    for (size_t k = 0; k < PL_CANDIDATE_N_FEATURES; k++)
        jout_num(beta, pl_candidate_feature_name(k), p->candidate.beta[k], &ok);
    jout_set(cand, "beta", beta, &ok);
    jout_set(root, "candidate", cand, &ok);
    for (size_t i = 0; i < p->n_sets; i++) {
        json_t *a = json_array();
        for (size_t k = 0; k < p->sets[i].n; k++)
            jout_push(a, json_real(p->sets[i].errors[k]), &ok);
        jout_set(errs, p->sets[i].row, a, &ok);
    }
    jout_set(root, "out_of_fold_errors", errs, &ok);
    /* 17 digits: a file read back gives the same doubles */
    return json_out(root, ok, 17, out);
}

/* ------------------------------------------------------------------------
** Reading
*/
typedef struct rd {
    diag_sink ds;
    jloc *loc;
} rd;

/* Members of `obj` must be among `keys` (NULL-terminated). */
static void only_keys(rd *r, json_t *obj, const char *what, const char *const *keys) {
    const char *key;
    json_t *v;
    size_t k = 0;
    json_object_foreach(obj, key, v) {
        int known = 0;
        for (const char *const *q = keys; *q; q++) known |= strcmp(*q, key) == 0;
        if (!known) {
            jloc_pos at = jloc_key_at(r->loc, obj, k);
            diag_error(&r->ds, at.line, at.column, "expected a member of %s, found \"%s\"", what,
                       key);
        }
        k++;
    }
}

/* A number member in [lo, hi]; 1 when read. */
static int number(rd *r, json_t *obj, const char *what, const char *key, double lo, double hi,
                  double *out) {
    json_t *v = json_object_get(obj, key);
    jloc_pos at = v ? jloc_member(r->loc, obj, key) : jloc_of(r->loc, obj);
    if (!v) {
        diag_error(&r->ds, at.line, at.column, "expected \"%s\" in %s, found none", key, what);
        return 0;
    }
    if (!json_is_number(v)) {
        diag_error(&r->ds, at.line, at.column, "expected %s.%s to be a number, found %s", what, key,
                   json_is_string(v) ? "a string" : "another kind of value");
        return 0;
    }
    double x = json_number_value(v);
    if (!isfinite(x) || x < lo || x > hi) {
        diag_error(&r->ds, at.line, at.column, "expected %s.%s from %g to %g, found %.17g", what,
                   key, lo, hi, x);
        return 0;
    }
    *out = x;
    return 1;
}

/* An object member; NULL (reported) when missing or not an object. */
static json_t *object(rd *r, json_t *obj, const char *what, const char *key) {
    json_t *v = json_object_get(obj, key);
    jloc_pos at = v ? jloc_member(r->loc, obj, key) : jloc_of(r->loc, obj);
    if (!v) diag_error(&r->ds, at.line, at.column, "expected \"%s\" in %s, found none", key, what);
    else if (!json_is_object(v))
        diag_error(&r->ds, at.line, at.column,
                   "expected %s.%s to be an object, found another kind of value", what, key);
    return json_is_object(v) ? v : NULL;
}

/* A backtest row's name: a model's, or a reference row's (the names of
** pl_backtest_row_name, which lives a layer above). */
static int known_row(const char *name) {
    pl_model m;
    return pl_model_from_name(name, &m) == PL_OK || strcmp(name, "status-quo") == 0 ||
           strcmp(name, "mean") == 0;
}

static void read_errors(rd *r, pl_params *p, json_t *errs) {
    const char *key;
    json_t *v;
    size_t k = 0;
    double *values = NULL;
    json_object_foreach(errs, key, v) {
        jloc_pos at = jloc_key_at(r->loc, errs, k++);
        if (!known_row(key)) {
            diag_error(&r->ds, at.line, at.column,
                       "expected a model name (compromise, ..., status-quo, mean) in "
                       "out_of_fold_errors, found \"%s\"",
                       key);
            continue;
        }
        at = jloc_member(r->loc, errs, key);
        if (!json_is_array(v)) {
            diag_error(&r->ds, at.line, at.column,
                       "expected out_of_fold_errors.%s to be an array of numbers, found another "
                       "kind of value",
                       key);
            continue;
        }
        size_t n = json_array_size(v);
        if (n > PARAMS_MAX_ERRORS) {
            diag_error(&r->ds, at.line, at.column, "expected at most %d errors for %s, found %zu",
                       PARAMS_MAX_ERRORS, key, n);
            continue;
        }
        pl__free(values);
        values = pl__malloc((n + 1) * sizeof(double));
        if (!values) {
            r->ds.oom = 1;
            break;
        }
        int good = 1;
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(v, i);
            double x = json_is_number(e) ? json_number_value(e) : -1;
            if (!isfinite(x) || x < 0 || x > 1e15) {
                jloc_pos ea = jloc_index(r->loc, v, i);
                diag_error(
                    &r->ds, ea.line, ea.column,
                    "expected an absolute error (a number >= 0) in out_of_fold_errors.%s, "
                    "found %s",
                    key, json_is_number(e) ? "a negative or huge number" : "another kind of value");
                good = 0;
                break;
            }
            values[i] = x;
        }
        if (!good || r->ds.n_errors) continue;
        pl_status rc = params_add_errors(p, key, values, n);
        if (rc == PL_ENOMEM) r->ds.oom = 1;
        else if (rc != PL_OK)
            diag_error(&r->ds, at.line, at.column, "expected at most %d rows of errors, found more",
                       PARAMS_MAX_SETS);
        if (r->ds.oom) break;
    }
    pl__free(values);
}

static void read_params(rd *r, json_t *root, pl_params *p) {
    jloc_pos at = jloc_of(r->loc, root);
    if (!json_is_object(root)) {
        diag_error(&r->ds, at.line, at.column,
                   "expected a parameters object (from 'parley backtest --fit'), found another "
                   "kind of value");
        return;
    }
    static const char *const top[] = {
        "parley", "about", "version",   "n_issues",           "folds", "seed",
        "sticky", "snap",  "candidate", "out_of_fold_errors", NULL};
    only_keys(r, root,
              "the parameters (parley, about, version, n_issues, folds, seed, sticky, snap, "
              "candidate, out_of_fold_errors)",
              top);
    json_t *tag = json_object_get(root, "parley");
    if (!tag || !json_is_string(tag) || strcmp(json_string_value(tag), "params") != 0) {
        at = tag ? jloc_member(r->loc, root, "parley") : at;
        diag_error(
            &r->ds, at.line, at.column,
            "expected \"parley\": \"params\" (a file from 'parley backtest --fit'), found %s",
            tag ? "another value" : "none");
        return;
    }
    double v;
    if (number(r, root, "the parameters", "version", 1, 1e9, &v) && v != PARAMS_VERSION) {
        at = jloc_member(r->loc, root, "version");
        diag_error(&r->ds, at.line, at.column, "expected version %d, found %.17g", PARAMS_VERSION,
                   v);
    }
    if (json_object_get(root, "n_issues") &&
        number(r, root, "the parameters", "n_issues", 0, 1e15, &v))
        p->n_issues = (size_t)v;
    if (json_object_get(root, "folds") && number(r, root, "the parameters", "folds", 0, 1e9, &v))
        p->folds = (unsigned)v;
    if (json_object_get(root, "seed") && number(r, root, "the parameters", "seed", 0, 1.8e19, &v))
        p->seed = (unsigned long long)v;
    json_t *o;
    if ((o = object(r, root, "the parameters", "sticky"))) {
        static const char *const keys[] = {"tau_unanimity", "tau_other", NULL};
        only_keys(r, o, "sticky", keys);
        number(r, o, "sticky", "tau_unanimity", 0, 1, &p->sticky.tau_unanimity);
        number(r, o, "sticky", "tau_other", 0, 1, &p->sticky.tau_other);
    }
    if ((o = object(r, root, "the parameters", "snap"))) {
        static const char *const keys[] = {"tau_unanimity", "tau_other", "distance", NULL};
        only_keys(r, o, "snap", keys);
        number(r, o, "snap", "tau_unanimity", 0, 1, &p->snap.tau_unanimity);
        number(r, o, "snap", "tau_other", 0, 1, &p->snap.tau_other);
        number(r, o, "snap", "distance", 0, 1, &p->snap.distance);
    }
    if ((o = object(r, root, "the parameters", "candidate"))) {
        static const char *const keys[] = {"lambda", "beta", NULL};
        only_keys(r, o, "candidate", keys);
        number(r, o, "candidate", "lambda", 0, 1e12, &p->candidate.lambda);
        json_t *beta = object(r, o, "candidate", "beta");
        if (beta) {
            const char *names[PL_CANDIDATE_N_FEATURES + 1];
            for (size_t k = 0; k < PL_CANDIDATE_N_FEATURES; k++)
                names[k] = pl_candidate_feature_name(k);
            names[PL_CANDIDATE_N_FEATURES] = NULL;
            only_keys(r, beta, "candidate.beta", names);
            for (size_t k = 0; k < PL_CANDIDATE_N_FEATURES; k++)
                number(r, beta, "candidate.beta", names[k], -1e6, 1e6, &p->candidate.beta[k]);
        }
    }
    if ((o = object(r, root, "the parameters", "out_of_fold_errors"))) read_errors(r, p, o);
}

pl_status pl_params_load_buffer(const char *text, size_t len, const char *name, pl_diags *diags,
                                pl_params **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!text) return PL_EINVAL;
    if (!name) name = "<input>";
    json_t *root = NULL;
    pl_status rc = json_in_parse(&text, &len, name, diags, &root);
    if (rc != PL_OK) return rc;
    rd r;
    memset(&r, 0, sizeof r);
    r.ds.file = name;
    r.ds.diags = diags;
    r.loc = jloc_build(text, len, root);
    pl_params *p = NULL;
    if (!r.loc || params_new(&p) != PL_OK) r.ds.oom = 1;
    else read_params(&r, root, p);
    jloc_free(r.loc);
    json_decref(root);
    if (r.ds.oom) {
        pl_params_free(p);
        return PL_ENOMEM;
    }
    if (r.ds.n_errors) {
        pl_params_free(p);
        return PL_EINPUT;
    }
    *out = p;
    return PL_OK;
}

pl_status pl_params_load_file(const char *path, pl_diags *diags, pl_params **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    char *buf;
    size_t len;
    pl_status rc = io_file_read(path, diags, &buf, &len);
    if (rc != PL_OK) return rc;
    rc = pl_params_load_buffer(buf, len, path, diags, out);
    pl__free(buf);
    return rc;
}
