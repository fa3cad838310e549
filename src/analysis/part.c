/*
** part.c: partial results of a sweep (parley/part.h) -- a range of Monte
** Carlo runs written as JSON with the sweep's description, read back
** exactly (reals to 17 digits, the summaries' 128-bit sums as decimal
** strings), and the parts of one sweep joined in run order through
** pl_mc_merge.  The format: docs/distributed.md.  Errors at FILE:LINE:COL.
*/
#include "analysis/mc_int.h"
#include "core/alloc.h"
#include "core/diag.h"
#include "core/jloc.h"
#include "core/json_in.h"
#include "core/json_out.h"
#include "io/io_file.h"
#include "parley.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 4096              /* arguments or options a part may hold */
#define MAX_RUNS ((size_t)1 << 32) /* as mc.c */
#define QMAX 4294967295.0

struct pl_part {
    pl_part_info info;
    char *name;       /* the file it was read from */
    int line, column; /* where its "first" stands */
    char **strings;   /* every string info points to */
    size_t n_strings;
    pl_mc *mc;
};

/* ------------------------------------------------------------------------
** Writing
*/
static json_t *u128_json(u128 v) {
    char digits[48], *p = digits + sizeof digits - 1;
    *p = 0;
    do {
        *--p = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    return json_string(p);
}

static json_t *counts_json(const uint64_t *v, size_t n, int *ok) {
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++) jout_push(a, json_integer((json_int_t)v[k]), ok);
    return a;
}

static json_t *acc_json(const acc *a, size_t bins, int *ok) {
    json_t *o = json_object();
    jout_set(o, "n", json_integer((json_int_t)a->n), ok);
    jout_set(o, "sum", u128_json(a->sum), ok);
    jout_set(o, "sumsq", u128_json(a->sumsq), ok);
    jout_set(o, "min", json_real(a->min), ok);
    jout_set(o, "max", json_real(a->max), ok);
    jout_set(o, "fine", counts_json(a->fine, PL_MC_QUANTILE_BINS, ok), ok);
    jout_set(o, "histogram", counts_json(a->hist, bins, ok), ok);
    jout_set(o, "options", counts_json(a->options, a->n_options, ok), ok);
    return o;
}

/* The runs' figures: every value kept, or the summaries. */
static json_t *mc_json(const pl_mc *mc, int *ok) {
    json_t *o = json_object(), *models = json_array(), *d = json_object();
    jout_set(o, "seed", json_integer((json_int_t)mc->opt.seed), ok);
    jout_set(o, "first_run", json_integer((json_int_t)mc->opt.first_run), ok);
    jout_set(o, "runs", json_integer((json_int_t)mc->n_runs), ok);
    jout_set(o, "issues", json_integer((json_int_t)mc->n_issues), ok);
    for (int m = 0; m < PL_MC_N_MODELS; m++)
        if (mc->models[m]) jout_push(models, json_string(pl_mc_model_name((pl_model)m)), ok);
    jout_set(o, "models", models, ok);
    jout_set(o, "bins", json_integer((json_int_t)mc->bins), ok);
    jout_set(o, "exact_bytes", json_integer((json_int_t)mc->opt.exact_bytes), ok);
    json_t *pert = json_array();
    for (int k = 0; k < 3; k++) jout_push(pert, json_integer((json_int_t)mc->perturbed[k]), ok);
    jout_set(o, "perturbed", pert, ok);
    jout_set(d, "given_by_scenario", json_boolean(mc->used.given), ok);
    jout_set(d, "position_sd_share", json_real(mc->used.position_sd_share), ok);
    jout_set(d, "salience_sd", json_real(mc->used.salience_sd), ok);
    jout_set(d, "capability_sd_share", json_real(mc->used.capability_sd_share), ok);
    jout_set(o, "default_spreads", d, ok);
    jout_set(o, "exchange_rounds", json_integer((json_int_t)mc->ex_rounds), ok);
    jout_set(o, "exchange_p", json_real(mc->ex_p), ok);
    size_t cells = mc->n_issues * mc->n_models;
    json_t *a = json_array();
    if (mc->accs) {
        for (size_t k = 0; k < cells; k++) jout_push(a, acc_json(&mc->accs[k], mc->bins, ok), ok);
        jout_set(o, "summaries", a, ok);
    } else {
        for (size_t k = 0; k < mc->n_runs * cells; k++) jout_push(a, json_real(mc->results[k]), ok);
        jout_set(o, "values", a, ok);
    }
    return o;
}

static json_t *strings_json(size_t n, const char *const *v, int *ok) {
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++) jout_push(a, json_string(v[k]), ok);
    return a;
}

pl_status pl_part_write_mc(const pl_part_info *info, const pl_mc *mc, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!info || !mc || !info->command || !info->digest || mc->interrupted ||
        mc->opt.first_run != info->first || mc->n_runs != info->count || info->count == 0 ||
        info->first + info->count > info->total || info->n_args > MAX_LIST ||
        info->n_options > MAX_LIST)
        return PL_EINVAL;
    for (size_t k = 0; k < info->n_args; k++)
        if (!info->args[k]) return PL_EINVAL;
    for (size_t k = 0; k < info->n_options; k++)
        if (!info->option_names[k] || !info->option_values[k]) return PL_EINVAL;
    json_in_install();
    int ok = 1;
    json_t *root = json_object();
    jout_set(root, "parley_part", json_integer(PL_PART_VERSION), &ok);
    jout_set(root, "command", json_string(info->command), &ok);
    jout_set(root, "args", strings_json(info->n_args, info->args, &ok), &ok);
    json_t *opts = json_array();
    for (size_t k = 0; k < info->n_options; k++) {
        json_t *pair = json_array();
        jout_push(pair, json_string(info->option_names[k]), &ok);
        jout_push(pair, json_string(info->option_values[k]), &ok);
        jout_push(opts, pair, &ok);
    }
    jout_set(root, "options", opts, &ok);
    jout_set(root, "digest", json_string(info->digest), &ok);
    jout_set(root, "total", json_integer((json_int_t)info->total), &ok);
    jout_set(root, "first", json_integer((json_int_t)info->first), &ok);
    jout_set(root, "count", json_integer((json_int_t)info->count), &ok);
    jout_set(root, "mc", mc_json(mc, &ok), &ok);
    return json_out(root, ok, 17, out);
}

/* ------------------------------------------------------------------------
** Reading
*/
typedef struct rd {
    diag_sink ds;
    jloc *loc;
    pl_part *part;
} rd;

/* Member `key` of obj of the given kind (a json_is_* test), else an error
** at obj's place (or the member's) and NULL. */
static json_t *member(rd *r, json_t *obj, const char *key, int (*is)(const json_t *),
                      const char *kind) {
    json_t *v = json_object_get(obj, key);
    jloc_pos at = v ? jloc_member(r->loc, obj, key) : jloc_of(r->loc, obj);
    if (!v) diag_error(&r->ds, at.line, at.column, "expected \"%s\", found none", key);
    else if (!is(v)) diag_error(&r->ds, at.line, at.column, "expected \"%s\" to be %s", key, kind);
    return v && is(v) ? v : NULL;
}

static int is_object(const json_t *v) { return json_is_object(v); }
static int is_array(const json_t *v) { return json_is_array(v); }
static int is_string(const json_t *v) { return json_is_string(v); }
static int is_integer(const json_t *v) { return json_is_integer(v); }
static int is_number(const json_t *v) { return json_is_number(v); }

/* An integer member in [lo, hi]; 0 (after an error) when it is not one. */
static int integer(rd *r, json_t *obj, const char *key, unsigned long long lo,
                   unsigned long long hi, unsigned long long *out) {
    json_t *v = member(r, obj, key, is_integer, "a whole number");
    if (!v) return 0;
    json_int_t x = json_integer_value(v);
    if (x < 0 || (unsigned long long)x < lo || (unsigned long long)x > hi) {
        jloc_pos at = jloc_member(r->loc, obj, key);
        diag_error(&r->ds, at.line, at.column, "expected \"%s\" from %llu to %llu, found %lld", key,
                   lo, hi, (long long)x);
        return 0;
    }
    *out = (unsigned long long)x;
    return 1;
}

static double number(rd *r, json_t *obj, const char *key) {
    json_t *v = member(r, obj, key, is_number, "a number");
    return v ? json_number_value(v) : 0;
}

/* A copy of s kept with the part; NULL when out of memory. */
static const char *keep(rd *r, const char *s) {
    pl_part *p = r->part;
    char **grown = pl__realloc(p->strings, (p->n_strings + 1) * sizeof *grown);
    size_t len = strlen(s);
    char *copy = pl__malloc(len + 1);
    if (grown) p->strings = grown;
    if (!grown || !copy) {
        pl__free(copy);
        r->ds.oom = 1;
        return NULL;
    }
    memcpy(copy, s, len + 1);
    p->strings[p->n_strings++] = copy;
    return copy;
}

/* An array member of strings (pairs: of two-string arrays) into a new
** array of kept strings; its length in *n. */
static const char **string_list(rd *r, json_t *obj, const char *key, int pairs, size_t *n,
                                const char ***second) {
    json_t *a = member(r, obj, key, is_array, "an array");
    *n = 0;
    if (!a) return NULL;
    size_t len = json_array_size(a);
    if (len > MAX_LIST) {
        jloc_pos at = jloc_member(r->loc, obj, key);
        diag_error(&r->ds, at.line, at.column, "expected at most %d in \"%s\", found %zu", MAX_LIST,
                   key, len);
        return NULL;
    }
    const char **v = pl__calloc(len + 1, sizeof *v),
               **w = pairs ? pl__calloc(len + 1, sizeof *w) : NULL;
    if (!v || (pairs && !w)) {
        r->ds.oom = 1;
        pl__free(v);
        pl__free(w);
        return NULL;
    }
    for (size_t k = 0; k < len && !r->ds.oom; k++) {
        json_t *e = json_array_get(a, k);
        if (pairs && json_is_array(e) && json_array_size(e) == 2 &&
            json_is_string(json_array_get(e, 0)) && json_is_string(json_array_get(e, 1))) {
            v[k] = keep(r, json_string_value(json_array_get(e, 0)));
            w[k] = keep(r, json_string_value(json_array_get(e, 1)));
        } else if (!pairs && json_is_string(e)) {
            v[k] = keep(r, json_string_value(e));
        } else {
            jloc_pos at = jloc_index(r->loc, a, k);
            diag_error(&r->ds, at.line, at.column, "expected %s in \"%s\"",
                       pairs ? "[name, value] pairs of strings" : "strings", key);
        }
    }
    *n = len;
    if (second) *second = w;
    return v;
}

/* A decimal string of at most 2^128 - 1 into *out; 0 if it is not one. */
static int parse_u128(const char *s, u128 *out) {
    u128 v = 0, max = ~(u128)0;
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* An array of n counts into v (allocated); their sum in *sum. */
static int counts(rd *r, json_t *obj, const char *key, size_t n, uint64_t **v, uint64_t *sum) {
    json_t *a = member(r, obj, key, is_array, "an array");
    *sum = 0;
    if (!a) return 0;
    jloc_pos at = jloc_member(r->loc, obj, key);
    if (json_array_size(a) != n) {
        diag_error(&r->ds, at.line, at.column, "expected %zu counts in \"%s\", found %zu", n, key,
                   json_array_size(a));
        return 0;
    }
    *v = pl__calloc(n ? n : 1, sizeof **v);
    if (!*v) {
        r->ds.oom = 1;
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        json_t *e = json_array_get(a, k);
        if (!json_is_integer(e) || json_integer_value(e) < 0 ||
            (uint64_t)json_integer_value(e) > MAX_RUNS) {
            at = jloc_index(r->loc, a, k);
            diag_error(&r->ds, at.line, at.column, "expected a count in \"%s\"", key);
            return 0;
        }
        (*v)[k] = (uint64_t)json_integer_value(e);
        *sum += (*v)[k];
    }
    return 1;
}

/* One summary, checked against itself: its counts add up to n, its sums
** are those of n values in [0, QMAX]. */
static void read_acc(rd *r, json_t *o, acc *a, size_t bins) {
    a->min = a->max = 0;
    unsigned long long n = 0;
    if (!integer(r, o, "n", 1, MAX_RUNS, &n)) return;
    a->n = n;
    json_t *sum = member(r, o, "sum", is_string, "a decimal string");
    json_t *sumsq = member(r, o, "sumsq", is_string, "a decimal string");
    a->min = number(r, o, "min");
    a->max = number(r, o, "max");
    jloc_pos at = jloc_of(r->loc, o);
    json_t *opts = json_object_get(o, "options");
    a->n_options = json_is_array(opts) ? json_array_size(opts) : 0;
    uint64_t n_fine, n_hist, n_opts;
    int ok = counts(r, o, "fine", PL_MC_QUANTILE_BINS, &a->fine, &n_fine) &&
             counts(r, o, "histogram", bins, &a->hist, &n_hist) &&
             counts(r, o, "options", a->n_options, &a->options, &n_opts);
    if (!sum || !sumsq || !ok) return;
    u128 qmax = (u128)QMAX;
    if (!parse_u128(json_string_value(sum), &a->sum) ||
        !parse_u128(json_string_value(sumsq), &a->sumsq) || a->sum > a->n * qmax ||
        a->sumsq > a->n * qmax * qmax || a->sum * a->sum > a->n * a->sumsq || !(a->min <= a->max) ||
        n_fine != n || n_hist != n || (a->n_options && n_opts != n))
        diag_error(&r->ds, at.line, at.column,
                   "expected the summary of %llu runs (sums, counts, min <= max), found figures "
                   "that do not add up",
                   n);
}

/* The models named, as pl_mc's flags; their number. */
static size_t read_models(rd *r, json_t *o, int *models) {
    json_t *a = member(r, o, "models", is_array, "an array of model names");
    size_t n = 0;
    for (size_t k = 0; a && k < json_array_size(a); k++) {
        json_t *e = json_array_get(a, k);
        pl_model m;
        if (!json_is_string(e) || pl_mc_model_from_name(json_string_value(e), &m) != PL_OK ||
            models[m]) {
            jloc_pos at = jloc_index(r->loc, a, k);
            diag_error(&r->ds, at.line, at.column, "expected a model name, once");
            continue;
        }
        models[m] = 1;
        n++;
    }
    if (a && n == 0) {
        jloc_pos at = jloc_member(r->loc, o, "models");
        diag_error(&r->ds, at.line, at.column, "expected a model, found none");
    }
    return n;
}

/* The runs' header: seed, range, issues, models, options, spreads. */
static void read_mc_head(rd *r, json_t *o, pl_mc *mc) {
    unsigned long long seed = 0, first = 0, runs = 0, issues = 0, bins = 0, exact = 0, rounds = 0;
    integer(r, o, "seed", 0, ~0ull, &seed);
    integer(r, o, "first_run", 0, ~0ull >> 1, &first);
    integer(r, o, "runs", 1, MAX_RUNS, &runs);
    integer(r, o, "issues", 0, 1u << 20, &issues);
    integer(r, o, "bins", 1, 1000, &bins);
    integer(r, o, "exact_bytes", 0, ~0ull >> 1, &exact);
    integer(r, o, "exchange_rounds", 0, PL_EXCHANGE_MAX_ROUNDS, &rounds);
    pl_mc_options_init(&mc->opt);
    memset(mc->opt.models, 0, sizeof mc->opt.models);
    mc->n_models = read_models(r, o, mc->models);
    memcpy(mc->opt.models, mc->models, sizeof mc->models);
    mc->opt.seed = seed;
    mc->opt.first_run = first;
    mc->opt.runs = mc->n_runs = mc->n_runs_asked = (size_t)runs;
    mc->opt.bins = mc->bins = (size_t)bins;
    mc->opt.exact_bytes = (size_t)exact;
    mc->n_issues = (size_t)issues;
    mc->ex_rounds = (unsigned)rounds;
    mc->ex_p = number(r, o, "exchange_p");
    json_t *pert = member(r, o, "perturbed", is_array, "an array of three counts");
    for (size_t k = 0; pert && k < 3; k++) {
        json_t *e = json_array_get(pert, k);
        if (json_is_integer(e) && json_integer_value(e) >= 0 && json_array_size(pert) == 3) {
            mc->perturbed[k] = (size_t)json_integer_value(e);
        } else {
            jloc_pos at = jloc_member(r->loc, o, "perturbed");
            diag_error(&r->ds, at.line, at.column, "expected \"perturbed\": three counts");
            break;
        }
    }
    json_t *d = member(r, o, "default_spreads", is_object, "an object");
    if (!d) return;
    json_t *given = json_object_get(d, "given_by_scenario");
    mc->used.given = json_is_true(given);
    mc->used.position_sd_share = number(r, d, "position_sd_share");
    mc->used.salience_sd = number(r, d, "salience_sd");
    mc->used.capability_sd_share = number(r, d, "capability_sd_share");
}

/* The runs' figures: every value, or one summary per issue and model. */
static void read_mc_figures(rd *r, json_t *o, pl_mc *mc) {
    size_t cells = mc->n_issues * mc->n_models;
    json_t *values = json_object_get(o, "values"), *sums = json_object_get(o, "summaries");
    const char *key = values ? "values" : "summaries";
    json_t *a = member(r, o, key, is_array, "an array");
    if (!a) return;
    size_t want = values ? mc->n_runs * cells : cells;
    jloc_pos at = jloc_member(r->loc, o, key);
    if ((values && sums) || json_array_size(a) != want) {
        diag_error(&r->ds, at.line, at.column, "expected %zu entries in \"%s\" alone, found %zu",
                   want, key, json_array_size(a));
        return;
    }
    if (values) {
        mc->results = pl__malloc((want ? want : 1) * sizeof(double));
        if (!mc->results) r->ds.oom = 1;
        for (size_t k = 0; k < want && !r->ds.oom; k++) {
            json_t *e = json_array_get(a, k);
            if (json_is_number(e)) {
                mc->results[k] = json_number_value(e);
                continue;
            }
            at = jloc_index(r->loc, a, k);
            diag_error(&r->ds, at.line, at.column, "expected a number in \"values\"");
            return;
        }
        return;
    }
    mc->accs = pl__calloc(cells ? cells : 1, sizeof(acc));
    if (!mc->accs) r->ds.oom = 1;
    for (size_t k = 0; k < cells && !r->ds.oom && !r->ds.n_errors; k++) {
        json_t *e = json_array_get(a, k);
        if (json_is_object(e)) {
            read_acc(r, e, &mc->accs[k], mc->bins);
            continue;
        }
        at = jloc_index(r->loc, a, k);
        diag_error(&r->ds, at.line, at.column, "expected a summary object in \"summaries\"");
    }
}

static void read_part(rd *r, json_t *root) {
    pl_part *p = r->part;
    unsigned long long version = 0;
    if (!json_is_object(root)) {
        diag_error(&r->ds, 1, 1, "expected a partial result (a JSON object), found another value");
        return;
    }
    if (!integer(r, root, "parley_part", PL_PART_VERSION, PL_PART_VERSION, &version)) return;
    json_t *cmd = member(r, root, "command", is_string, "a string");
    json_t *digest = member(r, root, "digest", is_string, "a string");
    if (cmd) p->info.command = keep(r, json_string_value(cmd));
    if (digest) p->info.digest = keep(r, json_string_value(digest));
    p->info.args = string_list(r, root, "args", 0, &p->info.n_args, NULL);
    const char **values = NULL;
    p->info.option_names = string_list(r, root, "options", 1, &p->info.n_options, &values);
    p->info.option_values = values;
    integer(r, root, "total", 1, MAX_RUNS, &p->info.total);
    integer(r, root, "first", 0, MAX_RUNS - 1, &p->info.first);
    integer(r, root, "count", 1, MAX_RUNS, &p->info.count);
    jloc_pos at = jloc_member(r->loc, root, "first");
    p->line = at.line;
    p->column = at.column;
    if (!r->ds.n_errors && p->info.first + p->info.count > p->info.total)
        diag_error(&r->ds, at.line, at.column,
                   "expected a range inside the sweep's %llu runs, found %llu:%llu", p->info.total,
                   p->info.first, p->info.count);
    json_t *o = member(r, root, "mc", is_object, "an object");
    if (!o || r->ds.n_errors || r->ds.oom) return;
    p->mc = pl__calloc(1, sizeof *p->mc);
    if (!p->mc) {
        r->ds.oom = 1;
        return;
    }
    read_mc_head(r, o, p->mc);
    if (!r->ds.n_errors &&
        (p->mc->opt.first_run != p->info.first || p->mc->n_runs != p->info.count))
        diag_error(&r->ds, at.line, at.column,
                   "expected the runs of \"mc\" to be the part's range %llu:%llu", p->info.first,
                   p->info.count);
    if (!r->ds.n_errors && !r->ds.oom) read_mc_figures(r, o, p->mc);
}

void pl_part_free(pl_part *part) {
    if (!part) return;
    for (size_t k = 0; k < part->n_strings; k++) pl__free(part->strings[k]);
    pl__free(part->strings);
    pl__free((void *)part->info.args);
    pl__free((void *)part->info.option_names);
    pl__free((void *)part->info.option_values);
    pl__free(part->name);
    pl_mc_free(part->mc);
    pl__free(part);
}

pl_status pl_part_load_buffer(const char *text, size_t len, const char *name, pl_diags *diags,
                              pl_part **out) {
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
    r.ds.max_errors = 20;
    r.loc = jloc_build(text, len, root);
    r.part = pl__calloc(1, sizeof *r.part);
    size_t name_len = strlen(name);
    if (r.part) r.part->name = pl__malloc(name_len + 1);
    if (!r.loc || !r.part || !r.part->name) r.ds.oom = 1;
    else {
        memcpy(r.part->name, name, name_len + 1);
        read_part(&r, root);
    }
    jloc_free(r.loc);
    json_decref(root);
    if (r.ds.oom || r.ds.n_errors) {
        pl_part_free(r.part);
        return r.ds.oom ? PL_ENOMEM : PL_EINPUT;
    }
    *out = r.part;
    return PL_OK;
}

pl_status pl_part_load_file(const char *path, pl_diags *diags, pl_part **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    char *buf;
    size_t len;
    pl_status rc = io_file_read(path, diags, &buf, &len);
    if (rc != PL_OK) return rc;
    rc = pl_part_load_buffer(buf, len, path, diags, out);
    pl__free(buf);
    return rc;
}

const pl_part_info *pl_part_info_of(const pl_part *part) { return part ? &part->info : NULL; }

/* ------------------------------------------------------------------------
** Joining
*/
static int same_list(size_t n, const char *const *a, const char *const *b) {
    for (size_t k = 0; k < n; k++)
        if (strcmp(a[k], b[k]) != 0) return 0;
    return 1;
}

/* Does b describe a's sweep? */
static int same_sweep(const pl_part_info *a, const pl_part_info *b) {
    return strcmp(a->command, b->command) == 0 && strcmp(a->digest, b->digest) == 0 &&
           a->total == b->total && a->n_args == b->n_args && a->n_options == b->n_options &&
           same_list(a->n_args, a->args, b->args) &&
           same_list(a->n_options, a->option_names, b->option_names) &&
           same_list(a->n_options, a->option_values, b->option_values);
}

static pl_status fail(pl_diags *diags, const pl_part *p, const char *fmt, ...) PL_PRINTF(3, 4);
static pl_status fail(pl_diags *diags, const pl_part *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pl_status rc = diag_addv(diags, PL_SEV_ERROR, p->name, p->line, p->column, fmt, ap);
    va_end(ap);
    return rc == PL_ENOMEM ? PL_ENOMEM : PL_EINPUT;
}

/* An empty result of p's runs (no run yet, from run 0) to merge into. */
static pl_status mc_empty(const pl_mc *p, pl_mc **out) {
    pl_mc *mc = pl__calloc(1, sizeof *mc);
    if (!mc) return PL_ENOMEM;
    *mc = *p;
    mc->n_runs = mc->n_runs_asked = 0;
    mc->opt.first_run = 0;
    mc->results = NULL;
    mc->accs = NULL;
    *out = mc;
    if (!p->accs) return PL_OK;
    size_t cells = p->n_issues * p->n_models;
    mc->accs = pl__calloc(cells ? cells : 1, sizeof(acc));
    if (!mc->accs) return PL_ENOMEM;
    for (size_t k = 0; k < cells; k++) {
        acc *a = &mc->accs[k];
        a->min = INFINITY;
        a->max = -INFINITY;
        a->n_options = p->accs[k].n_options;
        a->fine = pl__calloc(PL_MC_QUANTILE_BINS, sizeof(uint64_t));
        a->hist = pl__calloc(p->bins, sizeof(uint64_t));
        a->options = pl__calloc(a->n_options ? a->n_options : 1, sizeof(uint64_t));
        if (!a->fine || !a->hist || !a->options) return PL_ENOMEM;
    }
    return PL_OK;
}

pl_status pl_part_join_mc(const pl_part *const *parts, size_t n, pl_diags *diags, pl_mc **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!parts || n == 0) return PL_EINVAL;
    for (size_t k = 0; k < n; k++) {
        if (!parts[k]) return PL_EINVAL;
        if (!parts[k]->mc) return fail(diags, parts[k], "expected Monte Carlo runs, found none");
        if (!same_sweep(&parts[0]->info, &parts[k]->info))
            return fail(diags, parts[k],
                        "expected a part of the sweep of %s (the same command, options, seed, "
                        "input and runs), found another sweep's",
                        parts[0]->name);
    }
    /* in run order, each starting where the runs so far end */
    pl_mc *mc = NULL;
    pl_status rc = mc_empty(parts[0]->mc, &mc);
    unsigned long long next = 0;
    size_t used = 0;
    while (rc == PL_OK && next < parts[0]->info.total) {
        const pl_part *p = NULL;
        for (size_t k = 0; k < n && !p; k++)
            if (parts[k]->info.first == next) p = parts[k];
        if (!p) {
            rc = fail(diags, parts[0],
                      "expected ranges that cover every run, found none from "
                      "run %llu",
                      next);
            break;
        }
        rc = pl_mc_merge(mc, p->mc);
        if (rc == PL_EINVAL) rc = fail(diags, p, "expected runs of the same kind as the others");
        next += p->info.count;
        used++;
    }
    /* a part left over overlaps the others */
    for (size_t k = 0; rc == PL_OK && used < n && k < n; k++) {
        int in_chain = 0;
        for (unsigned long long at = 0; at < parts[0]->info.total && !in_chain;) {
            const pl_part *q = NULL;
            for (size_t i = 0; i < n && !q; i++)
                if (parts[i]->info.first == at) q = parts[i];
            in_chain = q == parts[k];
            at += q->info.count;
        }
        if (!in_chain)
            rc = fail(diags, parts[k],
                      "expected ranges that do not overlap, found %llu:%llu "
                      "over runs another part has",
                      parts[k]->info.first, parts[k]->info.count);
    }
    if (rc != PL_OK) {
        pl_mc_free(mc);
        return rc;
    }
    *out = mc;
    return PL_OK;
}
