/*
** test_deals.c: the figures of agreement spaces -- every domain of
** ../shared/data/genius/reference.json to 1e-6 (the reference's own
** precision), the additive shortcuts against the exhaustive enumeration,
** thread counts, the cap, degenerate spaces and scenarios.
*/
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
#include "parley.h"
#include "pl_test.h"

#define TOL 1e-6 /* reference.json gives utilities to 6 decimals */

static pl_space *load_dir(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "data/genius/%.400s", name);
    pl_test_need_shared(path);
    snprintf(path, sizeof path, "%s", pl_test_shared(path));
    pl_diags *diags = NULL;
    pl_space *sp = NULL;
    assert_int_equal(pl_diags_new(&diags), PL_OK);
    pl_status rc = pl_space_load_genius_dir(path, NULL, diags, &sp);
    for (size_t i = 0; i < pl_diags_count(diags); i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        fprintf(stderr, "%s:%d:%d: %s\n", d->file, d->line, d->column, d->message);
    }
    assert_int_equal(rc, PL_OK);
    pl_diags_free(diags);
    return sp;
}

static pl_deals *run(const pl_space *sp, unsigned threads, int exhaustive) {
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.n_threads = threads;
    o.exhaustive = exhaustive;
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_OK);
    return d;
}

/* The reference point must be among the reported ties, and first. */
static void check_point(const pl_deals *d, pl_solution sol, json_t *want, const char *domain) {
    size_t n = pl_deals_n_solution(d, sol);
    assert_true(n >= 1);
    const pl_deal *dl = pl_deals_frontier(d, pl_deals_solution(d, sol, 0));
    for (size_t p = 0; p < json_array_size(want); p++) {
        double w = json_real_value(json_array_get(want, p));
        if (json_is_integer(json_array_get(want, p)))
            w = (double)json_integer_value(json_array_get(want, p));
        if (fabs(dl->utility[p] - w) > TOL) {
            fprintf(stderr, "%s %s: party %zu: %.9f, reference %.6f\n", domain,
                    pl_solution_name(sol), p, dl->utility[p], w);
            fail();
        }
    }
}

static void same_figures(const pl_deals *a, const pl_deals *b, size_t np, size_t ni) {
    assert_true(pl_deals_n_outcomes(a) == pl_deals_n_outcomes(b));
    assert_true(pl_deals_n_rational(a) == pl_deals_n_rational(b));
    assert_int_equal(pl_deals_n_frontier(a), pl_deals_n_frontier(b));
    assert_int_equal(pl_deals_n_pareto(a), pl_deals_n_pareto(b));
    for (size_t f = 0; f < pl_deals_n_frontier(a); f++) {
        const pl_deal *x = pl_deals_frontier(a, f), *y = pl_deals_frontier(b, f);
        assert_memory_equal(x->choice, y->choice, ni * sizeof *x->choice);
        assert_memory_equal(x->utility, y->utility, np * sizeof *x->utility);
        assert_int_equal(x->rational, y->rational);
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
    assert_true(oa == ob);
    for (size_t p = 0; p < np; p++) {
        assert_true(pl_deals_min(a, p) == pl_deals_min(b, p));
        assert_true(pl_deals_max(a, p) == pl_deals_max(b, p));
    }
}

static void test_reference(void **state) {
    (void)state;
    pl_test_need_shared("data/genius/reference.json");
    json_error_t err;
    json_t *ref = json_load_file(pl_test_shared("data/genius/reference.json"), 0, &err);
    assert_non_null(ref);
    assert_true(json_array_size(ref) >= 8);
    static const char *const keys[PL_SOL_COUNT] = {"nash", "kalai_smorodinsky", "egalitarian",
                                                   "max_welfare"};
    for (size_t k = 0; k < json_array_size(ref); k++) {
        json_t *e = json_array_get(ref, k);
        const char *domain = json_string_value(json_object_get(e, "domain"));
        pl_space *sp = load_dir(domain);
        size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp);
        assert_int_equal(np, json_integer_value(json_object_get(e, "parties")));
        pl_deals *d = run(sp, 0, 0);
        fprintf(stderr, "[ %-16s ] %zu parties, %llu outcomes, %llu rational, %zu Pareto points\n",
                domain, np, (unsigned long long)pl_deals_n_outcomes(d),
                (unsigned long long)pl_deals_n_rational(d), pl_deals_n_pareto(d));
        assert_int_equal(pl_deals_n_outcomes(d),
                         json_integer_value(json_object_get(e, "outcomes")));
        assert_int_equal(pl_deals_n_rational(d),
                         json_integer_value(json_object_get(e, "rational")));
        assert_int_equal(pl_deals_n_pareto(d),
                         json_integer_value(json_object_get(e, "pareto_points")));
        for (int s = 0; s < PL_SOL_COUNT; s++)
            check_point(d, (pl_solution)s, json_object_get(e, keys[s]), domain);
        int has;
        double opp = pl_deals_opposition(d, &has);
        assert_true(has);
        assert_true(fabs(opp - json_real_value(json_object_get(e, "opposition"))) <= TOL);
        /* every package evaluated gives the same figures, bit for bit */
        pl_deals *x = run(sp, 1, 1);
        same_figures(d, x, np, ni);
        pl_deals_free(x);
        pl_deals_free(d);
        pl_space_free(sp);
    }
    json_decref(ref);
}

/* A generated space: n parties, issues x values, evaluations from a fixed
** linear congruential sequence; reservation rv. */
static pl_space *generated(size_t n_parties, size_t n_issues, size_t n_values, double rv) {
    static char dom[65536], prof[8][65536];
    uint32_t seed = 12345;
    size_t len = (size_t)snprintf(dom, sizeof dom,
                                  "<negotiation_template><utility_space>"
                                  "<objective index=\"0\" name=\"gen\">");
    for (size_t i = 0; i < n_issues; i++) {
        len += (size_t)snprintf(dom + len, sizeof dom - len,
                                "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i);
        for (size_t v = 0; v < n_values; v++)
            len += (size_t)snprintf(dom + len, sizeof dom - len, "<item value=\"v%zu\"/>", v);
        len += (size_t)snprintf(dom + len, sizeof dom - len, "</issue>");
    }
    snprintf(dom + len, sizeof dom - len, "</objective></utility_space></negotiation_template>");
    const char *texts[8], *names[8] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"};
    size_t lens[8];
    for (size_t p = 0; p < n_parties; p++) {
        char *t = prof[p];
        size_t n = (size_t)snprintf(t, 65536, "<utility_space><objective index=\"0\">");
        for (size_t i = 0; i < n_issues; i++) {
            n += (size_t)snprintf(t + n, 65536 - n, "<issue index=\"%zu\" name=\"i%zu\">", i + 1,
                                  i);
            for (size_t v = 0; v < n_values; v++) {
                seed = seed * 1103515245u + 12345u;
                n += (size_t)snprintf(t + n, 65536 - n, "<item value=\"v%zu\" evaluation=\"%u\"/>",
                                      v, (seed >> 16) % 10);
            }
            n += (size_t)snprintf(t + n, 65536 - n, "</issue>");
        }
        for (size_t i = 0; i < n_issues; i++) {
            seed = seed * 1103515245u + 12345u;
            n += (size_t)snprintf(t + n, 65536 - n, "<weight index=\"%zu\" value=\"%u\"/>", i + 1,
                                  1 + (seed >> 16) % 7);
        }
        n += (size_t)snprintf(t + n, 65536 - n,
                              "</objective><reservation value=\"%g\"/></utility_space>", rv);
        texts[p] = t;
        lens[p] = n;
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_buffers(dom, strlen(dom), "gen.xml", texts, lens, names,
                                                  n_parties, NULL, NULL, &sp),
                     PL_OK);
    return sp;
}

/* Results never depend on the number of threads, nor on the path. */
static void test_threads(void **state) {
    (void)state;
    pl_space *spaces[4] = {load_dir("group2-politics"), load_dir("Domain16"),
                           generated(3, 6, 6, 0.4), generated(2, 7, 5, 0.3)};
    for (int k = 0; k < 4; k++) {
        size_t np = pl_space_n_parties(spaces[k]), ni = pl_space_n_issues(spaces[k]);
        pl_deals *one = run(spaces[k], 1, 0);
        for (unsigned t = 2; t <= 5; t += 3) {
            size_t helpers;
            pl_deals *many = run(spaces[k], t, 0);
            same_figures(one, many, np, ni);
            pl_deals_free(many);
            PL_TEST_HELPERS(many = run(spaces[k], t, 1), helpers);
            assert_true(helpers >= 1); /* a second worker really ran */
            same_figures(one, many, np, ni);
            pl_deals_free(many);
        }
        pl_deals_free(one);
        pl_space_free(spaces[k]);
    }
}

/* Above the cap: PL_ERANGE and a message with the size and what to do. */
/* The additive path splits its skyline between workers only past 20,000
** candidates: four parties, ten issues of six values reach it. */
static void test_threads_additive(void **state) {
    (void)state;
    pl_space *sp = generated(4, 10, 6, 0.2);
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp), helpers;
    pl_deals *one = run(sp, 1, 0), *many;
    PL_TEST_HELPERS(many = run(sp, 3, 0), helpers);
    assert_true(helpers >= 1); /* a second worker really ran */
    same_figures(one, many, np, ni);
    pl_deals_free(many);
    pl_deals_free(one);
    pl_space_free(sp);
}

static void test_cap(void **state) {
    (void)state;
    pl_space *sp = load_dir("EnergyA");
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.max_outcomes = 1000;
    pl_diags *d = NULL;
    pl_deals *deals = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_deals_run(sp, &o, d, &deals), PL_ERANGE);
    assert_null(deals);
    assert_int_equal(pl_diags_errors(d), 1);
    const char *m = pl_diags_get(d, 0)->message;
    assert_non_null(strstr(m, "expected at most 1e+03 packages, found 3.91e+05 (8 issues)"));
    assert_non_null(strstr(m, "--max-outcomes"));
    o.max_outcomes = 390625;
    assert_int_equal(pl_deals_run(sp, &o, d, &deals), PL_OK);
    pl_deals_free(deals);
    o.time = 2;
    assert_int_equal(pl_deals_run(sp, &o, d, &deals), PL_EINVAL);
    pl_diags_free(d);
    pl_space_free(sp);
}

/* The progress convention (pl_progress_fn): a stop asked at once gives
** PL_EINTERRUPTED on both paths (additive and exhaustive); a callback that
** never stops changes nothing. */
static int stop_now(void *ctx, double done, double total) {
    (void)done;
    *(double *)ctx = total;
    return 1;
}

static int never_stop(void *ctx, double done, double total) {
    (void)done;
    (void)total;
    (*(int *)ctx)++;
    return 0;
}

static void test_progress_stop(void **state) {
    (void)state;
    pl_space *sp = load_dir("EnergyA");
    for (int exhaustive = 0; exhaustive < 2; exhaustive++) {
        pl_deals_options o;
        memset(&o, 0, sizeof o);
        o.exhaustive = exhaustive;
        o.n_threads = 2;
        double total = 0;
        o.progress = stop_now;
        o.progress_ctx = &total;
        pl_deals *d = NULL, *a = NULL, *b = NULL;
        assert_int_equal(pl_deals_run(sp, &o, NULL, &d), PL_EINTERRUPTED);
        assert_null(d);
        assert_true(total == 390625);
        int calls = 0;
        o.progress = never_stop;
        o.progress_ctx = &calls;
        assert_int_equal(pl_deals_run(sp, &o, NULL, &a), PL_OK);
        assert_true(calls >= 1);
        o.progress = NULL;
        assert_int_equal(pl_deals_run(sp, &o, NULL, &b), PL_OK);
        assert_true(pl_deals_n_rational(a) == pl_deals_n_rational(b));
        assert_int_equal(pl_deals_n_frontier(a), pl_deals_n_frontier(b));
        pl_deals_free(a);
        pl_deals_free(b);
    }
    pl_space_free(sp);
}

/* Discounting scales each party's utilities by d^t: the rational packages
** and the frontier stay, utilities shrink. */
static void test_discount(void **state) {
    (void)state;
    pl_space *sp = load_dir("Laptop"); /* d = 0.42441038 for both */
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    pl_deals *a = NULL, *b = NULL;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &a), PL_OK);
    o.time = 1;
    assert_int_equal(pl_deals_run(sp, &o, NULL, &b), PL_OK);
    assert_int_equal(pl_deals_n_pareto(a), pl_deals_n_pareto(b));
    assert_true(pl_deals_n_rational(a) == pl_deals_n_rational(b));
    double d0 = pl_space_discount(sp, 0);
    assert_true(fabs(d0 - 0.42441038) < 1e-12);
    assert_true(fabs(pl_deals_frontier(b, 0)->utility[0] -
                     d0 * pl_deals_frontier(a, 0)->utility[0]) < 1e-12);
    assert_true(fabs(pl_deals_max(b, 0) - d0) < 1e-12);
    pl_deals_free(a);
    pl_deals_free(b);
    pl_space_free(sp);
}

/* Degenerate spaces are defined cases. */
static void test_degenerate(void **state) {
    (void)state;
    /* nobody can be satisfied: no rational package, no solution */
    pl_space *sp = generated(2, 3, 3, 1.5);
    pl_deals *d = run(sp, 0, 0);
    assert_true(pl_deals_n_rational(d) == 0);
    assert_int_equal(pl_deals_n_pareto(d), 0);
    assert_true(pl_deals_n_frontier(d) > 0);
    for (size_t f = 0; f < pl_deals_n_frontier(d); f++)
        assert_int_equal(pl_deals_frontier(d, f)->n_blockers, 2);
    for (int s = 0; s < PL_SOL_COUNT; s++)
        assert_int_equal(pl_deals_n_solution(d, (pl_solution)s), 0);
    int has = 1;
    assert_true(pl_deals_opposition(d, &has) == 0);
    assert_int_equal(has, 0);
    char *text = NULL;
    for (int f = 0; f < 3; f++) {
        assert_int_equal(pl_report_deals(sp, d, (pl_format)f, &text), PL_OK);
        if (f == 1) assert_non_null(strstr(text, "\"opposition\": null"));
        pl_free(text);
    }
    pl_deals_free(d);
    assert_int_equal(pl_space_set_reservation(sp, 0, NAN), PL_EINVAL);
    assert_int_equal(pl_space_set_reservation(sp, 5, 0), PL_EINVAL);
    assert_int_equal(pl_space_set_reservation(sp, 0, 0), PL_OK);
    assert_int_equal(pl_space_set_reservation(sp, 1, 0), PL_OK);
    d = run(sp, 0, 0);
    assert_true(pl_deals_n_rational(d) == 27);
    pl_deals_free(d);
    pl_space_free(sp);

    /* one party: its best packages, all equal, count once */
    sp = generated(1, 3, 2, 0);
    d = run(sp, 0, 0);
    assert_int_equal(pl_deals_n_frontier(d), 1);
    assert_true(pl_deals_frontier(d, 0)->utility[0] == pl_deals_max(d, 0));
    pl_deals_free(d);
    pl_space_free(sp);

    /* indifferent parties (all evaluations equal): every package ties */
    const char *dom = "<negotiation_template><utility_space><objective>"
                      "<issue index=\"1\" name=\"a\"><item value=\"x\"/><item value=\"y\"/></issue>"
                      "</objective></utility_space></negotiation_template>";
    const char *prof = "<utility_space><objective><issue index=\"1\" name=\"a\">"
                       "<item value=\"x\" evaluation=\"0\"/><item value=\"y\" evaluation=\"0\"/>"
                       "</issue><weight index=\"1\" value=\"1\"/></objective></utility_space>";
    const char *texts[2] = {prof, prof}, *names[2] = {"a", "b"};
    size_t lens[2] = {strlen(prof), strlen(prof)};
    assert_int_equal(
        pl_space_load_genius_buffers(dom, strlen(dom), "d", texts, lens, names, 2, NULL, NULL, &sp),
        PL_OK);
    d = run(sp, 0, 0);
    assert_int_equal(pl_deals_n_frontier(d), 1); /* (0, 0) once: the first package */
    assert_int_equal(pl_deals_frontier(d, 0)->choice[0], 0);
    assert_int_equal(pl_deals_n_solution(d, PL_SOL_NASH), 1);
    assert_true(pl_deals_opposition(d, &has) == 0 && has);
    pl_deals_free(d);
    pl_space_free(sp);
    assert_int_equal(pl_deals_run(NULL, NULL, NULL, &d), PL_EINVAL);
    assert_int_equal(pl_space_from_scenario(NULL, NULL, &sp), PL_EINVAL);
}

/* Scenarios: options, distance utilities, the status quo as reservation. */
static void test_scenario(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    size_t a, b, i, j;
    assert_int_equal(pl_scenario_new("t", "T", &s), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1, &a), PL_OK);
    assert_int_equal(pl_scenario_add_actor(s, "b", "B", 1, &b), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 100, &i), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "j", "J", 0, 10, &j), PL_OK);
    assert_int_equal(pl_scenario_set_status_quo(s, i, 50), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, a, i, 0, 60), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, b, i, 100, 30), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, a, j, 10, 20), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, b, j, 0, 30), PL_OK);
    pl_space *sp = NULL;
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    assert_int_equal(pl_space_n_options(sp, 0), 5); /* the default grid */
    assert_string_equal(pl_space_option(sp, 0, 1), "25");
    /* a: 0.75 * (1 - 25/100) + 0.25 * (1 - 10/10) */
    size_t c[2] = {1, 0};
    double u[2];
    assert_int_equal(pl_space_utility(sp, c, u), PL_OK);
    assert_true(fabs(u[0] - 0.75 * 0.75) < 1e-12);
    assert_true(fabs(u[1] - (0.5 * 0.25 + 0.5 * 1)) < 1e-12);
    /* reservation: the status quo 50 on i; j has none: the worst option */
    assert_true(fabs(pl_space_reservation(sp, 0) - 0.75 * 0.5) < 1e-12);
    assert_true(fabs(pl_space_reservation(sp, 1) - 0.5 * 0.5) < 1e-12);
    pl_space_free(sp);
    pl_space_options o;
    memset(&o, 0, sizeof o);
    o.grid_points = 11;
    assert_int_equal(pl_space_from_scenario(s, &o, &sp), PL_OK);
    assert_int_equal(pl_space_n_options(sp, 1), 11);
    pl_space_free(sp);
    pl_scenario_free(s);

    /* the armistice: the status quo package itself is rational for all */
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    size_t ni = pl_space_n_issues(sp), np = pl_space_n_parties(sp);
    size_t sq[64];
    for (size_t k = 0; k < ni; k++) {
        const pl_issue *is = pl_scenario_issue(s, k);
        assert_true(is->has_status_quo);
        size_t o2 = 0;
        while (o2 < is->n_options && is->options[o2].value != is->status_quo) o2++;
        assert_true(o2 < is->n_options);
        sq[k] = o2;
    }
    double us[64];
    assert_int_equal(pl_space_utility(sp, sq, us), PL_OK);
    for (size_t p = 0; p < np; p++) assert_true(us[p] == pl_space_reservation(sp, p));
    pl_deals *d = run(sp, 0, 0);
    assert_true(pl_deals_n_rational(d) >= 1);
    assert_true(pl_deals_n_pareto(d) >= 1);
    /* every blocked frontier package names a party below its reservation */
    for (size_t f = 0; f < pl_deals_n_frontier(d); f++) {
        const pl_deal *dl = pl_deals_frontier(d, f);
        assert_int_equal(dl->rational, dl->n_blockers == 0);
        for (size_t k = 0; k < dl->n_blockers; k++)
            assert_true(dl->utility[dl->blockers[k]] < pl_space_reservation(sp, dl->blockers[k]));
    }
    pl_deals *x = run(sp, 1, 1);
    same_figures(d, x, np, ni);
    pl_deals_free(x);
    pl_deals_free(d);
    pl_space_free(sp);
    pl_scenario_free(s);
}

/* The _init functions spell out the defaults that zero fields (and NULL
** options) stand for: the same space, the same figures. */
static void test_options_init(void **state) {
    (void)state;
    pl_space_options so;
    pl_space_options_init(&so);
    assert_int_equal(so.grid_points, 5);
    assert_int_equal(so.real_points, 11);
    assert_true(so.real_step == 0);
    pl_deals_options dopt;
    pl_deals_options_init(&dopt);
    assert_true(dopt.max_outcomes == PL_DEALS_DEFAULT_CAP);
    assert_int_equal(dopt.n_threads, 0);
    assert_true(dopt.time == 0);
    assert_int_equal(dopt.exhaustive, 0);
    assert_null(dopt.progress);
    pl_space_options_init(NULL); /* no crash */
    pl_deals_options_init(NULL);

    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_space *a = NULL, *b = NULL;
    assert_int_equal(pl_space_from_scenario(s, NULL, &a), PL_OK);
    assert_int_equal(pl_space_from_scenario(s, &so, &b), PL_OK);
    size_t ni = pl_space_n_issues(a), np = pl_space_n_parties(a);
    assert_int_equal(pl_space_n_issues(b), ni);
    for (size_t i = 0; i < ni; i++)
        assert_int_equal(pl_space_n_options(a, i), pl_space_n_options(b, i));
    pl_deals *x = NULL, *y = NULL;
    assert_int_equal(pl_deals_run(a, NULL, NULL, &x), PL_OK);
    assert_int_equal(pl_deals_run(b, &dopt, NULL, &y), PL_OK);
    same_figures(x, y, np, ni);
    pl_deals_free(y);
    pl_deals_free(x);
    pl_space_free(b);
    pl_space_free(a);
    pl_scenario_free(s);
}

/* A reservation stated in the scenario replaces the status quo's utility. */
static void test_scenario_reservation(void **state) {
    (void)state;
    const char *text =
        "{\"id\": \"r\", \"name\": \"R\",\n"
        " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"capability\": 1, \"reservation\": 0.9},\n"
        "              {\"id\": \"b\", \"name\": \"B\", \"capability\": 1}],\n"
        " \"issues\": [{\"id\": \"i\", \"name\": \"I\", \"status_quo\": 50,\n"
        "             \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"x\", \"max_label\": \"y\"}}],\n"
        " \"positions\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 0, \"salience\": 50},\n"
        "               {\"actor\": \"b\", \"issue\": \"i\", \"position\": 100, \"salience\": 50}]}";
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_buffer(text, strlen(text), "r", NULL, &s), PL_OK);
    assert_true(pl_scenario_actor(s, 0)->has_reservation);
    pl_space *sp = NULL;
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    assert_true(fabs(pl_space_reservation(sp, 0) - 0.9) < 1e-12);
    assert_true(fabs(pl_space_reservation(sp, 1) - 0.5) < 1e-12); /* the status quo's */
    pl_space_free(sp);
    pl_scenario_free(s);
    /* out of range */
    char bad[2048];
    snprintf(bad, sizeof bad, "%s", text);
    memcpy(strstr(bad, "0.9"), "1.9", 3);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_scenario_load_buffer(bad, strlen(bad), "r", d, &s), PL_EINPUT);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "reservation utility from 0 to 1"));
    assert_int_equal(pl_diags_get(d, 0)->line, 2);
    pl_diags_free(d);
}

/* The reports carry the figures. */
static void test_reports(void **state) {
    (void)state;
    pl_space *sp = load_dir("Laptop");
    pl_deals *d = run(sp, 0, 0);
    char *text = NULL;
    assert_int_equal(pl_report_deals(sp, d, PL_FORMAT_TEXT, &text), PL_OK);
    assert_non_null(strstr(text, "Kalai-Smorodinsky   0.8740"));
    assert_non_null(strstr(text, "    Laptop            HP\n"));
    pl_free(text);
    assert_int_equal(pl_report_deals(sp, d, PL_FORMAT_CSV, &text), PL_OK);
    assert_non_null(strstr(text, "frontier,rational,blockers,solutions,laptop_buyer_utility,"));
    assert_non_null(strstr(text, "\n1,1,,nash max_welfare,1,0.8150"));
    pl_free(text);
    assert_int_equal(pl_report_deals(sp, d, PL_FORMAT_JSON, &text), PL_OK);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "n_pareto")), 4);
    json_t *ks = json_array_get(
        json_object_get(json_object_get(root, "solutions"), "kalai_smorodinsky"), 0);
    assert_int_equal(json_integer_value(json_object_get(ks, "frontier")), 1);
    json_decref(root);
    pl_free(text);
    assert_int_equal(pl_report_deals(sp, NULL, PL_FORMAT_TEXT, &text), PL_EINVAL);
    pl_deals_free(d);
    pl_space_free(sp);
}

/* Fail every allocation in turn in the computation and its reports. */
static void test_allocation_failures(void **state) {
    (void)state;
    pl_space *spaces[2] = {load_dir("Laptop"), generated(4, 4, 3, 0.2)};
    json_set_alloc_funcs(pl__malloc, pl__free);
    for (int k = 0; k < 2; k++)
        for (int exhaustive = 0; exhaustive < 2; exhaustive++) {
            int ok = 0;
            long n;
            for (n = 0; n < 100000 && !ok; n++) {
                pl_deals_options o;
                memset(&o, 0, sizeof o);
                o.n_threads = 1;
                o.exhaustive = exhaustive;
                pl_deals *d = NULL;
                char *text = NULL;
                pl__alloc_fail_after(n);
                pl_status rc = pl_deals_run(spaces[k], &o, NULL, &d);
                for (int f = 0; rc == PL_OK && f < 3; f++) {
                    rc = pl_report_deals(spaces[k], d, (pl_format)f, &text);
                    pl_free(text);
                    text = NULL;
                }
                pl__alloc_fail_reset();
                pl_deals_free(d);
                if (rc == PL_OK) ok = 1;
                else if (rc != PL_ENOMEM) fail_msg("allocation %ld: status %d", n, rc);
            }
            assert_true(ok);
        }
    json_set_alloc_funcs(malloc, free);
    pl_space_free(spaces[0]);
    pl_space_free(spaces[1]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_threads_additive),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_discount),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_scenario_reservation),
        cmocka_unit_test(test_progress_stop),
        cmocka_unit_test(test_options_init),
    };
    if (getenv("PL_TEST_FILTER")) cmocka_set_test_filter(getenv("PL_TEST_FILTER"));
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
