/*
** test_io_ktab.c: the KTAB CSV reader -- KTAB's own example files, every
** kind of bad input with its place and message, the round trip through
** pl_smp_data_to_ktab_csv, and parley scenarios as model input.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley.h"
#include "pl_test.h"

static const char *const example_files[] = {
    "dummyData_3Dim",  "dummyData_6Dim", "SOE-Pol-Comp",   "SOE-Policy",
    "SOE-Competitive", "dummyData-a040", "dummyData-a080", "dummyData-a160",
};

static pl_status read_text(const char *text, pl_diags *d, pl_smp_data **out) {
    return pl_smp_read_ktab_buffer(text, strlen(text), "t.csv", d, out);
}

/* The first error's place and message must be these. */
static void expect_error(const char *text, pl_status want, int line, int col,
                         const char *message_part) {
    pl_diags *d = NULL;
    pl_smp_data *data = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_status rc = read_text(text, d, &data);
    if (rc != want) {
        for (size_t i = 0; i < pl_diags_count(d); i++)
            print_message("  %d:%d %s\n", pl_diags_get(d, i)->line, pl_diags_get(d, i)->column,
                          pl_diags_get(d, i)->message);
        fail_msg("status %d, expected %d for:\n%s", rc, want, text);
    }
    assert_null(data);
    assert_true(pl_diags_errors(d) >= 1);
    const pl_diag *e = NULL;
    for (size_t i = 0; i < pl_diags_count(d) && !e; i++)
        if (pl_diags_get(d, i)->severity == PL_SEV_ERROR) e = pl_diags_get(d, i);
    assert_string_equal(e->file, "t.csv");
    if (e->line != line || e->column != col || !strstr(e->message, message_part))
        fail_msg("got %d:%d \"%s\", expected %d:%d \"...%s...\"", e->line, e->column, e->message,
                 line, col, message_part);
    pl_diags_free(d);
}

static void test_examples(void **state) {
    (void)state;
    char path[512];
    for (size_t f = 0; f < sizeof example_files / sizeof example_files[0]; f++) {
        char rel[256];
        snprintf(rel, sizeof rel, "data/ktab/%.200s.csv", example_files[f]);
        pl_test_need_shared(rel);
        snprintf(path, sizeof path, "%s", pl_test_shared(rel));
        pl_diags *d = NULL;
        pl_smp_data *data = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        pl_status rc = pl_smp_read_ktab_file(path, d, &data);
        if (rc != PL_OK) fail_msg("%s: status %d", path, rc);
        assert_int_equal(pl_diags_count(d), 0);
        assert_true(pl_smp_data_check(data, NULL) == PL_OK);
        pl_smp_data_free(data);
        pl_diags_free(d);
    }
    /* dummyData_3Dim's values, read as KTAB reads them (spaces trimmed,
    ** the description's quotes removed). */
    snprintf(path, sizeof path, "%s", pl_test_shared("data/ktab/dummyData_3Dim.csv"));
    pl_smp_data *data = NULL;
    assert_int_equal(pl_smp_read_ktab_file(path, NULL, &data), PL_OK);
    assert_int_equal(pl_smp_data_n_actors(data), 7);
    assert_int_equal(pl_smp_data_n_dims(data), 3);
    assert_string_equal(pl_smp_data_name(data), "DummyData_3Dim");
    assert_string_equal(pl_smp_data_description(data), "Dummy scenario to test reading format");
    assert_string_equal(pl_smp_data_dim_name(data, 2), "Pstn3");
    assert_string_equal(pl_smp_data_actor_name(data, 6), "SActor-06");
    assert_string_equal(pl_smp_data_actor_description(data, 0), "Random Spatial Actor");
    assert_near(pl_smp_data_capability(data, 0), 102.543, 0);
    assert_near(pl_smp_data_position(data, 0, 1), 6.37, 0);
    assert_near(pl_smp_data_salience(data, 6, 2), 26.03, 0);
    assert_null(pl_smp_data_accommodation(data));
    pl_smp_data_free(data);
}

static void test_formats_accepted(void **state) {
    (void)state;
    /* CRLF, a BOM, quoted fields with commas and "", trailing fields,
    ** blank lines and extra columns after the actors. */
    const char *text = "\xEF\xBB\xBF\"Name, with comma\",\"say \"\"hi\"\"\",3,1,0,,\r\n"
                       "Actor,Description,Power,Pos,Sal,extra\r\n"
                       "A,,10,0,50,x\r\n"
                       "  B  , second ,20,50,50\r\n"
                       "C,\"third, really\",30,100,100,,\r\n"
                       "\r\n\r\n";
    pl_diags *d = NULL;
    pl_smp_data *data = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(read_text(text, d, &data), PL_OK);
    assert_int_equal(pl_diags_count(d), 0);
    assert_string_equal(pl_smp_data_name(data), "Name, with comma");
    assert_string_equal(pl_smp_data_description(data), "say \"hi\"");
    assert_string_equal(pl_smp_data_actor_name(data, 1), "B");
    assert_null(pl_smp_data_actor_description(data, 0));
    assert_string_equal(pl_smp_data_actor_description(data, 2), "third, really");
    assert_near(pl_smp_data_position(data, 2, 0), 100, 0);
    pl_smp_data_free(data);
    /* More actor lines than declared: a warning, and they are ignored. */
    const char *extra = "S,d,3,1\nA,D,P,X,S\na,,1,0,10\nb,,1,1,10\nc,,1,2,10\nd,,1,3,10\n";
    assert_int_equal(read_text(extra, d, &data), PL_OK);
    assert_int_equal(pl_diags_warnings(d), 1);
    assert_int_equal(pl_diags_get(d, 0)->line, 6);
    assert_int_equal(pl_smp_data_n_actors(data), 3);
    pl_smp_data_free(data);
    pl_diags_free(d);
}

static void test_errors(void **state) {
    (void)state;
    const char *head = "S,d,3,1\nActor,Desc,Power,P,S\n";
    char text[512];
    expect_error("", PL_EPARSE, 1, 1, "expected the scenario line");
    expect_error("S,d,3\n", PL_EPARSE, 1, 1, "expected 4 fields");
    expect_error("S,d,2,1\n", PL_EPARSE, 1, 5,
                 "expected the number of actors from 3 to 2000, found 2");
    expect_error("S,d,2001,1\n", PL_EPARSE, 1, 5, "from 3 to 2000, found 2001");
    expect_error("S,d,three,1\n", PL_EPARSE, 1, 5, "found \"three\"");
    expect_error("S,d,3,0\n", PL_EPARSE, 1, 7, "number of dimensions from 1");
    expect_error("S,d,3,2\nActor,Desc,Power,P,S\n", PL_EPARSE, 2, 1, "expected 7 header fields");
    expect_error("S,d,3,1\n", PL_EPARSE, 2, 1, "expected the header line");
    expect_error("S,d,3,1\nA,D,P,X,S\na,,1,0,10\n", PL_EPARSE, 4, 1,
                 "expected 3 actor lines as the first line declares, found 1");
    expect_error("S,d,3,1\nA,D,P,X,S\na,,1,0,10\n\nb,,1,0,10\n", PL_EPARSE, 4, 1,
                 "found an empty line");
    snprintf(text, sizeof text, "%sa,,1,0\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EPARSE, 3, 1, "expected 5 fields");
    snprintf(text, sizeof text, "%sa,,1,zero,10\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EPARSE, 3, 6,
                 "expected a position (a number from 0 to 100), found \"zero\"");
    snprintf(text, sizeof text, "%sa,,1,0,\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EPARSE, 3, 8, "found an empty field");
    snprintf(text, sizeof text, "%sa,,1,101,10\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 6, "expected a position from 0 to 100, found \"101\"");
    snprintf(text, sizeof text, "%sa,,1,50,-1\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 9, "expected a salience from 0 to 100");
    snprintf(text, sizeof text, "%sa,,0,50,10\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 4, "expected a capability greater than 0");
    snprintf(text, sizeof text, "%sa,,1e8,50,10\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 4, "less than 1e8");
    snprintf(text, sizeof text, "%sa,,1,50,0\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 9, "expected a positive salience");
    snprintf(text, sizeof text, "%sabcdefghijklmnopqrstuvwxyz,,1,50,10\nb,,1,0,10\nc,,1,0,10\n",
             head);
    expect_error(text, PL_EINPUT, 3, 1, "expected an actor name of 1 to 25 characters");
    snprintf(text, sizeof text, "%s,,1,50,10\nb,,1,0,10\nc,,1,0,10\n", head);
    expect_error(text, PL_EINPUT, 3, 1, "found an empty field (0)");
    expect_error("S,d,3,2\nA,D,P,X,S,Y,T\na,,1,0,60,0,50\nb,,1,0,10,0,10\nc,,1,0,10,0,10\n",
                 PL_EINPUT, 3, 13, "sum to at most 100, found 110");
    expect_error("S,\"d,3,1\n", PL_EPARSE, 1, 3, "expected a closing quote");
    expect_error("S,\"d\" x,3,1\n", PL_EPARSE, 1, 7, "expected a comma after the closing quote");
    {
        const char nul[] = "S,d,3,1\nA,D\0P,X,S\n";
        pl_diags *d = NULL;
        pl_smp_data *data = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        assert_int_equal(pl_smp_read_ktab_buffer(nul, sizeof nul - 1, "t.csv", d, &data),
                         PL_EPARSE);
        assert_int_equal(pl_diags_get(d, 0)->line, 2);
        assert_int_equal(pl_diags_get(d, 0)->column, 4);
        assert_non_null(strstr(pl_diags_get(d, 0)->message, "NUL byte"));
        pl_diags_free(d);
    }
    /* Many bad lines: every one reported, up to a limit. */
    char big[8192];
    size_t len = (size_t)snprintf(big, sizeof big, "S,d,100,1\nA,D,P,X,S\n");
    for (int i = 0; i < 100; i++)
        len += (size_t)snprintf(big + len, sizeof big - len, "a%d,,1,200,10\n", i);
    pl_diags *d = NULL;
    pl_smp_data *data = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(read_text(big, d, &data), PL_EINPUT);
    assert_int_equal(pl_diags_errors(d), 21);
    assert_non_null(strstr(pl_diags_get(d, 20)->message, "stopped after 20 errors"));
    pl_diags_free(d);
}

static void test_file_errors(void **state) {
    (void)state;
    pl_diags *d = NULL;
    pl_smp_data *data = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_smp_read_ktab_file("/nonexistent/x.csv", d, &data), PL_EIO);
    assert_null(data);
    assert_string_equal(pl_diags_get(d, 0)->file, "/nonexistent/x.csv");
    assert_non_null(strstr(pl_diags_get(d, 0)->message, "expected a readable file"));
    assert_int_equal(pl_smp_read_ktab_file(NULL, d, &data), PL_EINVAL);
    assert_int_equal(pl_smp_read_ktab_buffer(NULL, 3, "x", d, &data), PL_EINVAL);
    pl_diags_free(d);
}

static void test_round_trip(void **state) {
    (void)state;
    pl_smp_data *d = NULL, *back = NULL;
    assert_int_equal(pl_smp_data_new(3, 2, &d), PL_OK);
    assert_int_equal(pl_smp_data_set_scenario(d, "Round, trip", "a \"test\""), PL_OK);
    for (size_t i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "a%zu", i);
        assert_int_equal(pl_smp_data_set_actor(d, i, name, i ? "desc" : NULL, 1.5 + (double)i),
                         PL_OK);
        for (size_t k = 0; k < 2; k++)
            assert_int_equal(
                pl_smp_data_set_stake(d, i, k, 10.123456 * (double)(i + k), 20 + (double)k), PL_OK);
    }
    assert_int_equal(pl_smp_data_set_dim(d, 1, "second", NULL, 0, 100), PL_OK);
    char *csv = NULL;
    assert_int_equal(pl_smp_data_to_ktab_csv(d, &csv), PL_OK);
    assert_int_equal(pl_smp_read_ktab_buffer(csv, strlen(csv), "rt", NULL, &back), PL_OK);
    assert_string_equal(pl_smp_data_name(back), "Round  trip");
    assert_string_equal(pl_smp_data_dim_name(back, 1), "second");
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(pl_smp_data_actor_name(back, i), pl_smp_data_actor_name(d, i));
        assert_near(pl_smp_data_capability(back, i), pl_smp_data_capability(d, i), 0);
        for (size_t k = 0; k < 2; k++) {
            assert_near(pl_smp_data_position(back, i, k), pl_smp_data_position(d, i, k), 1e-6);
            assert_near(pl_smp_data_salience(back, i, k), pl_smp_data_salience(d, i, k), 1e-6);
        }
    }
    pl_free(csv);
    pl_smp_data_free(back);
    /* clone */
    assert_int_equal(pl_smp_data_clone(d, &back), PL_OK);
    assert_string_equal(pl_smp_data_description(back), "a \"test\"");
    assert_near(pl_smp_data_position(back, 2, 1), 30.370368, 1e-9);
    pl_smp_data_free(back);
    /* setters reject what they must */
    assert_int_equal(pl_smp_data_set_stake(d, 3, 0, 1, 1), PL_EINVAL);
    assert_int_equal(pl_smp_data_set_stake(d, 0, 0, NAN, 1), PL_EINVAL);
    assert_int_equal(pl_smp_data_set_actor(d, 0, NULL, NULL, 1), PL_EINVAL);
    assert_int_equal(pl_smp_data_new(0, 1, &back), PL_EINVAL);
    pl_smp_data_free(d);
}

static void test_check(void **state) {
    (void)state;
    pl_smp_data *d = NULL;
    pl_diags *dg = NULL;
    assert_int_equal(pl_diags_new(&dg), PL_OK);
    assert_int_equal(pl_smp_data_new(2, 1, &d), PL_OK);
    /* 2 actors, no saliences: three problems */
    assert_int_equal(pl_smp_data_check(d, dg), PL_EINPUT);
    assert_int_equal(pl_diags_errors(dg), 3);
    assert_non_null(strstr(pl_diags_get(dg, 0)->message, "expected 3 to 2000 actors, found 2"));
    pl_smp_data_free(d);
    pl_diags_clear(dg);
    assert_int_equal(pl_smp_data_new(3, 1, &d), PL_OK);
    for (size_t i = 0; i < 3; i++) pl_smp_data_set_stake(d, i, 0, 50, 50);
    assert_int_equal(pl_smp_data_check(d, dg), PL_OK);
    double a[9] = {0.5, 0.5, 0, 0, 1, 0, 0, 0, 1};
    assert_int_equal(pl_smp_data_set_accommodation(d, a), PL_OK);
    assert_non_null(pl_smp_data_accommodation(d));
    assert_int_equal(pl_smp_data_check(d, dg), PL_OK);
    a[1] = 0.6;
    assert_int_equal(pl_smp_data_set_accommodation(d, a), PL_OK);
    assert_int_equal(pl_smp_data_check(d, dg), PL_EINPUT);
    double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    assert_int_equal(pl_smp_data_set_accommodation(d, id), PL_OK);
    assert_null(pl_smp_data_accommodation(d)); /* the identity is stored as NULL */
    pl_smp_data_set_actor(d, 1, "b", NULL, 0);
    pl_diags_clear(dg);
    assert_int_equal(pl_smp_data_check(d, dg), PL_EINPUT);
    assert_non_null(strstr(pl_diags_get(dg, 0)->message, "actor b: expected a capability"));
    pl_smp_data_free(d);
    pl_diags_free(dg);
}

static void test_from_scenario(void **state) {
    (void)state;
    /* Built in code: 4 actors, 2 issues on their own scales. */
    pl_scenario *s = NULL;
    size_t a, issue;
    assert_int_equal(pl_scenario_new("t", "Test", &s), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "tax", "Tax rate", 10, 30, &issue), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "cap", "Cap", -1, 1, &issue), PL_OK);
    assert_int_equal(pl_scenario_set_status_quo(s, 0, 15), PL_OK);
    const char *ids[] = {"a", "b", "c", "idle"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pl_scenario_add_actor(s, ids[i], ids[i], 10 * (double)(i + 1), &a), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 0, 10, 80), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 0, 1, 1, 60), PL_OK); /* sums to 140 */
    assert_int_equal(pl_scenario_set_position(s, 1, 0, 30, 40), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 1, 1, -1, 40), PL_OK);
    assert_int_equal(pl_scenario_set_position(s, 2, 1, 0, 50), PL_OK); /* no stake on tax */
    /* "idle" holds no position: left out with a warning */
    pl_diags *dg = NULL;
    pl_smp_data *d = NULL;
    assert_int_equal(pl_diags_new(&dg), PL_OK);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, dg, &d), PL_OK);
    assert_int_equal(pl_diags_warnings(dg), 1);
    assert_non_null(strstr(pl_diags_get(dg, 0)->message, "actor idle: left out"));
    assert_int_equal(pl_smp_data_n_actors(d), 3);
    assert_int_equal(pl_smp_data_n_dims(d), 2);
    assert_string_equal(pl_smp_data_dim_name(d, 0), "tax");
    assert_string_equal(pl_smp_data_dim_description(d, 0), "Tax rate");
    assert_near(pl_smp_data_dim_min(d, 1), -1, 0);
    assert_string_equal(pl_smp_data_actor_name(d, 2), "c");
    assert_int_equal(pl_smp_data_source_actor(d, 2), 2);
    assert_near(pl_smp_data_capability(d, 1), 20, 0);
    /* positions rescaled to 0-100 */
    assert_near(pl_smp_data_position(d, 0, 0), 0, 1e-12);
    assert_near(pl_smp_data_position(d, 0, 1), 100, 1e-12);
    assert_near(pl_smp_data_position(d, 1, 0), 100, 1e-12);
    assert_near(pl_smp_data_position(d, 2, 1), 50, 1e-12);
    /* c has no stake on tax: salience 0, at the status quo 15 -> 25 */
    assert_near(pl_smp_data_position(d, 2, 0), 25, 1e-12);
    assert_near(pl_smp_data_salience(d, 2, 0), 0, 0);
    /* CAP: a's 80 + 60 = 140 scaled to 100; b's 80 kept */
    assert_near(pl_smp_data_salience(d, 0, 0), 80 * 100.0 / 140, 1e-12);
    assert_near(pl_smp_data_salience(d, 0, 1), 60 * 100.0 / 140, 1e-12);
    assert_near(pl_smp_data_salience(d, 1, 0), 40, 0);
    pl_smp_data_free(d);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_DIVIDE, NULL, &d), PL_OK);
    assert_near(pl_smp_data_salience(d, 1, 1), 20, 1e-12);
    pl_smp_data_free(d);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_UNIT, NULL, &d), PL_OK);
    assert_near(pl_smp_data_salience(d, 1, 1), 50, 1e-12);
    assert_near(pl_smp_data_salience(d, 2, 1), 100, 1e-12);
    pl_smp_data_free(d);
    /* Without a status quo, the midpoint: a leaves "cap" (-1..1). */
    assert_int_equal(pl_scenario_clear_position(s, 0, 1), PL_OK);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &d), PL_OK);
    assert_near(pl_smp_data_position(d, 0, 1), 50, 1e-12);
    assert_near(pl_smp_data_salience(d, 0, 1), 0, 0);
    assert_near(pl_smp_data_salience(d, 0, 0), 80, 0);
    pl_smp_data_free(d);
    /* Too few actors with a stake: c leaves its only issue. */
    assert_int_equal(pl_scenario_clear_position(s, 2, 1), PL_OK);
    pl_diags_clear(dg);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, dg, &d), PL_EINPUT);
    assert_null(d);
    assert_int_equal(pl_diags_errors(dg), 1);
    pl_diags_free(dg);
    pl_scenario_free(s);

    /* The built-in scenario: every issue a dimension. */
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &d), PL_OK);
    assert_int_equal(pl_smp_data_n_dims(d), pl_scenario_n_issues(s));
    assert_int_equal(pl_smp_data_check(d, NULL), PL_OK);
    pl_smp_data_free(d);
    pl_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),      cmocka_unit_test(test_formats_accepted),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_check),
        cmocka_unit_test(test_from_scenario),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
