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

/* Add to an object or array, recording failure (a NULL value, or no
** memory) in *ok; they take ownership of `v` either way. */
void jout_set(json_t *obj, const char *key, json_t *v, int *ok);
void jout_push(json_t *arr, json_t *v, int *ok);
/* Set a string (nothing when s is NULL) or a real, the same way. */
void jout_str(json_t *obj, const char *key, const char *s, int *ok);
void jout_num(json_t *obj, const char *key, double x, int *ok);

#endif
