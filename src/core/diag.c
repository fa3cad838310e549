/*
** diag.c: status strings and the caller-owned list of diagnostics that
** loaders and validators fill (the role of jansson's json_error_t, for many
** problems at once).
**
** A hostile input can hold millions of problems.  The list keeps at most
** PL_MAX_ERRORS_PER_FILE errors (and as many warnings) of each file in a
** row; past that it only counts, in constant memory, and one last item per
** severity says "... and N more errors".  Its text is written when the
** list is read, so the counting costs no formatting.
*/
#include "core/diag.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The summary of what was left out, for one severity of the current file. */
typedef struct dropped {
    size_t n_kept;    /* items of this severity kept for the current file */
    size_t n_dropped; /* counted, not kept */
    size_t item;      /* index of the summary item (valid when n_dropped) */
    size_t n_shown;   /* the count its text says */
} dropped;

struct pl_diags {
    pl_diag *items;
    size_t n_items;
    size_t n_alloc;
    size_t n_errors;   /* every error, kept or not */
    size_t n_warnings; /* every warning, kept or not */
    char *file;        /* the file the counts below are about */
    dropped errors, warnings;
};

#define SUMMARY_SIZE 64

const char *pl_version(void) { return PL_VERSION_STRING; }

const char *pl_strerror(pl_status status) {
    switch (status) {
        case PL_OK: return "success";
        case PL_EINVAL: return "invalid argument";
        case PL_ENOMEM: return "out of memory";
        case PL_EIO: return "input/output error";
        case PL_EPARSE: return "malformed input";
        case PL_EINPUT: return "invalid input";
        case PL_ERANGE: return "value out of range";
        case PL_ENOTFOUND: return "not found";
        case PL_EINTERRUPTED: return "interrupted";
    }
    return "unknown status";
}

pl_status pl_diags_new(pl_diags **out) {
    if (!out) return PL_EINVAL;
    *out = pl__calloc(1, sizeof(pl_diags));
    return *out ? PL_OK : PL_ENOMEM;
}

void pl_diags_clear(pl_diags *diags) {
    if (!diags) return;
    for (size_t i = 0; i < diags->n_items; i++) {
        pl__free((char *)diags->items[i].file);
        pl__free((char *)diags->items[i].message);
    }
    diags->n_items = 0;
    diags->n_errors = 0;
    diags->n_warnings = 0;
    pl__free(diags->file);
    diags->file = NULL;
    memset(&diags->errors, 0, sizeof diags->errors);
    memset(&diags->warnings, 0, sizeof diags->warnings);
}

void pl_diags_free(pl_diags *diags) {
    if (!diags) return;
    pl_diags_clear(diags);
    pl__free(diags->items);
    pl__free(diags);
}

size_t pl_diags_count(const pl_diags *diags) { return diags ? diags->n_items : 0; }
size_t pl_diags_errors(const pl_diags *diags) { return diags ? diags->n_errors : 0; }
size_t pl_diags_warnings(const pl_diags *diags) { return diags ? diags->n_warnings : 0; }

/* Bring a summary item's text up to its count. */
static void summary_text(pl_diags *diags, dropped *dr, const char *what) {
    if (!dr->n_dropped || dr->n_shown == dr->n_dropped) return;
    snprintf((char *)diags->items[dr->item].message, SUMMARY_SIZE, "... and %zu more %s%s",
             dr->n_dropped, what, dr->n_dropped == 1 ? "" : "s");
    dr->n_shown = dr->n_dropped;
}

const pl_diag *pl_diags_get(const pl_diags *diags, size_t i) {
    if (!diags || i >= diags->n_items) return NULL;
    /* Every pl_diags is made by pl_diags_new (never const itself): the
    ** summaries' texts are written here, when they are read. */
    pl_diags *mut = (pl_diags *)(uintptr_t)diags;
    summary_text(mut, &mut->errors, "error");
    summary_text(mut, &mut->warnings, "warning");
    return &diags->items[i];
}

static pl_status reserve(pl_diags *diags) {
    if (diags->n_items < diags->n_alloc) return PL_OK;
    size_t n_new = diags->n_alloc ? 2 * diags->n_alloc : 8;
    pl_diag *items = pl__realloc(diags->items, n_new * sizeof(*items));
    if (!items) return PL_ENOMEM;
    diags->items = items;
    diags->n_alloc = n_new;
    return PL_OK;
}

/* Count an item of `file` against the cap; returns 1 if it is to be kept,
** 0 if only counted, -1 when out of memory. */
static int admit(pl_diags *diags, pl_severity severity, const char *file) {
    if (!diags->file || strcmp(diags->file, file) != 0) {
        char *copy = pl__strdup(file);
        if (!copy) return -1;
        pl__free(diags->file);
        diags->file = copy;
        memset(&diags->errors, 0, sizeof diags->errors);
        memset(&diags->warnings, 0, sizeof diags->warnings);
    }
    dropped *dr = severity == PL_SEV_ERROR ? &diags->errors : &diags->warnings;
    if (dr->n_kept < PL_MAX_ERRORS_PER_FILE) {
        dr->n_kept++;
        return 1;
    }
    if (!dr->n_dropped) {
        /* the summary item, made once */
        char *message = pl__calloc(1, SUMMARY_SIZE);
        char *file_copy = pl__strdup(file);
        if (!message || !file_copy || reserve(diags) != PL_OK) {
            pl__free(message);
            pl__free(file_copy);
            return -1;
        }
        dr->item = diags->n_items++;
        pl_diag *d = &diags->items[dr->item];
        d->severity = severity;
        d->file = file_copy;
        d->line = 0;
        d->column = 0;
        d->message = message;
    }
    dr->n_dropped++;
    return 0;
}

pl_status diag_addv(pl_diags *diags, pl_severity severity, const char *file, int line, int column,
                    const char *fmt, va_list ap) {
    if (!diags) return PL_OK;
    if (!file) file = "";
    int keep = admit(diags, severity, file);
    if (keep < 0) return PL_ENOMEM;
    if (severity == PL_SEV_ERROR) diags->n_errors++;
    else diags->n_warnings++;
    if (!keep) return PL_OK;
    if (reserve(diags) != PL_OK) return PL_ENOMEM;
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    char *message = pl__strdup(buf);
    char *file_copy = pl__strdup(file);
    if (!message || !file_copy) {
        pl__free(message);
        pl__free(file_copy);
        return PL_ENOMEM;
    }
    pl_diag *d = &diags->items[diags->n_items++];
    d->severity = severity;
    d->file = file_copy;
    d->line = line;
    d->column = column;
    d->message = message;
    return PL_OK;
}

pl_status diag_add(pl_diags *diags, pl_severity severity, const char *file, int line, int column,
                   const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pl_status rc = diag_addv(diags, severity, file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

void diag_error(diag_sink *ds, int line, int column, const char *fmt, ...) {
    if (ds->oom) return;
    ds->n_errors++;
    if (ds->max_errors && ds->n_errors > ds->max_errors) return;
    va_list ap;
    va_start(ap, fmt);
    if (diag_addv(ds->diags, PL_SEV_ERROR, ds->file, line, column, fmt, ap) != PL_OK) ds->oom = 1;
    va_end(ap);
}

void diag_warning(diag_sink *ds, int line, int column, const char *fmt, ...) {
    if (ds->oom) return;
    va_list ap;
    va_start(ap, fmt);
    if (diag_addv(ds->diags, PL_SEV_WARNING, ds->file, line, column, fmt, ap) != PL_OK) ds->oom = 1;
    va_end(ap);
}
