/*
** test_sao_search.c: the agents on spaces above the cap, which search a
** linear party's packages instead of ranking them (src/sim/search.c;
** docs/simulation.md, "Searching a big space").
**
** - The proof the search is right: on spaces below the cap without ties,
**   a tiny cap (max_outcomes = 1) forces the search, and every agent pair
**   makes exactly the offers, in the same rounds, and reaches the same end
**   as with the rankings (2 and 3 parties, plain and rational mode).
** - Big spaces (10^10 packages, 2 and 3 parties): boulware and MiCRO
**   negotiate; a hardliner never concedes; boulware concedes later than
**   linear, linear later than conceder; nobody accepts below its
**   reservation value in rational mode.
** - A non-linear party, and halves too big to search, are refused with a
**   diagnostic; every allocation failure is PL_ENOMEM with nothing leaked.
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

#include "core/alloc.h"
#include "parley.h"
#include "pl_test.h"

/* ------------------------------------------------------------------------
** Spaces: n_issues issues of n_options options, k parties, each party's
** evaluations and weights drawn from a seeded generator (17 digits: no two
** packages tie).
*/
static uint64_t draw_state;
static double draw(void) {
    draw_state = draw_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(draw_state >> 11) / 9007199254740992.0;
}

static size_t put(char **buf, size_t *cap, size_t len, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(*buf + len, *cap - len, fmt, ap);
        va_end(ap);
        if ((size_t)n < *cap - len) return len + (size_t)n;
        *cap *= 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
}

/* Set: party 1 values every option at 1.1 minus party 0's value (opposed
** interests, as in the concession tests of test_sao.c). */
static int opposed;

static pl_space *make_space(size_t n_issues, size_t n_options, size_t k, uint64_t seed) {
    draw_state = seed;
    double *first = calloc(n_issues * n_options, sizeof *first);
    assert_non_null(first);
    size_t cap = 256, len = 0;
    char *dom = malloc(cap);
    assert_non_null(dom);
    len = put(&dom, &cap, len,
              "<negotiation_template><utility_space number_of_issues=\"%zu\">"
              "<objective index=\"0\" name=\"gen\">",
              n_issues);
    for (size_t i = 0; i < n_issues; i++) {
        len = put(&dom, &cap, len, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1,
                  i);
        for (size_t o = 0; o < n_options; o++)
            len = put(&dom, &cap, len, "<item index=\"%zu\" value=\"v%zu\"/>", o + 1, o);
        len = put(&dom, &cap, len, "</issue>");
    }
    len = put(&dom, &cap, len, "</objective></utility_space></negotiation_template>");
    char *profs[3];
    size_t lens[3];
    const char *ptexts[3], *pnames[3] = {"a.xml", "b.xml", "c.xml"};
    assert_true(k <= 3);
    for (size_t p = 0; p < k; p++) {
        size_t pcap = 256, l = 0;
        profs[p] = malloc(pcap);
        assert_non_null(profs[p]);
        l = put(&profs[p], &pcap, l, "<utility_space><objective index=\"0\" name=\"gen\">");
        for (size_t i = 0; i < n_issues; i++) {
            l = put(&profs[p], &pcap, l, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">",
                    i + 1, i);
            for (size_t o = 0; o < n_options; o++) {
                double e = 0.05 + draw();
                if (p == 0) first[i * n_options + o] = e;
                if (p == 1 && opposed) e = 1.1 - first[i * n_options + o];
                l = put(&profs[p], &pcap, l, "<item value=\"v%zu\" evaluation=\"%.17g\"/>", o, e);
            }
            l = put(&profs[p], &pcap, l, "</issue>");
        }
        double w[16], sum = 0;
        assert_true(n_issues <= 16);
        for (size_t i = 0; i < n_issues; i++) sum += (w[i] = 0.2 + draw());
        for (size_t i = 0; i < n_issues; i++)
            l = put(&profs[p], &pcap, l, "<weight index=\"%zu\" value=\"%.17g\"/>", i + 1,
                    w[i] / sum);
        l = put(&profs[p], &pcap, l, "</objective></utility_space>");
        lens[p] = l;
        ptexts[p] = profs[p];
    }
    pl_space *sp = NULL;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_status rc = pl_space_load_genius_buffers(dom, len, "gen.xml", ptexts, lens, pnames, k, NULL,
                                                d, &sp);
    if (rc != PL_OK && pl_diags_count(d)) fprintf(stderr, "%s\n", pl_diags_get(d, 0)->message);
    assert_int_equal(rc, PL_OK);
    pl_diags_free(d);
    free(dom);
    free(first);
    for (size_t p = 0; p < k; p++) free(profs[p]);
    return sp;
}

static pl_negotiation *run(const pl_space *sp, const char *const *agents, size_t steps,
                           uint64_t cap, int rational) {
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = steps;
    o.trace = 1;
    o.rational = rational;
    o.max_outcomes = cap;
    pl_negotiation *neg = NULL;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_status rc = pl_negotiate(sp, agents, pl_space_n_parties(sp), &o, d, &neg);
    if (rc != PL_OK && pl_diags_count(d)) fprintf(stderr, "%s\n", pl_diags_get(d, 0)->message);
    assert_int_equal(rc, PL_OK);
    pl_diags_free(d);
    return neg;
}

static const char *const agents_all[] = {"boulware", "linear",     "conceder",
                                         "tb:2",     "hardliner",  "tit-for-tat",
                                         "micro",    "aspiration", "aspiration:0.5"};
#define N_AGENTS (sizeof agents_all / sizeof agents_all[0])

/* ------------------------------------------------------------------------
** Search = ranking below the cap
*/
static void same_run(const pl_space *sp, const pl_negotiation *a, const pl_negotiation *b) {
    size_t ni = pl_space_n_issues(sp), np = pl_space_n_parties(sp);
    assert_int_equal(pl_negotiation_end_reason(a), pl_negotiation_end_reason(b));
    assert_int_equal(pl_negotiation_step(a), pl_negotiation_step(b));
    assert_int_equal(pl_negotiation_n_offers(a), pl_negotiation_n_offers(b));
    for (size_t i = 0; i < pl_negotiation_n_offers(a); i++) {
        const pl_offer *x = pl_negotiation_offer(a, i), *y = pl_negotiation_offer(b, i);
        assert_int_equal(x->round, y->round);
        assert_int_equal(x->party, y->party);
        assert_memory_equal(x->choice, y->choice, ni * sizeof(size_t));
    }
    if (pl_negotiation_agreement(a))
        assert_memory_equal(pl_negotiation_agreement(a), pl_negotiation_agreement(b),
                            ni * sizeof(size_t));
    for (size_t p = 0; p < np; p++)
        assert_true(pl_negotiation_utilities(a)[p] == pl_negotiation_utilities(b)[p]);
}

static void search_equals_ranking(size_t k, int rational) {
    pl_space *sp = make_space(4, 5, k, 17 + k); /* 625 packages */
    if (rational)
        for (size_t p = 0; p < k; p++)
            assert_int_equal(pl_space_set_reservation(sp, p, 0.45 + 0.05 * (double)p), PL_OK);
    const char *agents[3];
    size_t n_runs = 0;
    for (size_t x = 0; x < N_AGENTS; x++)
        for (size_t y = 0; y < N_AGENTS; y++) {
            agents[0] = agents_all[x];
            agents[1] = agents_all[y];
            agents[2] = agents_all[(x + y) % N_AGENTS];
            pl_negotiation *ranked = run(sp, agents, 60, 0, rational);
            pl_negotiation *searched = run(sp, agents, 60, 1, rational);
            same_run(sp, ranked, searched);
            n_runs++;
            pl_negotiation_free(ranked);
            pl_negotiation_free(searched);
        }
    assert_int_equal(n_runs, N_AGENTS * N_AGENTS);
    pl_space_free(sp);
}

static void test_search_equals_ranking(void **state) {
    (void)state;
    search_equals_ranking(2, 0);
    search_equals_ranking(3, 0);
    search_equals_ranking(2, 1);
    search_equals_ranking(3, 1);
}

/* Uneven issues (one large, several small) and a one-issue space. */
static void test_search_shapes(void **state) {
    (void)state;
    pl_space *sp = make_space(1, 40, 2, 5);
    const char *agents[2];
    for (size_t x = 0; x < N_AGENTS; x++) {
        agents[0] = agents_all[x];
        agents[1] = agents_all[(x + 3) % N_AGENTS];
        pl_negotiation *ranked = run(sp, agents, 50, 0, 0);
        pl_negotiation *searched = run(sp, agents, 50, 1, 0);
        same_run(sp, ranked, searched);
        pl_negotiation_free(ranked);
        pl_negotiation_free(searched);
    }
    pl_space_free(sp);
}

/* ------------------------------------------------------------------------
** Big spaces: 10 issues of 10 options (10^10 packages)
*/
static void test_big_negotiates(void **state) {
    (void)state;
    for (size_t k = 2; k <= 3; k++) {
        pl_space *sp = make_space(10, 10, k, 99 + k);
        const char *b[3] = {"boulware", "boulware", "boulware"};
        const char *m[3] = {"micro", "micro", "micro"};
        const char *t[3] = {"tit-for-tat", "aspiration", "linear"};
        pl_negotiation *nb = run(sp, b, 100, 0, 0);
        pl_negotiation *nm = run(sp, m, 100, 0, 0);
        pl_negotiation *nt = run(sp, t, 100, 0, 0);
        /* two boulware agents on a random linear space meet before the end */
        assert_int_equal(pl_negotiation_end_reason(nb), PL_NEG_AGREEMENT);
        assert_true(pl_negotiation_n_offers(nm) > 0);
        assert_true(pl_negotiation_n_offers(nt) > 0);
        pl_negotiation_free(nb);
        pl_negotiation_free(nm);
        pl_negotiation_free(nt);
        pl_space_free(sp);
    }
}

/* Own offers' utility, round by round, against a hardliner; returns the
** rounds played (the hardliner's best may suit the agent well enough to
** accept early on a random space). */
static size_t own_offers(const pl_space *sp, const char *agent, double *u, size_t steps) {
    const char *agents[2] = {agent, "hardliner"};
    pl_negotiation *neg = run(sp, agents, steps, 0, 0);
    double last = 1;
    size_t next = 0;
    for (size_t i = 0; i < pl_negotiation_n_offers(neg); i++) {
        const pl_offer *of = pl_negotiation_offer(neg, i);
        if (of->party != 0) continue;
        while (next < of->round) u[next++] = last;
        last = of->utility[0];
        u[next++] = last;
    }
    while (next < steps) u[next++] = last;
    size_t played = pl_negotiation_step(neg);
    pl_negotiation_free(neg);
    return played;
}

static void test_big_properties(void **state) {
    (void)state;
    enum { STEPS = 100 };
    opposed = 1;
    pl_space *sp = make_space(10, 10, 2, 7);
    opposed = 0;
    /* the hardliner: every offer its best */
    const char *h[2] = {"conceder", "hardliner"};
    pl_negotiation *neg = run(sp, h, STEPS, 0, 0);
    double hard = -1;
    for (size_t i = 0; i < pl_negotiation_n_offers(neg); i++) {
        const pl_offer *of = pl_negotiation_offer(neg, i);
        if (of->party != 1) continue;
        if (hard < 0) hard = of->utility[1];
        assert_true(of->utility[1] == hard);
    }
    if (pl_negotiation_agreement(neg)) assert_true(pl_negotiation_utilities(neg)[1] == hard);
    pl_negotiation_free(neg);
    /* concession order */
    double b[STEPS], l[STEPS], c[STEPS];
    size_t n = own_offers(sp, "boulware", b, STEPS);
    size_t nl = own_offers(sp, "linear", l, STEPS), nc = own_offers(sp, "conceder", c, STEPS);
    if (nl < n) n = nl;
    if (nc < n) n = nc;
    assert_true(n > 20);
    size_t kb = 0, kl = 0, kc = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        assert_true(b[k] >= l[k] - 1e-4);
        assert_true(l[k] >= c[k] - 1e-4);
    }
    while (kb < STEPS && b[kb] >= 0.9 * b[0]) kb++;
    while (kl < STEPS && l[kl] >= 0.9 * l[0]) kl++;
    while (kc < STEPS && c[kc] >= 0.9 * c[0]) kc++;
    assert_true(kc < kl && kl < kb);
    pl_space_free(sp);
}

static void test_big_rational(void **state) {
    (void)state;
    for (size_t k = 2; k <= 3; k++) {
        pl_space *sp = make_space(10, 10, k, 31 + k);
        for (size_t p = 0; p < k; p++)
            assert_int_equal(pl_space_set_reservation(sp, p, 0.55 + 0.02 * (double)p), PL_OK);
        const char *sets[4][3] = {{"conceder", "conceder", "conceder"},
                                  {"micro", "linear", "tit-for-tat"},
                                  {"aspiration:0.5", "conceder", "micro"},
                                  {"tit-for-tat", "tit-for-tat", "conceder"}};
        for (size_t s = 0; s < 4; s++) {
            pl_negotiation *neg = run(sp, sets[s], 60, 0, 1);
            if (pl_negotiation_agreement(neg))
                for (size_t p = 0; p < k; p++)
                    assert_true(pl_negotiation_utilities(neg)[p] >= pl_space_reservation(sp, p));
            pl_negotiation_free(neg);
        }
        pl_space_free(sp);
    }
}

/* ------------------------------------------------------------------------
** Refusals and allocation failures
*/
static void test_refusals(void **state) {
    (void)state;
    /* 3 issues of 2000 options: halves of 2000 and 4e6 > 2^22 */
    pl_space *sp = make_space(3, 2100, 2, 3);
    const char *agents[2] = {"boulware", "hardliner"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, agents, 2, &o, d, &neg), PL_ERANGE);
    assert_null(neg);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "halves small enough to search"));
    pl_diags_free(d);
    pl_space_free(sp);
}

static void test_alloc_failures(void **state) {
    (void)state;
    pl_space *sp = make_space(6, 6, 3, 11);
    const char *agents[3] = {"micro", "tit-for-tat", "boulware"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.trace = 1;
    o.n_steps = 40;
    o.max_outcomes = 10;
    for (long k = 0;; k++) {
        pl_negotiation *neg = NULL;
        pl__alloc_fail_after(k);
        pl_status rc = pl_negotiate(sp, agents, 3, &o, NULL, &neg);
        pl__alloc_fail_reset();
        pl_negotiation_free(neg);
        if (rc == PL_OK) break;
        assert_int_equal(rc, PL_ENOMEM);
        assert_true(k < 100000);
    }
    pl_space_free(sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_equals_ranking), cmocka_unit_test(test_search_shapes),
        cmocka_unit_test(test_big_negotiates),        cmocka_unit_test(test_big_properties),
        cmocka_unit_test(test_big_rational),          cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_alloc_failures),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
