/*
** test_export.c: the peers' formats both ways (issue 16, part 3).
**   - KTAB XML: KTAB's own example pair (dummyData_3Dim.xml and .csv, in
**     examples/data/ktab) gives the same input and the same trajectory;
**     XML written and read back is the same input, parameters included;
**     bad XML is reported at its FILE:LINE:COL;
**   - KTAB CSV: a scenario written and read back gives the same figures
**     (to the 6 decimals KTAB's files carry), and again unchanged;
**   - GENIUS: a GENIUS space written and read back is the same space; a
**     scenario's space comes back scaled per party as GENIUS scales it,
**     with the same zone of agreement and frontier.
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

#define DATA PL_SOURCE_DIR "/examples/data/"

static pl_smp_data *read_ktab(const char *path) {
    pl_smp_data *d = NULL;
    assert_int_equal(pl_smp_read_ktab_file(path, NULL, &d), PL_OK);
    return d;
}

static void same_data(const pl_smp_data *a, const pl_smp_data *b, double tol) {
    size_t n = pl_smp_data_n_actors(a), nd = pl_smp_data_n_dims(a);
    assert_int_equal(pl_smp_data_n_actors(b), n);
    assert_int_equal(pl_smp_data_n_dims(b), nd);
    assert_string_equal(pl_smp_data_name(a), pl_smp_data_name(b));
    for (size_t k = 0; k < nd; k++)
        assert_string_equal(pl_smp_data_dim_name(a, k), pl_smp_data_dim_name(b, k));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(pl_smp_data_actor_name(a, i), pl_smp_data_actor_name(b, i));
        assert_near(pl_smp_data_capability(a, i), pl_smp_data_capability(b, i),
                    tol * pl_smp_data_capability(a, i));
        for (size_t k = 0; k < nd; k++) {
            assert_near(pl_smp_data_position(a, i, k), pl_smp_data_position(b, i, k), tol);
            assert_near(pl_smp_data_salience(a, i, k), pl_smp_data_salience(b, i, k), tol);
        }
    }
}

static void test_ktab_xml_equals_csv(void **state) {
    (void)state;
    pl_smp_data *csv = read_ktab(DATA "ktab/dummyData_3Dim.csv");
    pl_smp_data *xml = NULL;
    pl_smp_options params;
    assert_int_equal(pl_smp_read_ktab_xml_file(DATA "ktab/dummyData_3Dim.xml", NULL, &xml, &params),
                     PL_OK);
    same_data(csv, xml, 0);
    assert_null(pl_smp_data_accommodation(xml));
    assert_true(params.seed == 0x89B9E56731783372ull); /* <prngSeed> */
    /* the generic reader tells XML by its first character */
    pl_smp_data *sniffed = read_ktab(DATA "ktab/dummyData_3Dim.xml");
    same_data(xml, sniffed, 0);
    /* the same trajectory, turn by turn */
    pl_smp_options o;
    pl_smp_options_init(&o);
    pl_smp_result *a = NULL, *b = NULL;
    assert_int_equal(pl_smp_run(csv, &o, NULL, &a), PL_OK);
    assert_int_equal(pl_smp_run(xml, &params, NULL, &b), PL_OK);
    assert_int_equal(pl_smp_result_n_turns(a), pl_smp_result_n_turns(b));
    assert_int_equal(pl_smp_result_n_turns(a), 10); /* KTAB's own run: 10 turns */
    for (size_t t = 0; t <= pl_smp_result_n_turns(a); t++)
        for (size_t i = 0; i < 7; i++) {
            assert_memory_equal(pl_smp_result_position(a, t, i), pl_smp_result_position(b, t, i),
                                3 * sizeof(double));
            assert_true(pl_smp_result_prob(a, t, i) == pl_smp_result_prob(b, t, i));
        }
    /* KTAB's reference (../shared/data/ktab/reference): SActor-05 ends at 79.88 on Pstn1 */
    assert_near(pl_smp_result_position(b, 10, 5)[0], 79.88, 0.005);
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_data_free(sniffed);
    pl_smp_data_free(xml);
    pl_smp_data_free(csv);
}

static const char *const example_xml =
    "<?xml version=\"1.0\"?>\n"
    "<Scenario>\n"
    "  <name>Three</name><desc>three actors</desc><prngSeed>12345</prngSeed>\n"
    "  <ModelParameters><VictoryProbModel>Octic</VictoryProbModel>"
    "<PCEModel>MarkovIncentive</PCEModel><VotingRule>PropCbc</VotingRule></ModelParameters>\n"
    "  <Dimensions><dName>X</dName><dName>Y</dName></Dimensions>\n"
    "  <Actors>\n"
    "    <Actor><name>A</name><description>a</description><capability>10</capability>"
    "<Position><dCoord>10</dCoord><dCoord>20</dCoord></Position>"
    "<Salience><dSal>50</dSal><dSal>30</dSal></Salience></Actor>\n"
    "    <Actor><name>B</name><description>b</description><capability>20</capability>"
    "<Position><dCoord>60</dCoord><dCoord>70</dCoord></Position>"
    "<Salience><dSal>40</dSal><dSal>40</dSal></Salience></Actor>\n"
    "    <Actor><name>C</name><description>c</description><capability>30</capability>"
    "<Position><dCoord>90</dCoord><dCoord>5</dCoord></Position>"
    "<Salience><dSal>20</dSal><dSal>60</dSal></Salience></Actor>\n"
    "  </Actors>\n"
    "  <IdealAdjustment>\n"
    "    <iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>A</referencePos>"
    "<adjust>0.8</adjust></iaPair>\n"
    "    <iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos>"
    "<adjust>0.1</adjust></iaPair>\n"
    "  </IdealAdjustment>\n"
    "</Scenario>\n";

static void test_ktab_xml_round_trip(void **state) {
    (void)state;
    pl_smp_data *d = NULL, *back = NULL;
    pl_smp_options p, q;
    assert_int_equal(
        pl_smp_read_ktab_xml_buffer(example_xml, strlen(example_xml), "ex.xml", NULL, &d, &p),
        PL_OK);
    assert_int_equal(p.vpm, PL_SMP_VPM_OCTIC);
    assert_int_equal(p.pcem, PL_SMP_PCE_MARKOV_INCENTIVE);
    assert_int_equal(p.voting, PL_SMP_VR_PROPCBC);
    assert_true(p.seed == 12345);
    const double *a = pl_smp_data_accommodation(d);
    assert_non_null(a);
    double want[9] = {0.8, 0.1, 0, 0, 1, 0, 0, 0, 1}; /* from the identity */
    assert_memory_equal(a, want, sizeof want);
    char *xml = NULL;
    assert_int_equal(pl_smp_data_to_ktab_xml(d, &p, &xml), PL_OK);
    assert_int_equal(pl_smp_read_ktab_xml_buffer(xml, strlen(xml), "back.xml", NULL, &back, &q),
                     PL_OK);
    same_data(d, back, 0);
    assert_memory_equal(pl_smp_data_accommodation(back), want, sizeof want);
    char *dp = NULL, *dq = NULL;
    assert_int_equal(pl_smp_options_describe(&p, &dp), PL_OK);
    assert_int_equal(pl_smp_options_describe(&q, &dq), PL_OK);
    assert_string_equal(dp, dq);
    pl_free(dp);
    pl_free(dq);
    pl_free(xml);
    pl_smp_data_free(back);
    pl_smp_data_free(d);
}

/* Bad KTAB XML: status and the first error's place and message. */
static void bad(const char *text, pl_status want, int line, int col, const char *msg) {
    pl_diags *diags = NULL;
    assert_int_equal(pl_diags_new(&diags), PL_OK);
    pl_smp_data *d = NULL;
    pl_status rc = pl_smp_read_ktab_xml_buffer(text, strlen(text), "bad.xml", diags, &d, NULL);
    assert_null(d);
    const pl_diag *g = NULL;
    for (size_t i = 0; !g && i < pl_diags_count(diags); i++)
        if (pl_diags_get(diags, i)->severity == PL_SEV_ERROR) g = pl_diags_get(diags, i);
    if (rc != want || !g || g->line != line || g->column != col || !strstr(g->message, msg)) {
        fail_msg("got %d %s:%d:%d: %s; expected %d at %d:%d with \"%s\"", rc, g ? g->file : "-",
                 g ? g->line : 0, g ? g->column : 0, g ? g->message : "-", want, line, col, msg);
    }
    assert_string_equal(g->file, "bad.xml");
    pl_diags_free(diags);
}

/* example_xml with its first `from` replaced by `to` (caller frees). */
static char *replaced(const char *from, const char *to) {
    const char *p = strstr(example_xml, from);
    assert_non_null(p);
    size_t head = (size_t)(p - example_xml), n = strlen(example_xml) - strlen(from) + strlen(to);
    char *t = malloc(n + 1);
    assert_non_null(t);
    memcpy(t, example_xml, head);
    strcpy(t + head, to);
    strcat(t, p + strlen(from));
    return t;
}

static void test_ktab_xml_errors(void **state) {
    (void)state;
    bad("<Scenario><name>x</name>\n<Actors>\n  <Actor>", PL_EPARSE, 3, 10, "well-formed XML");
    bad("<Domain/>", PL_EPARSE, 1, 1, "root element <Scenario>");
    /* a position off its range, at its element */
    char *t = replaced("<dCoord>60<", "<dCoord>160<");
    bad(t, PL_EINPUT, 8, 91, "expected a position (a number from 0 to 100), found \"160\"");
    free(t);
    /* KTAB's own smpExample.xml has an empty <dCoord></dCoord> */
    t = replaced("<dCoord>10</dCoord>", "<dCoord>  </dCoord>");
    bad(t, PL_EPARSE, 7, 91, "found nothing");
    free(t);
    /* an unknown actor in an iaPair */
    t = replaced("<referencePos>B<", "<referencePos>Z<");
    bad(t, PL_EINPUT, 13, 5, "found \"Z\"");
    free(t);
    /* too few coordinates */
    t = replaced("<dCoord>70</dCoord>", "");
    bad(t, PL_EPARSE, 8, 81, "expected 2 <dCoord>");
    free(t);
    /* the ideal moves by more than all of the others' positions */
    t = replaced("<adjust>0.1<", "<adjust>0.3<");
    bad(t, PL_EINPUT, 13, 5, "to sum to at most 1");
    free(t);
    bad("<Scenario><name>s</name><Actors><Actor><name>A</name><capability>1</capability>"
        "<Position><dCoord>1</dCoord></Position><Salience><dSal>1</dSal></Salience></Actor>"
        "</Actors></Scenario>",
        PL_EPARSE, 1, 33, "expected 3 to 2000 <Actor>");
    bad("<Scenario><name>s</name><ModelParameters><VictoryProbModel>Cubic</VictoryProbModel>"
        "</ModelParameters></Scenario>",
        PL_EINPUT, 1, 42, "expected a value of VictoryProbModel");
}

static void test_ktab_csv_round_trip(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_smp_data *d = NULL, *back = NULL, *again = NULL;
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &d), PL_OK);
    char *csv = NULL, *csv2 = NULL;
    assert_int_equal(pl_smp_data_to_ktab_csv(d, &csv), PL_OK);
    assert_int_equal(pl_smp_read_ktab_buffer(csv, strlen(csv), "x.csv", NULL, &back), PL_OK);
    same_data(d, back, 5e-7); /* the file's 6 decimals */
    assert_int_equal(pl_smp_data_to_ktab_csv(back, &csv2), PL_OK);
    assert_string_equal(csv, csv2); /* read -> write -> read: unchanged */
    assert_int_equal(pl_smp_read_ktab_buffer(csv2, strlen(csv2), "y.csv", NULL, &again), PL_OK);
    same_data(back, again, 0);
    pl_free(csv);
    pl_free(csv2);
    pl_smp_data_free(again);
    pl_smp_data_free(back);
    pl_smp_data_free(d);
    pl_scenario_free(s);
}

/* Write sp as GENIUS files and read them back. */
static pl_space *genius_round_trip(const pl_space *sp) {
    size_t n = pl_space_n_parties(sp);
    char *dom = NULL, *prof[16];
    const char *names[16];
    size_t lens[16];
    char name_buf[16][80];
    assert_true(n <= 16);
    assert_int_equal(pl_space_genius_domain(sp, &dom), PL_OK);
    for (size_t p = 0; p < n; p++) {
        assert_int_equal(pl_space_genius_profile(sp, p, &prof[p]), PL_OK);
        snprintf(name_buf[p], sizeof name_buf[p], "%s.xml", pl_space_party(sp, p));
        names[p] = name_buf[p];
        lens[p] = strlen(prof[p]);
    }
    pl_diags *diags = NULL;
    assert_int_equal(pl_diags_new(&diags), PL_OK);
    pl_space *back = NULL;
    pl_status rc = pl_space_load_genius_buffers(dom, strlen(dom), "domain.xml",
                                                (const char *const *)prof, lens, names, n, NULL,
                                                diags, &back);
    if (rc != PL_OK) fail_msg("%s", pl_diags_get(diags, 0)->message);
    pl_diags_free(diags);
    pl_free(dom);
    for (size_t p = 0; p < n; p++) pl_free(prof[p]);
    return back;
}

/* Party p of b is the party of a with the same name (files sort by name). */
static size_t party_of(const pl_space *a, const pl_space *b, size_t p) {
    for (size_t q = 0; q < pl_space_n_parties(a); q++)
        if (strcmp(pl_space_party(a, q), pl_space_party(b, p)) == 0) return q;
    fail_msg("party %s lost", pl_space_party(b, p));
    return 0;
}

/* Every package's utilities: b's = a's / scale[party]. */
static void same_utilities(const pl_space *a, const pl_space *b, const double *scale) {
    size_t ni = pl_space_n_issues(a), np = pl_space_n_parties(a);
    assert_int_equal(pl_space_n_issues(b), ni);
    assert_int_equal(pl_space_n_parties(b), np);
    size_t choice[32] = {0};
    double ua[32], ub[32];
    int overflow = 0;
    uint64_t total = pl_space_size(a, &overflow);
    for (uint64_t k = 0; k < total; k++) {
        uint64_t r = k;
        for (size_t i = 0; i < ni; i++) {
            choice[i] = (size_t)(r % pl_space_n_options(a, i));
            r /= pl_space_n_options(a, i);
        }
        assert_int_equal(pl_space_utility(a, choice, ua), PL_OK);
        assert_int_equal(pl_space_utility(b, choice, ub), PL_OK);
        for (size_t p = 0; p < np; p++) {
            size_t q = party_of(a, b, p);
            assert_near(ub[p], ua[q] / scale[q], 1e-12);
        }
    }
    for (size_t p = 0; p < np; p++) {
        size_t q = party_of(a, b, p);
        assert_near(pl_space_reservation(b, p), pl_space_reservation(a, q) / scale[q], 2e-12);
        assert_near(pl_space_discount(b, p), pl_space_discount(a, q), 0);
    }
}

static void test_genius_round_trip(void **state) {
    (void)state;
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_dir(DATA "genius/Laptop", NULL, NULL, &sp), PL_OK);
    pl_space *back = genius_round_trip(sp);
    double one[2] = {1, 1};
    same_utilities(sp, back, one);
    /* and the files a second time are the same files */
    char *d1 = NULL, *d2 = NULL, *p1 = NULL, *p2 = NULL;
    assert_int_equal(pl_space_genius_domain(sp, &d1), PL_OK);
    assert_int_equal(pl_space_genius_domain(back, &d2), PL_OK);
    assert_string_equal(d1, d2);
    assert_int_equal(pl_space_genius_profile(sp, 0, &p1), PL_OK);
    assert_int_equal(pl_space_genius_profile(back, 0, &p2), PL_OK);
    assert_string_equal(p1, p2);
    pl_free(d1);
    pl_free(d2);
    pl_free(p1);
    pl_free(p2);
    pl_space_free(back);
    pl_space_free(sp);
}

static void test_genius_from_scenario(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    pl_space *sp = NULL;
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    pl_space *back = genius_round_trip(sp);
    pl_deals *da = NULL, *db = NULL;
    assert_int_equal(pl_deals_run(sp, NULL, NULL, &da), PL_OK);
    assert_int_equal(pl_deals_run(back, NULL, NULL, &db), PL_OK);
    /* GENIUS's scale: the best package is worth 1 (additive: the best per issue) */
    double scale[16];
    for (size_t p = 0; p < pl_space_n_parties(sp); p++) scale[p] = pl_deals_max(da, p);
    same_utilities(sp, back, scale);
    /* the same frontier; the zone of agreement: the packages that leave
    ** every party at or above its reservation value, a package worth it
    ** within rounding (1e-9) counted in, as the export writes it */
    size_t np = pl_space_n_parties(sp), ni = pl_space_n_issues(sp), choice[16];
    double u[16];
    int overflow = 0;
    uint64_t total = pl_space_size(sp, &overflow), zone = 0;
    for (uint64_t k = 0; k < total; k++) {
        uint64_t r = k;
        for (size_t i = 0; i < ni; i++) {
            choice[i] = (size_t)(r % pl_space_n_options(sp, i));
            r /= pl_space_n_options(sp, i);
        }
        assert_int_equal(pl_space_utility(sp, choice, u), PL_OK);
        size_t p = 0;
        while (p < np && u[p] >= pl_space_reservation(sp, p) - 1e-9) p++;
        zone += p == np;
    }
    assert_true(pl_deals_n_rational(db) == zone);
    assert_true(zone >= pl_deals_n_rational(da) && zone <= pl_deals_n_rational(da) + 8);
    assert_int_equal(pl_deals_n_frontier(da), pl_deals_n_frontier(db));
    pl_deals_free(da);
    pl_deals_free(db);
    pl_space_free(back);
    pl_space_free(sp);
    pl_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ktab_xml_equals_csv), cmocka_unit_test(test_ktab_xml_round_trip),
        cmocka_unit_test(test_ktab_xml_errors),     cmocka_unit_test(test_ktab_csv_round_trip),
        cmocka_unit_test(test_genius_round_trip),   cmocka_unit_test(test_genius_from_scenario),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
