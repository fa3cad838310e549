/*
** jloc.h: where each value of a JSON text stands (line and column).
**
** jansson parses and reports syntax errors with their place, but the values
** it returns carry no position.  A validator must point at the value that is
** wrong, so after jansson has accepted a text, jloc scans the same text once
** and links every object and array jansson built to the places of its
** members.  Lookups are by container and key (or index).
*/
#ifndef PL_JLOC_H
#define PL_JLOC_H

#include <jansson.h>
#include <stddef.h>

typedef struct jloc jloc;

typedef struct jloc_pos {
    int line;   /* 1-based; 0 when unknown */
    int column; /* 1-based, in characters */
} jloc_pos;

/* Scan `text` (which jansson parsed into `root`).  Returns NULL on
** allocation failure; a text that does not match the tree gives a locator
** whose lookups return unknown positions rather than wrong ones. */
jloc *jloc_build(const char *text, size_t len, json_t *root);
void jloc_free(jloc *L);

jloc_pos jloc_of(const jloc *L, const json_t *container); /* itself */
jloc_pos jloc_member(const jloc *L, const json_t *object, const char *key);
jloc_pos jloc_key(const jloc *L, const json_t *object, const char *key);
jloc_pos jloc_index(const jloc *L, const json_t *array, size_t i);
/* The key of an object's k-th member (in document order), in constant time. */
jloc_pos jloc_key_at(const jloc *L, const json_t *object, size_t k);

#endif
