/*
** json_in.h: parsing JSON text with jansson, out of memory told apart from
** bad input, promptly.
*/
#ifndef PL_JSON_IN_H
#define PL_JSON_IN_H

#include <jansson.h>

#include "parley.h"

/* json_loadb, with jansson's allocations made through the library's
** allocator.  Once one allocation fails during the parse, every later one
** fails at once (jansson's lexer ignores some failures and would otherwise
** retry a doomed allocation for every remaining byte, minutes on a long
** string); *oom is then 1 and the result NULL, whatever jansson's error
** says. */
json_t *json_in_loadb(const char *text, size_t len, size_t flags, json_error_t *err, int *oom);

/* A reader's first step: the text checked (UTF-8; a byte order mark
** skipped, so *text and *len move past it) and parsed into *root.  Bad
** text or JSON is one diagnostic at its place (PL_EINPUT / PL_EPARSE), out
** of memory PL_ENOMEM; *root is NULL unless PL_OK. */
pl_status json_in_parse(const char **text, size_t *len, const char *name, pl_diags *diags,
                        json_t **root);

/* Put jansson on the library's allocator now (json_in_loadb does it on its
** first call), for code that builds and dumps trees without parsing. */
void json_in_install(void);

#endif
