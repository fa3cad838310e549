/*
** io_decide.c: the data files of the `decide` exchange model (spec
** ../shared/specs/exchange.md section 2; docs/models/exchange.md), read
** into the exchange model's input (pl_exchange_data, models/).
**
** A delimited text file, TAB, ';' or ',' (told by the character after the
** first row's tag), fields optionally quoted with ' or " (a doubled quote
** inside is one); every row starts with a tag:
**   #A id, full name, comment          an actor
**   #P name, description               an issue
**   #M issue, position, description    a point on the issue's scale
**   #D actor, issue, position, salience, power, comment
**   #O ..., #/ ...                     ignored
** Surplus fields join the last one; blank lines are skipped.  decide is
** silent (or divides by zero) on much that is refused here, each at
** FILE:LINE:COL: undeclared names (declarations may come later), duplicate
** rows, a zero-width scale, a position off its scale, a salience outside
** (0, 1], a power outside (0, 100], an unknown tag.
**
** Three passes over the rows: declarations (#A, #P), scales (#M), stakes
** (#D); names are looked up through core/hash, so the reader is linear.
*/
#include "models/exchange_data.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/hash.h"
#include "core/text.h"
#include "io/io_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 6

typedef struct dfield {
    const char *text; /* into the line, or into the row's unquoted copy */
    size_t len;
    int col;
} dfield;

typedef struct drow {
    char tag; /* 'A', 'P', 'M', 'D', 'O', '/' */
    int line;
    dfield f[MAX_FIELDS]; /* after the tag; missing ones empty */
    int n;                /* fields present after the tag */
} drow;

typedef struct dreader {
    diag_sink ds;
    char delim;
    const char *text;
    size_t len;
    /* unquoted copies of quoted fields and joined surplus fields: room for
    ** twice the text, allocated once, so fields never move */
    char *unq;
    size_t unq_len;
    drow *rows;
    size_t n_rows, a_rows;
    hash actors, issues, stakes;
} dreader;

/* A field's text for a message: quoted, cut at 40 characters. */
static void shown(const dfield *f, char *out, size_t size) {
    if (f->len == 0) {
        snprintf(out, size, "an empty field");
        return;
    }
    size_t n = f->len > 40 ? 40 : f->len;
    char tmp[48];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f->text[i];
        tmp[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    tmp[n] = 0;
    snprintf(out, size, "\"%s%s\"", tmp, f->len > 40 ? "..." : "");
}

/* Characters of [s, s + n) counted as UTF-8 code points (for columns). */
static int chars(const char *s, size_t n) {
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

/* The delimiter: the first non-space character after the first row's tag
** (quoted or not).  0 when there is none to tell. */
static char sniff(const char *p, const char *end) {
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')) p++;
    if (p < end && (*p == '\'' || *p == '"')) {
        char q = *p++;
        while (p < end && *p != q && *p != '\n') p++;
        if (p < end && *p == q) p++;
    } else {
        while (p < end && *p != '\t' && *p != ';' && *p != ',' && *p != '\n') p++;
    }
    while (p < end && *p == ' ') p++;
    return p < end && (*p == '\t' || *p == ';' || *p == ',') ? *p : 0;
}

/* Split one line [p, end) (line number ln) into a row; 0 when it is
** blank or bad (a bad one is reported). */
/* A quoted field from *pp (at its opening quote) into r->unq, doubled
** quotes as one; *pp moves past the delimiter's blanks.  0 on an error. */
static int quoted_field(dreader *r, const char **pp, const char *end, const char *start, int ln,
                        dfield *f) {
    const char *p = *pp;
    char qc = *p++;
    char *o = r->unq + r->unq_len;
    f->text = o;
    int closed = 0;
    while (p < end) {
        if (*p == qc) {
            if (p + 1 < end && p[1] == qc) {
                *o++ = qc;
                p += 2;
                continue;
            }
            closed = 1;
            p++;
            break;
        }
        *o++ = *p++;
    }
    f->len = (size_t)(o - f->text);
    r->unq_len += f->len;
    if (!closed) {
        diag_error(&r->ds, ln, f->col,
                   "expected a closing %c for the field opened here, found the end of "
                   "the line",
                   qc);
        return 0;
    }
    while (p < end && (*p == ' ' || *p == '\r')) p++;
    if (p < end && *p != r->delim) {
        diag_error(&r->ds, ln, chars(start, (size_t)(p - start)) + 1,
                   "expected the delimiter after the closing quote, found '%c'", *p);
        return 0;
    }
    *pp = p;
    return 1;
}

/* The row from its n fields: the tag, then the fields its tag wants, the
** surplus joined to the last one with a space.  0 on a bad tag. */
static int tag_row(dreader *r, const dfield *all, int n, int ln, drow *row) {
    const dfield *tag = &all[0];
    char t = 0;
    if (tag->len == 2 && tag->text[0] == '#' && strchr("APMDO/", tag->text[1])) t = tag->text[1];
    if (!t) {
        char found[64];
        shown(tag, found, sizeof found);
        diag_error(&r->ds, ln, tag->col, "expected a row tag (#A, #P, #M, #D, #O or #/), found %s",
                   found);
        return 0;
    }
    row->tag = t;
    int want = t == 'A' ? 3 : t == 'P' ? 2 : t == 'M' ? 3 : t == 'D' ? 6 : 1;
    row->n = n - 1;
    for (int k = 1; k < n && k <= want; k++) row->f[k - 1] = all[k];
    if (n - 1 > want) {
        dfield *last = &row->f[want - 1];
        char *o = r->unq + r->unq_len;
        memmove(o, last->text, last->len);
        size_t m = last->len;
        for (int k = want + 1; k < n; k++) {
            o[m++] = ' ';
            memmove(o + m, all[k].text, all[k].len);
            m += all[k].len;
        }
        last->text = o;
        last->len = m;
        r->unq_len += m;
    }
    return 1;
}

static int split(dreader *r, const char *p, const char *end, int ln, drow *row) {
    const char *start = p;
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
    if (q == end) return 0; /* blank */
    memset(row, 0, sizeof *row);
    row->line = ln;
    dfield all[64];
    int n = 0;
    for (;;) {
        dfield f = {.col = chars(start, (size_t)(p - start)) + 1};
        if (p < end && (*p == '\'' || *p == '"')) {
            if (!quoted_field(r, &p, end, start, ln, &f)) return 0;
        } else {
            const char *s = p;
            while (p < end && *p != r->delim) p++;
            const char *e = p;
            while (e > s && (e[-1] == '\r' || e[-1] == ' ')) e--;
            f.text = s;
            f.len = (size_t)(e - s);
        }
        if (n == 64) {
            diag_error(&r->ds, ln, f.col, "expected at most 64 fields in a row, found more");
            return 0;
        }
        all[n++] = f;
        if (p >= end) break;
        p++; /* the delimiter */
    }
    return tag_row(r, all, n, ln, row);
}

/* A number field: plain decimals only. */
static int number(dreader *r, const drow *row, int k, const char *what, double *out) {
    const dfield *f = &row->f[k];
    char tmp[64], found[64];
    size_t b = 0, e = f->len;
    while (b < e && f->text[b] == ' ') b++;
    int ok = e - b > 0 && e - b < sizeof tmp;
    for (size_t i = b; i < e && ok; i++) {
        char c = f->text[i];
        ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
    }
    if (ok) {
        memcpy(tmp, f->text + b, e - b);
        tmp[e - b] = 0;
        char *endp;
        errno = 0;
        double x = strtod(tmp, &endp);
        if (endp != tmp && *endp == 0 && isfinite(x)) {
            *out = x;
            return 1;
        }
    }
    shown(f, found, sizeof found);
    diag_error(&r->ds, row->line, f->col ? f->col : 1, "expected %s (a number), found %s", what,
               found);
    return 0;
}

/* The column a missing field would have: after the row's last one. */
static int col_of(const drow *row, int k) {
    if (row->f[k].col) return row->f[k].col;
    for (int i = k - 1; i >= 0; i--)
        if (row->f[i].col) return row->f[i].col + (int)row->f[i].len + 1;
    return 4;
}

static int name_field(dreader *r, const drow *row, int k, const char *what) {
    if (row->f[k].len > 0) return 1;
    diag_error(&r->ds, row->line, col_of(row, k), "expected %s, found %s", what,
               row->n > k ? "an empty field" : "the end of the row");
    return 0;
}

static int grow_rows(dreader *r) {
    if (r->n_rows < r->a_rows) return 1;
    size_t n = r->a_rows ? 2 * r->a_rows : 64;
    drow *rows = pl__realloc(r->rows, n * sizeof *rows);
    if (!rows) {
        r->ds.oom = 1;
        return 0;
    }
    r->rows = rows;
    r->a_rows = n;
    return 1;
}

/* Pass 0: split every line into rows. */
static void read_rows(dreader *r) {
    const char *p = r->text, *end = r->text + r->len;
    int ln = 1;
    while (p < end && !r->ds.oom) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        if (memchr(p, 0, (size_t)(e - p))) {
            const char *z = memchr(p, 0, (size_t)(e - p));
            diag_error(&r->ds, ln, chars(p, (size_t)(z - p)) + 1,
                       "expected text, found a NUL byte");
        } else if (grow_rows(r)) {
            drow row;
            if (split(r, p, e, ln, &row)) r->rows[r->n_rows++] = row;
        }
        p = e < end ? e + 1 : end;
        ln++;
    }
}

/* What the passes after the declarations fill in. */
typedef struct dbuild {
    pl_exchange_data *d;
    size_t n_actors, n_issues;
    unsigned char *scaled; /* per issue: 0 no #M row, 1 scaled, 2 a bad scale */
    int *scale_line;       /* per issue: its last #M row */
} dbuild;

/* Pass 1: the #A and #P rows declare actors and issues, each name once; a
** row that declares nothing becomes 'O' for the later passes. */
static void declare(dreader *r, size_t *n_actors, size_t *n_issues) {
    for (size_t i = 0; i < r->n_rows && !r->ds.oom; i++) {
        drow *row = &r->rows[i];
        if (row->tag != 'A' && row->tag != 'P') continue;
        int a = row->tag == 'A';
        if (!name_field(r, row, 0, a ? "an actor id" : "an issue name")) {
            row->tag = 'O'; /* not declared: later passes must not count it */
            continue;
        }
        hash *h = a ? &r->actors : &r->issues;
        size_t existing;
        int got = hash_add(h, row->f[0].text, row->f[0].len, a ? *n_actors : *n_issues, &existing);
        if (got < 0) {
            r->ds.oom = 1;
            break;
        }
        if (got == 0) {
            char found[64];
            shown(&row->f[0], found, sizeof found);
            diag_error(&r->ds, row->line, row->f[0].col,
                       "expected a new %s, found %s declared before", a ? "actor" : "issue", found);
            row->tag = 'O';
            continue;
        }
        if (a) (*n_actors)++;
        else (*n_issues)++;
    }
}

/* The declared names into the data, in order. */
static void copy_names(dreader *r, pl_exchange_data *d) {
    size_t a_i = 0, k_i = 0;
    for (size_t i = 0; i < r->n_rows && !r->ds.oom; i++) {
        const drow *row = &r->rows[i];
        if (row->tag == 'A') {
            const dfield *full = row->f[1].len ? &row->f[1] : &row->f[0];
            if (!(d->actor_ids[a_i] = exchange_strndup(row->f[0].text, row->f[0].len)) ||
                !(d->actor_names[a_i] = exchange_strndup(full->text, full->len)))
                r->ds.oom = 1;
            a_i++;
        } else if (row->tag == 'P') {
            if (!(d->issue_ids[k_i] = exchange_strndup(row->f[0].text, row->f[0].len)))
                r->ds.oom = 1;
            k_i++;
        }
    }
}

/* Pass 2: the #M rows give each issue its scale, the lowest to the highest
** position named; an issue without one is 0-100. */
static void read_scales(dreader *r, dbuild *b) {
    pl_exchange_data *d = b->d;
    for (size_t i = 0; i < r->n_rows && !r->ds.oom; i++) {
        const drow *row = &r->rows[i];
        if (row->tag != 'M') continue;
        if (!name_field(r, row, 0, "an issue name")) continue;
        size_t k;
        if (!hash_find(&r->issues, row->f[0].text, row->f[0].len, &k)) {
            char found[64];
            shown(&row->f[0], found, sizeof found);
            diag_error(&r->ds, row->line, row->f[0].col,
                       "expected an issue declared by a #P row, found %s", found);
            continue;
        }
        double x;
        if (!number(r, row, 1, "a position on the issue's scale", &x)) continue;
        if (!(fabs(x) <= PL_MAX_SCALE)) { /* as every reader: the scenario's range */
            diag_error(&r->ds, row->line, row->f[1].col ? row->f[1].col : 1,
                       "expected a position from %g to %g, found %g", -PL_MAX_SCALE, PL_MAX_SCALE,
                       x);
            continue;
        }
        if (!b->scaled[k]) d->lower[k] = d->upper[k] = x;
        if (x < d->lower[k]) d->lower[k] = x;
        if (x > d->upper[k]) d->upper[k] = x;
        b->scaled[k] = 1;
        b->scale_line[k] = row->line;
    }
    for (size_t k = 0; k < b->n_issues && !r->ds.oom; k++) {
        if (!b->scaled[k]) {
            d->lower[k] = 0;
            d->upper[k] = 100;
        } else if (!(d->lower[k] < d->upper[k])) {
            diag_error(&r->ds, b->scale_line[k], 1,
                       "expected #M rows giving issue \"%s\" a scale from a lower to a higher "
                       "position, found only %g",
                       d->issue_ids[k], d->lower[k]);
            d->upper[k] = d->lower[k] + 1; /* go on checking the rest */
            b->scaled[k] = 2;              /* but not positions on it */
        }
    }
}

/* The values of #D row i on actor a and issue k: checked, then stored on
** the issue's 0-100 scale. */
static void stake_values(dreader *r, dbuild *b, size_t i, size_t a, size_t k) {
    const drow *row = &r->rows[i];
    pl_exchange_data *d = b->d;
    double x, s, c;
    if (!number(r, row, 2, "a position", &x) || !number(r, row, 3, "a salience", &s) ||
        !number(r, row, 4, "a power", &c))
        return;
    size_t pair[2] = {a, k}, existing;
    int got = hash_add(&r->stakes, pair, sizeof pair, i, &existing);
    if (got < 0) {
        r->ds.oom = 1;
        return;
    }
    if (got == 0) {
        diag_error(&r->ds, row->line, 1,
                   "expected one #D row per actor and issue, found a second for \"%s\" on "
                   "\"%s\" (the first on line %d)",
                   d->actor_ids[a], d->issue_ids[k], r->rows[existing].line);
        return;
    }
    int bad = 0;
    if (b->scaled[k] != 2 && (x < d->lower[k] || x > d->upper[k])) {
        diag_error(&r->ds, row->line, row->f[2].col,
                   "expected a position on the scale of \"%s\", %g to %g, found %g",
                   d->issue_ids[k], d->lower[k], d->upper[k], x);
        bad = 1;
    }
    if (!(s > 0 && s <= 1)) {
        diag_error(&r->ds, row->line, row->f[3].col,
                   "expected a salience above 0 and at most 1, found %g%s", s,
                   s == 0 ? " (the model divides by it; leave the row out instead)" : "");
        bad = 1;
    }
    if (!(c > 0 && c <= 100)) {
        diag_error(&r->ds, row->line, row->f[4].col,
                   "expected a power above 0 and at most 100, found %g%s", c,
                   c == 0 ? " (the model divides by it; leave the row out instead)" : "");
        bad = 1;
    }
    if (bad) return;
    size_t ix = a * b->n_issues + k;
    d->has[ix] = 1;
    d->x[ix] = (x - d->lower[k]) * 100 / (d->upper[k] - d->lower[k]);
    d->s[ix] = s;
    d->c[ix] = c;
}

/* Pass 3: the #D rows, each naming a declared actor and issue. */
static void read_stakes(dreader *r, dbuild *b) {
    for (size_t i = 0; i < r->n_rows && !r->ds.oom; i++) {
        const drow *row = &r->rows[i];
        if (row->tag != 'D') continue;
        if (!name_field(r, row, 0, "an actor id") || !name_field(r, row, 1, "an issue name"))
            continue;
        size_t a, k;
        char found[64];
        if (!hash_find(&r->actors, row->f[0].text, row->f[0].len, &a)) {
            shown(&row->f[0], found, sizeof found);
            diag_error(&r->ds, row->line, row->f[0].col,
                       "expected an actor declared by an #A row, found %s", found);
            continue;
        }
        if (!hash_find(&r->issues, row->f[1].text, row->f[1].len, &k)) {
            shown(&row->f[1], found, sizeof found);
            diag_error(&r->ds, row->line, row->f[1].col,
                       "expected an issue declared by a #P row, found %s", found);
            continue;
        }
        stake_values(r, b, i, a, k);
    }
}

/* The rows into the data: declarations, names, scales, stakes. */
static pl_status build(dreader *r, pl_exchange_data **out) {
    dbuild b;
    memset(&b, 0, sizeof b);
    declare(r, &b.n_actors, &b.n_issues);
    if (r->ds.oom) return PL_ENOMEM;
    pl_exchange_data *d = b.d = exchange_data_alloc(b.n_actors, b.n_issues);
    if (!d) return PL_ENOMEM;
    if (!(d->name = exchange_strndup(r->ds.file, strlen(r->ds.file)))) r->ds.oom = 1;
    b.scaled = pl__calloc(b.n_issues + 1, 1);
    b.scale_line = pl__calloc(b.n_issues + 1, sizeof(int));
    if (!b.scaled || !b.scale_line) r->ds.oom = 1;
    copy_names(r, d);
    read_scales(r, &b);
    read_stakes(r, &b);
    if (!r->ds.oom && r->ds.n_errors == 0 && (b.n_actors == 0 || b.n_issues == 0))
        diag_error(&r->ds, 0, 0, "expected #A and #P rows declaring actors and issues, found %s",
                   b.n_actors ? "no issue" : "no actor");
    pl__free(b.scaled);
    pl__free(b.scale_line);
    if (r->ds.oom || r->ds.n_errors) {
        pl_exchange_data_free(d);
        return r->ds.oom ? PL_ENOMEM : PL_EINPUT;
    }
    *out = d;
    return PL_OK;
}

pl_status pl_exchange_read_buffer(const char *text, size_t len, const char *name, pl_diags *diags,
                                  pl_exchange_data **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!text && len) return PL_EINVAL;
    if (!name) name = "decide input";
    if (!text) text = "";
    pl_status rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    dreader r;
    memset(&r, 0, sizeof r);
    r.ds.diags = diags;
    r.ds.file = name;
    r.ds.max_errors = PL_MAX_ERRORS_PER_FILE;
    r.text = text;
    r.len = len;
    r.delim = sniff(text, text + len);
    if (!r.delim) {
        diag_error(&r.ds, 1, 1,
                   "expected a decide data file: rows of a tag (#A, #P, #M, #D) and fields "
                   "separated by TAB, ';' or ',', found %s",
                   len ? "no delimiter after the first field" : "an empty file");
        return r.ds.oom ? PL_ENOMEM : PL_EPARSE;
    }
    r.unq = pl__malloc(2 * len + 2);
    if (!r.unq) return PL_ENOMEM;
    read_rows(&r);
    if (r.ds.oom) rc = PL_ENOMEM;
    else rc = build(&r, out);
    if (rc == PL_OK && r.ds.n_errors) {
        pl_exchange_data_free(*out);
        *out = NULL;
        rc = PL_EINPUT;
    }
    pl__free(r.unq);
    pl__free(r.rows);
    hash_free(&r.actors);
    hash_free(&r.issues);
    hash_free(&r.stakes);
    return rc;
}

pl_status pl_exchange_read_file(const char *path, pl_diags *diags, pl_exchange_data **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!path) return PL_EINVAL;
    char *buf;
    size_t len;
    pl_status rc = io_file_read(path, diags, &buf, &len);
    if (rc != PL_OK) return rc;
    rc = pl_exchange_read_buffer(buf, len, path, diags, out);
    pl__free(buf);
    return rc;
}
