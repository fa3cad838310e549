/*
** diag.c: status strings and the caller-owned list of diagnostics that
** loaders and validators fill (the role of jansson's json_error_t, for many
** problems at once).
*/
#include "diag.h"

#include "alloc.h"

#include <stdio.h>
#include <string.h>

struct pl_diags {
    pl_diag *items;
    size_t n_items;
    size_t n_alloc;
    size_t n_errors;
};

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
}

void pl_diags_free(pl_diags *diags) {
    if (!diags) return;
    pl_diags_clear(diags);
    pl__free(diags->items);
    pl__free(diags);
}

size_t pl_diags_count(const pl_diags *diags) { return diags ? diags->n_items : 0; }
size_t pl_diags_errors(const pl_diags *diags) { return diags ? diags->n_errors : 0; }
size_t pl_diags_warnings(const pl_diags *diags) {
    return diags ? diags->n_items - diags->n_errors : 0;
}

const pl_diag *pl_diags_get(const pl_diags *diags, size_t i) {
    if (!diags || i >= diags->n_items) return NULL;
    return &diags->items[i];
}

pl_status diag_addv(pl_diags *diags, pl_severity severity, const char *file,
                    int line, int column, const char *fmt, va_list ap) {
    if (!diags) return PL_OK;
    if (diags->n_items == diags->n_alloc) {
        size_t n_new = diags->n_alloc ? 2 * diags->n_alloc : 8;
        pl_diag *items = pl__realloc(diags->items, n_new * sizeof(*items));
        if (!items) return PL_ENOMEM;
        diags->items = items;
        diags->n_alloc = n_new;
    }
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    char *message = pl__strdup(buf);
    char *file_copy = pl__strdup(file ? file : "");
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
    if (severity == PL_SEV_ERROR) diags->n_errors++;
    return PL_OK;
}

pl_status diag_add(pl_diags *diags, pl_severity severity, const char *file,
                   int line, int column, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pl_status rc = diag_addv(diags, severity, file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}
