/*
** pl_test.c: the helpers tests/pl_test.h declares, linked into every unit
** test, and the wrapper of pthread_create (-Wl,--wrap=pthread_create, set
** in CMakeLists.txt) that counts the threads the library starts.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pl_test.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR "../shared"
#endif

static int skipped;
static atomic_size_t threads_started;

static const char *shared_dir(void) {
    const char *env = getenv("PL_SHARED_DIR");
    return env && *env ? env : PL_SHARED_DIR;
}

const char *pl_test_shared(const char *rel) {
    static char buf[8][4096];
    static unsigned next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", shared_dir(), rel);
    return b;
}

static int required(void) {
    const char *env = getenv("PL_REQUIRE_SHARED");
    return env && *env && strcmp(env, "0") != 0;
}

void pl_test_need_shared(const char *rel) {
    struct stat st;
    const char *path = pl_test_shared(rel);
    if (stat(path, &st) == 0) return;
    if (required())
        fail_msg("expected the reference data %s, found nothing there "
                 "(PL_SHARED_DIR; PL_REQUIRE_SHARED=1 makes this a failure)",
                 path);
    print_message("SKIPPED: the reference data %s is missing (PL_SHARED_DIR)\n", path);
    skipped = 1;
    skip();
}

int pl_test_exit(int failures) {
    if (failures) return 1;
    return skipped ? 77 : 0;
}

size_t pl_test_threads_started(void) { return atomic_load(&threads_started); }

int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg);
int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg);

int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
    int rc = __real_pthread_create(thread, attr, start, arg);
    if (rc == 0) atomic_fetch_add(&threads_started, 1);
    return rc;
}
