/*
** test_io_json.c: the JSON scenario reader -- every validation rule, the
** place each problem is reported at, round trips, and the built-in
** scenario's evidence checked against its source.
*/
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

/* A valid scenario; the cases below break it in one place each. */
static const char valid[] =
    "{\n"                                                                                  /* 1 */
    "  \"parley\": 1, \"id\": \"t\", \"name\": \"T\", \"date\": \"2024-02-29\",\n"         /* 2 */
    "  \"sources\": [{\"id\": \"s1\", \"title\": \"Report\"}],\n"                          /* 3 */
    "  \"actors\": [\n"                                                                    /* 4 */
    "    {\"id\": \"a\", \"name\": \"A\", \"capability\": 3, \"assumption\": \"big\"},\n"  /* 5 */
    "    {\"id\": \"b\", \"name\": \"B\", \"capability\": 1, \"assumption\": \"small\"}\n" /* 6 */
    "  ],\n"                                                                               /* 7 */
    "  \"issues\": [\n"                                                                    /* 8 */
    "    {\"id\": \"i\", \"name\": \"I\", \"status_quo\": 0,\n"                            /* 9 */
    "     \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"no\", \"max_label\": \"yes\"},\n" /* 10 */
    "     \"options\": [{\"value\": 100, \"label\": \"Yes\"}, {\"value\": 0, \"label\": \"No\"}]}\n" /* 11 */
    "  ],\n"                                                                         /* 12 */
    "  \"positions\": [\n"                                                           /* 13 */
    "    {\"actor\": \"a\", \"issue\": \"i\", \"position\": 20, \"salience\": 50,\n" /* 14 */
    "     \"evidence\": [{\"quote\": \"we want 20\", \"source\": \"s1\"}]},\n"       /* 15 */
    "    {\"actor\": \"b\", \"issue\": \"i\", \"position\": 80, \"salience\": 100, \"assumption\": \"x\"}\n" /* 16 */
    "  ]\n" /* 17 */
    "}\n";

/* Replace the first occurrence of `from` in `valid` with `to`. */
static char *edit(const char *from, const char *to) {
    const char *at = strstr(valid, from);
    assert_non_null(at);
    size_t n = strlen(valid) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    size_t head = (size_t)(at - valid);
    memcpy(out, valid, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* Load `text`; expect `status` and a diagnostic whose "LINE:COL: message"
** contains `want` (NULL: no diagnostics at all). */
static void expect(const char *text, pl_status status, const char *want) {
    pl_diags *d = NULL;
    pl_scenario *s = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_status rc = pl_scenario_load_buffer(text, strlen(text), "t.json", d, &s);
    int found = 0;
    char line[1200];
    for (size_t i = 0; i < pl_diags_count(d); i++) {
        const pl_diag *g = pl_diags_get(d, i);
        snprintf(line, sizeof line, "%d:%d: %s: %s", g->line, g->column,
                 g->severity == PL_SEV_ERROR ? "error" : "warning", g->message);
        if (want && strstr(line, want)) found = 1;
        assert_string_equal(g->file, "t.json");
    }
    if (rc != status || (want && !found) || (!want && pl_diags_count(d))) {
        fprintf(stderr, "status %d (expected %d); wanted \"%s\"; got:\n", rc, status,
                want ? want : "(nothing)");
        for (size_t i = 0; i < pl_diags_count(d); i++) {
            const pl_diag *g = pl_diags_get(d, i);
            fprintf(stderr, "  %d:%d: %s\n", g->line, g->column, g->message);
        }
        fail();
    }
    if (status == PL_OK) assert_non_null(s);
    else assert_null(s);
    pl_scenario_free(s);
    pl_diags_free(d);
}

static void expect_edit(const char *from, const char *to, pl_status status, const char *want) {
    char *text = edit(from, to);
    expect(text, status, want);
    free(text);
}

static void test_valid(void **state) {
    (void)state;
    expect(valid, PL_OK, NULL);
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_buffer(valid, strlen(valid), "t", NULL, &s), PL_OK);
    const pl_issue *is = pl_scenario_issue(s, 0);
    assert_int_equal(is->n_options, 2);
    assert_near(is->options[0].value, 0, 0); /* sorted */
    assert_string_equal(is->options[1].label, "Yes");
    assert_true(is->has_status_quo);
    const pl_position *p = pl_scenario_stake(s, 0, 0);
    assert_int_equal(p->n_evidence, 1);
    assert_string_equal(p->evidence[0].quote, "we want 20");
    assert_string_equal(pl_scenario_date(s), "2024-02-29");
    pl_scenario_free(s);
}

static void test_syntax_errors(void **state) {
    (void)state;
    expect("", PL_EPARSE, "1:1: error: expected valid JSON");
    expect("{\n  \"id\": \"x\",\n}", PL_EPARSE, "3:1: error: expected valid JSON");
    expect("{\"a\": 1, \"a\": 2}", PL_EPARSE, "duplicate object key");
    expect("{\"a\": 1e999}", PL_EPARSE, "real number overflow");
    expect("{\"a\": NaN}", PL_EPARSE, "expected valid JSON");
    expect("[1, 2]", PL_EINPUT, "1:1: error: expected a scenario (a JSON object), found an array");
    expect("{} trailing", PL_EPARSE, "expected valid JSON");
}

static void test_semantic_errors(void **state) {
    (void)state;
    /* each points at the offending value */
    expect_edit("\"capability\": 3", "\"capability\": -3", PL_EINPUT,
                "5:44: error: expected a positive capability, found -3");
    expect_edit("\"capability\": 3", "\"capability\": 0", PL_EINPUT,
                "expected a positive capability, found 0");
    expect_edit(
        "\"capability\": 3", "\"capability\": \"3\"", PL_EINPUT,
        "5:44: error: expected a number for \"capability\" in an actor, found the string \"3\"");
    expect_edit("\"salience\": 50", "\"salience\": 101", PL_EINPUT,
                "14:62: error: expected a salience from 0 to 100, found 101");
    expect_edit("\"salience\": 50", "\"salience\": -0.5", PL_EINPUT, "found -0.5");
    expect_edit("\"position\": 20", "\"position\": 100.5", PL_EINPUT,
                "14:46: error: expected a position on issue \"i\"'s scale [0, 100], found 100.5");
    expect_edit("\"status_quo\": 0", "\"status_quo\": -1", PL_EINPUT,
                "9:44: error: expected a status quo on the scale [0, 100], found -1");
    expect_edit("\"max\": 100", "\"max\": 0", PL_EINPUT,
                "expected the scale's max to be greater than its min (0), found 0");
    expect_edit("{\"value\": 100", "{\"value\": 101", PL_EINPUT,
                "expected an option value on the scale");
    expect_edit("{\"value\": 0,", "{\"value\": 100,", PL_EINPUT, "found 100 a second time");
    expect_edit("\"id\": \"b\"", "\"id\": \"a\"", PL_EINPUT,
                "6:12: error: expected a unique actor id, found \"a\" a second time");
    expect_edit("\"id\": \"b\"", "\"id\": \"b.c\"", PL_EINPUT,
                "expected an id for \"id\" in an actor");
    expect_edit("\"actor\": \"b\"", "\"actor\": \"zz\"", PL_EINPUT,
                "16:15: error: expected the id of a declared actor, found \"zz\"");
    expect_edit("\"issue\": \"i\", \"position\": 20", "\"issue\": \"j\", \"position\": 20",
                PL_EINPUT, "expected the id of a declared issue, found \"j\"");
    expect_edit("\"source\": \"s1\"", "\"source\": \"s2\"", PL_EINPUT,
                "15:53: error: expected the id of one of the scenario's sources");
    expect_edit("\"actor\": \"b\"", "\"actor\": \"a\"", PL_EINPUT,
                "16:5: error: expected one position per actor and issue");
    expect_edit("\"actors\": [\n", "\"actors\": [], \"x\": [\n", PL_EINPUT,
                "4:13: error: expected at least one actor in \"actors\", found none");
    expect_edit("\"date\": \"2024-02-29\"", "\"date\": \"2023-02-29\"", PL_EINPUT,
                "expected a date YYYY-MM-DD");
    expect_edit("\"parley\": 1", "\"parley\": 2", PL_EINPUT, "expected format version 1");
    expect_edit("\"name\": \"T\", ", "", PL_EINPUT,
                "1:1: error: expected key \"name\" (a string) in the scenario, found none");
    /* an issue with one stake */
    expect_edit("\"actor\": \"b\", \"issue\": \"i\"", "\"actor\": \"b\", \"issue\": \"k\"",
                PL_EINPUT, "expected the id of a declared issue");
}

static void test_too_few_stakes(void **state) {
    (void)state;
    char *text = edit(
        "    {\"actor\": \"b\", \"issue\": \"i\", \"position\": 80, \"salience\": 100, \"assumption\": \"x\"}\n",
        "    {\"actor\": \"a\", \"issue\": \"i2\", \"position\": 1, \"salience\": 1, \"assumption\": \"x\"}\n");
    /* add issue i2 ... with one stake each, i and i2 both fail */
    char *t2 = text;
    const char *at = strstr(t2, "  ],\n  \"positions\"");
    assert_non_null(at);
    char buf[4096];
    size_t head = (size_t)(at - t2);
    memcpy(buf, t2, head);
    buf[head] = 0;
    strcat(
        buf,
        "   ,{\"id\": \"i2\", \"name\": \"I2\", \"scale\": {\"min\": 0, \"max\": 1, \"min_label\": \"a\", \"max_label\": \"b\"}}\n");
    strcat(buf, at);
    expect(buf, PL_EINPUT,
           "9:5: error: expected at least two actors with a position on issue \"i\", found 1");
    expect(buf, PL_EINPUT,
           "12:5: error: expected at least two actors with a position on issue \"i2\", found 1");
    free(t2);
}

static void test_warnings(void **state) {
    (void)state;
    /* a position with neither evidence nor assumption: a warning, still valid */
    expect_edit(", \"assumption\": \"x\"}", "}", PL_OK,
                "16:5: warning: position of \"b\" on \"i\" has neither evidence nor an assumption");
    expect_edit("\"salience\": 100,", "\"salince\": 3, \"salience\": 100,", PL_OK,
                "warning: unknown key \"salince\" in a position (did you mean \"salience\"?)");
    expect_edit("\"parley\": 1,", "\"parley\": 1, \"zzz\": 1,", PL_OK,
                "2:16: warning: unknown key \"zzz\" in the scenario, expected one of:");
}

static void test_reports_many(void **state) {
    (void)state;
    /* every problem is reported, not only the first */
    pl_diags *d = NULL;
    pl_scenario *s = NULL;
    const char *many =
        "{\"id\": \"x y\", \"name\": 3, \"actors\": {}, \"issues\": [7], \"positions\": null}";
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_scenario_load_buffer(many, strlen(many), "m", d, &s), PL_EINPUT);
    assert_true(pl_diags_errors(d) >= 5);
    pl_diags_free(d);
}

static void test_round_trip(void **state) {
    (void)state;
    pl_scenario *s = NULL, *back = NULL;
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", NULL, &s), PL_OK);
    char *json = NULL, *json2 = NULL;
    assert_int_equal(pl_report_scenario(s, PL_FORMAT_JSON, &json), PL_OK);
    assert_int_equal(pl_scenario_load_buffer(json, strlen(json), "rt", NULL, &back), PL_OK);
    assert_int_equal(pl_report_scenario(back, PL_FORMAT_JSON, &json2), PL_OK);
    assert_string_equal(json, json2);
    pl_free(json);
    pl_free(json2);
    pl_scenario_free(s);
    pl_scenario_free(back);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = 0;
    fclose(f);
    return text;
}

/* The built-in armistice scenario: no warnings (every value has evidence
** or an assumption), the file in scenarios/ is the built-in, and every
** quote from the seed article is in the article, word for word. */
static void test_armistice(void **state) {
    (void)state;
    pl_test_need_shared("seed/000_b789768f4a8e51ea.txt"); /* its quotes are checked */
    pl_diags *d = NULL;
    pl_scenario *s = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_scenario_load_builtin("armistice-2025", d, &s), PL_OK);
    assert_int_equal(pl_diags_count(d), 0);
    const char *must[] = {"us", "russia", "ukraine", "france", "uk", "turkey", "china"};
    size_t k;
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        assert_int_equal(pl_scenario_find_actor(s, must[i], &k), PL_OK);
    assert_true(pl_scenario_n_issues(s) >= 6);

    char *file = read_file(PL_SOURCE_DIR "/scenarios/armistice-2025.json");
    assert_non_null(file);
    size_t len;
    const char *text = pl_builtin_text("armistice-2025", &len);
    assert_string_equal(file, text);
    free(file);

    char *article = read_file(pl_test_shared("seed/000_b789768f4a8e51ea.txt"));
    assert_non_null(article);
    size_t n_quotes = 0;
    for (size_t p = 0; p < pl_scenario_n_positions(s); p++) {
        const pl_position *pos = pl_scenario_position(s, p);
        assert_true(pos->n_evidence > 0 || pos->assumption);
        for (size_t e = 0; e < pos->n_evidence; e++) {
            if (strcmp(pos->evidence[e].source, "seed") != 0) continue;
            if (!strstr(article, pos->evidence[e].quote)) {
                fprintf(stderr, "not in the article: \"%s\"\n", pos->evidence[e].quote);
                fail();
            }
            n_quotes++;
        }
    }
    assert_true(n_quotes > 10);
    free(article);
    pl_scenario_free(s);
    pl_diags_free(d);
}

static void test_files(void **state) {
    (void)state;
    pl_diags *d = NULL;
    pl_scenario *s = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_scenario_load_file("/nonexistent/x.json", d, &s), PL_EIO);
    assert_int_equal(pl_diags_errors(d), 1);
    assert_string_equal(pl_diags_get(d, 0)->file, "/nonexistent/x.json");
    pl_diags_clear(d);
    assert_int_equal(pl_scenario_load_file(PL_SOURCE_DIR "/scenarios/armistice-2025.json", d, &s),
                     PL_OK);
    pl_scenario_free(s);
    assert_int_equal(pl_scenario_load_builtin("nope", d, &s), PL_ENOTFOUND);
    pl_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),           cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_semantic_errors), cmocka_unit_test(test_too_few_stakes),
        cmocka_unit_test(test_warnings),        cmocka_unit_test(test_reports_many),
        cmocka_unit_test(test_round_trip),      cmocka_unit_test(test_armistice),
        cmocka_unit_test(test_files),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
