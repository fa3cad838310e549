/*
** test_single_text.c: the mediated single negotiating text
** (pl_negotiate with PL_PROTOCOL_SINGLE_TEXT; docs/simulation.md).
**
** - The issue's acceptance test: the single text ends on a Pareto-optimal
**   text for two linear agents, on the Laptop GENIUS domain
**   (../shared/data/genius/Laptop) and on generated spaces, for many seeds;
**   Pareto-optimal is checked against every package by brute force and
**   against the frontier of pl_deals_run (distance 0).
** - Every text put to the vote is Pareto-optimal, whatever the agents; each
**   later text is better for every party that rejected the one before (or
**   the same text when all rejected).
** - Determinism: the same inputs give the same report byte for byte; the
**   seed chooses the starting text.
** - The deadline: two hardliners never agree; the run times out after N
**   rounds with N votes.
** - Rational mode: nobody ends below its reservation value.
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

#define LAPTOP "data/genius/Laptop"

/* ------------------------------------------------------------------------
** Spaces
*/
static pl_space *laptop(void) {
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_dir(pl_test_shared(LAPTOP), NULL, NULL, &sp), PL_OK);
    return sp;
}

static uint64_t lcg(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* A generated GENIUS space: k parties, ni discrete issues of 2 .. 5
** options, evaluations and weights drawn from `seed`. */
static pl_space *generated(size_t k, size_t ni, uint64_t seed) {
    size_t cap = 4096 + 400 * ni;
    char *dom = malloc(cap);
    assert_non_null(dom);
    size_t n_opt[16];
    assert_true(ni <= 16 && k <= 8);
    size_t len = (size_t)snprintf(dom, cap,
                                  "<negotiation_template><utility_space number_of_issues=\"%zu\">"
                                  "<objective index=\"0\" name=\"gen\">",
                                  ni);
    for (size_t i = 0; i < ni; i++) {
        n_opt[i] = 2 + (size_t)(lcg(&seed) % 4);
        len += (size_t)snprintf(dom + len, cap - len,
                                "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i);
        for (size_t o = 0; o < n_opt[i]; o++)
            len += (size_t)snprintf(dom + len, cap - len, "<item index=\"%zu\" value=\"v%zu\"/>",
                                    o + 1, o);
        len += (size_t)snprintf(dom + len, cap - len, "</issue>");
    }
    len += (size_t)snprintf(dom + len, cap - len,
                            "</objective></utility_space></negotiation_template>");
    char *profs[8];
    size_t lens[8];
    char names[8][16];
    const char *pnames[8], *ptexts[8];
    for (size_t p = 0; p < k; p++) {
        profs[p] = malloc(cap);
        assert_non_null(profs[p]);
        size_t l = (size_t)snprintf(profs[p], cap,
                                    "<utility_space><objective index=\"0\" name=\"gen\">");
        for (size_t i = 0; i < ni; i++) {
            l += (size_t)snprintf(profs[p] + l, cap - l,
                                  "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1,
                                  i);
            for (size_t o = 0; o < n_opt[i]; o++)
                l += (size_t)snprintf(profs[p] + l, cap - l,
                                      "<item value=\"v%zu\" evaluation=\"%u\"/>", o,
                                      (unsigned)(1 + lcg(&seed) % 100));
            l += (size_t)snprintf(profs[p] + l, cap - l, "</issue>");
        }
        for (size_t i = 0; i < ni; i++)
            l += (size_t)snprintf(profs[p] + l, cap - l, "<weight index=\"%zu\" value=\"%u\"/>",
                                  i + 1, (unsigned)(1 + lcg(&seed) % 10));
        l += (size_t)snprintf(profs[p] + l, cap - l, "</objective></utility_space>");
        lens[p] = l;
        snprintf(names[p], sizeof names[p], "party%zu.xml", p);
        pnames[p] = names[p];
        ptexts[p] = profs[p];
    }
    pl_space *sp = NULL;
    assert_int_equal(
        pl_space_load_genius_buffers(dom, len, "gen.xml", ptexts, lens, pnames, k, NULL, NULL, &sp),
        PL_OK);
    free(dom);
    for (size_t p = 0; p < k; p++) free(profs[p]);
    return sp;
}

/* ------------------------------------------------------------------------
** Helpers
*/
static pl_negotiation *run_st(const pl_space *sp, const char *const *agents, size_t steps,
                              uint64_t seed, int trace, int rational) {
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = steps;
    o.seed = seed;
    o.trace = trace;
    o.rational = rational;
    o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, agents, pl_space_n_parties(sp), &o, NULL, &neg), PL_OK);
    assert_int_equal(pl_negotiation_protocol(neg), PL_PROTOCOL_SINGLE_TEXT);
    return neg;
}

/* Decode enumeration index x into choice. */
static void decode(const pl_space *sp, uint64_t x, size_t *choice) {
    for (size_t i = pl_space_n_issues(sp); i-- > 0;) {
        size_t n = pl_space_n_options(sp, i);
        choice[i] = (size_t)(x % n);
        x /= n;
    }
}

/* 1 if no package Pareto-dominates `choice` (brute force). */
static int pareto_optimal(const pl_space *sp, const size_t *choice) {
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp);
    double u[8], v[8];
    size_t c[16];
    assert_true(np <= 8 && ni <= 16);
    assert_int_equal(pl_space_utility(sp, choice, u), PL_OK);
    int overflow = 0;
    uint64_t n = pl_space_size(sp, &overflow);
    for (uint64_t x = 0; x < n; x++) {
        decode(sp, x, c);
        assert_int_equal(pl_space_utility(sp, c, v), PL_OK);
        int ge = 1, gt = 0;
        for (size_t p = 0; p < np; p++) {
            if (v[p] < u[p]) ge = 0;
            if (v[p] > u[p]) gt = 1;
        }
        if (ge && gt) return 0;
    }
    return 1;
}

/* The agreement is Pareto-optimal: by brute force and at distance 0 from
** the frontier of pl_deals_run. */
static void check_pareto_agreement(const pl_space *sp, const pl_negotiation *neg) {
    assert_int_equal(pl_negotiation_end_reason(neg), PL_NEG_AGREEMENT);
    assert_true(pareto_optimal(sp, pl_negotiation_agreement(neg)));
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, NULL, NULL, &d), PL_OK);
    pl_negotiation_stats st;
    assert_int_equal(pl_negotiation_stats_get(neg, d, &st), PL_OK);
    assert_true(st.has_pareto);
    assert_near(st.pareto_distance, 0.0, 1e-12);
    pl_deals_free(d);
}

static char *report(const pl_space *sp, const pl_negotiation *neg, pl_format f) {
    char *text = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, NULL, f, &text), PL_OK);
    return text;
}

/* ------------------------------------------------------------------------
** The acceptance test: two linear agents end on a Pareto-optimal text
*/
static void test_linear_pareto_laptop(void **state) {
    (void)state;
    pl_test_need_shared(LAPTOP);
    pl_space *sp = laptop();
    const char *agents[2] = {"linear", "linear"};
    for (uint64_t seed = 0; seed < 30; seed++) {
        pl_negotiation *neg = run_st(sp, agents, 100, seed, 0, 0);
        check_pareto_agreement(sp, neg);
        pl_negotiation_free(neg);
    }
    pl_space_free(sp);
}

static void test_linear_pareto_generated(void **state) {
    (void)state;
    const char *agents[2] = {"linear", "linear"};
    for (uint64_t g = 1; g <= 12; g++) {
        pl_space *sp = generated(2, 3 + (size_t)(g % 4), g * 7919);
        for (uint64_t seed = 1; seed <= 5; seed++) {
            pl_negotiation *neg = run_st(sp, agents, 100, seed, 0, 0);
            check_pareto_agreement(sp, neg);
            pl_negotiation_free(neg);
        }
        pl_space_free(sp);
    }
}

/* ------------------------------------------------------------------------
** The texts: every voted text Pareto-optimal; each move better for every
** party that rejected
*/
static void check_texts(const pl_space *sp, const pl_negotiation *neg) {
    size_t np = pl_space_n_parties(sp), n = pl_negotiation_n_offers(neg);
    const pl_offer *prev = NULL;
    size_t n_voted = 0;
    for (size_t k = 0; k < n; k++) {
        const pl_offer *of = pl_negotiation_offer(neg, k);
        assert_true(of->party == PL_MEDIATOR);
        if (!of->votes) { /* an improvement before the first vote */
            assert_int_equal(of->round, 0);
            assert_int_equal(n_voted, 0);
            assert_false(pareto_optimal(sp, of->choice));
            continue;
        }
        assert_int_equal(of->round, n_voted);
        n_voted++;
        assert_true(pareto_optimal(sp, of->choice));
        if (prev) {
            int all_rejected = 1, same = 1;
            for (size_t p = 0; p < np; p++) all_rejected &= !prev->votes[p];
            for (size_t i = 0; i < pl_space_n_issues(sp); i++)
                same &= prev->choice[i] == of->choice[i];
            if (all_rejected) assert_true(same);
            if (!same)
                for (size_t p = 0; p < np; p++)
                    if (!prev->votes[p]) assert_true(of->utility[p] > prev->utility[p]);
        }
        prev = of;
    }
    if (pl_negotiation_end_reason(neg) == PL_NEG_AGREEMENT) {
        assert_non_null(prev);
        for (size_t p = 0; p < np; p++) assert_int_equal(prev->votes[p], 1);
        assert_int_equal(pl_negotiation_step(neg), n_voted);
    }
}

static void test_texts(void **state) {
    (void)state;
    static const char *const specs[] = {"boulware", "linear",     "conceder",
                                        "tb:2",     "hardliner",  "tit-for-tat",
                                        "micro",    "aspiration", "random:0.3"};
    size_t ns = sizeof specs / sizeof specs[0];
    pl_space *spaces[2] = {generated(2, 4, 17), generated(3, 3, 29)};
    for (int s = 0; s < 2; s++) {
        size_t np = pl_space_n_parties(spaces[s]);
        for (size_t a = 0; a < ns; a++)
            for (size_t b = 0; b < ns; b++) {
                const char *agents[3] = {specs[a], specs[b], specs[(a + b) % ns]};
                pl_negotiation *neg = run_st(spaces[s], agents, 60, a * 31 + b, 1, 0);
                check_texts(spaces[s], neg);
                if (pl_negotiation_end_reason(neg) == PL_NEG_AGREEMENT)
                    assert_true(pareto_optimal(spaces[s], pl_negotiation_agreement(neg)));
                else assert_int_equal(pl_negotiation_end_reason(neg), PL_NEG_TIMEOUT);
                (void)np;
                pl_negotiation_free(neg);
            }
        pl_space_free(spaces[s]);
    }
}

/* ------------------------------------------------------------------------
** Determinism and the seed
*/
static void test_determinism(void **state) {
    (void)state;
    pl_space *sp = generated(2, 5, 4242);
    const char *agents[2] = {"conceder", "random"};
    for (int fi = PL_FORMAT_TEXT; fi <= PL_FORMAT_CSV; fi++) {
        pl_format f = (pl_format)fi;
        pl_negotiation *a = run_st(sp, agents, 100, 7, 1, 0);
        pl_negotiation *b = run_st(sp, agents, 100, 7, 1, 0);
        char *ta = report(sp, a, f), *tb = report(sp, b, f);
        assert_string_equal(ta, tb);
        pl_free(ta);
        pl_free(tb);
        pl_negotiation_free(a);
        pl_negotiation_free(b);
    }
    /* the seed chooses the starting text: some two seeds start apart */
    int differ = 0;
    const char *lin[2] = {"linear", "linear"};
    pl_negotiation *first = run_st(sp, lin, 100, 1, 1, 0);
    for (uint64_t seed = 2; seed < 20 && !differ; seed++) {
        pl_negotiation *neg = run_st(sp, lin, 100, seed, 1, 0);
        const pl_offer *x = pl_negotiation_offer(first, 0), *y = pl_negotiation_offer(neg, 0);
        for (size_t i = 0; i < pl_space_n_issues(sp); i++) differ |= x->choice[i] != y->choice[i];
        pl_negotiation_free(neg);
    }
    assert_true(differ);
    pl_negotiation_free(first);
    pl_space_free(sp);
}

/* ------------------------------------------------------------------------
** The deadline
*/
static void test_deadline(void **state) {
    (void)state;
    pl_space *sp = generated(2, 4, 99);
    const char *agents[2] = {"hardliner", "hardliner"};
    for (size_t steps = 1; steps <= 13; steps += 4) {
        pl_negotiation *neg = run_st(sp, agents, steps, 1, 1, 0);
        assert_int_equal(pl_negotiation_end_reason(neg), PL_NEG_TIMEOUT);
        assert_int_equal(pl_negotiation_step(neg), steps);
        assert_null(pl_negotiation_agreement(neg));
        size_t voted = 0;
        for (size_t k = 0; k < pl_negotiation_n_offers(neg); k++)
            voted += pl_negotiation_offer(neg, k)->votes != NULL;
        assert_int_equal(voted, steps);
        const double *u = pl_negotiation_utilities(neg);
        for (size_t p = 0; p < 2; p++) assert_true(u[p] == pl_space_reservation(sp, p));
        pl_negotiation_free(neg);
    }
    /* the time-based agents agree in time, later with a later deadline's
    ** slower concession never earlier than round 1 */
    const char *lin[2] = {"boulware", "boulware"};
    pl_negotiation *neg = run_st(sp, lin, 1000, 1, 0, 0);
    assert_int_equal(pl_negotiation_end_reason(neg), PL_NEG_AGREEMENT);
    assert_true(pl_negotiation_step(neg) <= 1000);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* ------------------------------------------------------------------------
** Rational mode, and bad input
*/
static void test_rational(void **state) {
    (void)state;
    pl_test_need_shared(LAPTOP);
    pl_space *sp = laptop();
    static const char *const specs[] = {"conceder", "linear", "micro", "random", "tit-for-tat"};
    for (size_t a = 0; a < 5; a++)
        for (size_t b = 0; b < 5; b++) {
            const char *agents[2] = {specs[a], specs[b]};
            pl_negotiation *neg = run_st(sp, agents, 50, 3, 0, 1);
            const double *u = pl_negotiation_utilities(neg);
            for (size_t p = 0; p < 2; p++) assert_true(u[p] >= pl_space_reservation(sp, p));
            pl_negotiation_free(neg);
        }
    pl_space_free(sp);
}

static void test_bad_input(void **state) {
    (void)state;
    pl_space *sp = generated(2, 3, 5);
    const char *agents[2] = {"linear", "linear"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.protocol = (pl_protocol)7;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &neg), PL_EINVAL);
    assert_null(neg);
    /* the mediator weighs every package: the cap holds for hardliners too */
    const char *hard[2] = {"hardliner", "hardliner"};
    o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    o.max_outcomes = 2;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_negotiate(sp, hard, 2, &o, d, &neg), PL_ERANGE);
    assert_int_equal(pl_diags_count(d), 1);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "single-text mediator"));
    pl_diags_free(d);
    pl_protocol pr;
    assert_int_equal(pl_protocol_from_name("single-text", &pr), PL_OK);
    assert_int_equal(pr, PL_PROTOCOL_SINGLE_TEXT);
    assert_int_equal(pl_protocol_from_name("mediated", &pr), PL_ENOTFOUND);
    assert_string_equal(pl_protocol_name(PL_PROTOCOL_SAO), "sao");
    assert_null(pl_protocol_name((pl_protocol)9));
    pl_space_free(sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_pareto_laptop),
        cmocka_unit_test(test_linear_pareto_generated),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_rational),
        cmocka_unit_test(test_bad_input),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
