/*
** test_pool.c: tests of the thread pool (src/core/pool.c).
**
** - Thread counts: pool_threads maps 0 to the cores and caps at
**   PL_MAX_THREADS; a pool of one is no pool (NULL, nothing started).
** - Coverage: pool_for and pool_for_chunks run every item exactly once, in
**   parts that are the same whatever the thread count (blocks of nearly
**   equal size, chunks of `chunk` items), with worker indices below
**   pool_size.
** - Stop: once a part asks to stop, no part is handed out after it (parts
**   already taken by other workers finish).
** - Many short loops in a row on one pool (the pattern of the models'
**   per-round phases, where a helper wakes after its loop is over): every
**   loop complete, nothing stuck.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <string.h>

#include "core/pool.h"
#include "pl_test.h"

#define MAX_ITEMS 5000

typedef struct count {
    atomic_int runs[MAX_ITEMS]; /* times each item ran */
    size_t first[MAX_ITEMS];    /* the first item of its part */
    size_t last[MAX_ITEMS];     /* the end of its part */
    unsigned size;              /* the pool's workers */
    atomic_int bad_worker;
    atomic_int parts;
    int stop_at; /* a part holding this item asks to stop; -1: none */
} count;

static int count_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    count *c = ctx;
    if (worker >= c->size) atomic_store(&c->bad_worker, 1);
    atomic_fetch_add(&c->parts, 1);
    int stop = 0;
    for (size_t i = begin; i < end; i++) {
        atomic_fetch_add(&c->runs[i], 1);
        c->first[i] = begin;
        c->last[i] = end;
        if ((int)i == c->stop_at) stop = 1;
    }
    return stop;
}

static void count_reset(count *c, const pool *p) {
    memset(c, 0, sizeof *c);
    c->size = pool_size(p);
    c->stop_at = -1;
}

static void test_threads(void **state) {
    (void)state;
    assert_true(pool_cores() >= 1 && pool_cores() <= PL_MAX_THREADS);
    assert_int_equal(pool_threads(0), pool_cores());
    assert_int_equal(pool_threads(1), 1);
    assert_int_equal(pool_threads(7), 7);
    assert_int_equal(pool_threads(PL_MAX_THREADS + 1), PL_MAX_THREADS);
    pool *p = NULL;
    size_t before = pl_test_threads_started();
    assert_int_equal(pool_new(1, &p), PL_OK);
    assert_null(p);
    assert_int_equal(pool_size(NULL), 1);
    assert_int_equal(pl_test_threads_started(), before);
    pool_free(NULL);
    assert_int_equal(pool_new(3, &p), PL_OK);
    assert_non_null(p);
    assert_int_equal(pool_size(p), 3);
    assert_int_equal(pl_test_threads_started(), before + 2);
    pool_free(p);
}

/* Every item once, the parts the same for any pool. */
static void test_cover(void **state) {
    (void)state;
    static count c, one;
    static const size_t sizes[] = {0, 1, 2, 3, 7, 64, 100, 1000, MAX_ITEMS};
    static const size_t chunks[] = {1, 3, 512};
    for (unsigned nt = 1; nt <= 5; nt++) {
        pool *p = NULL;
        assert_int_equal(pool_new(nt, &p), PL_OK);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s];
            count_reset(&c, p);
            assert_int_equal(pool_for(p, n, count_part, &c), 0);
            assert_int_equal(atomic_load(&c.bad_worker), 0);
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(atomic_load(&c.runs[i]), 1);
                /* blocks of n / size items, the first n % size one larger */
                size_t parts = c.size < n ? c.size : n, k = 0, at = 0;
                while (at + n / parts + (k < n % parts) <= i) at += n / parts + (k++ < n % parts);
                assert_int_equal(c.first[i], at);
            }
            for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
                count_reset(&c, p);
                count_reset(&one, NULL);
                assert_int_equal(pool_for_chunks(p, n, chunks[k], count_part, &c), 0);
                assert_int_equal(pool_for_chunks(NULL, n, chunks[k], count_part, &one), 0);
                assert_int_equal(atomic_load(&c.bad_worker), 0);
                for (size_t i = 0; i < n; i++) {
                    assert_int_equal(atomic_load(&c.runs[i]), 1);
                    assert_int_equal(c.first[i], i / chunks[k] * chunks[k]);
                    assert_int_equal(c.first[i], one.first[i]);
                    assert_int_equal(c.last[i], one.last[i]);
                }
            }
        }
        pool_free(p);
    }
}

/* A stop: the loop returns 1; of the parts after the one that asked, only
** those other workers held already ran (at most one each). */
static void test_stop(void **state) {
    (void)state;
    static count c;
    for (unsigned nt = 1; nt <= 4; nt++) {
        pool *p = NULL;
        assert_int_equal(pool_new(nt, &p), PL_OK);
        for (int at = 0; at < 200; at += 37) {
            count_reset(&c, p);
            c.stop_at = at;
            assert_int_equal(pool_for_chunks(p, 1000, 5, count_part, &c), 1);
            assert_int_equal(atomic_load(&c.runs[at]), 1);
            int after = 0;
            for (int i = at / 5 * 5 + 5; i < 1000; i += 5) after += atomic_load(&c.runs[i]);
            assert_true(after <= (int)c.size - 1);
            count_reset(&c, p);
            c.stop_at = at;
            assert_int_equal(pool_for(p, 200, count_part, &c), 1);
        }
        /* the next loop on the same pool runs whole */
        count_reset(&c, p);
        assert_int_equal(pool_for_chunks(p, 1000, 5, count_part, &c), 0);
        for (int i = 0; i < 1000; i++) assert_int_equal(atomic_load(&c.runs[i]), 1);
        pool_free(p);
    }
}

/* Many tiny loops in a row, the sum checked after each. */
typedef struct tiny {
    uint64_t *out;
    uint64_t round;
} tiny;

static int tiny_part(void *ctx, unsigned worker, size_t begin, size_t end) {
    tiny *t = ctx;
    (void)worker;
    for (size_t i = begin; i < end; i++) t->out[i] = t->round * 1000 + i;
    return 0;
}

static void test_many_loops(void **state) {
    (void)state;
    uint64_t out[16];
    pool *p = NULL;
    assert_int_equal(pool_new(3, &p), PL_OK);
    for (uint64_t round = 1; round <= 200000; round++) {
        tiny t = {out, round};
        size_t n = 2 + round % 15;
        if (round % 3) pool_for(p, n, tiny_part, &t);
        else pool_for_chunks(p, n, 1, tiny_part, &t);
        for (size_t i = 0; i < n; i++)
            if (out[i] != round * 1000 + i)
                fail_msg("round %llu item %zu not run", (unsigned long long)round, i);
    }
    pool_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cover),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_many_loops),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
