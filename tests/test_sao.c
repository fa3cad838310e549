/*
** test_sao.c: the stacked alternating offers protocol and its agents
** (pl_negotiate; docs/simulation.md).
**
** - Reference: every record of ../shared/data/sao/reference.jsonl (negmas
**   0.15.7 on Laptop and ItexvsCypress, every ordered pair of agents,
**   N = 100) reproduced: agreement and step exactly, utilities to 1e-9, and
**   the offer trace exactly for the runs without micro (MiCRO's re-sends
**   are negmas's random picks).
** - Properties: a hardliner never concedes; boulware concedes later than
**   linear, linear later than conceder (the utility of their own offers,
**   round by round); in rational mode no agent accepts below its
**   reservation value; discounting gives U d^t; runs are deterministic,
**   random agents by their seed; bad input is refused; every allocation
**   failure is PL_ENOMEM with nothing leaked.
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "sim/sao_int.h"
#include "parley.h"
#include "pl_test.h"

#define REF "data/sao/reference.jsonl"

/* ------------------------------------------------------------------------
** Spaces
*/
static pl_space *load_genius_files(const char *domain, const char *const *profiles, size_t n) {
    pl_diags *d = NULL;
    pl_space *sp = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_status rc = pl_space_load_genius(domain, profiles, n, NULL, d, &sp);
    if (rc != PL_OK && pl_diags_count(d)) fprintf(stderr, "%s\n", pl_diags_get(d, 0)->message);
    assert_int_equal(rc, PL_OK);
    pl_diags_free(d);
    return sp;
}

/* A one-issue space of n options (n >= 2) and k parties; party p values
** option o at (o / (n - 1)) for even p and 1 - that for odd p, with the
** weight of a second two-option issue making the utilities distinct. */
static pl_space *make_line(size_t n, size_t k) {
    size_t cap = 200 + 80 * n;
    char *dom = malloc(cap);
    assert_non_null(dom);
    size_t len = (size_t)snprintf(dom, cap,
                                  "<negotiation_template><utility_space number_of_issues=\"2\">"
                                  "<objective index=\"0\" name=\"line\">"
                                  "<issue index=\"1\" name=\"x\" type=\"discrete\">");
    for (size_t o = 0; o < n; o++)
        len += (size_t)snprintf(dom + len, cap - len, "<item index=\"%zu\" value=\"v%zu\"/>", o + 1,
                                o);
    len += (size_t)snprintf(dom + len, cap - len,
                            "</issue><issue index=\"2\" name=\"y\" type=\"discrete\">"
                            "<item index=\"1\" value=\"a\"/><item index=\"2\" value=\"b\"/>"
                            "</issue></objective></utility_space></negotiation_template>");
    char *profs[8];
    size_t lens[8];
    char names[8][16];
    const char *pnames[8];
    const char *ptexts[8];
    assert_true(k <= 8);
    for (size_t p = 0; p < k; p++) {
        profs[p] = malloc(cap);
        assert_non_null(profs[p]);
        size_t l = (size_t)snprintf(profs[p], cap,
                                    "<utility_space><objective index=\"0\" name=\"line\">"
                                    "<issue index=\"1\" name=\"x\" type=\"discrete\">");
        for (size_t o = 0; o < n; o++) {
            double e = (double)o / (double)(n - 1);
            if (p % 2) e = 1 - e;
            l += (size_t)snprintf(profs[p] + l, cap - l,
                                  "<item value=\"v%zu\" evaluation=\"%.17g\"/>", o, e);
        }
        l += (size_t)snprintf(profs[p] + l, cap - l,
                              "</issue><issue index=\"2\" name=\"y\" type=\"discrete\">"
                              "<item value=\"a\" evaluation=\"%d\"/>"
                              "<item value=\"b\" evaluation=\"%d\"/></issue>"
                              "<weight index=\"1\" value=\"0.9\"/>"
                              "<weight index=\"2\" value=\"0.1\"/>"
                              "</objective></utility_space>",
                              p % 2 ? 1 : 2, p % 2 ? 2 : 1);
        lens[p] = l;
        snprintf(names[p], sizeof names[p], "party%zu.xml", p);
        pnames[p] = names[p];
        ptexts[p] = profs[p];
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_buffers(dom, len, "line.xml", ptexts, lens, pnames, k,
                                                  NULL, NULL, &sp),
                     PL_OK);
    free(dom);
    for (size_t p = 0; p < k; p++) free(profs[p]);
    return sp;
}

static pl_negotiation *run(const pl_space *sp, const char *a, const char *b, size_t steps,
                           int trace, int rational) {
    const char *agents[2] = {a, b};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = steps;
    o.trace = trace;
    o.rational = rational;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &neg), PL_OK);
    return neg;
}

/* ------------------------------------------------------------------------
** The reference
*/
static int option_index(const pl_space *sp, size_t issue, const char *label) {
    for (size_t o = 0; o < pl_space_n_options(sp, issue); o++)
        if (strcmp(pl_space_option(sp, issue, o), label) == 0) return (int)o;
    return -1;
}

/* Returns 1 if the record is reproduced (agreement, step, utilities, and
** the trace when compare_trace); prints what differs otherwise. */
static int check_record(const json_t *rec, size_t line, int *traced, int *trace_ok) {
    const json_t *files = json_object_get(rec, "files");
    const json_t *agents = json_object_get(rec, "agents");
    size_t n = json_array_size(agents);
    assert_true(n >= 2 && n <= 8 && json_array_size(files) == n + 1);
    char paths[9][512];
    const char *profiles[8], *specs[8];
    for (size_t k = 0; k <= n; k++) {
        char rel[400];
        snprintf(rel, sizeof rel, "data/genius/%s", json_string_value(json_array_get(files, k)));
        snprintf(paths[k], sizeof paths[k], "%s", pl_test_shared(rel));
        if (k) profiles[k - 1] = paths[k];
    }
    int has_micro = 0;
    for (size_t k = 0; k < n; k++) {
        specs[k] = json_string_value(json_array_get(agents, k));
        if (strcmp(specs[k], "micro") == 0) has_micro = 1;
    }
    pl_space *sp = load_genius_files(paths[0], profiles, n);
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = (size_t)json_integer_value(json_object_get(rec, "steps"));
    o.trace = 1;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, specs, n, &o, NULL, &neg), PL_OK);
    int ok = 1;
    const char *dom = json_string_value(json_object_get(rec, "domain"));
    size_t step = (size_t)json_integer_value(json_object_get(rec, "step"));
    if (pl_negotiation_step(neg) != step) {
        fprintf(stderr, "line %zu (%s %s,%s): step %zu, expected %zu\n", line, dom, specs[0],
                specs[1], pl_negotiation_step(neg), step);
        ok = 0;
    }
    const json_t *agr = json_object_get(rec, "agreement");
    const size_t *got = pl_negotiation_agreement(neg);
    if (json_is_null(agr) != (got == NULL)) {
        fprintf(stderr, "line %zu (%s %s,%s): agreement %s, expected %s\n", line, dom, specs[0],
                specs[1], got ? "reached" : "none", json_is_null(agr) ? "none" : "one");
        ok = 0;
    } else if (got) {
        for (size_t i = 0; i < pl_space_n_issues(sp); i++) {
            const char *want = json_string_value(json_object_get(agr, pl_space_issue(sp, i)));
            if (!want || option_index(sp, i, want) != (int)got[i]) {
                fprintf(stderr, "line %zu (%s %s,%s): issue %s is %s, expected %s\n", line, dom,
                        specs[0], specs[1], pl_space_issue(sp, i), pl_space_option(sp, i, got[i]),
                        want ? want : "(missing)");
                ok = 0;
            }
        }
    }
    const json_t *us = json_object_get(rec, "utilities");
    for (size_t p = 0; p < n; p++) {
        double want = json_real_value(json_array_get(us, p));
        double have = pl_negotiation_utilities(neg)[p];
        if (!(fabs(want - have) <= 1e-9)) {
            fprintf(stderr, "line %zu (%s %s,%s): utility %zu is %.17g, expected %.17g\n", line,
                    dom, specs[0], specs[1], p, have, want);
            ok = 0;
        }
    }
    if (!has_micro) {
        const json_t *trace = json_object_get(rec, "trace");
        int same = json_array_size(trace) == pl_negotiation_n_offers(neg);
        for (size_t k = 0; same && k < json_array_size(trace); k++) {
            const json_t *row = json_array_get(trace, k);
            const pl_offer *of = pl_negotiation_offer(neg, k);
            if ((size_t)json_integer_value(json_array_get(row, 0)) != of->round ||
                (size_t)json_integer_value(json_array_get(row, 1)) != of->party) {
                same = 0;
                break;
            }
            const json_t *vals = json_array_get(row, 2);
            for (size_t i = 0; i < pl_space_n_issues(sp); i++)
                if (option_index(sp, i, json_string_value(json_array_get(vals, i))) !=
                    (int)of->choice[i])
                    same = 0;
            if (!same)
                fprintf(stderr, "line %zu (%s %s,%s): offer %zu differs\n", line, dom, specs[0],
                        specs[1], k);
        }
        if (!same && json_array_size(trace) != pl_negotiation_n_offers(neg))
            fprintf(stderr, "line %zu (%s %s,%s): %zu offers, expected %zu\n", line, dom, specs[0],
                    specs[1], pl_negotiation_n_offers(neg), json_array_size(trace));
        (*traced)++;
        if (same) (*trace_ok)++;
        else ok = 0;
    }
    pl_negotiation_free(neg);
    pl_space_free(sp);
    return ok;
}

static void test_reference(void **state) {
    (void)state;
    pl_test_need_shared(REF);
    FILE *f = fopen(pl_test_shared(REF), "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0, n_lines = 0, n_ok = 0;
    int traced = 0, trace_ok = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        json_error_t err;
        json_t *rec = json_loadb(line, (size_t)len, 0, &err);
        assert_non_null(rec);
        n_lines++;
        n_ok += (size_t)check_record(rec, n_lines, &traced, &trace_ok);
        json_decref(rec);
    }
    free(line);
    fclose(f);
    printf("reference: %zu of %zu records reproduced (agreement, step, utilities to 1e-9); "
           "traces %d of %d runs without micro\n",
           n_ok, n_lines, trace_ok, traced);
    assert_int_equal(n_lines, 69);
    assert_int_equal(n_ok, n_lines);
    assert_int_equal(trace_ok, traced);
}

/* ------------------------------------------------------------------------
** Properties
*/
static const char *const all_agents[] = {"boulware",       "linear",      "conceder", "tb:2",
                                         "hardliner",      "tit-for-tat", "micro",    "aspiration",
                                         "aspiration:0.5", "random"};
#define N_ALL (sizeof all_agents / sizeof all_agents[0])

/* The hardliner offers its best package in every round and accepts nothing
** worth less to it. */
static void test_hardliner_never_concedes(void **state) {
    (void)state;
    pl_space *sp = make_line(41, 2);
    for (size_t side = 0; side < 2; side++)
        for (size_t k = 0; k < N_ALL; k++) {
            pl_negotiation *neg = side == 0 ? run(sp, "hardliner", all_agents[k], 60, 1, 0)
                                            : run(sp, all_agents[k], "hardliner", 60, 1, 0);
            size_t n = pl_negotiation_n_offers(neg);
            for (size_t i = 0; i < n; i++) {
                const pl_offer *of = pl_negotiation_offer(neg, i);
                if (of->party != side) continue;
                assert_near(of->utility[side], 1.0, 1e-12);
            }
            if (pl_negotiation_agreement(neg))
                assert_true(pl_negotiation_utilities(neg)[side] >= 1.0 - 1e-10);
            pl_negotiation_free(neg);
        }
    pl_space_free(sp);
}

/* Own offers' utility in every round against a hardliner (which never
** agrees to less than its best, so each runs to the deadline or to the
** hardliner's package): boulware >= linear >= conceder round by round, and
** strictly somewhere in between. */
static void own_offers(const pl_space *sp, const char *agent, double *u, size_t steps) {
    pl_negotiation *neg = run(sp, agent, "hardliner", steps, 1, 0);
    for (size_t k = 0; k < steps; k++) u[k] = 0; /* after the agreement: the last offer */
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
    pl_negotiation_free(neg);
}

static void test_concession_order(void **state) {
    (void)state;
    enum { STEPS = 100 };
    pl_space *sp = make_line(201, 2);
    double b[STEPS], l[STEPS], c[STEPS];
    own_offers(sp, "boulware", b, STEPS);
    own_offers(sp, "linear", l, STEPS);
    own_offers(sp, "conceder", c, STEPS);
    int strict_bl = 0, strict_lc = 0;
    for (size_t k = 0; k < STEPS; k++) {
        assert_true(b[k] >= l[k] - 1e-12);
        assert_true(l[k] >= c[k] - 1e-12);
        if (b[k] > l[k] + 0.01) strict_bl = 1;
        if (l[k] > c[k] + 0.01) strict_lc = 1;
    }
    assert_true(strict_bl && strict_lc);
    /* and the first round each offers below 0.9 comes in that order */
    size_t kb = 0, kl = 0, kc = 0;
    while (kb < STEPS && b[kb] >= 0.9) kb++;
    while (kl < STEPS && l[kl] >= 0.9) kl++;
    while (kc < STEPS && c[kc] >= 0.9) kc++;
    assert_true(kc < kl && kl < kb);
    /* tb:E between: tb:2 between linear and boulware */
    double t2[STEPS];
    own_offers(sp, "tb:2", t2, STEPS);
    for (size_t k = 0; k < STEPS; k++) assert_true(b[k] >= t2[k] - 1e-12 && t2[k] >= l[k] - 1e-12);
    pl_space_free(sp);
}

/* In rational mode nobody accepts a package below its reservation value;
** with two and three parties, every pair of agents. */
static void test_rational_acceptance(void **state) {
    (void)state;
    for (size_t k_parties = 2; k_parties <= 3; k_parties++) {
        pl_space *sp = make_line(31, k_parties);
        for (size_t p = 0; p < k_parties; p++)
            assert_int_equal(pl_space_set_reservation(sp, p, 0.35 + 0.05 * (double)p), PL_OK);
        size_t n_agreements = 0;
        for (size_t a = 0; a < N_ALL; a++)
            for (size_t b = 0; b < N_ALL; b++) {
                const char *agents[3] = {all_agents[a], all_agents[b], all_agents[(a + b) % N_ALL]};
                pl_negotiate_options o;
                memset(&o, 0, sizeof o);
                o.n_steps = 50;
                o.rational = 1;
                o.seed = 7;
                pl_negotiation *neg = NULL;
                assert_int_equal(pl_negotiate(sp, agents, k_parties, &o, NULL, &neg), PL_OK);
                const double *u = pl_negotiation_utilities(neg);
                for (size_t p = 0; p < k_parties; p++)
                    if (!(u[p] >= pl_space_reservation(sp, p)))
                        fail_msg("%zu parties, %s vs %s (vs %s): party %zu has %.17g, below its "
                                 "reservation %.17g (%s)",
                                 k_parties, agents[0], agents[1], agents[2], p, u[p],
                                 pl_space_reservation(sp, p),
                                 pl_negotiation_end_name(pl_negotiation_end_reason(neg)));
                if (pl_negotiation_agreement(neg)) n_agreements++;
                pl_negotiation_free(neg);
            }
        assert_true(n_agreements > 0);
        /* with reservation values no package meets (u0 + u1 is about 1),
        ** negmas's rule (rational off) still lets conceders agree; rational
        ** mode does not */
        if (k_parties == 2) {
            assert_int_equal(pl_space_set_reservation(sp, 0, 0.6), PL_OK);
            assert_int_equal(pl_space_set_reservation(sp, 1, 0.6), PL_OK);
            pl_negotiation *neg = run(sp, "conceder", "conceder", 50, 0, 0);
            assert_non_null(pl_negotiation_agreement(neg));
            const double *u = pl_negotiation_utilities(neg);
            assert_true(u[0] < 0.6 || u[1] < 0.6);
            pl_negotiation_free(neg);
            neg = run(sp, "conceder", "conceder", 50, 0, 1);
            assert_null(pl_negotiation_agreement(neg));
            pl_negotiation_free(neg);
        }
        pl_space_free(sp);
    }
}

/* Same inputs, same run; random agents follow their seed. */
static void test_deterministic(void **state) {
    (void)state;
    pl_space *sp = make_line(51, 2);
    const char *agents[2] = {"random:0.05", "random:0.05"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.trace = 1;
    o.n_steps = 200;
    size_t differ = 0;
    pl_negotiation *first = NULL;
    for (unsigned long long seed = 1; seed <= 5; seed++) {
        o.seed = seed;
        pl_negotiation *a = NULL, *b = NULL;
        assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &a), PL_OK);
        assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &b), PL_OK);
        assert_int_equal(pl_negotiation_n_offers(a), pl_negotiation_n_offers(b));
        for (size_t i = 0; i < pl_negotiation_n_offers(a); i++)
            assert_memory_equal(pl_negotiation_offer(a, i)->choice,
                                pl_negotiation_offer(b, i)->choice, 2 * sizeof(size_t));
        if (!first) {
            first = a;
        } else {
            if (pl_negotiation_n_offers(first) != pl_negotiation_n_offers(a) ||
                memcmp(pl_negotiation_offer(first, 0)->choice, pl_negotiation_offer(a, 0)->choice,
                       2 * sizeof(size_t)) != 0)
                differ++;
            pl_negotiation_free(a);
        }
        pl_negotiation_free(b);
    }
    assert_true(differ > 0);
    pl_negotiation_free(first);
    pl_space_free(sp);
}

/* --discount: utilities U d^t at the relative time of the last round. */
static void test_discount(void **state) {
    (void)state;
    pl_test_need_shared("data/genius/AmsterdamB");
    pl_space *sp = NULL;
    assert_int_equal(
        pl_space_load_genius_dir(pl_test_shared("data/genius/AmsterdamB"), NULL, NULL, &sp), PL_OK);
    const char *agents[2] = {"boulware", "linear"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    pl_negotiation *plain = NULL, *disc = NULL;
    assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &plain), PL_OK);
    o.discount = 1;
    assert_int_equal(pl_negotiate(sp, agents, 2, &o, NULL, &disc), PL_OK);
    assert_non_null(pl_negotiation_agreement(plain));
    double t = (double)pl_negotiation_step(plain) / 101.0;
    for (size_t p = 0; p < 2; p++) {
        assert_true(pl_space_discount(sp, p) < 1);
        assert_near(pl_negotiation_utilities(disc)[p],
                    pl_negotiation_utilities(plain)[p] * pow(pl_space_discount(sp, p), t), 1e-15);
    }
    assert_true(pl_negotiation_discounted(disc) && !pl_negotiation_discounted(plain));
    pl_negotiation_free(plain);
    pl_negotiation_free(disc);
    pl_space_free(sp);
}

/* MiCRO against itself on a line: it concedes one package per package
** received, so the two meet in the middle. */
static void test_micro_meets(void **state) {
    (void)state;
    pl_space *sp = make_line(21, 2);
    pl_negotiation *neg = run(sp, "micro", "micro", 100, 1, 0);
    assert_non_null(pl_negotiation_agreement(neg));
    const double *u = pl_negotiation_utilities(neg);
    assert_true(fabs(u[0] - u[1]) < 0.2);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

static void test_bad_input(void **state) {
    (void)state;
    pl_space *sp = make_line(5, 2);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_negotiation *neg = (pl_negotiation *)1;
    const char *one[1] = {"boulware"};
    assert_int_equal(pl_negotiate(sp, one, 1, NULL, d, &neg), PL_EINVAL);
    assert_null(neg);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "one agent per party"));
    const char *bad[2] = {"boulware", "nosuch"};
    assert_int_equal(pl_negotiate(sp, bad, 2, NULL, d, &neg), PL_EINVAL);
    assert_int_equal(pl_agent_check("nosuch"), PL_ENOTFOUND);
    assert_int_equal(pl_agent_check("tb"), PL_ERANGE);
    assert_int_equal(pl_agent_check("tb:-1"), PL_ERANGE);
    assert_int_equal(pl_agent_check("tb:x"), PL_ERANGE);
    assert_int_equal(pl_agent_check("tb:0.5"), PL_OK);
    assert_int_equal(pl_agent_check("boulware:2"), PL_ERANGE);
    assert_int_equal(pl_agent_check("random:1.5"), PL_ERANGE);
    assert_int_equal(pl_agent_check("random:0.5"), PL_OK);
    assert_int_equal(pl_agent_check("aspiration"), PL_OK);
    assert_int_equal(pl_agent_check(NULL), PL_ENOTFOUND);
    /* above the cap agents that rank search instead (linear parties;
    ** test_sao_search.c), the single text's mediator refuses */
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.max_outcomes = 5;
    const char *ranked[2] = {"boulware", "hardliner"};
    pl_diags_clear(d);
    assert_int_equal(pl_negotiate(sp, ranked, 2, &o, d, &neg), PL_OK);
    pl_negotiation_free(neg);
    o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    assert_int_equal(pl_negotiate(sp, ranked, 2, &o, d, &neg), PL_ERANGE);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "expected at most 5 packages"));
    o.protocol = PL_PROTOCOL_SAO;
    const char *unranked[2] = {"random", "hardliner"};
    assert_int_equal(pl_negotiate(sp, unranked, 2, &o, d, &neg), PL_OK);
    pl_negotiation_free(neg);
    for (size_t i = 0; i < pl_agent_count(); i++) {
        assert_non_null(pl_agent_name(i));
        assert_non_null(pl_agent_usage(i));
        assert_non_null(pl_agent_summary(i));
    }
    assert_null(pl_agent_name(pl_agent_count()));
    pl_diags_free(d);
    pl_space_free(sp);
}

/* numpy's argsort as ../shared/specs/sao.md B2 writes it, on an index
** array P compared through v (the library moves values with their
** indices instead): the two must give the same permutation. */
static void spec_heapsort(const double *v, uint32_t *a, size_t n) {
    uint32_t tmp;
    size_t i, j, l;
#define H(k) a[(k)-1]
    for (l = n >> 1; l > 0; --l) {
        tmp = H(l);
        for (i = l, j = l << 1; j <= n;) {
            if (j < n && v[H(j)] < v[H(j + 1)]) j += 1;
            if (v[tmp] < v[H(j)]) {
                H(i) = H(j);
                i = j;
                j += j;
            } else {
                break;
            }
        }
        H(i) = tmp;
    }
    for (; n > 1;) {
        tmp = H(n);
        H(n) = H(1);
        n -= 1;
        for (i = 1, j = 2; j <= n;) {
            if (j < n && v[H(j)] < v[H(j + 1)]) j++;
            if (v[tmp] < v[H(j)]) {
                H(i) = H(j);
                i = j;
                j += j;
            } else {
                break;
            }
        }
        H(i) = tmp;
    }
#undef H
}

static void spec_swap(uint32_t *P, size_t i, size_t j) {
    uint32_t t = P[i];
    P[i] = P[j];
    P[j] = t;
}

static void spec_argsort(const double *v, uint32_t *P, size_t n, int budget) {
    size_t st_l[128], st_r[128];
    int st_b[128], top = 0;
    size_t pl = 0, pr = n - 1;
    for (;;) {
        if (budget < 0) {
            spec_heapsort(v, P + pl, pr - pl + 1);
        } else {
            while (pr - pl > 15) {
                size_t pm = pl + ((pr - pl) >> 1);
                if (v[P[pm]] < v[P[pl]]) spec_swap(P, pm, pl);
                if (v[P[pr]] < v[P[pm]]) spec_swap(P, pr, pm);
                if (v[P[pm]] < v[P[pl]]) spec_swap(P, pm, pl);
                double pivot = v[P[pm]];
                size_t i = pl, j = pr - 1;
                spec_swap(P, pm, j);
                for (;;) {
                    do i++;
                    while (v[P[i]] < pivot);
                    do j--;
                    while (pivot < v[P[j]]);
                    if (i >= j) break;
                    spec_swap(P, i, j);
                }
                spec_swap(P, i, pr - 1);
                budget--;
                if (i - pl < pr - i) {
                    st_l[top] = i + 1, st_r[top] = pr, st_b[top++] = budget;
                    pr = i - 1;
                } else {
                    st_l[top] = pl, st_r[top] = i - 1, st_b[top++] = budget;
                    pl = i + 1;
                }
            }
            for (size_t x = pl + 1; x <= pr; x++)
                for (size_t y = x; y > pl && v[P[y]] < v[P[y - 1]]; y--) spec_swap(P, y, y - 1);
        }
        if (top == 0) break;
        top--;
        pl = st_l[top], pr = st_r[top], budget = st_b[top];
    }
}

static int floor_log2(size_t n) {
    int k = 0;
    while (n >>= 1) k++;
    return k;
}

static void test_argsort(void **state) {
    (void)state;
    uint64_t x = 12345;
    for (size_t round = 0; round < 300; round++) {
        size_t n = 1 + (round * 37) % 3000;
        size_t n_values = 1 + round % 23; /* many ties */
        double *v = malloc(n * sizeof *v);
        uint32_t *P = malloc(n * sizeof *P);
        sao_pair *pairs = malloc(n * sizeof *pairs);
        assert_true(v && P && pairs);
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            v[i] = round % 3 == 2 ? (double)i / 7.0 : (double)((x >> 33) % n_values) / 3.0;
            if (round % 5 == 4) v[i] = (double)(i % 2 ? n - i : i); /* organ pipe */
            P[i] = (uint32_t)i;
            pairs[i].v = v[i];
            pairs[i].i = (uint32_t)i;
        }
        /* numpy's budget, and small ones that reach the heapsort */
        int budget = round % 4 == 3 ? (int)(round / 4 % 4) - 1 : 2 * floor_log2(n);
        spec_argsort(v, P, n, budget);
        if (round % 4 == 3) sao_argsort_budget(pairs, n, budget);
        else sao_argsort(pairs, n);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(pairs[i].i, P[i]);
            if (i) assert_true(v[P[i - 1]] <= v[P[i]]);
        }
        free(v);
        free(P);
        free(pairs);
    }
    /* below 17 elements it is an insertion sort: stable */
    sao_pair small[16];
    for (size_t i = 0; i < 16; i++) small[i].v = (double)((i * 7) % 5), small[i].i = (uint32_t)i;
    sao_argsort(small, 16);
    for (size_t i = 1; i < 16; i++)
        if (small[i - 1].v == small[i].v) assert_true(small[i - 1].i < small[i].i);
}

/* Rule W: the lowest utility >= mn, a closer one up to 1e-6 below wins. */
static void test_rule_w(void **state) {
    (void)state;
    double us[] = {0.1, 0.2, 0.3 - 5e-7, 0.3 + 1e-7, 0.3 + 1e-7, 0.5};
    uint32_t outs[] = {0, 1, 2, 3, 4, 5};
    sao_ranking r = {6, outs, us};
    assert_int_equal(sao_rule_w(&r, 0.3, 1.0), 3);        /* 1e-7 above beats 5e-7 below */
    assert_int_equal(sao_rule_w(&r, 0.3 - 4e-7, 1.0), 2); /* 1e-7 below beats 4e-7 above */
    assert_int_equal(sao_rule_w(&r, 0.15, 1.0), 1);
    assert_int_equal(sao_rule_w(&r, 0.9, 1.0), 5); /* none above: the best */
    assert_int_equal(sao_rule_w(&r, 0.0, 1.0), 0);
}

/* Reports: every format, with and without the frontier's figures. */
static void test_reports(void **state) {
    (void)state;
    pl_space *sp = make_line(11, 2);
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, NULL, NULL, &d), PL_OK);
    for (int trace = 0; trace <= 1; trace++) {
        pl_negotiation *neg = run(sp, "linear", "conceder", 20, trace, 0);
        for (int f = 0; f < 3; f++) {
            char *text = NULL;
            assert_int_equal(pl_report_negotiation(sp, neg, f == 0 ? d : NULL, (pl_format)f, &text),
                             PL_OK);
            assert_non_null(text);
            if (f == PL_FORMAT_JSON) assert_non_null(strstr(text, "\"utilities\""));
            pl_free(text);
        }
        pl_negotiation_stats st;
        assert_int_equal(pl_negotiation_stats_get(neg, d, &st), PL_OK);
        assert_true(st.has_pareto && st.has_nash);
        assert_true(st.pareto_distance >= 0 && st.pareto_distance <= st.nash_distance + 1e-12);
        pl_negotiation_free(neg);
    }
    pl_deals_free(d);
    pl_space_free(sp);
}

/* The k-th allocation failing, k = 1, 2, ...: PL_ENOMEM and no result
** until the run succeeds (ASan checks that nothing leaks). */
static void test_alloc_failures(void **state) {
    (void)state;
    pl_space *sp = make_line(9, 3);
    const char *agents[3] = {"micro", "tit-for-tat", "boulware"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.trace = 1;
    o.n_steps = 40;
    for (long k = 0;; k++) {
        pl_negotiation *neg = NULL;
        char *text = NULL;
        pl__alloc_fail_after(k);
        pl_status rc = pl_negotiate(sp, agents, 3, &o, NULL, &neg);
        if (rc == PL_OK) rc = pl_report_negotiation(sp, neg, NULL, PL_FORMAT_JSON, &text);
        if (rc == PL_OK) { /* the page too (report_sao_html.c) */
            pl_free(text);
            text = NULL;
            rc = pl_report_negotiation(sp, neg, NULL, PL_FORMAT_HTML, &text);
        }
        pl__alloc_fail_reset();
        if (rc == PL_OK) {
            assert_non_null(text);
            pl_free(text);
            pl_negotiation_free(neg);
            break;
        }
        assert_int_equal(rc, PL_ENOMEM);
        assert_null(text);
        pl_negotiation_free(neg);
        assert_true(k < 100000);
    }
    pl_space_free(sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference),        cmocka_unit_test(test_hardliner_never_concedes),
        cmocka_unit_test(test_concession_order), cmocka_unit_test(test_rational_acceptance),
        cmocka_unit_test(test_deterministic),    cmocka_unit_test(test_discount),
        cmocka_unit_test(test_micro_meets),      cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_argsort),          cmocka_unit_test(test_rule_w),
        cmocka_unit_test(test_reports),          cmocka_unit_test(test_alloc_failures),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
