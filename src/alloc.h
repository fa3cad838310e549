/*
** alloc.h: the one place where libparley allocates memory.
**
** Every allocation in the library goes through these functions so that tests
** can make the Nth allocation fail and check that nothing leaks or crashes
** (the idea of Lua's memory control and curl's torture tests).
*/
#ifndef PL_ALLOC_H
#define PL_ALLOC_H

#include <stddef.h>

void *pl__malloc(size_t size);
void *pl__calloc(size_t count, size_t size);
void *pl__realloc(void *ptr, size_t size);
void pl__free(void *ptr);
char *pl__strdup(const char *s);

/* Test hook: after `n` more successful allocations, every allocation fails
** until pl__alloc_fail_reset() is called.  Not thread-safe by design: only
** single-threaded tests use it. */
void pl__alloc_fail_after(long n);
void pl__alloc_fail_reset(void);
/* How many allocations were attempted since the last reset (tests use it
** to know when a run no longer hits the failure point). */
long pl__alloc_count(void);

#endif
