/*
** diag.h: status strings and the diagnostics list (pl_diags).
*/
#ifndef PL_DIAG_H
#define PL_DIAG_H

#include "parley.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define PL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PL_PRINTF(a, b)

#endif

/* Append one diagnostic; `diags` may be NULL (then nothing is stored).
** Returns PL_ENOMEM if it could not be stored. */
pl_status diag_add(pl_diags *diags, pl_severity severity, const char *file, int line, int column,
                   const char *fmt, ...) PL_PRINTF(6, 7);
pl_status diag_addv(pl_diags *diags, pl_severity severity, const char *file, int line, int column,
                    const char *fmt, va_list ap);

/* Where a reader (or a check) reports the problems of one input: every
** reader's convention, "FILE:LINE:COL: expected ..., found ...".
**   - errors are counted in n_errors (warnings are not);
**   - max_errors (0: no limit) is a reader's own limit: errors past it are
**     counted, not stored;
**   - once a diagnostic could not be stored, or the reader failed to
**     allocate and set oom itself, nothing more is reported or counted:
**     what a reader finds after a failed allocation may be a false error.
** Set it up as  diag_sink ds = {.diags = diags, .file = name};  */
typedef struct diag_sink {
    pl_diags *diags;  /* may be NULL: count only */
    const char *file; /* what the diagnostics call the input */
    size_t n_errors;
    size_t max_errors;
    int oom;
} diag_sink;

void diag_error(diag_sink *ds, int line, int column, const char *fmt, ...) PL_PRINTF(4, 5);
void diag_warning(diag_sink *ds, int line, int column, const char *fmt, ...) PL_PRINTF(4, 5);

#endif
