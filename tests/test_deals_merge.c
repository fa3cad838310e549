/*
** test_deals_merge.c: the merge engine (issue 17) against the enumerating
** one -- every shared GENIUS domain, random additive spaces of 2 to 5
** parties up to 10^8 packages (a seeded generator), lattice spaces whose
** packages hit the reservation values exactly (the exact band of the meet
** in the middle), thread counts, and frontier packages against random
** samples of the space (none may be dominated).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

#define UTOL 1e-12

static uint64_t mix_state;
static uint64_t next_u64(void) {
    uint64_t z = (mix_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct str {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(str *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n >= 0 && b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 256;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
}

/* A GENIUS space: evaluations 1..levels, weights random (or all equal when
** lattice), reservations rv (or drawn in [0.2, 0.7] when rv < 0). */
static pl_space *generated(uint64_t seed, size_t np, size_t ni, size_t nv, int levels, int lattice,
                           double rv) {
    mix_state = seed;
    str dom = {0};
    put(&dom,
        "<negotiation_template><utility_space number_of_issues=\"%zu\">"
        "<objective index=\"0\" name=\"g\" type=\"objective\">\n",
        ni);
    for (size_t i = 0; i < ni; i++) {
        put(&dom, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i + 1);
        for (size_t v = 0; v < nv; v++)
            put(&dom, "<item index=\"%zu\" value=\"v%zu\"/>", v + 1, v + 1);
        put(&dom, "</issue>\n");
    }
    put(&dom, "</objective></utility_space></negotiation_template>\n");
    str prof[5] = {{0}};
    const char *texts[5], *names[5];
    size_t lens[5];
    char name_buf[5][32];
    for (size_t p = 0; p < np; p++) {
        put(&prof[p], "<utility_space><objective index=\"0\" name=\"g\">\n");
        for (size_t i = 0; i < ni; i++) {
            put(&prof[p], "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i + 1);
            for (size_t v = 0; v < nv; v++)
                put(&prof[p], "<item value=\"v%zu\" evaluation=\"%d\"/>", v + 1,
                    (int)(next_u64() % (uint64_t)levels) + 1);
            put(&prof[p], "</issue>\n");
        }
        for (size_t i = 0; i < ni; i++)
            put(&prof[p], "<weight index=\"%zu\" value=\"%.6f\"/>\n", i + 1,
                lattice ? 1.0 : 0.05 + (double)(next_u64() >> 11) * 0x1.0p-53);
        double r = rv >= 0 ? rv : 0.2 + 0.5 * (double)(next_u64() >> 11) * 0x1.0p-53;
        put(&prof[p], "</objective><reservation value=\"%.6f\"/></utility_space>\n", r);
        snprintf(name_buf[p], sizeof name_buf[p], "party%zu.xml", p + 1);
        texts[p] = prof[p].s;
        lens[p] = prof[p].len;
        names[p] = name_buf[p];
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_buffers(dom.s, dom.len, "g.xml", texts, lens, names, np,
                                                  NULL, NULL, &sp),
                     PL_OK);
    free(dom.s);
    for (size_t p = 0; p < np; p++) free(prof[p].s);
    return sp;
}

static pl_deals *run(const pl_space *sp, pl_deals_engine engine, unsigned threads) {
    pl_deals_options o;
    pl_deals_options_init(&o);
    o.engine = engine;
    o.n_threads = threads;
    o.max_outcomes = 1000000000ull;
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_OK);
    assert_int_equal(pl_deals_engine_used(d), engine);
    return d;
}

/* Every figure of a equals b's. */
static void same(const pl_space *sp, const pl_deals *a, const pl_deals *b) {
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp);
    assert_int_equal(pl_deals_n_outcomes(a), pl_deals_n_outcomes(b));
    if (pl_deals_n_rational(a) != pl_deals_n_rational(b))
        fail_msg("rational: %llu against %llu", (unsigned long long)pl_deals_n_rational(a),
                 (unsigned long long)pl_deals_n_rational(b));
    assert_int_equal(pl_deals_n_frontier(a), pl_deals_n_frontier(b));
    assert_int_equal(pl_deals_n_pareto(a), pl_deals_n_pareto(b));
    for (size_t p = 0; p < np; p++) {
        assert_near(pl_deals_min(a, p), pl_deals_min(b, p), UTOL);
        assert_near(pl_deals_max(a, p), pl_deals_max(b, p), UTOL);
        assert_near(pl_deals_disagreement(a, p), pl_deals_disagreement(b, p), UTOL);
    }
    for (size_t f = 0; f < pl_deals_n_frontier(a); f++) {
        const pl_deal *x = pl_deals_frontier(a, f), *y = pl_deals_frontier(b, f);
        for (size_t i = 0; i < ni; i++) assert_int_equal(x->choice[i], y->choice[i]);
        for (size_t p = 0; p < np; p++) assert_near(x->utility[p], y->utility[p], UTOL);
        assert_int_equal(x->rational, y->rational);
        assert_int_equal(x->n_blockers, y->n_blockers);
    }
    for (int s = 0; s < PL_SOL_COUNT; s++) {
        assert_int_equal(pl_deals_n_solution(a, (pl_solution)s),
                         pl_deals_n_solution(b, (pl_solution)s));
        for (size_t k = 0; k < pl_deals_n_solution(a, (pl_solution)s); k++)
            assert_int_equal(pl_deals_solution(a, (pl_solution)s, k),
                             pl_deals_solution(b, (pl_solution)s, k));
    }
    int ha, hb;
    double oa = pl_deals_opposition(a, &ha), ob = pl_deals_opposition(b, &hb);
    assert_int_equal(ha, hb);
    assert_near(oa, ob, UTOL);
}

/* No random package dominates a frontier package. */
static void samples_undominated(const pl_space *sp, const pl_deals *d, uint64_t seed, size_t n) {
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp);
    size_t choice[64];
    double u[8];
    mix_state = seed;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < ni; i++) choice[i] = next_u64() % pl_space_n_options(sp, i);
        assert_int_equal(pl_space_utility(sp, choice, u), PL_OK);
        for (size_t f = 0; f < pl_deals_n_frontier(d); f++) {
            const double *v = pl_deals_frontier(d, f)->utility;
            int ge = 1, gt = 0;
            for (size_t p = 0; p < np; p++) {
                if (u[p] < v[p] - 1e-12) ge = 0;
                if (u[p] > v[p] + 1e-12) gt = 1;
            }
            if (ge && gt) fail_msg("sample %zu dominates frontier package %zu", k, f);
        }
    }
}

static void compare(const pl_space *sp, uint64_t seed) {
    pl_deals *e = run(sp, PL_ENGINE_ENUMERATE, 0);
    pl_deals *m1 = run(sp, PL_ENGINE_MERGE, 1);
    pl_deals *m2 = run(sp, PL_ENGINE_MERGE, 2);
    pl_deals *m3 = run(sp, PL_ENGINE_MERGE, 3);
    same(sp, e, m1);
    same(sp, m1, m2);
    same(sp, m1, m3);
    samples_undominated(sp, m2, seed, 2000);
    pl_deals_free(e);
    pl_deals_free(m1);
    pl_deals_free(m2);
    pl_deals_free(m3);
}

static void test_genius_domains(void **state) {
    (void)state;
    static const char *const names[] = {
        "AmsterdamB",    "Atlas3", "CameraB", "DefensiveCharms", "Domain16",           "EnergyA",
        "ItexvsCypress", "Laptop", "TravelA", "group2-politics", "group9-killer_robot"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        char rel[256];
        snprintf(rel, sizeof rel, "data/genius/%s", names[k]);
        pl_test_need_shared(rel);
        pl_space *sp = NULL;
        pl_status rc = pl_space_load_genius_dir(pl_test_shared(rel), NULL, NULL, &sp);
        assert_int_equal(rc, PL_OK);
        int linear = 1;
        for (size_t p = 0; p < pl_space_n_parties(sp); p++)
            if (pl_space_nonlinear(sp, p)) linear = 0;
        if (linear) {
            compare(sp, 7 + k);
            /* reservations that cut: the median of each party's range */
            pl_deals *e = run(sp, PL_ENGINE_ENUMERATE, 0);
            for (size_t p = 0; p < pl_space_n_parties(sp); p++)
                assert_int_equal(
                    pl_space_set_reservation(sp, p, (pl_deals_min(e, p) + pl_deals_max(e, p)) / 2),
                    PL_OK);
            pl_deals_free(e);
            compare(sp, 70 + k);
        }
        pl_space_free(sp);
    }
}

/* Random additive spaces of 2 to 5 parties. */
static void test_random_spaces(void **state) {
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        mix_state = seed * 1000;
        size_t np = 2 + (size_t)(next_u64() % 4);
        size_t ni = 1 + (size_t)(next_u64() % 7);
        size_t nv = 1 + (size_t)(next_u64() % 6);
        pl_space *sp = generated(seed, np, ni, nv, 100, 0, -1);
        compare(sp, seed);
        pl_space_free(sp);
    }
}

/* Lattice spaces: evaluations 1..4 and equal weights, reservations that
** packages hit exactly; the meet in the middle must sum those again. */
static void test_lattice_spaces(void **state) {
    (void)state;
    static const double rvs[] = {0.5, 0.625, 0.75, 0.4375};
    for (uint64_t seed = 1; seed <= 16; seed++) {
        size_t np = 2 + (size_t)(seed % 2);
        pl_space *sp = generated(seed, np, 4 + (size_t)(seed % 3), 4, 4, 1, rvs[seed % 4]);
        compare(sp, seed);
        pl_space_free(sp);
    }
}

/* Large spaces: 10^7 and 10^8 packages, 2 and 3 parties. */
static void test_large_spaces(void **state) {
    (void)state;
    pl_space *sp = generated(11, 3, 7, 10, 100, 0, 0.45);
    compare(sp, 11);
    pl_space_free(sp);
    sp = generated(12, 2, 8, 10, 100, 0, 0.5);
    compare(sp, 12);
    pl_space_free(sp);
    sp = generated(13, 3, 8, 10, 100, 0, 0.5);
    pl_deals *e = run(sp, PL_ENGINE_ENUMERATE, 0), *m = run(sp, PL_ENGINE_MERGE, 0);
    same(sp, e, m);
    pl_deals_free(e);
    pl_deals_free(m);
    pl_space_free(sp);
}

/* Engine choice: auto, refusals. */
static void test_engine_choice(void **state) {
    (void)state;
    pl_space *sp = generated(5, 3, 7, 10, 100, 0, 0.45); /* 10^7: auto merges */
    pl_deals_options o;
    pl_deals_options_init(&o);
    assert_int_equal(o.engine, PL_ENGINE_AUTO);
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_OK);
    assert_int_equal(pl_deals_engine_used(d), PL_ENGINE_MERGE);
    pl_deals_free(d);
    /* the cap binds enumeration only */
    o.max_outcomes = 1000;
    o.engine = PL_ENGINE_ENUMERATE;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_ERANGE);
    o.engine = PL_ENGINE_MERGE;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_OK);
    pl_deals_free(d);
    /* merge refuses an exhaustive run */
    o.exhaustive = 1;
    pl_diags *diags = NULL;
    assert_int_equal(pl_diags_new(&diags), PL_OK);
    assert_int_equal(pl_deals_run(sp, &o, diags, &d), PL_EINPUT);
    assert_true(pl_diags_count(diags) > 0);
    pl_diags_free(diags);
    o.exhaustive = 0;
    o.engine = (pl_deals_engine)7;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_EINVAL);
    assert_string_equal(pl_deals_engine_name(PL_ENGINE_MERGE), "merge");
    assert_string_equal(pl_deals_engine_name(PL_ENGINE_ENUMERATE), "enumerate");
    assert_null(pl_deals_engine_name((pl_deals_engine)7));
    pl_space_free(sp);
    /* small spaces enumerate */
    sp = generated(6, 2, 3, 3, 100, 0, 0.4);
    o.engine = PL_ENGINE_AUTO;
    o.max_outcomes = 0;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_OK);
    assert_int_equal(pl_deals_engine_used(d), PL_ENGINE_ENUMERATE);
    pl_deals_free(d);
    pl_space_free(sp);
}

static int stop_now(void *ctx, double done, double total) {
    (void)done;
    (void)total;
    return ++*(int *)ctx > 1;
}

/* A stop asked through the progress callback ends the merge engine. */
static void test_merge_stop(void **state) {
    (void)state;
    pl_space *sp = generated(8, 3, 10, 10, 100, 0, 0.45); /* 10^10 */
    pl_deals_options o;
    pl_deals_options_init(&o);
    o.engine = PL_ENGINE_MERGE;
    int calls = 0;
    o.progress = stop_now;
    o.progress_ctx = &calls;
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_EINTERRUPTED);
    assert_null(d);
    pl_space_free(sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genius_domains), cmocka_unit_test(test_random_spaces),
        cmocka_unit_test(test_lattice_spaces), cmocka_unit_test(test_large_spaces),
        cmocka_unit_test(test_engine_choice),  cmocka_unit_test(test_merge_stop),
    };
    if (getenv("PL_TEST_FILTER")) cmocka_set_test_filter(getenv("PL_TEST_FILTER"));
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
