/*
** io_ktab.c: KTAB's CSV format for the input of the spatial model of
** politics (pl_smp_data, models/smp_data.c) -- reading it and writing it
** back.
**
** KTAB's reader (smpc's SMPModel::csvRead, minicsv) splits lines at commas,
** trims quotes from text fields and asserts its limits; a bad file crashes
** or silently reads zeros.  This reader keeps KTAB's limits and gives each
** problem a place and a message: FILE:LINE:COL: expected ..., found ....
*/
#include "models/smp_data.h"

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

/* KTAB's Model limits (kmodel.h); smpc's capability sanity check is
** SMP_MAX_CAPABILITY (models/smp_data.h). */
#define MAX_SCEN_NAME 512
#define MAX_SCEN_DESC 512
#define MAX_ACT_NAME 25
#define MAX_ACT_DESC 256
#define MAX_DIM_NAME 256
#define MAX_DIMS 1000000
#define MAX_ERRORS 20

/* ------------------------------------------------------------------------
** KTAB CSV: lines and fields
*/
typedef struct field {
    const char *text; /* points into the line, or into an unquoted copy */
    size_t len;
    int col; /* 1-based column of the field's first character */
} field;

typedef struct reader {
    diag_sink ds; /* the file's name and its diagnostics; MAX_ERRORS kept */
    /* the current line */
    int line_no;
    field *fields;
    size_t n_fields, n_alloc;
    char *unq; /* storage for unquoted fields of the current line */
    size_t unq_alloc;
} reader;

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
            r->ds.oom = 1;
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
                r->ds.oom = 1;
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
                diag_error(&r->ds, r->line_no, f->col,
                           "expected a closing quote for the field "
                           "opened here, found the end of the line");
                return 0;
            }
            while (q < end && is_space(*q)) q++;
            if (q < end && *q != ',') {
                diag_error(&r->ds, r->line_no, (int)(q - line_start) + 1,
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
        r->ds.oom = 1;
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
    diag_error(&r->ds, r->line_no, f ? f->col : 1, "expected %s, found %s", what, found);
    return 0;
}

/* Parse a field as an integer in [lo, hi]. */
static int field_count(reader *r, const field *f, const char *what, size_t lo, size_t hi,
                       size_t *out) {
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
            diag_error(&r->ds, r->line_no, f->col, "expected %s from %zu to %zu, found %s", what,
                       lo, hi, tmp);
            return 0;
        }
    }
    shown(f, found, sizeof found);
    diag_error(&r->ds, r->line_no, f ? f->col : 1,
               "expected %s (an integer from %zu to %zu), found %s", what, lo, hi, found);
    return 0;
}

/* A text field within a length limit; stores a copy in *out. */
static int field_text(reader *r, const field *f, const char *what, size_t min_len, size_t max_len,
                      char **out) {
    *out = NULL;
    size_t chars = 0;
    for (size_t i = 0; i < f->len; i++)
        if (((unsigned char)f->text[i] & 0xC0) != 0x80) chars++;
    if (chars < min_len || chars > max_len) {
        char found[64];
        shown(f, found, sizeof found);
        if (min_len)
            diag_error(&r->ds, r->line_no, f->col,
                       "expected %s of %zu to %zu characters, found %s (%zu)", what, min_len,
                       max_len, found, chars);
        else
            diag_error(&r->ds, r->line_no, f->col,
                       "expected %s of at most %zu characters, found %s (%zu)", what, max_len,
                       found, chars);
        return 0;
    }
    *out = field_dup(r, f);
    return *out != NULL;
}

static pl_status reader_status(const reader *r) {
    if (r->ds.oom) return PL_ENOMEM;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** KTAB CSV: the reader, line by line
*/
/* The lines of a file in order: the scenario line, the header line, then
** one line per actor. */
enum { SCENARIO_LINE, HEADER_LINE, ACTOR_LINES };

static const char *const line_kind[] = {
    "the scenario line (name, description, number of actors, number of dimensions)",
    "the header line (Actor, Description, Power, then a position and a salience column per "
    "dimension)",
    "an actor line (name, description, capability, then a position and a salience per "
    "dimension)",
};

/* A KTAB file being read. */
typedef struct ktab {
    reader r;
    int phase;                   /* the line expected next (enum above) */
    char *scen_name, *scen_desc; /* from the scenario line, until the data takes them */
    size_t n_actors, n_dims;     /* as the scenario line declares */
    size_t actor;                /* actor lines read */
    pl_smp_data *d;              /* made when the header line is read */
    pl_status rc;                /* of making it */
    int shape_error;             /* a line's shape is wrong: PL_EPARSE, not PL_EINPUT */
} ktab;

static int is_blank(const char *p, const char *end) {
    for (; p < end; p++)
        if (!is_space(*p) && *p != '\r') return 0;
    return 1;
}

/* The first NUL byte (at z) as an error at its line and column. */
static pl_status refuse_nul(const char *text, const char *z, const char *name, pl_diags *diags) {
    int line = 1, col = 1;
    for (const char *q = text; q < z; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else col++;
    }
    diag_add(diags, PL_SEV_ERROR, name, line, col, "expected a text file, found a NUL byte");
    return PL_EPARSE;
}

/* The file ended before the lines it declares. */
static void missing_lines(ktab *k) {
    reader *r = &k->r;
    if (k->phase < ACTOR_LINES)
        diag_error(&r->ds, r->line_no + 1, 1, "expected %s, found the end of the file",
                   line_kind[k->phase]);
    else
        diag_error(&r->ds, r->line_no + 1, 1,
                   "expected %zu actor line%s as the first line declares, found %zu", k->n_actors,
                   k->n_actors == 1 ? "" : "s", k->actor);
    k->shape_error = 1;
}

/* The scenario line: name, description, number of actors, number of
** dimensions.  Each line's reader returns 0 when reading cannot go on. */
static int scenario_line(ktab *k) {
    reader *r = &k->r;
    if (r->n_fields < 4) {
        diag_error(&r->ds, r->line_no, 1,
                   "expected 4 fields (name, description, number of actors, number of "
                   "dimensions), found %zu",
                   r->n_fields);
        k->shape_error = 1;
        return 0;
    }
    int ok = field_text(r, &r->fields[0], "a scenario name", 0, MAX_SCEN_NAME, &k->scen_name);
    ok &= field_text(r, &r->fields[1], "a scenario description", 0, MAX_SCEN_DESC, &k->scen_desc);
    size_t before = r->ds.n_errors;
    ok &= field_count(r, &r->fields[2], "the number of actors", PL_SMP_MIN_ACTORS,
                      PL_SMP_MAX_ACTORS, &k->n_actors);
    ok &= field_count(r, &r->fields[3], "the number of dimensions", 1, MAX_DIMS, &k->n_dims);
    if (r->ds.n_errors > before) {
        /* without the counts the rest cannot be read */
        k->shape_error = 1;
        return 0;
    }
    return ok;
}

/* The header line: Actor, Description, Power, then a position and a
** salience column per dimension, named after it.  Makes the data. */
static int header_line(ktab *k) {
    reader *r = &k->r;
    size_t n_dims = k->n_dims, need = 3 + 2 * n_dims;
    if (r->n_fields < need) {
        diag_error(&r->ds, r->line_no, 1,
                   "expected %zu header fields (Actor, Description, Power, then a position "
                   "and a salience column for each of the %zu dimension%s), found %zu",
                   need, n_dims, n_dims == 1 ? "" : "s", r->n_fields);
        k->shape_error = 1;
        return 0;
    }
    k->rc = pl_smp_data_new(k->n_actors, n_dims, &k->d);
    if (k->rc != PL_OK) return 0;
    pl_smp_data *d = k->d;
    if (!(d->source = pl__strdup(r->ds.file))) {
        r->ds.oom = 1;
        return 0;
    }
    pl__free(d->name);
    d->name = k->scen_name;
    d->description = k->scen_desc;
    k->scen_name = k->scen_desc = NULL;
    for (size_t j = 0; j < n_dims; j++) {
        char *dn = NULL;
        if (!field_text(r, &r->fields[3 + 2 * j], "a dimension name", 0, MAX_DIM_NAME, &dn))
            continue;
        if (dn[0]) {
            pl__free(d->dim_names[j]);
            d->dim_names[j] = dn;
        } else {
            pl__free(dn);
        }
    }
    return !r->ds.oom;
}

/* Actor i's position and salience on each dimension; returns the sum of
** its saliences in range. */
static double actor_stakes(ktab *k, size_t i) {
    reader *r = &k->r;
    pl_smp_data *d = k->d;
    size_t n_dims = k->n_dims;
    double sal_sum = 0;
    int sum_reported = 0;
    for (size_t j = 0; j < n_dims; j++) {
        const field *fp = &r->fields[3 + 2 * j], *fs = &r->fields[4 + 2 * j];
        double x, s;
        if (field_number(r, fp, "a position (a number from 0 to 100)", &x)) {
            if (!(x >= 0 && x <= 100)) {
                char found[64];
                shown(fp, found, sizeof found);
                diag_error(&r->ds, r->line_no, fp->col,
                           "expected a position from 0 to 100, found %s", found);
            }
            d->position[i * n_dims + j] = x;
        } else {
            k->shape_error = 1;
        }
        if (field_number(r, fs, "a salience (a number from 0 to 100)", &s)) {
            if (!(s >= 0 && s <= 100)) {
                char found[64];
                shown(fs, found, sizeof found);
                diag_error(&r->ds, r->line_no, fs->col,
                           "expected a salience from 0 to 100, found %s", found);
            } else {
                sal_sum += s;
                if (sal_sum > 100 && !sum_reported) {
                    char shown_sum[32];
                    diag_error(&r->ds, r->line_no, fs->col,
                               "expected the actor's saliences to sum to at most 100, found %s "
                               "up to this column",
                               smp_exact(sal_sum, shown_sum, sizeof shown_sum));
                    sum_reported = 1;
                }
            }
            d->salience[i * n_dims + j] = s;
        } else {
            k->shape_error = 1;
        }
    }
    return sal_sum;
}

/* An actor line: name, description, capability, then a position and a
** salience per dimension. */
static int actor_line(ktab *k) {
    reader *r = &k->r;
    pl_smp_data *d = k->d;
    size_t i = k->actor++, n_dims = k->n_dims, need = 3 + 2 * n_dims;
    if (r->n_fields < need) {
        diag_error(&r->ds, r->line_no, 1,
                   "expected %zu fields (name, description, capability, then a position and "
                   "a salience for each of the %zu dimension%s), found %zu",
                   need, n_dims, n_dims == 1 ? "" : "s", r->n_fields);
        k->shape_error = 1;
        return r->ds.n_errors <= MAX_ERRORS;
    }
    char *an = NULL, *ad = NULL;
    if (field_text(r, &r->fields[0], "an actor name", 1, MAX_ACT_NAME, &an)) {
        pl__free(d->actor_names[i]);
        d->actor_names[i] = an;
    }
    if (field_text(r, &r->fields[1], "an actor description", 0, MAX_ACT_DESC, &ad)) {
        if (ad[0]) d->actor_descs[i] = ad;
        else pl__free(ad);
    }
    double cap;
    size_t before = r->ds.n_errors;
    if (field_number(r, &r->fields[2], "a capability (a number)", &cap)) {
        if (!(cap > 0 && cap < SMP_MAX_CAPABILITY))
            diag_error(&r->ds, r->line_no, r->fields[2].col,
                       "expected a capability greater than 0 and less than 1e8, found %s",
                       cap == 0 ? "0" : "a value off that range");
        d->capability[i] = cap;
    } else {
        k->shape_error = 1;
    }
    double sal_sum = actor_stakes(k, i);
    if (r->ds.n_errors == before && !(sal_sum > 0))
        diag_error(&r->ds, r->line_no, r->fields[4].col,
                   "expected a positive salience on some dimension, found none (KTAB would "
                   "divide by zero)");
    return !r->ds.oom && r->ds.n_errors <= MAX_ERRORS;
}

/* The data, or the status that the errors call for. */
static pl_status finish(ktab *k, pl_smp_data **out) {
    pl__free(k->scen_name);
    pl__free(k->scen_desc);
    pl__free(k->r.fields);
    pl__free(k->r.unq);
    pl_status rc = k->rc;
    if (rc == PL_OK) rc = reader_status(&k->r);
    if (rc == PL_OK && k->r.ds.n_errors > MAX_ERRORS) {
        if (diag_add(k->r.ds.diags, PL_SEV_ERROR, k->r.ds.file, 0, 0, "stopped after %d errors",
                     MAX_ERRORS) != PL_OK)
            rc = PL_ENOMEM;
    }
    if (rc == PL_OK && k->r.ds.n_errors) rc = k->shape_error ? PL_EPARSE : PL_EINPUT;
    if (rc != PL_OK) {
        pl_smp_data_free(k->d);
        return rc;
    }
    *out = k->d;
    return PL_OK;
}

pl_status pl_smp_read_ktab_buffer(const char *text, size_t len, const char *name, pl_diags *diags,
                                  pl_smp_data **out) {
    if (!out || (!text && len)) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "ktab";
    if (!text) text = "";
    pl_status rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    /* KTAB's XML form (io_ktab_xml.c) */
    size_t lead = 0;
    while (lead < len &&
           (text[lead] == ' ' || text[lead] == '\t' || text[lead] == '\r' || text[lead] == '\n'))
        lead++;
    if (lead < len && text[lead] == '<')
        return pl_smp_read_ktab_xml_buffer(text, len, name, diags, out, NULL);
    const char *p = text, *end = text + len;
    const char *nul = memchr(p, 0, len);
    if (nul) return refuse_nul(text, nul, name, diags);

    ktab k;
    memset(&k, 0, sizeof k);
    reader *r = &k.r;
    r->ds.diags = diags;
    r->ds.file = name;
    r->ds.max_errors = MAX_ERRORS;
    int warned_extra = 0;
    while (p < end || (k.phase < ACTOR_LINES && r->line_no < 2) ||
           (k.phase == ACTOR_LINES && k.actor < k.n_actors)) {
        if (p >= end) {
            missing_lines(&k);
            break;
        }
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        const char *next = eol ? eol + 1 : end;
        if (line_end > p && line_end[-1] == '\r') line_end--;
        r->line_no++;
        if (k.phase == ACTOR_LINES && k.actor >= k.n_actors) {
            /* Past the declared actors: KTAB ignores the rest. */
            if (!warned_extra && !is_blank(p, line_end)) {
                diag_warning(&r->ds, r->line_no, 1,
                             "expected no more actor lines (the first line declares %zu "
                             "actors), found more; ignored",
                             k.n_actors);
                warned_extra = 1;
            }
            p = next;
            if (r->ds.oom) break;
            continue;
        }
        if (is_blank(p, line_end)) {
            diag_error(&r->ds, r->line_no, 1, "expected %s, found an empty line",
                       line_kind[k.phase]);
            k.shape_error = 1;
            break;
        }
        if (!split_line(r, p, line_end)) {
            k.shape_error = 1;
            break;
        }
        p = next;
        int go_on = k.phase == SCENARIO_LINE ? scenario_line(&k)
                    : k.phase == HEADER_LINE ? header_line(&k)
                                             : actor_line(&k);
        if (k.phase < ACTOR_LINES) k.phase++;
        if (!go_on) break;
    }
    return finish(&k, out);
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

/* Actor i's saliences as written (caller frees; NULL: out of memory): the
** input's, except that a sum a few units in the last place over 100 (which
** the model accepts, pl_smp_data_check allowing 1e-9) is brought to 100 or
** less by lowering the largest, so that KTAB's reader -- and this one, as
** strict -- take the file. */
static double *fit_saliences(const pl_smp_data *d, size_t i) {
    size_t nd = d->n_dims;
    double *sal = pl__malloc(nd * sizeof *sal);
    if (!sal) return NULL;
    memcpy(sal, d->salience + i * nd, nd * sizeof *sal);
    size_t top = 0;
    for (size_t k = 1; k < nd; k++)
        if (sal[k] > sal[top]) top = k;
    for (int tries = 0; tries < 1000; tries++) {
        double sum = 0;
        for (size_t k = 0; k < nd; k++) sum += sal[k];
        if (!(sum > 100) || sum > 100 + 1e-9) break;
        sal[top] = nextafter(sal[top], 0);
    }
    return sal;
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
        double *sal = fit_saliences(d, i);
        if (!sal) {
            buf_free(&b);
            return PL_ENOMEM;
        }
        for (size_t k = 0; k < d->n_dims; k++) {
            char x[40], y[40];
            buf_printf(&b, ",%s,%s", smp_exact(d->position[i * d->n_dims + k], x, sizeof x),
                       smp_exact(sal[k], y, sizeof y));
        }
        pl__free(sal);
        buf_puts(&b, ",\n");
    }
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}
