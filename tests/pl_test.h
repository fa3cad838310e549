/*
** pl_test.h: what the unit tests share (tests/pl_test.c implements it).
**
** - assert_near(a, b, tol): |a - b| <= tol in double precision (cmocka's
**   assert_float_equal converts to float); a failure prints both values
**   and their difference with 17 significant digits.  NaN never passes.
** - Reference data in the project's shared folder (../shared, or the
**   PL_SHARED_DIR environment variable at run time): pl_test_shared gives
**   a path under it; pl_test_need_shared, called before a test allocates,
**   skips the test visibly when the data is missing, or fails it when
**   PL_REQUIRE_SHARED=1 (CI).  main returns pl_test_exit(...): 77 (ctest's
**   SKIP_RETURN_CODE) when something was skipped, so ctest lists it.
** - pl_test_threads_started: how many threads the library has started so
**   far (pthread_create is wrapped at link time), so that a thread-count
**   test can check that a second worker really ran.
**
** Include after <cmocka.h>.
*/
#ifndef PL_TEST_H
#define PL_TEST_H

#include <math.h>
#include <stddef.h>

#define assert_near(a, b, tol)                                             \
    do {                                                                   \
        double pl_a_ = (a), pl_b_ = (b), pl_t_ = (tol);                    \
        if (!(fabs(pl_a_ - pl_b_) <= pl_t_))                               \
            fail_msg("%s = %.17g, expected %s = %.17g: difference %.17g, " \
                     "tolerance %.17g",                                    \
                     #a, pl_a_, #b, pl_b_, pl_a_ - pl_b_, pl_t_);          \
    } while (0)

/* The shared folder's path + "/" + rel, in one of 8 rotating buffers. */
const char *pl_test_shared(const char *rel);

/* rel (a file or folder under the shared folder) must exist: otherwise the
** test is skipped (and pl_test_exit returns 77) or, with
** PL_REQUIRE_SHARED=1 in the environment, fails. */
void pl_test_need_shared(const char *rel);

/* What main returns given cmocka_run_group_tests's result. */
int pl_test_exit(int failures);

/* Threads the library started successfully since the program began. */
size_t pl_test_threads_started(void);

/* helpers = the threads the library started while evaluating expr (the
** pools run the calling thread as one more worker: workers = helpers + 1). */
#define PL_TEST_HELPERS(expr, helpers)                      \
    do {                                                    \
        size_t pl_before_ = pl_test_threads_started();      \
        expr;                                               \
        (helpers) = pl_test_threads_started() - pl_before_; \
    } while (0)

#endif
