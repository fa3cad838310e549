/*
** part.c: partial results of a sweep (parley/part.h) -- a range of Monte
** Carlo runs written as JSON with the sweep's description, read back
** exactly (reals to 17 digits, the summaries' 128-bit sums as decimal
** strings), and the parts of one sweep joined in run order through
** pl_mc_merge.  The format: docs/distributed.md.  Errors at FILE:LINE:COL.
*/
#include "analysis/mc_int.h"
#include "analysis/sensitivity_int.h"
#include "analysis/tournament_int.h"
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
#define MAX_TOTAL (1ull << 50)     /* a sweep's units: runs, negotiations, inputs */
#define MAX_MAGNITUDE 1e100        /* of a negotiation's or a swing's figures: sums stay finite */
#define QMAX 4294967295.0

struct pl_part {
    pl_part_info info;
    char *name;       /* the file it was read from */
    int line, column; /* where its "first" stands */
    char **strings;   /* every string info points to */
    size_t n_strings;
    pl_mc *mc;
    /* a tournament's range: per domain its parties and negotiations, the
    ** repeats, and the records of its negotiations (TOURNAMENT_RECORD) */
    size_t n_domains, *parties;
    uint64_t *assignments, repeat;
    double *records;
    size_t n_values;
    /* a sensitivity range: the model, its inputs' swings in order */
    pl_sensitivity *sens;
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

/* Is info a range of its sweep, its strings all there? */
static int info_ok(const pl_part_info *info) {
    if (!info || !info->command || !info->digest || info->count == 0 ||
        info->first + info->count > info->total || info->total > MAX_TOTAL ||
        info->n_args > MAX_LIST || info->n_options > MAX_LIST)
        return 0;
    for (size_t k = 0; k < info->n_args; k++)
        if (!info->args[k]) return 0;
    for (size_t k = 0; k < info->n_options; k++)
        if (!info->option_names[k] || !info->option_values[k]) return 0;
    return 1;
}

/* The part's description: every member but its figures. */
static json_t *head_json(const pl_part_info *info, int *ok) {
    json_in_install();
    json_t *root = json_object();
    jout_set(root, "parley_part", json_integer(PL_PART_VERSION), ok);
    jout_set(root, "command", json_string(info->command), ok);
    jout_set(root, "args", strings_json(info->n_args, info->args, ok), ok);
    json_t *opts = json_array();
    for (size_t k = 0; k < info->n_options; k++) {
        json_t *pair = json_array();
        jout_push(pair, json_string(info->option_names[k]), ok);
        jout_push(pair, json_string(info->option_values[k]), ok);
        jout_push(opts, pair, ok);
    }
    jout_set(root, "options", opts, ok);
    jout_set(root, "digest", json_string(info->digest), ok);
    jout_set(root, "total", json_integer((json_int_t)info->total), ok);
    jout_set(root, "first", json_integer((json_int_t)info->first), ok);
    jout_set(root, "count", json_integer((json_int_t)info->count), ok);
    return root;
}

pl_status pl_part_write_mc(const pl_part_info *info, const pl_mc *mc, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!info_ok(info) || !mc || mc->interrupted || mc->opt.first_run != info->first ||
        mc->n_runs != info->count)
        return PL_EINVAL;
    int ok = 1;
    json_t *root = head_json(info, &ok);
    jout_set(root, "mc", mc_json(mc, &ok), &ok);
    return json_out(root, ok, 17, out);
}

/* A real, or null for NaN (none). */
static json_t *real_or_null(double x) { return isnan(x) ? json_null() : json_real(x); }

static json_t *tournament_json(const pl_tournament *t, int *ok) {
    json_t *o = json_object(), *parties = json_array(), *assign = json_array(), *neg = json_array();
    for (size_t d = 0; d < t->n_domains; d++) {
        jout_push(parties, json_integer((json_int_t)t->domain_parties[d]), ok);
        jout_push(assign, json_integer((json_int_t)t->domain_assignments[d]), ok);
    }
    jout_set(o, "parties", parties, ok);
    jout_set(o, "assignments", assign, ok);
    jout_set(o, "repeat", json_integer((json_int_t)t->opts.repeat), ok);
    const double *rec = t->records;
    uint64_t at = t->opts.first, end = t->opts.first + t->opts.count;
    for (size_t d = 0; *ok && d < t->n_domains; d++) {
        uint64_t lo = tournament_domain_first(t, d);
        uint64_t hi = lo + t->domain_assignments[d] * t->opts.repeat;
        for (; at >= lo && at < hi && at < end;
             at++, rec += TOURNAMENT_RECORD(t->domain_parties[d])) {
            json_t *a = json_array();
            for (size_t k = 0; k < TOURNAMENT_RECORD(t->domain_parties[d]); k++)
                jout_push(a, k == 2 || k == 3 ? real_or_null(rec[k]) : json_real(rec[k]), ok);
            jout_push(neg, a, ok);
        }
    }
    jout_set(o, "negotiations", neg, ok);
    return o;
}

pl_status pl_part_write_tournament(const pl_part_info *info, const pl_tournament *t, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!info_ok(info) || !t || !t->opts.count || !t->records || t->opts.first != info->first ||
        t->opts.count != info->count || t->n_negotiations != info->total)
        return PL_EINVAL;
    int ok = 1;
    json_t *root = head_json(info, &ok);
    jout_set(root, "tournament", tournament_json(t, &ok), &ok);
    return json_out(root, ok, 17, out);
}

static json_t *swing_json(const pl_swing *w, size_t list, int *ok) {
    json_t *a = json_array();
    jout_push(a, json_integer((json_int_t)list), ok);
    jout_push(a, json_integer((json_int_t)w->actor), ok);
    jout_push(a, w->issue == SIZE_MAX ? json_null() : json_integer((json_int_t)w->issue), ok);
    jout_push(a, json_integer(w->what), ok);
    jout_push(a, json_real(w->low), ok);
    jout_push(a, json_real(w->high), ok);
    jout_push(a, json_real(w->forecast_low), ok);
    jout_push(a, json_real(w->forecast_high), ok);
    return a;
}

pl_status pl_part_write_sensitivity(const pl_part_info *info, const pl_sensitivity *sens,
                                    char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!info_ok(info) || !sens || !sens->count || sens->first != info->first ||
        sens->count != info->count)
        return PL_EINVAL;
    int ok = 1;
    json_t *root = head_json(info, &ok), *o = json_object(), *inputs = json_array();
    jout_set(o, "model", json_string(pl_mc_model_name(sens->model)), &ok);
    size_t k = 0;
    for (uint64_t j = 0; j < sens->count; j++) {
        json_t *a = json_array();
        for (size_t e = 0; e < sens->per_input[j]; e++, k++)
            jout_push(a, swing_json(&sens->rec[k], sens->rec_list[k], &ok), &ok);
        jout_push(inputs, a, &ok);
    }
    jout_set(o, "inputs", inputs, &ok);
    jout_set(root, "sensitivity", o, &ok);
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

/* An array member of n whole numbers from lo to hi, allocated into *out. */
static int integers(rd *r, json_t *obj, const char *key, size_t n, uint64_t lo, uint64_t hi,
                    uint64_t **out) {
    json_t *a = member(r, obj, key, is_array, "an array of whole numbers");
    if (!a) return 0;
    if (json_array_size(a) != n) {
        jloc_pos at = jloc_member(r->loc, obj, key);
        diag_error(&r->ds, at.line, at.column, "expected %zu numbers in \"%s\", found %zu", n, key,
                   json_array_size(a));
        return 0;
    }
    *out = pl__calloc(n ? n : 1, sizeof **out);
    if (!*out) {
        r->ds.oom = 1;
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        json_t *e = json_array_get(a, k);
        json_int_t x = json_is_integer(e) ? json_integer_value(e) : -1;
        if (x < 0 || (uint64_t)x < lo || (uint64_t)x > hi) {
            jloc_pos at = jloc_index(r->loc, a, k);
            diag_error(&r->ds, at.line, at.column,
                       "expected a whole number from %llu to %llu in \"%s\"",
                       (unsigned long long)lo, (unsigned long long)hi, key);
            return 0;
        }
        (*out)[k] = (uint64_t)x;
    }
    return 1;
}

/* The tournament's domains: their parties and assignments, the repeats;
** they must count the part's total. */
static int read_domains(rd *r, json_t *o) {
    pl_part *p = r->part;
    json_t *parties = member(r, o, "parties", is_array, "an array of whole numbers");
    unsigned long long repeat = 0;
    if (!parties || !integer(r, o, "repeat", 1, MAX_TOTAL, &repeat)) return 0;
    p->repeat = repeat;
    p->n_domains = json_array_size(parties);
    uint64_t *np = NULL;
    if (!integers(r, o, "parties", p->n_domains, 2, 1u << 20, &np) ||
        !integers(r, o, "assignments", p->n_domains, 1, MAX_TOTAL, &p->assignments)) {
        pl__free(np);
        return 0;
    }
    p->parties = pl__calloc(p->n_domains + 1, sizeof *p->parties);
    uint64_t total = 0;
    for (size_t d = 0; p->parties && d < p->n_domains; d++) {
        p->parties[d] = (size_t)np[d];
        total += p->assignments[d] > MAX_TOTAL / repeat ? MAX_TOTAL + 1
                                                        : p->assignments[d] * repeat;
        if (total > MAX_TOTAL) break;
    }
    pl__free(np);
    if (!p->parties) r->ds.oom = 1;
    if (p->parties && total != p->info.total) {
        jloc_pos at = jloc_member(r->loc, o, "assignments");
        diag_error(&r->ds, at.line, at.column,
                   "expected domains of %llu negotiations in all (the part's \"total\"), found "
                   "others",
                   p->info.total);
    }
    return !r->ds.n_errors && !r->ds.oom;
}

/* Negotiation rec (an array) into v: agreement 0 or 1, welfare, the
** distances (numbers or null), then np utilities. */
static void read_record(rd *r, json_t *a, size_t k, size_t np, double *v) {
    json_t *e = json_array_get(a, k);
    size_t width = TOURNAMENT_RECORD(np);
    int ok = json_is_array(e) && json_array_size(e) == width;
    for (size_t i = 0; ok && i < width; i++) {
        json_t *x = json_array_get(e, i);
        if ((i == 2 || i == 3) && json_is_null(x)) v[i] = NAN;
        else if (json_is_number(x) && fabs(json_number_value(x)) <= MAX_MAGNITUDE)
            v[i] = json_number_value(x);
        else ok = 0;
    }
    if (ok && (v[0] == 0 || v[0] == 1)) return;
    jloc_pos at = jloc_index(r->loc, a, k);
    diag_error(&r->ds, at.line, at.column,
               "expected a negotiation: [agreement 0 or 1, welfare, Pareto distance or null, Nash "
               "distance or null, then %zu utilities] (numbers within 1e100)",
               np);
}

static void read_tournament(rd *r, json_t *o) {
    pl_part *p = r->part;
    if (!read_domains(r, o)) return;
    json_t *a = member(r, o, "negotiations", is_array, "an array");
    if (!a) return;
    if (json_array_size(a) != p->info.count) {
        jloc_pos at = jloc_member(r->loc, o, "negotiations");
        diag_error(&r->ds, at.line, at.column, "expected the part's %llu negotiations, found %zu",
                   p->info.count, json_array_size(a));
        return;
    }
    size_t d = 0, n = 0;
    uint64_t lo = 0, i = p->info.first;
    for (; d < p->n_domains && i >= lo + p->assignments[d] * p->repeat; d++)
        lo += p->assignments[d] * p->repeat;
    for (uint64_t k = 0, dd = d, l = lo; k < p->info.count; k++, i++) { /* the values' number */
        while (i >= l + p->assignments[dd] * p->repeat) l += p->assignments[dd++] * p->repeat;
        n += TOURNAMENT_RECORD(p->parties[dd]);
    }
    p->records = pl__malloc((n ? n : 1) * sizeof(double));
    p->n_values = n;
    if (!p->records) {
        r->ds.oom = 1;
        return;
    }
    double *v = p->records;
    i = p->info.first;
    for (size_t k = 0; k < p->info.count && !r->ds.n_errors; k++, i++) {
        while (i >= lo + p->assignments[d] * p->repeat) lo += p->assignments[d++] * p->repeat;
        read_record(r, a, k, p->parties[d], v);
        v += TOURNAMENT_RECORD(p->parties[d]);
    }
}

/* Swing e of an input into w and *list; 0 (after an error) when it is not one. */
static int read_swing(rd *r, json_t *a, size_t k, pl_swing *w, size_t *list) {
    json_t *e = json_array_get(a, k);
    int ok = json_is_array(e) && json_array_size(e) == 8;
    json_int_t v[4] = {0};
    for (size_t i = 0; ok && i < 4; i++) {
        json_t *x = json_array_get(e, i);
        if (i == 2 && json_is_null(x)) v[i] = -1;
        else if (json_is_integer(x) && json_integer_value(x) >= 0 &&
                 json_integer_value(x) < (1 << 24))
            v[i] = json_integer_value(x);
        else ok = 0;
    }
    for (size_t i = 4; ok && i < 8; i++) {
        json_t *x = json_array_get(e, i);
        ok = json_is_number(x) && fabs(json_number_value(x)) <= MAX_MAGNITUDE;
    }
    if (!ok || v[3] > 2 || (v[3] == 2) != (v[2] < 0)) {
        jloc_pos at = jloc_index(r->loc, a, k);
        diag_error(&r->ds, at.line, at.column,
                   "expected a swing: [issue of the list, actor, input's issue or null "
                   "(capability), input 0-2, low, high, forecast low, forecast high] (numbers "
                   "within 1e100)");
        return 0;
    }
    *list = (size_t)v[0];
    w->actor = (size_t)v[1];
    w->issue = v[2] < 0 ? SIZE_MAX : (size_t)v[2];
    w->what = (int)v[3];
    w->low = json_number_value(json_array_get(e, 4));
    w->high = json_number_value(json_array_get(e, 5));
    w->forecast_low = json_number_value(json_array_get(e, 6));
    w->forecast_high = json_number_value(json_array_get(e, 7));
    w->swing = fabs(w->forecast_high - w->forecast_low);
    return 1;
}

/* One input's swings (an array) kept in p->sens's record. */
static void read_input(rd *r, json_t *in, uint64_t j) {
    pl_sensitivity *sens = r->part->sens;
    for (size_t k = 0; k < json_array_size(in) && !r->ds.n_errors; k++) {
        if (!sensitivity_reserve_rec(sens)) {
            r->ds.oom = 1;
            return;
        }
        if (!read_swing(r, in, k, &sens->rec[sens->n_rec], &sens->rec_list[sens->n_rec])) return;
        sens->n_rec++;
        sens->per_input[j]++;
    }
}

static void read_sensitivity(rd *r, json_t *o) {
    pl_part *p = r->part;
    json_t *name = member(r, o, "model", is_string, "a model's name");
    json_t *a = member(r, o, "inputs", is_array, "an array");
    pl_model model;
    if (!name || !a) return;
    if (pl_mc_model_from_name(json_string_value(name), &model) != PL_OK || model == PL_MC_SMP) {
        jloc_pos at = jloc_member(r->loc, o, "model");
        diag_error(&r->ds, at.line, at.column, "expected a model of sensitivity analyses");
        return;
    }
    if (json_array_size(a) != p->info.count) {
        jloc_pos at = jloc_member(r->loc, o, "inputs");
        diag_error(&r->ds, at.line, at.column, "expected the part's %llu inputs, found %zu",
                   p->info.count, json_array_size(a));
        return;
    }
    if (sensitivity_new(0, model, p->info.first, p->info.count, &p->sens) != PL_OK) {
        r->ds.oom = 1;
        return;
    }
    for (size_t j = 0; j < p->info.count && !r->ds.n_errors && !r->ds.oom; j++) {
        json_t *in = json_array_get(a, j);
        if (json_is_array(in)) {
            read_input(r, in, j);
            continue;
        }
        jloc_pos at = jloc_index(r->loc, a, j);
        diag_error(&r->ds, at.line, at.column, "expected an input's swings (an array)");
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
    integer(r, root, "total", 1, MAX_TOTAL, &p->info.total);
    integer(r, root, "first", 0, MAX_TOTAL - 1, &p->info.first);
    integer(r, root, "count", 1, MAX_TOTAL, &p->info.count);
    jloc_pos at = jloc_member(r->loc, root, "first");
    p->line = at.line;
    p->column = at.column;
    if (!r->ds.n_errors && p->info.first + p->info.count > p->info.total)
        diag_error(&r->ds, at.line, at.column,
                   "expected a range inside the sweep's %llu runs, found %llu:%llu", p->info.total,
                   p->info.first, p->info.count);
    if (json_object_get(root, "tournament") && !json_object_get(root, "mc")) {
        json_t *t = member(r, root, "tournament", is_object, "an object");
        if (t && !r->ds.n_errors) read_tournament(r, t);
        return;
    }
    if (json_object_get(root, "sensitivity") && !json_object_get(root, "mc")) {
        json_t *t = member(r, root, "sensitivity", is_object, "an object");
        if (t && !r->ds.n_errors) read_sensitivity(r, t);
        return;
    }
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
    pl__free(part->parties);
    pl__free(part->assignments);
    pl__free(part->records);
    pl_sensitivity_free(part->sens);
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

/* The parts of one sweep (each of the kind has() tells) in range order
** into ordered (n of them): they must tile 0 .. total - 1. */
static pl_status order_parts(const pl_part *const *parts, size_t n, pl_diags *diags,
                             int (*has)(const pl_part *), const char *kind, const char *unit,
                             const pl_part **ordered) {
    for (size_t k = 0; k < n; k++) {
        if (!parts[k]) return PL_EINVAL;
        if (!same_sweep(&parts[0]->info, &parts[k]->info))
            return fail(diags, parts[k],
                        "expected a part of the sweep of %s (the same command, options, seed, "
                        "input and runs), found another sweep's",
                        parts[0]->name);
        if (!has(parts[k])) return fail(diags, parts[k], "expected %s, found none", kind);
    }
    /* in run order, each starting where the runs so far end */
    unsigned long long next = 0;
    size_t used = 0;
    while (next < parts[0]->info.total) {
        const pl_part *p = NULL;
        for (size_t k = 0; k < n && !p; k++)
            if (parts[k]->info.first == next) p = parts[k];
        if (!p)
            return fail(diags, parts[0],
                        "expected ranges that cover every %s, found none from %s %llu", unit, unit,
                        next);
        ordered[used++] = p;
        next += p->info.count;
    }
    /* a part left over overlaps the others */
    for (size_t k = 0; used < n && k < n; k++) {
        int in_chain = 0;
        for (size_t i = 0; i < used && !in_chain; i++) in_chain = ordered[i] == parts[k];
        if (!in_chain)
            return fail(diags, parts[k],
                        "expected ranges that do not overlap, found %llu:%llu over %ss another "
                        "part has",
                        parts[k]->info.first, parts[k]->info.count, unit);
    }
    return PL_OK;
}

static int has_mc(const pl_part *p) { return p->mc != NULL; }
static int has_tournament(const pl_part *p) { return p->records != NULL; }
static int has_sensitivity(const pl_part *p) { return p->sens != NULL; }

pl_status pl_part_join_mc(const pl_part *const *parts, size_t n, pl_diags *diags, pl_mc **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!parts || n == 0) return PL_EINVAL;
    const pl_part **ordered = pl__calloc(n, sizeof *ordered);
    if (!ordered) return PL_ENOMEM;
    pl_status rc = order_parts(parts, n, diags, has_mc, "Monte Carlo runs", "run", ordered);
    pl_mc *mc = NULL;
    if (rc == PL_OK) rc = mc_empty(ordered[0]->mc, &mc);
    for (size_t k = 0; rc == PL_OK && k < n && ordered[k]; k++) {
        rc = pl_mc_merge(mc, ordered[k]->mc);
        if (rc == PL_EINVAL)
            rc = fail(diags, ordered[k], "expected runs of the same kind as the others");
    }
    pl__free(ordered);
    if (rc != PL_OK) {
        pl_mc_free(mc);
        return rc;
    }
    *out = mc;
    return PL_OK;
}

/* Does t play the tournament the part's negotiations come from? */
static int same_tournament(const pl_tournament *t, const pl_part *p) {
    if (t->n_domains != p->n_domains || t->opts.repeat != p->repeat ||
        t->n_negotiations != p->info.total)
        return 0;
    for (size_t d = 0; d < t->n_domains; d++)
        if (t->domain_parties[d] != p->parties[d] || t->domain_assignments[d] != p->assignments[d])
            return 0;
    return 1;
}

pl_status pl_part_join_tournament(const pl_part *const *parts, size_t n,
                                  const pl_space *const *domains, size_t n_domains,
                                  const char *const *agents, size_t n_agents,
                                  const pl_tournament_options *opts, pl_diags *diags,
                                  pl_tournament **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!parts || n == 0) return PL_EINVAL;
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    if (opts) o = *opts;
    o.first = o.count = 0;
    pl_tournament *t = NULL;
    const pl_part **ordered = pl__calloc(n, sizeof *ordered);
    pl_status rc = ordered ? PL_OK : PL_ENOMEM;
    if (rc == PL_OK)
        rc = order_parts(parts, n, diags, has_tournament, "a tournament's negotiations",
                         "negotiation", ordered);
    if (rc == PL_OK) rc = tournament_new(domains, n_domains, agents, n_agents, &o, diags, &t);
    for (size_t k = 0; rc == PL_OK && k < n && ordered[k]; k++)
        if (!same_tournament(t, ordered[k]))
            rc = fail(diags, ordered[k],
                      "expected a part of this tournament (its domains' parties and "
                      "assignments, the repeats), found another's");
    double *all = NULL;
    size_t n_values = 0;
    for (size_t k = 0; rc == PL_OK && k < n && ordered[k]; k++) n_values += ordered[k]->n_values;
    if (rc == PL_OK && !(all = pl__malloc((n_values ? n_values : 1) * sizeof *all))) rc = PL_ENOMEM;
    for (size_t k = 0, at = 0; rc == PL_OK && k < n && ordered[k]; k++) {
        memcpy(all + at, ordered[k]->records, ordered[k]->n_values * sizeof *all);
        at += ordered[k]->n_values;
    }
    if (rc == PL_OK) rc = tournament_replay(t, all);
    pl__free(all);
    pl__free(ordered);
    if (rc != PL_OK) {
        pl_tournament_free(t);
        return rc;
    }
    *out = t;
    return PL_OK;
}

/* Each swing of part p in range in scenario s's issues and actors? */
static pl_status check_swings(const pl_part *p, const pl_scenario *s, pl_model model,
                              pl_diags *diags) {
    const pl_sensitivity *ps = p->sens;
    size_t ni = pl_scenario_n_issues(s), na = pl_scenario_n_actors(s);
    if (ps->model != model)
        return fail(diags, p, "expected the swings of the model %s, found %s's",
                    pl_mc_model_name(model), pl_mc_model_name(ps->model));
    for (uint64_t j = 0; model != PL_MC_EXCHANGE && j < ps->count; j++)
        if (ps->per_input[j] != 1)
            return fail(diags, p, "expected one swing per input, found %zu", ps->per_input[j]);
    for (size_t k = 0; k < ps->n_rec; k++) {
        const pl_swing *w = &ps->rec[k];
        if (ps->rec_list[k] >= ni || w->actor >= na || (w->issue != SIZE_MAX && w->issue >= ni))
            return fail(diags, p,
                        "expected swings of the scenario's %zu actors on its %zu issues, found "
                        "one beyond",
                        na, ni);
    }
    return PL_OK;
}

/* The parts' swings (ordered) appended to their issues' lists, in order. */
static pl_status gather_swings(const pl_part *const *ordered, size_t n, pl_sensitivity *sens) {
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < ordered[k]->sens->n_rec; i++)
            sens->n_swings[ordered[k]->sens->rec_list[i]]++;
    for (size_t i = 0; i < sens->n_issues; i++) {
        sens->swings[i] = pl__calloc(sens->n_swings[i] + 1, sizeof(pl_swing));
        if (!sens->swings[i]) return PL_ENOMEM;
        sens->n_swings[i] = 0;
    }
    for (size_t k = 0; k < n; k++) {
        const pl_sensitivity *ps = ordered[k]->sens;
        for (size_t i = 0; i < ps->n_rec; i++) {
            size_t list = ps->rec_list[i];
            sens->swings[list][sens->n_swings[list]++] = ps->rec[i];
        }
    }
    sensitivity_sort(sens);
    return PL_OK;
}

pl_status pl_part_join_sensitivity(const pl_part *const *parts, size_t n, const pl_scenario *s,
                                   pl_model model, pl_diags *diags, pl_sensitivity **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    uint64_t total = 0;
    if (!parts || n == 0 || !s) return PL_EINVAL;
    pl_status rc = pl_sensitivity_size(s, model, &total);
    if (rc != PL_OK) return rc;
    const pl_part **ordered = pl__calloc(n, sizeof *ordered);
    if (!ordered) return PL_ENOMEM;
    rc = order_parts(parts, n, diags, has_sensitivity, "a sensitivity analysis's swings", "input",
                     ordered);
    if (rc == PL_OK && ordered[0]->info.total != total)
        rc = fail(diags, ordered[0],
                  "expected a part of the %llu inputs of this scenario, found %llu",
                  (unsigned long long)total, ordered[0]->info.total);
    size_t used = 0;
    for (; rc == PL_OK && used < n && ordered[used]; used++)
        rc = check_swings(ordered[used], s, model, diags);
    pl_sensitivity *sens = NULL;
    if (rc == PL_OK) rc = sensitivity_new(pl_scenario_n_issues(s), model, 0, 0, &sens);
    if (rc == PL_OK) rc = gather_swings(ordered, used, sens);
    pl__free(ordered);
    if (rc != PL_OK) {
        pl_sensitivity_free(sens);
        return rc;
    }
    *out = sens;
    return PL_OK;
}
