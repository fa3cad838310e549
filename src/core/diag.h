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
pl_status diag_add(pl_diags *diags, pl_severity severity, const char *file,
                   int line, int column, const char *fmt, ...) PL_PRINTF(6, 7);
pl_status diag_addv(pl_diags *diags, pl_severity severity, const char *file,
                    int line, int column, const char *fmt, va_list ap);


#endif
