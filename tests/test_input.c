/*
** test_input.c: the rules every reader shares (issue 11) -- UTF-8 with an
** optional byte order mark, the input size cap, the cap on diagnostics,
** out of memory in jansson told as such, the ranges of numbers the models
** can take -- and the messages that go with them, reader by reader.
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
#include <unistd.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "parley.h"
#include "pl_test.h"

/* ------------------------------------------------------------------------
** Inputs, one per reader, each with a "@" where a test puts its bytes
*/
static const char scenario_json[] =
    "{\"parley\": 1, \"id\": \"t\", \"name\": \"N@\",\n"
    " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"capability\": 1, \"assumption\": \"x\"},\n"
    "  {\"id\": \"b\", \"name\": \"B\", \"capability\": 2, \"assumption\": \"x\"}],\n"
    " \"issues\": [{\"id\": \"i\", \"name\": \"I\", \"scale\": {\"min\": 0, \"max\": 100,\n"
    "   \"min_label\": \"lo\", \"max_label\": \"hi\"}}],\n"
    " \"positions\": [{\"actor\": \"a\", \"issue\": \"i\", \"position\": 10, \"salience\": 50, "
    "\"assumption\": \"x\"},\n"
    "  {\"actor\": \"b\", \"issue\": \"i\", \"position\": 90, \"salience\": 60, \"assumption\": "
    "\"x\"}]}\n";

static const char scenario_csv[] = "Actor,Capability,Position,Salience\n"
                                   "A@,1,4,0.5\n"
                                   "B,2,7,0.2\n";

static const char deu_tsv[] = "isnr\tproc\tcounvte\trp\tout\tpcom\tscom\tpde\tsde\n"
                              "x1@\tCOD\tQMV\t0\t50\t80\t90\t20\t40\n";

static const char ktab_csv[] = "Scen@,Desc,3,1\n"
                               "Actor,Description,Power,D1,S1\n"
                               "A,a,10,0,50\n"
                               "B,b,20,50,60\n"
                               "C,c,30,100,70\n";

static const char genius_domain[] =
    "<negotiation_template>\n"
    "<utility_space number_of_issues=\"1\">\n"
    "<objective index=\"0\" name=\"t@\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item index=\"1\" value=\"red\"/><item index=\"2\" value=\"blue\"/>\n"
    "  </issue>\n"
    "</objective>\n"
    "</utility_space>\n"
    "</negotiation_template>\n";

static const char genius_profile[] =
    "<utility_space><!-- @ -->\n"
    "<objective index=\"0\" name=\"t\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item value=\"red\" evaluation=\"4\"/><item value=\"blue\" evaluation=\"8\"/>\n"
    "  </issue>\n"
    "  <weight index=\"1\" value=\"1\"/>\n"
    "</objective>\n"
    "</utility_space>\n";

static const char geniusweb_profile[] =
    "{\"LinearAdditiveUtilitySpace\": {\n"
    "  \"issueUtilities\": {\"colour\": {\"DiscreteValueSetUtilities\": {\"valueUtilities\":\n"
    "    {\"red\": 0.5, \"blue\": 1.0}}}},\n"
    "  \"issueWeights\": {\"colour\": 1.0},\n"
    "  \"domain\": {\"name\": \"d\", \"issuesValues\": {\"colour\": {\"values\": [\"red\", "
    "\"blue\"]}}},\n"
    "  \"name\": \"p@\"}}\n";

enum { R_JSON, R_CSV, R_DEU, R_KTAB, R_GENIUS_DOMAIN, R_GENIUS_PROFILE, R_GENIUSWEB, N_READERS };
static const char *const reader_names[N_READERS] = {
    "json", "csv", "deu", "ktab", "genius-domain", "genius-profile", "geniusweb"};
static const char *const inputs[N_READERS] = {scenario_json,    scenario_csv,  deu_tsv,
                                              ktab_csv,         genius_domain, genius_profile,
                                              geniusweb_profile};

/* `text` with `bom` before it and "@" replaced by `at` ("" when NULL). */
static char *make(const char *text, int bom, const char *at, size_t *len) {
    size_t n = strlen(text) + 3 + (at ? strlen(at) : 0) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    size_t k = 0;
    if (bom) {
        memcpy(out, "\xEF\xBB\xBF", 3);
        k = 3;
    }
    for (const char *p = text; *p; p++) {
        if (*p == '@') {
            if (at) {
                memcpy(out + k, at, strlen(at));
                k += strlen(at);
            }
        } else {
            out[k++] = *p;
        }
    }
    out[k] = 0;
    *len = k;
    return out;
}

/* Run reader `r` on `text` (the GENIUS readers with the other file clean). */
static pl_status run_reader(int r, const char *text, size_t len, pl_diags *d) {
    pl_status rc = PL_EINVAL;
    pl_scenario *s = NULL;
    pl_smp_data *k = NULL;
    pl_space *sp = NULL;
    switch (r) {
        case R_JSON: rc = pl_scenario_load_buffer(text, len, "in", d, &s); break;
        case R_CSV: rc = pl_scenario_load_csv_buffer(text, len, "in", d, &s); break;
        case R_DEU: rc = pl_scenario_load_deu_buffer(text, len, "in", NULL, d, &s, NULL); break;
        case R_KTAB: rc = pl_smp_read_ktab_buffer(text, len, "in", d, &k); break;
        case R_GENIUS_DOMAIN:
        case R_GENIUS_PROFILE: {
            size_t dl, pl;
            char *dom = make(genius_domain, 0, NULL, &dl),
                 *prof = make(genius_profile, 0, NULL, &pl);
            const char *texts[1] = {r == R_GENIUS_PROFILE ? text : prof};
            size_t lens[1] = {r == R_GENIUS_PROFILE ? len : pl};
            const char *names[1] = {r == R_GENIUS_PROFILE ? "in" : "p.xml"};
            rc = pl_space_load_genius_buffers(
                r == R_GENIUS_DOMAIN ? text : dom, r == R_GENIUS_DOMAIN ? len : dl,
                r == R_GENIUS_DOMAIN ? "in" : "d.xml", texts, lens, names, 1, NULL, d, &sp);
            free(dom);
            free(prof);
            break;
        }
        case R_GENIUSWEB: {
            const char *texts[1] = {text};
            size_t lens[1] = {len};
            const char *names[1] = {"in"};
            rc = pl_space_load_geniusweb_buffers(texts, lens, names, 1, NULL, d, &sp);
            break;
        }
    }
    pl_scenario_free(s);
    pl_smp_data_free(k);
    pl_space_free(sp);
    return rc;
}

/* `text` with the first `from` replaced by `to` (malloc'd). */
static char *replace(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    assert_non_null(at);
    char *out = malloc(strlen(text) + strlen(to) + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static int has_diag(const pl_diags *d, const char *file, int line, int column,
                    const char *message_part) {
    for (size_t i = 0; i < pl_diags_count(d); i++) {
        const pl_diag *g = pl_diags_get(d, i);
        if (strcmp(g->file, file) == 0 && g->line == line && g->column == column &&
            strstr(g->message, message_part))
            return 1;
    }
    return 0;
}

static void print_diags(const pl_diags *d) {
    for (size_t i = 0; i < pl_diags_count(d); i++) {
        const pl_diag *g = pl_diags_get(d, i);
        fprintf(stderr, "  %s:%d:%d: %s\n", g->file, g->line, g->column, g->message);
    }
}

/* ------------------------------------------------------------------------
** UTF-8 and the byte order mark
*/
static void test_clean_inputs_load(void **state) {
    (void)state;
    for (int r = 0; r < N_READERS; r++) {
        pl_diags *d = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        size_t len;
        char *text = make(inputs[r], 0, "\xC3\xA9", &len); /* an e acute: UTF-8 */
        pl_status rc = run_reader(r, text, len, d);
        if (rc != PL_OK) {
            print_diags(d);
            fail_msg("reader %s: %s", reader_names[r], pl_strerror(rc));
        }
        free(text);
        pl_diags_free(d);
    }
}

static void test_bom_skipped_everywhere(void **state) {
    (void)state;
    for (int r = 0; r < N_READERS; r++) {
        pl_diags *d = NULL;
        assert_int_equal(pl_diags_new(&d), PL_OK);
        size_t len;
        char *text = make(inputs[r], 1, NULL, &len);
        pl_status rc = run_reader(r, text, len, d);
        if (rc != PL_OK) {
            print_diags(d);
            fail_msg("reader %s refuses a byte order mark: %s", reader_names[r], pl_strerror(rc));
        }
        free(text);
        pl_diags_free(d);
    }
}

static void test_invalid_utf8_everywhere(void **state) {
    (void)state;
    /* byte sequences that are not UTF-8, and the byte each is reported at */
    static const struct {
        const char *bytes;
        unsigned bad;
        int offset; /* characters of the sequence before the bad byte */
    } cases[] = {
        {"\xFF", 0xFF, 0},
        {"x\x80", 0x80, 1},            /* a lone continuation byte */
        {"\xC0\xAF", 0xC0, 0},         /* an overlong '/' */
        {"\xED\xA0\x80", 0xED, 0},     /* a surrogate */
        {"\xF4\x90\x80\x80", 0xF4, 0}, /* above U+10FFFF */
        {"\xE2\x82", 0xE2, 0},         /* cut short */
    };
    for (int r = 0; r < N_READERS; r++) {
        /* where "@" stands: its line and column */
        const char *at = strchr(inputs[r], '@');
        int line = 1, column = 1;
        for (const char *p = inputs[r]; p < at; p++) {
            if (*p == '\n') line++, column = 1;
            else column++;
        }
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            pl_diags *d = NULL;
            assert_int_equal(pl_diags_new(&d), PL_OK);
            size_t len;
            char *text = make(inputs[r], c % 2, cases[c].bytes, &len);
            pl_status rc = run_reader(r, text, len, d);
            char want[64];
            snprintf(want, sizeof want, "expected UTF-8 text, found byte 0x%02X", cases[c].bad);
            if (rc != PL_EPARSE || !has_diag(d, "in", line, column + cases[c].offset, want)) {
                print_diags(d);
                fail_msg("reader %s, case %zu: %s, expected in:%d:%d: %s", reader_names[r], c,
                         pl_strerror(rc), line, column + cases[c].offset, want);
            }
            free(text);
            pl_diags_free(d);
        }
    }
}

/* Names given in code or on a command line follow the same rule. */
static void test_names_utf8(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_new("t", "T\xFF", &s), PL_EINVAL);
    assert_int_equal(pl_scenario_new("t", "T\xC3\xA9", &s), PL_OK);
    size_t k;
    assert_int_equal(pl_scenario_add_actor(s, "a", "A\xC0\xAF", 1, &k), PL_EINVAL);
    assert_int_equal(pl_scenario_add_issue(s, "i", "\xED\xA0\x80", 0, 1, &k), PL_EINVAL);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(pl_whatif_add(s, "x:N\xFFo:3", "--add", d), PL_EINPUT);
    assert_true(has_diag(d, "--add", 1, 4, "expected UTF-8 text in the name, found byte 0xFF"));
    assert_int_equal(pl_scenario_n_actors(s), 0);
    pl_diags_free(d);
    pl_scenario_free(s);
}

/* ------------------------------------------------------------------------
** The input size cap
*/
static char *temp_file(const char *text, size_t len) {
    char *path = malloc(64);
    assert_non_null(path);
    snprintf(path, 64, "/tmp/pl-input-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, text, len) == (ssize_t)len);
    close(fd);
    return path;
}

static void test_input_cap(void **state) {
    (void)state;
    assert_true(pl_max_input() == PL_MAX_INPUT_DEFAULT);
    assert_true(PL_MAX_INPUT_DEFAULT == 268435456u);
    size_t len;
    char *json = make(scenario_json, 0, NULL, &len);
    char *path = temp_file(json, len);
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_file(path, d, &s), PL_OK);
    pl_scenario_free(s);

    /* one byte under the file's size: refused, the file named */
    pl_set_max_input(len - 1);
    assert_int_equal(pl_scenario_load_file(path, d, &s), PL_ERANGE);
    assert_null(s);
    char want[160];
    snprintf(want, sizeof want,
             "expected input of at most %zu bytes (the input cap, --max-input), found %zu bytes",
             len - 1, len);
    if (!has_diag(d, path, 0, 0, want)) {
        print_diags(d);
        fail_msg("no \"%s\"", want);
    }
    /* ... before anything is allocated for it */
    pl__alloc_fail_after(0);
    assert_int_equal(pl_scenario_load_file(path, NULL, &s), PL_ERANGE);
    pl__alloc_fail_reset();

    /* every reader of files keeps to it */
    pl_smp_data *k = NULL;
    assert_int_equal(pl_smp_read_ktab_file(path, NULL, &k), PL_ERANGE);
    assert_int_equal(pl_scenario_load_deu_file(path, NULL, NULL, &s, NULL), PL_ERANGE);
    const char *profiles[1] = {path};
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius(path, profiles, 1, NULL, NULL, &sp), PL_ERANGE);
    double *points = NULL;
    size_t n_points, dims;
    assert_int_equal(pl_genius_read_pareto(path, NULL, &points, &n_points, &dims), PL_ERANGE);

    /* exactly the file's size is allowed */
    pl_set_max_input(len);
    assert_int_equal(pl_scenario_load_file(path, NULL, &s), PL_OK);
    pl_scenario_free(s);

    /* a device without end: read up to the cap, then refused */
    pl_set_max_input(1 << 20);
    pl_diags_clear(d);
    assert_int_equal(pl_scenario_load_file("/dev/zero", d, &s), PL_ERANGE);
    assert_true(has_diag(d, "/dev/zero", 0, 0, "found more"));
    /* a folder is not a file */
    assert_int_equal(pl_scenario_load_file("/tmp", NULL, &s), PL_EIO);

    pl_set_max_input(0); /* the default again */
    assert_true(pl_max_input() == PL_MAX_INPUT_DEFAULT);
    remove(path);
    free(path);
    free(json);
    pl_diags_free(d);
}

/* ------------------------------------------------------------------------
** The cap on diagnostics
*/
static void test_diagnostics_capped(void **state) {
    (void)state;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(diag_add(d, PL_SEV_ERROR, "f", i + 1, 1, "error %d", i), PL_OK);
    assert_int_equal(diag_add(d, PL_SEV_WARNING, "f", 1, 1, "a warning"), PL_OK);
    assert_int_equal(pl_diags_errors(d), 100000);
    assert_int_equal(pl_diags_warnings(d), 1);
    assert_int_equal(pl_diags_count(d), PL_MAX_ERRORS_PER_FILE + 2);
    const pl_diag *last = pl_diags_get(d, PL_MAX_ERRORS_PER_FILE);
    assert_int_equal(last->severity, PL_SEV_ERROR);
    assert_string_equal(last->message, "... and 99950 more errors");
    assert_string_equal(pl_diags_get(d, PL_MAX_ERRORS_PER_FILE - 1)->message, "error 49");
    /* another file has its own 50 */
    assert_int_equal(diag_add(d, PL_SEV_ERROR, "g", 1, 1, "other"), PL_OK);
    assert_int_equal(pl_diags_count(d), PL_MAX_ERRORS_PER_FILE + 3);
    pl_diags_free(d);
}

static void test_csv_with_ten_million_commas(void **state) {
    (void)state;
    size_t n = 10000000;
    const char head[] = "Actor,Capability,Position,Salience\na";
    char *text = malloc(sizeof head + n + 1);
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, ',', n);
    text[sizeof head - 1 + n] = '\n';
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_csv_buffer(text, sizeof head + n, "c.csv", d, &s), PL_EINPUT);
    assert_true(pl_diags_errors(d) > PL_MAX_ERRORS_PER_FILE);
    assert_int_equal(pl_diags_count(d), PL_MAX_ERRORS_PER_FILE + 1);
    assert_non_null(strstr(pl_diags_get(d, PL_MAX_ERRORS_PER_FILE)->message, "more errors"));
    pl_diags_free(d);
    free(text);
}

/* ------------------------------------------------------------------------
** Numbers the models can take
*/
static pl_status load_json_edit(const char *from, const char *to, pl_diags *d, pl_scenario **s) {
    size_t len;
    char *base = make(scenario_json, 0, NULL, &len);
    const char *at = strstr(base, from);
    assert_non_null(at);
    char *text = malloc(len + strlen(to) + 1);
    size_t head = (size_t)(at - base);
    memcpy(text, base, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    pl_status rc = pl_scenario_load_buffer(text, strlen(text), "in", d, s);
    free(text);
    free(base);
    return rc;
}

static void expect_json_error(const char *from, const char *to, int line, int column,
                              const char *message) {
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    pl_status rc = load_json_edit(from, to, d, &s);
    if (rc != PL_EINPUT || !has_diag(d, "in", line, column, message)) {
        print_diags(d);
        fail_msg("%s -> %s: %s, expected in:%d:%d: %s", from, to, pl_strerror(rc), line, column,
                 message);
    }
    pl_diags_free(d);
}

static void test_json_ranges(void **state) {
    (void)state;
    expect_json_error("\"capability\": 2", "\"capability\": 1e308", 3, 42,
                      "expected a capability of at most 1e+12, found 1e+308");
    expect_json_error("\"max\": 100", "\"max\": 1e300", 4, 65,
                      "expected the scale's max from -1e+12 to 1e+12, found 1e+300");
    expect_json_error("\"min\": 0", "\"min\": -2e12", 4, 55,
                      "expected the scale's min from -1e+12 to 1e+12, found -2e+12");
    expect_json_error("\"capability\": 2",
                      "\"capability\": 2, \"capability_spread\": {\"sd\": 1e300}", 3, 73,
                      "expected a standard deviation from 0 to 1e+12");
    expect_json_error("\"salience\": 50", "\"salience\": 50, \"salience_spread\": {\"sd\": 101}", 6,
                      103, "expected a standard deviation from 0 to 100");
    /* the largest values allowed load */
    pl_scenario *s = NULL;
    assert_int_equal(load_json_edit("\"capability\": 2", "\"capability\": 1e12", NULL, &s), PL_OK);
    pl_scenario_free(s);
}

static void test_other_readers_ranges(void **state) {
    (void)state;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    const char csv[] = "Actor,Capability,Position,Salience\nA,1e13,4,0.5\nB,2,7e300,0.2\n";
    assert_int_equal(pl_scenario_load_csv_buffer(csv, strlen(csv), "in", d, &s), PL_EINPUT);
    assert_true(has_diag(d, "in", 2, 3,
                         "expected a capability greater than 0 and at most 1e+12, found 1e+13"));
    assert_true(has_diag(d, "in", 3, 5, "expected a position from -1e+12 to 1e+12, found 7e+300"));
    pl_diags_clear(d);
    size_t len;
    char *deu = make(deu_tsv, 0, NULL, &len);
    assert_int_equal(pl_scenario_load_deu_buffer(deu, len, "in", "com=1e308", d, &s, NULL),
                     PL_EINPUT);
    assert_true(
        has_diag(d, "in", 0, 0, "expected a capability greater than 0 and at most 1e+12 for com"));
    free(deu);
    /* building in code keeps to the same ranges */
    assert_int_equal(pl_scenario_new("t", "T", &s), PL_OK);
    size_t k;
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1.5e12, &k), PL_ERANGE);
    assert_int_equal(pl_scenario_add_actor(s, "a", "A", 1e12, &k), PL_OK);
    assert_int_equal(pl_scenario_set_capability(s, k, 1e308), PL_ERANGE);
    pl_spread wide = {PL_SPREAD_SD, 1e300, 0, 0};
    assert_int_equal(pl_scenario_set_capability_spread(s, k, wide), PL_ERANGE);
    pl_spread sd = {PL_SPREAD_SD, 1e12, 0, 0};
    assert_int_equal(pl_scenario_set_capability_spread(s, k, sd), PL_OK);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", 0, 1e13, &k), PL_ERANGE);
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", -1e12, 1e12, &k), PL_OK);
    assert_int_equal(pl_whatif_set(s, "a.capability=1e308", "--set", d), PL_EINPUT);
    assert_true(
        has_diag(d, "--set", 1, 14, "expected a capability greater than 0 and at most 1e12"));
    pl_scenario_free(s);
    pl_diags_free(d);
}

/* Every model and analysis runs on the largest values allowed, and gives
** finite figures. */
static void test_models_take_the_largest_values(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_new("big", "Big", &s), PL_OK);
    size_t a[3], i;
    const double caps[3] = {1e12, 1e12, 1e-300};
    for (int k = 0; k < 3; k++) {
        char id[8];
        snprintf(id, sizeof id, "a%d", k);
        assert_int_equal(pl_scenario_add_actor(s, id, id, caps[k], &a[k]), PL_OK);
    }
    assert_int_equal(pl_scenario_add_issue(s, "i", "I", -1e12, 1e12, &i), PL_OK);
    assert_int_equal(pl_scenario_set_status_quo(s, i, -1e12), PL_OK);
    assert_int_equal(pl_scenario_set_outcome(s, i, 1e12), PL_OK);
    const double x[3] = {-1e12, 1e12, 0};
    for (int k = 0; k < 3; k++)
        assert_int_equal(pl_scenario_set_position(s, a[k], i, x[k], 100), PL_OK);

    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(s, NULL, &f), PL_OK);
    const pl_issue_forecast *fi = pl_forecast_issue(f, 0);
    for (int m = 0; m < PL_MODEL_COUNT; m++) {
        assert_true(isfinite(fi->value[m]));
        assert_true(fi->value[m] >= -1e12 && fi->value[m] <= 1e12);
    }
    pl_forecast_free(f);

    pl_sensitivity *sens = NULL;
    for (int m = 0; m < PL_MODEL_COUNT; m++) {
        assert_int_equal(pl_sensitivity_run(s, (pl_model)m, NULL, &sens), PL_OK);
        pl_sensitivity_free(sens);
    }

    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 64;
    mo.n_threads = 1;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(s, &mo, &mc), PL_OK);
    pl_mc_stats st;
    for (int m = 0; m < PL_MODEL_COUNT; m++) {
        assert_int_equal(pl_mc_summary(mc, s, 0, (pl_model)m, &st, NULL, NULL), PL_OK);
        assert_true(isfinite(st.mean) && isfinite(st.sd));
    }
    pl_mc_free(mc);

    pl_backtest_options bo;
    pl_backtest_options_init(&bo);
    bo.folds = 2;
    pl_backtest *b = NULL;
    assert_int_equal(pl_backtest_run(s, &bo, &b), PL_OK);
    pl_backtest_free(b);
    pl_scenario_free(s);
}

/* ------------------------------------------------------------------------
** Messages
*/
static void test_ktab_salience_sum_shown_exactly(void **state) {
    (void)state;
    const char text[] = "S,D,3,2\n"
                        "Actor,Description,Power,D1,S1,D2,S2\n"
                        "A,a,10,0,50,0,50.0000000001\n"
                        "B,b,20,50,60,0,10\n"
                        "C,c,30,100,70,0,10\n";
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_smp_data *k = NULL;
    assert_int_equal(pl_smp_read_ktab_buffer(text, strlen(text), "k.csv", d, &k), PL_EINPUT);
    assert_true(has_diag(d, "k.csv", 3, 15,
                         "expected the actor's saliences to sum to at most 100, found "
                         "100.0000000001 up to this column"));
    /* the model's own check, on data built in code */
    pl_diags_clear(d);
    assert_int_equal(pl_smp_data_new(3, 2, &k), PL_OK);
    for (size_t a = 0; a < 3; a++) {
        assert_int_equal(pl_smp_data_set_actor(k, a,
                                               a == 0   ? "A"
                                               : a == 1 ? "B"
                                                        : "C",
                                               NULL, 1),
                         PL_OK);
        assert_int_equal(pl_smp_data_set_stake(k, a, 0, 10.0 * (double)a, 50), PL_OK);
        assert_int_equal(pl_smp_data_set_stake(k, a, 1, 0, a ? 10 : 50.000001), PL_OK);
    }
    assert_int_equal(pl_smp_data_check(k, d), PL_EINPUT);
    int found = 0;
    for (size_t n = 0; n < pl_diags_count(d); n++)
        if (strstr(pl_diags_get(d, n)->message, "summing to at most 100, found 100.000001"))
            found = 1;
    if (!found) print_diags(d);
    assert_true(found);
    pl_smp_data_free(k);
    pl_diags_free(d);
}

static void test_geniusweb_errors_have_a_place(void **state) {
    (void)state;
    size_t len;
    char *text = make(geniusweb_profile, 0, NULL, &len);
    char *at = strstr(text, "1.0}}}}");
    assert_non_null(at);
    memcpy(at, "2e9", 3); /* "blue": 2e9}}}} */
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    assert_int_equal(run_reader(R_GENIUSWEB, text, len, d), PL_EINPUT);
    assert_true(has_diag(d, "in", 3, 26, "expected utilities from -1e9 to 1e9, found 2e+09"));
    free(text);
    /* a different domain in the second profile: at its "domain" */
    char *first = make(geniusweb_profile, 0, NULL, &len);
    size_t len2;
    char *second = make(geniusweb_profile, 0, NULL, &len2);
    char *blue = strstr(second, "\"blue\"]");
    assert_non_null(blue);
    memcpy(blue, "\"bleu\"", 6);
    const char *texts[2] = {first, second};
    size_t lens[2] = {len, len2};
    const char *names[2] = {"a.json", "b.json"};
    pl_diags_clear(d);
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_geniusweb_buffers(texts, lens, names, 2, NULL, d, &sp),
                     PL_EINPUT);
    assert_true(has_diag(d, "b.json", 5, 13, "expected the same domain as the first profile"));
    free(first);
    free(second);
    pl_diags_free(d);
}

static void test_salience_fractions_warned(void **state) {
    (void)state;
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    size_t len;
    char *base = make(scenario_json, 0, NULL, &len);
    char *one = replace(base, "\"salience\": 50", "\"salience\": 0.5");
    char *both = replace(one, "\"salience\": 60", "\"salience\": 1");
    assert_int_equal(pl_scenario_load_buffer(both, strlen(both), "in", d, &s), PL_OK);
    if (pl_diags_warnings(d) != 1 ||
        !has_diag(d, "in", 6, 73, "every salience is at most 1, but saliences run from 0 to 100")) {
        print_diags(d);
        fail();
    }
    assert_int_equal(pl_diags_get(d, 0)->severity, PL_SEV_WARNING);
    pl_scenario_free(s);
    /* one salience above 1: no warning */
    pl_diags_clear(d);
    assert_int_equal(pl_scenario_load_buffer(one, strlen(one), "in", d, &s), PL_OK);
    assert_int_equal(pl_diags_warnings(d), 0);
    pl_scenario_free(s);
    free(base);
    free(one);
    free(both);
    pl_diags_free(d);
}

static void test_deu_duplicate_column(void **state) {
    (void)state;
    const char text[] = "isnr\tproc\tcounvte\trp\tout\tpcom\tscom\tpde\tsde\tpde\n"
                        "x1\tCOD\tQMV\t0\t50\t80\t90\t20\t40\t70\n";
    pl_diags *d = NULL;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_deu_buffer(text, strlen(text), "in", NULL, d, &s, NULL),
                     PL_EINPUT);
    assert_null(s);
    if (!has_diag(d, "in", 1, 44,
                  "expected each column name once, found \"pde\" as column 10 and already as "
                  "column 8 (at 1:36)")) {
        print_diags(d);
        fail();
    }
    pl_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_inputs_load),
        cmocka_unit_test(test_bom_skipped_everywhere),
        cmocka_unit_test(test_invalid_utf8_everywhere),
        cmocka_unit_test(test_names_utf8),
        cmocka_unit_test(test_input_cap),
        cmocka_unit_test(test_diagnostics_capped),
        cmocka_unit_test(test_csv_with_ten_million_commas),
        cmocka_unit_test(test_json_ranges),
        cmocka_unit_test(test_other_readers_ranges),
        cmocka_unit_test(test_models_take_the_largest_values),
        cmocka_unit_test(test_ktab_salience_sum_shown_exactly),
        cmocka_unit_test(test_geniusweb_errors_have_a_place),
        cmocka_unit_test(test_salience_fractions_warned),
        cmocka_unit_test(test_deu_duplicate_column),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
