/*
** alloc.c: the library's allocator, with a failure-injection hook for tests.
*/
#include "core/alloc.h"
#include "parley.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Failure injection.  fail_after < 0 means "never fail".  These (with the
** per-thread failure count below and json_in.c's hook) are the only
** globals in the library; they exist for tests.  They are atomic because
** worker threads allocate too (a failure point hit from several threads at
** once is still only approximately the Nth). */
static atomic_long fail_after = -1;
static atomic_long fail_only = -1; /* >= 0: only the allocation of that index fails */
static atomic_long n_calls = 0;
/* Allocations that failed in this thread (injected or real), for callers of
** code that may swallow a failure (pl__alloc_failures). */
static _Thread_local unsigned long n_failed;

static int should_fail(void) {
    long call = atomic_fetch_add_explicit(&n_calls, 1, memory_order_relaxed);
    long only = atomic_load_explicit(&fail_only, memory_order_relaxed);
    if (only >= 0) return call == only;
    long left = atomic_load_explicit(&fail_after, memory_order_relaxed);
    if (left < 0) return 0;
    if (left == 0) return 1;
    atomic_fetch_sub_explicit(&fail_after, 1, memory_order_relaxed);
    return 0;
}

void pl__alloc_fail_after(long n) {
    atomic_store(&fail_only, -1);
    atomic_store(&fail_after, n);
    atomic_store(&n_calls, 0);
}
void pl__alloc_fail_only(long n) {
    atomic_store(&fail_after, -1);
    atomic_store(&fail_only, n);
    atomic_store(&n_calls, 0);
}
void pl__alloc_fail_reset(void) {
    atomic_store(&fail_after, -1);
    atomic_store(&fail_only, -1);
    atomic_store(&n_calls, 0);
}
long pl__alloc_count(void) { return atomic_load(&n_calls); }

unsigned long pl__alloc_failures(void) { return n_failed; }

static void *counted(void *p) {
    if (!p) n_failed++;
    return p;
}

void *pl__malloc(size_t size) {
    if (should_fail()) return counted(NULL);
    return counted(malloc(size ? size : 1));
}

void *pl__calloc(size_t count, size_t size) {
    if (should_fail()) return counted(NULL);
    if (count == 0 || size == 0) count = size = 1;
    return counted(calloc(count, size));
}

void *pl__realloc(void *ptr, size_t size) {
    if (should_fail()) return counted(NULL);
    return counted(realloc(ptr, size ? size : 1));
}

void pl__free(void *ptr) { free(ptr); }

/* The public release of what the library hands over (report strings and the like). */
void pl_free(void *p) { pl__free(p); }

char *pl__strdup(const char *s) {
    size_t len = strlen(s) + 1;
    char *copy = pl__malloc(len);
    if (copy) memcpy(copy, s, len);
    return copy;
}
