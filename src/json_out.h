/*
** json_out.h: turning a jansson tree into a report string, one way for
** every report.
*/
#ifndef PL_JSON_OUT_H
#define PL_JSON_OUT_H

#include <jansson.h>

#include "parley.h"

/* Pretty-printed with `precision` significant digits for reals, ending in
** a newline, in memory from pl__malloc (the caller frees with pl_free).
** Takes the tree (decref'd whatever happens); ok == 0 or root == NULL mean
** building it ran out of memory. */
pl_status json_out(json_t *root, int ok, int precision, char **out);

#endif
