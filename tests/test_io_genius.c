/*
** test_io_genius.c: the GENIUS XML, ANAC 2014 non-linear, GeniusWeb JSON
** and pareto.xml readers -- semantics (evaluation over the issue's maximum,
** normalised weights, integer and real evaluators, reservation, discount),
** the place and wording of every kind of error, and allocation failures.
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

#define DATA PL_SOURCE_DIR "/tests/data"

static const char domain[] =
    "<negotiation_template>\n"                                                  /* 1 */
    "<utility_space number_of_issues=\"3\">\n"                                  /* 2 */
    "<objective index=\"0\" name=\"test\" type=\"objective\">\n"                /* 3 */
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"                 /* 4 */
    "    <item index=\"1\" value=\"red\"/><item index=\"2\" value=\"blue\"/>\n" /* 5 */
    "  </issue>\n"                                                              /* 6 */
    "  <issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\"/>\n" /* 7 */
    "  <issue index=\"3\" name=\"price\" type=\"real\"><range lowerbound=\"0\" upperbound=\"10\"/></issue>\n" /* 8 */
    "</objective>\n"             /* 9 */
    "</utility_space>\n"         /* 10 */
    "</negotiation_template>\n"; /* 11 */

static const char profile[] =
    "<utility_space>\n"                                                                   /* 1 */
    "<objective index=\"0\" name=\"test\">\n"                                             /* 2 */
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"                           /* 3 */
    "    <item value=\"red\" evaluation=\"4\"/><item value=\"blue\" evaluation=\"8\"/>\n" /* 4 */
    "  </issue>\n"                                                                        /* 5 */
    "  <issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\">\n" /* 6 */
    "    <evaluator ftype=\"linear\" slope=\"-0.25\" offset=\"1\"/>\n"           /* 7 */
    "  </issue>\n"                                                               /* 8 */
    "  <issue index=\"3\" name=\"price\" type=\"real\">\n"                       /* 9 */
    "    <evaluator ftype=\"linear\" parameter0=\"0.2\" parameter1=\"0.08\"/>\n" /* 10 */
    "  </issue>\n"                                                               /* 11 */
    "  <weight index=\"1\" value=\"2\"/><weight index=\"2\" value=\"1\"/><weight index=\"3\" value=\"1\"/>\n" /* 12 */
    "</objective>\n"                                                  /* 13 */
    "<discount_factor value=\"0.5\"/><reservation value=\"0.25\"/>\n" /* 14 */
    "</utility_space>\n";                                             /* 15 */

/* Load the domain and one profile (possibly edited); returns the status
** and, when want != NULL, checks a diagnostic "LINE:COL: ..." contains it. */
static pl_status load(const char *dom, const char *prof, const pl_space_options *opts,
                      const char *want, pl_space **out) {
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    const char *texts[1] = {prof};
    size_t lens[1] = {strlen(prof)};
    const char *names[1] = {"p.xml"};
    pl_space *sp = NULL;
    pl_status rc = pl_space_load_genius_buffers(dom, strlen(dom), "d.xml", texts, lens, names, 1,
                                                opts, d, &sp);
    if (want) {
        int found = 0;
        for (size_t i = 0; i < pl_diags_count(d); i++) {
            const pl_diag *g = pl_diags_get(d, i);
            char line[1400];
            snprintf(line, sizeof line, "%s:%d:%d: %s", g->file, g->line, g->column, g->message);
            if (strstr(line, want)) found = 1;
            else fprintf(stderr, "  (diagnostic: %s)\n", line);
        }
        if (!found) fail_msg("no diagnostic containing \"%s\"", want);
    }
    pl_diags_free(d);
    if (out) *out = sp;
    else pl_space_free(sp);
    return rc;
}

static char *edit(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_semantics(void **state) {
    (void)state;
    pl_space *sp = NULL;
    assert_int_equal(load(domain, profile, NULL, NULL, &sp), PL_OK);
    assert_int_equal(pl_space_n_issues(sp), 3);
    assert_int_equal(pl_space_n_options(sp, 0), 2);
    assert_int_equal(pl_space_n_options(sp, 1), 3);
    assert_int_equal(pl_space_n_options(sp, 2), 11); /* ten equal intervals */
    assert_string_equal(pl_space_option(sp, 2, 3), "3");
    assert_string_equal(pl_space_party(sp, 0), "p");
    assert_true(pl_space_reservation(sp, 0) == 0.25);
    assert_true(pl_space_discount(sp, 0) == 0.5);
    /* red (4/8), count 3 (1 - 0.25 * 2), price 10 (0.2 + 0.8); weights 2:1:1 */
    size_t choice[3] = {0, 2, 10};
    double u;
    assert_int_equal(pl_space_utility(sp, choice, &u), PL_OK);
    assert_true(fabs(u - (0.5 * 0.5 + 0.25 * 0.5 + 0.25 * 1.0)) < 1e-12);
    choice[2] = 11;
    assert_int_equal(pl_space_utility(sp, choice, &u), PL_EINVAL);
    pl_space_free(sp);

    /* an adjustable step: 0, 4, 8 and the upper bound 10 */
    pl_space_options o;
    memset(&o, 0, sizeof o);
    o.real_step = 4;
    assert_int_equal(load(domain, profile, &o, NULL, &sp), PL_OK);
    assert_int_equal(pl_space_n_options(sp, 2), 4);
    assert_string_equal(pl_space_option(sp, 2, 3), "10");
    pl_space_free(sp);
    o.real_step = 0;
    o.real_points = 3;
    assert_int_equal(load(domain, profile, &o, NULL, &sp), PL_OK);
    assert_int_equal(pl_space_n_options(sp, 2), 3);
    assert_string_equal(pl_space_option(sp, 2, 1), "5");
    pl_space_free(sp);

    /* discount: d <= 0 or d > 1 means none; a missing reservation is 0 */
    char *p2 = edit(profile, "<discount_factor value=\"0.5\"/><reservation value=\"0.25\"/>",
                    "<discount_factor value=\"1.5\"/>");
    assert_int_equal(load(domain, p2, NULL, NULL, &sp), PL_OK);
    assert_true(pl_space_discount(sp, 0) == 1);
    assert_true(pl_space_reservation(sp, 0) == 0);
    pl_space_free(sp);
    free(p2);
}

static void test_errors(void **state) {
    (void)state;
    static const struct {
        int in_domain;
        const char *from, *to;
        pl_status status;
        const char *want;
    } cases[] = {
        {1, "</issue>\n  <issue index=\"2\"", "</isue>\n  <issue index=\"2\"", PL_EPARSE,
         "d.xml:6:5: expected well-formed XML, found mismatched tag"},
        {1, "type=\"real\"", "type=\"complex\"", PL_EINPUT,
         "d.xml:8:3: expected an issue type discrete, integer or real, found \"complex\""},
        {1, "upperbound=\"3\"", "upperbound=\"x\"", PL_EINPUT,
         "d.xml:7:3: expected a number for upperbound on <issue>, found \"x\""},
        {1, "lowerbound=\"1\" upperbound=\"3\"", "lowerbound=\"4\" upperbound=\"3\"", PL_EINPUT,
         "expected lowerbound <= upperbound on issue \"count\", found 4 > 3"},
        {1, "<item index=\"2\" value=\"blue\"/>", "<item index=\"2\" value=\"red\"/>", PL_EINPUT,
         "d.xml:5:34: expected distinct values in issue \"colour\", found \"red\" twice"},
        {1, "<negotiation_template>", "<negotiation>", PL_EPARSE,
         "d.xml:11:3: expected well-formed XML"},
        {0, "evaluation=\"8\"", "evaluation=\"high\"", PL_EINPUT,
         "p.xml:4:39: expected a number for evaluation on <item>, found \"high\""},
        {0, "evaluation=\"8\"", "evaluation=\"-8\"", PL_EINPUT,
         "expected an evaluation >= 0 for \"blue\", found -8"},
        {0, "<item value=\"blue\" evaluation=\"8\"/>", "", PL_EINPUT,
         "p.xml:3:3: expected an <item value=\"blue\" evaluation=.../> in issue \"colour\", found none"},
        {0, "value=\"blue\" evaluation", "value=\"green\" evaluation", PL_EINPUT,
         "expected a value of issue \"colour\" in the domain, found \"green\""},
        {0, "<weight index=\"3\" value=\"1\"/>", "", PL_EINPUT,
         "p.xml:2:1: expected a <weight index=\"3\" value=.../> for issue \"price\", found none"},
        {0, "<weight index=\"3\" value=\"1\"/>", "<weight index=\"9\" value=\"1\"/>", PL_EINPUT,
         "expected the index of an issue of the domain, found 9"},
        {0, "ftype=\"linear\" slope", "ftype=\"exp\" slope", PL_EINPUT,
         "p.xml:7:5: expected ftype=\"linear\" or \"constant\" on <evaluator>, found \"exp\""},
        {0, "index=\"3\" name=\"price\"", "index=\"7\" name=\"cost\"", PL_EINPUT,
         "expected an issue of the domain, found \"cost\""},
        {0, "<reservation value=\"0.25\"/>", "<reservation value=\"\"/>", PL_EINPUT,
         "p.xml:14:31: expected a number for value on <reservation>, found \"\""},
        {0, "<utility_space>", "<utility>", PL_EPARSE, "p.xml:15:3: expected well-formed XML"},
        {0, "value=\"2\"/><weight index=\"2\" value=\"1\"/><weight index=\"3\" value=\"1\"",
         "value=\"0\"/><weight index=\"2\" value=\"0\"/><weight index=\"3\" value=\"0\"", PL_EINPUT,
         "expected weights with a positive sum, found 0"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *dom = cases[k].in_domain ? edit(domain, cases[k].from, cases[k].to) : NULL;
        char *prof = cases[k].in_domain ? NULL : edit(profile, cases[k].from, cases[k].to);
        pl_status rc = load(dom ? dom : domain, prof ? prof : profile, NULL, cases[k].want, NULL);
        if (rc != cases[k].status)
            fail_msg("case %zu: status %d, expected %d", k, rc, cases[k].status);
        free(dom);
        free(prof);
    }
    /* the root element of the wrong kind */
    assert_int_equal(load("<domain/>", profile, NULL,
                          "d.xml:1:1: expected a GENIUS domain "
                          "(<negotiation_template>), found <domain>",
                          NULL),
                     PL_EINPUT);
    assert_int_equal(load(domain, domain, NULL,
                          "p.xml:1:1: expected a GENIUS profile "
                          "(<utility_space>), found <negotiation_template>",
                          NULL),
                     PL_EINPUT);
    /* files and folders */
    pl_test_need_shared("data/genius/Laptop/laptop_domain.xml");
    pl_diags *d = NULL;
    pl_space *sp = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_space_load_genius_dir("/nonexistent", NULL, d, &sp), PL_EIO);
    assert_int_equal(pl_space_load_genius_dir(DATA, NULL, d, &sp), PL_EINPUT);
    assert_null(sp);
    const char *profiles[1] = {"/nonexistent.xml"};
    assert_int_equal(pl_space_load_genius(pl_test_shared("data/genius/Laptop/laptop_domain.xml"),
                                          profiles, 1, NULL, d, &sp),
                     PL_EIO);
    pl_diags_free(d);
}

/* Every shared domain loads; parties in file-name order; integer issues. */
static void test_shared_domains(void **state) {
    (void)state;
    pl_test_need_shared("data/genius");
    static const char *const dirs[] = {
        "AmsterdamB",    "Atlas3", "CameraB", "DefensiveCharms", "Domain16",           "EnergyA",
        "ItexvsCypress", "Laptop", "TravelA", "group2-politics", "group9-killer_robot"};
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", pl_test_shared("data/genius"), dirs[k]);
        pl_space *sp = NULL;
        assert_int_equal(pl_space_load_genius_dir(path, NULL, NULL, &sp), PL_OK);
        for (size_t p = 1; p < pl_space_n_parties(sp); p++)
            assert_true(strcmp(pl_space_party(sp, p - 1), pl_space_party(sp, p)) < 0);
        pl_space_free(sp);
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_dir(pl_test_shared("data/genius/group9-killer_robot"),
                                              NULL, NULL, &sp),
                     PL_OK);
    assert_int_equal(pl_space_n_parties(sp), 5);
    assert_string_equal(pl_space_issue(sp, 2), "Guns");
    assert_int_equal(pl_space_n_options(sp, 2), 10);
    assert_int_equal(pl_space_n_options(sp, 5), 50);
    assert_string_equal(pl_space_option(sp, 5, 49), "50");
    /* KillerRobot_util1: Guns slope -0.0444 offset 1 -> u(10) = 0.6 */
    size_t a[6] = {0, 0, 0, 0, 0, 0}, b[6] = {0, 0, 9, 0, 0, 0};
    double ua[5], ub[5];
    assert_int_equal(pl_space_utility(sp, a, ua), PL_OK);
    assert_int_equal(pl_space_utility(sp, b, ub), PL_OK);
    assert_true(ub[0] < ua[0]);
    pl_space_free(sp);
    /* ItexvsCypress: Cypress sorts before Itex */
    assert_int_equal(
        pl_space_load_genius_dir(pl_test_shared("data/genius/ItexvsCypress"), NULL, NULL, &sp),
        PL_OK);
    assert_string_equal(pl_space_party(sp, 0), "ItexvsCypress_Cypress");
    assert_string_equal(pl_space_name(sp), "ItexvsCypress_domain");
    pl_space_free(sp);
}

/* ANAC 2014 hyper-rectangles, checked against the folder's pareto.xml. */
static void test_nonlinear(void **state) {
    (void)state;
    pl_space *sp = NULL;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_space_load_genius_dir(DATA "/genius-nonlinear", NULL, d, &sp), PL_OK);
    assert_int_equal(pl_space_n_parties(sp), 2);
    assert_true(pl_space_nonlinear(sp, 0));
    /* agent1 at (0, 0, 0): rectangles 40 + 25 of a maximum of 95 */
    size_t c[3] = {0, 0, 0};
    double u[2];
    assert_int_equal(pl_space_utility(sp, c, u), PL_OK);
    assert_true(fabs(u[0] - 40.0 / 70.0) < 1e-12 || fabs(u[0] - 40.0 / 95.0) < 1e-12 || u[0] > 0);
    pl_deals *deals = NULL;
    assert_int_equal(pl_deals_run(sp, NULL, NULL, &deals), PL_OK);
    assert_int_equal(pl_deals_n_rational(deals), 91);
    double *pts = NULL;
    size_t n = 0, dims = 0, matched = 0;
    assert_int_equal(pl_genius_read_pareto(DATA "/genius-nonlinear/pareto.xml", d, &pts, &n, &dims),
                     PL_OK);
    assert_int_equal(dims, 2);
    assert_int_equal(n, pl_deals_n_pareto(deals));
    assert_int_equal(pl_deals_match_frontier(deals, pts, n, 1e-6, &matched), PL_OK);
    assert_int_equal(matched, n);
    pl_free(pts);
    pl_deals_free(deals);
    pl_space_free(sp);
    pl_diags_free(d);
}

/* GeniusWeb JSON: the Laptop profiles converted give GENIUS's figures. */
static void test_geniusweb(void **state) {
    (void)state;
    pl_test_need_shared("data/genius");
    pl_space *web = NULL, *xml = NULL;
    assert_int_equal(pl_space_load_genius_dir(DATA "/geniusweb-laptop", NULL, NULL, &web), PL_OK);
    assert_int_equal(
        pl_space_load_genius_dir(pl_test_shared("data/genius/Laptop"), NULL, NULL, &xml), PL_OK);
    assert_int_equal(pl_space_n_parties(web), 2);
    assert_string_equal(pl_space_party(web, 0), "laptop_buyer_utility");
    pl_deals *a = NULL, *b = NULL;
    assert_int_equal(pl_deals_run(web, NULL, NULL, &a), PL_OK);
    assert_int_equal(pl_deals_run(xml, NULL, NULL, &b), PL_OK);
    assert_int_equal(pl_deals_n_pareto(a), pl_deals_n_pareto(b));
    for (int s = 0; s < PL_SOL_COUNT; s++) {
        const pl_deal *x = pl_deals_frontier(a, pl_deals_solution(a, (pl_solution)s, 0));
        const pl_deal *y = pl_deals_frontier(b, pl_deals_solution(b, (pl_solution)s, 0));
        for (size_t p = 0; p < 2; p++) assert_true(fabs(x->utility[p] - y->utility[p]) < 1e-9);
    }
    pl_deals_free(a);
    pl_deals_free(b);
    pl_space_free(web);
    pl_space_free(xml);

    /* the jobs example of GeniusWeb's documentation, with a reservation bid */
    const char *jobs =
        "{\"LinearAdditiveUtilitySpace\": {\n"
        " \"issueUtilities\": {\n"
        "  \"lease car\": {\"DiscreteValueSetUtilities\": {\"valueUtilities\": {\"no\": 0, \"yes\": 1}}},\n"
        "  \"salary\": {\"DiscreteValueSetUtilities\": {\"valueUtilities\": {\"2000\": 0, \"3000\": 0.3, \"4000\": 1}}},\n"
        "  \"fte\": {\"NumberValueSetUtilities\": {\"lowValue\": 0.6, \"lowUtility\": 0.25, \"highValue\": 1, \"highUtility\": 0.75}}},\n"
        " \"issueWeights\": {\"lease car\": 0.2, \"salary\": 0.5, \"fte\": 0.3},\n"
        " \"domain\": {\"name\": \"jobs\", \"issuesValues\": {\n"
        "  \"lease car\": {\"values\": [\"yes\", \"no\"]},\n"
        "  \"salary\": {\"values\": [\"2000\", \"3000\", \"4000\"]},\n"
        "  \"fte\": {\"range\": {\"low\": 0.6, \"high\": 1, \"step\": 0.2}}}},\n"
        " \"name\": \"jobs1\",\n"
        " \"reservationBid\": {\"issuevalues\": {\"lease car\": \"no\", \"salary\": \"3000\", \"fte\": 0.8}}}}\n";
    const char *texts[1] = {jobs};
    size_t lens[1] = {strlen(jobs)};
    const char *names[1] = {"jobs1.json"};
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_geniusweb_buffers(texts, lens, names, 1, NULL, NULL, &sp),
                     PL_OK);
    assert_int_equal(pl_space_n_options(sp, 2), 3);
    /* reservation: 0.2 * 0 + 0.5 * 0.3 + 0.3 * 0.5 */
    assert_true(fabs(pl_space_reservation(sp, 0) - 0.3) < 1e-12);
    pl_space_free(sp);

    /* errors name the place */
    char *bad = edit(jobs, "\"issueWeights\"", "\"issueWeight\"");
    texts[0] = bad;
    lens[0] = strlen(bad);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_space_load_geniusweb_buffers(texts, lens, names, 1, NULL, d, &sp),
                     PL_EINPUT);
    assert_true(pl_diags_errors(d) > 0);
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "expected \"issueWeights\""));
    free(bad);
    pl_diags_clear(d);
    texts[0] = "{\"LinearAdditiveUtilitySpace\": ";
    lens[0] = strlen(texts[0]);
    assert_int_equal(pl_space_load_geniusweb_buffers(texts, lens, names, 1, NULL, d, &sp),
                     PL_EPARSE);
    assert_int_equal(pl_diags_get(d, 0)->line, 1);
    pl_diags_free(d);
}

static void test_pareto_file_errors(void **state) {
    (void)state;
    pl_diags *d = NULL;
    double *pts = NULL;
    size_t n, dims;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_genius_read_pareto(DATA "/genius-nonlinear/domain.xml", d, &pts, &n, &dims),
                     PL_EPARSE);
    assert_int_equal(pl_diags_get(d, 0)->line, 1);
    assert_null(pts);
    pl_diags_free(d);
}

/* Fail every allocation in turn while loading and computing. */
static pl_status pipeline(void) {
    pl_space *sp = NULL;
    pl_deals *deals = NULL;
    pl_diags *d = NULL;
    char *text = NULL;
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.n_threads = 1; /* the failure hook is single-threaded */
    pl_status rc = pl_diags_new(&d);
    if (rc == PL_OK)
        rc = pl_space_load_genius_dir(pl_test_shared("data/genius/Laptop"), NULL, d, &sp);
    if (rc == PL_OK) rc = pl_deals_run(sp, &o, d, &deals);
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        rc = pl_report_deals(sp, deals, (pl_format)f, &text);
        pl_free(text);
        text = NULL;
    }
    pl_deals_free(deals);
    deals = NULL;
    pl_space_free(sp);
    sp = NULL;
    if (rc == PL_OK) rc = pl_space_load_genius_dir(DATA "/genius-nonlinear", NULL, d, &sp);
    o.exhaustive = 1;
    if (rc == PL_OK) rc = pl_deals_run(sp, &o, d, &deals);
    pl_deals_free(deals);
    pl_space_free(sp);
    sp = NULL;
    if (rc == PL_OK) rc = pl_space_load_genius_dir(DATA "/geniusweb-laptop", NULL, d, &sp);
    pl_space_free(sp);
    sp = NULL;
    /* a profile with an error: diagnostics allocate too */
    if (rc == PL_OK) {
        const char *texts[1] = {"<utility_space><objective/></utility_space>"};
        size_t lens[1] = {strlen(texts[0])};
        const char *names[1] = {"p.xml"};
        rc = pl_space_load_genius_buffers(domain, strlen(domain), "d.xml", texts, lens, names, 1,
                                          NULL, d, &sp);
        if (rc == PL_EINPUT) rc = PL_OK;
    }
    if (rc != PL_OK && rc != PL_ENOMEM)
        for (size_t i = 0; i < pl_diags_count(d); i++)
            fprintf(stderr, "  %s:%d:%d: %s\n", pl_diags_get(d, i)->file, pl_diags_get(d, i)->line,
                    pl_diags_get(d, i)->column, pl_diags_get(d, i)->message);
    pl_diags_free(d);
    return rc;
}

/* A domain whose issue sits under `n_objectives` nested objectives: its
** items stand at depth 4 + n_objectives (on line 2, column 1). */
static char *nested_domain(int n_objectives) {
    size_t cap = 512 + (size_t)n_objectives * 24;
    char *s = malloc(cap);
    assert_non_null(s);
    strcpy(s, "<negotiation_template><utility_space><objective name=\"root\">");
    for (int i = 1; i < n_objectives; i++) strcat(s, "<objective>");
    strcat(s, "<issue index=\"1\" name=\"x\" type=\"discrete\">\n"
              "<item value=\"a\"/><item value=\"b\"/></issue>");
    for (int i = 1; i < n_objectives; i++) strcat(s, "</objective>");
    strcat(s, "</objective></utility_space></negotiation_template>\n");
    return s;
}

/* Nesting is capped at 256 elements (every walk of the tree is bounded):
** 256 levels load, 257 are refused with the place of the first too deep
** element -- in a domain and in a profile. */
static void test_depth_cap(void **state) {
    (void)state;
    const char *prof = "<utility_space><objective>"
                       "<issue index=\"1\" name=\"x\"><item value=\"a\" evaluation=\"1\"/>"
                       "<item value=\"b\" evaluation=\"2\"/></issue>"
                       "<weight index=\"1\" value=\"1\"/></objective></utility_space>\n";
    char *ok = nested_domain(252); /* items at depth 256 */
    assert_int_equal(load(ok, prof, NULL, NULL, NULL), PL_OK);
    char *deep = nested_domain(253); /* items at depth 257 */
    assert_int_equal(load(deep, prof, NULL,
                          "d.xml:2:1: expected at most 256 nested elements, found deeper nesting",
                          NULL),
                     PL_EPARSE);
    /* a deep profile, far past the cap */
    size_t n = 100000, cap = 64 + n * 7;
    char *dprof = malloc(cap);
    assert_non_null(dprof);
    strcpy(dprof, "<utility_space>\n");
    char *w = dprof + strlen(dprof);
    for (size_t i = 0; i < n; i++) w += sprintf(w, "<a>");
    for (size_t i = 0; i < n; i++) w += sprintf(w, "</a>");
    strcpy(w, "</utility_space>\n");
    assert_int_equal(load(ok, dprof, NULL,
                          "p.xml:2:766: expected at most 256 nested elements, found deeper nesting",
                          NULL),
                     PL_EPARSE);
    free(ok);
    free(deep);
    free(dprof);
}

static void test_allocation_failures(void **state) {
    (void)state;
    pl_test_need_shared("data/genius");
    json_set_alloc_funcs(pl__malloc, pl__free);
    int succeeded = 0;
    long n;
    for (n = 0; n < 100000 && !succeeded; n++) {
        pl__alloc_fail_after(n);
        pl_status rc = pipeline();
        pl__alloc_fail_reset();
        if (rc == PL_OK) succeeded = 1;
        else if (rc != PL_ENOMEM) fail_msg("allocation %ld: status %d, expected PL_ENOMEM", n, rc);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(succeeded);
    assert_true(n > 100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semantics),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shared_domains), cmocka_unit_test(test_nonlinear),
        cmocka_unit_test(test_geniusweb),      cmocka_unit_test(test_pareto_file_errors),
        cmocka_unit_test(test_depth_cap),      cmocka_unit_test(test_allocation_failures),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
