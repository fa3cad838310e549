/*
** buf.h: a growable string for building reports.  A failed allocation
** sticks (buf.oom) so callers check once at the end.
*/
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stddef.h>

#include "core/diag.h"

typedef struct buf {
    char *data;
    size_t len, n_alloc;
    int oom;
} buf;

void buf_printf(buf *b, const char *fmt, ...) PL_PRINTF(2, 3);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
/* Pad with spaces to `width` display columns (UTF-8 aware) after `s`,
** cutting `s` with "..." when longer. */
void buf_cell(buf *b, const char *s, size_t width);
/* CSV field, quoted when needed. */
void buf_csv(buf *b, const char *s);
/* Hand the string over (NUL-terminated); NULL after an allocation failure.
** The buf is empty afterwards. */
char *buf_take(buf *b);
void buf_free(buf *b);
/* Display width of a UTF-8 string (code points). */
size_t utf8_width(const char *s);

#endif
