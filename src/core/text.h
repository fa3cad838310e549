/*
** text.h: the one rule every reader applies to its input text: UTF-8, with
** an optional byte order mark (skipped).
*/
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include "parley.h"

#include <stddef.h>

/* Skip a UTF-8 byte order mark at the start of *text (adjusting *text and
** *len), then check that the rest is UTF-8 (no overlong forms, no
** surrogates, nothing above U+10FFFF).  A NUL byte is UTF-8 here; the
** readers that refuse it say so themselves.  On the first invalid byte,
** reports "NAME:LINE:COL: expected UTF-8 text, found byte 0xFF" in `diags`
** (the column counted in characters) and returns PL_EPARSE; PL_ENOMEM when
** the message could not be stored. */
pl_status text_check(const char **text, size_t *len, const char *name, pl_diags *diags);

/* The length of the valid UTF-8 prefix of [s, s + len). */
size_t text_utf8_prefix(const char *s, size_t len);

#endif
