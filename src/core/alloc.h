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

/* How many allocations have failed in the calling thread so far.  Code
** that calls a library which may swallow a failure of ours (jansson drops
** a character it cannot store and parses on) compares the count before and
** after the call. */
unsigned long pl__alloc_failures(void);

/* Test hook: after `n` more successful allocations, every allocation fails
** until pl__alloc_fail_reset() is called.  Not thread-safe by design: only
** single-threaded tests use it. */
void pl__alloc_fail_after(long n);
/* Test hook: only the allocation after `n` successful ones fails; the rest
** succeed (error paths that allocate again, or go on after a failure). */
void pl__alloc_fail_only(long n);
void pl__alloc_fail_reset(void);
/* How many allocations were attempted since the last reset (tests use it
** to know when a run no longer hits the failure point). */
long pl__alloc_count(void);

#endif
