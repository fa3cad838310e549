/*
** text.c: UTF-8 validation and the byte order mark, shared by every reader
** (text.h).
*/
#include "core/text.h"

#include "core/diag.h"

#include <limits.h>

/* The length of the UTF-8 sequence at s (1-4), or 0 if it is not one. */
static size_t sequence(const unsigned char *s, size_t left) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F; /* no surrogates */
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F; /* up to U+10FFFF */
    else return 0;
    if (left < n) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return n;
}

size_t text_utf8_prefix(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        /* ASCII runs, the common case, eight bytes at a time */
        while (i + 8 <= len) {
            unsigned long long w = 0;
            for (int k = 0; k < 8; k++) w |= (unsigned long long)s[i + (size_t)k] << (8 * k);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= len) break;
        size_t n = sequence(s + i, len - i);
        if (!n) return i;
        i += n;
    }
    return len;
}

pl_status text_check(const char **text, size_t *len, const char *name, pl_diags *diags) {
    const char *t = *text;
    size_t n = *len;
    if (n >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
        (unsigned char)t[2] == 0xBF) {
        t += 3;
        n -= 3;
    }
    *text = t;
    *len = n;
    size_t ok = text_utf8_prefix(t, n);
    if (ok == n) return PL_OK;
    size_t line = 1, column = 1;
    for (size_t i = 0; i < ok; i++) {
        if (t[i] == '\n') {
            line++;
            column = 1;
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {
            column++;
        }
    }
    if (line > INT_MAX) line = 0, column = 0; /* past what a place can say */
    if (column > INT_MAX) column = 0;
    if (diag_add(diags, PL_SEV_ERROR, name, (int)line, (int)column,
                 "expected UTF-8 text, found byte 0x%02X", (unsigned)(unsigned char)t[ok]) != PL_OK)
        return PL_ENOMEM;
    return PL_EPARSE;
}
