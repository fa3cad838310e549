/*
** io_ktab.c: the input of the spatial model of politics (pl_smp_data) --
** building it in code, reading KTAB's CSV format, converting a parley
** scenario, checking it, and writing it back as KTAB CSV.
**
** KTAB's reader (smpc's SMPModel::csvRead, minicsv) splits lines at commas,
** trims quotes from text fields and asserts its limits; a bad file crashes
** or silently reads zeros.  This reader keeps KTAB's limits and gives each
** problem a place and a message: FILE:LINE:COL: expected ..., found ....
*/
#include "models/model_smp_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/diag.h"
#include "io/io_file.h"
#include "core/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KTAB's Model limits (kmodel.h) and smpc's capability sanity check. */
#define MAX_SCEN_NAME 512
#define MAX_SCEN_DESC 512
#define MAX_ACT_NAME 25
#define MAX_ACT_DESC 256
#define MAX_DIM_NAME 256
#define MAX_CAPABILITY 1e8
#define MAX_DIMS 1000000
#define MAX_ERRORS 20

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
    int ok = d->name && d->actor_names && d->actor_descs && d->capability &&
             d->dim_names && d->dim_descs && d->dim_min && d->dim_max &&
             d->position && d->salience;
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

pl_status pl_smp_data_set_scenario(pl_smp_data *d, const char *name,
                                   const char *description) {
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

pl_status pl_smp_data_set_actor(pl_smp_data *d, size_t i, const char *name,
                                const char *description, double capability) {
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

pl_status pl_smp_data_set_dim(pl_smp_data *d, size_t k, const char *name,
                              const char *description, double scale_min,
                              double scale_max) {
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

pl_status pl_smp_data_set_stake(pl_smp_data *d, size_t i, size_t k,
                                double position, double salience) {
    if (!d || i >= d->n_actors || k >= d->n_dims || !isfinite(position) ||
        !isfinite(salience))
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
const char *pl_smp_data_description(const pl_smp_data *d) {
    return d ? d->description : NULL;
}
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
/* x with as many digits as it takes to tell it from its neighbours (a sum
** of 100.00000000000001 is not "100"). */
static const char *exact(double x, char *out, size_t size) {
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(out, size, "%.*g", digits, x);
        if (strtod(out, NULL) == x) break;
    }
    return out;
}

pl_status pl_smp_data_check(const pl_smp_data *d, pl_diags *diags) {
    if (!d) return PL_EINVAL;
    const char *file = d->source ? d->source : "smp input";
    size_t n = d->n_actors, nd = d->n_dims, n_errors = 0;
#define CHECK_ERR(...)                                                        \
    do {                                                                      \
        n_errors++;                                                           \
        if (diag_add(diags, PL_SEV_ERROR, file, 0, 0, __VA_ARGS__) != PL_OK)  \
            return PL_ENOMEM;                                                 \
    } while (0)
    if (n < PL_SMP_MIN_ACTORS || n > PL_SMP_MAX_ACTORS)
        CHECK_ERR("expected %d to %d actors, found %zu", PL_SMP_MIN_ACTORS,
                  PL_SMP_MAX_ACTORS, n);
    for (size_t k = 0; k < nd; k++)
        if (!(d->dim_min[k] < d->dim_max[k]))
            CHECK_ERR("dimension %s: expected a scale with min < max, found %g..%g",
                      d->dim_names[k], d->dim_min[k], d->dim_max[k]);
    for (size_t i = 0; i < n; i++) {
        const char *a = d->actor_names[i];
        double c = d->capability[i];
        if (!(c > 0 && c < MAX_CAPABILITY))
            CHECK_ERR("actor %s: expected a capability greater than 0 and less "
                      "than 1e8, found %g", a, c);
        double sum = 0, ssq = 0;
        for (size_t k = 0; k < nd; k++) {
            double x = d->position[i * nd + k], s = d->salience[i * nd + k];
            if (!(x >= 0 && x <= 100))
                CHECK_ERR("actor %s, dimension %s: expected a position from 0 to 100, "
                          "found %g", a, d->dim_names[k], x);
            if (!(s >= 0 && s <= 100))
                CHECK_ERR("actor %s, dimension %s: expected a salience from 0 to 100, "
                          "found %g", a, d->dim_names[k], s);
            else {
                sum += s;
                ssq += (s / 100) * (s / 100);
            }
        }
        char shown_sum[32];
        if (sum > 100 + 1e-9)
            CHECK_ERR("actor %s: expected saliences summing to at most 100, found %s",
                      a, exact(sum, shown_sum, sizeof shown_sum));
        else if (!(ssq > 0))
            CHECK_ERR("actor %s: expected a positive salience on some dimension, "
                      "found none", a);
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
                          "from 0 to 1 summing to at most 1, found %s", d->actor_names[i],
                          bad ? "an entry out of range" : "a larger sum");
        }
    }
#undef CHECK_ERR
    return n_errors ? PL_EINPUT : PL_OK;
}

/* ------------------------------------------------------------------------
** KTAB CSV: lines and fields
*/
typedef struct field {
    const char *text; /* points into the line, or into an unquoted copy */
    size_t len;
    int col;          /* 1-based column of the field's first character */
} field;

typedef struct reader {
    const char *name;
    pl_diags *diags;
    size_t n_errors;
    int oom;
    /* the current line */
    int line_no;
    field *fields;
    size_t n_fields, n_alloc;
    char *unq;         /* storage for unquoted fields of the current line */
    size_t unq_alloc;
} reader;

static void rerr(reader *r, int line, int col, const char *fmt, ...) PL_PRINTF(4, 5);
static void rerr(reader *r, int line, int col, const char *fmt, ...) {
    r->n_errors++;
    if (r->n_errors > MAX_ERRORS) return;
    va_list ap;
    va_start(ap, fmt);
    if (diag_addv(r->diags, PL_SEV_ERROR, r->name, line, col, fmt, ap) != PL_OK) r->oom = 1;
    va_end(ap);
}

static void rwarn(reader *r, int line, int col, const char *fmt, ...) PL_PRINTF(4, 5);
static void rwarn(reader *r, int line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (diag_addv(r->diags, PL_SEV_WARNING, r->name, line, col, fmt, ap) != PL_OK) r->oom = 1;
    va_end(ap);
}

/* A field's text for a message: quoted, cut at 40 characters. */
static void shown(const field *f, char *out, size_t size) {
    if (!f) {
        snprintf(out, size, "the end of the line");
        return;
    }
    if (f->len == 0) {
        snprintf(out, size, "an empty field");
        return;
    }
    size_t n = f->len > 40 ? 40 : f->len;
    char tmp[48];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f->text[i];
        tmp[m++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    tmp[m] = 0;
    snprintf(out, size, "\"%s%s\"", tmp, f->len > 40 ? "..." : "");
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Split [p, end) into fields.  Returns 0 on a syntax error (reported). */
static int split_line(reader *r, const char *p, const char *end) {
    r->n_fields = 0;
    size_t need = (size_t)(end - p) + 1;
    if (need > r->unq_alloc) {
        char *u = pl__realloc(r->unq, need);
        if (!u) {
            r->oom = 1;
            return 0;
        }
        r->unq = u;
        r->unq_alloc = need;
    }
    size_t unq_len = 0;
    const char *line_start = p;
    for (;;) {
        if (r->n_fields == r->n_alloc) {
            size_t n_new = r->n_alloc ? 2 * r->n_alloc : 16;
            field *f = pl__realloc(r->fields, n_new * sizeof *f);
            if (!f) {
                r->oom = 1;
                return 0;
            }
            r->fields = f;
            r->n_alloc = n_new;
        }
        field *f = &r->fields[r->n_fields++];
        while (p < end && is_space(*p)) p++;
        f->col = (int)(p - line_start) + 1;
        if (p < end && *p == '"') {
            /* A quoted field: commas inside, "" for a quote. */
            const char *q = p + 1;
            char *o = r->unq + unq_len;
            f->text = o;
            int closed = 0;
            while (q < end) {
                if (*q == '"') {
                    if (q + 1 < end && q[1] == '"') {
                        *o++ = '"';
                        q += 2;
                        continue;
                    }
                    closed = 1;
                    q++;
                    break;
                }
                *o++ = *q++;
            }
            f->len = (size_t)(o - f->text);
            unq_len += f->len;
            if (!closed) {
                rerr(r, r->line_no, f->col, "expected a closing quote for the field "
                     "opened here, found the end of the line");
                return 0;
            }
            while (q < end && is_space(*q)) q++;
            if (q < end && *q != ',') {
                rerr(r, r->line_no, (int)(q - line_start) + 1,
                     "expected a comma after the closing quote, found '%c'", *q);
                return 0;
            }
            p = q;
        } else {
            const char *s = p;
            while (p < end && *p != ',') p++;
            const char *e = p;
            while (e > s && is_space(e[-1])) e--;
            f->text = s;
            f->len = (size_t)(e - s);
        }
        if (p >= end) break;
        p++; /* the comma */
    }
    return 1;
}

/* A field as a NUL-terminated copy (caller frees); NULL on OOM. */
static char *field_dup(reader *r, const field *f) {
    char *s = pl__malloc(f->len + 1);
    if (!s) {
        r->oom = 1;
        return NULL;
    }
    memcpy(s, f->text, f->len);
    s[f->len] = 0;
    return s;
}

/* Parse a field as a finite number; reports and returns 0 on failure. */
static int field_number(reader *r, const field *f, const char *what, double *out) {
    char tmp[64], found[64];
    if (f && f->len > 0 && f->len < sizeof tmp) {
        memcpy(tmp, f->text, f->len);
        tmp[f->len] = 0;
        char *endp;
        errno = 0;
        double x = strtod(tmp, &endp);
        if (endp != tmp && *endp == 0 && isfinite(x)) {
            *out = x;
            return 1;
        }
    }
    shown(f, found, sizeof found);
    rerr(r, r->line_no, f ? f->col : 1, "expected %s, found %s", what, found);
    return 0;
}

/* Parse a field as an integer in [lo, hi]. */
static int field_count(reader *r, const field *f, const char *what, size_t lo,
                       size_t hi, size_t *out) {
    char tmp[32], found[64];
    if (f && f->len > 0 && f->len < sizeof tmp) {
        memcpy(tmp, f->text, f->len);
        tmp[f->len] = 0;
        size_t i = 0, v = 0;
        int digits = 0, overflow = 0;
        if (tmp[0] == '+') i++;
        for (; tmp[i] >= '0' && tmp[i] <= '9'; i++, digits++) {
            if (v > (hi + 9) / 10 + 1) overflow = 1;
            else v = 10 * v + (size_t)(tmp[i] - '0');
        }
        if (digits && tmp[i] == 0) {
            if (!overflow && v >= lo && v <= hi) {
                *out = v;
                return 1;
            }
            rerr(r, r->line_no, f->col, "expected %s from %zu to %zu, found %s", what, lo,
                 hi, tmp);
            return 0;
        }
    }
    shown(f, found, sizeof found);
    rerr(r, r->line_no, f ? f->col : 1, "expected %s (an integer from %zu to %zu), found %s",
         what, lo, hi, found);
    return 0;
}

/* A text field within a length limit; stores a copy in *out. */
static int field_text(reader *r, const field *f, const char *what, size_t min_len,
                      size_t max_len, char **out) {
    *out = NULL;
    size_t chars = 0;
    for (size_t i = 0; i < f->len; i++)
        if (((unsigned char)f->text[i] & 0xC0) != 0x80) chars++;
    if (chars < min_len || chars > max_len) {
        char found[64];
        shown(f, found, sizeof found);
        if (min_len)
            rerr(r, r->line_no, f->col, "expected %s of %zu to %zu characters, found %s (%zu)",
                 what, min_len, max_len, found, chars);
        else
            rerr(r, r->line_no, f->col, "expected %s of at most %zu characters, found %s (%zu)",
                 what, max_len, found, chars);
        return 0;
    }
    *out = field_dup(r, f);
    return *out != NULL;
}

static pl_status reader_status(const reader *r) {
    if (r->oom) return PL_ENOMEM;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** KTAB CSV: the reader
*/
pl_status pl_smp_read_ktab_buffer(const char *text, size_t len, const char *name,
                                  pl_diags *diags, pl_smp_data **out) {
    if (!out || (!text && len)) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "ktab";
    reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.diags = diags;
    pl_smp_data *d = NULL;
    pl_status rc = PL_OK;
    int shape_error = 0; /* PL_EPARSE rather than PL_EINPUT */

    if (!text) text = "";
    rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    const char *p = text, *end = text + len;
    if (memchr(p, 0, (size_t)(end - p))) {
        const char *z = memchr(p, 0, (size_t)(end - p));
        int line = 1, col = 1;
        for (const char *q = p; q < z; q++) {
            if (*q == '\n') {
                line++;
                col = 1;
            } else col++;
        }
        diag_add(diags, PL_SEV_ERROR, name, line, col,
                 "expected a text file, found a NUL byte");
        return PL_EPARSE;
    }

    size_t n_actors = 0, n_dims = 0, actor = 0;
    int line_no = 0, header_done = 0, dims_done = 0, warned_extra = 0;
    char *scen_name = NULL, *scen_desc = NULL;
    while (p < end || (!dims_done && line_no < 2) || (dims_done && actor < n_actors)) {
        if (p >= end) {
            /* Out of lines before the file said it ends. */
            if (!header_done)
                rerr(&r, line_no + 1, 1, "expected the scenario line (name, description, "
                     "number of actors, number of dimensions), found the end of the file");
            else if (!dims_done)
                rerr(&r, line_no + 1, 1, "expected the header line (Actor, Description, "
                     "Power, then a position and a salience column per dimension), found "
                     "the end of the file");
            else
                rerr(&r, line_no + 1, 1, "expected %zu actor line%s as the first line "
                     "declares, found %zu", n_actors, n_actors == 1 ? "" : "s", actor);
            shape_error = 1;
            break;
        }
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        const char *next = eol ? eol + 1 : end;
        if (line_end > p && line_end[-1] == '\r') line_end--;
        line_no++;
        r.line_no = line_no;
        int blank = 1;
        for (const char *q = p; q < line_end; q++)
            if (!is_space(*q) && *q != '\r') blank = 0;
        if (dims_done && actor >= n_actors) {
            /* Past the declared actors: KTAB ignores the rest. */
            if (!blank && !warned_extra) {
                rwarn(&r, line_no, 1, "expected no more actor lines (the first line "
                      "declares %zu actors), found more; ignored", n_actors);
                warned_extra = 1;
            }
            p = next;
            if (r.oom) break;
            continue;
        }
        if (blank) {
            rerr(&r, line_no, 1, "expected %s, found an empty line",
                 !header_done ? "the scenario line (name, description, number of actors, "
                                "number of dimensions)"
                 : !dims_done ? "the header line (Actor, Description, Power, then a "
                                "position and a salience column per dimension)"
                              : "an actor line (name, description, capability, then a "
                                "position and a salience per dimension)");
            shape_error = 1;
            break;
        }
        if (!split_line(&r, p, line_end)) {
            shape_error = 1;
            break;
        }
        p = next;
        if (!header_done) {
            header_done = 1;
            if (r.n_fields < 4) {
                rerr(&r, line_no, 1, "expected 4 fields (name, description, number of "
                     "actors, number of dimensions), found %zu", r.n_fields);
                shape_error = 1;
                break;
            }
            int ok = field_text(&r, &r.fields[0], "a scenario name", 0, MAX_SCEN_NAME,
                                &scen_name);
            ok &= field_text(&r, &r.fields[1], "a scenario description", 0, MAX_SCEN_DESC,
                             &scen_desc);
            size_t before = r.n_errors;
            ok &= field_count(&r, &r.fields[2], "the number of actors", PL_SMP_MIN_ACTORS,
                              PL_SMP_MAX_ACTORS, &n_actors);
            ok &= field_count(&r, &r.fields[3], "the number of dimensions", 1, MAX_DIMS,
                              &n_dims);
            if (r.n_errors > before) {
                /* without the counts the rest cannot be read */
                shape_error = 1;
                break;
            }
            if (!ok) break;
            continue;
        }
        if (!dims_done) {
            dims_done = 1;
            size_t need = 3 + 2 * n_dims;
            if (r.n_fields < need) {
                rerr(&r, line_no, 1, "expected %zu header fields (Actor, Description, "
                     "Power, then a position and a salience column for each of the %zu "
                     "dimension%s), found %zu", need, n_dims, n_dims == 1 ? "" : "s",
                     r.n_fields);
                shape_error = 1;
                break;
            }
            rc = pl_smp_data_new(n_actors, n_dims, &d);
            if (rc != PL_OK) break;
            if (!(d->source = pl__strdup(name))) {
                r.oom = 1;
                break;
            }
            pl__free(d->name);
            d->name = scen_name;
            d->description = scen_desc;
            scen_name = scen_desc = NULL;
            for (size_t k = 0; k < n_dims; k++) {
                const field *f = &r.fields[3 + 2 * k];
                char *dn = NULL;
                if (!field_text(&r, f, "a dimension name", 0, MAX_DIM_NAME, &dn)) continue;
                if (dn[0]) {
                    pl__free(d->dim_names[k]);
                    d->dim_names[k] = dn;
                } else {
                    pl__free(dn);
                }
            }
            if (r.oom) break;
            continue;
        }
        /* An actor line. */
        size_t need = 3 + 2 * n_dims;
        if (r.n_fields < need) {
            rerr(&r, line_no, 1, "expected %zu fields (name, description, capability, "
                 "then a position and a salience for each of the %zu dimension%s), found %zu",
                 need, n_dims, n_dims == 1 ? "" : "s", r.n_fields);
            shape_error = 1;
            actor++;
            if (r.n_errors > MAX_ERRORS) break;
            continue;
        }
        char *an = NULL, *ad = NULL;
        if (field_text(&r, &r.fields[0], "an actor name", 1, MAX_ACT_NAME, &an)) {
            pl__free(d->actor_names[actor]);
            d->actor_names[actor] = an;
        }
        if (field_text(&r, &r.fields[1], "an actor description", 0, MAX_ACT_DESC, &ad)) {
            if (ad[0]) d->actor_descs[actor] = ad;
            else pl__free(ad);
        }
        double cap;
        size_t before = r.n_errors;
        if (field_number(&r, &r.fields[2], "a capability (a number)", &cap)) {
            if (!(cap > 0 && cap < MAX_CAPABILITY))
                rerr(&r, line_no, r.fields[2].col, "expected a capability greater than 0 "
                     "and less than 1e8, found %s", cap == 0 ? "0" : "a value off that range");
            d->capability[actor] = cap;
        } else {
            shape_error = 1;
        }
        double sal_sum = 0;
        int sum_reported = 0;
        for (size_t k = 0; k < n_dims; k++) {
            const field *fp = &r.fields[3 + 2 * k], *fs = &r.fields[4 + 2 * k];
            double x, s;
            if (field_number(&r, fp, "a position (a number from 0 to 100)", &x)) {
                if (!(x >= 0 && x <= 100)) {
                    char found[64];
                    shown(fp, found, sizeof found);
                    rerr(&r, line_no, fp->col, "expected a position from 0 to 100, found %s",
                         found);
                }
                d->position[actor * n_dims + k] = x;
            } else {
                shape_error = 1;
            }
            if (field_number(&r, fs, "a salience (a number from 0 to 100)", &s)) {
                if (!(s >= 0 && s <= 100)) {
                    char found[64];
                    shown(fs, found, sizeof found);
                    rerr(&r, line_no, fs->col, "expected a salience from 0 to 100, found %s",
                         found);
                } else {
                    sal_sum += s;
                    if (sal_sum > 100 && !sum_reported) {
                        char shown_sum[32];
                        rerr(&r, line_no, fs->col, "expected the actor's saliences to sum "
                             "to at most 100, found %s up to this column",
                             exact(sal_sum, shown_sum, sizeof shown_sum));
                        sum_reported = 1;
                    }
                }
                d->salience[actor * n_dims + k] = s;
            } else {
                shape_error = 1;
            }
        }
        if (r.n_errors == before && !(sal_sum > 0))
            rerr(&r, line_no, r.fields[4].col, "expected a positive salience on some "
                 "dimension, found none (KTAB would divide by zero)");
        actor++;
        if (r.oom || r.n_errors > MAX_ERRORS) break;
    }
    pl__free(scen_name);
    pl__free(scen_desc);
    pl__free(r.fields);
    pl__free(r.unq);
    if (rc == PL_OK) rc = reader_status(&r);
    if (rc == PL_OK && r.n_errors > MAX_ERRORS) {
        if (diag_add(diags, PL_SEV_ERROR, name, 0, 0, "stopped after %d errors",
                     MAX_ERRORS) != PL_OK)
            rc = PL_ENOMEM;
    }
    if (rc == PL_OK && r.n_errors) rc = shape_error ? PL_EPARSE : PL_EINPUT;
    if (rc != PL_OK) {
        pl_smp_data_free(d);
        return rc;
    }
    *out = d;
    return PL_OK;
}

pl_status pl_smp_read_ktab_file(const char *path, pl_diags *diags, pl_smp_data **out) {
    if (!path || !out) return PL_EINVAL;
    *out = NULL;
    char *text;
    size_t len;
    pl_status rc = io_file_read(path, diags, &text, &len);
    if (rc != PL_OK) return rc;
    rc = pl_smp_read_ktab_buffer(text, len, path, diags, out);
    pl__free(text);
    return rc;
}

/* ------------------------------------------------------------------------
** Writing KTAB CSV
*/
/* A text field for KTAB's reader: commas and quotes would split or be
** trimmed there, so they become spaces and apostrophes. */
static void ktab_text(buf *b, const char *s) {
    for (; s && *s; s++) buf_putc(b, *s == ',' ? ' ' : *s == '"' ? '\'' : *s);
}

pl_status pl_smp_data_to_ktab_csv(const pl_smp_data *d, char **out) {
    if (!d || !out) return PL_EINVAL;
    *out = NULL;
    buf b = {0};
    ktab_text(&b, d->name);
    buf_putc(&b, ',');
    ktab_text(&b, d->description);
    buf_printf(&b, ",%zu,%zu,\n", d->n_actors, d->n_dims);
    buf_puts(&b, "Actor,Description,Power");
    for (size_t k = 0; k < d->n_dims; k++) {
        buf_putc(&b, ',');
        ktab_text(&b, d->dim_names[k]);
        buf_puts(&b, ",Sal");
        ktab_text(&b, d->dim_names[k]);
    }
    buf_puts(&b, ",\n");
    for (size_t i = 0; i < d->n_actors; i++) {
        ktab_text(&b, d->actor_names[i]);
        buf_putc(&b, ',');
        ktab_text(&b, d->actor_descs[i]);
        buf_printf(&b, ",%.10g", d->capability[i]);
        for (size_t k = 0; k < d->n_dims; k++)
            buf_printf(&b, ",%.6f,%.6f", d->position[i * d->n_dims + k],
                       d->salience[i * d->n_dims + k]);
        buf_puts(&b, ",\n");
    }
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}

/* ------------------------------------------------------------------------
** A parley scenario as model input
*/
pl_status pl_smp_data_from_scenario(const pl_scenario *s, pl_smp_salience_norm norm,
                                    pl_diags *diags, pl_smp_data **out) {
    if (!s || !out || (unsigned)norm > PL_SMP_SAL_UNIT) return PL_EINVAL;
    *out = NULL;
    size_t n_all = pl_scenario_n_actors(s), nd = pl_scenario_n_issues(s);
    char where[80];
    snprintf(where, sizeof where, "scenario:%s", pl_scenario_id(s));
    if (nd == 0) {
        if (diag_add(diags, PL_SEV_ERROR, where, 0, 0,
                     "expected at least one issue, found none") != PL_OK)
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
        double total = 0;
        for (size_t k = 0; rc == PL_OK && k < nd; k++) {
            const pl_issue *is = pl_scenario_issue(s, k);
            const pl_position *ps = pl_scenario_stake(s, keep[i], k);
            double x = ps ? ps->position : is->has_status_quo ? is->status_quo
                                                              : (is->min + is->max) / 2;
            double x100 = 100 * (x - is->min) / (is->max - is->min);
            if (x100 < 0) x100 = 0; /* rounding at the ends of the scale */
            if (x100 > 100) x100 = 100;
            double sal = ps ? ps->salience : 0;
            d->position[i * nd + k] = x100;
            d->salience[i * nd + k] = sal;
            total += sal;
        }
        for (size_t k = 0; rc == PL_OK && k < nd; k++) {
            double *sal = &d->salience[i * nd + k];
            if (norm == PL_SMP_SAL_DIVIDE) *sal /= (double)nd;
            else if (norm == PL_SMP_SAL_UNIT || total > 100) *sal = 100 * *sal / total;
        }
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
