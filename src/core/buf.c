/*
** buf.c: growable strings for reports.
*/
#include "core/buf.h"

#include "core/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int reserve(buf *b, size_t extra) {
    if (b->oom) return 0;
    if (b->len + extra + 1 <= b->n_alloc) return 1;
    size_t n = b->n_alloc ? b->n_alloc : 256;
    while (n < b->len + extra + 1) n *= 2;
    char *d = pl__realloc(b->data, n);
    if (!d) {
        b->oom = 1;
        return 0;
    }
    b->data = d;
    b->n_alloc = n;
    return 1;
}

void buf_printf(buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_puts(buf *b, const char *s) {
    size_t n = strlen(s);
    if (!reserve(b, n)) return;
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void buf_putc(buf *b, char c) {
    if (!reserve(b, 1)) return;
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}

size_t utf8_width(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

void buf_cell(buf *b, const char *s, size_t width) {
    size_t w = utf8_width(s);
    if (w <= width) {
        buf_puts(b, s);
        for (; w < width; w++) buf_putc(b, ' ');
        return;
    }
    /* cut at a character boundary, leaving room for "..." */
    size_t keep = width > 3 ? width - 3 : 0, chars = 0;
    const char *p = s;
    while (*p) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (chars == keep) break;
            chars++;
        }
        p++;
    }
    if (!reserve(b, (size_t)(p - s) + 3)) return;
    memcpy(b->data + b->len, s, (size_t)(p - s));
    b->len += (size_t)(p - s);
    b->data[b->len] = 0;
    buf_puts(b, width > 3 ? "..." : "");
    for (size_t k = keep + (width > 3 ? 3 : 0); k < width; k++) buf_putc(b, ' ');
}

void buf_csv(buf *b, const char *s) {
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

char *buf_take(buf *b) {
    char *d = b->oom ? NULL : b->data;
    if (!d && !b->oom) {
        d = pl__malloc(1);
        if (d) d[0] = 0;
    }
    if (b->oom) pl__free(b->data);
    b->data = NULL;
    b->len = b->n_alloc = 0;
    b->oom = 0;
    return d;
}

void buf_free(buf *b) {
    pl__free(b->data);
    b->data = NULL;
    b->len = b->n_alloc = 0;
}
