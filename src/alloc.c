/*
** alloc.c: the library's allocator, with a failure-injection hook for tests.
*/
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* Failure injection.  fail_after < 0 means "never fail".  These are the only
** globals in the library; they exist for tests and are documented as not
** thread-safe. */
static long fail_after = -1;
static long n_calls = 0;

static int should_fail(void) {
    n_calls++;
    if (fail_after < 0) return 0;
    if (fail_after == 0) return 1;
    fail_after--;
    return 0;
}

void pl__alloc_fail_after(long n) { fail_after = n; n_calls = 0; }
void pl__alloc_fail_reset(void) { fail_after = -1; n_calls = 0; }
long pl__alloc_count(void) { return n_calls; }

void *pl__malloc(size_t size) {
    if (should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *pl__calloc(size_t count, size_t size) {
    if (should_fail()) return NULL;
    if (count == 0 || size == 0) count = size = 1;
    return calloc(count, size);
}

void *pl__realloc(void *ptr, size_t size) {
    if (should_fail()) return NULL;
    return realloc(ptr, size ? size : 1);
}

void pl__free(void *ptr) { free(ptr); }

char *pl__strdup(const char *s) {
    size_t len = strlen(s) + 1;
    char *copy = pl__malloc(len);
    if (copy) memcpy(copy, s, len);
    return copy;
}
