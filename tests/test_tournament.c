/*
** test_tournament.c: tournaments of negotiation agents (pl_tournament_run;
** docs/simulation.md, "Tournaments").
**
** - The counts: A^n assignments per domain of n parties, times the repeats;
**   n A^(n-1) R seats per agent and domain.
** - A hand-checkable case: two agents on Laptop; the four negotiations
**   played one by one with pl_negotiate give the same means, and the
**   intervals are mean +- t(0.975, n - 1) s / sqrt(n) with the table's t.
** - Thread invariance: 1, 2 and 3 threads give the same JSON byte for byte
**   (random agents, repeats, both protocols), and 2 threads really ran.
** - Ranges: parts of the negotiations, written, read back and joined in
**   any order, give the whole tournament's figures bit for bit.
** - Ctrl-C: a progress callback that asks to stop gives PL_EINTERRUPTED and
**   nothing; bad input is refused with a diagnostic.
*/
#define _POSIX_C_SOURCE 200809L
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

#define LAPTOP "data/genius/Laptop"

static pl_space *laptop(void) {
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_dir(pl_test_shared(LAPTOP), NULL, NULL, &sp), PL_OK);
    return sp;
}

/* A 3-party space: the line of test_sao.c, three parties. */
static pl_space *three(void) {
    static const char dom[] =
        "<negotiation_template><utility_space number_of_issues=\"2\">"
        "<objective index=\"0\" name=\"three\">"
        "<issue index=\"1\" name=\"x\" type=\"discrete\"><item index=\"1\" value=\"a\"/>"
        "<item index=\"2\" value=\"b\"/><item index=\"3\" value=\"c\"/></issue>"
        "<issue index=\"2\" name=\"y\" type=\"discrete\"><item index=\"1\" value=\"d\"/>"
        "<item index=\"2\" value=\"e\"/></issue>"
        "</objective></utility_space></negotiation_template>";
    static const char *const ev[3][5] = {
        {"1", "5", "9", "2", "1"}, {"9", "4", "1", "1", "3"}, {"3", "9", "2", "2", "2"}};
    char profs[3][1024];
    const char *texts[3], *names[3] = {"p1.xml", "p2.xml", "p3.xml"};
    size_t lens[3];
    for (int p = 0; p < 3; p++) {
        int n = snprintf(
            profs[p], sizeof profs[p],
            "<utility_space><objective index=\"0\" name=\"three\">"
            "<issue index=\"1\" name=\"x\" type=\"discrete\">"
            "<item value=\"a\" evaluation=\"%s\"/><item value=\"b\" evaluation=\"%s\"/>"
            "<item value=\"c\" evaluation=\"%s\"/></issue>"
            "<issue index=\"2\" name=\"y\" type=\"discrete\">"
            "<item value=\"d\" evaluation=\"%s\"/><item value=\"e\" evaluation=\"%s\"/>"
            "</issue><weight index=\"1\" value=\"0.7\"/><weight index=\"2\" "
            "value=\"0.3\"/></objective><reservation value=\"0.2\"/></utility_space>",
            ev[p][0], ev[p][1], ev[p][2], ev[p][3], ev[p][4]);
        lens[p] = (size_t)n;
        texts[p] = profs[p];
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_buffers(dom, strlen(dom), "three.xml", texts, lens, names,
                                                  3, NULL, NULL, &sp),
                     PL_OK);
    return sp;
}

static pl_tournament *run(const pl_space *const *doms, size_t nd, const char *const *agents,
                          size_t na, size_t repeat, unsigned threads, pl_protocol protocol) {
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    o.repeat = repeat;
    o.n_threads = threads;
    o.negotiate.protocol = protocol;
    o.negotiate.seed = 11;
    pl_tournament *t = NULL;
    assert_int_equal(pl_tournament_run(doms, nd, agents, na, &o, NULL, &t), PL_OK);
    return t;
}

static char *json(const pl_tournament *t) {
    char *text = NULL;
    assert_int_equal(pl_report_tournament(t, PL_FORMAT_JSON, &text), PL_OK);
    return text;
}

/* ------------------------------------------------------------------------
** Counts
*/
static void test_counts(void **state) {
    (void)state;
    pl_test_need_shared(LAPTOP);
    pl_space *a = laptop(), *b = three();
    const pl_space *doms[2] = {a, b};
    const char *agents[3] = {"boulware", "random", "micro"};
    for (size_t repeat = 1; repeat <= 3; repeat++) {
        pl_tournament *t = run(doms, 2, agents, 3, repeat, 1, PL_PROTOCOL_SAO);
        assert_int_equal(pl_tournament_n_domains(t), 2);
        assert_int_equal(pl_tournament_domain_parties(t, 0), 2);
        assert_int_equal(pl_tournament_domain_parties(t, 1), 3);
        assert_int_equal(pl_tournament_domain_assignments(t, 0), 9);
        assert_int_equal(pl_tournament_domain_assignments(t, 1), 27);
        assert_int_equal(pl_tournament_n_negotiations(t), (9 + 27) * repeat);
        assert_true(pl_tournament_n_agreements(t) <= pl_tournament_n_negotiations(t));
        uint64_t seats = 0;
        for (size_t i = 0; i < 3; i++) {
            pl_tournament_agent_stats s;
            assert_int_equal(pl_tournament_agent_stats_get(t, i, &s), PL_OK);
            /* n A^(n-1) R per domain */
            assert_int_equal(s.seats, (2 * 3 + 3 * 9) * repeat);
            assert_int_equal(s.utility.n, s.seats);
            assert_int_equal(s.agreement.n, s.seats);
            seats += s.seats;
        }
        assert_int_equal(seats, (9 * 2 + 27 * 3) * repeat);
        assert_string_equal(pl_tournament_agent(t, 1), "random");
        pl_tournament_free(t);
    }
    pl_space_free(a);
    pl_space_free(b);
}

/* ------------------------------------------------------------------------
** By hand: boulware and hardliner on Laptop, 4 negotiations
*/
static void test_by_hand(void **state) {
    (void)state;
    pl_test_need_shared(LAPTOP);
    pl_space *sp = laptop();
    const pl_space *doms[1] = {sp};
    const char *agents[2] = {"boulware", "hardliner"};
    pl_tournament *t = run(doms, 1, agents, 2, 1, 1, PL_PROTOCOL_SAO);
    assert_int_equal(pl_tournament_n_negotiations(t), 4);
    /* the four negotiations one by one: party 0's agent the high digit */
    double sum_u[2] = {0, 0}, sum_u2[2] = {0, 0}, agreements = 0;
    size_t seats[2] = {0, 0};
    for (size_t a = 0; a < 4; a++) {
        const char *specs[2] = {agents[a / 2], agents[a % 2]};
        pl_negotiation *neg = NULL;
        assert_int_equal(pl_negotiate(sp, specs, 2, NULL, NULL, &neg), PL_OK);
        const double *u = pl_negotiation_utilities(neg);
        int agreed = pl_negotiation_end_reason(neg) == PL_NEG_AGREEMENT;
        agreements += agreed;
        for (size_t p = 0; p < 2; p++) {
            size_t who = p == 0 ? a / 2 : a % 2;
            sum_u[who] += u[p];
            sum_u2[who] += u[p] * u[p];
            seats[who]++;
        }
        pl_negotiation_free(neg);
    }
    assert_int_equal((uint64_t)agreements, pl_tournament_n_agreements(t));
    for (size_t i = 0; i < 2; i++) {
        pl_tournament_agent_stats s;
        assert_int_equal(pl_tournament_agent_stats_get(t, i, &s), PL_OK);
        assert_int_equal(s.seats, 4);
        assert_int_equal(seats[i], 4);
        double mean = sum_u[i] / 4;
        double var = (sum_u2[i] - 4 * mean * mean) / 3;
        double half = 3.182446305 * sqrt(var > 0 ? var : 0) / 2; /* t(0.975, 3) s / sqrt(4) */
        assert_near(s.utility.mean, mean, 1e-12);
        assert_near(s.utility.lo, mean - half, 1e-9);
        assert_near(s.utility.hi, mean + half, 1e-9);
    }
    /* a hardliner facing a hardliner on Laptop: their bests differ, no deal;
    ** boulware with boulware agrees: 3 of 4 agree */
    assert_int_equal(pl_tournament_n_agreements(t), 3);
    pl_tournament_free(t);
    pl_space_free(sp);
}

/* ------------------------------------------------------------------------
** Threads
*/
static void test_threads(void **state) {
    (void)state;
    pl_test_need_shared(LAPTOP);
    pl_space *a = laptop(), *b = three();
    const pl_space *doms[2] = {a, b};
    const char *agents[4] = {"random", "linear", "tit-for-tat", "aspiration:2"};
    for (int pr = 0; pr < 2; pr++) {
        pl_protocol protocol = pr ? PL_PROTOCOL_SINGLE_TEXT : PL_PROTOCOL_SAO;
        pl_tournament *t1 = run(doms, 2, agents, 4, 5, 1, protocol);
        char *j1 = json(t1);
        for (unsigned threads = 2; threads <= 3; threads++) {
            size_t helpers = 0;
            pl_tournament *tn = NULL;
            PL_TEST_HELPERS(tn = run(doms, 2, agents, 4, 5, threads, protocol), helpers);
            assert_true(helpers >= 1);
            char *jn = json(tn);
            assert_string_equal(j1, jn);
            pl_free(jn);
            pl_tournament_free(tn);
        }
        assert_int_equal(pl_tournament_n_negotiations(t1), (16 + 64) * 5);
        pl_free(j1);
        pl_tournament_free(t1);
    }
    /* repeats differ for random agents (the seeds do); 20,000 negotiations
    ** span two blocks of chunks, and 1 and 2 threads still agree */
    const char *rnd[1] = {"random"};
    pl_tournament *r1 = run(doms, 1, rnd, 1, 20000, 1, PL_PROTOCOL_SAO);
    pl_tournament *r2 = run(doms, 1, rnd, 1, 20000, 2, PL_PROTOCOL_SAO);
    char *j1 = json(r1), *j2 = json(r2);
    assert_string_equal(j1, j2);
    pl_tournament_agent_stats s;
    assert_int_equal(pl_tournament_agent_stats_get(r1, 0, &s), PL_OK);
    assert_int_equal(s.seats, 40000);
    assert_true(s.utility.hi > s.utility.lo);
    pl_free(j1);
    pl_free(j2);
    pl_tournament_free(r1);
    pl_tournament_free(r2);
    pl_space_free(a);
    pl_space_free(b);
}

/* ------------------------------------------------------------------------
** Ranges: a tournament split into ranges of its negotiations, each written
** as a partial result and read back, joined in any order, is the whole
** tournament bit for bit (parley/part.h)
*/
static void test_ranges(void **state) {
    (void)state;
    pl_space *a = laptop(), *b = three();
    const pl_space *doms[2] = {a, b};
    const char *agents[3] = {"random", "linear", "boulware"};
    static const char *const names[] = {"--agents"}, *const values[] = {"x"};
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    o.repeat = 3;
    o.n_threads = 2;
    o.negotiate.n_steps = 20;
    uint64_t total = 0;
    assert_int_equal(pl_tournament_size(doms, 2, agents, 3, &o, NULL, &total), PL_OK);
    assert_int_equal(total, (9 + 27) * 3);
    pl_tournament *whole = NULL;
    assert_int_equal(pl_tournament_run(doms, 2, agents, 3, &o, NULL, &whole), PL_OK);
    /* cut inside a chunk of 16, at the domains' boundary (27) and past it */
    static const uint64_t cuts[] = {0, 5, 27, 40, 108};
    pl_part *parts[4] = {NULL};
    pl_part_info info = {"tournament", 0, NULL, 1, names, values, "d", 0, 0, total};
    for (int k = 0; k < 4; k++) {
        o.first = info.first = cuts[k];
        o.count = info.count = cuts[k + 1] - cuts[k];
        pl_tournament *t = NULL;
        char *text = NULL;
        assert_int_equal(pl_tournament_run(doms, 2, agents, 3, &o, NULL, &t), PL_OK);
        assert_int_equal(pl_part_write_tournament(&info, t, &text), PL_OK);
        assert_int_equal(pl_part_load_buffer(text, strlen(text), "part", NULL, &parts[3 - k]),
                         PL_OK);
        pl_free(text);
        pl_tournament_free(t);
    }
    pl_tournament *joined = NULL;
    assert_int_equal(pl_part_join_tournament((const pl_part *const *)parts, 4, doms, 2, agents, 3,
                                             &o, NULL, &joined),
                     PL_OK);
    assert_int_equal(pl_tournament_n_negotiations(joined), total);
    assert_int_equal(pl_tournament_n_agreements(joined), pl_tournament_n_agreements(whole));
    for (size_t i = 0; i < 3; i++) {
        pl_tournament_agent_stats x, y;
        assert_int_equal(pl_tournament_agent_stats_get(whole, i, &x), PL_OK);
        assert_int_equal(pl_tournament_agent_stats_get(joined, i, &y), PL_OK);
        assert_memory_equal(&x, &y, sizeof x);
    }
    /* a gap: the refusal names a part */
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_tournament *none = NULL;
    assert_int_equal(
        pl_part_join_tournament((const pl_part *const *)parts, 3, doms, 2, agents, 3, &o, d, &none),
        PL_EINPUT);
    assert_null(none);
    assert_true(pl_diags_count(d) == 1);
    pl_diags_free(d);
    for (int k = 0; k < 4; k++) pl_part_free(parts[k]);
    pl_tournament_free(joined);
    pl_tournament_free(whole);
    pl_space_free(a);
    pl_space_free(b);
}

/* ------------------------------------------------------------------------
** Stopping, and bad input
*/
static int stop_now(void *ctx, double done, double total) {
    (void)done, (void)total;
    int *calls = ctx;
    ++*calls;
    return 1;
}

static void test_stop(void **state) {
    (void)state;
    pl_space *b = three();
    const pl_space *doms[1] = {b};
    const char *agents[3] = {"random", "linear", "boulware"};
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    o.repeat = 100000;
    o.n_threads = 2;
    int calls = 0;
    o.progress = stop_now;
    o.progress_ctx = &calls;
    pl_tournament *t = (pl_tournament *)1;
    assert_int_equal(pl_tournament_run(doms, 1, agents, 3, &o, NULL, &t), PL_EINTERRUPTED);
    assert_null(t);
    assert_true(calls >= 1);
    pl_space_free(b);
}

static void test_bad_input(void **state) {
    (void)state;
    pl_space *b = three();
    const pl_space *doms[1] = {b};
    pl_tournament *t = NULL;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    const char *twice[2] = {"linear", "linear"};
    assert_int_equal(pl_tournament_run(doms, 1, twice, 2, NULL, d, &t), PL_EINVAL);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "twice"));
    pl_diags_clear(d);
    const char *unknown[2] = {"linear", "sometimes"};
    assert_int_equal(pl_tournament_run(doms, 1, unknown, 2, NULL, d, &t), PL_EINVAL);
    assert_int_equal(pl_diags_count(d), 1);
    pl_diags_clear(d);
    const char *ok[2] = {"linear", "hardliner"};
    assert_int_equal(pl_tournament_run(doms, 1, ok, 0, NULL, d, &t), PL_EINVAL);
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    o.negotiate.max_outcomes = 2; /* the single text refuses above the cap */
    o.negotiate.protocol = PL_PROTOCOL_SINGLE_TEXT;
    assert_int_equal(pl_tournament_run(doms, 1, ok, 2, &o, d, &t), PL_ERANGE);
    assert_string_equal(pl_diags_get(d, 0)->file, "three");
    pl_diags_clear(d);
    o.negotiate.max_outcomes = 0;
    o.negotiate.protocol = PL_PROTOCOL_SAO;
    o.repeat = 1000000000000ull;
    assert_int_equal(pl_tournament_run(doms, 1, ok, 2, &o, d, &t), PL_ERANGE);
    assert_null(t);
    pl_diags_free(d);
    pl_space_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),    cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_threads),   cmocka_unit_test(test_stop),
        cmocka_unit_test(test_bad_input), cmocka_unit_test(test_ranges),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
