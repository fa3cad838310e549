/*
** io_json.c: the scenario reader for parley's JSON format
** (docs/scenario-format.md) and its validation.
**
** jansson parses; jloc finds where each value stands; this module checks
** every rule and reports each problem as FILE:LINE:COL with what was
** expected and what was found.  All problems are collected, not just the
** first; a scenario with any error is not returned.
*/
#include "core/alloc.h"
#include "core/diag.h"
#include "core/hash.h"
#include "io/io_file.h"
#include "core/text.h"
#include "core/jloc.h"
#include "core/json_in.h"
#include "scenario/scenario_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FORMAT_VERSION 1

typedef struct ctx {
    diag_sink ds; /* the file's name and its diagnostics */
    jloc *loc;
    pl_scenario *s;
    /* lookups, so that reading stays linear in the size of the file */
    hash sources;       /* accepted source ids */
    hash declared[2];   /* every id written under "actors", "issues" */
    size_t *issue_item; /* issue k is item issue_item[k] of "issues" */
} ctx;

/* ------------------------------------------------------------------------
** Reporting
*/
/* An error or a warning at a value's place (jloc_pos). */
#define ERR(c, pos, ...)                                         \
    do {                                                         \
        jloc_pos at_ = (pos);                                    \
        diag_error(&(c)->ds, at_.line, at_.column, __VA_ARGS__); \
    } while (0)
#define WARN(c, pos, ...)                                          \
    do {                                                           \
        jloc_pos at_ = (pos);                                      \
        diag_warning(&(c)->ds, at_.line, at_.column, __VA_ARGS__); \
    } while (0)

/* What a value is, for "found ..." (with the value itself where short). */
static const char *found(const json_t *v, char *buf, size_t size) {
    switch (json_typeof(v)) {
        case JSON_OBJECT: return "an object";
        case JSON_ARRAY: return "an array";
        case JSON_STRING: {
            const char *str = json_string_value(v);
            if (strlen(str) <= 40) snprintf(buf, size, "the string \"%s\"", str);
            else snprintf(buf, size, "a string");
            return buf;
        }
        case JSON_INTEGER:
        case JSON_REAL: snprintf(buf, size, "%.17g", json_number_value(v)); return buf;
        case JSON_TRUE: return "true";
        case JSON_FALSE: return "false";
        case JSON_NULL: return "null";
    }
    return "a value";
}

/* Edit distance, for "did you mean" on misspelt keys (short strings only). */
static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31) return 99;
    size_t row[32];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* Warn about keys not in `allowed` (NULL-terminated). */
static void check_keys(ctx *c, const json_t *obj, const char *what, const char *const *allowed) {
    const char *key;
    json_t *value;
    size_t k = 0; /* the member's place, for its position */
    json_object_foreach((json_t *)obj, key, value) {
        const char *near = NULL;
        int known = 0;
        size_t place = k++;
        for (const char *const *a = allowed; *a && !known; a++) known = strcmp(*a, key) == 0;
        if (known) continue;
        jloc_pos at = jloc_key_at(c->loc, obj, place);
        for (const char *const *a = allowed; *a && !near; a++)
            if (edit_distance(*a, key) <= 2) near = *a;
        char list[512] = "";
        for (const char *const *a = allowed; *a; a++) {
            if (a != allowed) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, *a, sizeof list - strlen(list) - 1);
        }
        if (near)
            WARN(c, at, "unknown key \"%s\" in %s (did you mean \"%s\"?); ignored", key, what,
                 near);
        else WARN(c, at, "unknown key \"%s\" in %s, expected one of: %s; ignored", key, what, list);
    }
}

/* ------------------------------------------------------------------------
** Typed getters.  Each returns 1 when a valid value was stored, 0 when the
** key is absent (an error if required) or invalid (always an error).
*/
static int get_string(ctx *c, const json_t *obj, const char *key, const char *what, int required,
                      const char **out) {
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            ERR(c, jloc_of(c->loc, obj), "expected key \"%s\" (a string) in %s, found none", key,
                what);
        return 0;
    }
    char buf[96];
    if (!json_is_string(v)) {
        ERR(c, jloc_member(c->loc, obj, key), "expected a string for \"%s\" in %s, found %s", key,
            what, found(v, buf, sizeof buf));
        return 0;
    }
    if (required && json_string_length(v) == 0) {
        ERR(c, jloc_member(c->loc, obj, key),
            "expected a non-empty string for \"%s\" in %s, found \"\"", key, what);
        return 0;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        ERR(c, jloc_member(c->loc, obj, key),
            "expected a string without NUL characters for \"%s\" in %s", key, what);
        return 0;
    }
    *out = scen_str(c->s, json_string_value(v));
    if (!*out) c->ds.oom = 1;
    return *out != NULL;
}

static int get_id(ctx *c, const json_t *obj, const char *key, const char *what, const char **out) {
    if (!get_string(c, obj, key, what, 1, out)) return 0;
    if (!scen_id_ok(*out)) {
        char buf[96];
        ERR(c, jloc_member(c->loc, obj, key),
            "expected an id for \"%s\" in %s (1-%d letters, digits, '_' or "
            "'-'), found %s",
            key, what, SCEN_ID_MAX, found(json_object_get(obj, key), buf, sizeof buf));
        *out = NULL;
        return 0;
    }
    return 1;
}

static int get_number(ctx *c, const json_t *obj, const char *key, const char *what, int required,
                      double *out) {
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            ERR(c, jloc_of(c->loc, obj), "expected key \"%s\" (a number) in %s, found none", key,
                what);
        return 0;
    }
    char buf[96];
    if (!json_is_number(v)) {
        ERR(c, jloc_member(c->loc, obj, key), "expected a number for \"%s\" in %s, found %s", key,
            what, found(v, buf, sizeof buf));
        return 0;
    }
    double x = json_number_value(v);
    if (!isfinite(x)) {
        ERR(c, jloc_member(c->loc, obj, key), "expected a finite number for \"%s\" in %s, found %g",
            key, what, x);
        return 0;
    }
    *out = x;
    return 1;
}

/* An optional array; returns it or NULL (reporting a wrong type). */
static json_t *get_array(ctx *c, const json_t *obj, const char *key, const char *what,
                         int required) {
    json_t *v = json_object_get(obj, key);
    char buf[96];
    if (!v) {
        if (required)
            ERR(c, jloc_of(c->loc, obj), "expected key \"%s\" (an array) in %s, found none", key,
                what);
        return NULL;
    }
    if (!json_is_array(v)) {
        ERR(c, jloc_member(c->loc, obj, key), "expected an array for \"%s\" in %s, found %s", key,
            what, found(v, buf, sizeof buf));
        return NULL;
    }
    return v;
}

static int is_object_item(ctx *c, const json_t *array, size_t i, const char *what) {
    json_t *v = json_array_get(array, i);
    if (json_is_object(v)) return 1;
    char buf[96];
    ERR(c, jloc_index(c->loc, array, i), "expected %s (an object), found %s", what,
        found(v, buf, sizeof buf));
    return 0;
}

static int date_ok(const char *d) {
    int y, m, day;
    char tail;
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return 0;
    if (sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3) return 0;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || day < 1 || day > days[m - 1]) return 0;
    if (m == 2 && day == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return 0;
    return 1;
}

static void get_date(ctx *c, const json_t *obj, const char *what, const char **out) {
    if (get_string(c, obj, "date", what, 0, out) && !date_ok(*out)) {
        ERR(c, jloc_member(c->loc, obj, "date"),
            "expected a date YYYY-MM-DD for \"date\" in %s, found \"%s\"", what, *out);
        *out = NULL;
    }
}

/* ------------------------------------------------------------------------
** Evidence: [{quote, source}], source naming one of the scenario's sources.
*/
static int source_known(const ctx *c, const char *id) {
    return hash_find_str(&c->sources, id, NULL);
}

static const char *const evidence_keys[] = {"quote", "source", NULL};

static void get_evidence(ctx *c, const json_t *obj, const char *what, const pl_evidence **out,
                         size_t *n_out) {
    *out = NULL;
    *n_out = 0;
    json_t *arr = get_array(c, obj, "evidence", what, 0);
    if (!arr) return;
    size_t n = json_array_size(arr);
    if (n == 0) return;
    pl_evidence *ev = scen_mem(c->s, n * sizeof(pl_evidence));
    if (!ev) {
        c->ds.oom = 1;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_object_item(c, arr, i, "an evidence item {quote, source}")) continue;
        json_t *item = json_array_get(arr, i);
        check_keys(c, item, "evidence", evidence_keys);
        const char *quote, *source;
        int ok = get_string(c, item, "quote", "evidence", 1, &quote);
        ok &= get_string(c, item, "source", "evidence", 1, &source);
        if (!ok) continue;
        if (!source_known(c, source)) {
            ERR(c, jloc_member(c->loc, item, "source"),
                "expected the id of one of the scenario's sources for "
                "\"source\", found \"%s\"",
                source);
            continue;
        }
        ev[k].quote = quote;
        ev[k].source = source;
        k++;
    }
    *out = ev;
    *n_out = k;
}

/* ------------------------------------------------------------------------
** Uncertainty: {"sd": X} or {"range": [lo, hi]} around `value`, within
** [dom_lo, dom_hi].
*/
static const char *const spread_keys[] = {"sd", "range", NULL};

static void get_spread(ctx *c, const json_t *obj, const char *key, double value, double dom_lo,
                       double dom_hi, pl_spread *out) {
    memset(out, 0, sizeof *out);
    json_t *v = json_object_get(obj, key);
    char buf[96];
    if (!v) return;
    if (!json_is_object(v)) {
        ERR(c, jloc_member(c->loc, obj, key),
            "expected {\"sd\": X} or {\"range\": [LO, HI]} for \"%s\", found %s", key,
            found(v, buf, sizeof buf));
        return;
    }
    check_keys(c, v, "a spread", spread_keys);
    json_t *sd = json_object_get(v, "sd"), *range = json_object_get(v, "range");
    if ((sd != NULL) == (range != NULL)) {
        ERR(c, jloc_member(c->loc, obj, key),
            "expected one of \"sd\" or \"range\" in \"%s\", found %s", key,
            sd ? "both" : "neither");
        return;
    }
    if (sd) {
        double x;
        if (!get_number(c, v, "sd", "a spread", 1, &x)) return;
        double width = dom_hi - dom_lo;
        if (x < 0 || x > width) {
            ERR(c, jloc_member(c->loc, v, "sd"),
                "expected a standard deviation from 0 to %g (the width of the value's range), "
                "found %g",
                width, x);
            return;
        }
        out->kind = PL_SPREAD_SD;
        out->sd = x;
        return;
    }
    if (!json_is_array(range) || json_array_size(range) != 2 ||
        !json_is_number(json_array_get(range, 0)) || !json_is_number(json_array_get(range, 1))) {
        ERR(c, jloc_member(c->loc, v, "range"),
            "expected [LO, HI] (two numbers) for \"range\", found %s",
            found(range, buf, sizeof buf));
        return;
    }
    double lo = json_number_value(json_array_get(range, 0));
    double hi = json_number_value(json_array_get(range, 1));
    if (!(lo <= value && value <= hi) || lo < dom_lo || hi > dom_hi) {
        ERR(c, jloc_member(c->loc, v, "range"),
            "expected a range around the value %g within [%g, %g], found [%g, %g]", value, dom_lo,
            dom_hi, lo, hi);
        return;
    }
    out->kind = PL_SPREAD_RANGE;
    out->lo = lo;
    out->hi = hi;
}

static const char *const uncertainty_keys[] = {"position_sd_share", "salience_sd",
                                               "capability_sd_share", NULL};

static void read_uncertainty(ctx *c, const json_t *root) {
    json_t *u = json_object_get(root, "uncertainty");
    char buf[96];
    if (!u) return;
    if (!json_is_object(u)) {
        ERR(c, jloc_member(c->loc, root, "uncertainty"),
            "expected an object {position_sd_share, salience_sd, capability_sd_share} for "
            "\"uncertainty\", found %s",
            found(u, buf, sizeof buf));
        return;
    }
    check_keys(c, u, "uncertainty", uncertainty_keys);
    pl_uncertainty un = {1, 0, 0, 0};
    struct {
        const char *key;
        double *dst;
        double max;
    } f[] = {{"position_sd_share", &un.position_sd_share, 1},
             {"salience_sd", &un.salience_sd, 100},
             {"capability_sd_share", &un.capability_sd_share, 10}};
    for (size_t i = 0; i < 3; i++) {
        if (!get_number(c, u, f[i].key, "uncertainty", 0, f[i].dst)) continue;
        if (*f[i].dst < 0 || *f[i].dst > f[i].max) {
            ERR(c, jloc_member(c->loc, u, f[i].key), "expected \"%s\" from 0 to %g, found %g",
                f[i].key, f[i].max, *f[i].dst);
            *f[i].dst = 0;
        }
    }
    c->s->uncertainty = un;
}

/* ------------------------------------------------------------------------
** Sections
*/
static const char *const source_keys[] = {"id",  "title", "publisher", "date",
                                          "url", "file",  "notes",     NULL};

static void read_sources(ctx *c, const json_t *root) {
    json_t *arr = get_array(c, root, "sources", "the scenario", 0);
    if (!arr || json_array_size(arr) == 0) return;
    size_t n = json_array_size(arr);
    c->s->sources = scen_mem(c->s, n * sizeof(pl_source));
    if (!c->s->sources) {
        c->ds.oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_object_item(c, arr, i, "a source")) continue;
        json_t *o = json_array_get(arr, i);
        check_keys(c, o, "a source", source_keys);
        pl_source src = {0};
        if (!get_id(c, o, "id", "a source", &src.id)) continue;
        get_string(c, o, "title", "a source", 1, &src.title);
        get_string(c, o, "publisher", "a source", 0, &src.publisher);
        get_date(c, o, "a source", &src.date);
        get_string(c, o, "url", "a source", 0, &src.url);
        get_string(c, o, "file", "a source", 0, &src.file);
        int added = hash_add_str(&c->sources, src.id, c->s->n_sources, NULL);
        if (added < 0) {
            c->ds.oom = 1;
            return;
        }
        if (!added) {
            ERR(c, jloc_member(c->loc, o, "id"),
                "expected a unique source id, found \"%s\" a second time", src.id);
            continue;
        }
        c->s->sources[c->s->n_sources++] = src;
    }
}

static const char *const actor_keys[] = {
    "id",          "name", "capability",        "group",       "evidence", "assumption",
    "description", "role", "capability_spread", "reservation", NULL};

static void read_actors(ctx *c, const json_t *root) {
    json_t *arr = get_array(c, root, "actors", "the scenario", 1);
    if (!arr) return;
    if (json_array_size(arr) == 0)
        ERR(c, jloc_member(c->loc, root, "actors"),
            "expected at least one actor in \"actors\", found none");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        if (!is_object_item(c, arr, i, "an actor")) continue;
        json_t *o = json_array_get(arr, i);
        check_keys(c, o, "an actor", actor_keys);
        pl_actor a = {0};
        int ok = get_id(c, o, "id", "an actor", &a.id);
        ok &= get_string(c, o, "name", "an actor", 1, &a.name);
        if (get_number(c, o, "capability", "an actor", 1, &a.capability)) {
            if (!(a.capability > 0 && a.capability <= PL_MAX_CAPABILITY)) {
                if (a.capability > 0)
                    ERR(c, jloc_member(c->loc, o, "capability"),
                        "expected a capability of at most %g, found %g", PL_MAX_CAPABILITY,
                        a.capability);
                else
                    ERR(c, jloc_member(c->loc, o, "capability"),
                        "expected a positive capability, found %g", a.capability);
                ok = 0;
            }
        } else {
            ok = 0;
        }
        get_string(c, o, "group", "an actor", 0, &a.group);
        get_string(c, o, "role", "an actor", 0, &a.role);
        get_string(c, o, "description", "an actor", 0, &a.description);
        get_string(c, o, "assumption", "an actor", 0, &a.assumption);
        get_evidence(c, o, "an actor", &a.evidence, &a.n_evidence);
        if (ok)
            get_spread(c, o, "capability_spread", a.capability, 1e-300, PL_MAX_CAPABILITY,
                       &a.capability_spread);
        if (get_number(c, o, "reservation", "an actor", 0, &a.reservation)) {
            if (a.reservation < 0 || a.reservation > 1) {
                ERR(c, jloc_member(c->loc, o, "reservation"),
                    "expected a reservation utility from 0 to 1, found %g", a.reservation);
                ok = 0;
            }
            a.has_reservation = 1;
        } else if (json_object_get(o, "reservation")) {
            ok = 0;
        }
        if (!ok) continue;
        size_t dup;
        if (pl_scenario_find_actor(c->s, a.id, &dup) == PL_OK) {
            ERR(c, jloc_member(c->loc, o, "id"),
                "expected a unique actor id, found \"%s\" a second time", a.id);
            continue;
        }
        if (!a.n_evidence && !a.assumption)
            WARN(c, jloc_of(c->loc, o),
                 "actor \"%s\": capability has neither evidence nor an "
                 "assumption",
                 a.id);
        if (scen_push_actor(c->s, &a) != PL_OK) {
            c->ds.oom = 1;
            return;
        }
    }
}

static const char *const scale_keys[] = {"min", "max", "min_label", "max_label", NULL};
static const char *const option_keys[] = {"value", "label", NULL};
static const char *const issue_keys[] = {
    "id",       "name",       "description",   "scale",     "unit",    "status_quo", "options",
    "evidence", "assumption", "decision_rule", "procedure", "outcome", "group",      NULL};

static int read_scale(ctx *c, const json_t *o, pl_issue *is) {
    json_t *scale = json_object_get(o, "scale");
    char buf[96];
    if (!scale) {
        ERR(c, jloc_of(c->loc, o),
            "expected key \"scale\" (an object {min, max, min_label, "
            "max_label}) in an issue, found none");
        return 0;
    }
    if (!json_is_object(scale)) {
        ERR(c, jloc_member(c->loc, o, "scale"),
            "expected an object {min, max, min_label, max_label} for "
            "\"scale\", found %s",
            found(scale, buf, sizeof buf));
        return 0;
    }
    check_keys(c, scale, "a scale", scale_keys);
    int ok = get_number(c, scale, "min", "a scale", 1, &is->min);
    ok &= get_number(c, scale, "max", "a scale", 1, &is->max);
    ok &= get_string(c, scale, "min_label", "a scale", 1, &is->min_label);
    ok &= get_string(c, scale, "max_label", "a scale", 1, &is->max_label);
    if (ok && !(is->min < is->max)) {
        ERR(c, jloc_member(c->loc, scale, "max"),
            "expected the scale's max to be greater than its min (%g), found %g", is->min, is->max);
        ok = 0;
    }
    for (int end = 0; ok && end < 2; end++) {
        double x = end ? is->max : is->min;
        if (fabs(x) > PL_MAX_SCALE) {
            ERR(c, jloc_member(c->loc, scale, end ? "max" : "min"),
                "expected the scale's %s from %g to %g, found %g", end ? "max" : "min",
                -PL_MAX_SCALE, PL_MAX_SCALE, x);
            ok = 0;
        }
    }
    return ok;
}

static int on_scale(const pl_issue *is, double x) { return x >= is->min && x <= is->max; }

static void read_options(ctx *c, const json_t *o, pl_issue *is, int scale_ok) {
    json_t *arr = get_array(c, o, "options", "an issue", 0);
    if (!arr || json_array_size(arr) == 0) return;
    size_t n = json_array_size(arr);
    pl_option *opts = scen_mem(c->s, n * sizeof(pl_option));
    if (!opts) {
        c->ds.oom = 1;
        return;
    }
    size_t k = 0;
    hash seen; /* the values taken, as bytes (-0 as 0) */
    hash_init(&seen);
    for (size_t i = 0; i < n && !c->ds.oom; i++) {
        if (!is_object_item(c, arr, i, "an option {value, label}")) continue;
        json_t *item = json_array_get(arr, i);
        check_keys(c, item, "an option", option_keys);
        pl_option opt;
        int ok = get_number(c, item, "value", "an option", 1, &opt.value);
        ok &= get_string(c, item, "label", "an option", 1, &opt.label);
        if (!ok) continue;
        if (scale_ok && !on_scale(is, opt.value)) {
            ERR(c, jloc_member(c->loc, item, "value"),
                "expected an option value on the scale [%g, %g], found %g", is->min, is->max,
                opt.value);
            continue;
        }
        double key = opt.value == 0 ? 0 : opt.value;
        int added = hash_add(&seen, &key, sizeof key, k, NULL);
        if (added < 0) {
            c->ds.oom = 1;
            break;
        }
        if (!added) {
            ERR(c, jloc_member(c->loc, item, "value"),
                "expected each option at its own value, found %g a second time", opt.value);
            continue;
        }
        opts[k++] = opt;
    }
    hash_free(&seen);
    is->options = opts;
    is->n_options = k;
    scen_sort_options(is);
}

static void read_issues(ctx *c, const json_t *root) {
    json_t *arr = get_array(c, root, "issues", "the scenario", 1);
    if (!arr) return;
    if (json_array_size(arr) == 0)
        ERR(c, jloc_member(c->loc, root, "issues"),
            "expected at least one issue in \"issues\", found none");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        if (!is_object_item(c, arr, i, "an issue")) continue;
        json_t *o = json_array_get(arr, i);
        check_keys(c, o, "an issue", issue_keys);
        pl_issue is = {0};
        int ok = get_id(c, o, "id", "an issue", &is.id);
        ok &= get_string(c, o, "name", "an issue", 1, &is.name);
        int scale_ok = read_scale(c, o, &is);
        ok &= scale_ok;
        get_string(c, o, "description", "an issue", 0, &is.description);
        get_string(c, o, "unit", "an issue", 0, &is.unit);
        get_string(c, o, "assumption", "an issue", 0, &is.assumption);
        get_evidence(c, o, "an issue", &is.evidence, &is.n_evidence);
        if (get_number(c, o, "status_quo", "an issue", 0, &is.status_quo)) {
            if (scale_ok && !on_scale(&is, is.status_quo)) {
                ERR(c, jloc_member(c->loc, o, "status_quo"),
                    "expected a status quo on the scale [%g, %g], found %g", is.min, is.max,
                    is.status_quo);
                ok = 0;
            }
            is.has_status_quo = 1;
        } else if (json_object_get(o, "status_quo")) {
            ok = 0;
        }
        if (get_number(c, o, "outcome", "an issue", 0, &is.outcome)) {
            if (scale_ok && !on_scale(&is, is.outcome)) {
                ERR(c, jloc_member(c->loc, o, "outcome"),
                    "expected an outcome on the scale [%g, %g], found %g", is.min, is.max,
                    is.outcome);
                ok = 0;
            }
            is.has_outcome = 1;
        } else if (json_object_get(o, "outcome")) {
            ok = 0;
        }
        const char *rule;
        if (get_string(c, o, "decision_rule", "an issue", 0, &rule)) {
            pl_decision_rule r;
            if (pl_decision_rule_from_name(rule, &r) != PL_OK) {
                ERR(c, jloc_member(c->loc, o, "decision_rule"),
                    "expected a decision rule (unanimity, qualified-majority, "
                    "majority or consensus), found \"%s\"",
                    rule);
                ok = 0;
            } else {
                is.decision_rule = (int)r;
            }
        }
        get_string(c, o, "procedure", "an issue", 0, &is.procedure);
        get_string(c, o, "group", "an issue", 0, &is.group);
        read_options(c, o, &is, scale_ok);
        if (!ok) continue;
        size_t dup;
        if (pl_scenario_find_issue(c->s, is.id, &dup) == PL_OK) {
            ERR(c, jloc_member(c->loc, o, "id"),
                "expected a unique issue id, found \"%s\" a second time", is.id);
            continue;
        }
        size_t *items = pl__realloc(c->issue_item, (c->s->n_issues + 1) * sizeof *items);
        if (!items || scen_push_issue(c->s, &is) != PL_OK) {
            if (items) c->issue_item = items;
            c->ds.oom = 1;
            return;
        }
        c->issue_item = items;
        items[c->s->n_issues - 1] = i;
    }
}

static const char *const position_keys[] = {"actor",           "issue",           "position",
                                            "salience",        "evidence",        "assumption",
                                            "position_spread", "salience_spread", NULL};

/* Resolve an id reference; `kind` is "actor" or "issue". */
static int resolve(ctx *c, const json_t *o, const char *key, size_t *index, int present) {
    const char *id;
    if (!get_string(c, o, key, "a position", 1, &id)) return 0;
    pl_status rc = key[0] == 'a' ? pl_scenario_find_actor(c->s, id, index)
                                 : pl_scenario_find_issue(c->s, id, index);
    if (rc == PL_OK) return 1;
    /* An id that was declared but rejected has its own error already. */
    if (!present)
        ERR(c, jloc_member(c->loc, o, key), "expected the id of a declared %s, found \"%s\"", key,
            id);
    return 0;
}

/* The ids written in section "actors" (0) or "issues" (1), even those of
** entries that had errors. */
static void collect_declared(ctx *c, const json_t *root, int which) {
    json_t *arr = json_object_get(root, which ? "issues" : "actors");
    if (!json_is_array(arr)) return;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_object_get(json_array_get(arr, i), "id");
        if (json_is_string(v) &&
            hash_add_str(&c->declared[which], json_string_value(v), i, NULL) < 0) {
            c->ds.oom = 1;
            return;
        }
    }
}

static int declared(const ctx *c, int which, const char *id) {
    return hash_find_str(&c->declared[which], id, NULL);
}

/* (actor, issue) -> 1 + the index of the array item that gave the pair, to
** report duplicates (a table of every pair would grow as actors x issues). */
typedef struct pair_key {
    size_t actor, issue;
} pair_key;

static void read_positions(ctx *c, const json_t *root, hash *seen) {
    json_t *arr = get_array(c, root, "positions", "the scenario", 1);
    if (!arr) return;
    collect_declared(c, root, 0);
    collect_declared(c, root, 1);
    /* saliences all within 0-1 were probably given as fractions */
    int all_fractions = 1, any_positive = 0;
    const json_t *first_salience = NULL;
    for (size_t i = 0; i < json_array_size(arr) && !c->ds.oom; i++) {
        if (!is_object_item(c, arr, i, "a position")) continue;
        json_t *o = json_array_get(arr, i);
        check_keys(c, o, "a position", position_keys);
        pl_position p = {0};
        json_t *aid = json_object_get(o, "actor"), *iid = json_object_get(o, "issue");
        int a_decl = json_is_string(aid) && declared(c, 0, json_string_value(aid));
        int i_decl = json_is_string(iid) && declared(c, 1, json_string_value(iid));
        int ok = resolve(c, o, "actor", &p.actor, a_decl);
        int issue_ok = resolve(c, o, "issue", &p.issue, i_decl);
        ok &= issue_ok;
        int have_pos = get_number(c, o, "position", "a position", 1, &p.position);
        int have_sal = get_number(c, o, "salience", "a position", 1, &p.salience);
        if (have_sal) {
            if (!first_salience) first_salience = o;
            if (p.salience > 1) all_fractions = 0;
            if (p.salience > 0) any_positive = 1;
        }
        get_string(c, o, "assumption", "a position", 0, &p.assumption);
        get_evidence(c, o, "a position", &p.evidence, &p.n_evidence);
        if (have_sal && (p.salience < 0 || p.salience > 100)) {
            ERR(c, jloc_member(c->loc, o, "salience"),
                "expected a salience from 0 to 100, found %g", p.salience);
            ok = 0;
        }
        if (have_pos && issue_ok && !on_scale(&c->s->issues[p.issue], p.position)) {
            const pl_issue *bad = &c->s->issues[p.issue];
            ERR(c, jloc_member(c->loc, o, "position"),
                "expected a position on issue \"%s\"'s scale [%g, %g], found %g", bad->id, bad->min,
                bad->max, p.position);
            ok = 0;
        }
        ok &= have_pos & have_sal;
        if (!ok) continue;
        const pl_issue *is = &c->s->issues[p.issue];
        pair_key key;
        memset(&key, 0, sizeof key);
        key.actor = p.actor;
        key.issue = p.issue;
        size_t first = 0;
        int added = hash_add(seen, &key, sizeof key, i + 1, &first);
        if (added < 0) {
            c->ds.oom = 1;
            return;
        }
        if (!added) {
            ERR(c, jloc_of(c->loc, o),
                "expected one position per actor and issue, found a second "
                "for actor \"%s\" on issue \"%s\" (the first is item %zu)",
                c->s->actors[p.actor].id, is->id, first);
            continue;
        }
        get_spread(c, o, "position_spread", p.position, is->min, is->max, &p.position_spread);
        get_spread(c, o, "salience_spread", p.salience, 0, 100, &p.salience_spread);
        if (!p.n_evidence && !p.assumption)
            WARN(c, jloc_of(c->loc, o),
                 "position of \"%s\" on \"%s\" has neither evidence nor an "
                 "assumption",
                 c->s->actors[p.actor].id, is->id);
        if (scen_push_position(c->s, &p) != PL_OK) {
            c->ds.oom = 1;
            return;
        }
    }
    if (first_salience && all_fractions && any_positive)
        WARN(c, jloc_member(c->loc, first_salience, "salience"),
             "every salience is at most 1, but saliences run from 0 to 100: were they "
             "given as fractions of 1? (multiply them by 100)");
}

/* Every issue needs at least two actors with a position on it. */
static void check_stakes(ctx *c, const json_t *root) {
    json_t *arr = json_object_get(root, "issues");
    size_t *count = pl__calloc(c->s->n_issues + 1, sizeof *count);
    if (!count) {
        c->ds.oom = 1;
        return;
    }
    for (size_t k = 0; k < c->s->n_positions; k++) count[c->s->positions[k].issue]++;
    for (size_t i = 0; i < c->s->n_issues; i++) {
        size_t n = count[i];
        if (n >= 2) continue;
        /* the issue's object, for its place */
        jloc_pos pos = jloc_index(c->loc, arr, c->issue_item[i]);
        ERR(c, pos,
            "expected at least two actors with a position on issue \"%s\", "
            "found %zu",
            c->s->issues[i].id, n);
    }
    pl__free(count);
}

static const char *const top_keys[] = {"parley", "id",        "name",        "description",
                                       "date",   "sources",   "notes",       "actors",
                                       "issues", "positions", "uncertainty", NULL};

static void read_notes(ctx *c, const json_t *root) {
    json_t *v = json_object_get(root, "notes");
    if (!v) return;
    if (json_is_string(v)) {
        c->s->notes = scen_mem(c->s, sizeof(char *));
        const char *note = scen_str(c->s, json_string_value(v));
        if (!c->s->notes || !note) {
            c->ds.oom = 1;
            return;
        }
        c->s->notes[0] = note;
        c->s->n_notes = 1;
        return;
    }
    json_t *arr = get_array(c, root, "notes", "the scenario", 0);
    if (!arr || json_array_size(arr) == 0) return;
    c->s->notes = scen_mem(c->s, json_array_size(arr) * sizeof(char *));
    if (!c->s->notes) {
        c->ds.oom = 1;
        return;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *item = json_array_get(arr, i);
        char buf[96];
        if (!json_is_string(item)) {
            ERR(c, jloc_index(c->loc, arr, i), "expected a string in \"notes\", found %s",
                found(item, buf, sizeof buf));
            continue;
        }
        const char *note = scen_str(c->s, json_string_value(item));
        if (!note) {
            c->ds.oom = 1;
            return;
        }
        c->s->notes[c->s->n_notes++] = note;
    }
}

static void read_scenario(ctx *c, const json_t *root) {
    char buf[96];
    if (!json_is_object(root)) {
        jloc_pos start = {1, 1};
        ERR(c, start, "expected a scenario (a JSON object), found %s",
            found(root, buf, sizeof buf));
        return;
    }
    check_keys(c, root, "the scenario", top_keys);
    json_t *version = json_object_get(root, "parley");
    if (version && !(json_is_integer(version) && json_integer_value(version) == FORMAT_VERSION))
        ERR(c, jloc_member(c->loc, root, "parley"),
            "expected format version %d for \"parley\", found %s", FORMAT_VERSION,
            found(version, buf, sizeof buf));
    get_id(c, root, "id", "the scenario", &c->s->id);
    get_string(c, root, "name", "the scenario", 1, &c->s->name);
    get_string(c, root, "description", "the scenario", 0, &c->s->description);
    get_date(c, root, "the scenario", &c->s->date);
    read_notes(c, root);
    read_uncertainty(c, root);
    read_sources(c, root);
    read_actors(c, root);
    read_issues(c, root);
    hash seen;
    hash_init(&seen);
    if (!c->ds.oom) read_positions(c, root, &seen);
    hash_free(&seen);
    if (!c->ds.oom) check_stakes(c, root);
}

/* ------------------------------------------------------------------------
** Entry points
*/
pl_status pl_scenario_load_buffer(const char *text, size_t len, const char *name, pl_diags *diags,
                                  pl_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!text) return PL_EINVAL;
    if (!name) name = "<input>";
    json_t *root = NULL;
    pl_status text_rc = json_in_parse(&text, &len, name, diags, &root);
    if (text_rc != PL_OK) return text_rc;
    ctx c;
    memset(&c, 0, sizeof c);
    c.ds.file = name;
    c.ds.diags = diags;
    c.loc = jloc_build(text, len, root);
    c.s = scen_alloc();
    if (!c.loc || !c.s) {
        c.ds.oom = 1;
    } else {
        read_scenario(&c, root);
    }
    hash_free(&c.sources);
    hash_free(&c.declared[0]);
    hash_free(&c.declared[1]);
    pl__free(c.issue_item);
    jloc_free(c.loc);
    json_decref(root);
    if (c.ds.oom) {
        pl_scenario_free(c.s);
        return PL_ENOMEM;
    }
    if (c.ds.n_errors) {
        pl_scenario_free(c.s);
        return PL_EINPUT;
    }
    *out = c.s;
    return PL_OK;
}

pl_status pl_scenario_load_file(const char *path, pl_diags *diags, pl_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!path) return PL_EINVAL;
    char *buf;
    size_t len;
    pl_status rc = io_file_read(path, diags, &buf, &len);
    if (rc != PL_OK) return rc;
    pl_input_format format = pl_input_format_of(path);
    if (format == PL_INPUT_DECIDE) {
        pl_exchange_data *d = NULL;
        rc = pl_exchange_read_buffer(buf, len, path, diags, &d);
        if (rc == PL_OK) rc = pl_exchange_data_to_scenario(d, diags, out);
        pl_exchange_data_free(d);
    } else if (format == PL_INPUT_CSV) rc = pl_scenario_load_csv_buffer(buf, len, path, diags, out);
    else rc = pl_scenario_load_buffer(buf, len, path, diags, out);
    pl__free(buf);
    return rc;
}
