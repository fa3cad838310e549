/*
** io_csv.c: the simple CSV layout of one-issue data sets, as published for
** the expected utility model (e.g. ../shared/data/emission):
**
**     Actor,Capability,Position,Salience
**     Netherlands,0.08,4,0.8
**
** A header names the columns (any order, any case; other columns are
** ignored with a warning).  Salience is a fraction 0-1 when no value
** exceeds 1 (the published data sets), else 0-100.  The result is a parley
** scenario with one issue whose scale runs from the lowest to the highest
** position.  Fields may be quoted ("..."), lines end in LF or CRLF, blank
** lines are skipped.
*/
#include "core/alloc.h"
#include "core/diag.h"
#include "core/hash.h"
#include "parley.h"
#include "scenario/scenario_int.h"
#include "core/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64
#define MAX_FIELD 1024

typedef struct field {
    char text[MAX_FIELD];
    int column; /* 1-based, in characters */
} field;

typedef struct row {
    field fields[MAX_FIELDS];
    int n_fields;
    int line;
} row;

typedef struct reader {
    const char *p, *end;
    int line;
    diag_sink ds; /* the file's name and its diagnostics */
} reader;

/* The text of a quoted field (r->p at its opening quote) into f->text,
** up to the closing quote; "" stands for a quote.  Returns the field's
** length, or -1 at the end of the input (reported). */
static long read_quoted(reader *r, int line, field *f, int *column) {
    size_t len = 0;
    r->p++;
    (*column)++;
    for (;;) {
        if (r->p >= r->end) {
            diag_error(&r->ds, line, f->column,
                       "expected a closing quote for the field, found the end of the file");
            return -1;
        }
        char c = *r->p;
        if (c == '"') {
            r->p++;
            (*column)++;
            if (r->p >= r->end || *r->p != '"') return (long)len; /* closed */
        }
        if (c == '\n') {
            r->line++;
            *column = 0;
        }
        if (len + 1 < MAX_FIELD) f->text[len++] = c;
        r->p++;
        if (((unsigned char)c & 0xC0) != 0x80) (*column)++;
    }
}

/* Read one record; returns 0 at the end of input, -1 on a malformed record
** (reported), 1 otherwise. */
static int read_row(reader *r, row *out) {
    /* skip blank lines */
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        if (*r->p == '\n') r->line++;
        r->p++;
    }
    if (r->p >= r->end) return 0;
    out->n_fields = 0;
    out->line = r->line;
    int column = 1, bad = 0;
    for (;;) {
        if (out->n_fields == MAX_FIELDS) {
            diag_error(&r->ds, r->line, column, "expected at most %d fields on a line, found more",
                       MAX_FIELDS);
            bad = 1;
        }
        field *f = &out->fields[bad ? MAX_FIELDS - 1 : out->n_fields];
        size_t len = 0;
        f->column = column;
        int quoted = r->p < r->end && *r->p == '"';
        if (quoted) {
            long n = read_quoted(r, out->line, f, &column);
            if (n < 0) return -1;
            len = (size_t)n;
        }
        while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
            char c = *r->p++;
            if (quoted && !bad) {
                diag_error(
                    &r->ds, r->line, column,
                    "expected a comma or the end of the line after a quoted field, found '%c'", c);
                bad = 1;
            }
            if (c == '"' && !bad) {
                diag_error(&r->ds, r->line, column,
                           "expected no quote inside an unquoted field, found '\"'");
                bad = 1;
            }
            if (c == 0 && !bad) {
                diag_error(&r->ds, r->line, column, "expected text, found a NUL byte");
                bad = 1;
            }
            if (len + 1 < MAX_FIELD) f->text[len++] = c;
            if (((unsigned char)c & 0xC0) != 0x80) column++;
        }
        f->text[len] = 0;
        if (!bad) out->n_fields++;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            column++;
            continue;
        }
        if (r->p < r->end && *r->p == '\r') r->p++;
        if (r->p < r->end && *r->p == '\n') {
            r->p++;
            r->line++;
        }
        return bad ? -1 : 1;
    }
}

static void trim(char *s) {
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    size_t k = 0;
    while (s[k] && isspace((unsigned char)s[k])) k++;
    if (k) memmove(s, s + k, n - k + 1);
}

static int strcasecmp_ascii(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
        if (x != y) return x - y;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int parse_number(const char *s, double *out) {
    char *end;
    errno = 0;
    if (!*s) return 0;
    double x = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(x)) return 0;
    *out = x;
    return 1;
}

enum { COL_ACTOR, COL_CAP, COL_POS, COL_SAL, N_COLS };
static const char *const col_names[N_COLS] = {"actor", "capability", "position", "salience"};

typedef struct entry {
    size_t name; /* the actor's name: its offset in the reader's names */
    double cap, pos, sal;
    int line, column[N_COLS];
} entry;

/* An id from a name: letters and digits kept, others become '_'. */
static void make_id(const char *name, char *id, size_t size, size_t index) {
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < size && k < 48; p++) {
        unsigned char c = (unsigned char)*p;
        id[k++] = (char)(isalnum(c) && c < 128 ? tolower(c) : '_');
    }
    id[k] = 0;
    if (k == 0) snprintf(id, size, "actor%zu", index + 1);
}

/* The actor lines kept so far. */
typedef struct table {
    entry *entries;
    size_t n_entries, n_alloc;
    char *names; /* the actors' names, one after another */
    size_t names_len, names_alloc;
    hash seen; /* name -> entry, for duplicates */
} table;

/* The header line (got: what read_row said of it): which column holds
** what, in cols. */
static void read_header(reader *r, row *rw, int got, int cols[N_COLS]) {
    if (got == 0) {
        diag_error(&r->ds, 1, 1,
                   "expected a header line (Actor,Capability,Position,Salience), found an empty "
                   "file");
        return;
    }
    if (got < 0) return;
    for (int i = 0; i < rw->n_fields; i++) {
        trim(rw->fields[i].text);
        int known = 0;
        for (int c = 0; c < N_COLS; c++)
            if (strcasecmp_ascii(rw->fields[i].text, col_names[c]) == 0) {
                if (cols[c] >= 0)
                    diag_error(&r->ds, rw->line, rw->fields[i].column,
                               "expected one column \"%s\", found a second", col_names[c]);
                cols[c] = i;
                known = 1;
            }
        if (!known)
            diag_warning(&r->ds, rw->line, rw->fields[i].column,
                         "unknown column \"%s\" (expected Actor, Capability, Position, "
                         "Salience); ignored",
                         rw->fields[i].text);
    }
    for (int c = 0; c < N_COLS; c++)
        if (cols[c] < 0)
            diag_error(&r->ds, rw->line, 1, "expected a column \"%s\" in the header, found none",
                       col_names[c]);
}

/* An actor line's name and numbers into e, each checked; returns 1 if they
** are good.  *name points into the row. */
static int entry_values(reader *r, row *rw, const int cols[N_COLS], entry *e, char **name) {
    e->line = rw->line;
    for (int c = 0; c < N_COLS; c++) e->column[c] = rw->fields[cols[c]].column;
    char *ename = *name = rw->fields[cols[COL_ACTOR]].text;
    trim(ename);
    int ok = 1;
    if (!ename[0]) {
        diag_error(&r->ds, e->line, e->column[COL_ACTOR],
                   "expected an actor name, found an empty field");
        ok = 0;
    }
    double *vals[] = {NULL, &e->cap, &e->pos, &e->sal};
    for (int c = COL_CAP; c <= COL_SAL; c++) {
        char *t = rw->fields[cols[c]].text;
        trim(t);
        if (!parse_number(t, vals[c])) {
            diag_error(&r->ds, e->line, e->column[c],
                       "expected a finite number for %s, found \"%s\"", col_names[c], t);
            ok = 0;
        }
    }
    if (ok && !(e->cap > 0 && e->cap <= PL_MAX_CAPABILITY)) {
        diag_error(&r->ds, e->line, e->column[COL_CAP],
                   "expected a capability greater than 0 and at most %g, found %g",
                   PL_MAX_CAPABILITY, e->cap);
        ok = 0;
    }
    if (ok && !(fabs(e->pos) <= PL_MAX_SCALE)) {
        diag_error(&r->ds, e->line, e->column[COL_POS],
                   "expected a position from %g to %g, found %g", -PL_MAX_SCALE, PL_MAX_SCALE,
                   e->pos);
        ok = 0;
    }
    if (ok && (e->sal < 0 || e->sal > 100)) {
        diag_error(&r->ds, e->line, e->column[COL_SAL],
                   "expected a salience from 0 to 1 (or 0 to 100), found %g", e->sal);
        ok = 0;
    }
    return ok;
}

/* An actor line (got: what read_row said of it), kept in t when good.
** Returns 0 when out of memory. */
static int read_actor(reader *r, row *rw, const int cols[N_COLS], table *t) {
    int need = 0;
    for (int c = 0; c < N_COLS; c++)
        if (cols[c] + 1 > need) need = cols[c] + 1;
    if (rw->n_fields < need) {
        diag_error(&r->ds, rw->line, rw->fields[rw->n_fields - 1].column,
                   "expected %d fields, found %d", need, rw->n_fields);
        return 1;
    }
    if (t->n_entries == t->n_alloc) {
        size_t n = t->n_alloc ? 2 * t->n_alloc : 16;
        entry *e = pl__realloc(t->entries, n * sizeof(entry));
        if (!e) return 0;
        t->entries = e;
        t->n_alloc = n;
    }
    entry *e = &t->entries[t->n_entries];
    char *ename;
    int ok = entry_values(r, rw, cols, e, &ename);
    size_t first = 0;
    int added = ok ? hash_add_str(&t->seen, ename, t->n_entries, &first) : 0;
    if (added < 0) return 0;
    if (ok && !added) {
        diag_error(&r->ds, e->line, e->column[COL_ACTOR],
                   "expected a unique actor name, found \"%s\" again (first on line %d)", ename,
                   t->entries[first].line);
        ok = 0;
    }
    if (!ok) return 1;
    size_t name_len = strlen(ename) + 1;
    if (t->names_alloc - t->names_len < name_len) {
        size_t n = t->names_alloc ? 2 * t->names_alloc : 4096;
        while (n - t->names_len < name_len) n *= 2;
        char *bigger = pl__realloc(t->names, n);
        if (!bigger) return 0;
        t->names = bigger;
        t->names_alloc = n;
    }
    memcpy(t->names + t->names_len, ename, name_len);
    e->name = t->names_len;
    t->names_len += name_len;
    t->n_entries++;
    return 1;
}

/* The scenario of the table's actors: one issue, named after the file. */
static pl_status build(const char *name, const table *t, pl_scenario **out) {
    const entry *entries = t->entries;
    size_t n_entries = t->n_entries;
    int fractions = 1;
    double lo = entries[0].pos, hi = entries[0].pos;
    for (size_t k = 0; k < n_entries; k++) {
        if (entries[k].sal > 1) fractions = 0;
        if (entries[k].pos < lo) lo = entries[k].pos;
        if (entries[k].pos > hi) hi = entries[k].pos;
    }
    if (lo == hi) {
        lo -= 1;
        hi += 1;
    }
    /* the id: the file's base name, made an id */
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char id[64], stem[MAX_FIELD];
    snprintf(stem, sizeof stem, "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem) *dot = 0;
    make_id(stem, id, sizeof id, 0);
    pl_scenario *s = NULL;
    size_t issue;
    pl_status rc = pl_scenario_new(id, stem, &s);
    if (rc == PL_OK) rc = pl_scenario_add_issue(s, "issue", stem, lo, hi, &issue);
    for (size_t k = 0; rc == PL_OK && k < n_entries; k++) {
        char aid[64];
        size_t a;
        const char *ename = t->names + entries[k].name;
        make_id(ename, aid, sizeof aid, k);
        /* ids made from different names may collide: number them */
        if (pl_scenario_find_actor(s, aid, &a) == PL_OK) {
            size_t l = strlen(aid);
            snprintf(aid + (l > 40 ? 40 : l), sizeof aid - (l > 40 ? 40 : l), "_%zu", k + 1);
        }
        rc = pl_scenario_add_actor(s, aid, ename, entries[k].cap, &a);
        if (rc == PL_OK)
            rc = pl_scenario_set_position(s, a, issue, entries[k].pos,
                                          fractions ? 100 * entries[k].sal : entries[k].sal);
    }
    if (rc != PL_OK) {
        pl_scenario_free(s);
        return rc;
    }
    *out = s;
    return PL_OK;
}

pl_status pl_scenario_load_csv_buffer(const char *text, size_t len, const char *name,
                                      pl_diags *diags, pl_scenario **out) {
    if (!out || !text) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "<input>";
    pl_status rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    reader r = {text, text + len, 1, {.diags = diags, .file = name}};
    row *rw = pl__malloc(sizeof(row));
    table t;
    memset(&t, 0, sizeof t);
    hash_init(&t.seen);
    pl_scenario *s = NULL;
    int ok = rw != NULL; /* 0: out of memory */
    if (ok) {
        int cols[N_COLS] = {-1, -1, -1, -1};
        read_header(&r, rw, read_row(&r, rw), cols);
        if (!r.ds.n_errors) {
            int got;
            while (ok && (got = read_row(&r, rw)) != 0 && !r.ds.oom)
                if (got > 0) ok = read_actor(&r, rw, cols, &t);
            if (ok && !r.ds.oom && !r.ds.n_errors && t.n_entries < 2)
                diag_error(&r.ds, r.line, 1, "expected at least two actors, found %zu",
                           t.n_entries);
        }
    }
    if (!ok || r.ds.oom) rc = PL_ENOMEM;
    else if (r.ds.n_errors) rc = PL_EINPUT;
    else rc = build(name, &t, &s);
    pl__free(t.entries);
    pl__free(t.names);
    hash_free(&t.seen);
    pl__free(rw);
    *out = s;
    return rc;
}
