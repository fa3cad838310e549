/*
** failmalloc.c: a preloaded malloc that fails, for command-line tests of
** running out of memory (tests/oom/cli_oom.sh).  The tool itself has no
** hook for this: LD_PRELOAD puts these functions in front of the C
** library's, so that every allocation of the process -- parley's, jansson's,
** expat's, the C library's own -- counts.
**
** PL_FAIL_MALLOC_AFTER=N: the first N allocations succeed, every later one
** fails (ENOMEM).  Unset or negative: none fails.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);

static long left = -2; /* -2: not read yet */
static long calls;

/* PL_FAIL_MALLOC_COUNT=1: say on stderr, at exit, how many allocations
** were asked for (the script's upper bound for N). */
__attribute__((destructor)) static void report(void) {
    if (!getenv("PL_FAIL_MALLOC_COUNT")) return;
    char buf[40], *p = buf + sizeof buf;
    *--p = '\n';
    long n = calls;
    do *--p = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    ssize_t w = write(2, p, (size_t)(buf + sizeof buf - p));
    (void)w;
}

static int fail(void) {
    calls++;
    if (left == -2) {
        const char *e = getenv("PL_FAIL_MALLOC_AFTER");
        left = e ? strtol(e, NULL, 10) : -1;
        if (left < -1) left = -1;
    }
    if (left < 0) return 0;
    if (left == 0) {
        errno = ENOMEM;
        return 1;
    }
    left--;
    return 0;
}

void *malloc(size_t size) { return fail() ? NULL : __libc_malloc(size); }
void *calloc(size_t count, size_t size) { return fail() ? NULL : __libc_calloc(count, size); }
void *realloc(void *ptr, size_t size) {
    if (ptr && size == 0) return __libc_realloc(ptr, size);
    return fail() ? NULL : __libc_realloc(ptr, size);
}
